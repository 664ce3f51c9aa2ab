"""Fanning per-task work out over processes gives the same results, in the same order, as one process."""

from __future__ import annotations

import os
import sys

import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core import parallel
from viewer.core.diagnostics import diagnose_task
from viewer.core.project import open_project
from viewer.core.resolve import task_lines


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_forked_workers_match_one_process_in_order(tmp_path, monkeypatch):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(rect(f"r{i}", labels=["Car" if i % 3 else "Truck"], x=i), task_id=i) for i in range(57)]
    tasks_path, config_path = write_project(tmp_path, tasks)
    project = open_project(tasks_path, config_path)
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 5)
    indices = range(len(project.tasks))
    for function in (diagnose_task, task_lines, lambda p, t: (os.getpid(), t.index)):
        alone = list(parallel.map_tasks(project, function, indices, workers=1))
        shared = list(parallel.map_tasks(project, function, indices, workers=2))
        if function in (diagnose_task, task_lines):
            assert shared == alone
    pids = {pid for pid, _ in shared}
    assert [index for _, index in shared] == list(indices)
    assert os.getpid() not in pids and len(pids) >= 1

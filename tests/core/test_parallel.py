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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_leave_signals_to_the_parent(tmp_path, monkeypatch):
    """Ctrl-C is the parent's to handle; the command line's SIGTERM handler is not inherited (a worker killed by
    SIGTERM, or by its parent's death, dies quietly)."""
    import signal

    from viewer.core.atomic import terminating_signals

    make_image(tmp_path / "img" / "a.png")
    tasks_path, config_path = write_project(tmp_path, [image_task(rect(), task_id=i) for i in range(6)])
    project = open_project(tasks_path, config_path)
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 2)

    def handlers(_project, _task):
        return (os.getpid(), signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM),
                signal.getsignal(signal.SIGHUP))

    with terminating_signals():
        seen = list(parallel.map_tasks(project, handlers, range(6), workers=2))
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    assert all(pid != os.getpid() for pid, *_ in seen)
    assert {tuple(found) for _, *found in seen} == {(signal.SIG_IGN, signal.SIG_DFL, signal.SIG_DFL)}


def test_a_worker_whose_parent_closed_the_pipe_ends_quietly(capsys, monkeypatch):
    def broken_run(self):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(parallel.multiprocessing.context.ForkProcess, "run", broken_run)
    parallel._QuietWorker().run()  # the pool worker's loop, sending into a pipe nobody reads: no exception
    assert capsys.readouterr().err == ""

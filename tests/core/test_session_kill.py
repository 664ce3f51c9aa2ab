"""Killing the process at any moment loses nothing that was reported done (SIGKILL, then reopen)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession

ROOT = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent("""
    import sys
    from viewer.core.project import open_project
    from viewer.core.review.session import ReviewSession

    project = open_project(sys.argv[1], sys.argv[2])
    session = ReviewSession.open(project)
    done = 0
    while True:  # until killed: accept, reject, status, undo, redo, note, task after task, over and over
        for task in project.tasks:
            regions = session.prediction_regions(task)
            session.accept(task, regions[:1])
            session.reject(task, regions[1:2])
            session.set_status(task, "accepted")
            session.undo()
            session.redo()
            done += 1
            session.set_note(task, f"step {done}")
            print(done, task.index, flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_in_the_middle_of_review_loses_nothing_reported(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(rect("a", score=0.9), rect("b", score=0.3), task_id=i) for i in range(20)]
    tasks_path, config_path = write_project(tmp_path, tasks)
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(tasks_path), str(config_path)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reported = []
    for line in worker.stdout:
        reported.append(tuple(int(x) for x in line.split()))
        if len(reported) == 35:  # mid-way through the second pass
            break
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    with sqlite3.connect(tmp_path / "tasks.lsview.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    session = ReviewSession.open(open_project(tasks_path, config_path))
    last_reported = {index: done for done, index in reported}
    assert len(last_reported) == 20
    for index, done in last_reported.items():
        task = session.project.tasks[index]
        record = session.record(task)
        # everything the worker printed as done is there (a later step may have landed too, never an earlier one)
        assert int(record.note.split()[1]) >= done
        assert session.decision(task, 0, "a") == "accepted" and session.decision(task, 0, "b") == "rejected"
        assert record.status == "accepted" and record.results[0]["id"] == "a"

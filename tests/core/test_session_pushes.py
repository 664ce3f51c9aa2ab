"""The session's pushes table (review/pushes.py): written before a request, one push per file, old files upgraded,
and a read-only look (`push --dry-run`) that changes nothing in the file."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core.errors import SessionError
from viewer.core.project import open_project
from viewer.core.review import store as store_module
from viewer.core.review.pushes import PushLog, work_of
from viewer.core.review.session import ReviewSession
from viewer.core.review.store import SessionStore

SERVER = "http://ls.example project 7"


def reviewed_session(tmp_path) -> ReviewSession:
    make_image(tmp_path / "img" / "a.png")
    tasks_path, config_path = write_project(tmp_path, [image_task(rect("r1"), task_id=5)])
    session = ReviewSession.open(open_project(tasks_path, config_path))
    task = session.project.tasks[0]
    session.accept(task, session.prediction_regions(task))
    return session


def test_an_intended_push_is_on_disk_before_it_is_answered_and_settled_after(tmp_path):
    session = reviewed_session(tmp_path)
    log = PushLog(session.store, SERVER)
    key = session.record(session.project.tasks[0]).key
    body = {"result": [{"id": "r1"}], "was_cancelled": False, "lead_time": 1.0}
    row = log.intend(key, "5", 3, "POST", body, None, None)
    other = PushLog(SessionStore(session.store.path), SERVER)  # another process's view of the file
    [seen] = other.history([key])[key]
    assert (seen.unique_id, seen.pending, seen.body, seen.annotation_id) == (row.unique_id, True, body, None)
    log.settle(row, 41, "2026-12-05T10:00:00Z")
    [seen] = other.history([key])[key]
    assert (seen.pending, seen.annotation_id, seen.task_updated_at) == (False, 41, "2026-12-05T10:00:00Z")
    assert PushLog(session.store, "http://other project 7").history([key]) == {}


def test_work_ignores_time_spent():
    body = {"result": [{"id": "r1"}], "was_cancelled": False, "lead_time": 1.0}
    assert work_of(body) == work_of({**body, "lead_time": 9.5})
    assert work_of(body) != work_of({**body, "was_cancelled": True})
    assert work_of(body) != work_of({**body, "result": []})


def test_a_task_pushed_meanwhile_by_another_process_is_not_sent_again(tmp_path):
    session = reviewed_session(tmp_path)
    key = session.record(session.project.tasks[0]).key
    first, second = PushLog(session.store, SERVER), PushLog(SessionStore(session.store.path), SERVER)
    first.intend(key, "5", 3, "POST", {"result": []}, None, None)
    with pytest.raises(SessionError, match="pushed by another lsview process meanwhile"):
        second.intend(key, "5", 3, "POST", {"result": []}, None, None)  # read before the first wrote
    assert len(second.history([key])[key]) == 1


def test_one_push_at_a_time_and_a_dead_push_is_taken_over(tmp_path):
    session = reviewed_session(tmp_path)
    log = PushLog(session.store, SERVER)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        host = __import__("socket").gethostname()
        session.store.set_meta({"push_lease": f"{host} {sleeper.pid}"})
        with pytest.raises(SessionError, match=f"another lsview push is under way.*process {sleeper.pid}"):
            log.take_lease()
    finally:
        sleeper.kill()
        sleeper.wait()
    log.take_lease()  # its process is gone: a push killed half way does not lock the file for ever
    assert session.store.meta("push_lease") == f"{host} {os.getpid()}"
    log.drop_lease()
    assert session.store.meta("push_lease") is None


def test_a_schema_2_session_gets_the_pushes_table(tmp_path):
    path = tmp_path / "old.lsview.sqlite"
    store = SessionStore(path)
    store.close()
    with sqlite3.connect(path) as db:  # as lsview before pushes left it
        db.execute("DROP TABLE pushes")
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    store = SessionStore(path)
    assert store.meta("schema") == str(store_module.SCHEMA_VERSION) == "3"
    assert store.has_table("pushes")
    assert PushLog(store, SERVER).history(["id:1"]) == {}


def test_a_read_only_look_changes_nothing_in_an_old_file(tmp_path):
    path = tmp_path / "old.lsview.sqlite"
    SessionStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE pushes")
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    before = hashlib.sha1(path.read_bytes()).hexdigest()
    store = SessionStore(path, read_only=True)
    assert store.meta("schema") == "2" and not store.has_table("pushes")
    assert PushLog(store, SERVER).history(["id:1"]) == {}
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.connection.execute("INSERT INTO meta VALUES ('x', 'y')")
    store.close()
    assert hashlib.sha1(path.read_bytes()).hexdigest() == before

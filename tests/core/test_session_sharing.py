"""Two writers on one session file: each action works on what is on disk, so no process erases another's work."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core.errors import InputError, SessionBusyError, SessionConflictError, SessionError
from viewer.core.project import open_project
from viewer.core.review import store as store_module
from viewer.core.review.session import ReviewSession
from viewer.core.review.store import SessionStore

ROOT = Path(__file__).resolve().parents[2]


def make(tmp_path, count=3, regions=4):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(*(rect(f"r{k}", score=0.9 - k / 10) for k in range(regions)), task_id=i + 1)
             for i in range(count)]
    return write_project(tmp_path, tasks)


def open_session(tasks_path, config_path, session_path=None) -> ReviewSession:
    return ReviewSession.open(open_project(tasks_path, config_path), session_path)


def stored(tasks_path, config_path) -> ReviewSession:
    """A fresh look at the file, as a third process would have."""
    return open_session(tasks_path, config_path)


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another process's transaction on the session file, as long as the block runs."""
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def lsview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_a_stale_window_does_not_erase_what_a_command_saved(tmp_path):
    """The issue's case: reject in the window, `lsview accept` in a shell, then accept in the window."""
    tasks_path, config_path = make(tmp_path)
    window = open_session(tasks_path, config_path)
    task = window.project.tasks[0]
    regions = window.prediction_regions(task)
    window.reject(task, regions[:1])

    done = lsview("accept", tasks_path, "--config", config_path)
    assert done.returncode == 0, done.stderr
    assert "Accept 11 regions" in done.stdout  # every undecided one: 3 in task 0, 4 in tasks 1 and 2

    window.accept(task, regions[:1])  # the window changes its mind about r0, from a copy that is now stale
    after = stored(tasks_path, config_path)
    for each in after.project.tasks:
        decisions = after.record(each).decisions
        assert sorted(decisions.values()) == ["accepted"] * 4, each.index
        assert {r["id"] for r in after.working_results(each)} == {"r0", "r1", "r2", "r3"}
    # and the window itself shows the command's work now
    assert window.record(task).decisions == after.record(task).decisions


def test_an_action_reads_other_writers_rows_inside_its_transaction(tmp_path):
    tasks_path, config_path = make(tmp_path)
    first, second = open_session(tasks_path, config_path), open_session(tasks_path, config_path)
    task = first.project.tasks[0]
    first.set_note(task, "from the first")
    second.set_status(task, "needs-fix")  # second never re-read; its copy had no note
    first.accept(task, first.prediction_regions(task)[:2])
    record = stored(tasks_path, config_path).record(task)
    assert (record.note, record.status, len(record.decisions)) == ("from the first", "needs-fix", 2)


def test_refresh_tells_listeners_what_another_writer_changed_and_is_quiet_otherwise(tmp_path):
    tasks_path, config_path = make(tmp_path)
    window, shell = open_session(tasks_path, config_path), open_session(tasks_path, config_path)
    heard: list[set[str]] = []
    window.listeners.append(heard.append)
    assert window.refresh() == set()
    task = shell.project.tasks[2]
    shell.accept(task, shell.prediction_regions(task)[:1])
    changed = window.refresh()
    assert changed == {window.key(task)} and heard == [changed]
    assert window.decision(task, 0, "r0") == "accepted"
    assert window.refresh() == set()  # nothing new: nothing read, nobody told
    shell.add_lead_time(task, 5.0)    # time spent is no change of work
    assert window.refresh() == set() and window.record(task).lead_time == 5.0
    assert heard == [changed]


def test_undo_refuses_to_write_over_another_writers_later_work(tmp_path):
    tasks_path, config_path = make(tmp_path)
    window, shell = open_session(tasks_path, config_path), open_session(tasks_path, config_path)
    task = window.project.tasks[0]
    window.accept(task, window.prediction_regions(task)[:1])
    window.set_status(task, "accepted")
    shell.set_note(task, "checked by a second reviewer")
    with pytest.raises(SessionConflictError, match=r"cannot undo “Mark task accepted”: task 0 \(id 1\)"):
        window.undo()
    record = stored(tasks_path, config_path).record(task)
    assert (record.status, record.note) == ("accepted", "checked by a second reviewer")
    assert window.history.undo_label == "Accept 1 region"  # the refused step is gone, the one before stays
    with pytest.raises(SessionConflictError):  # it too ends in the state the second reviewer changed
        window.undo()
    assert window.history.undo_label is None


def test_undo_goes_through_when_only_time_was_added_elsewhere(tmp_path):
    tasks_path, config_path = make(tmp_path)
    window, shell = open_session(tasks_path, config_path), open_session(tasks_path, config_path)
    task = window.project.tasks[0]
    window.accept(task, window.prediction_regions(task)[:1])
    shell.add_lead_time(task, 3.0)
    assert window.undo() == "Accept 1 region"
    record = stored(tasks_path, config_path).record(task)
    assert record.decisions == {} and record.lead_time == 3.0
    assert window.redo() == "Accept 1 region"


def test_two_accept_commands_at_once_count_what_they_stored(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(*(rect(f"r{k}", score=0.5) for k in range(20)), task_id=i) for i in range(300)]
    tasks_path, config_path = write_project(tmp_path, tasks)
    command = [sys.executable, "-m", "viewer", "accept", str(tasks_path), "--config", str(config_path)]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    printed = 0
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        match = re.search(r"Accept (\d+) regions?", out)
        printed += int(match.group(1)) if match else 0
    with sqlite3.connect(tmp_path / "tasks.lsview.sqlite") as db:
        assert db.execute("SELECT count(*) FROM decisions WHERE decision = 'accepted'").fetchone()[0] == 6000
    assert printed == 6000


def test_a_busy_session_refuses_the_action_and_changes_nothing(tmp_path):
    tasks_path, config_path = make(tmp_path)
    window = open_session(tasks_path, config_path)
    task = window.project.tasks[0]
    with write_lock_held(tmp_path / "tasks.lsview.sqlite"):
        window.store._db.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(SessionBusyError, match="busy: another lsview process"):
            window.accept(task, window.prediction_regions(task)[:1])
    assert window.record(task).decisions == {} and window.history.undo_label is None
    assert window.accept(task, window.prediction_regions(task)[:1]) is not None  # free again: it goes through


def test_a_failed_save_leaves_memory_as_the_file(tmp_path, monkeypatch):
    tasks_path, config_path = make(tmp_path)
    window = open_session(tasks_path, config_path)
    task = window.project.tasks[0]
    window.set_note(task, "kept")

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(SessionStore, "save", lambda self, records, meta=None: full())
    heard: list[set[str]] = []
    window.listeners.append(heard.append)
    with pytest.raises(SessionError, match="disk is full"):
        window.set_status(task, "accepted")
    assert (window.status(task), window.record(task).note) == ("not-reviewed", "kept")
    assert window.history.undo_label == "Edit note" and heard == []


def test_sqlite_errors_on_save_become_session_errors(tmp_path):
    tasks_path, config_path = make(tmp_path)
    window = open_session(tasks_path, config_path)
    task = window.project.tasks[0]
    window.store._db.execute("CREATE TRIGGER no_writes BEFORE INSERT ON tasks BEGIN "
                             "SELECT RAISE(ABORT, 'database or disk is full'); END")
    with pytest.raises(SessionError, match="nothing of this step was saved"):
        window.set_note(task, "lost")
    assert window.record(task).note == "" and window.history.undo_label is None


def test_a_schema_1_session_is_upgraded_in_place_and_keeps_its_work(tmp_path):
    tasks_path, config_path = make(tmp_path)
    path = tmp_path / "tasks.lsview.sqlite"
    with sqlite3.connect(path) as db:  # the schema lsview wrote before revisions
        db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE tasks (key TEXT PRIMARY KEY, task_index INTEGER, task_id TEXT, data_hash TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'not-reviewed', note TEXT NOT NULL DEFAULT '',
                lead_time REAL NOT NULL DEFAULT 0, results TEXT, created_at TEXT, updated_at TEXT);
            CREATE TABLE decisions (task_key TEXT NOT NULL REFERENCES tasks (key) ON DELETE CASCADE,
                prediction INTEGER NOT NULL, region_id TEXT NOT NULL, decision TEXT NOT NULL, copy_id TEXT,
                decided_at TEXT NOT NULL, PRIMARY KEY (task_key, prediction, region_id));
            INSERT INTO meta VALUES ('schema', '1');
        """)
    first = open_session(tasks_path, config_path)
    task = first.project.tasks[1]
    first.set_note(task, "old file, new lsview")
    assert SessionStore(path).meta("schema") == str(store_module.SCHEMA_VERSION)
    assert stored(tasks_path, config_path).record(task).note == "old file, new lsview"


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.lsview.sqlite"
    SessionStore(path).set_meta({"schema": str(store_module.SCHEMA_VERSION + 1)})
    with pytest.raises(InputError, match="made by a newer lsview"):
        SessionStore(path)


def test_threads_of_two_sessions_interleaving_lose_no_decision(tmp_path):
    """Many small actions of two writers, interleaved as the scheduler likes: every decision is kept."""
    tasks_path, config_path = make(tmp_path, count=10, regions=6)
    sessions = [open_session(tasks_path, config_path) for _ in range(2)]
    failures: list[BaseException] = []

    def work(session: ReviewSession, which: int) -> None:
        try:
            for task in session.project.tasks:
                for region in session.prediction_regions(task)[which::2]:
                    session.accept(task, [region])
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(s, i)) for i, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    after = stored(tasks_path, config_path)
    for task in after.project.tasks:
        assert len(after.record(task).decisions) == 6
        assert len(after.working_results(task)) == 6


def test_position_and_time_spent_never_wait_long_for_a_busy_file(tmp_path):
    import time

    tasks_path, config_path = make(tmp_path)
    window = open_session(tasks_path, config_path)
    task = window.project.tasks[1]
    with write_lock_held(tmp_path / "tasks.lsview.sqlite"):
        started = time.monotonic()
        assert window.set_position(task) is False
        window.add_lead_time(task, 4.0)
        window.add_lead_time(task, 1.5)
        assert time.monotonic() - started < 5  # moments, not the 30 s an action waits
    assert stored(tasks_path, config_path).record(task).lead_time == 0.0  # kept back while the file was busy
    window.add_lead_time(task, 0.5)  # the file is free: all of it goes in
    assert stored(tasks_path, config_path).record(task).lead_time == 6.0
    assert window.set_position(task) is True and window.position == window.key(task)


def _open_at(path: str, start: float) -> str:
    import time

    while time.time() < start:
        pass
    try:
        SessionStore(path).close()
    except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
        return repr(exc)
    return "ok"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked processes")
def test_processes_making_one_new_session_at_once_all_open_it(tmp_path):
    """Two `lsview accept` started together both make the session file: switching it to WAL is refused at once to
    the second (SQLite's busy handler does not wait there), which said 'not an lsview session file (locked)'."""
    import multiprocessing
    import time

    context = multiprocessing.get_context("fork")
    for round_ in range(8):
        path = str(tmp_path / f"s{round_}.lsview.sqlite")
        with context.Pool(4) as pool:
            opened = pool.starmap(_open_at, [(path, time.time() + 0.2)] * 4)
        assert opened == ["ok"] * 4

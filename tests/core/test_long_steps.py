"""Review actions over many tasks, a slice at a time (viewer.core.steps): they report how far they are, closing
them half way leaves the session file and the session as they were, and done they are one undo step."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession
from viewer.core.steps import Progress, Slices, run_through

TASKS = 12


def scored(rid: str, score: float) -> dict:
    return {**rect(rid), "score": score}


def make(tmp_path, count=TASKS):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(*(scored(f"r{k}", 0.9 - k / 10) for k in range(3)), task_id=i + 1) for i in range(count)]
    return write_project(tmp_path, tasks)


def open_session(tmp_path) -> ReviewSession:
    return ReviewSession.open(open_project(*make(tmp_path)))


def rows(path) -> list[tuple]:
    """Every row of the session file, as a second connection reads it."""
    db = sqlite3.connect(path)
    try:
        return [row for table in ("meta", "tasks", "decisions")
                for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
    finally:
        db.close()


def work(session: ReviewSession) -> dict:
    """What the session holds of each task's review work, blank ones left out."""
    return {session.key(task): (record.status, record.results, dict(record.decisions))
            for task in session.project.tasks if (record := session.record(task)).reviewed}


def test_accept_steps_report_every_task_and_end_as_accept_above(tmp_path):
    session = open_session(tmp_path)
    reports = []
    steps = session.accept_above_steps(session.project.tasks, 0.75)
    while True:
        try:
            reports.append(next(steps))
        except StopIteration as stop:
            command = stop.value
            break
    assert reports[0] == Progress("Accepting", 0, TASKS) and reports[-1] == Progress("Accepting", TASKS, TASKS)
    assert [p.done for p in reports] == list(range(TASKS + 1))
    assert reports[5].text == "Accepting 5 / 12 tasks"
    assert command.label == "Accept 24 regions scoring 0.75 or more" and len(command.after) == TASKS
    assert session.history.undo_label == command.label
    assert all(session.record(task).decisions == {(0, "r0"): "accepted", (0, "r1"): "accepted"}
               for task in session.project.tasks)


def test_closing_the_steps_half_way_leaves_file_session_and_history_as_they_were(tmp_path, monkeypatch):
    monkeypatch.setattr("viewer.core.review.session.SAVE_RECORDS", 2)  # some records reach the file before
    session = open_session(tmp_path)
    task = session.project.tasks[0]
    session.reject(task, session.prediction_regions(task)[:1])
    before_rows, before_work = rows(session.store.path), work(session)
    heard: list[set[str]] = []
    session.listeners.append(heard.append)
    slices = Slices(session.accept_above_steps(session.project.tasks, float("-inf")))
    for _ in range(8):
        assert not slices.run(0.0)
    assert slices.progress == Progress("Accepting", 7, TASKS)
    assert session.store.in_transaction
    slices.cancel()
    assert not session.store.in_transaction
    assert rows(session.store.path) == before_rows and work(session) == before_work
    assert session.history.undo_label == "Reject 1 region" and session.history.redo_label is None
    assert len(heard) == 1 and len(heard[0]) >= 6   # the tasks it had changed are shown again as they are
    assert session.accept_above(session.project.tasks, float("-inf")).label == "Accept 35 regions"


def test_a_long_step_undoes_and_redoes_whole_and_a_cancelled_undo_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("viewer.core.review.session.SAVE_RECORDS", 3)
    session = open_session(tmp_path)
    empty = rows(session.store.path)
    run_through(session.accept_above_steps(session.project.tasks, float("-inf")))
    accepted_rows, accepted = rows(session.store.path), work(session)
    slices = Slices(session.undo_steps())
    assert not slices.run(0.0)
    assert slices.progress == Progress("Undoing \u201cAccept 36 regions\u201d:", 0, TASKS)
    assert not slices.run(0.0)
    slices.cancel()
    assert rows(session.store.path) == accepted_rows and work(session) == accepted
    assert session.history.undo_label == "Accept 36 regions"
    assert session.undo() == "Accept 36 regions"
    assert work(session) == {} and len(rows(session.store.path)) > len(empty)  # blank rows stay, as for one task
    slices = Slices(session.redo_steps())
    assert slices.run(None) and slices.result == "Accept 36 regions"
    assert work(session) == accepted and session.history.undo_label == "Accept 36 regions"


def test_time_spent_during_a_long_action_waits_for_it_and_is_not_rolled_back(tmp_path):
    session = open_session(tmp_path)
    task = session.project.tasks[3]
    slices = Slices(session.accept_above_steps(session.project.tasks, float("-inf")))
    slices.run(0.0)
    assert session.set_position(task) is False
    session.add_lead_time(task, 7.0)
    slices.cancel()
    assert session.record(task).lead_time == 0.0
    assert session.save_lead_time() and session.record(task).lead_time == 7.0
    reread = ReviewSession.open(open_project(tmp_path / "tasks.json", tmp_path / "config.xml"))
    assert reread.record(reread.project.tasks[3]).lead_time == 7.0


def test_run_through_returns_what_the_steps_return():
    def steps():
        yield Progress("Counting", 0, 2)
        yield Progress("Counting", 2, 2)
        return "done"

    assert run_through(steps()) == "done"
    slices = Slices(steps())
    assert slices.run(None) and slices.done and slices.result == "done"


def test_an_error_inside_the_steps_comes_out_of_run_and_ends_them():
    def steps():
        yield Progress("Failing", 0, 1)
        raise ValueError("broken")

    slices = Slices(steps())
    assert not slices.run(0.0)
    with pytest.raises(ValueError, match="broken"):
        slices.run(1.0)
    assert slices.done


def test_a_long_action_leaves_the_log_to_a_checkpoint_on_another_thread(tmp_path):
    session = open_session(tmp_path)
    store, path = session.store, session.store.path
    pages = store._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    with store.checkpoint_later():
        assert store._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        session.accept_above(session.project.tasks, float("-inf"))
    assert store._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == pages
    unfolded = path.stat().st_size
    thread = threading.Thread(target=store.checkpoint)
    thread.start()
    thread.join()
    assert path.stat().st_size > unfolded   # the decisions' pages moved from the log into the file
    assert len(work(ReviewSession.open(open_project(tmp_path / "tasks.json", tmp_path / "config.xml")))) == TASKS

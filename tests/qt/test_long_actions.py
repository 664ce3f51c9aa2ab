"""Review actions over many tasks in the window: they run in slices with a progress dialog, Cancel leaves the
session file exactly as it was, Ctrl+Z undoes the whole action and Ctrl+Y redoes it, and what a second process
saves meanwhile is kept."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.builders import make_image, rect, write_project
from tests.qt.review_project import open_window, read_session

ROOT = Path(__file__).resolve().parents[2]
TASKS = 120   # more than long_action.AT_ONCE: the action goes in slices
CTRL = Qt.KeyboardModifier.ControlModifier
SECOND_PROCESS = """
import sys
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession

tasks, config, session_path, index = sys.argv[1:]
session = ReviewSession.open(open_project(tasks, config, offline=True), session_path)
print("opened", flush=True)
sys.stdin.readline()                      # the window's action is under way now
task = session.project.tasks[int(index)]
session.set_note(task, "from a second process")
session.set_status(task, "needs-fix")
print("saved", flush=True)
"""


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("viewer.qt.review.long_action.SLICE_S", 0.0)        # one task per turn of the loop
    monkeypatch.setattr("viewer.qt.widgets.progress_dialog.SHOW_AFTER_S", 0.0)
    monkeypatch.setattr("viewer.core.review.session.SAVE_RECORDS", 10)      # rows reach the file as it goes
    make_image(tmp_path / "img" / "a.png")
    tasks = [{"id": n + 1, "data": {"image": "img/a.png"}, "predictions": [{"model_version": "v1", "result": [
        {**rect(f"r{k}", x=10 + 20 * k), "score": 0.9} for k in range(3)]}]} for n in range(TASKS)]
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, tasks))
    qtbot.waitUntil(lambda: len(main.workspace.order) == TASKS)
    yield main
    main.loader.wait()


def session_file(window) -> Path:
    return window.review.path


def rows(path: Path) -> list[tuple]:
    """Every row of the session file, read through a connection of its own."""
    db = sqlite3.connect(path)
    try:
        return [row for table in ("meta", "tasks", "decisions") for row in db.execute(f"SELECT * FROM {table}")]
    finally:
        db.close()


def work(path: Path) -> dict:
    """Each task's review work in the file (rows of tasks not reviewed left out)."""
    return {key: row for key, row in read_session(path)["tasks"].items()
            if row["status"] != "not-reviewed" or row["results"] is not None or row["decisions"]}


def start_accept_all(window, qtbot) -> None:
    """Accept shown in listed tasks, and wait until it is a third done with its dialog showing."""
    window.actions_by_name["accept_shown_listed"].trigger()
    dialog = window.review_desk.progress
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.bar.value() >= TASKS // 3)


def test_a_big_accept_shows_its_progress_and_blocks_other_review_actions(window, qtbot):
    review, dialog, actions = window.review, window.review_desk.progress, window.actions_by_name
    start_accept_all(window, qtbot)
    assert review.busy and dialog.isModal()
    assert re.fullmatch(r"Accepting \d+ / 120 tasks", dialog.label.text()), dialog.label.text()
    assert not actions["undo"].isEnabled() and not actions["accept_above_all"].isEnabled()
    assert not review.set_note(0, "typed meanwhile")          # refused, said in the status bar
    assert "Accepting is under way" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not review.busy)
    assert not dialog.isVisible() and actions["undo"].isEnabled()
    assert review.undo_label == "Accept 360 shown regions in 120 tasks"
    assert window.statusBar().currentMessage() == "Accept 360 shown regions in 120 tasks"
    assert all(len(review.decisions(i)) == 3 for i in range(TASKS))


def test_an_action_done_sooner_than_the_delay_shows_no_dialog(window, qtbot, monkeypatch):
    monkeypatch.setattr("viewer.qt.widgets.progress_dialog.SHOW_AFTER_S", 60.0)
    review, dialog = window.review, window.review_desk.progress
    seen: list[bool] = []
    review.long.progressed.connect(lambda _progress: seen.append(dialog.isVisible()))
    window.actions_by_name["accept_shown_listed"].trigger()
    assert review.busy
    qtbot.waitUntil(lambda: not review.busy)
    assert len(seen) > TASKS // 2 and not any(seen)
    assert review.undo_label == "Accept 360 shown regions in 120 tasks"


def test_cancel_leaves_the_session_file_exactly_as_before(window, qtbot):
    review, dialog = window.review, window.review_desk.progress
    review.set_note(5, "kept")
    before = rows(session_file(window))
    start_accept_all(window, qtbot)
    assert rows(session_file(window)) == before  # another connection sees none of it before the commit
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not review.busy and not dialog.isVisible()
    assert rows(session_file(window)) == before
    assert all(review.decisions(i) == {} for i in range(TASKS)) and review.note(5) == "kept"
    assert review.undo_label == "Edit note"
    assert "cancelled: the session is as it was before" in window.statusBar().currentMessage()
    assert window.actions_by_name["undo"].isEnabled()


def test_one_undo_undoes_it_all_and_ctrl_y_redoes_it(window, qtbot):
    review, dialog = window.review, window.review_desk.progress
    path = session_file(window)
    start_accept_all(window, qtbot)
    qtbot.waitUntil(lambda: not review.busy)
    accepted = work(path)
    assert len(accepted) == TASKS
    shown: list[str] = []
    review.long.started.connect(lambda progress: shown.append(progress.text))
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: not review.busy)
    assert shown == ["Undoing \u201cAccept 360 shown regions in 120 tasks\u201d: 0 / 120 tasks"]
    assert work(path) == {} and all(review.decisions(i) == {} for i in range(TASKS))
    assert review.undo_label is None and not dialog.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: not review.busy)
    assert len(shown) == 2 and shown[1].startswith("Redoing")
    assert work(path) == accepted and review.undo_label == "Accept 360 shown regions in 120 tasks"
    assert "Redone: Accept 360 shown regions in 120 tasks" in window.statusBar().currentMessage()


@pytest.mark.parametrize("cancelled", [False, True], ids=["finished", "cancelled"])
def test_what_a_second_process_saves_meanwhile_is_kept(window, qtbot, tmp_path, cancelled):
    review, path = window.review, session_file(window)
    second = subprocess.Popen([sys.executable, "-c", SECOND_PROCESS, str(tmp_path / "tasks.json"),
                               str(tmp_path / "config.xml"), str(path), "7"], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert second.stdout.readline() == "opened\n", second.stderr.read()
        start_accept_all(window, qtbot)
        second.stdin.write("go\n")
        second.stdin.flush()
        time.sleep(0.5)                  # no event loop: the window's action holds the file's write lock
        assert second.poll() is None     # so the second process waits for it
        if cancelled:
            qtbot.mouseClick(window.review_desk.progress.cancel_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.waitUntil(lambda: not review.busy)
        out, err = second.communicate(timeout=60)
    finally:
        if second.poll() is None:
            second.kill()
    assert out == "saved\n", err
    review.poll()
    stored = work(path)
    assert (stored["id:8"]["note"], stored["id:8"]["status"]) == ("from a second process", "needs-fix")
    assert (review.note(7), review.status(7)) == ("from a second process", "needs-fix")
    if cancelled:
        assert list(stored) == ["id:8"] and stored["id:8"]["decisions"] == {}
    else:
        assert len(stored) == TASKS and all(len(row["decisions"]) == 3 for row in stored.values())
        assert review.undo_label == "Accept 360 shown regions in 120 tasks"

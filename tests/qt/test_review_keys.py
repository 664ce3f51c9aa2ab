"""Keyboard-first review in the window: the keys accept, reject, move to the next undecided region, set statuses and
undo, and the session file (read through a connection of its own) holds each step at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from tests.qt.review_project import make_review_project, open_window, read_session
from viewer.qt.actions import ACTIONS, default_keys

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
PRED = ("prediction", 0)
WORKING = ("annotation", 0)


@pytest.fixture
def project(tmp_path):
    return make_review_project(tmp_path)


@pytest.fixture
def window(qtbot, tmp_path, project):
    main = open_window(qtbot, tmp_path, *project)
    yield main
    main.loader.wait()


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, key, modifier)


def stored(tmp_path, key="id:1"):
    return read_session(tmp_path / "tasks.lsview.sqlite")["tasks"].get(key)


def selected(window):
    return window.region_list.selected_key()


def test_no_key_does_two_things_among_all_the_window_actions(window):
    table = [key.toString() for name, *_ in ACTIONS for key in default_keys(name)]
    assert all(table) and len(set(table)) == len(table)
    bound = [s.toString() for action in window.findChildren(QAction) for s in action.shortcuts()]
    assert len(set(bound)) == len(bound) and set(table) <= set(bound)


def test_accept_copies_the_region_and_moves_to_the_next_by_score(window, qtbot, tmp_path):
    press(qtbot, window, Qt.Key.Key_N)
    assert selected(window) == (PRED, "r1")  # 0.9, the highest score
    press(qtbot, window, Qt.Key.Key_A)
    assert selected(window) == (PRED, "r3")  # 0.7 next
    row = stored(tmp_path)
    assert row["decisions"] == {(0, "r1"): "accepted"} and row["status"] == "in-progress"
    assert [(r["id"], r["origin"]) for r in row["results"]] == [("r1", "prediction")]
    # the working annotation is a layer of its own, on the canvas and in the lists
    assert (WORKING, "r1") in window.scene.items_by_key
    assert window.region_list.mark((PRED, "r1")) == "✓" and window.region_list.mark((WORKING, "r1")) == "copy"
    assert any(window.layer_list.item(i).text().startswith("Review · working annotation")
               for i in range(window.layer_list.count()))


def test_reject_records_a_decision_and_fades_the_region(window, qtbot, tmp_path):
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_X)
    assert stored(tmp_path)["decisions"] == {(0, "r1"): "rejected"} and stored(tmp_path)["results"] == []
    assert window.scene.items_by_key[(PRED, "r1")].opacity() < 0.5
    assert window.scene.items_by_key[(PRED, "r3")].opacity() == 1.0
    assert window.region_list.mark((PRED, "r1")) == "✗" and selected(window) == (PRED, "r3")
    counts = window.review_desk.bar.counts.text()
    assert "✗ 1" in counts and "3 undecided" in counts  # r2, r3 and the whole-object answer c1


def test_next_and_previous_undecided_wrap_and_skip_decided_regions(window, qtbot):
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_N)
    assert selected(window) == (PRED, "r2")
    press(qtbot, window, Qt.Key.Key_N)  # the whole-object answer c1, unscored: last, in the results panel
    assert selected(window) is None and window.results.selected_key() == (PRED, "c1")
    press(qtbot, window, Qt.Key.Key_N)
    assert selected(window) == (PRED, "r1") and window.results.selected_key() is None  # round again
    press(qtbot, window, Qt.Key.Key_N, SHIFT)
    press(qtbot, window, Qt.Key.Key_N, SHIFT)
    assert selected(window) == (PRED, "r2")
    press(qtbot, window, Qt.Key.Key_A)  # r2 accepted: on to c1, then r1 (the order wraps), r3 is last
    assert window.results.selected_key() == (PRED, "c1")
    press(qtbot, window, Qt.Key.Key_A)
    assert selected(window) == (PRED, "r1")
    press(qtbot, window, Qt.Key.Key_A)
    press(qtbot, window, Qt.Key.Key_A)
    message = window.statusBar().currentMessage()
    assert "every listed prediction region is decided; Ctrl+Enter shows the next task not done" in message


def test_order_by_position_goes_top_to_bottom_then_left_to_right(window, qtbot):
    press(qtbot, window, Qt.Key.Key_O, CTRL | SHIFT)
    assert window.actions_by_name["order_by_position"].isChecked()
    order = []
    for _ in range(3):
        press(qtbot, window, Qt.Key.Key_N)
        order.append(selected(window)[1])
    assert order == ["r2", "r1", "r3"]


def test_undo_and_redo_follow_the_history_in_the_menu_and_the_file(window, qtbot, tmp_path):
    undo, redo = window.actions_by_name["undo"], window.actions_by_name["redo"]
    assert not undo.isEnabled() and undo.text() == "&Undo"
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_A)
    press(qtbot, window, Qt.Key.Key_X)
    assert undo.text() == "&Undo: Reject 1 region" and not redo.isEnabled()
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert undo in edit_menu.actions()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(tmp_path)["decisions"] == {(0, "r1"): "accepted"}
    assert undo.text() == "&Undo: Accept 1 region" and redo.text() == "&Redo: Reject 1 region"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(tmp_path)["decisions"] == {} and stored(tmp_path)["results"] is None
    assert (WORKING, "r1") not in window.scene.items_by_key and window.region_list.mark((PRED, "r1")) == ""
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(tmp_path)["decisions"] == {(0, "r1"): "accepted"} and (WORKING, "r1") in window.scene.items_by_key
    assert "Redone: Accept 1 region" in window.statusBar().currentMessage()


def test_status_keys_and_next_task_not_done(window, qtbot, tmp_path):
    press(qtbot, window, Qt.Key.Key_3, CTRL)
    assert stored(tmp_path)["status"] == "accepted"
    assert window.review_desk.bar.status.currentData() == "accepted"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(tmp_path)["status"] == "not-reviewed"
    press(qtbot, window, Qt.Key.Key_5, CTRL)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        press(qtbot, window, Qt.Key.Key_Return, CTRL)
    assert window.index == 1 and stored(tmp_path)["status"] == "rejected"
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        press(qtbot, window, Qt.Key.Key_Return, CTRL)
    assert window.index == 2  # task 1 is rejected, task 2 needs fix: both done
    assert read_session(tmp_path / "tasks.lsview.sqlite")["position"] == "id:3"


def test_undo_of_a_change_to_another_task_shows_that_task(window, qtbot, tmp_path):
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        press(qtbot, window, Qt.Key.Key_PageDown)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.index == 0 and stored(tmp_path)["status"] == "not-reviewed"


def test_the_note_is_typed_saved_with_enter_and_undone_like_the_rest(window, qtbot, tmp_path):
    bar = window.review_desk.bar
    press(qtbot, window, Qt.Key.Key_E, CTRL)
    assert bar.note.hasFocus()
    qtbot.keyClicks(bar.note, "blurry; check")  # letters that are review keys elsewhere are typed here
    assert stored(tmp_path) is None
    qtbot.keyClick(bar.note, Qt.Key.Key_Return)
    assert stored(tmp_path)["note"] == "blurry; check" and window.view.hasFocus()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(tmp_path)["note"] == "" and bar.note.text() == ""


def test_copy_prediction_and_accept_above_in_every_task_are_one_step(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    press(qtbot, window, Qt.Key.Key_C, CTRL | SHIFT)
    assert {r["id"] for r in stored(tmp_path)["results"]} == {"r1", "r2", "r3", "c1"}
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    asked = []
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *args: asked.append(args) or (0.75, True))
    window.actions_by_name["accept_above_all"].trigger()
    assert "every task" in asked[0][2]
    sessions = read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]
    decided = {key: row["decisions"] for key, row in sessions.items() if row["decisions"]}
    assert decided == {"id:1": {(0, "r1"): "accepted"}, "id:2": {(0, "s1"): "accepted"},
                       "id:3": {(0, "t1"): "accepted"}}
    assert window.actions_by_name["undo"].text() == "&Undo: Accept 3 regions scoring 0.75 or more"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    sessions = read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]
    assert not any(row["decisions"] for row in sessions.values())
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *args: (0.6, True))
    press(qtbot, window, Qt.Key.Key_A, SHIFT)  # this task only
    sessions = read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]
    assert {key for key, row in sessions.items() if row["decisions"]} == {"id:1"}
    assert sessions["id:1"]["decisions"] == {(0, "r1"): "accepted", (0, "r3"): "accepted"}


def test_keys_wait_while_the_next_task_loads(window, qtbot, tmp_path):
    press(qtbot, window, Qt.Key.Key_N)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(1)  # the lists show task 1's regions until task 2 has loaded
        press(qtbot, window, Qt.Key.Key_A)
        assert read_session(tmp_path / "tasks.lsview.sqlite")["tasks"] == {}
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_A)
    assert stored(tmp_path, "id:2")["decisions"] == {(0, "s1"): "accepted"}


def test_a_command_redraws_only_the_working_regions_it_changed(window, qtbot):
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_A)
    first = window.scene.items_by_key[(WORKING, "r1")]
    prediction_item = window.scene.items_by_key[(PRED, "r3")]
    press(qtbot, window, Qt.Key.Key_A)  # r3 joins the working annotation; r1's item stays as it was
    assert window.scene.items_by_key[(WORKING, "r1")] is first
    assert window.scene.items_by_key[(PRED, "r3")] is prediction_item and (WORKING, "r3") in window.scene.items_by_key
    rows = [window.region_list.topLevelItem(i).text(4) for i in range(window.region_list.topLevelItemCount())]
    assert rows.count("Review · working annotation") == 2

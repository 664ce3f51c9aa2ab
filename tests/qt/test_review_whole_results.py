"""Whole-task results of a prediction (a Choices answer in the Results panel) are reviewed like regions: A and X on
their row decide them, N goes through them, and copying a whole prediction keeps what was rejected earlier."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.qt.review_project import make_review_project, open_window, read_session

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
PRED = ("prediction", 0)
WORKING = ("annotation", 0)


@pytest.fixture
def window(qtbot, tmp_path):
    main = open_window(qtbot, tmp_path, *make_review_project(tmp_path))
    yield main
    main.loader.wait()


def stored(tmp_path):
    return read_session(tmp_path / "tasks.lsview.sqlite")["tasks"].get("id:1")


def click_result(qtbot, window, key):
    """Click the result's row in the Results panel, as the reviewer would (near its left end: the dock is narrow)."""
    panel = window.results
    rect = panel.visualItemRect(panel.row_of(key))
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 4, rect.center().y()))


def test_a_on_a_results_row_accepts_that_answer_not_the_region_selected_before(window, qtbot, tmp_path):
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    assert window.region_list.selected_key() == (PRED, "r1")
    click_result(qtbot, window, (PRED, "c1"))
    assert window.state.selection == (PRED, "c1") and window.region_list.selected_key() is None
    qtbot.keyClick(window.results, Qt.Key.Key_A)
    row = stored(tmp_path)
    assert row["decisions"] == {(0, "c1"): "accepted"}
    assert [(r["id"], r["origin"]) for r in row["results"]] == [("c1", "prediction")]
    assert row["results"][0]["value"] == {"choices": ["Day"]}
    assert window.results.mark((PRED, "c1")) == "✓" and window.results.mark((WORKING, "c1")) == "copy"
    assert "Accepted scene: Day" in window.statusBar().currentMessage()   # the answer named, not a bare score
    assert window.region_list.selected_key() == (PRED, "r1")  # on to the next undecided one
    assert "3 undecided" in window.review_desk.bar.counts.text() and "✓ 1" in window.review_desk.bar.counts.text()


def test_x_on_a_results_row_rejects_the_answer_and_takes_back_its_copy(window, qtbot, tmp_path):
    click_result(qtbot, window, (PRED, "c1"))
    qtbot.keyClick(window.results, Qt.Key.Key_A)
    click_result(qtbot, window, (PRED, "c1"))
    qtbot.keyClick(window.results, Qt.Key.Key_X)
    row = stored(tmp_path)
    assert row["decisions"] == {(0, "c1"): "rejected"} and row["results"] == []
    assert window.results.mark((PRED, "c1")) == "✗"
    assert "✗ 1" in window.review_desk.bar.counts.text()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert stored(tmp_path)["decisions"] == {(0, "c1"): "accepted"}


def test_copying_the_whole_prediction_keeps_rejections_and_says_so(window, qtbot, tmp_path):
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    qtbot.keyClick(window.view, Qt.Key.Key_X)  # r1 rejected
    click_result(qtbot, window, (PRED, "c1"))
    qtbot.keyClick(window.results, Qt.Key.Key_X)
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | SHIFT)
    row = stored(tmp_path)
    assert {r["id"] for r in row["results"]} == {"r2", "r3"}
    assert row["decisions"] == {(0, "r1"): "rejected", (0, "c1"): "rejected", (0, "r2"): "accepted",
                                (0, "r3"): "accepted"}
    assert ("Copied 2 regions of prediction 0; 2 rejected earlier were left out"
            in window.statusBar().currentMessage())
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | SHIFT)
    assert ("Prediction 0 is in the working annotation already; 2 rejected earlier were left out"
            in window.statusBar().currentMessage())
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the copy was one step; the rejections stay
    assert stored(tmp_path)["decisions"] == {(0, "r1"): "rejected", (0, "c1"): "rejected"}

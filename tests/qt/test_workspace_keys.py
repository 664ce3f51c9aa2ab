"""Every QA-workspace action is reachable by key: raise and lower the threshold, accept what is shown, compare on and
off, find tasks, next disagreement."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt


CTRL, ALT, SHIFT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier,
                    Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture
def window(review_window):
    return review_window


def test_threshold_keys_move_the_level_and_accept_what_is_shown(window, qtbot):
    control = window.workspace.threshold
    for _ in range(12):
        qtbot.keyClick(window.view, Qt.Key.Key_BracketRight, CTRL)          # 12 x 0.05 = 0.60
    assert control.panel.slider.value() == 60 and control.counts == (2, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_BracketLeft, CTRL)
    assert control.panel.slider.value() == 55
    qtbot.keyClick(window.view, Qt.Key.Key_A, CTRL | ALT)
    assert window.review.decisions(0) == {(0, "r1"): "accepted", (0, "r3"): "accepted", (0, "c1"): "accepted"}
    assert window.review.undo_label == "Accept 3 shown regions in this task"
    qtbot.keyClick(window.view, Qt.Key.Key_A, CTRL | ALT | SHIFT)           # every listed task
    assert window.review.decisions(1) == {(0, "s1"): "accepted"} and window.review.decisions(2) == {
        (0, "t1"): "accepted"}


def test_compare_and_find_keys(window, qtbot):
    panel = window.workspace.compare.panel
    qtbot.keyClick(window.view, Qt.Key.Key_D, SHIFT)
    assert panel.enabled.isChecked() and window.actions_by_name["compare"].isChecked()
    panel.enabled.setChecked(False)
    assert not window.actions_by_name["compare"].isChecked()
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    search = window.workspace.panel.filter_bar.search
    assert search.hasFocus()
    qtbot.keyClicks(search, "c.png")
    qtbot.waitUntil(lambda: window.workspace.order == [2], timeout=3_000)

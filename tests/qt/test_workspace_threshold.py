"""The confidence threshold: live counts, fading or hiding on the canvas, per-label levels, and "accept all
shown" for the task and for the listed tasks as one undoable step with decisions recorded."""

from __future__ import annotations

import pytest

from viewer.qt.canvas.scene import FADED

PRED = ("prediction", 0)


@pytest.fixture
def window(review_window):
    return review_window


def test_counts_fade_and_hide_follow_the_slider_and_the_label_levels(window):
    control = window.workspace.threshold
    panel, items = control.panel, window.scene.items_by_key
    assert control.counts == (3, 0)                     # r1 0.9, r2 0.5, r3 0.7; the choice has no place
    panel.slider.setValue(60)
    assert control.counts == (2, 1) and panel.counts.text() == "2 shown, 1 faded"
    assert items[(PRED, "r2")].opacity() == FADED and items[(PRED, "r1")].opacity() == 1.0
    panel.label_box("Car").setValue(0.8)                # r3 (Car, 0.7) now falls under its label's level
    assert control.counts == (1, 2) and items[(PRED, "r3")].opacity() == FADED
    panel.mode.setCurrentIndex(panel.mode.findData("hide"))
    assert control.counts == (1, 2) and panel.counts.text() == "1 shown, 2 hidden"
    assert not items[(PRED, "r3")].isVisible() and items[(PRED, "r1")].isVisible()
    assert items[(PRED, "r3")].opacity() == 1.0
    panel.slider.setValue(0)
    panel.label_box("Car").setValue(0.0)
    assert control.counts == (3, 0) and items[(PRED, "r3")].isVisible()


def test_accept_shown_in_the_task_is_one_step_with_decisions(window):
    control, review = window.workspace.threshold, window.review
    control.panel.slider.setValue(60)
    control.panel.accept_task.click()
    # the whole-object choice has no score, so nothing sets it aside: it is shown, and accepted with the rest
    assert review.decisions(0) == {(0, "r1"): "accepted", (0, "r3"): "accepted", (0, "c1"): "accepted"}
    assert review.undo_label == "Accept 3 shown regions in this task"
    review.undo()
    assert review.decisions(0) == {}


def test_accept_shown_in_the_listed_tasks_follows_the_filter(window):
    control, review, bar = window.workspace.threshold, window.review, window.workspace.panel.filter_bar
    bar.max_score.setValue(0.6)                         # tasks 1 and 2 (lowest scores 0.5 and 0.3)
    control.panel.slider.setValue(75)
    control.panel.accept_filtered.click()
    assert review.decisions(0) == {(0, "r1"): "accepted", (0, "c1"): "accepted"}
    assert review.decisions(1) == {(0, "s1"): "accepted"}
    assert review.decisions(2) == {}
    assert review.undo_label == "Accept 3 shown regions in 2 tasks"
    review.undo()
    assert review.decisions(0) == {} and review.decisions(1) == {}

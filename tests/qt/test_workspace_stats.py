"""The Statistics dock: figures of the listed tasks, following the filter and each review decision, plotted in the
window (bars checked by their pixels), and the same numbers as the plain region-by-region count."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from tests.core.figures_reference import figures
from viewer.qt.workspace.stats_panel import DECISION_COLORS


@pytest.fixture
def window(review_window, qtbot):
    review_window.workspace.statistics.dock.raise_()      # a tab beside the task list: shown, so it counts
    qtbot.waitUntil(lambda: review_window.workspace.statistics.panel.figures is not None)
    return review_window


def decide(window, task: int, accepted=(), rejected=()):
    review = window.review
    regions = {r.id: r for r in review.prediction_regions(task)}
    if accepted:
        review.accept(task, [regions[i] for i in accepted])
    if rejected:
        review.reject(task, [regions[i] for i in rejected])


def colour_pixels(widget, color: str) -> int:
    image = widget.grab().toImage()
    wanted = QColor(color).rgb()
    return sum(image.pixel(x, y) == wanted for y in range(0, image.height()) for x in range(0, image.width()))


def settled(qtbot, control, check) -> None:
    qtbot.waitUntil(lambda: not control._timer.isActive() and check(), timeout=5_000)


def test_the_panel_plots_regions_per_label_for_the_listed_tasks(window, qtbot):
    control = window.workspace.statistics
    panel = control.panel
    assert panel.per_label.categories == ["Car", "P"]
    assert panel.per_label.values() == {"v1": [5, 1]}
    assert panel.scope.text().startswith("All 3 tasks: 0 reviewed")
    window.workspace.panel.filter_bar.max_score.setValue(0.6)         # tasks 1 and 2
    settled(qtbot, control, lambda: panel.figures.tasks == 2)
    assert panel.per_label.values() == {"v1": [4, 1]}                 # t1 (task 3) is filtered out
    assert panel.scope.text().startswith("2 of 3 tasks (the task list's filter)")
    histogram = panel.histogram.values()
    assert histogram["Car"][panel.histogram.categories.index("0.9-1.0")] == 1
    assert histogram["Car"][panel.histogram.categories.index("0.3-0.4")] == 1


def test_decisions_and_precision_follow_the_review_and_undo(window, qtbot):
    control = window.workspace.statistics
    panel = control.panel
    # the legend's swatches are all the chart shows of each colour before any decision
    legend = {name: colour_pixels(panel.decisions, DECISION_COLORS[name]) for name in ("accepted", "rejected")}
    decide(window, 0, accepted=("r1", "r3"), rejected=("r2",))
    decide(window, 1, rejected=("s2",))
    settled(qtbot, control, lambda: panel.figures.reviewed_tasks == 2)
    assert panel.decisions.categories == ["Car", "P"]
    assert panel.decisions.values() == {"accepted": [2, None], "edited": [None, None], "rejected": [1, 1],
                                        "added": [None, None]}
    buckets = panel.decision_buckets
    assert buckets.values()["accepted"][buckets.categories.index("0.7-0.8")] == 1
    assert buckets.values()["rejected"][buckets.categories.index("0.3-0.4")] == 1
    precision = panel.precision.values()
    assert precision["Car"][0] == pytest.approx(2 / 3) and precision["Car"][4] == 1.0 and precision["P"][0] == 0
    # the same numbers as the plain region-by-region count
    core = figures(window.project, window.review.session)
    assert core.to_json() == panel.figures.to_json()
    # drawn: accepted and rejected bars are on screen in their colours
    assert colour_pixels(panel.decisions, DECISION_COLORS["accepted"]) > legend["accepted"] + 50
    assert colour_pixels(panel.decisions, DECISION_COLORS["rejected"]) > legend["rejected"] + 50
    while window.review.undo() is not None:
        pass
    settled(qtbot, control, lambda: panel.figures.reviewed_tasks == 0)
    assert colour_pixels(panel.decisions, DECISION_COLORS["accepted"]) == legend["accepted"]
    assert panel.decisions.values() == {"accepted": [], "edited": [], "rejected": [], "added": []}


def test_a_hidden_panel_counts_nothing_until_it_is_shown(window, qtbot):
    control = window.workspace.statistics
    window.workspace.dock.raise_()                                     # the task list's tab in front
    qtbot.waitUntil(lambda: control.dock.visibleRegion().isEmpty())
    seen = control.panel.figures
    decide(window, 0, accepted=("r1",))
    qtbot.wait(control._timer.interval() + 50)
    assert control.panel.figures is seen and control._stale
    control.dock.raise_()
    settled(qtbot, control, lambda: control.panel.figures is not seen)
    assert control.panel.figures.reviewed_tasks == 1


def test_a_failure_while_counting_is_said_and_tried_again(window, qtbot, monkeypatch):
    from viewer.qt.workspace import stats_control

    control = window.workspace.statistics

    def broken(project):
        raise ValueError("a bug of ours")

    monkeypatch.setattr(stats_control, "StatsIndex", broken)
    control.project_opened()                          # as if the project were opened anew
    qtbot.waitUntil(lambda: "could not be counted" in control.panel.scope.text(), timeout=5_000)
    assert "ValueError: a bug of ours" in control.panel.scope.text()
    monkeypatch.undo()
    control.changed()
    settled(qtbot, control, lambda: control.panel.scope.text().startswith("All 3 tasks"))

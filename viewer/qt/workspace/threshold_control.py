"""ThresholdControl: applies the confidence threshold to the task shown (faded on the canvas, or hidden through
the Visibility so canvas, region list, results and text view agree) and runs "accept all shown" as one command
(in slices with progress and Cancel when it spans many tasks).

Qt layer: wiring between ThresholdPanel, the views of the task shown and the review session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from viewer.core.region_keys import LayerKey
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.parts import ShowMessage
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.region_list import RegionList
from viewer.qt.widgets.results_panel import ResultsPanel
from viewer.qt.widgets.text_spans import TextReader
from viewer.qt.workspace.threshold import ScoreThreshold, ThresholdPanel

SET_ASIDE = ("classification", "other", "invalid")   # whole-object answers have no place to fade


@dataclass(frozen=True)
class ShownViews:
    """What shows the task's regions, and so fades or hides them with the threshold."""
    scene: RegionScene
    visibility: Visibility
    region_list: RegionList
    results: ResultsPanel
    text: TextReader


class ThresholdControl(QObject):
    def __init__(self, state: ViewState, signals: ViewSignals,
                 add_dock: Callable[[str, QWidget, Qt.DockWidgetArea], QDockWidget], actions: dict[str, QAction],
                 show_message: ShowMessage, shown: ShownViews, workspace):
        super().__init__(workspace)
        self.state, self.shown, self.show_message, self.workspace = state, shown, show_message, workspace
        self.threshold = ScoreThreshold()
        self.counts = (0, 0)
        self._layer_scores: dict[LayerKey, float | None] = {}
        self._hiding = False  # whether the last apply hid what is below the threshold
        self.panel = ThresholdPanel()
        self.dock = add_dock("Threshold", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.panel.changed.connect(self.apply)
        self.panel.accept_task_requested.connect(self._on_panel_accept_task_requested)
        self.panel.accept_filtered_requested.connect(self._on_panel_accept_filtered_requested)
        signals.task_shown.connect(lambda _index: self.apply())
        actions["accept_shown_task"].triggered.connect(self._on_panel_accept_task_requested)
        actions["accept_shown_listed"].triggered.connect(self._on_panel_accept_filtered_requested)
        actions["threshold_up"].triggered.connect(lambda: self.panel.step(1))
        actions["threshold_down"].triggered.connect(lambda: self.panel.step(-1))

    def project_opened(self, project) -> None:
        labels = sorted({label.stored for control in project.config.controls.values() for label in control.labels})
        self.panel.set_labels(labels)
        self.apply()

    def _below(self, layer_key: LayerKey, region: Region) -> bool:
        if layer_key[0] != "prediction":
            return False
        score = region.score if region.score is not None else self._layer_scores.get(layer_key)
        return self.threshold.below(region, score)

    def apply(self) -> None:
        """Fade or hide what is below the threshold in the task shown, and count it."""
        views = self.shown
        self.threshold = self.panel.threshold()
        task = self._task()
        regions = self.state.project.regions(task) if task is not None else []
        self._layer_scores = {(rs.source, rs.index): rs.score for rs, _ in regions}
        hiding = self.panel.hides() and self.threshold.active
        views.visibility.set_below_threshold(self._below if hiding else None)
        faded = set()
        if not hiding and self.threshold.active:
            faded = {key for key, item in views.scene.items_by_key.items() if self._below(key[0], item.region)}
        views.scene.set_dimmed(faded)
        if hiding or self._hiding:
            # what the threshold hides changed; with nothing hidden before or now, the views (just made for
            # the task shown, on every task shown) already show what the Visibility says
            views.scene.apply_visibility()
            views.region_list.apply_visibility(views.visibility)
            views.results.apply_visibility(views.visibility)
            if views.text.active:
                views.text.view.refresh()
        self._hiding = hiding
        shown = below = 0
        for result_set, region_set in regions:
            if result_set.source != "prediction":
                continue
            key = (result_set.source, result_set.index)
            for region in region_set.regions:
                if region.kind in SET_ASIDE:
                    continue
                if self._below(key, region):
                    below += 1
                elif views.visibility.region_shown(key, region):
                    shown += 1
        self.counts = (shown, below)
        self.panel.show_counts(shown, below)

    def _task(self) -> Task | None:
        return self.state.task()

    def _keeps(self, current: Task | None):
        """Which undecided prediction regions "accept all shown" takes: at or above the threshold, in no hidden
        layer or label, and (in the task shown) not hidden one by one."""
        threshold, visibility = self.threshold, self.shown.visibility

        def keep(task: Task, region: Region, score: float | None) -> bool:
            layer = ("prediction", region.source_index)
            return (not threshold.below(region, score) and visibility.layer_shown(layer)
                    and not visibility.label_hidden(region)
                    and not (task is current and (layer, region.id) in visibility.hidden_regions))
        return keep

    def accept_shown(self, task_indices: list[int]) -> None:
        """Accept the shown regions of these tasks as one undoable step; over many tasks it goes in slices, with
        progress and Cancel (ReviewController.start), and the status bar says what it did."""
        review = self.state.review
        if review is None or not task_indices:
            return
        where = "this task" if len(task_indices) == 1 else f"{len(task_indices):,} tasks"

        def done(label: str | None) -> None:
            self.show_message(label if label is not None else "No undecided region is shown")

        review.start_accept_where(
            task_indices, self._keeps(self._task()),
            lambda count: f"Accept {count:,} shown region{'s' if count != 1 else ''} in {where}", done)

    def _on_panel_accept_task_requested(self) -> None:
        if self.state.index >= 0:
            self.accept_shown([self.state.index])

    def _on_panel_accept_filtered_requested(self) -> None:
        self.accept_shown(list(self.workspace.order))

"""ThresholdControl: applies the confidence threshold to the task shown (faded on the canvas, or hidden through
the Visibility so canvas, region list, results and text view agree) and runs "accept all shown" as one command.

Qt layer: wiring between ThresholdPanel, the window and the review session.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from viewer.core.region_keys import LayerKey
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.qt.workspace.threshold import ScoreThreshold, ThresholdPanel

SET_ASIDE = ("classification", "other", "invalid")   # whole-object answers have no place to fade


class ThresholdControl(QObject):
    def __init__(self, window, workspace):
        super().__init__(window)
        self.window, self.workspace = window, workspace
        self.threshold = ScoreThreshold()
        self.counts = (0, 0)
        self._layer_scores: dict[LayerKey, float | None] = {}
        self.panel = ThresholdPanel(window)
        self.dock = window.add_dock("Threshold", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.panel.changed.connect(self.apply)
        self.panel.accept_task_requested.connect(self._on_panel_accept_task_requested)
        self.panel.accept_filtered_requested.connect(self._on_panel_accept_filtered_requested)
        window.task_shown.connect(lambda _index: self.apply())
        actions = window.actions_by_name
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
        window = self.window
        self.threshold = self.panel.threshold()
        task = self._task()
        regions = window.project.regions(task) if task is not None else []
        self._layer_scores = {(rs.source, rs.index): rs.score for rs, _ in regions}
        hiding = self.panel.hides() and self.threshold.active
        window.visibility.below_threshold = self._below if hiding else None
        faded = set()
        if not hiding and self.threshold.active:
            faded = {key for key, item in window.scene.items_by_key.items() if self._below(key[0], item.region)}
        window.scene.set_dimmed(faded)
        window.scene.apply_visibility()
        window.region_list.apply_visibility(window.visibility)
        window.results.apply_visibility(window.visibility)
        if window.text_page.active:
            window.text_page.view.refresh()
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
                elif window.visibility.region_shown(key, region):
                    shown += 1
        self.counts = (shown, below)
        self.panel.show_counts(shown, below)

    def _task(self) -> Task | None:
        return self.window.state.task()

    def _keeps(self, current: Task | None):
        """Which undecided prediction regions "accept all shown" takes: at or above the threshold, in no hidden
        layer or label, and (in the task shown) not hidden one by one."""
        threshold, visibility = self.threshold, self.window.visibility

        def keep(task: Task, region: Region, score: float | None) -> bool:
            layer = ("prediction", region.source_index)
            return (not threshold.below(region, score) and visibility.layer_shown(layer)
                    and not visibility.label_hidden(region)
                    and not (task is current and (layer, region.id) in visibility.hidden_regions))
        return keep

    def accept_shown(self, task_indices: list[int]) -> str | None:
        """Accept the shown regions of these tasks as one undoable step; the step's label, or None."""
        review = self.window.review
        if review is None or not task_indices:
            return None
        tasks = [review.project.tasks[i] for i in task_indices]
        where = "this task" if len(tasks) == 1 else f"{len(tasks):,} tasks"
        command = review.session.accept_where(
            tasks, self._keeps(self._task()),
            lambda count: f"Accept {count:,} shown region{'s' if count != 1 else ''} in {where}")
        message = command.label if command is not None else "No undecided region is shown"
        self.window.statusBar().showMessage(message)
        return command.label if command is not None else None

    def _on_panel_accept_task_requested(self) -> None:
        if self.window.index >= 0:
            self.accept_shown([self.window.index])

    def _on_panel_accept_filtered_requested(self) -> None:
        self.accept_shown(list(self.workspace.order))

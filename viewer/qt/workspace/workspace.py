"""Workspace: builds the task list dock, keeps its summaries in step with the open project and review session,
and moves Previous/Next task through the filtered, sorted list.

Qt layer: wiring between the main window, the review controller and viewer.core.task_index.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from viewer.core.task_index import TaskIndex
from viewer.qt.workspace.compare import CompareControl
from viewer.qt.workspace.task_panel import DiagnosticsCounter, TaskPanel
from viewer.qt.workspace.threshold_control import ThresholdControl


class Workspace(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.task_index: TaskIndex | None = None
        self._review = None
        self.panel = TaskPanel(window)
        self.dock = QDockWidget("Tasks", window)
        self.dock.setObjectName("Tasks")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.docks["Tasks"] = self.dock
        view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
        view_menu.addAction(self.dock.toggleViewAction())
        self.diagnostics = DiagnosticsCounter(self)
        self.threshold = ThresholdControl(window, self)
        self.compare = CompareControl(window, self)
        go_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Go")
        go_menu.addAction(window.actions_by_name["next_disagreement"])

        actions = window.actions_by_name
        # Next/previous go through the task list's order instead of the file's.
        for name, step in (("previous_task", -1), ("next_task", 1)):
            actions[name].triggered.disconnect()
            actions[name].triggered.connect(lambda _=False, step=step: self.step(step))
        # The review desk opens the session in the same call that announces the project: read it after that.
        window.project_changed.connect(lambda: QTimer.singleShot(0, self._on_window_project_changed))
        window.task_shown.connect(self._on_window_task_shown)
        self.panel.task_chosen.connect(window.show_task)
        self.panel.model.modelReset.connect(self.update_actions)
        self.diagnostics.counted.connect(lambda: self.panel.model.diagnostics_arrived(self.diagnostics.running))

    @property
    def order(self) -> list[int]:
        """The task indices the filter lets through, in the list's order."""
        return self.panel.model.order

    def _on_window_project_changed(self) -> None:
        project = self.window.project
        self.diagnostics.stop()
        self.task_index = TaskIndex(project.tasks) if project is not None else None
        self._read_review()
        self.panel.set_task_index(self.task_index)
        self.panel.show_current(self.window.index)
        if project is not None:
            self.diagnostics.start(project, self.task_index)
            self.threshold.project_opened(project)
            self.compare.project_opened(project, self.task_index.values("model_versions"))

    def _read_review(self) -> None:
        """Statuses from the review session of the open project (none without one)."""
        review = self.window.review
        if self._review is not None and self._review is not review:
            self._review.working_changed.disconnect(self._on_review_working_changed)
        if review is not None and review is not self._review:
            review.working_changed.connect(self._on_review_working_changed)
        self._review = review
        if self.task_index is None:
            return
        if review is None:
            self.task_index.update_review(lambda index: ("not-reviewed", False))
            return
        session, tasks = review.session, review.project.tasks

        def status_of(index: int) -> tuple[str, bool]:
            record = session.record(tasks[index])
            return record.status, bool(record.reviewed)
        self.task_index.update_review(status_of)

    def _on_review_working_changed(self, indices: set[int]) -> None:
        if self.task_index is None or self._review is None:
            return
        session, tasks, rows = self._review.session, self._review.project.tasks, self.task_index.rows
        for index in indices:
            record = session.record(tasks[index])
            rows[index].status, rows[index].reviewed = record.status, bool(record.reviewed)
        self.panel.model.review_changed(set(indices))
        self.panel.show_current(self.window.index)

    def _on_window_task_shown(self, index: int) -> None:
        self.panel.show_current(index)
        self.update_actions()

    def neighbour(self, step: int) -> int | None:
        """The task `step` rows from the shown one in the list; off the list, its first (next) or last (previous)."""
        order = self.order
        if not order:
            return None
        row = self.panel.model.row_of(self.window.index)
        if row is None:
            return order[0] if step > 0 else order[-1]
        target = row + step
        return order[target] if 0 <= target < len(order) else None

    def step(self, step: int) -> None:
        target = self.neighbour(step)
        if target is not None:
            self.window.show_task(target)
        self.update_actions()

    def update_actions(self) -> None:
        actions = self.window.actions_by_name
        actions["previous_task"].setEnabled(self.neighbour(-1) is not None)
        actions["next_task"].setEnabled(self.neighbour(1) is not None)

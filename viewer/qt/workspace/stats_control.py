"""StatisticsControl: keeps the Statistics dock on the tasks the task list shows, recomputing (shortly after the
filter or the review changes, and only while the dock is on screen) through one StatsIndex per project.

Qt layer: wiring between the workspace, the review session and StatisticsPanel.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget

from viewer.core.stats_index import StatsIndex
from viewer.qt.workspace.stats_panel import StatisticsPanel

SETTLE_MS = 150     # a burst of changes (typing a search, accepting region after region) is counted once


class StatisticsControl(QObject):
    def __init__(self, window, workspace):
        super().__init__(window)
        self.window, self.workspace = window, workspace
        self.index: StatsIndex | None = None
        self._indexed = None        # the project self.index was made from
        self.last_seconds = 0.0
        self._stale = True
        self.panel = StatisticsPanel(window)
        self.dock = QDockWidget("Statistics", window)
        self.dock.setObjectName("Statistics")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.docks["Statistics"] = self.dock
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        workspace.panel.model.modelReset.connect(self.changed)

    def project_opened(self) -> None:
        self.index = None
        self.changed()

    def review_changed(self, task_indices: set[int]) -> None:
        if self.index is not None:
            self.index.review_changed(task_indices)
        self.changed()

    def changed(self) -> None:
        """Something the figures depend on changed: count again soon if the dock is seen, else when it is."""
        self._stale = True
        if self._seen():
            self._timer.start()

    def _seen(self) -> bool:
        return self.dock.isVisible() and not self.dock.visibleRegion().isEmpty()

    def _on_dock_visibility_changed(self, visible: bool) -> None:
        if visible and self._stale:
            self._timer.start()

    def refresh(self) -> None:
        """Count the figures of the listed tasks now and plot them."""
        window = self.window
        if window.project is None or self.workspace.task_index is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            start = time.perf_counter()
            if self.index is None or self._indexed is not window.project:
                self.index, self._indexed = StatsIndex(window.project), window.project
            review = window.review
            order = self.workspace.order
            total = len(window.project.tasks)
            everything = len(order) == total
            figures = self.index.figures(review.session if review is not None else None,
                                         None if everything else order)
            self.last_seconds = time.perf_counter() - start
        finally:
            QApplication.restoreOverrideCursor()
        self._stale = False
        note = f"All {total:,} tasks" if everything else f"{len(order):,} of {total:,} tasks (the task list's filter)"
        self.panel.show_figures(figures, note)

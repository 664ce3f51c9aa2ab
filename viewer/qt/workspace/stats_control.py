"""StatisticsControl: keeps the Statistics dock on the tasks the task list shows, recomputing (shortly after the
filter or the review changes, and only while the dock is on screen) through one StatsIndex per project, which is
made on a worker thread the first time the dock is seen (seconds for 100,000 tasks).

Qt layer: wiring between the workspace, the view state (project and review session) and StatisticsPanel.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QWidget

from viewer.core.stats_index import StatsIndex
from viewer.core.view_state import ViewState
from viewer.qt.workspace.stats_panel import StatisticsPanel

SETTLE_MS = 150     # a burst of changes (typing a search, accepting region after region) is counted once


class StatisticsControl(QObject):
    index_built = Signal(object)             # the StatsIndex made, from the worker thread
    index_failed = Signal(object, str)       # (project, what went wrong), from the worker thread

    def __init__(self, state: ViewState, add_dock: Callable[[str, QWidget, Qt.DockWidgetArea], QDockWidget],
                 workspace):
        super().__init__(workspace)
        self.state, self.workspace = state, workspace
        self.index: StatsIndex | None = None
        self._building = None       # the project an index is being made for
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._stale = True
        self.panel = StatisticsPanel()
        self.dock = add_dock("Statistics", self.panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        self.index_built.connect(self._on_index_built)
        self.index_failed.connect(self._on_index_failed)
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
        self._hold_room(visible)

    def _hold_room(self, visible: bool) -> None:
        """Raised, the dock keeps one row of plots whole, with their axes and labels (the default bottom dock of a
        1000x700 window is shorter); hidden behind the task list's tab, it holds that list to nothing."""
        self.panel.setMinimumHeight(self.panel.least_height() if visible else 0)

    def refresh(self) -> None:
        """Count the figures of the listed tasks now and plot them (first making the project's index)."""
        project = self.state.project
        if project is None or self.workspace.task_index is None:
            return
        if self.index is None or self.index.project is not project:
            self._build(project)
            return
        review = self.state.review
        order = self.workspace.order
        total = len(project.tasks)
        everything = len(order) == total
        figures = self.index.figures(review.session if review is not None else None, None if everything else order)
        self._stale = False
        note = f"All {total:,} tasks" if everything else f"{len(order):,} of {total:,} tasks (the task list's filter)"
        self.panel.show_figures(figures, note)
        self._hold_room(self._seen())      # the legends may have grown

    def _build(self, project) -> None:
        if self._building is project:
            return
        self._building = project
        self.panel.scope.setText(f"Counting the regions of {len(project.tasks):,} tasks ...")
        self._pool.start(lambda: self._make_index(project))

    def _make_index(self, project) -> None:
        """On the worker thread. A bug of ours must not leave the panel counting for ever."""
        try:
            index = StatsIndex(project)
        except Exception as exc:
            self.index_failed.emit(project, f"{type(exc).__name__}: {exc}")
            return
        self.index_built.emit(index)

    def _on_index_failed(self, project, message: str) -> None:
        if self._building is project:
            self._building = None
        self._stale = True      # the next change, or showing the dock again, tries once more
        self.panel.scope.setText(f"The statistics could not be counted (internal error: {message})")

    def _on_index_built(self, index: StatsIndex) -> None:
        if self._building is index.project:
            self._building = None
        if index.project is not self.state.project:
            return      # another project was opened meanwhile
        self.index = index
        if self._seen():
            self.refresh()

    def wait(self) -> None:
        """Let an index being made finish (the window is closing)."""
        self._pool.waitForDone()

"""Workspace: builds the task list dock (and the threshold, compare and statistics docks), keeps its summaries in
step with the open project and review session, moves Previous/Next task through the filtered, sorted list, and
remembers the list's filter, order and column widths.

Qt layer: wiring between the view state, the review controller and viewer.core.task_index.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt
from PySide6.QtGui import QAction

from viewer.core.task_index import TaskIndex
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.parts import PanelHost, ShowMessage, menu_titled
from viewer.qt.settings import save_filter, stored_filter
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.region_list import RegionList
from viewer.qt.widgets.results_panel import ResultsPanel
from viewer.qt.widgets.text_spans import TextReader
from viewer.qt.workspace.compare import CompareControl
from viewer.qt.workspace.stats_control import StatisticsControl
from viewer.qt.workspace.task_panel import TaskListFiller, TaskPanel
from viewer.qt.workspace.threshold_control import ShownViews, ThresholdControl

HEADER_KEY = "tasks/header"


class Workspace(QObject):
    def __init__(self, state: ViewState, signals: ViewSignals, host: PanelHost, *, actions: dict[str, QAction],
                 settings: QSettings, show_task: Callable[[int], None], show_message: ShowMessage,
                 scene: RegionScene, visibility: Visibility, region_list: RegionList, results: ResultsPanel,
                 text: TextReader, parent: QObject | None = None):
        super().__init__(parent)
        self.state, self.settings, self.actions, self.show_task = state, settings, actions, show_task
        self.task_index: TaskIndex | None = None
        self._review = None
        self.panel = TaskPanel()
        self.dock = host.add_dock("Tasks", self.panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.filler = TaskListFiller(self)
        shown = ShownViews(scene, visibility, region_list, results, text)
        self.threshold = ThresholdControl(state, signals, host.add_dock, actions, show_message, shown, self)
        self.compare = CompareControl(state, signals, host.add_dock, actions, scene, show_task, show_message, self)
        self.statistics = StatisticsControl(state, host.add_dock, self)
        # Tabs, so the region list keeps its height and the plots get the window's width: Threshold and Compare
        # beside Results and Region under the region list, Statistics beside the task list.
        docks, across, down = host.docks, Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        for dock in (self.threshold.dock, self.compare.dock):
            host.tabifyDockWidget(docks["Results"], dock)
        host.tabifyDockWidget(self.dock, self.statistics.dock)
        docks["Region"].raise_()     # the editing panel stays the tab in front
        self.dock.raise_()
        host.resizeDocks([docks["Layers"], docks["Regions"]], [270, 380], across)
        host.resizeDocks([docks["Regions"], docks["Results"]], [420, 330], down)
        host.resizeDocks([self.dock], [250], down)
        self._restore_settings()
        go_menu = menu_titled(host, "&Go")
        go_menu.addSeparator()
        for name in ("find_tasks", "next_disagreement"):
            go_menu.addAction(actions[name])
        view_menu = menu_titled(host, "&View")
        view_menu.addSeparator()
        for name in ("compare", "threshold_up", "threshold_down"):
            view_menu.addAction(actions[name])
        review_menu = menu_titled(host, "&Review")
        review_menu.addSeparator()
        for name in ("accept_shown_task", "accept_shown_listed"):
            review_menu.addAction(actions[name])
        actions["find_tasks"].triggered.connect(self.find_tasks)

        # Next/previous go through the task list's order instead of the file's.
        for name, step in (("previous_task", -1), ("next_task", 1)):
            actions[name].triggered.disconnect()
            actions[name].triggered.connect(lambda _=False, step=step: self.step(step))
        signals.project_changed.connect(self._on_signals_project_changed)
        # the review desk opens the project's session before the project is announced; one opened or closed at
        # another time is read as it happens
        signals.review_changed.connect(self._on_signals_review_changed)
        signals.task_shown.connect(self._on_signals_task_shown)
        self.panel.task_chosen.connect(show_task)
        self.panel.model.modelReset.connect(self.update_actions)
        self.filler.counted.connect(lambda: self.panel.model.diagnostics_arrived(self.filler.running))
        self.filler.summarized.connect(self._on_filler_summarized)
        self.panel.filter_bar.filter_changed.connect(lambda rule: save_filter(settings, rule))

    def _restore_settings(self) -> None:
        """The last run's filter, order and column widths; a model version or label the next project lacks goes
        back to Any when it opens."""
        settings, bar = self.settings, self.panel.filter_bar
        rule = stored_filter(settings)
        if rule is not None:
            bar.set_rule(rule)        # its filter_changed sets the (still empty) list's rule
        state = settings.value(HEADER_KEY)
        if isinstance(state, QByteArray):
            # Its sortIndicatorChanged sets the list's order, as a click on the header does.
            self.panel.table.horizontalHeader().restoreState(state)

    def close(self) -> None:
        """The window is closing: keep the column widths and order (the filter is kept as it changes)."""
        self.settings.setValue(HEADER_KEY, self.panel.table.horizontalHeader().saveState())
        self.settings.sync()
        self.filler.stop()
        self.statistics.wait()

    def find_tasks(self) -> None:
        """Bring the task list forward and put the cursor in its search."""
        self.dock.show()
        self.dock.raise_()
        search = self.panel.filter_bar.search
        search.setFocus()
        search.selectAll()

    @property
    def order(self) -> list[int]:
        """The task indices the filter lets through, in the list's order."""
        return self.panel.model.order

    def _on_signals_project_changed(self) -> None:
        project = self.state.project
        self.filler.stop()
        # made on the loader's thread with the project (Project.task_index keeps it); a big file's rows are read
        # in the background from here on
        self.task_index = project.task_index() if project is not None else None
        self._read_review()
        self.panel.set_task_index(self.task_index)
        self.panel.show_current(self.state.index)
        if project is not None:
            self.threshold.project_opened(project)
            self.statistics.project_opened()
            self.filler.start(project, self.task_index)   # says summarized at once when every row is read

    def _on_filler_summarized(self) -> None:
        """Every row is read: offer the model versions and labels to filter and compare by."""
        self.panel.summaries_ready(self.task_index)
        self.compare.project_opened(self.state.project, self.task_index.values("model_versions"))

    def _on_signals_review_changed(self, _review) -> None:
        if self._session() is self._review:
            return
        self._read_review()
        if self.task_index is not None:
            self.panel.model.select()    # the statuses may decide which rows pass and their order
            self.panel.show_current(self.state.index)

    def _session(self):
        """The review controller of the open project; the next project's, opened while this one is still
        shown, holds none of these tasks."""
        review = self.state.review
        return review if review is not None and review.project is self.state.project else None

    def _read_review(self) -> None:
        """Statuses from the review session of the open project (none without one)."""
        review = self._session()
        if self._review is not None and self._review is not review:
            self._review.working_changed.disconnect(self._on_review_working_changed)
        if review is not None and review is not self._review:
            review.working_changed.connect(self._on_review_working_changed)
        self._review = review
        if self.task_index is None:
            return
        records = review.session.stored_records() if review is not None else []
        self.task_index.update_review({index: (record.status, bool(record.reviewed)) for index, record in records})

    def _on_review_working_changed(self, indices: set[int]) -> None:
        if self.task_index is None or self._review is None:
            return
        session, tasks, rows = self._review.session, self._review.project.tasks, self.task_index.rows
        for index in indices:
            record = session.record(tasks[index])
            rows[index].status, rows[index].reviewed = record.status, bool(record.reviewed)
        self.panel.model.review_changed(set(indices))
        self.panel.show_current(self.state.index)
        self.statistics.review_changed(set(indices))

    def _on_signals_task_shown(self, index: int) -> None:
        self.panel.show_current(index)
        self.update_actions()

    def neighbour(self, step: int) -> int | None:
        """The task `step` rows from the shown one in the list; off the list, its first (next) or last (previous)."""
        order = self.order
        if not order:
            return None
        row = self.panel.model.row_of(self.state.index)
        if row is None:
            return order[0] if step > 0 else order[-1]
        target = row + step
        return order[target] if 0 <= target < len(order) else None

    def step(self, step: int) -> None:
        target = self.neighbour(step)
        if target is not None:
            self.show_task(target)
        self.update_actions()

    def update_actions(self) -> None:
        actions = self.actions
        actions["previous_task"].setEnabled(self.neighbour(-1) is not None)
        actions["next_task"].setEnabled(self.neighbour(1) is not None)

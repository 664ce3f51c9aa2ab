"""TaskPanel: the task list dock (filter bar over a table of every task that passes it), and TaskListFiller,
which fills in the rows (counts, search text, diagnostics) after opening without holding up the window.

Qt layer over viewer.core.task_index and viewer.core.diagnostics.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from viewer.core.diagnostics import Diagnostic, diagnose_task
from viewer.core.download import download_control
from viewer.core.project import Project
from viewer.core.task_index import TaskIndex, needs_summaries
from viewer.qt.workspace.filter_bar import FilterBar
from viewer.qt.workspace.task_table import TaskTableModel

SLICE_S = 0.02        # background work per turn of the event loop: input still gets answered within a frame
ROWS_PER_STEP = 200   # task-list rows read between looks at the clock
REPORT_S = 0.5        # the table is told of new counts this often, not after every slice


class TaskListFiller(QObject):
    """Fills in the task list after opening, in short slices on the GUI thread: the rows' counts when the index
    left them for later (a second for 100,000 tasks), every task's search text (half a second), then each task's
    diagnostics, reported in batches. It keeps the diagnostics it finds (`found`, in the order found, and by task)
    so the Diagnostics panel lists them without checking any task twice."""

    summarized = Signal()   # every row's counts are read
    counted = Signal()      # some rows' diagnostics arrived
    finished = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._project: Project | None = None
        self._index: TaskIndex | None = None
        self._summarized = False    # every row's counts are read, and summarized was said
        self._searchable = 0        # rows whose search text is made
        self._next = 0              # rows whose diagnostics are counted
        self._reported = 0.0
        self.found: list[Diagnostic] = []               # every task's, in task-list order, as they arrive
        self._by_task: dict[int, list[Diagnostic]] = {}

    def diagnostics_of(self, index: int) -> list[Diagnostic]:
        """The diagnostics of task `index`, checked now if the slices have not reached it yet (the shown task)."""
        found = self._by_task.get(index)
        if found is None and self._project is not None:
            with download_control(allowed=False):
                found = self._by_task[index] = diagnose_task(self._project, self._project.tasks[index])
        return found or []

    def start(self, project: Project, task_index: TaskIndex) -> None:
        self._project, self._index, self._searchable, self._next = project, task_index, 0, 0
        self.found, self._by_task = [], {}
        self._summarized = task_index.ready
        self._reported = time.perf_counter()
        self._timer.start()
        if self._summarized:
            self.summarized.emit()

    def stop(self) -> None:
        self._timer.stop()
        self._project = self._index = None

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def search_ready(self) -> bool:
        return self._index is None or self._searchable >= len(self._index.rows)

    def _on_timer_timeout(self) -> None:
        rows, project, index = self._index.rows, self._project, self._index
        start = time.perf_counter()
        if not self._summarized:
            while not index.ready and time.perf_counter() - start < SLICE_S:
                index.ensure_some(ROWS_PER_STEP)
            if not index.ready:
                return
            self._summarized = True
            self.summarized.emit()
            if self._index is None:     # stopped by a slot of that signal
                return
        while self._searchable < len(rows) and time.perf_counter() - start < SLICE_S:
            self._index.search_text(rows[self._searchable])
            self._searchable += 1
        # No downloads here: this is the GUI thread. An http image not fetched yet counts as one problem until
        # the task is shown (the loader downloads it then, and a Cancel button can stop it).
        with download_control(allowed=False):
            while self._next < len(rows) and time.perf_counter() - start < SLICE_S:
                row = rows[self._next]
                found = self._by_task.get(row.index)
                if found is None:
                    found = self._by_task[row.index] = diagnose_task(project, project.tasks[row.index])
                self.found.extend(found)
                row.diagnostics = len(found)
                self._next += 1
        if self._next >= len(rows):
            self.stop()
            self.counted.emit()
            self.finished.emit()
        elif self._next and time.perf_counter() - self._reported > REPORT_S:
            self._reported = time.perf_counter()
            self.counted.emit()


def row_table(model, parent: QWidget) -> QTableView:
    """A read-only table of whole rows, one chosen at a time, with fixed row heights: the view never measures
    100,000 rows (the task list, the diagnostics list)."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(parent.fontMetrics().height() + 6)
    return table


class TaskPanel(QWidget):
    task_chosen = Signal(int)     # a task index, from a click or Enter on its row

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.filter_bar = FilterBar(self)
        self.model = TaskTableModel(self)
        self.table = row_table(self.model, self)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, self.table.horizontalHeader().sortIndicatorOrder())
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table)
        self.filter_bar.filter_changed.connect(self._on_filter_bar_filter_changed)
        self.table.clicked.connect(self._on_table_chosen)
        self.table.activated.connect(self._on_table_chosen)
        self.model.modelReset.connect(self._show_count)

    def set_task_index(self, task_index: TaskIndex | None) -> None:
        """Show these tasks. The filter's model versions and labels are offered once every row is read
        (summaries_ready), or at once when the remembered filter names some: a choice this project lacks must go
        back to Any before the rows are chosen."""
        if task_index is not None and needs_summaries(self.filter_bar.rule()):
            self.summaries_ready(task_index)
        self.model.rule = self.filter_bar.rule()
        self.model.set_task_index(task_index)

    def summaries_ready(self, task_index: TaskIndex) -> None:
        self.filter_bar.set_choices(task_index.values("model_versions"), task_index.values("labels"))

    def show_current(self, task: int) -> None:
        """Select the shown task's row (when it passes the filter) and scroll to it."""
        row = self.model.row_of(task)
        if row is None:
            self.table.clearSelection()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _on_filter_bar_filter_changed(self, rule) -> None:
        self.model.set_filter(rule)

    def _on_header_sort_indicator_changed(self, column: int, order) -> None:
        if column >= 0:
            self.model.sort(column, order)

    def _on_table_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.task_chosen.emit(self.model.task_at(index.row()))

    def _show_count(self) -> None:
        total = len(self.model.task_index.rows) if self.model.task_index is not None else 0
        self.filter_bar.count.setText(f"{len(self.model.order):,} of {total:,}")

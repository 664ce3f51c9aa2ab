"""DiagnosticsPanel: the problems `lsview validate` reports, readable in the window: the shown task's, or every
task's (filled in as the task list's background check finds them). A row's region is selected and scrolled into
view when the row is chosen; a row of another task shows that task first.

Qt layer over viewer.core.diagnostics; the diagnostics come from the TaskListFiller, which checks each task once.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QHeaderView, QLabel, QRadioButton, QVBoxLayout, QWidget

from viewer.core.content import TaskContent
from viewer.core.diagnostics import Diagnostic, diagnose_config
from viewer.core.region_keys import RegionKey
from viewer.core.tasks import id_text
from viewer.core.view_state import ViewState
from viewer.qt.parts import PanelHost
from viewer.qt.task_names import window_text
from viewer.qt.view_signals import ViewSignals
from viewer.qt.workspace.task_panel import TaskListFiller, row_table

COLUMNS = ("#", "Severity", "Code", "Message", "Result")
ERROR_COLOR = QColor(170, 20, 20)


def add_diagnostics_dock(host: PanelHost, panel: DiagnosticsPanel) -> None:
    """The panel's dock, a tab beside the task list (whose Diagnostics column it explains)."""
    dock = host.add_dock("Diagnostics", panel, Qt.DockWidgetArea.BottomDockWidgetArea)
    tasks = host.docks["Tasks"]
    host.tabifyDockWidget(tasks, dock)
    tasks.raise_()


def region_key(content: TaskContent | None, diagnostic: Diagnostic) -> RegionKey | None:
    """The key of the region (or whole-object result) a diagnostic is about, in the content shown; None when it
    names none drawn there (a task-wide problem, a relation, a result on another page)."""
    if content is None or diagnostic.source is None or diagnostic.source_index is None:
        return None
    layer = content.layer((diagnostic.source, diagnostic.source_index))
    if layer is None:
        return None
    for region in (*layer.regions, *layer.classifications, *layer.others):
        if diagnostic.result_id is not None and not region.id_generated and region.id == diagnostic.result_id:
            return layer.key, region.id
        if diagnostic.result_index is not None and diagnostic.result_index in region.result_indices:
            return layer.key, region.id
    return None


class DiagnosticsModel(QAbstractTableModel):
    """Diagnostics as table rows; rows only grow between resets, so the all-tasks list keeps its scroll."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Diagnostic] = []

    def reset(self, rows: list[Diagnostic]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def append(self, rows: list[Diagnostic]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        diagnostic = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(diagnostic, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return window_text(diagnostic.describe())
        if role == Qt.ItemDataRole.ForegroundRole and diagnostic.severity == "error" and index.column() == 1:
            return ERROR_COLOR
        return None

    @staticmethod
    def _text(diagnostic: Diagnostic, column: int) -> str:
        if column == 0:
            return "config" if diagnostic.task is None else f"{diagnostic.task + 1:,}"
        if column == 1:
            return diagnostic.severity
        if column == 2:
            return diagnostic.code
        if column == 3:
            return diagnostic.message
        if diagnostic.result_id is not None:
            return id_text(diagnostic.result_id)
        if diagnostic.result_index is not None:
            return f"result {diagnostic.result_index}"   # a result without an id: its place in the list
        return ""


class DiagnosticsPanel(QWidget):
    """The list, with a choice of the shown task's problems or every task's. `show_task` shows a task by index;
    `reveal` scrolls a region (by key) into view on the canvas."""

    def __init__(self, state: ViewState, signals: ViewSignals, filler: TaskListFiller, *,
                 show_task: Callable[[int], None], reveal: Callable[[RegionKey], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.filler, self.show_task, self.reveal = state, filler, show_task, reveal
        self._pending: Diagnostic | None = None   # chosen in another task: selected once that task is shown
        self._listed: list[Diagnostic] | None = None  # the filler's list the all-tasks rows were taken from
        self._config: list[Diagnostic] = []
        self.this_task = QRadioButton("This task")
        self.all_tasks = QRadioButton("All tasks")
        self.this_task.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.this_task)
        modes.addButton(self.all_tasks)
        self.count = QLabel("")
        self.model = DiagnosticsModel(self)
        self.table = row_table(self.model, self)
        header = self.table.horizontalHeader()
        # the message takes the room: a result id is short, and a message cut in half explains nothing
        for column, width in ((0, 60), (1, 70), (2, 170), (4, 110)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(COLUMNS.index("Message"), QHeaderView.ResizeMode.Stretch)
        bar = QHBoxLayout()
        bar.addWidget(self.this_task)
        bar.addWidget(self.all_tasks)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.all_tasks.toggled.connect(self._on_all_tasks_toggled)
        self.table.clicked.connect(self._on_table_chosen)
        self.table.activated.connect(self._on_table_chosen)
        signals.project_changed.connect(self._on_signals_project_changed)
        signals.task_shown.connect(self._on_signals_task_shown)
        filler.counted.connect(self._on_filler_counted)

    def choose(self, row: int) -> None:
        """As a click on row `row`: select its region, showing its task first when another is shown."""
        diagnostic = self.model.rows[row]
        if diagnostic.task is None:
            return
        if diagnostic.task != self.state.index:
            self._pending = diagnostic
            self.show_task(diagnostic.task)
            return
        self._select(diagnostic)

    def _select(self, diagnostic: Diagnostic) -> None:
        key = region_key(self.state.content, diagnostic)
        if key is None:
            return
        self.state.select(key, again=True)
        self.reveal(key)

    def _on_table_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.choose(index.row())

    def _on_all_tasks_toggled(self, _checked: bool) -> None:
        self._listed = None
        self._refill()

    def _on_signals_project_changed(self) -> None:
        project = self.state.project
        self._pending, self._listed = None, None
        self._config = diagnose_config(project.config) if project is not None else []
        self._refill()

    def _on_signals_task_shown(self, index: int) -> None:
        if not self.all_tasks.isChecked():
            self._refill()
        pending, self._pending = self._pending, None
        if pending is not None and pending.task == index:
            self._select(pending)

    def _on_filler_counted(self) -> None:
        if self.all_tasks.isChecked():
            self._refill()

    def _refill(self) -> None:
        if not self.all_tasks.isChecked():
            index = self.state.index
            shown = self.filler.diagnostics_of(index) if self.state.task() is not None else []
            self.model.reset(shown)
            self.count.setText(f"{len(shown):,} in this task")
            return
        found = self.filler.found
        if self._listed is not found:    # another project, or just switched: the config's, then the tasks' so far
            self._listed = found
            self.model.reset(self._config + found)
        else:
            self.model.append(found[len(self.model.rows) - len(self._config):])
        more = " so far, checking…" if self.filler.running else ""
        self.count.setText(f"{len(self.model.rows):,} in all tasks{more}")

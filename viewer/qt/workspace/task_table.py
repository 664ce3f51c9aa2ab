"""TaskTableModel: the task list as a Qt table over viewer.core.task_index, one row per task that passes the filter.

Qt layer. Rows are read straight from the summaries and sorted by TaskIndex.select, so 100,000 tasks need no
per-row objects and no sorting proxy.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from viewer.core.review.store import STATUS_NAMES
from viewer.core.task_index import TaskFilter, TaskIndex, TaskSummary
from viewer.core.tasks import id_text

# header, TaskSummary attribute. Regions have a shape on an object; Results are whole-task answers (Choices,
# TextArea ...), counted apart as the status bar counts them.
COLUMNS = (("#", "index"), ("Task id", "task_id"), ("Status", "status"), ("Models", "model_versions"),
           ("Regions", "regions"), ("Results", "results"), ("Lowest", "min_score"), ("Mean", "mean_score"),
           ("Labels", "labels"), ("Diagnostics", "diagnostics"), ("Reviewed", "reviewed"))
NUMERIC = {"index", "regions", "results", "min_score", "mean_score", "diagnostics"}
# Columns whose values a review change can alter: the filter or order must be chosen again when they count.
REVIEW_KEYS = {"status", "reviewed"}


def cell_text(row: TaskSummary, attribute: str) -> str:
    value = getattr(row, attribute)
    if attribute == "index":
        return f"{value + 1:,}"
    if attribute == "task_id":
        return "" if value is None else id_text(value)
    if value is None:
        return "…" if attribute == "diagnostics" else ""
    if attribute == "status":
        return STATUS_NAMES.get(value, value)
    if attribute == "reviewed":
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (tuple, frozenset)):
        return ", ".join(sorted(value))
    return str(value)


class TaskTableModel(QAbstractTableModel):
    """The filtered, sorted task list; `order` is the task indices shown, top to bottom."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.task_index: TaskIndex | None = None
        self.rule = TaskFilter()
        self.sort_key: str | None = None
        self.descending = False
        self.order: list[int] = []
        self._row_of: dict[int, int] | None = None

    def set_task_index(self, task_index: TaskIndex | None) -> None:
        self.task_index = task_index
        self.select()

    def set_filter(self, rule: TaskFilter) -> None:
        self.rule = rule
        self.select()

    def select(self) -> None:
        """Choose the rows again from the summaries (after a filter, order or review change)."""
        self.beginResetModel()
        self.order = [] if self.task_index is None else self.task_index.select(self.rule, self.sort_key,
                                                                              self.descending)
        self._row_of = None
        self.endResetModel()

    def row_of(self, task: int) -> int | None:
        if self._row_of is None:
            self._row_of = {index: row for row, index in enumerate(self.order)}
        return self._row_of.get(task)

    def task_at(self, row: int) -> int:
        return self.order[row]

    def review_changed(self, tasks: set[int]) -> None:
        """Statuses were read again for `tasks`: re-select when they decide the rows, else repaint those rows."""
        if self.rule.statuses or self.sort_key in REVIEW_KEYS:
            self.select()
            return
        rows = [row for row in map(self.row_of, tasks) if row is not None]
        if rows:  # one signal for their span: a view repaints only what it shows of it (20,000 signals: 0.3 s)
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))

    def diagnostics_arrived(self, more_coming: bool) -> None:
        """Counts arrived: repaint the column; the rows are chosen again once all are in, if they depend on it."""
        if not more_coming and (self.rule.diagnostics_only or self.sort_key == "diagnostics"):
            self.select()
        elif self.order:
            column = next(n for n, (_, attribute) in enumerate(COLUMNS) if attribute == "diagnostics")
            self.dataChanged.emit(self.index(0, column), self.index(len(self.order) - 1, column))

    # ------------------------------------------------------------------ Qt's calls

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.task_index is None:
            return None
        attribute = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(self.task_index.ensure(self.task_index.rows[self.order[index.row()]]), attribute)
        if role == Qt.ItemDataRole.TextAlignmentRole and attribute in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = COLUMNS[column][1]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.select()

"""RegionList: the task's regions as rows (label, kind, score, source); selecting a row selects on the canvas, and
each row's check box shows or hides its region (regions saved with `hidden: true` start unchecked).

Qt layer, a view over TaskContent and the Visibility. Reports selection and visibility as region keys.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from viewer.qt.visibility import RegionKey, Visibility
from viewer.render.content import TaskContent

KEY_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Label", "Kind", "Score", "Source")


class RegionList(QTreeWidget):
    region_chosen = Signal(object)          # RegionKey or None, when the user selects a row
    region_toggled = Signal(object, bool)   # (RegionKey, visible), when the user ticks a row's box

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # rows stay in file order (predictions, then annotations) so neighbours in the list are neighbours in JSON
        self._rows: dict[RegionKey, QTreeWidgetItem] = {}
        for column, width in enumerate((130, 72, 48)):  # fixed: measuring a thousand rows costs a frame
            self.setColumnWidth(column, width)
        self._keys: list[RegionKey] = []  # row data holds an index: Qt would turn tuple keys into lists
        self._regions = {}
        self.itemSelectionChanged.connect(self._on_self_selection_changed)
        self.itemChanged.connect(self._on_self_item_changed)

    def set_content(self, content: TaskContent, visibility: Visibility) -> None:
        self.blockSignals(True)
        try:
            self.clear()
            self._rows.clear()
            self._keys.clear()
            self._regions.clear()
            rows = []
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
            for layer, region in content.regions():
                score = "" if region.score is None else f"{region.score:.2f}"
                row = QTreeWidgetItem([", ".join(region.labels) or "(no label)", region.kind, score, layer.title])
                row.setFlags(flags)
                row.setData(0, KEY_ROLE, len(self._keys))
                key = (layer.key, region.id)
                self._keys.append(key)
                self._regions[key] = region
                rows.append(row)
                self._rows[key] = row
            self.addTopLevelItems(rows)
            self._apply(visibility)
        finally:
            self.blockSignals(False)

    def apply_visibility(self, visibility: Visibility) -> None:
        self.blockSignals(True)
        try:
            self._apply(visibility)
        finally:
            self.blockSignals(False)

    def _apply(self, visibility: Visibility) -> None:
        # Rows of hidden layers and labels stay listed but greyed out and unselectable: their regions are not
        # drawn, and the layer list or legend brings them back. A row's own box is the region's own switch.
        for key, row in self._rows.items():
            region = self._regions[key]
            row.setDisabled(not visibility.layer_shown(key[0]) or visibility.label_hidden(region))
            own = key not in visibility.hidden_regions
            row.setCheckState(0, Qt.CheckState.Checked if own else Qt.CheckState.Unchecked)

    def is_checked(self, key: RegionKey) -> bool:
        return self._rows[key].checkState(0) == Qt.CheckState.Checked

    def set_checked(self, key: RegionKey, visible: bool) -> None:
        """Tick or untick a row as the user would (emits region_toggled)."""
        self._rows[key].setCheckState(0, Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def select(self, key: RegionKey | None) -> None:
        self.blockSignals(True)
        try:
            self.clearSelection()
            row = self._rows.get(key) if key is not None else None
            if row is not None:
                row.setSelected(True)
                self.setCurrentItem(row)
                self.scrollToItem(row)
        finally:
            self.blockSignals(False)

    def selected_key(self) -> RegionKey | None:
        rows = self.selectedItems()
        return self._keys[rows[0].data(0, KEY_ROLE)] if rows else None

    def _on_self_selection_changed(self) -> None:
        self.region_chosen.emit(self.selected_key())

    def _on_self_item_changed(self, row: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self.region_toggled.emit(self._keys[row.data(0, KEY_ROLE)], row.checkState(0) == Qt.CheckState.Checked)

"""RegionList: the task's regions as rows (label, kind, score, source); selecting a row selects on the canvas.

Qt layer, a view over TaskContent. Reports and accepts selection as region keys, so it never touches items.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from viewer.qt.canvas.items import RegionKey
from viewer.render.content import TaskContent

KEY_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Label", "Kind", "Score", "Source")


class RegionList(QTreeWidget):
    region_chosen = Signal(object)  # RegionKey or None, when the user selects a row

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
        for column, width in enumerate((110, 72, 48)):  # fixed: measuring a thousand rows costs a frame
            self.setColumnWidth(column, width)
        self._keys: list[RegionKey] = []  # row data holds an index: Qt would turn tuple keys into lists
        self.itemSelectionChanged.connect(self._on_self_selection_changed)

    def set_content(self, content: TaskContent, hidden_layers: set) -> None:
        self.blockSignals(True)
        try:
            self.clear()
            self._rows.clear()
            self._keys.clear()
            rows = []
            for layer, region in content.regions():
                score = "" if region.score is None else f"{region.score:.2f}"
                row = QTreeWidgetItem([", ".join(region.labels) or "(no label)", region.kind, score, layer.title])
                row.setData(0, KEY_ROLE, len(self._keys))
                self._keys.append((layer.key, region.id))
                rows.append(row)
                self._rows[(layer.key, region.id)] = row
            self.addTopLevelItems(rows)
            self.set_hidden_layers(hidden_layers)
        finally:
            self.blockSignals(False)

    def set_hidden_layers(self, hidden_layers: set) -> None:
        """Rows of hidden layers stay listed but greyed out and unselectable, as their regions are not drawn."""
        for key, row in self._rows.items():
            row.setDisabled(key[0] in hidden_layers)

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

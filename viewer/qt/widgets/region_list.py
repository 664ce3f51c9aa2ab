"""RegionList: the task's regions as rows (label, review mark, kind, score, source); selecting a row selects on the
canvas, and each row's check box shows or hides its region (regions saved with `hidden: true` start unchecked).

Qt layer, a view over TaskContent and the Visibility. Reports selection and visibility as region keys.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from viewer.core.region_keys import RegionKey
from viewer.core.regions import Region
from viewer.core.visibility import Visibility
from viewer.render.content import TaskContent

KEY_ROLE = Qt.ItemDataRole.UserRole
# made once: or-ing Qt's flag enums in Python costs more than the rest of a row
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
CENTRED = Qt.AlignmentFlag.AlignCenter
COLUMNS = ("Label", "Review", "Kind", "Score", "Source")
REVIEW_COLUMN = 1


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
        for column, width in enumerate((130, 46, 72, 48)):  # fixed: measuring a thousand rows costs a frame
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
            rows = [self._row(layer, region) for layer, region in content.regions()]
            self._apply(visibility)  # before the rows are in the tree: a change there repaints nothing yet
            self.addTopLevelItems(rows)
        finally:
            self.blockSignals(False)

    def _row(self, layer, region) -> QTreeWidgetItem:
        score = "" if region.score is None else f"{region.score:.2f}"
        row = QTreeWidgetItem([", ".join(region.labels) or "(no label)", "", region.kind, score, layer.title])
        row.setFlags(ROW_FLAGS)
        row.setTextAlignment(REVIEW_COLUMN, CENTRED)
        row.setCheckState(0, Qt.CheckState.Checked)  # a row without a state has no box; _apply sets the real one
        row.setData(0, KEY_ROLE, len(self._keys))
        key = (layer.key, region.id)
        self._keys.append(key)
        self._regions[key] = region
        self._rows[key] = row
        return row

    def update_layer(self, content: TaskContent, key, visibility: Visibility) -> None:
        """List a changed layer again (the working annotation after a review command), at the end of the list.

        The selected row stays selected when its region is still there; no signal goes out.
        """
        self.blockSignals(True)
        try:
            selected = self.selected_key()
            for gone in [k for k in self._rows if k[0] == key]:
                row = self._rows.pop(gone)
                self._regions.pop(gone)
                self.takeTopLevelItem(self.indexOfTopLevelItem(row))
            layer = next((candidate for candidate in content.layers if candidate.key == key), None)
            if layer is not None:
                self.addTopLevelItems([self._row(layer, region) for region in layer.regions])
            self._apply(visibility, [k for k in self._rows if k[0] == key])
            if selected is not None and selected[0] == key:
                self.select(selected)
        finally:
            self.blockSignals(False)

    def set_marks(self, marks: dict[RegionKey, str], tips: dict[str, str]) -> None:
        """The Review column: a mark per region (accepted, rejected, copied ...), blank for the rest."""
        for key, row in self._rows.items():
            mark = marks.get(key, "")
            if row.text(REVIEW_COLUMN) != mark:
                row.setText(REVIEW_COLUMN, mark)
                row.setToolTip(REVIEW_COLUMN, tips.get(mark, ""))

    def mark(self, key: RegionKey) -> str:
        return self._rows[key].text(REVIEW_COLUMN)

    def entries(self, greyed: bool = False) -> list[tuple[RegionKey, Region]]:
        """The listed regions in row order; rows greyed out by a hidden layer or label only when asked."""
        rows = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        keys = (self._keys[row.data(0, KEY_ROLE)] for row in rows if greyed or not row.isDisabled())
        return [(key, self._regions[key]) for key in keys]

    def region(self, key: RegionKey) -> Region | None:
        return self._regions.get(key)

    def apply_visibility(self, visibility: Visibility) -> None:
        self.blockSignals(True)
        try:
            self._apply(visibility)
        finally:
            self.blockSignals(False)

    def _apply(self, visibility: Visibility, keys=None) -> None:
        # Rows of hidden layers and labels stay listed but greyed out and unselectable: their regions are not
        # drawn, and the layer list or legend brings them back. A row's own box is the region's own switch.
        # Only what changes is set: each change of a listed row is a signal of the tree's model (the threshold
        # applies the visibility again whenever a task shows).
        checked, unchecked = Qt.CheckState.Checked, Qt.CheckState.Unchecked
        for key in self._rows if keys is None else keys:
            row, region = self._rows[key], self._regions[key]
            disabled = not visibility.layer_shown(key[0]) or visibility.label_hidden(region)
            if row.isDisabled() != disabled:
                row.setDisabled(disabled)
            state = unchecked if key in visibility.hidden_regions else checked
            if row.checkState(0) != state:
                row.setCheckState(0, state)

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

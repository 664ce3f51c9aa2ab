"""ResultsPanel: the task's whole-object results (choices, textarea, rating, number, datetime, taxonomy, pairwise,
ranker ...) under the prediction or annotation they belong to; hidden layers are hidden here too. A row is a
region's, so selecting it selects that result for the review keys, like a row of the region list.

Qt layer, a view over TaskContent; the words come from viewer.render.readable. Reports selection as region keys.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from viewer.core.config import LabelConfig
from viewer.core.region_keys import RegionKey
from viewer.core.regions import Region
from viewer.core.visibility import Visibility
from viewer.render.content import TaskContent
from viewer.render.readable import classification_rows

NONE_TEXT = "no whole-object results"
KEY_ROLE = Qt.ItemDataRole.UserRole
REVIEW_COLUMN = 2


class ResultsPanel(QTreeWidget):
    result_chosen = Signal(object)  # RegionKey or None, when the user selects a row

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels(("Control", "Value", "Review"))
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(REVIEW_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._layer_rows: dict[tuple[str, int], QTreeWidgetItem] = {}
        # A region with several controls (one id, choices and a textarea) has a row for each.
        self._rows: dict[RegionKey, list[QTreeWidgetItem]] = {}
        self._keys: list[RegionKey] = []  # row data holds an index: Qt would turn tuple keys into lists
        self._regions: dict[RegionKey, Region] = {}
        self.itemSelectionChanged.connect(self._on_self_selection_changed)

    def set_content(self, config: LabelConfig, content: TaskContent, visibility: Visibility,
                    keep_selection: bool = False) -> None:
        """List the content's whole-object results; no signal goes out. `keep_selection`: the same task listed
        again (the working annotation after a review command), so the selected result stays selected."""
        self.blockSignals(True)
        try:
            selected = self.selected_key() if keep_selection else None
            self._fill(config, content)
            self.apply_visibility(visibility)
            if selected is not None:
                self.select(selected)
        finally:
            self.blockSignals(False)

    def _fill(self, config: LabelConfig, content: TaskContent) -> None:
        self.clear()
        self._layer_rows.clear()
        self._rows.clear()
        self._keys.clear()
        self._regions.clear()
        for layer in content.layers:
            top = QTreeWidgetItem([layer.title, ""])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setToolTip(0, layer.title)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a title, not a result: nothing to decide
            self.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)  # the title names source and model version: give it the full width
            self._layer_rows[layer.key] = top
            rows = classification_rows(config, layer)
            for row in rows:
                name = row.control + (f" · page {row.page + 1}" if row.page is not None else "")
                child = QTreeWidgetItem([name, row.text.replace("\n", " ⏎ "), ""])
                child.setToolTip(0, f"{row.control}: {row.kind}")
                child.setToolTip(1, row.text)
                child.setTextAlignment(REVIEW_COLUMN, Qt.AlignmentFlag.AlignCenter)
                key = (layer.key, row.region.id)
                if key not in self._regions:
                    self._keys.append(key)
                    self._regions[key] = row.region
                child.setData(0, KEY_ROLE, self._keys.index(key))
                self._rows.setdefault(key, []).append(child)
                top.addChild(child)
            if not rows:
                child = QTreeWidgetItem([NONE_TEXT, "", ""])
                child.setDisabled(True)
                italic = QFont(child.font(0))
                italic.setItalic(True)
                child.setFont(0, italic)
                top.addChild(child)
            top.setExpanded(True)

    def apply_visibility(self, visibility: Visibility) -> None:
        for key, top in self._layer_rows.items():
            top.setHidden(not visibility.layer_shown(key))

    def entries(self, hidden: bool = False) -> list[tuple[RegionKey, Region]]:
        """The listed whole-object results, one per region, in row order; those of hidden layers only when
        asked."""
        return [(key, self._regions[key]) for key in self._keys
                if hidden or not self._rows[key][0].parent().isHidden()]

    def region(self, key: RegionKey) -> Region | None:
        return self._regions.get(key)

    def set_marks(self, marks: dict[RegionKey, str], tips: dict[str, str]) -> None:
        """The Review column: a mark per result (accepted, rejected, copied ...), blank for the rest."""
        for key, rows in self._rows.items():
            mark = marks.get(key, "")
            for row in rows:
                if row.text(REVIEW_COLUMN) != mark:
                    row.setText(REVIEW_COLUMN, mark)
                    row.setToolTip(REVIEW_COLUMN, tips.get(mark, ""))

    def mark(self, key: RegionKey) -> str:
        return self._rows[key][0].text(REVIEW_COLUMN)

    def select(self, key: RegionKey | None) -> None:
        """Select the result's first row (nothing when it is not listed here); no signal goes out."""
        self.blockSignals(True)
        try:
            self.clearSelection()
            rows = self._rows.get(key) if key is not None else None
            if rows:
                rows[0].setSelected(True)
                self.setCurrentItem(rows[0])
                self.scrollToItem(rows[0])
        finally:
            self.blockSignals(False)

    def selected_key(self) -> RegionKey | None:
        rows = self.selectedItems()
        index = rows[0].data(0, KEY_ROLE) if rows else None
        return self._keys[index] if index is not None else None

    def row_of(self, key: RegionKey) -> QTreeWidgetItem:
        return self._rows[key][0]

    def _on_self_selection_changed(self) -> None:
        self.result_chosen.emit(self.selected_key())

    def layer_row(self, key: tuple[str, int]) -> QTreeWidgetItem:
        return self._layer_rows[key]

    def rows(self) -> list[tuple[str, str, str]]:
        """(layer title, control, value) for every result listed, in order."""
        out = []
        for index in range(self.topLevelItemCount()):
            top = self.topLevelItem(index)
            for child in range(top.childCount()):
                item = top.child(child)
                if not item.isDisabled():
                    out.append((top.text(0), item.text(0), item.text(1)))
        return out

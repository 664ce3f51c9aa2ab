"""ResultsPanel: the task's whole-object results (choices, textarea, rating, number, datetime, taxonomy, pairwise,
ranker ...) under the prediction or annotation they belong to; hidden layers are hidden here too.

Qt layer, a view over TaskContent; the words come from viewer.render.readable.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from viewer.core.config import LabelConfig
from viewer.core.visibility import Visibility
from viewer.render.content import TaskContent
from viewer.render.readable import classification_rows

NONE_TEXT = "no whole-object results"


class ResultsPanel(QTreeWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels(("Control", "Value"))
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)
        self._layer_rows: dict[tuple[str, int], QTreeWidgetItem] = {}

    def set_content(self, config: LabelConfig, content: TaskContent, visibility: Visibility) -> None:
        self.clear()
        self._layer_rows.clear()
        for layer in content.layers:
            top = QTreeWidgetItem([layer.title, ""])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setToolTip(0, layer.title)
            self.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)  # the title names source and model version: give it the full width
            self._layer_rows[layer.key] = top
            rows = classification_rows(config, layer)
            for row in rows:
                name = row.control + (f" · page {row.page + 1}" if row.page is not None else "")
                child = QTreeWidgetItem([name, row.text.replace("\n", " ⏎ ")])
                child.setToolTip(0, f"{row.control}: {row.kind}")
                child.setToolTip(1, row.text)
                top.addChild(child)
            if not rows:
                child = QTreeWidgetItem([NONE_TEXT, ""])
                child.setDisabled(True)
                italic = QFont(child.font(0))
                italic.setItalic(True)
                child.setFont(0, italic)
                top.addChild(child)
            top.setExpanded(True)
        self.apply_visibility(visibility)

    def apply_visibility(self, visibility: Visibility) -> None:
        for key, top in self._layer_rows.items():
            top.setHidden(not visibility.layer_shown(key))

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

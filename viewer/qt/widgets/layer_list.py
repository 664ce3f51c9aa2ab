"""LayerList: one checkbox per prediction (with its model version) and per annotation of the task shown.

Qt layer. Layer choices are remembered by (source, index) so they carry over from task to task.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from viewer.core.visibility import Visibility
from viewer.render.content import TaskContent

KEY_ROLE = Qt.ItemDataRole.UserRole


class LayerList(QListWidget):
    layer_toggled = Signal(object, bool)  # (layer key, visible)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._keys: list[tuple[str, int]] = []  # item data holds an index: Qt would turn tuples into lists
        self.itemChanged.connect(self._on_self_item_changed)

    def set_content(self, content: TaskContent, visibility: Visibility) -> None:
        self.blockSignals(True)
        try:
            self.clear()
            self._keys = [layer.key for layer in content.layers]
            for index, layer in enumerate(content.layers):
                item = QListWidgetItem(f"{layer.title}  ({len(layer.regions)})")
                item.setToolTip(item.text())   # the whole name: the dock is narrower than most titles
                item.setData(KEY_ROLE, index)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                shown = visibility.layer_shown(layer.key)
                item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
                self.addItem(item)
        finally:
            self.blockSignals(False)

    def set_visible(self, key: tuple[str, int], visible: bool) -> None:
        """Check or uncheck a layer as the user would (emits layer_toggled)."""
        for row in range(self.count()):
            item = self.item(row)
            if self._keys[item.data(KEY_ROLE)] == key:
                item.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def _on_self_item_changed(self, item: QListWidgetItem) -> None:
        self.layer_toggled.emit(self._keys[item.data(KEY_ROLE)], item.checkState() == Qt.CheckState.Checked)

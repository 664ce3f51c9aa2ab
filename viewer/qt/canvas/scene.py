"""RegionScene: the only bridge from a task's content to graphics items (DESIGN rule 3).

Qt layer. Keeps the region-key -> item map, layer visibility and the tag switch; reports selection in keys.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene

from viewer.core.shapes import Bitmask, Mask
from viewer.qt.canvas.items import KeyPointItem, RegionItem, RegionKey, TagItem, make_item
from viewer.render import qtgeom
from viewer.render.content import TaskContent
from viewer.render.painter import RegionPainter

Z_IMAGE, Z_MASK, Z_SHAPE = -1.0, 0.0, 1.0


class RegionScene(QGraphicsScene):
    """The image and one item per region of the task shown; empty until a task is set."""

    selection_changed_to = Signal(object)  # the selected RegionKey, or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.content: TaskContent | None = None
        self.items_by_key: dict[RegionKey, RegionItem] = {}
        self.image_item: QGraphicsPixmapItem | None = None
        self.hidden_layers: set[tuple[str, int]] = set()
        self.tags_shown = True
        self.fit_scale = 1.0
        self.selectionChanged.connect(self._on_self_selection_changed)

    def set_task(self, content: TaskContent, image: QImage, painter: RegionPainter) -> None:
        """Show a task: its image (or placeholder) and one item per region; layer choices carry over."""
        self.blockSignals(True)
        try:
            self.clear()
            self.items_by_key.clear()
        finally:
            self.blockSignals(False)
        self.content = content
        self.image_item = QGraphicsPixmapItem(QPixmap.fromImage(image))
        self.image_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.image_item.setZValue(Z_IMAGE)
        if image.width() != content.size[0] or image.height() != content.size[1]:
            self.image_item.setScale(content.size[0] / max(image.width(), 1))
        self.addItem(self.image_item)
        for layer, region in content.regions():
            item = make_item(region, layer, painter, content.size)
            item.setZValue(Z_MASK if isinstance(region.shape, (Mask, Bitmask)) else Z_SHAPE)
            if isinstance(item, KeyPointItem):
                item.set_fit_scale(self.fit_scale)
            item.setVisible(layer.key not in self.hidden_layers)
            self._show_tag(item)
            self.addItem(item)
            self.items_by_key[item.key] = item
        self.setSceneRect(qtgeom.image_rect(content.size))
        self.selection_changed_to.emit(None)

    def _show_tag(self, item: RegionItem) -> None:
        for child in item.childItems():
            if isinstance(child, TagItem):
                child.setVisible(self.tags_shown)

    def set_tags_shown(self, shown: bool) -> None:
        self.tags_shown = shown
        for item in self.items_by_key.values():
            self._show_tag(item)

    def set_layer_visible(self, layer_key: tuple[str, int], visible: bool) -> None:
        if visible:
            self.hidden_layers.discard(layer_key)
        else:
            self.hidden_layers.add(layer_key)
        for key, item in self.items_by_key.items():
            if key[0] == layer_key:
                item.setVisible(visible)

    def set_fit_scale(self, scale: float) -> None:
        """The view's fit zoom (at most 1), which sets keypoint sizes as the editor's base zoom does."""
        self.fit_scale = scale
        for item in self.items_by_key.values():
            if isinstance(item, KeyPointItem):
                item.set_fit_scale(scale)

    def selected_key(self) -> RegionKey | None:
        chosen = [i for i in self.selectedItems() if isinstance(i, RegionItem)]
        return chosen[0].key if chosen else None

    def select(self, key: RegionKey | None) -> None:
        """Select one region (or none) without echoing it back as a user selection."""
        self.blockSignals(True)
        try:
            self.clearSelection()
            item = self.items_by_key.get(key) if key is not None else None
            if item is not None:
                item.setSelected(True)  # an item of a hidden layer stays unselected, as Qt wants
        finally:
            self.blockSignals(False)
        self.update()

    def _on_self_selection_changed(self) -> None:
        self.selection_changed_to.emit(self.selected_key())

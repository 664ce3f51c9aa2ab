"""RegionScene: the only bridge from a task's content to graphics items (DESIGN rule 3).

Qt layer. Keeps the region-key -> item map and the relation items, applies what the Visibility says is hidden,
and reports selection in keys.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene

from viewer.core.region_keys import LayerKey
from viewer.core.region_kinds import MASK_KINDS
from viewer.core.regions import Region
from viewer.core.visibility import Visibility
from viewer.qt.canvas.items import KeyPointItem, RegionItem, RegionKey, make_item, set_tag
from viewer.qt.canvas.relation_item import RelationItem
from viewer.render import qtgeom, relations
from viewer.render.content import Layer, TaskContent, tag_text
from viewer.render.painter import RegionPainter

# the editor stacks masks under shapes and draws relations over everything
Z_IMAGE, Z_MASK, Z_SHAPE, Z_RELATION = -1.0, 0.0, 1.0, 2.0
FADED = 0.3  # opacity of rejected prediction regions: still there to compare with, clearly set aside


def _same_results(old: Region, new: Region) -> bool:
    # Results are never changed in place, so an unchanged region keeps the very same dicts: identity first.
    return len(old.results) == len(new.results) and all(
        a is b or a == b for a, b in zip(old.results, new.results))


class RegionScene(QGraphicsScene):
    """The image and one item per region of the task shown; empty until a task is set."""

    selection_changed_to = Signal(object)  # the selected RegionKey, or None
    task_set = Signal()                    # every item was made anew (another task, or its regions changed)
    layer_updated = Signal(object)         # the LayerKey whose items update_layer brought up to date
    shown_changed = Signal()               # what is shown changed: hidden regions, tags or relations
    tags_switched = Signal()               # tags were switched on or off: each is hidden until placed again

    def __init__(self, parent=None, visibility: Visibility | None = None):
        super().__init__(parent)
        self.content: TaskContent | None = None
        self.visibility = visibility if visibility is not None else Visibility()
        self.items_by_key: dict[RegionKey, RegionItem] = {}
        self.relation_items: list[RelationItem] = []
        self.image_item: QGraphicsPixmapItem | None = None
        self.tags_shown = True
        self.transcriptions_shown = True   # a per-region TextArea's text (OCR) in the region's tag
        self.relations_shown = True
        self.fit_scale = 1.0
        self.unit = 1.0
        self._rejected: set[RegionKey] = set()
        self._dimmed: set[RegionKey] = set()
        self._faint: set[RegionKey] = set()  # the items drawn faint now: each review key changes a few of 1,000
        self._overrides: dict[RegionKey, str] = {}
        self.selectionChanged.connect(self._on_self_selection_changed)

    def clear_task(self) -> None:
        self.blockSignals(True)
        try:
            self.clear()
            self.items_by_key.clear()
            self._faint.clear()
            self.relation_items.clear()
            self.image_item = None
            self.content = None
        finally:
            self.blockSignals(False)

    def set_task(self, content: TaskContent, image: QImage, painter: RegionPainter) -> None:
        """Show a task's page: its image (or placeholder), one item per region and one per relation.

        Call Visibility.start_task first: what it hides is applied here.
        """
        self.clear_task()
        self.content = content
        self.image_item = QGraphicsPixmapItem(QPixmap.fromImage(image))
        self.image_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.image_item.setZValue(Z_IMAGE)
        if image.width() != content.size[0] or image.height() != content.size[1]:
            # a bounded placeholder (render.content.drawn_size) stretched over the region space, which stays
            # in the task's numbers: its sides are rounded separately, so each gets its own factor
            self.image_item.setTransform(QTransform.fromScale(content.size[0] / max(image.width(), 1),
                                                              content.size[1] / max(image.height(), 1)))
        self.addItem(self.image_item)
        for layer, region in content.regions():
            self._add_region(layer, region, painter)
        for layer in content.layers:
            self._add_relations(layer)
        self.apply_visibility()
        self.setSceneRect(qtgeom.image_rect(content.size))
        self.selection_changed_to.emit(None)
        self.task_set.emit()

    def _add_region(self, layer: Layer, region: Region, painter: RegionPainter) -> None:
        item = make_item(region, layer, painter, self.content.size, self.transcriptions_shown)
        item.setZValue(Z_MASK if region.kind in MASK_KINDS else Z_SHAPE)
        if isinstance(item, KeyPointItem):
            item.set_fit_scale(self.fit_scale)
        if not self.tags_shown and item.tag is not None:  # a new tag is visible already
            item.tag.setVisible(False)
        color = self._overrides.get(item.key)
        item.override = QColor(color) if color is not None else None
        self.addItem(item)
        self.items_by_key[item.key] = item
        self._faint.discard(item.key)  # made anew at full strength

    def _add_relations(self, layer: Layer) -> None:
        items = {region.id: self.items_by_key[(layer.key, region.id)] for region in layer.regions}
        for relation, start, end in relations.drawable(layer.relations, {r.id: r for r in layer.regions}):
            line = RelationItem(relation, items[start.id], items[end.id])
            line.setZValue(Z_RELATION)
            line.set_unit(self.unit)
            line.set_label_shown(self.tags_shown)
            self.addItem(line)
            self.relation_items.append(line)

    def update_layer(self, content: TaskContent, key: LayerKey, painter: RegionPainter) -> None:
        """Show a changed layer of the same page (the working annotation after a review command).

        Items of regions whose results did not change stay, with their selection; the layer's relations are
        drawn again. A layer missing from `content` loses its items.
        """
        if self.content is None:
            return
        self.content = content
        layer = next((candidate for candidate in content.layers if candidate.key == key), None)
        old = {k: item for k, item in self.items_by_key.items() if k[0] == key}
        for line in [line for line in self.relation_items if line.start.key[0] == key]:
            self.relation_items.remove(line)
            self.removeItem(line)
        for region in layer.regions if layer is not None else ():
            item = old.pop((key, region.id), None)
            if item is not None and _same_results(item.region, region):
                continue
            if item is not None:
                self.removeItem(item)
            self._add_region(layer, region, painter)
        for item in old.values():
            del self.items_by_key[item.key]
            self.removeItem(item)
        if layer is not None:
            self._add_relations(layer)
        self.apply_visibility(key)
        self.layer_updated.emit(key)

    def set_faded(self, keys: set[RegionKey]) -> None:
        """Draw these prediction regions faint (rejected ones), the task's other predictions at full strength.

        Items of annotations are left alone: the canvas editor dims those while it previews an edit.
        """
        self._rejected = set(keys)
        self._apply_opacity()

    def set_dimmed(self, keys: set[RegionKey]) -> None:
        """Also draw these prediction regions faint (below the confidence threshold); kept apart from the
        rejected ones so that neither caller undoes the other's."""
        self._dimmed = set(keys)
        self._apply_opacity()

    def set_overrides(self, colors: dict[RegionKey, str]) -> None:
        """Colour these regions by a comparison's status instead of by label; an empty map ends the comparison."""
        self._overrides = dict(colors)
        for key, item in self.items_by_key.items():
            color = self._overrides.get(key)
            wanted = QColor(color) if color is not None else None
            if item.override != wanted:
                item.override = wanted
                item.update()

    def _apply_opacity(self) -> None:
        faint = {key for key in self._rejected | self._dimmed if key[0][0] == "prediction" and key in self.items_by_key}
        for key in faint ^ self._faint:  # only the items whose strength changes
            item = self.items_by_key.get(key)
            if item is not None:
                item.setOpacity(FADED if key in faint else 1.0)
        self._faint = faint

    def apply_visibility(self, layer: LayerKey | None = None) -> None:
        """Show each item (of one layer, when given) as the Visibility says; a relation shows while both of its
        regions do."""
        for key, item in self.items_by_key.items():
            if layer is None or key[0] == layer:
                item.setVisible(self.visibility.region_shown(item.layer.key, item.region))
        for line in self.relation_items:
            line.setVisible(self.relations_shown and line.start.isVisible() and line.end.isVisible())
        self.shown_changed.emit()

    def set_tags_shown(self, shown: bool) -> None:
        """Region tags and relation labels together: the one switch for text on the canvas. Tags are hidden either
        way: switched on, the TagPlacer shows the ones it places (shown_changed), not every tag where it was."""
        self.tags_shown = shown
        for item in self.items_by_key.values():
            if item.tag is not None:
                item.tag.setVisible(False)
        for line in self.relation_items:
            line.set_label_shown(shown)
        self.tags_switched.emit()
        self.shown_changed.emit()

    def set_transcriptions_shown(self, shown: bool) -> None:
        """Tags with or without the transcription of their region (a per-region TextArea, as in OCR)."""
        self.transcriptions_shown = shown
        for item in self.items_by_key.values():
            tag = set_tag(item, tag_text(item.region, shown))
            if tag is not None and not tag.placed:
                tag.setVisible(False)   # where it was made it may cover another tag until the placer places it
        self.shown_changed.emit()

    def set_relations_shown(self, shown: bool) -> None:
        self.relations_shown = shown
        self.apply_visibility()

    def set_fit_scale(self, scale: float) -> None:
        """The view's fit zoom (at most 1), which sets keypoint sizes as the editor's base zoom does."""
        self.fit_scale = scale
        for item in self.items_by_key.values():
            if isinstance(item, KeyPointItem):
                item.set_fit_scale(scale)
        for line in self.relation_items:
            line.measure()

    def set_view_zoom(self, zoom: float) -> None:
        """The view's zoom, so relations keep their clearance and arrowheads in screen pixels."""
        self.unit = 1.0 / zoom if zoom > 0 else 1.0
        for line in self.relation_items:
            line.set_unit(self.unit)

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
                item.setSelected(True)  # a hidden item stays unselected, as Qt wants
        finally:
            self.blockSignals(False)
        # No scene-wide update(): the items repaint their own areas, and a full repaint of a thousand regions
        # (150 ms, bench_review_gui) would be most of the time a review key takes.

    def _on_self_selection_changed(self) -> None:
        self.selection_changed_to.emit(self.selected_key())

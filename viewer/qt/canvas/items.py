"""Graphics items, one class per region kind: views of core Region values, drawn by the shared RegionPainter.

Qt layer. An item holds its Region (the only copy of the geometry) and the derived Qt outline; it never changes
the model. Tags and keypoint dots ignore the view's zoom so they keep their screen size.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBitmap, QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QRegion, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from viewer.core.region_keys import RegionKey
from viewer.core.region_kinds import NOT_ON_IMAGE, KindTable
from viewer.core.regions import Region
from viewer.core.shapes import Bitmask, Ellipse, KeyPoint, Mask, Polygon, Rectangle, Vector
from viewer.core.tag_layout import folded_text
from viewer.render import qtgeom
from viewer.render.content import Layer, describe, tag_text
from viewer.render.painter import RegionPainter, draw_keypoint, draw_tag, keypoint_radius, tag_box
from viewer.render.style import RegionStyle

PAD = 2.0  # room for cosmetic strokes beyond the outline, in scene units


def tooltip(region: Region, layer: Layer) -> str:
    rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                   for k, v in describe(region, layer))
    return f"<table>{rows}</table>"


class RegionItem(QGraphicsItem):
    """Base of the region items: selection, hover tooltip, bounds, and painting through RegionPainter."""

    def __init__(self, region: Region, layer: Layer, painter: RegionPainter, size: tuple[int, int]):
        super().__init__()
        self.region = region
        self.layer = layer
        self.region_painter = painter
        self.size = size
        self.key: RegionKey = (layer.key, region.id)
        self.override: QColor | None = None   # a comparison's colour for this region, set by the scene
        self.tag: TagItem | None = None        # its label tag, set by the TagItem made for it
        # flags in one call: every change of them goes through itemChange, a call into Python
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self._outline: QPainterPath | None = None  # made when first asked: a task shows before any is picked
        self._looks: dict[bool, RegionStyle] = {}  # selected? -> style, looked up once, not at every repaint
        self._extent = self.extent()
        self._bounds = self._extent.adjusted(-PAD, -PAD, PAD, PAD)

    def outline(self) -> QPainterPath:
        return self.region_painter.outline(self.region, self.size)

    def outline_path(self) -> QPainterPath:
        if self._outline is None:
            self._outline = self.outline()
        return self._outline

    def extent(self) -> QRectF:
        """The outline's bounding rectangle."""
        return self.outline_path().boundingRect()

    def look(self, selected: bool = False) -> RegionStyle:
        """The region's style, plain or selected (the painter's, kept by the item)."""
        style = self._looks.get(selected)
        if style is None:
            style = self._looks[selected] = self.region_painter.style(self.region, selected)
        return style

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self.outline_path()

    def tag_anchor(self) -> QPointF:
        return self._extent.topLeft()

    def view_bounds(self, to_view: QTransform) -> QRectF:
        """What the tag is placed around, in the view's pixels (`to_view`: the view's viewportTransform)."""
        return to_view.mapRect(self._extent)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        # made on first hover, not for each of a thousand regions when the task opens
        if not self.toolTip():
            self.setToolTip(tooltip(self.region, self.layer))
        super().hoverEnterEvent(event)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        selected = self.isSelected()
        self.region_painter.paint(p, self.region, self.size, selected=selected, style=self.look(selected))
        if self.override is not None:
            self.paint_override(p)

    def paint_override(self, p: QPainter) -> None:
        """The comparison's colour over the label's: a wash and a thick outline, so a status reads at a glance."""
        if self.override is None:
            return
        stroke = QPen(self.override, 3)
        stroke.setCosmetic(True)
        wash = QColor(self.override)
        wash.setAlpha(60)
        p.setPen(stroke)
        p.setBrush(wash)
        p.drawPath(self.outline_path())


class RectangleItem(RegionItem):
    def extent(self) -> QRectF:
        # the painter's cached geometry (the loader made it), without a path: most are never hovered or picked
        drawn = self.region_painter.qt_geometry(self.region.shape, self.size)
        return drawn if isinstance(drawn, QRectF) else drawn.boundingRect()

    def outline(self) -> QPainterPath:
        drawn = self.region_painter.qt_geometry(self.region.shape, self.size)
        path = QPainterPath()
        if isinstance(drawn, QRectF):
            path.addRect(drawn)
        else:
            path.addPolygon(drawn)
            path.closeSubpath()
        return path


class EllipseItem(RegionItem):
    def outline(self) -> QPainterPath:
        return self.region_painter.qt_geometry(self.region.shape, self.size)


class _LineHits:
    """Open shapes are picked by their stroke, not by the area their points happen to enclose."""

    def hit_area(self, path: QPainterPath, closed: bool) -> QPainterPath:
        if closed:
            return path
        stroker = QPainterPathStroker()
        stroker.setWidth(max(6.0, max(self.size) / 150))
        return stroker.createStroke(path)


class PolygonItem(_LineHits, RegionItem):
    def outline(self) -> QPainterPath:
        path = QPainterPath()
        path.addPolygon(self.region_painter.qt_geometry(self.region.shape, self.size))
        if self.region.shape.closed:
            path.closeSubpath()
        return path

    def shape(self) -> QPainterPath:
        return self.hit_area(self.outline_path(), self.region.shape.closed)


class VectorItem(_LineHits, RegionItem):
    def outline(self) -> QPainterPath:
        return self.region_painter.qt_geometry(self.region.shape, self.size)

    def shape(self) -> QPainterPath:
        return self.hit_area(self.outline_path(), self.region.shape.closed)


class MaskItem(RegionItem):
    """Brush and bitmask regions: drawn from the painter's decoded image; picked only where the mask is on."""

    _hits: QPainterPath | None = None

    def shape(self) -> QPainterPath:
        if self._hits is None:
            made = self.region_painter.mask(self.region, self.size)
            path = QPainterPath()
            if made.image is not None:
                path.addRegion(QRegion(QBitmap.fromImage(made.image.createAlphaMask())))
                scale = QTransform.fromTranslate(made.target.left(), made.target.top()).scale(
                    made.target.width() / made.image.width(), made.target.height() / made.image.height())
                path = scale.map(path)
            self._hits = path
        return self._hits


class KeyPointItem(RegionItem):
    """A dot of constant screen size at the keypoint's centre; the view's fit zoom sets that size (FORMAT 1.5)."""

    def __init__(self, region: Region, layer: Layer, painter: RegionPainter, size: tuple[int, int]):
        self.fit_scale = 1.0
        super().__init__(region, layer, painter, size)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        centre, _ = qtgeom.keypoint(region.shape, *size)
        self.setPos(centre)

    def radius(self) -> float:
        return keypoint_radius(self.region.shape, self.size, self.fit_scale)

    def outline(self) -> QPainterPath:
        r = self.radius()
        path = QPainterPath()
        path.addEllipse(QPointF(0.0, 0.0), r, r)
        return path

    def set_fit_scale(self, scale: float) -> None:
        if scale != self.fit_scale:
            self.prepareGeometryChange()
            self.fit_scale = scale
            self._outline = self.outline()
            self._extent = self._outline.boundingRect()
            width = self.region_painter.style(self.region).width
            self._bounds = self._extent.adjusted(-width - 1, -width - 1, width + 1, width + 1)
            for child in self.childItems():
                child.setPos(self.tag_anchor())

    def tag_anchor(self) -> QPointF:
        return QPointF(0.0, -self.radius())

    def view_bounds(self, to_view: QTransform) -> QRectF:
        centre, r = to_view.map(self.pos()), self.radius()
        return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        draw_keypoint(p, QPointF(0.0, 0.0), self.radius(), self.look(self.isSelected()))
        self.paint_override(p)


class TagItem(QGraphicsItem):
    """The label-and-score tag of a region, in screen pixels whatever the zoom; a child of its region's item.
    Its bottom-left corner is at its position; the TagPlacer moves it and counts the tags folded into it."""

    def __init__(self, parent: RegionItem, text: str):
        super().__init__(parent)
        self.text = text
        self.count = 0
        self.shown_text = text
        self.placed = False  # still where it was made, until the TagPlacer places it
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setPos(parent.tag_anchor())
        self._bounds = tag_box(text)
        parent.tag = self

    def set_count(self, count: int) -> None:
        """Show that `count` other tags are folded into this one ("Road 0.89 +2")."""
        if count != self.count:
            self.prepareGeometryChange()
            self.count = count
            self.shown_text = folded_text(self.text, count)
            self._bounds = tag_box(self.shown_text)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        draw_tag(p, QPointF(0.0, 0.0), self.shown_text, self.parentItem().look())


ITEMS = KindTable("canvas items", {
    Rectangle: RectangleItem, Ellipse: EllipseItem, Polygon: PolygonItem, Vector: VectorItem, KeyPoint: KeyPointItem,
    Mask: MaskItem, Bitmask: MaskItem,
}, elsewhere=NOT_ON_IMAGE)


def make_item(region: Region, layer: Layer, painter: RegionPainter, size: tuple[int, int],
              transcriptions: bool = True) -> RegionItem:
    """The item for a region's kind, with its tag as a child when the region has labels, a score or (with
    `transcriptions`) a transcription."""
    item = ITEMS.of(region.shape)(region, layer, painter, size)
    set_tag(item, tag_text(region, transcriptions))
    return item


def set_tag(item: RegionItem, text: str) -> TagItem | None:
    """Give the item a tag reading `text` (none when it is empty) in place of the one it has, if that differs."""
    old = item.tag
    if old is not None and old.text == text:
        return old
    if old is not None:
        item.tag = None
        if old.scene() is not None:
            old.scene().removeItem(old)
        else:
            old.setParentItem(None)
    return TagItem(item, text) if text else None

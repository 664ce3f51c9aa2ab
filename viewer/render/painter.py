"""The one region painter (DESIGN rule 6): draws regions with QPainter in image pixel coordinates.

Render layer. The window's graphics items and `lsview render` both call RegionPainter, so a PNG and the screen
agree. Pens are cosmetic: stroke widths are screen pixels at any zoom, as in the editor (FORMAT.md 1.8).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF, QStaticText

from viewer.core.colors import RGBA
from viewer.core.config import LabelConfig
from viewer.core.region_kinds import MASK_KINDS, NOT_ON_IMAGE, KindTable
from viewer.core.regions import Region
from viewer.core.shapes import Bitmask, Ellipse, KeyPoint, Mask, Polygon, Rectangle, Vector
from viewer.render import qtgeom
from viewer.render.masks import MaskCache, MaskImage
from viewer.render.style import RegionStyle, StyleBook

MIN_KEYPOINT_RADIUS = 2.0  # screen pixels: the editor never draws a dot smaller than this
TAG_PIXEL_SIZE = 11
TAG_PADDING = 2.0


def qcolor(rgba: RGBA) -> QColor:
    r, g, b, a = rgba
    return QColor(r, g, b, round(a * 255))


@lru_cache(maxsize=1024)
def pen(style: RegionStyle, join: Qt.PenJoinStyle = Qt.PenJoinStyle.MiterJoin) -> QPen:
    result = QPen(qcolor(style.stroke))
    result.setWidthF(style.width)
    result.setCosmetic(True)
    result.setJoinStyle(join)
    result.setCapStyle(Qt.PenCapStyle.SquareCap)
    if style.width == 0:
        result.setStyle(Qt.PenStyle.NoPen)  # Qt draws width 0 as a 1 px hairline; the editor draws nothing
    return result


@lru_cache(maxsize=1024)
def brush(style: RegionStyle) -> QBrush:
    if style.fill is None or style.fill[3] == 0:
        return QBrush(Qt.BrushStyle.NoBrush)
    return QBrush(qcolor(style.fill))


def device_scale(p: QPainter) -> float:
    """Screen pixels per painter unit (the zoom), from the painter's current transform."""
    t = p.worldTransform()
    return math.hypot(t.m11(), t.m12()) or 1.0


def keypoint_radius(shape: KeyPoint, size: tuple[int, int], fit_scale: float) -> float:
    """On-screen radius: `width`% of the image width at the view's fit zoom, at least 2 px (FORMAT.md 1.5)."""
    _, radius = qtgeom.keypoint(shape, size[0], size[1])
    return max(abs(radius) * fit_scale, MIN_KEYPOINT_RADIUS)


def draw_keypoint(p: QPainter, centre: QPointF, radius_screen: float, style: RegionStyle) -> None:
    p.setPen(pen(style))
    p.setBrush(brush(style))
    radius = radius_screen / device_scale(p)
    p.drawEllipse(centre, radius, radius)


@lru_cache(maxsize=8)
def tag_font(pixel_size: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixel_size)
    return font


@lru_cache(maxsize=4096)
def tag_box(text: str, pixel_size: int = TAG_PIXEL_SIZE) -> QRectF:
    """The tag's rectangle relative to its anchor (the tag sits just above and right of the anchor)."""
    metrics = QFontMetricsF(tag_font(pixel_size))
    width = metrics.horizontalAdvance(text) + 2 * TAG_PADDING
    height = metrics.height() + 2 * TAG_PADDING
    return QRectF(0.0, -height, width, height)


@lru_cache(maxsize=4096)
def _tag_text(text: str, pixel_size: int) -> QStaticText:
    # laid out once per text: a repaint of a thousand tags then costs no text shaping
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(font=tag_font(pixel_size))
    return static


def draw_tag(p: QPainter, anchor: QPointF, text: str, style: RegionStyle,
             pixel_size: int = TAG_PIXEL_SIZE) -> None:
    """A label tag whose size is in the painter's units; callers draw it in screen units to keep it readable."""
    if not text:
        return
    box = tag_box(text, pixel_size).translated(anchor)
    r, g, b, _ = style.stroke
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(r, g, b, 220))
    p.drawRect(box)
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    p.setPen(QColor(0, 0, 0) if luminance > 150 else QColor(255, 255, 255))
    p.setFont(tag_font(pixel_size))
    p.drawStaticText(QPointF(box.left() + TAG_PADDING, box.top() + TAG_PADDING), _tag_text(text, pixel_size))


class RegionPainter:
    """Draws the regions of one config; decoded masks are cached here across repaints and tasks."""

    def __init__(self, config: LabelConfig | None, masks: MaskCache | None = None, geometry_limit: int = 50_000):
        self.styles = StyleBook(config)
        self.masks = masks if masks is not None else MaskCache()
        # Qt geometry per shape object and size, so a repaint does no percent -> pixel work; like the mask cache
        # the entry holds the shape, so its id cannot be reused while the entry lives.
        self._geometry: OrderedDict[tuple[int, tuple[int, int]], tuple[object, object]] = OrderedDict()
        self._geometry_limit = geometry_limit
        self._geometry_lock = threading.Lock()  # the window's loader thread fills it while the GUI thread paints

    def qt_geometry(self, shape, size: tuple[int, int]):
        """QRectF/QPolygonF/QPainterPath of a rectangle, ellipse, polygon or vector; cached."""
        key = (id(shape), size)
        entry = self._geometry.get(key)
        if entry is not None and entry[0] is shape:
            return entry[1]
        made = QT_GEOMETRY.of(shape)(shape, *size)
        with self._geometry_lock:
            self._geometry[key] = (shape, made)
            if len(self._geometry) > self._geometry_limit:
                self._geometry.popitem(last=False)
        return made

    def prepare(self, regions, size: tuple[int, int]) -> None:
        """Work out the Qt geometry of these regions ahead (the window's loader does, off the GUI thread), so
        making their items and painting them the first time finds it made."""
        for region in regions:
            if QT_GEOMETRY.get(region.shape) is not None:
                self.qt_geometry(region.shape, size)

    def style(self, region: Region, selected: bool = False) -> RegionStyle:
        style = self.styles.style(region)
        return style.selected(region.kind) if selected else style

    def mask(self, region: Region, size: tuple[int, int]) -> MaskImage:
        return self.masks.get(region.shape, size, self.styles.style(region).mask_rgb)

    def bounds(self, region: Region, size: tuple[int, int]) -> QRectF:
        """The region's extent in image pixels (a keypoint's is its centre: its dot has a screen size)."""
        entry = BOUNDS.get(region.shape)
        return entry(self, region, size) if entry is not None else QRectF()

    def _mask_bounds(self, region: Region, size: tuple[int, int]) -> QRectF:
        return self.mask(region, size).target

    def _keypoint_bounds(self, region: Region, size: tuple[int, int]) -> QRectF:
        centre, _ = qtgeom.keypoint(region.shape, size[0], size[1])
        return QRectF(centre, centre)

    def _outline_bounds(self, region: Region, size: tuple[int, int]) -> QRectF:
        return qtgeom.outline(region.shape, size[0], size[1]).boundingRect()

    def outline(self, region: Region, size: tuple[int, int]) -> QPainterPath:
        entry = OUTLINE.get(region.shape)
        return entry(self, region, size) if entry is not None else QPainterPath()

    def _mask_outline(self, region: Region, size: tuple[int, int]) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.mask(region, size).target)
        return path

    def _shape_outline(self, region: Region, size: tuple[int, int]) -> QPainterPath:
        return qtgeom.outline(region.shape, size[0], size[1])

    def paint(self, p: QPainter, region: Region, size: tuple[int, int], *, selected: bool = False,
              keypoint_scale: float = 1.0, style: RegionStyle | None = None) -> None:
        """Draw one region in image pixels. `keypoint_scale` is the view's fit zoom (1 for a PNG at full size);
        `style`, when given, is the region's style(region, selected), kept by a caller that paints it often."""
        entry = PAINT.get(region.shape)
        if entry is not None:
            entry(self, p, region, size, style or self.style(region, selected), selected, keypoint_scale)

    def _paint_rectangle(self, p: QPainter, region: Region, size: tuple[int, int], style: RegionStyle,
                         selected: bool, keypoint_scale: float) -> None:
        p.setPen(pen(style))
        p.setBrush(brush(style))
        outline = self.qt_geometry(region.shape, size)
        if isinstance(outline, QRectF):
            p.drawRect(outline)  # the raster engine fills an upright rectangle much faster than a polygon
        else:
            p.drawPolygon(outline)

    def _paint_ellipse(self, p: QPainter, region: Region, size: tuple[int, int], style: RegionStyle,
                       selected: bool, keypoint_scale: float) -> None:
        p.setPen(pen(style))
        p.setBrush(brush(style))
        p.drawPath(self.qt_geometry(region.shape, size))

    def _paint_polygon(self, p: QPainter, region: Region, size: tuple[int, int], style: RegionStyle,
                       selected: bool, keypoint_scale: float) -> None:
        self._polygon(p, self.qt_geometry(region.shape, size), region.shape.closed, style)

    def _paint_keypoint(self, p: QPainter, region: Region, size: tuple[int, int], style: RegionStyle,
                        selected: bool, keypoint_scale: float) -> None:
        centre, _ = qtgeom.keypoint(region.shape, size[0], size[1])
        draw_keypoint(p, centre, keypoint_radius(region.shape, size, keypoint_scale), style)

    def _paint_vector(self, p: QPainter, region: Region, size: tuple[int, int], style: RegionStyle,
                      selected: bool, keypoint_scale: float) -> None:
        p.setPen(pen(style, Qt.PenJoinStyle.RoundJoin))
        p.setBrush(brush(style) if region.shape.closed else Qt.BrushStyle.NoBrush)
        p.drawPath(self.qt_geometry(region.shape, size))

    @staticmethod
    def _polygon(p: QPainter, points: QPolygonF, closed: bool, style: RegionStyle) -> None:
        p.setPen(pen(style, Qt.PenJoinStyle.RoundJoin))
        if closed:
            p.setBrush(brush(style))
            p.drawPolygon(points)
        else:
            # An unfinished polygon: its edges only, no closing edge, no fill (FORMAT.md 1.4).
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolyline(points)

    def _paint_mask(self, p: QPainter, region: Region, size: tuple[int, int], style: RegionStyle,
                    selected: bool, keypoint_scale: float) -> None:
        made = self.mask(region, size)
        if made.image is not None:
            p.drawImage(made.target, made.image)
        if selected:
            # A mask has no outline of its own; its extent shows which one is selected.
            p.setPen(pen(style))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(made.target)


def _rectangle_geometry(shape: Rectangle, w: int, h: int) -> QRectF | QPolygonF:
    return qtgeom.upright_rect(shape, w, h) if shape.rotation % 360 == 0 else qtgeom.rectangle(shape, w, h)


def _vector_geometry(shape: Vector, w: int, h: int) -> QPainterPath:
    return qtgeom.vector(shape, w, h)[0]


_MASK_NO_OUTLINE = "a mask is an image: drawn, bounded and outlined from the decoded image (render.masks)"
_KEYPOINT_DOT = "a keypoint's dot has a screen size: drawn and hit from its centre and the view's zoom"
QT_GEOMETRY = KindTable("painter geometry", {
    Rectangle: _rectangle_geometry, Ellipse: qtgeom.ellipse, Polygon: qtgeom.polyline, Vector: _vector_geometry,
}, elsewhere={**{kind: _MASK_NO_OUTLINE for kind in MASK_KINDS}, "keypoint": _KEYPOINT_DOT, **NOT_ON_IMAGE})
PAINT = KindTable("paint", {
    Rectangle: RegionPainter._paint_rectangle, Ellipse: RegionPainter._paint_ellipse,
    Polygon: RegionPainter._paint_polygon, KeyPoint: RegionPainter._paint_keypoint,
    Vector: RegionPainter._paint_vector, Mask: RegionPainter._paint_mask, Bitmask: RegionPainter._paint_mask,
}, elsewhere=NOT_ON_IMAGE)
BOUNDS = KindTable("bounds", {
    Rectangle: RegionPainter._outline_bounds, Ellipse: RegionPainter._outline_bounds,
    Polygon: RegionPainter._outline_bounds, Vector: RegionPainter._outline_bounds,
    KeyPoint: RegionPainter._keypoint_bounds, Mask: RegionPainter._mask_bounds, Bitmask: RegionPainter._mask_bounds,
}, elsewhere=NOT_ON_IMAGE)
OUTLINE = KindTable("outline", {
    Rectangle: RegionPainter._shape_outline, Ellipse: RegionPainter._shape_outline,
    Polygon: RegionPainter._shape_outline, Vector: RegionPainter._shape_outline,
    KeyPoint: RegionPainter._shape_outline, Mask: RegionPainter._mask_outline, Bitmask: RegionPainter._mask_outline,
}, elsewhere=NOT_ON_IMAGE)

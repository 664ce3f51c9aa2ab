"""Relations as the editor draws them: a bracket-shaped connector between two regions, arrowheads, a label.

Render layer, shared by the window's relation items and `lsview render`. Sizes are in screen pixels times `unit`
(painter units per screen pixel), so the window passes 1 / zoom and a PNG its tag scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen

from viewer.core.regions import Region, Relation
from viewer.core.shapes import KeyPoint

# The editor's overlay (LSF components/RelationsOverlay): orange-red connector at 60 % opacity, 2 px wide,
# 15 px clear of the boxes, boxes padded by 3 px, corners rounded with a 5 px radius, 8 px arrowheads, and
# labels in white 12 px text on a magenta rounded box.
COLOR = QColor(250, 84, 28, round(0.6 * 255))
LABEL_FILL = QColor(170, 0, 170)
LABEL_INK = QColor(255, 255, 255)
STROKE, CLEARANCE, PADDING, CORNER, ARROW = 2.0, 15.0, 3.0, 5.0, 8.0
LABEL_PIXEL_SIZE, LABEL_MARGIN_X, LABEL_MARGIN_Y = 12, 5.0, 3.0


@dataclass(frozen=True)
class Route:
    """Where a connector runs: its corner points from the start box to the end box, and where its label sits."""

    points: tuple[QPointF, ...]
    label_at: QPointF


def _overlap(a0: float, a1: float, b0: float, b1: float) -> bool:
    return a0 <= b1 and b0 <= a1


def route(start: QRectF, end: QRectF, unit: float) -> Route:
    """Over the top of both boxes when they sit side by side; down their left sides (right, when that would
    leave the image) when one is above the other, so the connector never crosses the boxes it joins."""
    pad, clear = PADDING * unit, CLEARANCE * unit
    a, b = start.adjusted(-pad, -pad, pad, pad), end.adjusted(-pad, -pad, pad, pad)
    if not _overlap(a.left(), a.right(), b.left(), b.right()):
        level = min(a.top(), b.top()) - clear
        ax, bx = a.center().x(), b.center().x()
        points = (QPointF(ax, a.top()), QPointF(ax, level), QPointF(bx, level), QPointF(bx, b.top()))
        return Route(points, QPointF((ax + bx) / 2, level))
    ay, by = a.center().y(), b.center().y()
    if min(a.left(), b.left()) - clear >= 0:
        side = min(a.left(), b.left()) - clear
        ax, bx = a.left(), b.left()
    else:
        side = max(a.right(), b.right()) + clear
        ax, bx = a.right(), b.right()
    points = (QPointF(ax, ay), QPointF(side, ay), QPointF(side, by), QPointF(bx, by))
    return Route(points, QPointF(side, (ay + by) / 2))


def _line(points: tuple[QPointF, ...], radius: float) -> QPainterPath:
    """The polyline with each inner corner replaced by a quarter curve of `radius` (less on short legs)."""
    path = QPainterPath(points[0])
    for before, corner, after in zip(points, points[1:], points[2:]):
        legs = [math.hypot(p.x() - corner.x(), p.y() - corner.y()) for p in (before, after)]
        r = min(radius, legs[0] / 2, legs[1] / 2)
        if r <= 0:
            path.lineTo(corner)
            continue
        path.lineTo(corner + (before - corner) * (r / legs[0]))
        path.quadTo(corner, corner + (after - corner) * (r / legs[1]))
    path.lineTo(points[-1])
    return path


def _arrowhead(tip: QPointF, behind: QPointF, unit: float) -> QPainterPath:
    dx, dy = tip.x() - behind.x(), tip.y() - behind.y()
    length = math.hypot(dx, dy)
    path = QPainterPath()
    if length == 0:
        return path
    ux, uy = dx / length, dy / length
    size = ARROW * unit
    base = QPointF(tip.x() - ux * size, tip.y() - uy * size)
    half = QPointF(-uy * size / 2, ux * size / 2)
    path.moveTo(tip)
    path.lineTo(base + half)
    path.lineTo(base - half)
    path.closeSubpath()
    return path


def _ends(points: tuple[QPointF, ...]) -> tuple[tuple[QPointF, QPointF], tuple[QPointF, QPointF]]:
    """(tip, a point behind it) at the start and at the end, skipping zero-length legs."""
    first = next((p for p in points[1:] if p != points[0]), points[0])
    last = next((p for p in reversed(points[:-1]) if p != points[-1]), points[-1])
    return (points[0], first), (points[-1], last)


def connector(route_: Route, direction: str, unit: float) -> QPainterPath:
    """The filled outline of the connector and its arrowheads, one path so overlaps are not painted twice."""
    stroker = QPainterPathStroker()
    stroker.setWidth(STROKE * unit)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    shape = stroker.createStroke(_line(route_.points, CORNER * unit))
    (start, after_start), (end, before_end) = _ends(route_.points)
    if direction in ("right", "bi"):
        shape = shape.united(_arrowhead(end, before_end, unit))
    if direction in ("left", "bi"):
        shape = shape.united(_arrowhead(start, after_start, unit))
    return shape


@lru_cache(maxsize=8)
def _font(pixel_size: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixel_size)
    return font


def label_text(relation: Relation) -> str:
    return ", ".join(relation.labels)


def label_box(text: str, at: QPointF, unit: float) -> QRectF:
    """The label's box, centred on `at`, in painter units."""
    metrics = QFontMetricsF(_font(LABEL_PIXEL_SIZE))
    width = (metrics.horizontalAdvance(text) + 2 * LABEL_MARGIN_X) * unit
    height = (metrics.height() + 2 * LABEL_MARGIN_Y) * unit
    return QRectF(at.x() - width / 2, at.y() - height / 2, width, height)


def bounds(route_: Route, text: str, unit: float) -> QRectF:
    """Everything a relation paints (connector, arrowheads, label), in painter units."""
    xs = [point.x() for point in route_.points]
    ys = [point.y() for point in route_.points]
    margin = ARROW * unit
    box = QRectF(min(xs) - margin, min(ys) - margin, max(xs) - min(xs) + 2 * margin, max(ys) - min(ys) + 2 * margin)
    return box.united(label_box(text, route_.label_at, unit)) if text else box


def draw(p: QPainter, route_: Route, direction: str, text: str, unit: float) -> None:
    """Paint one relation; `text` empty leaves the label out (as `--no-labels` and golden images want)."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(COLOR))
    p.drawPath(connector(route_, direction, unit))
    if not text:
        return
    box = label_box(text, route_.label_at, unit)
    p.setPen(QPen(LABEL_INK, 2 * unit))
    p.setBrush(LABEL_FILL)
    p.drawRoundedRect(box, 3 * unit, 3 * unit)
    p.save()
    try:
        # text is laid out in screen pixels, then scaled, so it reads the same at every zoom
        p.translate(box.topLeft())
        p.scale(unit, unit)
        p.setFont(_font(LABEL_PIXEL_SIZE))
        p.setPen(LABEL_INK)
        p.drawText(QRectF(0, 0, box.width() / unit, box.height() / unit), int(Qt.AlignmentFlag.AlignCenter), text)
    finally:
        p.restore()


def region_box(region: Region, drawn: QRectF, keypoint_radius: float) -> QRectF:
    """The box a relation joins: the region's extent, a keypoint's dot (its radius in painter units)."""
    if isinstance(region.shape, KeyPoint):
        r = keypoint_radius
        return QRectF(drawn.center().x() - r, drawn.center().y() - r, 2 * r, 2 * r)
    return drawn


def drawable(relations: tuple[Relation, ...], regions: dict[str, Region]) -> list[tuple[Relation, Region, Region]]:
    """The relations whose two regions are both among `regions` (one page of one layer), with those regions.

    As in the editor, a repeated (from, to) pair keeps its first relation and a region related to itself draws
    nothing.
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for relation in relations:
        start, end = regions.get(relation.from_id), regions.get(relation.to_id)
        pair = (relation.from_id, relation.to_id)
        if start is None or end is None or start is end or pair in seen:
            continue
        seen.add(pair)
        out.append((relation, start, end))
    return out

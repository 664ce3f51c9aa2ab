"""The one place Qt geometry (QPointF, QPolygonF, QRectF, QPainterPath) is made from core geometry (DESIGN rule 2).

Render layer. Every number comes from viewer.core.geometry in image pixels; nothing here converts units itself.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF, QTransform

from viewer.core import geometry
from viewer.core.region_kinds import MASK_KINDS, NOT_ON_IMAGE, KindTable
from viewer.core.shapes import Ellipse, KeyPoint, Polygon, Rectangle, Vector

Point = tuple[float, float]


def point(p: Point) -> QPointF:
    return QPointF(p[0], p[1])


def polygon(points: Sequence[Point]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def rect(left: float, top: float, width: float, height: float) -> QRectF:
    return QRectF(left, top, width, height)


def image_rect(size: tuple[int, int]) -> QRectF:
    return QRectF(0.0, 0.0, float(size[0]), float(size[1]))


def rectangle(shape: Rectangle, width: float, height: float) -> QPolygonF:
    """The four corners TL, TR, BR, BL (rotated about TL), as an unclosed polygon."""
    return polygon(geometry.rectangle_corners(shape, width, height))


def upright_rect(shape: Rectangle, width: float, height: float) -> QRectF:
    """An unrotated rectangle as a QRectF (normalised: negative sizes extend left/up, as Konva draws them)."""
    (left, top), _, (right, bottom), _ = geometry.rectangle_corners(shape, width, height)
    return QRectF(QPointF(left, top), QPointF(right, bottom)).normalized()


def ellipse(shape: Ellipse, width: float, height: float) -> QPainterPath:
    """The ellipse outline, rotated clockwise about its centre."""
    (cx, cy), (rx, ry), rotation = geometry.ellipse_px(shape, width, height)
    path = QPainterPath()
    path.addEllipse(QPointF(cx, cy), abs(rx), abs(ry))
    if rotation % 360:
        # QTransform.rotate turns clockwise on a y-down screen, as Konva does.
        turn = QTransform().translate(cx, cy).rotate(rotation).translate(-cx, -cy)
        path = turn.map(path)
    return path


def polyline(shape: Polygon, width: float, height: float) -> QPolygonF:
    return polygon(geometry.polygon_px(shape, width, height))


def keypoint(shape: KeyPoint, width: float, height: float) -> tuple[QPointF, float]:
    """Centre and radius, both in image pixels."""
    centre, radius = geometry.keypoint_px(shape, width, height)
    return point(centre), radius


def _vertex_point(vertex: Any, key: str | None, width: float, height: float) -> QPointF | None:
    source = vertex.get(key) if key else vertex
    if not isinstance(source, dict):
        return None
    x, y = source.get("x"), source.get("y")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)):
        return None
    return point(geometry.to_px(x, y, width, height))


def vector(shape: Vector, width: float, height: float) -> tuple[QPainterPath, list[QPointF]]:
    """The vector's edges (each vertex joined to its `prevPointId`, or in order when none names one) and its vertices.

    A segment is a cubic curve when either end is a bezier vertex: the previous vertex's controlPoint2 leads out,
    this vertex's controlPoint1 leads in; a missing control point falls back to its own vertex.
    """
    vertices = [v for v in shape.vertices if isinstance(v, dict) and _vertex_point(v, None, width, height)]
    anchors = [_vertex_point(v, None, width, height) for v in vertices]
    index_of = {str(v.get("id")): i for i, v in enumerate(vertices) if v.get("id") is not None}
    linked = any(v.get("prevPointId") is not None for v in vertices)
    edges: list[tuple[int, int]] = []
    for i, v in enumerate(vertices):
        if linked:
            previous = index_of.get(str(v.get("prevPointId")))
            if previous is not None:
                edges.append((previous, i))
        elif i:
            edges.append((i - 1, i))
    if shape.closed and len(vertices) > 2:
        edges.append((len(vertices) - 1, 0))
    path = QPainterPath()
    for start, end in edges:
        a, b = vertices[start], vertices[end]
        path.moveTo(anchors[start])
        if a.get("isBezier") is True or b.get("isBezier") is True:
            out = _vertex_point(a, "controlPoint2", width, height) or anchors[start]
            into = _vertex_point(b, "controlPoint1", width, height) or anchors[end]
            path.cubicTo(out, into, anchors[end])
        else:
            path.lineTo(anchors[end])
    return path, anchors


def _rectangle_outline(shape: Rectangle, width: float, height: float) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(rectangle(shape, width, height))
    path.closeSubpath()
    return path


def _polygon_outline(shape: Polygon, width: float, height: float) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(polyline(shape, width, height))
    if shape.closed:
        path.closeSubpath()
    return path


def _keypoint_outline(shape: KeyPoint, width: float, height: float) -> QPainterPath:
    path = QPainterPath()
    centre, radius = keypoint(shape, width, height)
    path.addEllipse(centre, radius, radius)
    return path


def _vector_outline(shape: Vector, width: float, height: float) -> QPainterPath:
    return vector(shape, width, height)[0]


OUTLINES = KindTable("outlines", {
    Rectangle: _rectangle_outline,
    Ellipse: ellipse,
    Polygon: _polygon_outline,
    KeyPoint: _keypoint_outline,
    Vector: _vector_outline,
}, elsewhere={
    **{kind: "a mask's area is its decoded image: RegionPainter.outline uses the image's extent"
       for kind in MASK_KINDS},
    **NOT_ON_IMAGE,
})


def outline(shape: Any, width: float, height: float) -> QPainterPath:
    """The region's area as a path (for hit tests and bounds); empty for masks and unknown shapes."""
    made = OUTLINES.get(shape)
    return made(shape, width, height) if made is not None else QPainterPath()

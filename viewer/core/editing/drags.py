"""What a drag does to a shape: new core shapes from pointer positions in image pixels.

Core layer, no Qt: the maths of the editing tools. Boxes resize in their own rotated frame; rectangles turn about their centre yet
are stored as top-left + angle (FORMAT.md 1.2), ellipses turn about their centre (1.3). Pixels in, percent out,
both only through viewer.core.geometry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

from viewer.core import geometry
from viewer.core.region_kinds import NOT_ON_IMAGE, KindTable
from viewer.core.shapes import Ellipse, KeyPoint, Polygon, Rectangle

Point = tuple[float, float]
Size = tuple[int, int]

SIDES = ("top-left", "top", "top-right", "right", "bottom-right", "bottom", "bottom-left", "left")
MIN_SIDE = 1.0        # image pixels: a resize never collapses a box to nothing
ROTATE_SNAP = 15.0    # degrees, with Shift held

# Why the select tool leaves these image kinds alone (tables here and in select_tool.py say it once).
NOT_EDITED = {
    "vector": "not editable on the canvas yet: shown as given",
    "mask": "painted with the brush tool, not dragged",
    "bitmask": "not editable on the canvas yet: shown as given",
    **NOT_ON_IMAGE,
}


@dataclass(frozen=True)
class Handle:
    name: str        # one of SIDES, "rotate" or "vertex"
    at: Point        # image pixels
    index: int = -1  # which vertex, for "vertex"


@dataclass(frozen=True)
class Frame:
    """A box in its own rotated frame: `origin` and `angle` (degrees, clockwise) place the axes; the box spans
    left..right along the first axis and top..bottom along the second, in pixels."""

    origin: Point
    angle: float
    left: float
    top: float
    right: float
    bottom: float

    def axes(self) -> tuple[Point, Point]:
        theta = math.radians(self.angle)
        cos, sin = math.cos(theta), math.sin(theta)
        return (cos, sin), (-sin, cos)

    def to_world(self, u: float, v: float) -> Point:
        (ux, uy), (vx, vy) = self.axes()
        return self.origin[0] + u * ux + v * vx, self.origin[1] + u * uy + v * vy

    def to_local(self, p: Point) -> Point:
        (ux, uy), (vx, vy) = self.axes()
        dx, dy = p[0] - self.origin[0], p[1] - self.origin[1]
        return dx * ux + dy * uy, dx * vx + dy * vy

    def centre(self) -> Point:
        return self.to_world((self.left + self.right) / 2, (self.top + self.bottom) / 2)


def rectangle_frame(rect: Rectangle, size: Size) -> Frame:
    """Origin at the top-left corner, the box 0..w by 0..h (signs kept, so a negative width stays one)."""
    top_left, top_right, _, bottom_left = geometry.rectangle_corners(rect, *size)
    frame = Frame(top_left, rect.rotation, 0.0, 0.0, 0.0, 0.0)
    width = frame.to_local(top_right)[0]
    height = frame.to_local(bottom_left)[1]
    return replace(frame, right=width, bottom=height)


def frame_rectangle(frame: Frame, size: Size) -> Rectangle:
    x, y = frame.to_world(frame.left, frame.top)
    return geometry.rectangle_from_px(x, y, frame.right - frame.left, frame.bottom - frame.top, frame.angle, *size)


def ellipse_frame(ellipse: Ellipse, size: Size) -> Frame:
    """Origin at the centre, the box -rx..rx by -ry..ry."""
    centre, (rx, ry), rotation = geometry.ellipse_px(ellipse, *size)
    rx, ry = abs(rx), abs(ry)
    return Frame(centre, rotation, -rx, -ry, rx, ry)


def frame_ellipse(frame: Frame, size: Size) -> Ellipse:
    cx, cy = frame.centre()
    return geometry.ellipse_from_px(cx, cy, (frame.right - frame.left) / 2, (frame.bottom - frame.top) / 2,
                                    frame.angle, *size)


def box_handles(frame: Frame, reach: float) -> list[Handle]:
    """Corner and edge handles, and the rotation handle `reach` pixels beyond the top edge."""
    (left, right), (top, bottom) = sorted((frame.left, frame.right)), sorted((frame.top, frame.bottom))
    middle_u, middle_v = (left + right) / 2, (top + bottom) / 2
    spots = {"top-left": (left, top), "top": (middle_u, top), "top-right": (right, top), "right": (right, middle_v),
             "bottom-right": (right, bottom), "bottom": (middle_u, bottom), "bottom-left": (left, bottom),
             "left": (left, middle_v)}
    handles = [Handle(name, frame.to_world(*spots[name])) for name in SIDES]
    handles.append(Handle("rotate", frame.to_world(middle_u, top - reach)))
    return handles


def resize_frame(frame: Frame, side: str, pointer: Point) -> Frame:
    """The box with the sides that `side` names moved to the pointer; the others stay where they are."""
    (left, right), (top, bottom) = sorted((frame.left, frame.right)), sorted((frame.top, frame.bottom))
    u, v = frame.to_local(pointer)
    if side.endswith("left"):
        left = min(u, right - MIN_SIDE)
    if side.endswith("right"):
        right = max(u, left + MIN_SIDE)
    if side.startswith("top"):
        top = min(v, bottom - MIN_SIDE)
    if side.startswith("bottom"):
        bottom = max(v, top + MIN_SIDE)
    return replace(frame, left=left, top=top, right=right, bottom=bottom)


def rotate_frame(frame: Frame, press: Point, pointer: Point, snap: bool = False) -> Frame:
    """The box turned about its centre by the angle the pointer swept since the press."""
    cx, cy = frame.centre()
    swept = math.degrees(math.atan2(pointer[1] - cy, pointer[0] - cx) - math.atan2(press[1] - cy, press[0] - cx))
    angle = frame.angle + swept
    if snap:
        angle = round(angle / ROTATE_SNAP) * ROTATE_SNAP
    turned = replace(frame, angle=angle % 360.0)
    # keep the centre where it was: move the origin by however far the turn moved it
    nx, ny = turned.centre()
    return replace(turned, origin=(turned.origin[0] + cx - nx, turned.origin[1] + cy - ny))


# A box kind's frame, and the shape back from a changed frame: resize and rotate work on the frame.
FRAMES = KindTable("box frames", {
    Rectangle: (rectangle_frame, frame_rectangle),
    Ellipse: (ellipse_frame, frame_ellipse),
}, elsewhere={
    "polygon": "no box: edited by its vertices",
    "keypoint": "no box: a dot that only moves (its size is the result's width)",
    **NOT_EDITED,
})


def _moved_box(shape: Rectangle | Ellipse, size: Size, dx: float, dy: float) -> Rectangle | Ellipse:
    to_frame, from_frame = FRAMES.of(shape)
    frame = to_frame(shape, size)
    return from_frame(replace(frame, origin=(frame.origin[0] + dx, frame.origin[1] + dy)), size)


def _moved_polygon(shape: Polygon, size: Size, dx: float, dy: float) -> Polygon:
    points = [(x + dx, y + dy) for x, y in geometry.polygon_px(shape, *size)]
    return geometry.polygon_from_px(points, shape.closed, *size)


def _moved_keypoint(shape: KeyPoint, size: Size, dx: float, dy: float) -> KeyPoint:
    (cx, cy), radius = geometry.keypoint_px(shape, *size)
    return geometry.keypoint_from_px(cx + dx, cy + dy, radius, *size)


MOVES = KindTable("moves", {
    Rectangle: _moved_box, Ellipse: _moved_box, Polygon: _moved_polygon, KeyPoint: _moved_keypoint,
}, elsewhere=NOT_EDITED)


def moved(shape, size: Size, dx: float, dy: float):
    """The shape shifted by (dx, dy) image pixels; a kind that does not move stays as it is."""
    move = MOVES.get(shape)
    return move(shape, size, dx, dy) if move is not None else shape


def vertex_handles(polygon: Polygon, size: Size) -> list[Handle]:
    return [Handle("vertex", point, index) for index, point in enumerate(geometry.polygon_px(polygon, *size))]


def with_vertex(polygon: Polygon, size: Size, index: int, pointer: Point) -> Polygon:
    points = geometry.polygon_px(polygon, *size)
    points[index] = pointer
    return geometry.polygon_from_px(points, polygon.closed, *size)


def with_inserted_vertex(polygon: Polygon, size: Size, edge: int, pointer: Point) -> Polygon:
    """A new vertex on edge `edge` (from vertex `edge` to the next one) at the pointer."""
    points = geometry.polygon_px(polygon, *size)
    points.insert(edge + 1, pointer)
    return geometry.polygon_from_px(points, polygon.closed, *size)


def without_vertex(polygon: Polygon, index: int, minimum: int = 3) -> Polygon | None:
    """The polygon without a vertex, or None when that would leave fewer than `minimum`."""
    if len(polygon.points) <= minimum:
        return None
    return replace(polygon, points=polygon.points[:index] + polygon.points[index + 1:])


def _foot(a: Point, b: Point, p: Point) -> tuple[Point, float]:
    """The point of segment ab nearest p, and its distance."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else min(max(((p[0] - ax) * dx + (p[1] - ay) * dy) / length, 0.0), 1.0)
    foot = (ax + t * dx, ay + t * dy)
    return foot, math.hypot(p[0] - foot[0], p[1] - foot[1])


def nearest_edge(points: Sequence[Point], closed: bool, p: Point) -> tuple[int, Point, float] | None:
    """The edge nearest the pointer: its first vertex, the nearest point on it, the distance."""
    count = len(points)
    edges = range(count if closed and count > 2 else count - 1)
    best = None
    for edge in edges:
        foot, distance = _foot(points[edge], points[(edge + 1) % count], p)
        if best is None or distance < best[2]:
            best = (edge, foot, distance)
    return best


def handle_at(handles: Sequence[Handle], p: Point, tolerance: float) -> Handle | None:
    """The handle nearest the pointer within `tolerance` pixels."""
    best, best_distance = None, tolerance
    for handle in handles:
        distance = math.hypot(handle.at[0] - p[0], handle.at[1] - p[1])
        if distance <= best_distance:
            best, best_distance = handle, distance
    return best


def rectangle_between(a: Point, b: Point, size: Size) -> Rectangle:
    """The upright rectangle a drag from `a` to `b` spans."""
    left, right = sorted((a[0], b[0]))
    top, bottom = sorted((a[1], b[1]))
    return geometry.rectangle_from_px(left, top, right - left, bottom - top, 0.0, *size)


def ellipse_around(centre: Point, pointer: Point, size: Size, circle: bool = False) -> Ellipse:
    """The upright ellipse a drag from its centre spans; a circle (equal radii in pixels) with `circle`."""
    rx, ry = abs(pointer[0] - centre[0]), abs(pointer[1] - centre[1])
    if circle:
        rx = ry = max(rx, ry)
    return geometry.ellipse_from_px(centre[0], centre[1], rx, ry, 0.0, *size)

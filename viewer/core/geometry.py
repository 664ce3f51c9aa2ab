"""Percent <-> pixel for image regions, in the pixel space of the decoded (EXIF-oriented) image.

Core layer, no Qt. The only place pixels are made (DESIGN.md rule 2). Rotations are clockwise on screen (y down):
rectangles about their top-left corner, ellipses about their centre, always computed in pixels (FORMAT.md 1.2-1.5).
"""

from __future__ import annotations

import math
from typing import Sequence

from viewer.core.shapes import Ellipse, KeyPoint, Polygon, Rectangle

Point = tuple[float, float]


def to_px(x_percent: float, y_percent: float, width: float, height: float) -> Point:
    return x_percent / 100.0 * width, y_percent / 100.0 * height


def to_percent(x_px: float, y_px: float, width: float, height: float) -> Point:
    return x_px / width * 100.0, y_px / height * 100.0


def _turn(angle_degrees: float) -> tuple[float, float]:
    theta = math.radians(angle_degrees)
    return math.cos(theta), math.sin(theta)


def rectangle_corners(rect: Rectangle, width: float, height: float) -> tuple[Point, Point, Point, Point]:
    """Corners TL, TR, BR, BL in pixels; TL is the pivot the rotation turns about."""
    x, y = to_px(rect.x, rect.y, width, height)
    w = rect.width / 100.0 * width
    h = rect.height / 100.0 * height
    cos, sin = _turn(rect.rotation)
    top_right = (x + w * cos, y + w * sin)
    bottom_left = (x - h * sin, y + h * cos)
    bottom_right = (top_right[0] + bottom_left[0] - x, top_right[1] + bottom_left[1] - y)
    return (x, y), top_right, bottom_right, bottom_left


def ellipse_px(ellipse: Ellipse, width: float, height: float) -> tuple[Point, tuple[float, float], float]:
    """Centre and radii in pixels, rotation in degrees (about the centre)."""
    return (to_px(ellipse.x, ellipse.y, width, height),
            (ellipse.radius_x / 100.0 * width, ellipse.radius_y / 100.0 * height), ellipse.rotation)


def ellipse_point(ellipse: Ellipse, width: float, height: float, parameter_degrees: float) -> Point:
    """The boundary point at a parameter angle (0 = end of the x radius, 90 = end of the y radius)."""
    (cx, cy), (rx, ry), rotation = ellipse_px(ellipse, width, height)
    cos_t, sin_t = _turn(parameter_degrees)
    cos, sin = _turn(rotation)
    ex, ey = rx * cos_t, ry * sin_t
    return cx + ex * cos - ey * sin, cy + ex * sin + ey * cos


def polygon_px(polygon: Polygon, width: float, height: float) -> list[Point]:
    return [to_px(px, py, width, height) for px, py in polygon.points]


def keypoint_px(point: KeyPoint, width: float, height: float) -> tuple[Point, float]:
    """Centre and radius in image pixels: `width` is a radius in percent of the image width (FORMAT.md 1.5)."""
    return to_px(point.x, point.y, width, height), point.width / 100.0 * width


def bounds(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def ellipse_bounds(ellipse: Ellipse, width: float, height: float) -> tuple[float, float, float, float]:
    """Axis-aligned bounding box of a rotated ellipse, in pixels."""
    (cx, cy), (rx, ry), rotation = ellipse_px(ellipse, width, height)
    cos, sin = _turn(rotation)
    half_w = math.hypot(rx * cos, ry * sin)
    half_h = math.hypot(rx * sin, ry * cos)
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def rectangle_from_px(x: float, y: float, width: float, height: float, rotation: float, image_width: float,
                      image_height: float) -> Rectangle:
    """A rectangle from its top-left corner and size in pixels (rotation about that corner, degrees)."""
    px, py = to_percent(x, y, image_width, image_height)
    return Rectangle(px, py, width / image_width * 100.0, height / image_height * 100.0, rotation % 360.0)


def ellipse_from_px(cx: float, cy: float, rx: float, ry: float, rotation: float, image_width: float,
                    image_height: float) -> Ellipse:
    px, py = to_percent(cx, cy, image_width, image_height)
    return Ellipse(px, py, rx / image_width * 100.0, ry / image_height * 100.0, rotation % 360.0)


def polygon_from_px(points: Sequence[Point], closed: bool, image_width: float, image_height: float) -> Polygon:
    return Polygon(tuple(to_percent(x, y, image_width, image_height) for x, y in points), closed)


def keypoint_from_px(cx: float, cy: float, radius: float, image_width: float, image_height: float) -> KeyPoint:
    px, py = to_percent(cx, cy, image_width, image_height)
    return KeyPoint(px, py, radius / image_width * 100.0)


def signed_area(points: Sequence[Point]) -> float:
    """The shoelace area, positive when the points run counter-clockwise in y-up axes (clockwise on screen)."""
    area = 0.0
    for (x0, y0), (x1, y1) in zip(points, list(points[1:]) + list(points[:1])):
        area += x0 * y1 - x1 * y0
    return area / 2.0


def clip_convex(subject: Sequence[Point], clip: Sequence[Point]) -> list[Point]:
    """Sutherland-Hodgman: the part of the polygon `subject` inside the convex polygon `clip` (either winding);
    a concave subject cut into pieces comes back as one outline joined along the clip's edges."""
    orientation = 1.0 if signed_area(clip) > 0 else -1.0
    output = [(float(x), float(y)) for x, y in subject]
    for (ax, ay), (bx, by) in zip(clip, list(clip[1:]) + list(clip[:1])):
        if not output:
            break
        source, output = output, []

        def side(point: Point) -> float:
            return orientation * ((bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax))

        previous = source[-1]
        for current in source:
            before, now = side(previous), side(current)
            if (before >= 0) != (now >= 0):
                t = before / (before - now)
                output.append((previous[0] + t * (current[0] - previous[0]),
                               previous[1] + t * (current[1] - previous[1])))
            if now >= 0:
                output.append(current)
            previous = current
    return output

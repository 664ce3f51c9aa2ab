"""Image regions in the pixels of the image as decoded (EXIF applied), the way training formats want them.

Core layer, no Qt. Rectangles keep their four corners (rotation about the top-left pivot, a missing rotation is
0), ellipses become polygons, brush masks are decoded once; every coordinate is clamped to the image, and a
shape says whether clamping moved it. A region that cannot be exported gets a reason instead (the summary's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from viewer.core import geometry, rle
from viewer.core.errors import RleError
from viewer.core.region_kinds import NOT_ON_IMAGE, KindTable
from viewer.core.shapes import Bitmask, Ellipse, KeyPoint, Mask, Polygon, Rectangle, Vector

Point = tuple[float, float]
Box = tuple[float, float, float, float]          # x0, y0, x1, y1

# An inscribed 64-gon has N/(2 pi) sin(2 pi/N) = 99.84 % of the ellipse's area: within the 0.5 % asked for.
ELLIPSE_SIDES = 64


@dataclass(frozen=True)
class PixelShape:
    """One region's geometry in image pixels, clamped to the image.

    `outline`: the polygon of an area (rectangle corners TL TR BR BL, polygon points, the ellipse's N-gon), clipped
    to the image, so its edges keep their slopes and its area is the part inside; `corners`: a rectangle's four
    corners with each one clamped to the image (what an oriented box format can hold);
    `box`: the axis-aligned hull (of the mask's pixels for brushes: x1, y1 one past the last pixel);
    `point`: a keypoint's centre; `mask`: a brush's decoded pixels (bool, height x width)."""

    kind: str
    box: Box
    outline: tuple[Point, ...] | None = None
    point: Point | None = None
    mask: np.ndarray | None = None
    clamped: bool = False
    corners: tuple[Point, ...] | None = None

    @property
    def area(self) -> float:
        if self.mask is not None:
            return float(np.count_nonzero(self.mask))
        if self.outline is not None:
            return polygon_area(self.outline)
        return 0.0


def polygon_area(points) -> float:
    return abs(geometry.signed_area(points))


def _clamp(points, width: int, height: int) -> tuple[tuple[Point, ...], bool]:
    right, bottom = float(width), float(height)
    out = tuple((0.0 if x < 0 else right if x > right else float(x), 0.0 if y < 0 else bottom if y > bottom
                 else float(y)) for x, y in points)
    return out, any(x < 0 or x > right or y < 0 or y > bottom for x, y in points)


def clip_polygon(points, width: float, height: float) -> list[Point]:
    """The part of a polygon inside the image: clamping each vertex instead would bend every edge that crosses
    the border."""
    return geometry.clip_convex(points, [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)])


def _area_shape(kind: str, points, width: int, height: int) -> PixelShape | str:
    corners, clamped = _clamp(points, width, height)
    outline = tuple(clip_polygon(points, width, height)) if clamped else corners
    box = geometry.bounds(outline) if outline else (0.0, 0.0, 0.0, 0.0)
    if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
        return "outside the image (nothing left after clamping)" if clamped else "no area (zero width or height)"
    return PixelShape(kind, box, outline, clamped=clamped, corners=corners if kind == "rectangle" else None)


def _rectangle(shape: Rectangle, width: int, height: int) -> PixelShape | str:
    return _area_shape("rectangle", geometry.rectangle_corners(shape, width, height), width, height)


def ellipse_polygon(shape: Ellipse, width: int, height: int, sides: int = ELLIPSE_SIDES) -> list[Point]:
    return [geometry.ellipse_point(shape, width, height, 360.0 * i / sides) for i in range(sides)]


def _ellipse(shape: Ellipse, width: int, height: int) -> PixelShape | str:
    found = _area_shape("ellipse", ellipse_polygon(shape, width, height), width, height)
    if isinstance(found, str):
        return found
    # The hull of the ellipse itself, not of its polygon (whose vertices may miss the extremes).
    x0, y0, x1, y1 = geometry.ellipse_bounds(shape, width, height)
    box = (max(x0, 0.0), max(y0, 0.0), min(x1, float(width)), min(y1, float(height)))
    return PixelShape("ellipse", box, found.outline, clamped=found.clamped or box != (x0, y0, x1, y1),
                      corners=found.corners)


def _polygon(shape: Polygon, width: int, height: int) -> PixelShape | str:
    if len(shape.points) < 3:
        return "a polygon of fewer than 3 points"
    return _area_shape("polygon", geometry.polygon_px(shape, width, height), width, height)


def _keypoint(shape: KeyPoint, width: int, height: int) -> PixelShape | str:
    (x, y), _radius = geometry.keypoint_px(shape, width, height)
    (point,), clamped = _clamp([(x, y)], width, height)
    return PixelShape("keypoint", (point[0], point[1], point[0], point[1]), point=point, clamped=clamped)


def _from_plane(kind: str, plane: np.ndarray, width: int, height: int) -> PixelShape | str:
    if plane.shape != (height, width):
        return f"its mask is {plane.shape[1]}x{plane.shape[0]}, the image {width}x{height}"
    mask = plane > 0
    rows, cols = np.any(mask, axis=1), np.any(mask, axis=0)
    if not rows.any():
        return "an empty mask"
    y0, y1 = np.flatnonzero(rows)[[0, -1]]
    x0, x1 = np.flatnonzero(cols)[[0, -1]]
    return PixelShape(kind, (float(x0), float(y0), float(x1 + 1), float(y1 + 1)), mask=mask)


def _mask(shape: Mask, width: int, height: int) -> PixelShape | str:
    from viewer.core.resolve import png_mask  # resolve imports project; kept out of this module's import time

    try:
        plane = rle.decode(shape.rle, width, height) if shape.rle is not None else \
            png_mask(shape.mask_data_url or "", 0)
    except (RleError, ValueError) as exc:
        return f"its mask cannot be decoded ({exc})"
    return _from_plane("mask", plane, width, height)


def _bitmask(shape: Bitmask, width: int, height: int) -> PixelShape | str:
    from viewer.core.resolve import png_mask

    try:
        plane = png_mask(shape.image_data_url, 3)
    except ValueError as exc:
        return f"its mask cannot be decoded ({exc})"
    return _from_plane("mask", plane, width, height)


def _vector(shape: Vector, width: int, height: int) -> str:
    return "a vector path: no training format holds one"


# An image region in pixels for the training exports (shape, width, height) -> PixelShape, or why it is skipped.
EXPORT_PIXELS: KindTable[Callable[[Any, int, int], PixelShape | str]] = KindTable("export pixels", {
    Rectangle: _rectangle, Ellipse: _ellipse, Polygon: _polygon, KeyPoint: _keypoint, Mask: _mask,
    Bitmask: _bitmask, Vector: _vector,
}, elsewhere=NOT_ON_IMAGE)


def pixel_shape(shape, width: int, height: int) -> PixelShape | str:
    entry = EXPORT_PIXELS.get(shape)
    if entry is None:
        return f"a {shape.kind} region is not on an image"
    return entry(shape, width, height)


"""Regions in pixels -> the pixels they cover, for the `masks` export (core layer, numpy, no Qt).

A pixel (column i, row j) is covered when its centre (i + 0.5, j + 0.5) is inside the shape. Polygons (and rotated
rectangles, by their four corners) use the non-zero winding rule, as the editor's canvas fills them; a centre on a
left or top edge is inside, on a right or bottom edge outside, so two polygons sharing an edge never share a pixel
and leave no gap. An ellipse covers the centres inside or on it. A brush mask covers its pixels with alpha > 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True)
class Coverage:
    """The covered pixels of one region: a boolean window whose top-left pixel is (left, top) in the image."""

    top: int
    left: int
    pixels: np.ndarray  # bool, shape (rows, columns)

    @property
    def count(self) -> int:
        return int(np.count_nonzero(self.pixels))


def _empty() -> Coverage:
    return Coverage(0, 0, np.zeros((0, 0), bool))


def _window(x0: float, y0: float, x1: float, y1: float, width: int, height: int) -> tuple[int, int, int, int]:
    """The pixel rows and columns whose centres can be inside [x0, x1] x [y0, y1], clipped to the image."""
    left = max(0, math.ceil(x0 - 0.5))
    right = min(width, math.floor(x1 - 0.5) + 1)
    top = max(0, math.ceil(y0 - 0.5))
    bottom = min(height, math.floor(y1 - 0.5) + 1)
    return left, top, right, bottom


def polygon(points: Sequence[Point], width: int, height: int) -> Coverage:
    """The pixels whose centres a closed polygon (pixel coordinates) covers, by non-zero winding."""
    if len(points) < 3:
        return _empty()
    xy = np.asarray(points, dtype=np.float64)
    if not np.all(np.isfinite(xy)):
        return _empty()
    left, top, right, bottom = _window(xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max(),
                                       width, height)
    if right <= left or bottom <= top:
        return _empty()
    start, end = xy, np.roll(xy, -1, axis=0)
    # an edge crosses the centre line of row j when min(y) <= j + 0.5 < max(y) (horizontal edges never do)
    low, high = np.minimum(start[:, 1], end[:, 1]), np.maximum(start[:, 1], end[:, 1])
    first = np.maximum(np.ceil(low - 0.5).astype(np.int64), top)
    last = np.minimum(np.ceil(high - 0.5).astype(np.int64), bottom)  # exclusive
    rows_per_edge = np.maximum(last - first, 0)
    edge = np.repeat(np.arange(len(xy)), rows_per_edge)
    if edge.size == 0:
        return _empty()
    row = first[edge] + (np.arange(edge.size) - np.repeat(np.cumsum(rows_per_edge) - rows_per_edge, rows_per_edge))
    centre_y = row + 0.5
    x0, y0, x1, y1 = start[edge, 0], start[edge, 1], end[edge, 0], end[edge, 1]
    crossing = x0 + (centre_y - y0) * (x1 - x0) / (y1 - y0)
    # the first column whose centre is at or right of the crossing; the winding changes there for the whole row
    column = np.clip(np.ceil(crossing - 0.5), left, right).astype(np.int64) - left
    direction = np.where(y1 > y0, 1, -1)
    winding = np.zeros((bottom - top, right - left + 1), np.int32)
    np.add.at(winding, (row - top, column), direction)
    inside = np.cumsum(winding, axis=1)[:, :-1] != 0
    return Coverage(top, left, inside)


def rectangle(corners: Sequence[Point], width: int, height: int) -> Coverage:
    """A (rotated) rectangle by its four corners in pixels (geometry.rectangle_corners)."""
    return polygon(corners, width, height)


def ellipse(centre: Point, radii: tuple[float, float], rotation: float, width: int, height: int) -> Coverage:
    """An ellipse by its centre and radii in pixels, turned `rotation` degrees clockwise (y down) about its centre."""
    (cx, cy), (rx, ry) = centre, radii
    if not (rx > 0 and ry > 0) or not all(map(math.isfinite, (cx, cy, rx, ry, rotation))):
        return _empty()
    theta = math.radians(rotation)
    cos, sin = math.cos(theta), math.sin(theta)
    half_w, half_h = math.hypot(rx * cos, ry * sin), math.hypot(rx * sin, ry * cos)
    left, top, right, bottom = _window(cx - half_w, cy - half_h, cx + half_w, cy + half_h, width, height)
    if right <= left or bottom <= top:
        return _empty()
    dx = (np.arange(left, right) + 0.5 - cx)[None, :]
    dy = (np.arange(top, bottom) + 0.5 - cy)[:, None]
    # into the ellipse's own axes: turn back by the rotation
    u = dx * cos + dy * sin
    v = dy * cos - dx * sin
    return Coverage(top, left, (u / rx) ** 2 + (v / ry) ** 2 <= 1.0)


def mask(alpha: np.ndarray) -> Coverage:
    """A decoded brush mask (core.rle.decode, shape (height, width)): the pixels with alpha > 0."""
    return Coverage(0, 0, np.asarray(alpha) > 0)

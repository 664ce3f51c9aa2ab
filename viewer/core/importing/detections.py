"""What an import is made of: a model's detections on one image, in the pixels of the decoded image.

Core layer, no Qt. Formats (yolo, coco ...) read their files into these; scripts that hold arrays build them with
the functions of viewer.core.importing.api. Nothing here knows the labeling config.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from viewer.core import geometry

Point = tuple[float, float]


def rasterize(points: Sequence[Point], width: int, height: int) -> np.ndarray:
    """The pixels a polygon covers (Pillow's fill), bool, height x width."""
    from PIL import Image, ImageDraw

    canvas = Image.new("L", (width, height), 0)
    ImageDraw.Draw(canvas).polygon([(float(x), float(y)) for x, y in points], fill=255)
    return np.asarray(canvas) > 0


# Each shape says which region kinds it may become, in order of preference (the config decides:
# controls.ControlChooser), and gives itself as each: rectangle() (x, y, width, height, rotation in pixels, the
# top-left pivot), outlines() (polygons) and pixels() (a mask of the image).


@dataclass(frozen=True)
class Box:
    """An axis-aligned box: x0, y0 the top-left corner, x1, y1 the bottom-right (pixels, x1 > x0, y1 > y0)."""

    x0: float
    y0: float
    x1: float
    y1: float
    kinds = ("rectangle", "polygon", "brush")

    @classmethod
    def from_xywh(cls, x: float, y: float, width: float, height: float) -> "Box":
        return cls(x, y, x + width, y + height)

    @classmethod
    def from_center(cls, cx: float, cy: float, width: float, height: float) -> "Box":
        return cls(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)

    def rectangle(self) -> tuple[float, float, float, float, float]:
        return self.x0, self.y0, self.x1 - self.x0, self.y1 - self.y0, 0.0

    def outlines(self) -> list[list[Point]]:
        return [[(self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1)]]

    def pixels(self, width: int, height: int) -> np.ndarray:
        return rasterize(self.outlines()[0], width, height)


@dataclass(frozen=True)
class RotatedBox:
    """An oriented box by its four corners in drawing order (either way round), pixels."""

    corners: tuple[Point, Point, Point, Point]
    kinds = ("rectangle", "polygon", "brush")

    def rectangle(self) -> tuple[float, float, float, float, float]:
        return rectangle_of_corners(self.corners)

    def outlines(self) -> list[list[Point]]:
        return [list(self.corners)]

    def pixels(self, width: int, height: int) -> np.ndarray:
        return rasterize(self.corners, width, height)


@dataclass(frozen=True)
class Polygon:
    """A closed polygon, pixels; the first point is not repeated at the end."""

    points: tuple[Point, ...]
    kinds = ("polygon", "brush")

    def outlines(self) -> list[list[Point]]:
        return [list(self.points)]

    def pixels(self, width: int, height: int) -> np.ndarray:
        return rasterize(self.points, width, height)


@dataclass(frozen=True, eq=False)
class Mask:
    """A mask of the whole image: bool or uint8 (non-zero is on), height x width."""

    mask: np.ndarray
    kinds = ("brush", "polygon")

    def outlines(self) -> list[list[Point]]:
        """The outer boundary of each 4-connected part, largest first (holes are not kept)."""
        from viewer.core.export.training.masks import outer_boundary, parts

        return [outer_boundary(part) for part in parts(np.asarray(self.mask) > 0)]

    def pixels(self, width: int, height: int) -> np.ndarray:
        mask = np.asarray(self.mask)
        if mask.shape != (height, width):
            raise ValueError(f"a mask of {mask.shape[1]}x{mask.shape[0]} on an image of {width}x{height}")
        return mask > 0


@dataclass(frozen=True)
class KeyPoint:
    """One keypoint, pixels; `name` is its <KeyPointLabels> label (a pose's part) or, alone, its class."""

    x: float
    y: float
    name: str | None = None
    kinds = ("keypoint",)


Shape = Box | RotatedBox | Polygon | Mask | KeyPoint


@dataclass
class Detection:
    """One object: a shape with its class label and score (None: the model gave none; 0 is a score).

    `keypoints`: a pose's parts, written as <KeyPointLabels> results whose parentID is this region."""

    shape: Shape
    label: str
    score: float | None = None
    keypoints: list[KeyPoint] = field(default_factory=list)


@dataclass
class ImageDetections:
    """The detections of one image, as a format read them.

    `name`: the image as the source names it (a relative path or a file name), for matching tasks and messages;
    `path`: the image file when found on disk; `size`: (width, height) of the decoded image when the source says it
    (COCO), else read from `path`'s header; `score`: the prediction's own score when the source gives one;
    `skipped`: reason -> count of what the format could not read for this image."""

    name: str
    path: str | None = None
    size: tuple[int, int] | None = None
    detections: list[Detection] = field(default_factory=list)
    score: float | None = None
    model_version: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count


def rectangle_of_corners(corners: Sequence[Point]) -> tuple[float, float, float, float, float]:
    """(x, y, width, height, rotation) in pixels of Label Studio's rectangle through four corners: (x, y) the
    first corner, the pivot, rotation clockwise on screen in degrees [0, 360).

    Corners given counter-clockwise on screen are taken in the other order, so the rectangle's second corner is
    the fourth given. A shape that is not quite a rectangle (a model's rounding) gets the mean of its opposite
    sides' lengths and directions, about its centre."""
    points = [(float(x), float(y)) for x, y in corners]
    if len(points) != 4:
        raise ValueError(f"a rotated box has 4 corners, got {len(points)}")
    if geometry.signed_area(points) < 0:  # y down: a positive area runs clockwise on screen
        points = [points[0], points[3], points[2], points[1]]
    p0, p1, p2, p3 = points
    # the directions of the top (p0->p1) and bottom (p3->p2) edges, and of the left (p0->p3) and right (p1->p2)
    ux, uy = (p1[0] - p0[0] + p2[0] - p3[0]) / 2, (p1[1] - p0[1] + p2[1] - p3[1]) / 2
    width = (math.dist(p0, p1) + math.dist(p3, p2)) / 2
    height = (math.dist(p0, p3) + math.dist(p1, p2)) / 2
    angle = math.atan2(uy, ux)
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = sum(p[0] for p in points) / 4, sum(p[1] for p in points) / 4
    # the top-left corner: the centre minus half the width along the top edge and half the height down the side
    x = cx - width / 2 * cos + height / 2 * sin
    y = cy - width / 2 * sin - height / 2 * cos
    return x, y, width, height, math.degrees(angle) % 360.0


def box_shaped(points: Sequence[Point], tolerance: float = 0.01) -> RotatedBox | None:
    """The rotated box a polygon of 4 corners at right angles is (as lsview's exports write rectangles), or None.
    `tolerance`: how far from 0 the cosine of each corner's angle may be."""
    if len(points) != 4:
        return None
    for index in range(4):
        a, b, c = points[index - 1], points[index], points[(index + 1) % 4]
        ux, uy, vx, vy = a[0] - b[0], a[1] - b[1], c[0] - b[0], c[1] - b[1]
        lengths = math.hypot(ux, uy) * math.hypot(vx, vy)
        if lengths == 0 or abs(ux * vx + uy * vy) / lengths > tolerance:
            return None
    return RotatedBox(tuple((float(x), float(y)) for x, y in points))

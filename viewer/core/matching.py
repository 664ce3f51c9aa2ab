"""Matching the regions of two sources (a prediction and the annotation, or two model versions) by overlap.

Core layer, no Qt. Image regions are compared by IoU in pixels (exact for convex outlines, sampled on a grid for
concave polygons, per pixel for masks), text spans and time-series ranges by the overlap of their ranges (temporal
IoU). Pairs are taken greedily, best
first, a pair with the same labels before one without.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from viewer.core import geometry, rle
from viewer.core.errors import RleError
from viewer.core.region_kinds import AUDIO_KINDS, IMAGE_KINDS, SPAN_KINDS, VIDEO_KINDS, KindTable
from viewer.core.regions import Region
from viewer.core.shapes import (AudioSegment, Ellipse, HyperTextSpan, KeyPoint, Mask, ParagraphSpan, Polygon,
                                Rectangle, Span, TimelineRanges, TimeSeriesRange, VideoRectangle)
from viewer.core.timeseries.ranges import range_times
from viewer.core.video.timing import video_length
from viewer.core.video.track import Box, Track, box_at, lifespans
from viewer.core.video_content import rectangle, video_framerate

Point = tuple[float, float]
ELLIPSE_SIDES = 64      # an ellipse as a 64-gon: its area is within 0.2 % of the true one
GRID = 256              # samples per axis when a concave polygon is involved
MAX_PIXEL_SAMPLES = 4e7  # a union box bigger than this (a region with absurd numbers) is sampled on the GRID
PARAGRAPH_STRIDE = 1 << 32   # phrase index * stride + UTF-16 offset: one line for a paragraph span's range
# channel * stride + seconds: segments on different channels never overlap (31 years apart; a double still
# resolves a microsecond there)
CHANNEL_STRIDE = 1e9

MATCHED, LABEL_DIFFERS, ONLY_A, ONLY_B = "matched", "label-differs", "only-a", "only-b"


@dataclass(frozen=True)
class Match:
    """One row of a comparison: a pair (or a region alone), its overlap and what it means."""

    status: str
    a: Region | None
    b: Region | None
    overlap: float


class Outline:
    """A region's area in pixels: a polygon (clockwise or not) or a boolean mask of the whole image."""

    def __init__(self, points: Sequence[Point] | None = None, mask: np.ndarray | None = None):
        self.points = list(points) if points is not None else None
        self.mask = mask
        if mask is not None:
            ys, xs = np.nonzero(mask)
            self.bbox = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)) \
                if len(xs) else None
            self.area = float(len(xs))
        else:
            self.bbox = geometry.bounds(self.points) if self.points else None
            self.area = abs(geometry.signed_area(self.points)) if self.points else 0.0


def outline(region: Region, size: tuple[int, int], mask: np.ndarray | None = None) -> Outline | None:
    """The area of an image region (`mask`: its decoded alpha plane, for brush regions)."""
    area = OUTLINES.get(region.shape)
    return None if area is None else area(region.shape, *size, mask)


def _rectangle_area(shape: Rectangle, width: int, height: int, mask: np.ndarray | None) -> Outline:
    return Outline(geometry.rectangle_corners(shape, width, height))


def _ellipse_area(shape: Ellipse, width: int, height: int, mask: np.ndarray | None) -> Outline:
    return Outline([geometry.ellipse_point(shape, width, height, 360.0 * i / ELLIPSE_SIDES)
                    for i in range(ELLIPSE_SIDES)])


def _polygon_area(shape: Polygon, width: int, height: int, mask: np.ndarray | None) -> Outline | None:
    return Outline(geometry.polygon_px(shape, width, height)) if len(shape.points) >= 3 else None


def _keypoint_area(shape: KeyPoint, width: int, height: int, mask: np.ndarray | None) -> Outline:
    (cx, cy), radius = geometry.keypoint_px(shape, width, height)
    radius = max(radius, 2.0)  # the editor never draws a keypoint smaller than 2 px
    return Outline([(cx + radius * math.cos(t), cy + radius * math.sin(t))
                    for t in np.linspace(0, 2 * math.pi, 24, endpoint=False)])


def _mask_area(shape: Mask, width: int, height: int, mask: np.ndarray | None) -> Outline | None:
    return Outline(mask=mask > 0) if mask is not None else None


# An image region's area in pixels for IoU (shape, width, height, decoded mask); None: no area, overlap 0.
OUTLINES: KindTable[Callable[..., Outline | None]] = KindTable("matching outlines", {
    Rectangle: _rectangle_area, Ellipse: _ellipse_area, Polygon: _polygon_area, KeyPoint: _keypoint_area,
    Mask: _mask_area,
}, elsewhere={
    "bitmask": "not decoded for matching: no area, so it matches nothing (overlap 0)",
    "vector": "a path of vertices, not an area: it matches nothing (overlap 0)",
    **{kind: "a text span: compared by the overlap of its range (matching span ranges)" for kind in SPAN_KINDS},
    "timeseries-range": "a range of time: compared by temporal IoU (matching span ranges)",
    **{kind: "seconds on a waveform: temporal IoU on its channel (matching span ranges)" for kind in AUDIO_KINDS},
    **{kind: "left out of comparisons (compare())" for kind in ("classification", "invalid", "other")},
    **{kind: "on a video: compared frame by frame (matching over frames)" for kind in VIDEO_KINDS},
})


def _is_convex(points: Sequence[Point]) -> bool:
    sign = 0
    n = len(points)
    for i in range(n):
        (x0, y0), (x1, y1), (x2, y2) = points[i], points[(i + 1) % n], points[(i + 2) % n]
        cross = (x1 - x0) * (y2 - y1) - (y1 - y0) * (x2 - x1)
        if abs(cross) > 1e-12:
            if sign == 0:
                sign = 1 if cross > 0 else -1
            elif (cross > 0) != (sign > 0):
                return False
    return True


def _inside(points: Sequence[Point], xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Even-odd point-in-polygon for arrays of sample points."""
    result = np.zeros(xs.shape, bool)
    for (x0, y0), (x1, y1) in zip(points, list(points[1:]) + [points[0]]):
        crosses = (y0 > ys) != (y1 > ys)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (ys - y0) * (x1 - x0) / (y1 - y0)
        result ^= crosses & (xs < x_at)
    return result


def _sampled(a: Outline, b: Outline, box: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = box
    if (a.mask is not None or b.mask is not None) and (x1 - x0) * (y1 - y0) <= MAX_PIXEL_SAMPLES:
        # Masks are pixels: sample every pixel centre of the union box (unless a region's numbers make it huge).
        xs, ys = np.meshgrid(np.arange(math.floor(x0), math.ceil(x1)) + 0.5,
                             np.arange(math.floor(y0), math.ceil(y1)) + 0.5)
    else:
        xs, ys = np.meshgrid(np.linspace(x0, x1, GRID, endpoint=False) + (x1 - x0) / GRID / 2,
                             np.linspace(y0, y1, GRID, endpoint=False) + (y1 - y0) / GRID / 2)
    return _cover(a, xs, ys), _cover(b, xs, ys)


def _cover(shape: Outline, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    if shape.mask is None:
        return _inside(shape.points, xs, ys)
    h, w = shape.mask.shape
    cols, rows = np.floor(xs).astype(int), np.floor(ys).astype(int)
    valid = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
    out = np.zeros(xs.shape, bool)
    out[valid] = shape.mask[rows[valid], cols[valid]]
    return out


def iou(a: Outline | None, b: Outline | None) -> float:
    """Intersection over union of two areas (0 when either is empty or they do not touch)."""
    if a is None or b is None or a.bbox is None or b.bbox is None or a.area == 0 or b.area == 0:
        return 0.0
    ax0, ay0, ax1, ay1 = a.bbox
    bx0, by0, bx1, by1 = b.bbox
    if ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0:
        return 0.0
    if a.points is not None and b.points is not None and (_is_convex(a.points) or _is_convex(b.points)):
        subject, clip = (b.points, a.points) if _is_convex(a.points) else (a.points, b.points)
        common = abs(geometry.signed_area(geometry.clip_convex(subject, clip) or [(0.0, 0.0)]))
        return common / (a.area + b.area - common)
    box = (min(ax0, bx0), min(ay0, by0), max(ax1, bx1), max(ay1, by1))
    in_a, in_b = _sampled(a, b, box)
    union = np.count_nonzero(in_a | in_b)
    return float(np.count_nonzero(in_a & in_b)) / union if union else 0.0


def span_range(region: Region, axis=None) -> tuple[float, float] | None:
    """A span as one [start, end) range: code points (Text), phrase-weighted UTF-16 units (Paragraphs), global
    offsets (HyperText), time in the plot's units (a time-series range; `axis` is its SeriesSpec), channel-weighted
    seconds (an audio segment)."""
    in_units = SPAN_RANGES.get(region.shape)
    return None if in_units is None else in_units(region.shape, axis)


def _hypertext_range(shape: HyperTextSpan, axis=None) -> tuple[float, float] | None:
    return (float(shape.global_start), float(shape.global_end)) if shape.global_start is not None else None


def _segment_range(shape: AudioSegment, axis=None) -> tuple[float, float]:
    """Temporal IoU, same channel only; a reversed segment counts as the time between its ends."""
    low, high = sorted((shape.start, shape.end))
    return shape.channel * CHANNEL_STRIDE + low, shape.channel * CHANNEL_STRIDE + high


SPAN_RANGES: KindTable[Callable[..., tuple[float, float] | None]] = KindTable("matching span ranges", {
    Span: lambda shape, axis=None: (float(shape.start), float(shape.end)),
    ParagraphSpan: lambda shape, axis=None: (float(shape.start * PARAGRAPH_STRIDE + shape.start_offset),
                                             float(shape.end * PARAGRAPH_STRIDE + shape.end_offset)),
    HyperTextSpan: _hypertext_range,
    TimeSeriesRange: lambda shape, axis=None: range_times(axis, shape),
    AudioSegment: _segment_range,
}, elsewhere={
    **{kind: "on an image: compared by IoU (matching outlines)" for kind in IMAGE_KINDS},
    **{kind: "left out of comparisons (compare())" for kind in ("classification", "invalid", "other")},
    **{kind: "on a video: compared frame by frame (matching over frames)" for kind in VIDEO_KINDS},
})


def box_iou(a: Box, b: Box, width: float, height: float) -> float:
    """IoU of two boxes (percent of a width x height frame, rotated about their top-left corners) in pixels."""
    if a.rotation % 360 == 0 and b.rotation % 360 == 0:  # the common case, without the polygon clipper
        ax0, ay0, ax1, ay1 = a.x * width, a.y * height, (a.x + a.width) * width, (a.y + a.height) * height
        bx0, by0, bx1, by1 = b.x * width, b.y * height, (b.x + b.width) * width, (b.y + b.height) * height
        common = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
        union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - common
        return common / union if union > 0 and common > 0 else 0.0
    return iou(*(Outline(geometry.rectangle_corners(rectangle(box), width, height)) for box in (a, b)))


def track_overlap(a: Track, b: Track, frames_count: int | None, size: tuple[int, int] | None) -> float:
    """Per-frame box IoU averaged over every frame where either track shows a box (a frame where only one shows
    counts 0): two tracks agree fully only if they show the same boxes on the same frames."""
    width, height = size or (100, 100)
    count = frames_count or max((k.frame for k in a.keyframes + b.keyframes), default=0)
    shown = set()
    for start, end in lifespans(a, count) + lifespans(b, count):
        shown.update(range(start, end + 1))
    if not shown:
        return 0.0
    total = 0.0
    for frame in shown:
        box_a, box_b = box_at(a, frame), box_at(b, frame)
        if box_a is not None and box_b is not None:
            total += box_iou(box_a, box_b, width / 100, height / 100)
    return total / len(shown)


def timeline_overlap(a: TimelineRanges, b: TimelineRanges) -> float:
    """Frames both timeline regions cover over the frames either covers (ranges inclusive)."""
    frames_a = {f for start, end in a.ranges for f in range(start, end + 1)}
    frames_b = {f for start, end in b.ranges for f in range(start, end + 1)}
    union = len(frames_a | frames_b)
    return len(frames_a & frames_b) / union if union else 0.0


# Overlap of two regions of one kind on a video (project, task, a, b); compare() pairs them like the rest.
OVER_FRAMES: KindTable[Callable[..., float]] = KindTable("matching over frames", {
    VideoRectangle: lambda project, task, a, b: track_overlap(a.shape.track, b.shape.track,
                                                              *_video_frames(project, task, a)),
    TimelineRanges: lambda project, task, a, b: timeline_overlap(a.shape, b.shape),
}, elsewhere={
    **{kind: "on an image: compared by IoU (matching outlines)" for kind in IMAGE_KINDS},
    **{kind: "a text span: compared by the overlap of its range (matching span ranges)" for kind in SPAN_KINDS},
    "timeseries-range": "a range of time: compared by temporal IoU (matching span ranges)",
    **{kind: "seconds on a waveform: temporal IoU on its channel (matching span ranges)" for kind in AUDIO_KINDS},
    **{kind: "left out of comparisons (compare())" for kind in ("classification", "invalid", "other")},
})


def _video_frames(project, task, region: Region) -> tuple[int | None, tuple[int, int] | None]:
    info = project.task_video(task, region.to_name)
    # Label Studio's frames (its count at the <Video> framerate), which the tracks' frame numbers count
    frames = video_length(info.frames_count, info.duration, video_framerate(project.config, region.to_name, task)) \
        if info is not None else None
    return frames if frames is not None else region.shape.track.frames_count, info.size if info is not None else None


def span_overlap(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    """Overlap of two ranges over their union (0 for disjoint or touching ranges)."""
    if a is None or b is None:
        return 0.0
    if a[0] == a[1] and b[0] == b[1]:
        return 1.0 if a[0] == b[0] else 0.0  # two instants (time-series point events) match at the same time
    common = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return common / union if common > 0 and union > 0 else 0.0


def match_regions(a: Sequence[Region], b: Sequence[Region], overlap_of, threshold: float = 0.5,
                  compare_labels: bool = True) -> list[Match]:
    """Pair regions of A and B whose overlap (`overlap_of(ra, rb)`) is at least `threshold`.

    Only regions on the same object and page are compared. Every region ends up in exactly one row.
    """
    candidates = []
    for i, ra in enumerate(a):
        for j, rb in enumerate(b):
            if (ra.to_name, ra.item_index) != (rb.to_name, rb.item_index):
                continue
            value = overlap_of(ra, rb)
            if value >= threshold and value > 0:
                same = set(ra.labels) == set(rb.labels)
                candidates.append((same, value, i, j))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    rows: list[Match] = []
    for same, value, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        status = MATCHED if same or not compare_labels else LABEL_DIFFERS
        rows.append(Match(status, a[i], b[j], value))
    rows += [Match(ONLY_A, region, None, 0.0) for i, region in enumerate(a) if i not in used_a]
    rows += [Match(ONLY_B, None, region, 0.0) for j, region in enumerate(b) if j not in used_b]
    return rows


class TaskOverlap:
    """`overlap(ra, rb)` for the regions of one task: IoU for image regions, range overlap for spans.

    Outlines (and decoded masks) are made once per region and kept, as a comparison asks for each many times.
    """

    def __init__(self, project, task):
        self.project = project
        self.task = task
        self._outlines: dict[int, Outline | None] = {}

    def _outline(self, region: Region) -> Outline | None:
        key = id(region)
        if key not in self._outlines:
            size = self.project.pixel_space(self.task, region).size
            made = None
            if size is not None:
                mask = None
                # One kind's rule, not a dispatch: only a brush's RLE is decoded here, once, for _mask_area.
                if isinstance(region.shape, Mask) and region.shape.rle is not None:
                    try:
                        mask = rle.decode(region.shape.rle, *size)
                    except RleError:
                        mask = None
                made = outline(region, size, mask)
            self._outlines[key] = made
        return self._outlines[key]

    def __call__(self, a: Region, b: Region) -> float:
        over_frames = OVER_FRAMES.get(a.shape)
        if over_frames is not None or OVER_FRAMES.get(b.shape) is not None:
            return over_frames(self.project, self.task, a, b) if type(a.shape) is type(b.shape) else 0.0
        ranges = span_range(a, self.project.series_spec(a.to_name)), span_range(b, self.project.series_spec(b.to_name))
        if ranges[0] is not None or ranges[1] is not None:
            return span_overlap(*ranges) if type(a.shape) is type(b.shape) else 0.0
        return iou(self._outline(a), self._outline(b))


def compare(project, task, a: Sequence[Region], b: Sequence[Region], threshold: float = 0.5,
            compare_labels: bool = True) -> list[Match]:
    """The comparison of two sets of regions of one task (classifications are left out)."""
    def comparable(region: Region) -> bool:
        return region.kind not in ("classification", "other", "invalid")

    return match_regions([r for r in a if comparable(r)], [r for r in b if comparable(r)], TaskOverlap(project, task),
                         threshold, compare_labels)

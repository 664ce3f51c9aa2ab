"""Regions resolved to pixels and text, as the plain records `lsview inspect` prints (DESIGN.md 3).

Core layer, no Qt. One record per region, one per relation; the keys are a contract with users' scripts.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any, Callable, Iterator

import numpy as np
from PIL import Image, UnidentifiedImageError

from viewer.core import geometry, jsonout, rle
from viewer.core.audio.segments import segment_record
from viewer.core.errors import RleError
from viewer.core.html_nodes import HtmlNodes, NodeSpan
from viewer.core.project import PixelSpace, Project
from viewer.core.region_kinds import IMAGE_KINDS, SHAPES, KindTable
from viewer.core.regions import Region, Relation
from viewer.core.resolve_video import frame_records, timeline_shape, video_shape
from viewer.core.shapes import (AudioSegment, Bitmask, Classification, Ellipse, HyperTextSpan, Invalid, KeyPoint,
                                Mask, Other, ParagraphSpan, Polygon, Rectangle, Span, TimelineRanges, TimeSeriesRange,
                                Vector, VideoRectangle)
from viewer.core.tasks import ResultSet, Task
from viewer.core.textspans import paragraph_slice
from viewer.core.timeseries.ranges import range_record


def data_url_bytes(url: str) -> bytes:
    """The payload of a base64 data URL (ValueError when it is not one)."""
    head, _, payload = url.partition(",")
    if not head.startswith("data:") or ";base64" not in head:
        raise ValueError("not a base64 data: URL")
    try:
        return base64.b64decode(payload, validate=False)
    except binascii.Error as exc:
        raise ValueError(f"bad base64: {exc}") from None


def png_mask(url: str, channel: int) -> np.ndarray:
    """The on-pixels of a mask PNG data URL: red channel for brush maskDataURL, alpha for bitmasks."""
    try:
        with Image.open(io.BytesIO(data_url_bytes(url))) as image:
            plane = np.asarray(image.convert("RGBA"))[:, :, channel]
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not a readable PNG: {exc}") from None
    return plane


def mask_summary(alpha: np.ndarray) -> dict:
    ys, xs = np.nonzero(alpha)
    if len(xs) == 0:
        return {"kind": "mask", "pixels": 0, "bbox": None}
    return {"kind": "mask", "pixels": int(len(xs)),
            "bbox": [int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())]}


def _pair(point: tuple[float, float]) -> list[float]:
    return [point[0], point[1]]


def image_shape(region: Region, space: PixelSpace) -> dict:
    """The pixel geometry of an image region; percent values and "units": "percent" when no size is known."""
    shape = region.shape
    if space.size is None:
        return {"kind": shape.kind, "units": "percent", "value": _percent_value(region)}
    record = INSPECT_PIXELS.get(shape)
    return {"kind": shape.kind} if record is None else record(shape, *space.size)


def _rectangle_px(shape: Rectangle, width: int, height: int) -> dict:
    return {"kind": "rectangle", "corners": [_pair(p) for p in geometry.rectangle_corners(shape, width, height)],
            "rotation": shape.rotation}


def _ellipse_px(shape: Ellipse, width: int, height: int) -> dict:
    centre, radii, rotation = geometry.ellipse_px(shape, width, height)
    return {"kind": "ellipse", "center": _pair(centre), "radii": _pair(radii), "rotation": rotation}


def _polygon_px(shape: Polygon, width: int, height: int) -> dict:
    return {"kind": "polygon", "points": [_pair(p) for p in geometry.polygon_px(shape, width, height)],
            "closed": shape.closed}


def _keypoint_px(shape: KeyPoint, width: int, height: int) -> dict:
    centre, radius = geometry.keypoint_px(shape, width, height)
    return {"kind": "keypoint", "center": _pair(centre), "radius": radius}


def _vector_px(shape: Vector, width: int, height: int) -> dict:
    points = [geometry.to_px(v["x"], v["y"], width, height) for v in shape.vertices
              if isinstance(v, dict) and _is_number(v.get("x")) and _is_number(v.get("y"))]
    return {"kind": "vector", "points": [_pair(p) for p in points], "closed": shape.closed}


def _mask_px(shape: Mask, width: int, height: int) -> dict:
    try:
        alpha = rle.decode(shape.rle, width, height) if shape.rle is not None else \
            png_mask(shape.mask_data_url or "", 0)
    except (RleError, ValueError) as exc:
        return {"kind": "mask", "pixels": None, "bbox": None, "error": str(exc)}
    return mask_summary(alpha)


def _bitmask_px(shape: Bitmask, width: int, height: int) -> dict:
    try:
        return {**mask_summary(png_mask(shape.image_data_url, 3)), "kind": "bitmask"}
    except ValueError as exc:
        return {"kind": "bitmask", "pixels": None, "bbox": None, "error": str(exc)}


# The `shape` record of an image region, in the pixels of its image (shape, width, height).
INSPECT_PIXELS: KindTable[Callable[[Any, int, int], dict]] = KindTable("inspect pixels", {
    Rectangle: _rectangle_px, Ellipse: _ellipse_px, Polygon: _polygon_px, KeyPoint: _keypoint_px,
    Vector: _vector_px, Mask: _mask_px, Bitmask: _bitmask_px,
}, elsewhere={kind: "no pixels: its record comes from text_shape (INSPECT_TEXT)"
              for kind in SHAPES if kind not in IMAGE_KINDS})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _percent_value(region: Region) -> dict:
    for result in region.results:
        value = result.get("value")
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k not in ("rle", "maskDataURL", "imageDataURL")
                    and not k.endswith("labels")}
    return {}


def text_shape(project: Project, task: Task, region: Region) -> dict:
    """The `shape` record of a region that is not on an image: a text span with its text, or what it is."""
    return INSPECT_TEXT.get(region.shape, _classification)(project, task, region)


def _span(project: Project, task: Task, region: Region) -> dict:
    shape = region.shape
    text = project.text(task, region.to_name)
    record = {"kind": "span", "start": shape.start, "end": shape.end, "text": None}
    if text is not None and 0 <= shape.start <= shape.end <= len(text):
        record["text"] = text[shape.start:shape.end]
    elif text is not None:
        record["error"] = f"the span does not fit the text ({len(text)} code points)"
    return record


def _hypertext_span(project: Project, task: Task, region: Region) -> dict:
    """The text lsview (and Label Studio) highlights: by the XPaths and UTF-16 offsets when they resolve, else by
    the globalOffsets; `placed_by` says which."""
    shape = region.shape
    html = project.text(task, region.to_name)
    offsets = None if shape.global_start is None else {"start": shape.global_start, "end": shape.global_end}
    record = {"kind": "hypertext-span", "start": shape.start, "end": shape.end,
              "startOffset": shape.start_offset, "endOffset": shape.end_offset, "globalOffsets": offsets,
              "text": None, "placed_by": None}
    nodes = HtmlNodes.parse(html) if html is not None else None
    found = nodes.place(shape) if nodes is not None else None
    if isinstance(found, NodeSpan):
        record["text"], record["placed_by"] = nodes.text[found.start:found.end], found.placed_by
    elif found is not None:
        record["error"] = found
    return record


def _paragraph_span(project: Project, task: Task, region: Region) -> dict:
    shape = region.shape
    sliced = None
    tag = project.config.objects.get(region.to_name or "")
    if shape.numeric:
        return {"kind": "paragraph-span", "start": shape.start, "end": shape.end, "startOffset": shape.start_offset,
                "endOffset": shape.end_offset, "text": None,
                "error": "start/end are JSON numbers, not strings: Label Studio draws no highlight for it"}
    if tag is not None and tag.data_path is not None:
        try:
            phrases = project.object_value(task, tag)
        except KeyError:
            phrases = None
        if isinstance(phrases, list):
            sliced = paragraph_slice(phrases, tag.attrs.get("textKey", "text"), shape.start, shape.end,
                                     shape.start_offset, shape.end_offset)
    return {"kind": "paragraph-span", "start": shape.start, "end": shape.end,
            "startOffset": shape.start_offset, "endOffset": shape.end_offset, "text": sliced}


def _timeseries_range(project: Project, task: Task, region: Region) -> dict:
    """The range in the time column's units and the rows it covers (first and last, 0-based)."""
    loaded = project.series(task, region.to_name)
    data = loaded.data if loaded is not None else None
    problem = loaded.problems[0][1] if loaded is not None and loaded.problems else None
    return range_record(project.series_spec(region.to_name), data, problem, region.shape)


def _invalid(project: Project, task: Task, region: Region) -> dict:
    return {"kind": "invalid", "error": region.shape.error}


def _other(project: Project, task: Task, region: Region) -> dict:
    return {"kind": "other", "object": project.object_kind(region.to_name), "value": _percent_value(region)}


def _classification(project: Project, task: Task, region: Region) -> dict:
    return {"kind": "classification"}


# The `shape` record of a region with no pixel geometry (project, task, region); region_record asks this table
# first, so a kind listed here never gets an image size.
INSPECT_TEXT: KindTable[Callable[[Project, Task, Region], dict]] = KindTable("inspect text", {
    Span: _span, HyperTextSpan: _hypertext_span, ParagraphSpan: _paragraph_span, Classification: _classification,
    TimeSeriesRange: _timeseries_range, Invalid: _invalid, Other: _other, VideoRectangle: video_shape,
    TimelineRanges: timeline_shape, AudioSegment: segment_record,
}, elsewhere={kind: "pixel geometry: its record comes from image_shape (INSPECT_PIXELS)" for kind in IMAGE_KINDS})


def region_record(project: Project, task: Task, result_set: ResultSet, region: Region,
                  frames: tuple[int, ...] = ()) -> dict:
    record = {
        "task": task.index, "task_id": task.id, "source": region.source, "source_index": region.source_index,
        "model_version": result_set.model_version, "id": region.id, "to_name": region.to_name,
        "types": list(region.types), "labels": list(region.labels), "score": region.score,
        "readonly": region.readonly, "hidden": region.hidden, "origin": region.origin,
        "values": region.values, "item_index": region.item_index,
    }
    if INSPECT_TEXT.get(region.shape) is not None:
        record["image_size"] = None
        record["shape"] = text_shape(project, task, region)
        at_frames = frame_records(project, task, region, frames) if frames else None
        if at_frames is not None:
            record["frames"] = at_frames
    else:
        space = project.pixel_space(task, region)
        record["image_size"] = list(space.size) if space.size else None
        record["shape"] = image_shape(region, space)
    if result_set.score is not None:
        record["prediction_score"] = result_set.score
    return record


def relation_record(task: Task, result_set: ResultSet, relation: Relation) -> dict:
    return {
        "task": task.index, "task_id": task.id, "source": result_set.source, "source_index": result_set.index,
        "model_version": result_set.model_version,
        "relation": {"from_id": relation.from_id, "to_id": relation.to_id, "direction": relation.direction,
                     "labels": list(relation.labels)},
    }


def task_records(project: Project, task: Task, frames: tuple[int, ...] = ()) -> Iterator[dict]:
    for result_set, regions in project.regions(task):
        for region in regions.regions:
            yield region_record(project, task, result_set, region, frames)
        for relation in regions.relations:
            yield relation_record(task, result_set, relation)


def task_lines(project: Project, task: Task, frames: tuple[int, ...] = ()) -> str:
    """The JSON Lines `lsview inspect` prints for one task (strict JSON: see jsonout); `frames` (1-based) adds
    each video region's box at those frames."""
    return "".join(jsonout.dumps(record) + "\n" for record in task_records(project, task, frames))

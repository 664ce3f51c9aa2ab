"""Region geometry as Label Studio stores it (percent, degrees, code points), parsed from a result `value`.

Core layer, no Qt. `parse_shape` decides the kind by the keys of `value`, as the editor does (FORMAT.md 0),
and reports fields of the wrong type instead of raising.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Union

from viewer.core.errors import TrackError
from viewer.core.kind_table import KindTable
from viewer.core.numbers import finite, json_type, number_problem, preview
from viewer.core.video.track import Track

GEOMETRY_KEYS = frozenset({
    "x", "y", "width", "height", "rotation", "radiusX", "radiusY", "points", "closed", "vertices",
    "rle", "format", "touches", "maskDataURL", "imageDataURL", "start", "end", "startOffset", "endOffset",
    "globalOffsets", "text", "instant", "sequence", "framesCount", "duration", "ranges", "channel",
})
# The object tags whose `labels` results are audio segments (seconds on a waveform row).
AUDIO_OBJECT_KINDS = frozenset({"audio", "audioplus"})


@dataclass(frozen=True)
class Rectangle:
    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0
    kind = "rectangle"


@dataclass(frozen=True)
class Ellipse:
    x: float
    y: float
    radius_x: float
    radius_y: float
    rotation: float = 0.0
    kind = "ellipse"


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    closed: bool = True
    kind = "polygon"


@dataclass(frozen=True)
class KeyPoint:
    x: float
    y: float
    width: float
    kind = "keypoint"


@dataclass(frozen=True)
class Mask:
    """A brush region: Label Studio RLE (the usual form) or a PNG data URL whose red channel is the mask."""

    rle: tuple[int, ...] | None
    mask_data_url: str | None = None
    kind = "mask"


@dataclass(frozen=True)
class Bitmask:
    image_data_url: str
    kind = "bitmask"


@dataclass(frozen=True)
class Vector:
    vertices: tuple[Any, ...]
    closed: bool
    kind = "vector"


@dataclass(frozen=True)
class Span:
    """A `<Text>` span: code-point offsets into the raw string, end exclusive."""

    start: int
    end: int
    text: str | None
    kind = "span"


@dataclass(frozen=True)
class HyperTextSpan:
    start: str
    end: str
    start_offset: int
    end_offset: int
    global_start: int | None
    global_end: int | None
    text: str | None
    kind = "hypertext-span"


@dataclass(frozen=True)
class ParagraphSpan:
    """A `<Paragraphs>` span: phrase indices, UTF-16 offsets inside the phrases."""

    start: int
    end: int
    start_offset: int
    end_offset: int
    text: str | None
    numeric: bool = False  # start/end given as JSON numbers: the editor makes a label-only region, no highlight
    kind = "paragraph-span"


@dataclass(frozen=True)
class TimeSeriesRange:
    """A <TimeSeries> range as stored: start/end in the time column's units (numbers; date strings in its
    timeFormat; 0-based row indices without a timeColumn), `instant` for a point event (FORMAT: ECOSYSTEM 5.3)."""

    start: float | str
    end: float | str
    instant: bool = False
    kind = "timeseries-range"


@dataclass(frozen=True)
class VideoRectangle:
    """A `<VideoRectangle>` track on a `<Video>`: keyframes in percent of the frame, 1-based frames (core.video.track
    says where the box is at each frame)."""

    track: Track
    kind = "videorectangle"


@dataclass(frozen=True)
class TimelineRanges:
    """A `<TimelineLabels>` region on a `<Video>`: inclusive 1-based frame ranges, as `value.ranges` holds them."""

    ranges: tuple[tuple[int, int], ...]
    kind = "timeline"


@dataclass(frozen=True)
class AudioSegment:
    """An `<Audio>` segment: seconds from the start of the file, and the waveform row (channel) it is on."""

    start: float
    end: float
    channel: float = 0.0   # a number in Label Studio (types.number, default 0); a whole one names a row
    kind = "audio-segment"


@dataclass(frozen=True)
class Classification:
    """A whole-object result (choices, textarea, rating ...): no geometry."""

    kind = "classification"


@dataclass(frozen=True)
class Invalid:
    """Geometry whose fields have the wrong types: nothing can be drawn; `error` says why."""

    error: str
    kind = "invalid"


@dataclass(frozen=True)
class Other:
    """Geometry of an object kind lsview does not draw yet (audio, video, time series ...), kept as given."""

    value: Any
    kind = "other"


Shape = Union[Rectangle, Ellipse, Polygon, KeyPoint, Mask, Bitmask, Vector, Span, HyperTextSpan, ParagraphSpan,
              TimeSeriesRange, VideoRectangle, TimelineRanges, AudioSegment, Classification, Invalid, Other]
IMAGE_SHAPES = (Rectangle, Ellipse, Polygon, KeyPoint, Mask, Bitmask, Vector)


class _Invalid(Exception):
    pass


_NUMBER_TYPES = (int, float)  # exact types: JSON true/false are bools, which Label Studio does not take as numbers
_FINITE = math.isfinite


def _is_number(value: Any) -> bool:
    """A JSON number that is a finite float (not NaN, Infinity, or an integer too large for a float)."""
    return finite(value) is not None


def _not_a_number(key: str, item: Any, what: str) -> _Invalid:
    problem = number_problem(item)
    if problem is not None:
        return _Invalid(f"`value.{key}` is {problem}, not {what}")
    return _Invalid(f"`value.{key}` is {json_type(item)} {_short(item)}, not {what}")


def _number(value: dict, key: str, default: float | None = None) -> float:
    item = value.get(key)
    number = finite(item)
    if number is not None:
        return number
    if item is None:
        if default is not None:
            return default
        raise _Invalid(f"`value.{key}` is missing")
    raise _not_a_number(key, item, "a number")


# An integer offset written as a string ("12"): ASCII digits only (str.isdigit takes "²"), short enough to convert.
_INTEGER_TEXT = re.compile(r"\s*-?[0-9]{1,30}\s*")


def _integer(value: dict, key: str) -> int:
    item = value.get(key)
    if isinstance(item, str) and _INTEGER_TEXT.fullmatch(item):
        return int(item)
    if type(item) is int and _is_number(item):  # an offset past 1e308 is no offset (and would not convert)
        return item
    if _is_number(item) and float(item).is_integer():
        return int(item)
    if key not in value:
        raise _Invalid(f"`value.{key}` is missing")
    raise _not_a_number(key, item, "an integer offset")


def _boolean(value: dict, key: str, default: bool) -> bool:
    item = value.get(key, default)
    if item is None:
        return default
    if not isinstance(item, bool):
        raise _Invalid(f"`value.{key}` is {json_type(item)} {_short(item)}, not true/false")
    return item


def _short(item: Any) -> str:
    return preview(item)


def _points(value: dict) -> tuple[tuple[float, float], ...]:
    points = value.get("points")
    if not isinstance(points, list):
        raise _Invalid(f"`value.points` is {json_type(points)}, not a list of [x, y] pairs")
    try:
        # One pass for the usual case; a wrong pair (length, type, NaN) falls to the loop that names it.
        if all(type(x) in _NUMBER_TYPES and type(y) in _NUMBER_TYPES and _FINITE(x) and _FINITE(y)
               for x, y in points):
            return tuple((float(x), float(y)) for x, y in points)
    except (TypeError, ValueError, OverflowError):  # OverflowError: isfinite of an integer too large for a float
        pass
    pairs = []
    for i, point in enumerate(points):
        if not (isinstance(point, (list, tuple)) and len(point) == 2):
            raise _Invalid(f"`value.points[{i}]` is {_short(point)}, not an [x, y] pair of numbers")
        x, y = finite(point[0]), finite(point[1])
        if x is None or y is None:
            problem = number_problem(point[0] if x is None else point[1])
            what = f"holds {problem}" if problem else f"is {_short(point)}"
            raise _Invalid(f"`value.points[{i}]` {what}, not an [x, y] pair of finite numbers")
        pairs.append((x, y))
    return tuple(pairs)


def _rle(value: dict) -> tuple[int, ...]:
    rle = value.get("rle")
    if not isinstance(rle, list):
        raise _Invalid(f"`value.rle` is {json_type(rle)}, not a list of bytes")
    return tuple(rle)


def _span_text(value: dict) -> str | None:
    text = value.get("text")
    if text is None or isinstance(text, str):
        return text
    raise _Invalid(f"`value.text` is {json_type(text)}, not a string")


def _global_offsets(value: dict) -> tuple[int | None, int | None]:
    offsets = value.get("globalOffsets")
    if offsets is None:
        return None, None
    if not isinstance(offsets, dict):
        raise _Invalid(f"`value.globalOffsets` is {json_type(offsets)}, not an object {{start, end}}")
    return _integer(offsets, "start"), _integer(offsets, "end")


def _has(value: dict, *keys: str) -> bool:
    return all(key in value for key in keys)


def span_kind(value: dict, result_type: str | None, object_kind: str | None) -> str | None:
    """Which span a start/end value is, from the result type, the object it points at, then its keys."""
    if result_type == "hypertextlabels" or object_kind == "hypertext":
        return "hypertext-span"
    if result_type == "paragraphlabels" or object_kind == "paragraphs":
        return "paragraph-span"
    if object_kind == "text":
        return "span"
    if object_kind is None and result_type == "labels" and "startOffset" not in value:
        # Audio and time-series segments are `labels` results too, with seconds; text offsets are integers.
        offsets = (value.get("start"), value.get("end"))
        if all(isinstance(o, int) and not isinstance(o, bool) for o in offsets):
            return "span"
        return None
    if object_kind is None and "startOffset" in value:
        start = value.get("start")
        return "hypertext-span" if isinstance(start, str) and start.startswith("/") else "paragraph-span"
    return None


def parse_shape(value: Any, result_type: str | None = None, object_kind: str | None = None
                ) -> tuple[Shape | None, str | None]:
    """The shape a result's `value` describes (None when it has no geometry), and a message when a field has
    the wrong type (then the shape is Invalid)."""
    if not isinstance(value, dict):
        return None, None
    try:
        return _parse(value, result_type, object_kind), None
    except _Invalid as problem:
        return Invalid(str(problem)), str(problem)


def has_geometry(value: Any, result_type: str | None = None) -> bool:
    """Whether parse_shape finds a shape in `value`, well formed or not: the result is part of a region (what
    has a shape on an object); a group of results none of which has one is a whole-task result (Choices,
    TextArea, Rating ...), a Classification."""
    return isinstance(value, dict) and _detected(value, result_type, None) is not None


_MASK_AND_POINT_KEYS = ("rle", "touches", "maskDataURL", "imageDataURL", "points", "vertices")


def certain_kind(value: dict) -> str | None:
    """What parse_shape(value) would call the shape, without making it, for the commonest geometries when their
    fields are certainly well formed (rectangle, key point, polygon); None: ask parse_shape. It follows _parse's
    precedence, so keep the two in step (a test checks them against each other); StatsIndex over 530,000 regions
    builds in 3.4 s with it, 4.1 s without (measured)."""
    if "x" in value and "y" in value and "width" in value and "radiusX" not in value \
            and not any(key in value for key in _MASK_AND_POINT_KEYS):
        if not (_is_number(value["x"]) and _is_number(value["y"]) and _is_number(value["width"])):
            return None
        if "height" not in value:
            return "keypoint"
        rotation = value.get("rotation")
        return "rectangle" if _is_number(value["height"]) and (rotation is None or _is_number(rotation)) else None
    points = value.get("points")
    if type(points) is list and "x" not in value and not any(key in value for key in _MASK_AND_POINT_KEYS[:4]):
        closed = value.get("closed")
        if (closed is None or type(closed) is bool) and all(
                type(point) is list and len(point) == 2 and _is_number(point[0]) and _is_number(point[1])
                for point in points):
            return "polygon"
    return None


def _parse(value: dict, result_type: str | None, object_kind: str | None) -> Shape | None:
    detected = _detected(value, result_type, object_kind)
    return None if detected is None else PARSE.entries[detected](value)


def _detected(value: dict, result_type: str | None, object_kind: str | None) -> type | None:
    """Which shape class a value is, by its keys. Same precedence as the editor's detectors (FORMAT.md 0), which
    an order of checks says and a table cannot; the common cases are tested first for speed."""
    if "x" in value and "y" in value and not any(key in value for key in _MASK_AND_POINT_KEYS):
        if "radiusX" in value and "radiusY" in value:
            return Ellipse
        if "width" in value:
            return KeyPoint if "height" not in value else Rectangle
    if "rle" in value or "touches" in value or "maskDataURL" in value:
        return Mask
    if "imageDataURL" in value:
        return Bitmask
    if "points" in value:
        return Polygon
    if "vertices" in value:
        return Vector
    if "sequence" in value:
        return VideoRectangle
    if "ranges" in value:
        return TimelineRanges
    # By type when the keys are missing: a track or timeline result without its geometry is a broken region,
    # not a whole-task classification (which would hide it from validate and show it as a Choices-like result)
    if result_type == "videorectangle":
        return VideoRectangle
    if result_type == "timelinelabels":
        return TimelineRanges
    if _has(value, "start", "end"):
        if object_kind == "timeseries" or (object_kind is None and result_type == "timeserieslabels"):
            return TimeSeriesRange
        if object_kind in AUDIO_OBJECT_KINDS:
            return AudioSegment
        return _SPANS.get(span_kind(value, result_type, object_kind), Other)
    return None


_SPANS = {"span": Span, "hypertext-span": HyperTextSpan, "paragraph-span": ParagraphSpan}


def _rectangle(value: dict) -> Rectangle:
    return Rectangle(_number(value, "x"), _number(value, "y"), _number(value, "width"), _number(value, "height"),
                     _number(value, "rotation", 0.0))


def _ellipse(value: dict) -> Ellipse:
    return Ellipse(_number(value, "x"), _number(value, "y"), _number(value, "radiusX"), _number(value, "radiusY"),
                   _number(value, "rotation", 0.0))


def _keypoint(value: dict) -> KeyPoint:
    return KeyPoint(_number(value, "x"), _number(value, "y"), _number(value, "width"))


def _mask(value: dict) -> Mask:
    if "rle" in value:
        return Mask(_rle(value))
    if isinstance(value.get("maskDataURL"), str):
        return Mask(None, value["maskDataURL"])
    raise _Invalid("brush value has only `touches` (an unfinished draft) or a bad `maskDataURL`; "
                   "there is no mask to draw")


def _bitmask(value: dict) -> Bitmask:
    url = value["imageDataURL"]
    if not isinstance(url, str):
        raise _Invalid(f"`value.imageDataURL` is {json_type(url)}, not a data URL string")
    return Bitmask(url)


def _polygon(value: dict) -> Polygon:
    return Polygon(_points(value), _boolean(value, "closed", True))


def _vector(value: dict) -> Vector:
    vertices = value["vertices"]
    if not isinstance(vertices, list):
        raise _Invalid(f"`value.vertices` is {json_type(vertices)}, not a list")
    return Vector(tuple(vertices), _boolean(value, "closed", False))


def _span(value: dict) -> Span:
    return Span(_integer(value, "start"), _integer(value, "end"), _span_text(value))


def _hypertext_span(value: dict) -> HyperTextSpan:
    for key in ("start", "end"):
        if not isinstance(value.get(key), str):
            raise _Invalid(f"`value.{key}` is {json_type(value.get(key))}, not an XPath string")
    global_start, global_end = _global_offsets(value)
    return HyperTextSpan(value["start"], value["end"], _integer(value, "startOffset"), _integer(value, "endOffset"),
                         global_start, global_end, _span_text(value))


def _paragraph_span(value: dict) -> ParagraphSpan:
    numeric = any(_is_number(value.get(key)) for key in ("start", "end"))
    return ParagraphSpan(_integer(value, "start"), _integer(value, "end"), _integer(value, "startOffset"),
                         _integer(value, "endOffset"), _span_text(value), numeric)


def _series_time(value: dict, key: str) -> float | str:
    item = value[key]
    if isinstance(item, str):
        return item
    number = finite(item)
    if number is None:
        raise _not_a_number(key, item, "a number or a time string")
    return item if type(item) is int else number


def _timeseries_range(value: dict) -> TimeSeriesRange:
    return TimeSeriesRange(_series_time(value, "start"), _series_time(value, "end"),
                           _boolean(value, "instant", False))


_TRACK_KEYS = ("sequence", "framesCount", "duration")


def _video_rectangle(value: dict) -> VideoRectangle:
    # Only the track's own keys: labels and the like are the region's, kept in its results
    if "sequence" not in value:
        raise _Invalid("`value.sequence` is missing: a videorectangle result keeps its keyframes there")
    try:
        return VideoRectangle(Track.from_value({key: value[key] for key in _TRACK_KEYS if key in value}))
    except TrackError as problem:
        raise _Invalid(str(problem)) from None


def _timeline_ranges(value: dict) -> TimelineRanges:
    if "ranges" not in value:
        raise _Invalid("`value.ranges` is missing: a timelinelabels result keeps its frame ranges there")
    ranges = value["ranges"]
    if not isinstance(ranges, list):
        raise _Invalid(f"`value.ranges` is {json_type(ranges)}, not a list of {{start, end}} frame ranges")
    found = []
    for i, item in enumerate(ranges):
        if not isinstance(item, dict):
            raise _Invalid(f"`value.ranges[{i}]` is {json_type(item)}, not a {{start, end}} frame range")
        found.append((_frame(item, "start", i), _frame(item, "end", i)))
    return TimelineRanges(tuple(found))


def _frame(item: dict, key: str, index: int) -> int:
    frame = finite(item.get(key))
    if frame is None or not frame.is_integer():
        what = "missing" if key not in item else (number_problem(item[key]) or
                                                  f"{json_type(item[key])} {_short(item[key])}")
        raise _Invalid(f"`value.ranges[{index}].{key}` is {what}, not a whole frame number")
    return int(frame)


def _audio_segment(value: dict) -> AudioSegment:
    return AudioSegment(_number(value, "start"), _number(value, "end"), _number(value, "channel", 0.0))


# A shape from a value of its kind (the kind found by _detected); it raises _Invalid for fields of the wrong type.
PARSE: KindTable[Callable[[dict], Shape]] = KindTable("parse", {
    Rectangle: _rectangle, Ellipse: _ellipse, Polygon: _polygon, KeyPoint: _keypoint, Mask: _mask,
    Bitmask: _bitmask, Vector: _vector, Span: _span, HyperTextSpan: _hypertext_span,
    ParagraphSpan: _paragraph_span, TimeSeriesRange: _timeseries_range, VideoRectangle: _video_rectangle,
    TimelineRanges: _timeline_ranges, AudioSegment: _audio_segment, Other: Other,
}, elsewhere={
    "classification": "no geometry: core.regions makes it for a result whose value has none",
    "invalid": "made by parse_shape when a parser above finds a field of the wrong type",
})


def to_value(shape: Shape) -> dict:
    """The geometry keys of a result `value` for a shape, as the Label Studio editor writes them."""
    write = TO_VALUE.get(shape)
    return {} if write is None else write(shape)


def _text(shape: Span | ParagraphSpan | HyperTextSpan) -> dict:
    return {"text": shape.text} if shape.text is not None else {}


def _whole(number: float) -> float | int:
    """A number as Label Studio writes it: 0, not 0.0, when it is whole."""
    return int(number) if float(number).is_integer() else number


def _mask_value(shape: Mask) -> dict:
    return {"format": "rle", "rle": list(shape.rle)} if shape.rle is not None else \
        {"maskDataURL": shape.mask_data_url}


def _paragraph_span_value(shape: ParagraphSpan) -> dict:
    # Label Studio writes phrase indices as strings (FORMAT.md 3.3).
    value = {"start": str(shape.start), "end": str(shape.end), "startOffset": shape.start_offset,
             "endOffset": shape.end_offset}
    return {**value, **_text(shape)}


def _hypertext_span_value(shape: HyperTextSpan) -> dict:
    value = {"start": shape.start, "end": shape.end, "startOffset": shape.start_offset,
             "endOffset": shape.end_offset}
    if shape.global_start is not None:
        value["globalOffsets"] = {"start": shape.global_start, "end": shape.global_end}
    return {**value, **_text(shape)}


TO_VALUE: KindTable[Callable[[Any], dict]] = KindTable("to_value", {
    Rectangle: lambda shape: {"x": shape.x, "y": shape.y, "width": shape.width, "height": shape.height,
                              "rotation": shape.rotation},
    Ellipse: lambda shape: {"x": shape.x, "y": shape.y, "radiusX": shape.radius_x, "radiusY": shape.radius_y,
                            "rotation": shape.rotation},
    Polygon: lambda shape: {"points": [[x, y] for x, y in shape.points], "closed": shape.closed},
    KeyPoint: lambda shape: {"x": shape.x, "y": shape.y, "width": shape.width},
    Mask: _mask_value,
    Bitmask: lambda shape: {"imageDataURL": shape.image_data_url},
    Vector: lambda shape: {"vertices": list(shape.vertices), "closed": shape.closed},
    Span: lambda shape: {"start": shape.start, "end": shape.end, **_text(shape)},
    ParagraphSpan: _paragraph_span_value,
    HyperTextSpan: _hypertext_span_value,
    TimeSeriesRange: lambda shape: {"start": shape.start, "end": shape.end, "instant": shape.instant},
    VideoRectangle: lambda shape: shape.track.to_value(),
    TimelineRanges: lambda shape: {"ranges": [{"start": start, "end": end} for start, end in shape.ranges]},
    AudioSegment: lambda shape: {"start": shape.start, "end": shape.end, "channel": _whole(shape.channel)},
}, elsewhere={
    "classification": "no geometry keys: its value is the answer (choices, text ...), kept as given",
    "invalid": "no geometry to write: the result's value stays as it was given",
    "other": "kept as given and written back verbatim (core.regions)",
})

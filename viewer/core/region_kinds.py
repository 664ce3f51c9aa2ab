"""Region kinds by name, and the tables each layer keeps per kind (one entry, or a reason it is handled elsewhere).

Core layer, no Qt. A new kind of region is one class in core.shapes, its name here, and one line in every table
of TABLES (KindTable lives in core.kind_table, so core.shapes can keep its own); tests/core/test_region_kinds.py
(core tables) and tests/render/test_kind_tables.py (render and Qt tables) fail until each table has it.
"""

from __future__ import annotations

from viewer.core.kind_table import TABLES, KindTable
from viewer.core.shapes import (AudioSegment, Bitmask, Classification, Ellipse, HyperTextSpan, Invalid, KeyPoint,
                                Mask, Other, ParagraphSpan, Polygon, Rectangle, Span, TimelineRanges, TimeSeriesRange,
                                Vector, VideoRectangle)

SHAPES: dict[str, type] = {shape.kind: shape for shape in (
    Rectangle, Ellipse, Polygon, KeyPoint, Mask, Bitmask, Vector, Span, HyperTextSpan, ParagraphSpan,
    TimeSeriesRange, VideoRectangle, TimelineRanges, AudioSegment, Classification, Invalid, Other)}
IMAGE_KINDS = frozenset({"rectangle", "ellipse", "polygon", "keypoint", "mask", "bitmask", "vector"})
SPAN_KINDS = frozenset({"span", "hypertext-span", "paragraph-span"})
SERIES_KINDS = frozenset({"timeseries-range"})  # drawn on a time-series plot (core.timeseries)
MASK_KINDS = frozenset({"mask", "bitmask"})  # drawn under the outlined kinds, so outlines stay visible
VIDEO_KINDS = frozenset({"videorectangle", "timeline"})  # on a <Video>, per frame (core.video)
AUDIO_KINDS = frozenset({"audio-segment"})   # on an <Audio> waveform, in seconds (core.audio)

# Why a table about drawing on an image has no entry for the kinds that are not drawn on one.
NOT_ON_IMAGE: dict[str, str] = {
    **{kind: "a text span: the text view lays it out (core.text_layout)" for kind in SPAN_KINDS},
    "timeseries-range": "a range of time: the time-series plot draws it (core.timeseries)",
    "videorectangle": "a track of boxes over a video's frames: its box at the shown frame is drawn as a rectangle "
                      "(core.video.track.box_at; the video player, `lsview render --frame`)",
    "timeline": "frame ranges of a video: drawn on the video player's timeline, not on a frame",
    "audio-segment": "seconds on an <Audio> waveform: the waveform view draws it (render.waveform)",
    "classification": "a whole-object answer with no geometry: listed in the results panel",
    "invalid": "geometry with fields of the wrong type: reported by diagnostics, never drawn",
    "other": "an object kind lsview does not draw yet: kept as given and written back verbatim",
}

__all__ = ["SHAPES", "IMAGE_KINDS", "SPAN_KINDS", "SERIES_KINDS", "MASK_KINDS", "VIDEO_KINDS", "AUDIO_KINDS",
           "NOT_ON_IMAGE", "TABLES", "KindTable"]

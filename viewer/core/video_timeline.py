"""Video regions as the player shows and edits them: box tracks and timeline ranges on a Video, where each is on
the timeline, the video's length as they know it, and a region's results with its track changed (a keyframe added
or switched), ready to be one review command.

Core layer, no Qt. The track rules are core.video.track's, a track at one frame core.video_content's; this module
only connects edits to Region values. Beside core/video, not in it: core.shapes imports core.video.track, and this
module imports core.shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from viewer.core.geometry import bounds, rectangle_corners
from viewer.core.region_kinds import IMAGE_KINDS, SPAN_KINDS, KindTable
from viewer.core.regions import Region
from viewer.core.shapes import Rectangle, TimelineRanges, VideoRectangle
from viewer.core.video_content import rectangle
from viewer.core.video.track import Box, Track, box_at, lifespans

VIDEO_TYPE = "videorectangle"
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class OnTimeline:
    """How a kind sits on a video's timeline: where (spans in a video that long), its keyframes (frame, enabled),
    the last frame it knows of, and its track (a box over the frames) if it has one."""

    spans: Callable[[object, int], Spans]
    keyframes: Callable[[object], tuple[tuple[int, bool], ...]]
    last_frame: Callable[[object], int]
    track: Callable[[object], Track | None]


TIMELINE = KindTable("video timeline", {
    VideoRectangle: OnTimeline(
        spans=lambda shape, frames_count: tuple(lifespans(shape.track, frames_count)),
        keyframes=lambda shape: tuple((k.frame, k.enabled) for k in shape.track.keyframes),
        last_frame=lambda shape: max([shape.track.frames_count or 0, *(k.frame for k in shape.track.keyframes)]),
        track=lambda shape: shape.track),
    TimelineRanges: OnTimeline(
        spans=lambda shape, frames_count: tuple(shape.ranges),
        keyframes=lambda shape: (),
        last_frame=lambda shape: max([0, *(end for _, end in shape.ranges)]),
        track=lambda shape: None),
}, elsewhere={
    **{kind: "drawn on an image, not over a video's frames" for kind in IMAGE_KINDS},
    **{kind: "a text span: the text view shows it" for kind in SPAN_KINDS},
    "timeseries-range": "a range of a time series: the plot view draws it, not a video's timeline",
    "audio-segment": "seconds on an <Audio> waveform: the waveform view draws it, not a video's timeline",
    "classification": "a whole-object answer: listed in the results panel, not on the timeline",
    "invalid": "geometry that cannot be read (a track's keyframes among them): reported by validate, not shown",
    "other": "an object kind lsview does not draw: kept as given",
})


def track_of(region: Region) -> Track | None:
    """The region's track; None for a region without one (a timeline region, another kind)."""
    entry = TIMELINE.get(region.shape)
    return entry.track(region.shape) if entry is not None else None


def video_regions(regions: Iterable[Region], object_name: str) -> tuple[Region, ...]:
    """The regions on the Video `object_name` the player shows: box tracks and timeline ranges."""
    return tuple(r for r in regions if r.to_name == object_name and TIMELINE.get(r.shape) is not None)


def known_frames(regions: Iterable[Region]) -> int:
    """The video's length as its regions know it (a track's framesCount or last keyframe, a range's end); 1 when
    none says."""
    return max([1, *(TIMELINE.of(r.shape).last_frame(r.shape) for r in regions if TIMELINE.get(r.shape))])


def spans(region: Region, frames_count: int) -> Spans:
    """Where the region is on the timeline: a track's lifespans in a video that long, a timeline region's ranges."""
    return TIMELINE.of(region.shape).spans(region.shape, frames_count)


def keyframes(region: Region) -> tuple[tuple[int, bool], ...]:
    """(frame, enabled) of a track's keyframes; none for a timeline region."""
    return TIMELINE.of(region.shape).keyframes(region.shape)


def _track_result(region: Region) -> tuple[int, Mapping] | None:
    return next(((i, r) for i, r in enumerate(region.results) if r.get("type") == VIDEO_TYPE), None)


def with_track(region: Region, track: Track) -> list[dict]:
    """The region's results with its videorectangle result's track replaced by `track` (its labels and other
    keys kept); the region's other results as they are."""
    found = _track_result(region)
    if found is None:
        raise ValueError(f"region {region.id!r} has no {VIDEO_TYPE} result")
    index, result = found
    value = dict(result.get("value") or {})
    for key in ("framesCount", "duration", "sequence"):
        value.pop(key, None)
    value = {**track.to_value(), **value}
    return [dict(result, value=value) if i == index else dict(r) for i, r in enumerate(region.results)]


def first_place(region: Region, size: tuple[int, int]) -> tuple[float, float] | None:
    """(top, left) in pixels of a frame that size of the box a track shows first: at its first keyframe, which
    the editor always draws (a disabled one on its own frame). Reviewing in position order goes through tracks
    by it, as through boxes on an image by their place; None for a region without a track."""
    track = track_of(region)
    if track is None or not track.keyframes:
        return None
    box = box_at(track, track.keyframes[0].frame)
    if box is None:
        return None
    left, top, _, _ = bounds(rectangle_corners(rectangle(box), *size))
    return top, left


def box_of(shape: Rectangle) -> Box:
    return Box(shape.x, shape.y, shape.width, shape.height, shape.rotation)

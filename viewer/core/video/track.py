"""A `videorectangle` track: keyframes as Label Studio stores them, the box at any frame, lifespans and edits.

Core layer, no Qt, no PyAV. The rules are the editor's (ECOSYSTEM.md 5.1): frames 1-based, percent of the frame,
linear interpolation with rotation on the shortest arc, nothing before the first keyframe, the last one held.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from viewer.core.errors import TrackError, quoted
from viewer.core.numbers import finite, json_type, number_problem

DEFAULT_FRAMERATE = 24.0
BOX_FIELDS = ("x", "y", "width", "height", "rotation")
_KEYFRAME_FIELDS = frozenset({"frame", "enabled", "time", *BOX_FIELDS})
_TRACK_FIELDS = ("sequence", "framesCount", "duration")


@dataclass(frozen=True)
class Box:
    """A box in percent of the frame, rotation in degrees about its top-left corner (as a rectangle's)."""

    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0


@dataclass(frozen=True)
class Keyframe:
    frame: int                 # 1-based, as the editor counts
    enabled: bool
    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0
    time: float | None = None  # seconds, frame / framerate when the editor saved it
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)  # fields lsview does not use, kept

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.width, self.height, self.rotation)

    def to_value(self) -> dict:
        value = {"frame": self.frame, "enabled": self.enabled, "x": self.x, "y": self.y, "width": self.width,
                 "height": self.height, "rotation": self.rotation}
        if self.time is not None:
            value["time"] = self.time
        return {**value, **self.extra}


@dataclass(frozen=True)
class Track:
    keyframes: tuple[Keyframe, ...]    # sorted by frame (stable: keyframes on one frame keep their order)
    frames_count: int | None = None    # value.framesCount: the video's length in frames when it was saved
    duration: float | None = None      # value.duration, seconds
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)  # labels and whatever else, kept

    @classmethod
    def from_value(cls, value: Any) -> Track:
        """The track a result's `value` holds; TrackError naming the keyframe and field when it is malformed."""
        if not isinstance(value, dict):
            raise TrackError(f"`value` is {json_type(value)}, not an object with a `sequence`")
        sequence = value.get("sequence")
        if not isinstance(sequence, list):
            raise TrackError(f"`value.sequence` is {json_type(sequence)}, not a list of keyframes")
        keyframes = sorted((_keyframe(item, i) for i, item in enumerate(sequence)), key=lambda k: k.frame)
        frames_count = value.get("framesCount")
        if frames_count is not None and not (type(frames_count) is int or _integral(frames_count)):
            raise TrackError(f"`value.framesCount` is {quoted(frames_count)}, not a whole number of frames")
        if frames_count is not None and frames_count < 0:
            raise TrackError(f"`value.framesCount` is {quoted(frames_count)}, a negative number of frames")
        duration = value.get("duration")
        if duration is not None and finite(duration) is None:
            raise TrackError(f"`value.duration` is {_problem(duration)}, not seconds")
        extra = {key: item for key, item in value.items() if key not in _TRACK_FIELDS}
        return cls(tuple(keyframes), None if frames_count is None else int(frames_count),
                   None if duration is None else float(duration), extra)

    def to_value(self) -> dict:
        """The result `value` again: the keys lsview read, then the ones it kept as given."""
        value: dict[str, Any] = {}
        if self.frames_count is not None:
            value["framesCount"] = self.frames_count
        if self.duration is not None:
            value["duration"] = self.duration
        value["sequence"] = [keyframe.to_value() for keyframe in self.keyframes]
        return {**value, **self.extra}

    @property
    def frames(self) -> list[int]:
        return [keyframe.frame for keyframe in self.keyframes]


def _problem(item: Any) -> str:
    return number_problem(item) or f"{json_type(item)} {quoted(item)}"


def _integral(item: Any) -> bool:
    number = finite(item)
    return number is not None and number.is_integer()


def _keyframe(item: Any, index: int) -> Keyframe:
    where = f"`value.sequence[{index}]`"
    if not isinstance(item, dict):
        raise TrackError(f"{where} is {json_type(item)}, not a keyframe object")
    frame = item.get("frame")
    if not (type(frame) is int or _integral(frame)):
        raise TrackError(f"{where}.frame is {_problem(frame) if frame is not None else 'missing'}, "
                         "not a whole frame number")
    numbers = {}
    for key in BOX_FIELDS:
        raw = item.get(key)
        if raw is None and key == "rotation":
            numbers[key] = 0.0
            continue
        number = finite(raw)
        if number is None:
            raise TrackError(f"{where}.{key} is {_problem(raw) if key in item else 'missing'}, not a number")
        numbers[key] = number
    enabled = item.get("enabled", True)  # the editor's keyframes always carry it; a model's may not
    if not isinstance(enabled, bool):
        raise TrackError(f"{where}.enabled is {json_type(enabled)} {quoted(enabled)}, not true/false")
    time = item.get("time")
    if time is not None and finite(time) is None:
        raise TrackError(f"{where}.time is {_problem(time)}, not seconds")
    extra = {key: value for key, value in item.items() if key not in _KEYFRAME_FIELDS}
    return Keyframe(int(frame), enabled, time=time, extra=extra, **numbers)


def normalize_angle(degrees: float) -> float:
    """The angle in (-180, 180], as the editor's normalizeAngle."""
    angle = math.fmod(degrees, 360.0)
    if angle > 180.0:
        angle -= 360.0
    elif angle <= -180.0:
        angle += 360.0
    return angle


def _between(before: Keyframe, after: Keyframe, frame: int) -> Box:
    r = (frame - before.frame) / (after.frame - before.frame)

    def line(key: str) -> float:
        start = getattr(before, key)
        return start + (getattr(after, key) - start) * r

    turn = normalize_angle(after.rotation - before.rotation)  # the shortest way round: 350 -> 10 is +20
    return Box(line("x"), line("y"), line("width"), line("height"), normalize_angle(before.rotation + turn * r))


def _last_at_or_before(track: Track, frame: int) -> int:
    """Index of the last keyframe whose frame is <= frame, -1 when there is none."""
    return bisect.bisect_right(track.frames, frame) - 1


def shape_at(track: Track, frame: int) -> Box | None:
    """The editor's getShape: the box at a frame, shown or not (None only before the first keyframe)."""
    index = _last_at_or_before(track, frame)
    if index < 0:
        return None
    before = track.keyframes[index]
    if before.frame == frame:
        # the first keyframe on the frame: the editor's getShape returns at the first match in the sequence
        return track.keyframes[bisect.bisect_left(track.frames, frame)].box
    if index + 1 == len(track.keyframes):
        return before.box
    return _between(before, track.keyframes[index + 1], frame)


def in_lifespan(track: Track, frame: int) -> bool:
    """The editor's isInLifespan: the last keyframe at or before the frame is enabled, or is on this very frame."""
    index = _last_at_or_before(track, frame)
    if index < 0:
        return False
    keyframe = track.keyframes[index]
    return keyframe.enabled or keyframe.frame == frame


def box_at(track: Track, frame: int) -> Box | None:
    """The box Label Studio draws at a 1-based frame, or None where it draws none."""
    return shape_at(track, frame) if in_lifespan(track, frame) else None


def lifespans(track: Track, frames_count: int | None = None) -> list[tuple[int, int]]:
    """The inclusive frame ranges where a box shows. Each run starts at a keyframe and ends before the next
    disabled keyframe's following frame; the last run ends at frames_count (or at its last keyframe when the
    length is unknown, or past frames_count)."""
    spans: list[tuple[int, int]] = []
    keyframes = track.keyframes
    for i, keyframe in enumerate(keyframes):
        following = keyframes[i + 1].frame if i + 1 < len(keyframes) else None
        if following == keyframe.frame:
            continue  # a second keyframe on the same frame decides it
        if keyframe.enabled:
            end = following - 1 if following is not None else max(frames_count or 0, keyframe.frame)
        else:
            end = keyframe.frame  # a disabled keyframe shows on its own frame only
        if spans and spans[-1][1] + 1 >= keyframe.frame:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((keyframe.frame, end))
    return spans


def with_box_at(track: Track, frame: int, box: Box, framerate: float = DEFAULT_FRAMERATE) -> Track:
    """The track with the box at this frame, as the editor's updateShape makes it: the keyframe on the frame takes
    the box (keeping its `enabled` and other fields), or a keyframe is added there, enabled as the keyframe that
    decided the frame was (the last one before it; before the first keyframe, the first one)."""
    frame = int(frame)
    fields = {"x": box.x, "y": box.y, "width": box.width, "height": box.height, "rotation": box.rotation,
              "time": frame / framerate}
    keyframes = list(track.keyframes)
    index = _last_at_or_before(track, frame)
    if index >= 0 and keyframes[index].frame == frame:
        keyframes[index] = replace(keyframes[index], **fields)
    else:
        deciding = keyframes[index] if index >= 0 else (keyframes[0] if keyframes else None)
        enabled = deciding.enabled if deciding is not None else True
        keyframes.insert(index + 1, Keyframe(frame=frame, enabled=enabled, **fields))
    return replace(track, keyframes=tuple(keyframes))


def with_enabled(track: Track, frame: int, enabled: bool) -> Track:
    """The track with one keyframe switched on or off, the one the editor's toggleLifespan picks: the last at or
    before the frame (before the first keyframe, the first one); unchanged for a track with no keyframes."""
    if not track.keyframes:
        return track
    index = max(_last_at_or_before(track, frame), 0)
    if track.keyframes[index].enabled == enabled:
        return track
    keyframes = list(track.keyframes)
    keyframes[index] = replace(keyframes[index], enabled=bool(enabled))
    return replace(track, keyframes=tuple(keyframes))


def framerate(attribute: str | float | None) -> float:
    """The `<Video framerate>` attribute as frames per second: 24 when absent or unreadable; a value below 1 is
    inverted, as the editor does (framerate="0.04" means 25 fps)."""
    try:
        rate = float(attribute) if attribute is not None else DEFAULT_FRAMERATE
    except (TypeError, ValueError):
        return DEFAULT_FRAMERATE
    if not math.isfinite(rate) or rate <= 0:
        return DEFAULT_FRAMERATE
    return 1.0 / rate if rate < 1 else rate

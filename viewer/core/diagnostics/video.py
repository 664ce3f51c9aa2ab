"""Checks of video regions: keyframes against the video's frames, framesCount and duration against the file (its
frames counted as Label Studio does, at the <Video> framerate), the file's own rate against the framerate,
keyframe times against the framerate, order and duplicates, percent ranges; timeline ranges against the frames.

Core layer, no Qt. What the editor does with each is in VERDICTS (diagnostics.model) and beside each check.
"""

from __future__ import annotations

from viewer.core.diagnostics.model import Reporter
from viewer.core.project import Project
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.core.video.timing import older_frames_count, video_length
from viewer.core.video.track import Track
from viewer.core.video_content import video_framerate

TOLERANCE = 1e-3       # percent; float noise from models
SMALL_OVERSHOOT = 1.0  # percent past an edge that is a warning, as on images


def check_video_rectangle(project: Project, task: Task, region: Region, where: Reporter) -> None:
    track: Track = region.shape.track
    if not track.keyframes:
        where.add("video-track-empty", "`value.sequence` holds no keyframes; Label Studio's editor draws no box "
                  "for it on any frame")
        return
    info = project.task_video(task, region.to_name)
    rate = video_framerate(project.config, region.to_name, task)
    # Label Studio's frames: the <Video> framerate over the file's duration (core.video.timing), not the file's own
    known = ls_length(info, rate)
    _check_sequence_order(region, where)
    _check_frames(track, known, rate, where)
    if known is not None:
        _check_length(track, info, known, rate, where)
        _check_file_rate(info, rate, where)
    _check_times(track, rate, where)
    _check_percent(track, where)


def ls_length(info, rate: float) -> int | None:
    """The frames Label Studio's editor counts in the task's video at `rate`; None when the file is not read."""
    return None if info is None else video_length(info.frames_count, info.duration, rate)


def _raw_frames(region: Region) -> list:
    for result in region.results:
        value = result.get("value")
        if isinstance(value, dict) and isinstance(value.get("sequence"), list):
            return [item.get("frame") for item in value["sequence"] if isinstance(item, dict)]
    return []


def _check_sequence_order(region: Region, where: Reporter) -> None:
    frames = _raw_frames(region)
    if any(b < a for a, b in zip(frames, frames[1:])):
        where.add("keyframes-unsorted", f"keyframes are stored out of frame order ({_few(frames)}); Label Studio's "
                  "editor reads them in the stored order (it keeps them sorted only when it adds one), so it "
                  "misses boxes between them; lsview draws them sorted")
    seen, twice = set(), []
    for frame in frames:
        if frame in seen and frame not in twice:
            twice.append(frame)
        seen.add(frame)
    if twice:
        where.add("duplicate-keyframe", f"more than one keyframe on frame {_few(twice)}; Label Studio's editor "
                  "draws the first one's box on that frame but takes the last one's `enabled`")


def _check_frames(track: Track, known: int | None, rate: float, where: Reporter) -> None:
    last = known if known is not None else track.frames_count
    frames = [keyframe.frame for keyframe in track.keyframes]
    before = [frame for frame in frames if frame < 1]
    after = [frame for frame in frames if last is not None and frame > last]
    basis = "the video has" if known is not None else "`value.framesCount` says"
    at = f" at framerate {rate:g}" if known is not None else ""
    if not before and not after:
        return
    never = len(after) == len(frames)  # every keyframe past the end: nothing is ever on screen
    parts = []
    if before:
        parts.append(f"keyframe frame {_few(before)} is before frame 1 (frames are counted from 1)")
    if after:
        parts.append(f"keyframe frame {_few(after)} is past the last frame: {basis} {last}{at}")
    shown = "no box of the region ever shows" if never else \
        "those keyframes are never on screen (the boxes between reach toward them)"
    where.add("frame-out-of-range", f"{'; '.join(parts)}; in Label Studio's editor {shown}",
              severity="error" if never else "warning")


def _check_length(track: Track, info, known: int, rate: float, where: Reporter) -> None:
    said = []
    # the editor saves its own length; one without FF_VIDEO_FRAME_SEEK_PRECISION took the ceiling, not the round
    counts = {known, older_frames_count(info.duration, rate)} if info.duration else {known}
    if track.frames_count is not None and track.frames_count >= 0 and track.frames_count not in counts:
        said.append(f"`value.framesCount` is {track.frames_count} but the video has {known} frames at framerate "
                    f"{rate:g} (Label Studio counts round(duration x framerate))")
    step = 1 / info.fps if info.fps else 0.0
    if track.duration is not None and info.duration and abs(track.duration - info.duration) > max(step, 0.05):
        said.append(f"`value.duration` is {track.duration:g} s but the video lasts {info.duration:.3f} s")
    if said:
        where.add("frames-count-mismatch", f"{'; '.join(said)}; the editor draws keyframes by frame number over "
                  "the video it plays, so a track made for another frame count (another framerate, a re-encoded "
                  "file) shows its boxes at other moments")


def _check_file_rate(info, rate: float, where: Reporter) -> None:
    """Once per task: a file playing at another rate than the <Video> framerate is timed by the framerate."""
    if not info.fps or abs(info.fps - rate) <= 0.01 * rate:
        return
    message = (f"the video file plays {info.fps:g} frames a second but the <Video> framerate is {rate:g}: Label "
               f"Studio's editor (and lsview) time the boxes by the config's framerate, frame N at (N - 1) / "
               f"{rate:g} s, so the file's pictures and the frame numbers do not step together")
    task = where.where.get("task"), where.where.get("file")
    if any(item.message == message and (item.task, item.file) == task for item in where.items):
        return
    where.add("frames-count-mismatch", message, result_id=None, result_index=None, source=None, source_index=None)


def _check_times(track: Track, rate: float, where: Reporter) -> None:
    off = [k for k in track.keyframes if k.time is not None and abs(k.time - k.frame / rate) > 0.5 / rate]
    if not off:
        return
    first = off[0]
    guess = ""
    if abs(first.time - (first.frame - 1) / rate) <= 0.5 / rate:
        guess = " (it fits frames counted from 0)"
    elif first.time:
        guess = f" (it fits {first.frame / first.time:.4g} frames a second)"
    where.add("keyframe-time-mismatch", f"{len(off)} keyframe(s) have a `time` that is not frame / framerate "
              f"({rate:g}): frame {first.frame} says {first.time:g} s, not {first.frame / rate:.4g} s{guess}; the "
              "editor places keyframes by `frame` and rewrites `time` on save")


def _check_percent(track: Track, where: Reporter) -> None:
    worst = None
    for keyframe in track.keyframes:
        for name, value, limit in (("x", keyframe.x, 100.0), ("y", keyframe.y, 100.0),
                                   ("width", keyframe.width, 100.0), ("height", keyframe.height, 100.0),
                                   ("x + width", keyframe.x + keyframe.width, 100.0),
                                   ("y + height", keyframe.y + keyframe.height, 100.0)):
            over = max(-value, value - limit)
            if over > TOLERANCE and (worst is None or over > worst[0]):
                worst = (over, keyframe.frame, name, value)
    if worst is None:
        return
    over, frame, name, value = worst
    where.add("percent-out-of-range", f"keyframe on frame {frame}: {name} is {value:g} % (of the video frame), "
              f"outside 0-100; Label Studio's editor draws that part of the box off the frame",
              severity="warning" if over <= SMALL_OVERSHOOT else None)


def check_timeline(project: Project, task: Task, region: Region, where: Reporter) -> None:
    last = ls_length(project.task_video(task, region.to_name), video_framerate(project.config, region.to_name, task))
    for start, end in region.shape.ranges:
        if start > end:
            where.add("frame-out-of-range", f"timeline range {start}-{end} ends before it starts: it covers no "
                      "frame (lsview shows it on none)")
        elif start < 1 or (last is not None and end > last):
            limit = f"the video's frames 1-{last}" if last is not None else "frame 1"
            where.add("frame-out-of-range", f"timeline range {start}-{end} reaches past {limit}; the editor's "
                      "timeline shows only the part inside", severity="warning")


def _few(items: list) -> str:
    shown = ", ".join(str(item) for item in items[:5])
    return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")

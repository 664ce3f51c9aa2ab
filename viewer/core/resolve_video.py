"""The `inspect` records of video regions: a track's keyframes and lifespans, and with `--frame N` its box at each
frame in the pixels of the video (or `"visible": false`); a timeline region's frame ranges.

Core layer, no Qt. The box is core.video.track's; pixels come from core.geometry, as an image rectangle's do.
"""

from __future__ import annotations

from typing import Sequence

from viewer.core import geometry
from viewer.core.project import Project
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.core.video import timing
from viewer.core.video.media import VideoInfo
from viewer.core.video.track import Track, box_at, lifespans
from viewer.core.video_content import rectangle, video_framerate


def video_record(info: VideoInfo | None, rate: float | None = None) -> dict | None:
    """What the video file holds, or why it could not be read; None for a region on no Video tag. With the
    <Video> framerate, also the frames Label Studio counts at it (the frame numbers regions use)."""
    if info is None:
        return None
    if info.error is not None:
        return {"error": info.error}
    record = {"size": list(info.size) if info.size else None, "frames": info.frames_count, "fps": info.fps,
              "duration": info.duration}
    if rate is not None:
        record.update(framerate=rate, labelStudioFrames=timing.video_length(info.frames_count, info.duration, rate))
    return record


def video_length(track: Track, info: VideoInfo | None, rate: float) -> int | None:
    """The frames a track plays over: Label Studio's count for the video file at the <Video> framerate when the
    file can be read (core.video.timing), else the value's framesCount."""
    if info is not None and info.frames_count is not None:
        return timing.video_length(info.frames_count, info.duration, rate)
    return track.frames_count


def video_shape(project: Project, task: Task, region: Region) -> dict:
    track = region.shape.track
    info = project.task_video(task, region.to_name)
    rate = video_framerate(project.config, region.to_name, task)
    return {"kind": "videorectangle", "keyframes": len(track.keyframes), "framesCount": track.frames_count,
            "duration": track.duration,
            "lifespans": [list(span) for span in lifespans(track, video_length(track, info, rate))],
            "video": video_record(info, rate)}


def timeline_shape(project: Project, task: Task, region: Region) -> dict:
    return {"kind": "timeline", "ranges": [list(span) for span in region.shape.ranges],
            "video": video_record(project.task_video(task, region.to_name),
                                  video_framerate(project.config, region.to_name, task))}


def frame_records(project: Project, task: Task, region: Region, frames: Sequence[int]) -> list[dict] | None:
    """Per requested frame: a track's box in pixels of the frame (corners clockwise from the top-left corner,
    rotation about it) or `"visible": false`; a timeline region's presence. A frame outside the video's frames
    (Label Studio's count at the framerate) is `"visible": false` with the reason: the editor has no such frame.
    None for any other kind."""
    track = getattr(region.shape, "track", None)
    ranges = getattr(region.shape, "ranges", None)
    if not isinstance(track, Track) and ranges is None:
        return None
    info = project.task_video(task, region.to_name)
    rate = video_framerate(project.config, region.to_name, task)
    length = video_length(track, info, rate) if isinstance(track, Track) else \
        (timing.video_length(info.frames_count, info.duration, rate) if info is not None else None)
    records = []
    for frame in frames:
        outside = _outside(frame, length, rate)
        if outside is not None:
            records.append({"frame": frame, "visible": False, "reason": outside})
        elif isinstance(track, Track):
            records.append(_box_record(track, frame, info.size if info is not None else None))
        else:
            records.append({"frame": frame, "visible": any(start <= frame <= end for start, end in ranges)})
    return records


def _outside(frame: int, length: int | None, rate: float) -> str | None:
    if frame < 1:
        return f"frame {frame} is before frame 1 (frames are counted from 1)"
    if length is not None and frame > length:
        return f"frame {frame} is past the video's {length} frames at framerate {rate:g}"
    return None


def _box_record(track: Track, frame: int, size: tuple[int, int] | None) -> dict:
    box = box_at(track, frame)
    if box is None:
        return {"frame": frame, "visible": False}
    record = {"frame": frame, "visible": True,
              "percent": {"x": box.x, "y": box.y, "width": box.width, "height": box.height}, "rotation": box.rotation}
    if size is None:
        record["units"] = "percent"  # the video could not be read: no frame size to take pixels of
        return record
    corners = geometry.rectangle_corners(rectangle(box), *size)
    record["corners"] = [[x, y] for x, y in corners]
    record["size"] = [box.width * size[0] / 100, box.height * size[1] / 100]
    return record

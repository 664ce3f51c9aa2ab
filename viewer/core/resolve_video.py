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
from viewer.core.video.media import VideoInfo
from viewer.core.video.track import Track, box_at, lifespans
from viewer.core.video_content import rectangle


def video_record(info: VideoInfo | None) -> dict | None:
    """What the video file holds, or why it could not be read; None for a region on no Video tag."""
    if info is None:
        return None
    if info.error is not None:
        return {"error": info.error}
    return {"size": list(info.size) if info.size else None, "frames": info.frames_count, "fps": info.fps,
            "duration": info.duration}


def video_length(track: Track, info: VideoInfo | None) -> int | None:
    """The frames a track plays over: the video file's when it can be read, else the value's framesCount."""
    if info is not None and info.frames_count is not None:
        return info.frames_count
    return track.frames_count


def video_shape(project: Project, task: Task, region: Region) -> dict:
    track = region.shape.track
    info = project.task_video(task, region.to_name)
    return {"kind": "videorectangle", "keyframes": len(track.keyframes), "framesCount": track.frames_count,
            "duration": track.duration,
            "lifespans": [list(span) for span in lifespans(track, video_length(track, info))],
            "video": video_record(info)}


def timeline_shape(project: Project, task: Task, region: Region) -> dict:
    return {"kind": "timeline", "ranges": [list(span) for span in region.shape.ranges],
            "video": video_record(project.task_video(task, region.to_name))}


def frame_records(project: Project, task: Task, region: Region, frames: Sequence[int]) -> list[dict] | None:
    """Per requested frame: a track's box in pixels of the frame (corners clockwise from the top-left corner,
    rotation about it) or `"visible": false`; a timeline region's presence. None for any other kind."""
    track = getattr(region.shape, "track", None)
    if isinstance(track, Track):
        info = project.task_video(task, region.to_name)
        size = info.size if info is not None else None
        return [_box_record(track, frame, size) for frame in frames]
    ranges = getattr(region.shape, "ranges", None)
    if ranges is not None:
        return [{"frame": frame, "visible": any(start <= frame <= end for start, end in ranges)} for frame in frames]
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

"""A task at one frame of its video: each track's box at the frame as a rectangle region, measured in the video's
own size, ready for the image renderer (`lsview render --frame`) and for `inspect`.

Core layer, no Qt. The track rules are core.video.track's; the video file is the project's (Project.task_video).
"""

from __future__ import annotations

from dataclasses import replace

from viewer.core.config import LabelConfig, lookup_data, parse_data_path
from viewer.core.content import FALLBACK_SIZE, Layer, TaskContent, _layer_title
from viewer.core.project import Project
from viewer.core.region_kinds import VIDEO_KINDS
from viewer.core.regions import Region
from viewer.core.shapes import Rectangle
from viewer.core.tasks import Task
from viewer.core.video.timing import video_length
from viewer.core.video.track import Box, Track, box_at, framerate


def video_objects(config: LabelConfig) -> list[str]:
    return [name for name, tag in config.objects.items() if tag.kind == "video"]


def video_framerate(config: LabelConfig, object_name: str | None, task: Task | None = None) -> float:
    """Frames per second the `<Video frameRate>` attribute gives (24 when absent): keyframe times use it. It may
    name task data (`frameRate="$fps"`), as the editor allows; without the task, or when the data lacks it, 24."""
    tag = config.objects.get(object_name) if object_name is not None else None
    attribute = tag.attrs.get("framerate") if tag is not None else None
    if parse_data_path(attribute) is not None:
        try:
            value = lookup_data(task.data, attribute) if task is not None else None
        except KeyError:
            value = None
        attribute = None if value is None or isinstance(value, bool) else str(value)
    return framerate(attribute)


def region_at(region: Region, frame: int) -> Region | None:
    """A videorectangle region at a 1-based frame as a rectangle region (drawn, tagged and styled like any box);
    None where Label Studio draws no box, or for a region of another kind."""
    track = getattr(region.shape, "track", None)
    if not isinstance(track, Track):
        return None
    box = box_at(track, frame)
    return None if box is None else replace(region, shape=rectangle(box))


def rectangle(box: Box) -> Rectangle:
    return Rectangle(box.x, box.y, box.width, box.height, box.rotation)


def video_object(project: Project, task: Task) -> str | None:
    """The Video tag a task is drawn on: the first one its video regions point at, else the config's first Video
    when the config has no Image (a config with both shows a task without video regions as an image task)."""
    names = video_objects(project.config)
    if not names:
        return None
    for _, region_set in project.regions(task):
        for region in region_set.regions:
            if region.to_name in names and region.kind in VIDEO_KINDS:
                return region.to_name
    has_image = any(tag.kind == "image" for tag in project.config.objects.values())
    return None if has_image else names[0]


def frame_content(project: Project, task: Task, frame: int, *, source: str = "all",
                  model_version: str | None = None) -> TaskContent | None:
    """The task at one frame of its video, as the image renderer takes it: every track's box at the frame as a
    rectangle region, measured in the video's own size; None for a task with no Video object."""
    name = video_object(project, task)
    if name is None:
        return None
    info = project.task_video(task, name)
    layers = []
    for result_set, region_set in project.regions(task):
        if source != "all" and result_set.source != source:
            continue
        if model_version is not None and result_set.source == "prediction" \
                and result_set.model_version != model_version:
            continue
        shown = [region_at(region, frame) for region in region_set.regions if region.to_name == name]
        layers.append(Layer(result_set.source, result_set.index,
                            _layer_title(result_set.source, result_set.index, result_set.raw,
                                         result_set.model_version, result_set.score),
                            result_set.model_version, result_set.score, tuple(r for r in shown if r is not None),
                            region_set.relations))
    problem = info.error if info is not None else "the task has no video for this config"
    # Label Studio's frames: its count at the <Video> framerate, not the file's (core.video.timing)
    length = video_length(info.frames_count, info.duration, video_framerate(project.config, name, task)) \
        if info is not None else None
    if info is not None and info.size is not None and length is not None and not 1 <= frame <= length:
        problem = f"frame {frame} is outside the video's frames 1..{length}"
    if info is not None and info.size is not None:
        size, origin = info.size, "image"
    else:
        size, origin = FALLBACK_SIZE, "fallback"
        problem = (problem or "") + f"; boxes placed on a {FALLBACK_SIZE[0]}x{FALLBACK_SIZE[1]} stand-in"
    return TaskContent(name, None, size, origin, tuple(layers), problem)

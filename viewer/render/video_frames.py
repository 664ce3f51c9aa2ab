"""`lsview render --frame N` for video tasks: the decoded frame with each track's box at it, drawn by the image
renderer (the same style, tags and placement rules as a rectangle on an image), one PNG per frame. Frame N is the picture Label Studio shows for it: the one playing at (N - 1) / framerate of the
`<Video>` (core.video.timing), not the file's Nth picture.

Render layer. The boxes come from core.video_content; frames from core.video.decode through core.video.timing.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtGui import QImage

from viewer.core.errors import LsviewError
from viewer.core.tasks import Task
from viewer.core.video_content import frame_content, video_framerate
from viewer.render.painter import RegionPainter
from viewer.render.task_image import placeholder, render_task

def to_qimage(frame: np.ndarray) -> QImage:
    """An RGB frame (height x width x 3, uint8) as a QImage that owns its pixels."""
    height, width = frame.shape[:2]
    data = np.ascontiguousarray(frame)
    return QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def render_frames(project, task: Task, frames: list[int], painter: RegionPainter, args,
                  write: Callable[[QImage, int], bool], note: Callable[[str], None]) -> bool:
    """Each frame of the task's video with its boxes, passed to `write(image, frame)`; False when one failed.
    A video that cannot be read becomes a grey placeholder of its size with the reason, as a missing image."""
    reader, reason = None, None
    first = frame_content(project, task, frames[0], source=args.source, model_version=args.model_version)
    info = project.task_video(task, first.object_name)
    if info is not None and info.path is not None and info.error is None:
        from viewer.core.video.decode import VideoReader
        from viewer.core.video.timing import LabelStudioFrames

        try:
            reader = LabelStudioFrames(VideoReader(info.path),
                                       video_framerate(project.config, first.object_name, task))
        except LsviewError as exc:
            reason = str(exc)
    else:
        reason = info.error if info is not None else "the task has no video"
    if reason:
        note(f"{task.label()}: video not shown ({reason}); drawing on a placeholder")
    ok = True
    try:
        for frame in frames:
            content = first if frame == frames[0] else frame_content(
                project, task, frame, source=args.source, model_version=args.model_version)
            image = _frame_image(reader, frame, content.size, note, task)
            picture = render_task(content, painter, labels=not args.no_labels, image=image,
                                  transcriptions=args.transcriptions)
            ok = write(picture, frame) and ok
    finally:
        if reader is not None:
            reader.close()
    return ok


def _frame_image(reader, frame: int, size: tuple[int, int], note, task: Task) -> QImage:
    if reader is None:
        return placeholder(size, "the video cannot be read")
    if not 1 <= frame <= reader.frames_count:
        note(f"{task.label()}: frame {frame} is past the video's {reader.frames_count} frames at "
             f"{reader.framerate:g} frames a second; its boxes are drawn on a placeholder")
        return placeholder(size, f"frame {frame} is outside the video's frames 1..{reader.frames_count}")
    try:
        return to_qimage(reader.frame(frame))
    except LsviewError as exc:
        note(f"{task.label()}: {exc}")
        return placeholder(size, str(exc))

"""A task's video file: found as images are (core.media, by the resolver given), its length and size read from
its headers (core.video.probe: nothing indexed or decoded, once per file).

Core layer, no Qt. PyAV comes in through core.video.probe when a file is read; a file that cannot be read is a
reason, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from viewer.core.errors import DownloadCancelled, LsviewError
from viewer.core.numbers import preview


@dataclass(frozen=True)
class VideoInfo:
    """What lsview knows of a task's video: its reference and file, or why it has none; and what the file holds."""

    ref: Any
    path: Path | None
    frames_count: int | None = None
    fps: float | None = None
    size: tuple[int, int] | None = None
    duration: float | None = None
    error: str | None = None
    lasting: bool = True   # False when the file was not fetched yet (DownloadCancelled): not to be remembered


def read_video_info(ref: Any, resolve: Callable[[str], Path]) -> VideoInfo:
    """`resolve(ref) -> Path` (MediaResolver.resolve); the file's length and size from its headers."""
    if not isinstance(ref, str) or not ref:
        return VideoInfo(ref, None, error=f"the video reference is {preview(ref)}, not a path or URL")
    try:
        path = resolve(ref)
    except DownloadCancelled as exc:
        return VideoInfo(ref, None, error=str(exc), lasting=False)
    except LsviewError as exc:
        return VideoInfo(ref, None, error=str(exc))
    from viewer.core.video.probe import probe

    try:
        found = probe(path)
    except LsviewError as exc:
        return VideoInfo(ref, path, error=str(exc))
    return VideoInfo(ref, path, found.frames_count, found.fps, (found.width, found.height), found.duration)

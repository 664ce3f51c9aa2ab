"""What a video file holds, read from its container and stream headers: frame count, fps, duration and size,
without indexing or decoding a frame, and kept per file (path, size, modification time) for the process.

Core layer, no Qt. Validation and `inspect` need only these; the player's VideoReader (core.video.decode) indexes
the keyframes when it opens. PyAV is imported on the first probe.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from viewer.core.errors import MediaError

KEPT = 4096  # files remembered; a probe's answer is four numbers, so this is memory for a big project's videos


@dataclass(frozen=True)
class Probe:
    """A video file's length and size as its headers say; `counted` when the container gave no frame count and
    the packets were counted instead (Matroska / WebM keep none)."""

    frames_count: int
    fps: float
    width: int
    height: int
    duration: float
    counted: bool = False


_kept: OrderedDict[tuple, Probe | MediaError] = OrderedDict()
_lock = threading.Lock()   # the task list (GUI thread) and the loader thread both probe


def probe(path: str | Path) -> Probe:
    """The file's Probe, read once per (path, size, mtime); MediaError naming the file when it is no video."""
    path = Path(path)
    try:
        stat = os.stat(path)
    except OSError as error:
        raise MediaError(f"{path}: cannot read the video ({error.strerror or error})") from None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
    if found is None:
        try:
            found = _read(path)
        except MediaError as error:   # kept too: a broken file is not opened again for every task naming it
            found = error
        with _lock:
            found = _kept.setdefault(key, found)   # two threads that read it at once keep one answer
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    if isinstance(found, MediaError):
        raise found
    return found


def load_pyav() -> None:
    """Import PyAV now (about 90 ms, measured): the window's loader thread does it when the config has a
    <Video>, so the task list's first video check on the GUI thread does not. Without PyAV nothing happens here:
    the first probe says it is missing."""
    try:
        import av  # noqa: F401
    except ImportError:
        pass


def _read(path: Path) -> Probe:
    try:
        import av
    except ImportError as error:  # pyproject depends on it; a hand-made environment may lack it
        raise MediaError(f"{path}: video needs PyAV (pip install av): {error}") from None
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise MediaError(f"{path}: no video stream in the file")
            stream = container.streams.video[0]
            rate = stream.average_rate or stream.guessed_rate
            fps = float(rate) if rate else 0.0
            frames, counted = stream.frames, False
            if not frames:
                # No count in the header: count the packets (one pass, nothing decoded), as VideoReader does.
                frames = sum(1 for packet in container.demux(stream) if packet.pts is not None and packet.size)
                counted = True
            if stream.duration is not None and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            else:
                duration = frames / fps if fps else 0.0
            codec = stream.codec_context
            width, height = codec.width, codec.height
    except av.error.FFmpegError as error:
        raise MediaError(f"{path}: cannot read as a video ({error})") from None
    if not frames:
        raise MediaError(f"{path}: the video stream holds no frames")
    return Probe(frames, fps, width, height, duration, counted)

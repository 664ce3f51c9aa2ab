"""FrameSource: a video's frames decoded on a thread of their own, newest request first, the frames near the one
shown kept (and the next few decoded ahead) so stepping and playing find them ready.

Qt layer. The reader (core.video.timing.LabelStudioFrames, so frame numbers and fps are Label Studio's for the
<Video> framerate; or anything with frames_count, fps, width, height and frame(n) -> HxWx3 uint8 RGB) is made, used and closed only on the decoding thread; frames come back as QImages
through queued signals. A request made while another frame decodes replaces any request still waiting, so a drag
along the timeline decodes where the drag is, not every frame it passed.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from viewer.core.errors import LsviewError

CACHE_BYTES = 192 * 2**20   # about 32 frames of 1080p kept: the neighbourhood of the one shown
AHEAD = 6                   # frames decoded ahead of a request while nothing else is asked: playing finds them


@dataclass(frozen=True)
class VideoFacts:
    """What the reader says of the video once it is open."""

    frames_count: int
    fps: float
    width: int
    height: int


def to_qimage(rgb: Any) -> QImage:
    """An HxWx3 uint8 RGB array as a QImage that owns its pixels, in the format a pixmap keeps (no conversion
    when it is shown)."""
    height, width = rgb.shape[:2]
    data = rgb if rgb.flags["C_CONTIGUOUS"] else rgb.copy()
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.convertToFormat(QImage.Format.Format_RGB32)  # a copy: `data` may go


class FrameCache:
    """Frames by number, the least recently used dropped past `limit` bytes. Shared by both threads, so locked."""

    def __init__(self, limit: int = CACHE_BYTES):
        self.limit = limit
        self._frames: OrderedDict[int, QImage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, frame: int) -> QImage | None:
        with self._lock:
            image = self._frames.get(frame)
            if image is not None:
                self._frames.move_to_end(frame)
            return image

    def __contains__(self, frame: int) -> bool:
        with self._lock:
            return frame in self._frames

    def put(self, frame: int, image: QImage) -> None:
        with self._lock:
            old = self._frames.pop(frame, None)
            if old is not None:
                self._bytes -= old.sizeInBytes()
            self._frames[frame] = image
            self._bytes += image.sizeInBytes()
            while self._bytes > self.limit and len(self._frames) > 1:
                _, dropped = self._frames.popitem(last=False)
                self._bytes -= dropped.sizeInBytes()

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._bytes = 0


class FrameSource(QObject):
    opened = Signal(object)          # VideoFacts of the video just opened
    failed = Signal(str)             # the video cannot be opened or decoded: why
    frame_ready = Signal(int, object)  # (frame, QImage) of a frame requested

    def __init__(self, parent: QObject | None = None, cache_bytes: int = CACHE_BYTES):
        super().__init__(parent)
        self.cache = FrameCache(cache_bytes)
        self.facts: VideoFacts | None = None
        self.decode_seconds: list[float] = []   # of the frames decoded, newest last (kept short): measurements
        self._wake = threading.Condition()
        self._opener: Callable[[], Any] | None = None
        self._wanted: int | None = None
        self._ahead_of: int | None = None   # the last frame requested: frames after it are decoded ahead
        self._generation = 0
        self._closing = False
        # started by the first video: a window that shows only images keeps no thread for it
        self._thread = threading.Thread(target=self._run, name="lsview-video-frames", daemon=True)

    # ------------------------------------------------------------------ the GUI thread's calls

    def open(self, opener: Callable[[], Any]) -> None:
        """Open another video: `opener()` (called on the decoding thread) gives its reader. Frames of the video
        shown before are dropped; `opened` or `failed` follows."""
        with self._wake:
            self._generation += 1
            self._opener, self._wanted = opener, None
            self.facts = None
            self.cache.clear()
            self._wake.notify()
        if not self._thread.is_alive() and not self._closing:
            self._thread.start()

    def close_video(self) -> None:
        """Show no video: the reader is closed, its frames dropped."""
        if self._thread.is_alive():
            self.open(_no_video)
        else:
            self.facts = None
            self.cache.clear()

    def request(self, frame: int) -> QImage | None:
        """The frame at once when it is kept, else None and `frame_ready` once it is decoded."""
        image = self.cache.get(frame)
        with self._wake:
            # a kept frame still wakes the thread to decode ahead of it
            self._wanted = None if image is not None else frame
            self._ahead_of = frame
            self._wake.notify()
        return image

    def shut(self) -> None:
        """Stop the decoding thread (the window closes)."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    # ------------------------------------------------------------------ the decoding thread

    def _run(self) -> None:
        reader, generation = None, -1
        try:
            while True:
                with self._wake:
                    while not self._closing and self._generation == generation and self._wanted is None \
                            and not self._ahead_needed(reader):
                        self._wake.wait()
                    if self._closing:
                        return
                    if self._generation != generation:
                        generation, opener = self._generation, self._opener
                        wanted = None
                    else:
                        opener = None
                        wanted, self._wanted = self._wanted, None
                if opener is not None:
                    _close(reader)
                    reader = self._open_reader(opener, generation)
                    continue
                if wanted is None:
                    wanted = self._next_ahead(reader)
                    if wanted is None:
                        continue
                    self._decode(reader, wanted, generation, announce=False)
                else:
                    self._decode(reader, wanted, generation, announce=True)
        finally:
            _close(reader)

    def _open_reader(self, opener: Callable[[], Any], generation: int):
        try:
            reader = opener()
        except LsviewError as exc:
            self._report(generation, str(exc))
            return None
        except Exception as exc:  # a bug of ours must not end the thread silently
            sys.excepthook(type(exc), exc, exc.__traceback__)
            self._report(generation, f"internal error while opening the video: {type(exc).__name__}: {exc}")
            return None
        if reader is None:
            return None
        facts = VideoFacts(int(reader.frames_count), float(reader.fps), int(reader.width), int(reader.height))
        with self._wake:
            if generation != self._generation:
                _close(reader)
                return None
            self.facts = facts
        self.opened.emit(facts)
        return reader

    def _report(self, generation: int, message: str) -> None:
        with self._wake:
            stale = generation != self._generation
        if not stale:
            self.failed.emit(message)

    def _ahead_needed(self, reader) -> bool:
        return self._next_ahead(reader) is not None

    def _next_ahead(self, reader) -> int | None:
        """The first of the AHEAD frames after the last request that is not kept yet."""
        start = self._ahead_of
        if reader is None or start is None or self.facts is None:
            return None
        for frame in range(start + 1, min(start + AHEAD, self.facts.frames_count) + 1):
            if frame not in self.cache:
                return frame
        return None

    def _decode(self, reader, frame: int, generation: int, *, announce: bool) -> None:
        if reader is None or self.facts is None or not 1 <= frame <= self.facts.frames_count:
            return
        started = time.perf_counter()
        try:
            image = to_qimage(reader.frame(frame))
        except LsviewError as exc:
            self._report(generation, str(exc))
            with self._wake:
                self._ahead_of = None  # no decoding ahead past a frame that cannot be decoded
            return
        except Exception as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
            self._report(generation, f"internal error while decoding frame {frame}: {type(exc).__name__}: {exc}")
            with self._wake:
                self._ahead_of = None
            return
        self.decode_seconds = (self.decode_seconds + [time.perf_counter() - started])[-200:]
        with self._wake:  # so that open() cannot clear the cache between the check and the put
            if generation != self._generation:
                return
            self.cache.put(frame, image)
        if announce:
            self.frame_ready.emit(frame, image)


def _no_video():
    return None


def _close(reader) -> None:
    close = getattr(reader, "close", None)
    if close is not None:
        try:
            close()
        except Exception:  # closing a broken file must not end the thread; nothing is lost
            pass

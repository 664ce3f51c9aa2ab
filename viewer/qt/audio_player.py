"""SegmentPlayer: plays a stretch of an audio file through the sound card with miniaudio, the clip decoded off the
GUI thread; says where the playhead is while it plays.

Qt layer. PySide6-Essentials has no QtMultimedia; miniaudio (one C library in its wheel, loaded when first used)
drives ALSA/PulseAudio, Core Audio or WASAPI. Without it, or without a sound card, playing says why instead.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Iterator

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from viewer.core.audio.clip import Clip, read_clip
from viewer.core.errors import LsviewError

PLAYHEAD_MS = 30   # how often the playhead moves while playing


def _chunks(samples: np.ndarray) -> Iterator[bytes]:
    """miniaudio's generator protocol: primed once, then sent how many frames the device wants each time."""
    wanted = yield b""
    at = 0
    while at < samples.shape[0]:
        chunk = samples[at:at + max(int(wanted or 0), 1)]
        at += chunk.shape[0]
        wanted = yield chunk.tobytes()


def miniaudio_device(clip: Clip):
    """A started playback device for the clip (what SegmentPlayer plays through unless told otherwise)."""
    import miniaudio  # noqa: PLC0415 (loaded when something is first played)

    device = miniaudio.PlaybackDevice(output_format=miniaudio.SampleFormat.SIGNED16, nchannels=clip.channels,
                                      sample_rate=clip.sample_rate)
    stream = _chunks(clip.samples)
    next(stream)
    device.start(stream)
    return device


class SegmentPlayer(QObject):
    """play(path, start, end) plays that stretch; stop() ends it. `position` (seconds in the file) moves with
    the sound; `stopped` when it ends, `failed` with a message when it cannot play."""

    position = Signal(float)
    stopped = Signal()
    failed = Signal(str)
    _read = Signal(object, object, object)   # (ticket, Clip or None, error) from the reading thread

    def __init__(self, parent: QObject | None = None, device: Callable[[Clip], object] = miniaudio_device):
        super().__init__(parent)
        self.device_factory = device
        self.device = None
        self.clip: Clip | None = None
        self._ticket: object = None
        self._began = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(PLAYHEAD_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._read.connect(self._on_read)

    @property
    def playing(self) -> bool:
        return self._ticket is not None

    def play(self, path, start: float, end: float) -> None:
        self.stop()
        self._ticket = ticket = object()
        threading.Thread(target=self._decode, args=(ticket, path, start, end), daemon=True,
                         name="lsview-clip").start()

    def _decode(self, ticket, path, start: float, end: float) -> None:
        try:
            self._read.emit(ticket, read_clip(path, start, end), None)
        except LsviewError as exc:
            self._read.emit(ticket, None, str(exc))

    def _on_read(self, ticket, clip: Clip | None, error: str | None) -> None:
        if ticket is not self._ticket:
            return  # stopped, or another stretch asked for since
        if clip is None or not clip.samples.shape[0]:
            self._ticket = None
            self.failed.emit(error or "nothing to play there")
            return
        try:
            self.device = self.device_factory(clip)
        except ImportError:
            self._ticket = None
            self.failed.emit("Playing needs the miniaudio package (pip install miniaudio)")
            return
        except Exception as exc:  # miniaudio.MiniaudioError and the like: no sound card, busy device
            self._ticket = None
            self.failed.emit(f"No sound output: {exc}")
            return
        self.clip, self._began = clip, time.monotonic()
        self.timer.start()
        self.position.emit(clip.start)

    def _on_timer_timeout(self) -> None:
        clip = self.clip
        if clip is None:
            return
        elapsed = time.monotonic() - self._began
        if elapsed >= clip.duration:
            self.stop()
            return
        self.position.emit(clip.start + elapsed)

    def stop(self) -> None:
        was = self._ticket is not None
        self._ticket = None
        self.timer.stop()
        device, self.device, self.clip = self.device, None, None
        if device is not None:
            device.close()
        if was:
            self.stopped.emit()

"""The samples of one stretch of an audio file (a segment to play), decoded with PyAV from the nearest point the
container can seek to.

Core layer, no Qt. 16-bit interleaved, as a sound card takes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from viewer.core.errors import MediaError

MAX_CLIP_SECONDS = 600.0   # a longer segment plays its first ten minutes (43 MB of 16-bit stereo at 44.1 kHz)


@dataclass(frozen=True)
class Clip:
    samples: np.ndarray     # (n, channels) int16
    sample_rate: int
    start: float            # seconds in the file where the first sample is

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return self.samples.shape[0] / self.sample_rate


def read_clip(path: str | os.PathLike, start: float, end: float) -> Clip:
    """The samples from `start` to `end` seconds (clipped to the file, at most MAX_CLIP_SECONDS); MediaError naming
    the file when it cannot be read."""
    from viewer.core.audio.decode import load_av, open_audio

    av = load_av()
    start, end = max(0.0, min(start, end)), max(start, end)
    end = min(end, start + MAX_CLIP_SECONDS)
    with open_audio(path) as source:
        rate, stream = source.sample_rate, source.stream
        first, last = round(start * rate), round(end * rate)
        pieces: list[np.ndarray] = []
        at = 0          # the sample the next frame begins with, counted from the file's start
        try:
            if first and stream.time_base is not None:
                source.container.seek(int(start / stream.time_base), stream=stream, backward=True)
            for frame in source.container.decode(stream):
                if frame.pts is not None and stream.time_base is not None:
                    at = round(float(frame.pts * stream.time_base) * rate)
                data = frame.to_ndarray()
                data = data.T if frame.format.is_planar else data.reshape(-1, source.channels)
                count = data.shape[0]
                if at + count > first:
                    pieces.append(_int16(data[max(first - at, 0):max(min(last - at, count), 0)],
                                         frame.format.name.rstrip("p")))
                at += count
                if at >= last:
                    break
        except av.FFmpegError as exc:
            raise MediaError(f"{source.path}: decoding stopped part-way ({exc})") from None
    samples = np.concatenate(pieces) if pieces else np.zeros((0, source.channels), np.int16)
    return Clip(np.ascontiguousarray(samples), rate, first / rate)


def _int16(data: np.ndarray, name: str) -> np.ndarray:
    if name == "s16":
        return data.astype(np.int16, copy=False)
    if name in ("flt", "dbl"):
        return (np.clip(data, -1.0, 1.0) * 32767).astype(np.int16)
    if name == "s32":
        return (data >> 16).astype(np.int16)
    if name == "u8":
        return ((data.astype(np.int16) - 128) << 8).astype(np.int16)
    return data.astype(np.int16)

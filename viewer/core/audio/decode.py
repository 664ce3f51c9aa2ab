"""Reading audio with PyAV (FFmpeg): what a file holds (sample rate, channels, duration) and its samples in
blocks, for any format FFmpeg reads, WAV included.

Core layer, no Qt. Imported only when a file is read: `import av` costs ~0.1 s that a start without audio
need not pay.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from viewer.core.errors import MediaError


@dataclass(frozen=True)
class AudioInfo:
    """A file's first audio stream as its container describes it (no decoding)."""

    sample_rate: int
    channels: int
    duration: float | None    # seconds; None when the container does not say
    codec: str


# Each sample format's numpy type, and the divisor that takes its numbers to -1..1 (u8 is shifted to signed first).
_TYPES = {"s16": np.int16, "s32": np.int32, "flt": np.float32, "dbl": np.float64, "u8": np.uint8, "s64": np.int64}
_SCALES = {"s16": 32768.0, "s32": 2147483648.0, "flt": 1.0, "dbl": 1.0, "u8": 128.0, "s64": 9.223372036854776e18}
# Codecs whose packets are the samples themselves (WAV's usual content): read from the demuxed packets, as the
# decoder would return them, without its per-frame cost (an hour of WAV: 0.2 s less). codec -> (dtype, format).
_RAW_PCM = {"pcm_s16le": ("<i2", "s16"), "pcm_s32le": ("<i4", "s32"), "pcm_f32le": ("<f4", "flt"),
            "pcm_f64le": ("<f8", "dbl")}


def load_av():
    """The PyAV module; MediaError when it is not installed (a dependency, but a venv may predate it)."""
    try:
        import av  # noqa: PLC0415 (lazy: see the module docstring)
    except ImportError:
        raise MediaError("reading audio needs PyAV, which is not installed (pip install av)") from None
    return av


class AudioSource:
    """An open file: `blocks()` yields its samples, each block (channels, n) in the decoder's own number type;
    `scale` takes those numbers to -1..1."""

    def __init__(self, path: str | os.PathLike):
        av = load_av()
        self.path = os.fspath(path)
        try:
            self.container = av.open(self.path)
        except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
            raise MediaError(f"{self.path}: not an audio file FFmpeg can read ({_reason(exc)})") from None
        if not self.container.streams.audio:
            self.container.close()
            raise MediaError(f"{self.path}: the file has no audio stream")
        self.stream = self.container.streams.audio[0]
        context = self.stream.codec_context
        self.sample_rate = int(context.sample_rate or self.stream.rate or 0)
        self.channels = int(context.channels or 0) or 1
        if self.sample_rate <= 0:
            self.container.close()
            raise MediaError(f"{self.path}: the audio stream gives no sample rate")
        self.info = AudioInfo(self.sample_rate, self.channels, _duration(self.container, self.stream),
                              context.name or "?")
        self.scale = 1.0

    def blocks(self) -> Iterator[np.ndarray]:
        """The samples frame by frame, each (n, channels) in the decoder's own number type (`scale` says how to
        read them). A packed frame (WAV's s16) is a view of the decoder's buffer, valid until the next frame:
        the caller copies what it keeps."""
        av = load_av()
        channels = self.channels
        raw = _RAW_PCM.get(self.info.codec)
        if raw is not None:
            yield from self._packets(*raw)
            return
        try:
            for frame in self.container.decode(self.stream):
                count = frame.samples
                if not count:
                    continue
                name = frame.format.name
                base = name.rstrip("p")
                dtype = _TYPES.get(base)
                self.scale = _SCALES.get(base, 1.0)
                if dtype is None:
                    data = frame.to_ndarray().reshape(-1, channels) if not frame.format.is_planar else \
                        frame.to_ndarray().T
                elif frame.format.is_planar:
                    data = np.stack([np.frombuffer(plane, dtype, count) for plane in frame.planes[:channels]],
                                    axis=1)
                else:
                    data = np.frombuffer(frame.planes[0], dtype, count * channels).reshape(count, channels)
                if base == "u8":
                    data = data.astype(np.int16) - 128
                yield data
        except av.FFmpegError as exc:
            raise MediaError(f"{self.path}: decoding stopped part-way ({_reason(exc)})") from None

    def _packets(self, dtype: str, name: str) -> Iterator[np.ndarray]:
        av = load_av()
        self.scale = _SCALES[name]
        width = np.dtype(dtype).itemsize * self.channels
        try:
            for packet in self.container.demux(self.stream):
                size = packet.size // width * width
                if size:
                    yield np.frombuffer(packet, dtype, size // np.dtype(dtype).itemsize).reshape(-1, self.channels)
        except av.FFmpegError as exc:
            raise MediaError(f"{self.path}: reading stopped part-way ({_reason(exc)})") from None

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> "AudioSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_audio(path: str | os.PathLike) -> AudioSource:
    return AudioSource(path)


def audio_info(path: str | os.PathLike) -> AudioInfo:
    """Sample rate, channels and duration from the container, without decoding the samples."""
    with AudioSource(path) as source:
        return source.info


def _duration(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000  # AV_TIME_BASE
    return None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__

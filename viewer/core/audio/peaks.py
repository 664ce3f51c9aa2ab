"""Peaks of an audio file: the min and max of every BUCKET samples per channel, decoded once (PyAV, streaming)
and kept on disk beside the media cache, keyed by the file's identity (path, size, modification time).

Core layer, no Qt. A view reduces the stored buckets to its pixel columns with numpy (columns()).
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer.core.atomic import write_bytes_atomically
from viewer.core.errors import MediaError, OutputError

# 256 samples a bucket: 5.8 ms at 44.1 kHz, so a 1000 px view shows raw buckets down to ~6 s, and an hour of
# stereo keeps 1.2 million buckets (5 MB as int16), read back in milliseconds.
BUCKET = 256
# Decoded frames are gathered into blocks of about this many samples a channel before they are reduced: numpy
# per block, not per frame (a WAV frame holds 1-4 thousand samples; an hour is 40,000-150,000 frames).
BLOCK = 1 << 18
FORMAT_VERSION = 1
SCALE = 32767.0
KEPT = 4  # peaks held in memory: the file shown and a few just flipped past


@dataclass(frozen=True)
class Peaks:
    """Per channel and bucket the lowest and highest sample, scaled to int16 (-32767..32767 for -1..1)."""

    sample_rate: int
    frames: int               # samples per channel in the file
    low: np.ndarray           # (channels, buckets) int16
    high: np.ndarray          # (channels, buckets) int16
    bucket: int = BUCKET

    @property
    def channels(self) -> int:
        return int(self.low.shape[0])

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0

    def columns(self, start: float, end: float, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The min and max (floats, -1..1) of each of `count` equal columns from `start` to `end` seconds, per
        channel: (channels, count) each. A column outside the file, or narrower than a bucket between two bucket
        edges, takes the bucket it falls in; nothing past the end is drawn (NaN)."""
        count = max(int(count), 1)
        channels, buckets = self.low.shape
        edges = np.linspace(start, end, count + 1) * (self.sample_rate / self.bucket)
        first = np.floor(edges[:-1]).astype(np.int64)
        last = np.maximum(np.ceil(edges[1:]).astype(np.int64), first + 1)
        inside = (last > 0) & (first < buckets)
        first = np.clip(first, 0, max(buckets - 1, 0))
        last = np.clip(last, 1, max(buckets, 1))
        low = np.full((channels, count), np.nan, np.float32)
        high = np.full((channels, count), np.nan, np.float32)
        if buckets == 0 or not inside.any():
            return low, high
        # Column i reduces the buckets from its own first to the next column's first (reduceat's rule); one
        # narrower than a bucket repeats its bucket. The last column stops where it ends, not at the file's end.
        starts = first[inside]
        stop = int(last[inside][-1])
        low[:, inside] = np.minimum.reduceat(self.low[:, :stop], starts, axis=1)
        high[:, inside] = np.maximum.reduceat(self.high[:, :stop], starts, axis=1)
        return low / SCALE, high / SCALE


def compute(path: str | os.PathLike) -> Peaks:
    """Decode the whole file with PyAV and reduce it to peaks; MediaError naming the file when it cannot be read."""
    from viewer.core.audio.decode import open_audio  # PyAV, loaded only here

    with open_audio(path) as source:
        lows: list[np.ndarray] = []
        highs: list[np.ndarray] = []
        buffer: np.ndarray | None = None
        held = frames = 0
        for block in source.blocks():
            count = block.shape[0]
            if buffer is None or buffer.dtype != block.dtype:
                _finish(buffer, held, lows, highs)
                buffer, held = np.empty((BLOCK + max(count, BUCKET), block.shape[1]), block.dtype), 0
            if held + count > buffer.shape[0]:
                if count > buffer.shape[0] - BLOCK:
                    grown = np.empty((BLOCK + count, buffer.shape[1]), buffer.dtype)
                    grown[:held] = buffer[:held]
                    buffer = grown
                if held + count > buffer.shape[0]:
                    held = _flush(buffer, held, lows, highs)
            # one copy of the frame (WAV's is a view of the decoder's buffer) into the block being gathered
            buffer[held:held + count] = block
            held += count
            frames += count
            if held >= BLOCK:
                held = _flush(buffer, held, lows, highs)
        _finish(buffer, held, lows, highs)
        channels = source.channels
        low = np.concatenate(lows, axis=1) if lows else np.zeros((channels, 0), np.float32)
        high = np.concatenate(highs, axis=1) if highs else np.zeros((channels, 0), np.float32)
        # reduced in the decoder's own numbers (int16 for most WAVs: no float copy of the samples), scaled once
        scale = source.scale
        return Peaks(source.sample_rate, frames, _to_int16(low / scale), _to_int16(high / scale))


def _flush(buffer: np.ndarray, held: int, lows: list, highs: list) -> int:
    """Reduce the whole buckets gathered in `buffer` (samples, channels); move the rest to its start. Returns how
    many samples are left there."""
    whole = held // BUCKET * BUCKET
    if whole:
        # channels first, C-ordered: numpy's min/max along the last axis of a contiguous block run ~20x faster
        # than along the strided bucket axis of the interleaved samples (measured)
        planar = np.ascontiguousarray(buffer[:whole].T).reshape(buffer.shape[1], -1, BUCKET)
        lows.append(planar.min(axis=2))
        highs.append(planar.max(axis=2))
    rest = held - whole
    buffer[:rest] = buffer[whole:held]
    return rest


def _finish(buffer: np.ndarray | None, held: int, lows: list, highs: list) -> None:
    """Everything left in `buffer`: its whole buckets, and the partial last one as a bucket of its own."""
    if buffer is None or not held:
        return
    held = _flush(buffer, held, lows, highs)
    if held:
        lows.append(buffer[:held].min(axis=0)[:, None])
        highs.append(buffer[:held].max(axis=0)[:, None])


def _to_int16(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values * SCALE), -SCALE, SCALE).astype(np.int16)


def cache_folder(media_cache: str | os.PathLike) -> Path:
    """Where peaks are kept: a `peaks` folder beside the media cache folder (~/.cache/lsview/peaks)."""
    return Path(media_cache).parent / "peaks"


def cache_key(path: str | os.PathLike) -> str:
    """The file's identity: its resolved path, size and modification time; a changed file gets new peaks."""
    real = os.path.realpath(path)
    stat = os.stat(real)
    text = f"{FORMAT_VERSION}\0{BUCKET}\0{real}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _encode(peaks: Peaks) -> bytes:
    out = io.BytesIO()
    meta = np.array([FORMAT_VERSION, peaks.sample_rate, peaks.frames, peaks.bucket], np.int64)
    np.savez(out, meta=meta, low=peaks.low, high=peaks.high)
    return out.getvalue()


def _decode(data: Path) -> Peaks | None:
    try:
        with np.load(data, allow_pickle=False) as stored:
            version, rate, frames, bucket = (int(v) for v in stored["meta"])
            low, high = stored["low"], stored["high"]
    except (OSError, ValueError, KeyError, EOFError):
        return None  # a damaged or foreign file: computed again and written over
    if version != FORMAT_VERSION or bucket != BUCKET or low.shape != high.shape or low.dtype != np.int16:
        return None
    return Peaks(rate, frames, low, high, bucket)


_memory: OrderedDict[str, Peaks] = OrderedDict()
_memory_lock = threading.Lock()


def load_peaks(path: str | os.PathLike, media_cache: str | os.PathLike) -> Peaks:
    """The peaks of an audio file: from memory, else from the disk cache, else decoded (and then kept on disk;
    a cache that cannot be written only costs the next start a decode)."""
    try:
        key = cache_key(path)
    except OSError as exc:
        raise MediaError(f"{path}: cannot read the audio file: {exc.strerror or exc}") from None
    with _memory_lock:
        held = _memory.get(key)
        if held is not None:
            _memory.move_to_end(key)
            return held
    target = cache_folder(media_cache) / key[:2] / f"{key}.npz"
    peaks = _decode(target) if target.is_file() else None
    if peaks is None:
        peaks = compute(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomically(target, _encode(peaks))
        except (OSError, OutputError):
            pass
    with _memory_lock:
        _memory[key] = peaks
        while len(_memory) > KEPT:
            _memory.popitem(last=False)
    return peaks


def forget_memory() -> None:
    """Drop the peaks held in memory (the disk cache stays): for benchmarks and tests of the disk path."""
    with _memory_lock:
        _memory.clear()

"""Frames of a video file by 1-based number, fast enough to scrub: PyAV, a keyframe index and a few frames cached.

Core layer, no Qt. PyAV is imported when a reader opens, so lsview starts (and runs every image task) without it.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict, deque
from pathlib import Path
from typing import Any

from viewer.core.errors import MediaError

# Frames kept after decoding: the target and the ones decoded just before it (a step back is then free). A 1080p
# frame is 6 MB as RGB and 3 MB as the decoder's YUV, so the cache stays small.
CACHE_FRAMES = 24
# Frames before the target decoded in full on the way there, so that a step back of one or ten (Shift+,) after a
# seek finds them cached. Earlier ones that no other frame refers to (non-reference B-frames) are skipped by the
# decoder: nothing decoded later needs them. 10 rather than 4 costs about 3 B-frames a seek (bench_video_seek).
KEEP_BEFORE = 10
# FFmpeg's threads (frame threads, and slice threads where a file has slices): one thread made random seeks about
# a third slower even on the shared 2-core machine; SLICE, FRAME and AUTO differed by less than its noise.
THREADS = "AUTO"


class VideoReader:
    """One open video file. frame(n) seeks to the last keyframe at or before n and decodes forward, unless the
    decoder is already on the way there, skipping the non-reference frames it does not keep; decoded frames near n
    stay in a small LRU and only the one asked for becomes RGB."""

    def __init__(self, path: str | Path, cache_frames: int = CACHE_FRAMES, threads: str = THREADS,
                 keep_before: int | None = KEEP_BEFORE):
        """`threads`: FFmpeg's thread_type ("NONE", "SLICE", "FRAME", "AUTO"); `keep_before`: frames before the
        target decoded in full (None: every frame, no skipping). Both there for the benchmark to compare."""
        try:
            import av
        except ImportError as error:  # pyproject depends on it; a hand-made environment may lack it
            raise MediaError(f"{path}: video needs PyAV (pip install av): {error}") from None
        self._av = av
        self.path = Path(path)
        try:
            self._container = av.open(str(self.path))
            if not self._container.streams.video:
                raise MediaError(f"{self.path}: no video stream in the file")
            self._stream = self._container.streams.video[0]
            self._stream.thread_type = threads
            self._pts, self._keyframes = self._index()
        except av.error.FFmpegError as error:
            self.close()
            raise MediaError(f"{self.path}: cannot read as a video ({error})") from None
        if not self._pts:
            self.close()
            raise MediaError(f"{self.path}: the video stream holds no frames")
        self._number = {pts: i + 1 for i, pts in enumerate(self._pts)}
        codec = self._stream.codec_context
        self.width: int = codec.width
        self.height: int = codec.height
        rate = self._stream.average_rate or self._stream.guessed_rate
        self.fps: float = float(rate) if rate else 0.0
        self.frames_count: int = len(self._pts)
        self.duration: float = self._duration()
        self._cache: OrderedDict[int, Any] = OrderedDict()
        self._cache_frames = max(1, cache_frames)
        self._keep_before = keep_before
        self._decoding = None       # the decoder's frames after the last seek (self._frames())
        self._keep_from = 0         # the pts from which frames on the way are decoded in full
        self._position = 0          # the number of the frame it gave last (0: none since the seek)
        self.seeks = 0              # how many times frame() had to seek (for benchmarks and tests)
        self.decoded = 0            # frames decoded in all (skipped ones not counted)

    def _index(self) -> tuple[list[int], list[int]]:
        """Every frame's pts in presentation order, and the frame numbers (1-based) of the keyframes: one pass
        over the packets, no decoding."""
        pts, keys = [], []
        for packet in self._container.demux(self._stream):
            if packet.pts is None or packet.size == 0:
                continue
            pts.append(packet.pts)
            if packet.is_keyframe:
                keys.append(packet.pts)
        self._container.seek(0, stream=self._stream)
        pts.sort()
        at = {value: i + 1 for i, value in enumerate(pts)}
        return pts, sorted(at[value] for value in keys) or [1]

    def _duration(self) -> float:
        if self._stream.duration is not None and self._stream.time_base:
            return float(self._stream.duration * self._stream.time_base)
        if self._container.duration is not None:
            return self._container.duration / 1_000_000
        return self.frames_count / self.fps if self.fps else 0.0

    @property
    def keyframes(self) -> list[int]:
        """The 1-based numbers of the frames a seek can land on."""
        return list(self._keyframes)

    @property
    def starts(self) -> list[float]:
        """Each frame's start in seconds from the first frame's (1-based frame n at index n-1): where a player
        that seeks by time, as a browser does, shows it (core.video.timing)."""
        base, unit = self._pts[0], float(self._stream.time_base or 0)
        return [(pts - base) * unit for pts in self._pts]

    def frame(self, n: int):
        """Frame n (1-based) as a numpy uint8 array of height x width x 3, RGB."""
        if not 1 <= n <= self.frames_count:
            raise MediaError(f"{self.path}: frame {n} is outside 1..{self.frames_count}")
        cached = self._cache.get(n)
        if cached is not None:
            self._cache.move_to_end(n)
            if not hasattr(cached, "shape"):  # kept as the decoder's frame: converted on first use
                cached = cached.to_ndarray(format="rgb24")
                self._cache[n] = cached
            return cached
        keyframe = self._keyframes[bisect.bisect_right(self._keyframes, n) - 1]
        keep = self._keep_before
        if keep is not None and keyframe <= n < self._position <= n + 2 * self._cache_frames:
            # walking back through a keyframe's run (Shift+, again and again): keep all the cache holds before n
            keep = max(keep, self._cache_frames - 1)
        if self._decoding is None or not keyframe <= self._position < n:
            self._seek(keyframe)
        return self._decode_to(n, keep)

    def _seek(self, keyframe: int) -> None:
        self._container.seek(self._pts[keyframe - 1], stream=self._stream, backward=True)
        self._decoding = self._frames()
        self._position = 0
        self.seeks += 1

    def _frames(self):
        """The decoded frames from the seek on. A frame before self._keep_from is neither asked for nor kept: if no
        other frame refers to it, the decoder skips it (its frame threads too read skip_frame as a packet goes in)."""
        codec = self._stream.codec_context
        for packet in self._container.demux(self._stream):
            skip = packet.pts is not None and packet.pts < self._keep_from
            codec.skip_frame = "NONREF" if skip else "DEFAULT"
            yield from codec.decode(packet)  # the demuxer's last packet is empty: it drains the decoder

    def _decode_to(self, n: int, keep_before: int | None):
        self._keep_from = 0 if keep_before is None else self._pts[max(1, n - keep_before) - 1]
        recent: deque = deque(maxlen=self._cache_frames - 1)
        try:
            for decoded in self._decoding:
                self.decoded += 1
                number = self._number.get(decoded.pts)
                if number is None:
                    continue
                self._position = number
                if number == n:
                    image = decoded.to_ndarray(format="rgb24")
                    for before in recent:
                        self._keep(before[0], before[1])
                    self._keep(n, image)
                    return image
                if number > n:  # the frame was not where the index said: start again from the file's start
                    break
                recent.append((number, decoded))
        except self._av.error.FFmpegError as error:
            self._decoding = None
            raise MediaError(f"{self.path}: frame {n} cannot be decoded ({error})") from None
        self._decoding = None
        raise MediaError(f"{self.path}: frame {n} was not found where the keyframe index put it")

    def _keep(self, number: int, frame: Any) -> None:
        self._cache[number] = frame
        self._cache.move_to_end(number)
        while len(self._cache) > self._cache_frames:
            self._cache.popitem(last=False)

    def close(self) -> None:
        container = getattr(self, "_container", None)
        if container is not None:
            container.close()
            self._container = None
        self._decoding = None
        self._cache = OrderedDict()

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

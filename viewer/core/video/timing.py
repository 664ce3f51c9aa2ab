"""Label Studio's frame numbers over a video file: frame N is a moment in time, `(N - 1) / framerate`, and the
picture shown for it is the file's picture playing at that moment, whatever the file's own frame rate.

Core layer, no Qt. The rule, as the editor of Label Studio 1.23.2 runs it (web/libs/editor, read in its shipped
bundle and the monorepo source):
- framerate: `<Video frameRate>` (or task data, `frameRate="$fps"`), 24 when absent; below 1 it is inverted
  (tags/object/Video/Video.js afterCreate; core.video.track.framerate).
- frame -> time: Video.setFrame calls VideoCanvas.goToFrame(N), which clamps N to 1..length and sets
  `currentTime = (N - 1) / framerate`, rounded to the browser's 2 ms and 2 ms added (frameSteppedTime). So frame
  1 shows the first picture. This path is behind FF_VIDEO_FRAME_SEEK_PRECISION, which 1.23.2 lists as stale and
  on (label_studio/core/feature_flags/stale_feature_flags.py); without it, older editors seek to N / framerate,
  one picture later at matching rates.
- time -> picture: the browser shows the last picture whose start is at or before currentTime.
- length: `Math.round(duration * framerate)` with the flag (Math.ceil before it), the video element's duration;
  it is the timeline's frame count and what a videorectangle saves as `value.framesCount`.
"""

from __future__ import annotations

import bisect
import math
from typing import Sequence

SEEK_STEP = 0.002   # seconds: the browser's currentTime precision the editor rounds a seek to (frameSteppedTime)


def frames_count(duration: float, framerate: float) -> int:
    """The frames Label Studio counts for a video of `duration` seconds: JavaScript's Math.round (halves up)."""
    return math.floor(duration * framerate + 0.5)


def video_length(file_frames: int | None, duration: float | None, framerate: float) -> int | None:
    """Label Studio's length of a video file its headers describe: None when the file was not read; the file's own
    count when its headers give no duration."""
    if file_frames is None:
        return None
    return max(1, frames_count(duration, framerate)) if duration else file_frames


def older_frames_count(duration: float, framerate: float) -> int:
    """The count an editor without FF_VIDEO_FRAME_SEEK_PRECISION saved (Math.ceil): older annotations hold it."""
    return math.ceil(duration * framerate - 1e-9)


def frame_time(frame: int, framerate: float) -> float:
    """The moment, in seconds from the first picture, the editor seeks to for 1-based frame N."""
    exact = (frame - 1) / framerate
    return math.floor(exact / SEEK_STEP + 0.5) * SEEK_STEP + SEEK_STEP   # Math.round: halves up


def picture_at(starts: Sequence[float], seconds: float) -> int:
    """The 1-based picture playing at `seconds`: the last one starting at or before it (the first before any)."""
    return min(max(bisect.bisect_right(starts, seconds + 1e-9), 1), len(starts))


class LabelStudioFrames:
    """A VideoReader (core.video.decode) seen in Label Studio's frame numbers: `frames_count` is the editor's
    length for `framerate`, `fps` the framerate, and frame(N) the picture the editor shows for frame N. What the
    player and the renderer open, so a track's keyframe N lands on the picture it was drawn on."""

    def __init__(self, reader, framerate: float):
        self.reader, self.framerate = reader, framerate
        self.width, self.height = reader.width, reader.height
        self.fps = framerate
        self.file_fps = reader.fps
        self.duration = reader.duration
        self.frames_count = video_length(reader.frames_count, reader.duration, framerate) or 1  # as validate counts
        starts = reader.starts
        if len(starts) > 1 and starts[-1] <= 0 and reader.fps:   # no usable timestamps: the file's rate
            starts = [i / reader.fps for i in range(len(starts))]
        self._starts = starts

    def picture(self, frame: int) -> int:
        """The file's 1-based picture shown for Label Studio's frame N."""
        return picture_at(self._starts, frame_time(frame, self.framerate))

    def frame(self, frame: int):
        return self.reader.frame(self.picture(frame))

    def close(self) -> None:
        self.reader.close()

    def __enter__(self) -> LabelStudioFrames:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

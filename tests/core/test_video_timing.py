"""Label Studio's frame -> time -> picture rule (core.video.timing) on videos made here: frame N shows the picture
playing at (N - 1) / framerate, the length is round(duration * framerate), whatever the file's own rate."""

import pytest

from viewer.core.video.decode import VideoReader
from viewer.core.video.synth import number_in, write_video
from viewer.core.video.timing import (LabelStudioFrames, frame_time, frames_count, older_frames_count,
                                      picture_at)


@pytest.fixture(scope="module")
def clip30(tmp_path_factory):
    """2 s at 30 pictures a second: 60 pictures."""
    return write_video(tmp_path_factory.mktemp("timing") / "v30.mp4", 60, 96, 72, fps=30, gop=15)


def test_frame_one_is_the_first_picture_and_times_step_by_the_framerate():
    assert frame_time(1, 24) == pytest.approx(0.002)            # (1 - 1) / 24, plus the editor's 2 ms step
    assert frame_time(25, 24) == pytest.approx(1.002)
    assert frame_time(2, 24) == pytest.approx(0.044)            # 1/24 = 0.04167 -> 0.042 + 0.002
    starts = [i / 24 for i in range(48)]
    assert [picture_at(starts, frame_time(n, 24)) for n in range(1, 49)] == list(range(1, 49))


def test_the_length_rounds_as_javascript_and_older_editors_took_the_ceiling():
    assert frames_count(2.0, 24) == 48 and frames_count(1.99, 24) == 48 and frames_count(1.97, 24) == 47
    assert frames_count(2.0625, 24) == 50                       # 49.5: halves up (Math.round), not to even
    assert older_frames_count(1.97, 24) == 48 and older_frames_count(2.0, 24) == 48


def test_a_30_fps_file_at_the_default_24_shows_the_picture_playing_at_the_frames_time(clip30):
    with LabelStudioFrames(VideoReader(clip30), 24) as frames:
        assert (frames.frames_count, frames.fps, frames.file_fps) == (48, 24, 30.0)
        # frame 24 is at 23/24 s = 0.958 s: the 29th picture (0.933 s) plays then, not the 24th
        assert number_in(frames.frame(24)) == 29
        assert number_in(frames.frame(1)) == 1
        assert number_in(frames.frame(48)) == 59                # 47/24 s = 1.958 s
        assert [frames.picture(n) for n in range(1, 49)] == [int((n - 1) / 24 * 30 + 0.002 * 30) + 1
                                                             for n in range(1, 49)]


def test_at_the_files_own_rate_frame_n_is_picture_n(clip30):
    with LabelStudioFrames(VideoReader(clip30), 30) as frames:
        assert frames.frames_count == 60
        assert [frames.picture(n) for n in range(1, 61)] == list(range(1, 61))
        assert number_in(frames.frame(37)) == 37


def test_picture_starts_come_from_the_stream(clip30):
    with VideoReader(clip30) as reader:
        assert reader.starts[0] == 0.0
        assert reader.starts[30] == pytest.approx(1.0)


def test_b_frames_keep_the_mapping(tmp_path):
    # B-frames shift the first picture's pts off 0: starts are taken from the first picture
    clip = write_video(tmp_path / "b.mp4", 60, 96, 72, fps=30, gop=15, bframes=2)
    with LabelStudioFrames(VideoReader(clip), 24) as frames:
        assert frames.frames_count == 48
        assert [number_in(frames.frame(n)) for n in (1, 24, 48)] == [1, 29, 59]

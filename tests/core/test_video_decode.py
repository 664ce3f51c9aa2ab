"""VideoReader on videos made here with PyAV (never downloaded): every frame by number, in any order, and the
keyframe index and cache doing their part (frames read back by the number each one shows)."""

import random

import pytest

from viewer.core.errors import MediaError
from viewer.core.video.decode import VideoReader
from viewer.core.video.synth import number_in, write_video


@pytest.fixture(scope="module", params=["libx264", "mpeg4"])
def video(request, tmp_path_factory):
    return write_video(tmp_path_factory.mktemp("video") / "clip.mp4", 60, 160, 120, fps=25, codec=request.param,
                       gop=12)


def test_properties(video):
    with VideoReader(video) as reader:
        assert (reader.frames_count, reader.width, reader.height, reader.fps) == (60, 160, 120, 25.0)
        assert reader.duration == pytest.approx(60 / 25, abs=0.05)
        assert reader.keyframes == [1, 13, 25, 37, 49]
        image = reader.frame(1)
        assert image.shape == (120, 160, 3) and image.dtype.name == "uint8"


def test_every_frame_in_random_order_then_backwards(video):
    order = list(range(1, 61))
    random.Random(3).shuffle(order)
    with VideoReader(video) as reader:
        for n in order + order[::-1] + list(range(60, 0, -1)):
            assert number_in(reader.frame(n)) == n


def test_sequential_steps_decode_once(video):
    with VideoReader(video) as reader:
        for n in range(1, 61):
            reader.frame(n)
        assert reader.seeks <= len(reader.keyframes)   # stepping on never seeks inside a keyframe's run
        assert reader.decoded <= 60 + 2


def test_a_step_back_comes_from_the_cache(video):
    with VideoReader(video, cache_frames=8) as reader:
        reader.frame(30)
        seeks, decoded = reader.seeks, reader.decoded
        for n in range(29, 24, -1):  # decoded on the way from the keyframe on 25
            assert number_in(reader.frame(n)) == n
        assert (reader.seeks, reader.decoded) == (seeks, decoded)


def test_outside_the_video(video):
    with VideoReader(video) as reader:
        for n in (0, 61, -1):
            with pytest.raises(MediaError, match=f"frame {n} is outside 1..60"):
                reader.frame(n)


def test_not_a_video(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("not a video")
    with pytest.raises(MediaError, match="notes.mp4: cannot read as a video"):
        VideoReader(path)
    with pytest.raises(MediaError, match="cannot read as a video"):
        VideoReader(tmp_path / "missing.mp4")

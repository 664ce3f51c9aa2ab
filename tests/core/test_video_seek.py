"""VideoReader's shortcuts (skipped non-reference frames, the decoder kept on between requests, frames cached as the
decoder gave them) change no pixel: after any pattern of seeks frame(n) equals frame n decoded from the start, on
videos made here with B-frames, without, and with a keyframe interval longer than the video."""

import random

import numpy as np
import pytest

from viewer.core.video.decode import KEEP_BEFORE, VideoReader
from viewer.core.video.synth import write_video

FRAMES = 100


def sequential(path) -> list[np.ndarray]:
    """Every frame decoded in order from the first, nothing skipped, as RGB: the reference."""
    import av

    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def kinds(path) -> str:
    import av

    with av.open(str(path)) as container:
        return "".join(str(frame.pict_type) for frame in container.decode(video=0))


@pytest.fixture(scope="module", params=[(30, 3), (250, 3), (30, 0)], ids=["gop30-bframes", "gop250-bframes",
                                                                          "gop30-no-bframes"])
def video(request, tmp_path_factory):
    gop, bframes = request.param
    path = write_video(tmp_path_factory.mktemp("seek") / "clip.mp4", FRAMES, 192, 108, fps=25, gop=gop,
                       bframes=bframes)
    return path, sequential(path), bframes


def patterns() -> dict[str, list[int]]:
    rng = random.Random(18)
    return {
        "random": [rng.randint(1, FRAMES) for _ in range(60)],
        "backwards": list(range(FRAMES, 0, -1)),
        "forward in tens then steps": list(range(5, FRAMES + 1, 10)) + list(range(40, 60)),
        "back and forth": [n for k in range(20, 90, 7) for n in (k, k - 1, k + 1, k - KEEP_BEFORE - 2, k + 3)],
        "into the next keyframe's run": [28, 33, 29, 61, 62, 95, 31, 100, 1],
    }


@pytest.mark.parametrize("name", list(patterns()))
def test_frames_after_any_seek_pattern_are_the_sequential_ones(video, name):
    path, reference, _ = video
    assert len(reference) == FRAMES
    with VideoReader(path) as reader:
        for n in patterns()[name]:
            image = reader.frame(n)
            assert image.shape == reference[n - 1].shape and np.array_equal(image, reference[n - 1]), (name, n)


def test_the_videos_have_the_frame_kinds_they_claim(video):
    path, _, bframes = video
    seen = kinds(path)
    assert ("3" in seen) == (bframes > 0), seen  # pict_type 3 is a B-frame


def test_non_reference_frames_on_the_way_are_skipped(video):
    path, reference, bframes = video
    with VideoReader(path) as reader:
        target = 90
        key = max(k for k in reader.keyframes if k <= target)
        reader.frame(target)
        passed = target - key + 1
        if bframes:
            # before the KEEP_BEFORE frames kept, two of every four (the B-frames beside the reference B) are
            # never decoded
            skippable = target - KEEP_BEFORE - key
            assert skippable > 10 and reader.decoded <= passed - skippable // 3
        else:
            assert reader.decoded >= passed
        # the frames just before the target were decoded in full and cached: a step back decodes nothing
        decoded = reader.decoded
        for n in range(target - 1, target - KEEP_BEFORE - 1, -1):
            assert np.array_equal(reader.frame(n), reference[n - 1])
        assert reader.decoded == decoded


def test_walking_back_keeps_all_the_cache_holds(video):
    path, reference, _ = video
    with VideoReader(path) as reader:
        reader.frame(90)
        for n in range(89, 39, -1):
            assert np.array_equal(reader.frame(n), reference[n - 1]), n
        if reader.keyframes == [1]:
            # a step back that misses decodes the 23 frames before it in full: one seek per 23 frames walked back,
            # not one per KEEP_BEFORE
            assert reader.seeks <= 3

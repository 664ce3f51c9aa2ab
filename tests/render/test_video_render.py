"""`lsview render --frame` on a video task: the decoded frame with each track's box where the track puts it at
that frame, in its label's colour; file names per frame; a task with no frame asked is skipped with a note."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.builders import VIDEO_CONFIG, keyframe, video_box, video_task, write_project
from viewer.cli import main
from viewer.core.video.decode import VideoReader
from viewer.core.video.synth import number_in, write_video


@pytest.fixture
def project(tmp_path, qapp):
    write_video(tmp_path / "clip.mp4", 48, 160, 120, fps=24, gop=12)
    car = video_box("car", keyframe(5, x=10.0, y=20.0, width=25.0, height=50.0),
                    keyframe(15, x=30.0, y=20.0, width=25.0, height=50.0), keyframe(20, enabled=False))
    tasks, config = write_project(tmp_path, [video_task(car, task_id=7)], VIDEO_CONFIG)
    return tasks, config


def render(project, out, *extra) -> int:
    tasks, config = project
    return main(["render", str(tasks), "--config", str(config), "--out", str(out), *extra])


def pixels(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_the_box_is_drawn_where_the_track_puts_it_on_the_decoded_frame(project, tmp_path):
    out = tmp_path / "out"
    assert render(project, out, "--frame", "10", "--no-labels") == 0
    drawn_image = pixels(out / "0_7_f10.png")
    with VideoReader(tmp_path / "clip.mp4") as reader:
        frame = reader.frame(10).astype(int)
    assert number_in(drawn_image.astype(np.uint8)) == 10          # the frame asked for, not its neighbour
    changed = (drawn_image != frame).any(axis=2)
    # frame 10 is halfway from 5 to 15: x 20 % of 160 = 32, y 24, 40 x 60 px -> the box spans 32..72 x 24..84
    assert changed[26:82, 34:70].all()                             # filled inside
    outside = np.ones_like(changed)
    outside[22:87, 30:75] = False
    assert not changed[outside].any()                              # nothing else drawn
    inside = (slice(30, 80), slice(36, 68))
    shift = (drawn_image[inside] - frame[inside]).mean(axis=(0, 1))
    assert shift[1] > 5 and shift[0] < -5 and shift[2] < -5        # toward the Car label's #00ff00


def test_frames_outside_the_lifespan_draw_no_box_and_names_say_the_frame(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert render(project, out, "--frames", "1:25:12", "--frame", "30", "--no-labels") == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["0_7_f1.png", "0_7_f13.png", "0_7_f25.png", "0_7_f30.png"]
    with VideoReader(tmp_path / "clip.mp4") as reader:
        for frame in (1, 25, 30):   # before the first keyframe; in the gap after the disabled one
            assert (pixels(out / f"0_7_f{frame}.png") == reader.frame(frame)).all()
        assert (pixels(out / "0_7_f13.png") != reader.frame(13)).any()
    assert capsys.readouterr().err == ""


def test_a_video_task_without_frames_is_skipped_with_a_note(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert render(project, out) == 0
    assert list(out.iterdir()) == []
    assert "task 0 (id 7): a video task: give --frame N or --frames A:B[:STEP]" in capsys.readouterr().err


def test_bad_frame_arguments_are_usage_errors(project, tmp_path, capsys):
    for bad in (["--frame", "0"], ["--frames", "5:2"], ["--frames", "a:b"]):
        with pytest.raises(SystemExit) as exited:
            render(project, tmp_path / "out", *bad)
        assert exited.value.code == 2
    assert "frames are counted from 1" in capsys.readouterr().err


def test_a_video_that_cannot_be_read_draws_the_boxes_on_a_placeholder(project, tmp_path, capsys):
    (tmp_path / "clip.mp4").write_bytes(b"not a video")
    out = tmp_path / "out"
    assert render(project, out, "--frame", "10", "--no-labels") == 0
    with Image.open(out / "0_7_f10.png") as image:
        assert image.size[0] > 0
    assert "task 0 (id 7): video not shown" in capsys.readouterr().err


@pytest.mark.parametrize("rate, picture", [("24", 29), ("30", 24)])
def test_frame_n_is_the_picture_label_studio_shows_at_the_configs_framerate(tmp_path, qapp, rate, picture):
    # a 30-picture-a-second file: at framerate 24 frame 24 is at 23/24 s, when the 29th picture plays
    write_video(tmp_path / "clip.mp4", 60, 160, 120, fps=30, gop=15)
    car = video_box("car", keyframe(1), keyframe(48))
    config = VIDEO_CONFIG.replace('framerate="24"', f'framerate="{rate}"')
    tasks, config_path = write_project(tmp_path, [video_task(car, task_id=3)], config)
    out = tmp_path / "out"
    assert main(["render", str(tasks), "--config", str(config_path), "--out", str(out), "--frame", "24",
                 "--no-labels"]) == 0
    assert number_in(pixels(out / "0_3_f24.png").astype(np.uint8)) == picture


def test_a_frame_past_label_studios_length_is_a_placeholder(tmp_path, qapp, capsys):
    # 60 pictures at 30 a second last 2 s: 48 frames at the config's 24, so frame 50 is past the end
    write_video(tmp_path / "clip.mp4", 60, 160, 120, fps=30, gop=15)
    tasks, config_path = write_project(tmp_path, [video_task(video_box("car", keyframe(1)), task_id=3)],
                                       VIDEO_CONFIG)
    assert main(["render", str(tasks), "--config", str(config_path), "--out", str(tmp_path / "out"),
                 "--frame", "50"]) == 0
    assert "past the video's 48 frames at 24 frames a second" in capsys.readouterr().err

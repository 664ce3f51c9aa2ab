"""The rendered waveform (issue 18): segment bands at the pixels of their times and rows, tags, the time axis."""

from __future__ import annotations

import numpy as np
import pytest

from tests.audio_builders import AUDIO_CONFIG, audio_project, segment
from viewer.cli import main
from viewer.core.audio import peaks as peaks_module
from viewer.render.audio_render import ROW_HEIGHT
from viewer.render.waveform import AXIS_HEIGHT, WaveformFrame, nice_step, time_text

WIDTH = 800
SPEECH, MUSIC = (0x1f, 0x77, 0xb4), (0xd6, 0x27, 0x28)


@pytest.fixture
def render(qapp, px, tmp_path):
    from viewer.core.project import open_project
    from viewer.render.audio_render import render_audio_task

    def picture(results, config, audio):
        peaks_module.forget_memory()
        tasks, config_path = audio_project(tmp_path, results, config=config, audio=audio)
        project = open_project(tasks, config_path, cache_dir=tmp_path / "cache" / "media")
        image, notes = render_audio_task(project, project.tasks[0], WIDTH, labels=False)
        return px.to_array(image)[:, :, :3].astype(int), notes

    def run(results, config=AUDIO_CONFIG, audio="clip.wav"):
        """(pixels, the same picture with no segment, notes)"""
        pixels, notes = picture(results, config, audio)
        # the bare waveform as long as the file (or original_length) makes it
        base, _ = picture([{**r, "value": {**r["value"], "start": 0, "end": 0}} for r in results[:1]], config, audio)
        return pixels, base, notes

    return run


def _tinted(pixels: np.ndarray, base: np.ndarray, colour) -> np.ndarray:
    """Where a pixel moved toward `colour` from the same picture drawn without segments (`base`)."""
    moved = pixels - base
    return (moved * (np.array(colour) - base)).sum(axis=-1) > 300


def _columns(mask_row: np.ndarray) -> tuple[int, int]:
    xs = np.flatnonzero(mask_row)
    return int(xs.min()), int(xs.max())


def test_a_segment_band_covers_its_seconds_on_its_channel_row(render):
    pixels, base, notes = render([segment("s1", 0.5, 1.5, "Speech", 0), segment("s2", 2.0, 3.5, "Music", 1)])
    assert notes == []
    assert pixels.shape[:2] == (2 * ROW_HEIGHT + AXIS_HEIGHT, WIDTH)   # two rows: splitchannels, a stereo file
    row0, row1 = ROW_HEIGHT // 2, ROW_HEIGHT + ROW_HEIGHT // 2
    seconds = 4.0
    left, right = _columns(_tinted(pixels[row0], base[row0], SPEECH))
    assert abs(left - 0.5 / seconds * WIDTH) <= 1 and abs(right - 1.5 / seconds * WIDTH) <= 1
    assert not _tinted(pixels[row1], base[row1], SPEECH).any()                     # channel 0 only
    left, right = _columns(_tinted(pixels[row1], base[row1], MUSIC))
    assert abs(left - 2.0 / seconds * WIDTH) <= 1 and abs(right - 3.5 / seconds * WIDTH) <= 1
    assert not _tinted(pixels[row0], base[row0], MUSIC).any()


def test_without_splitchannels_one_row_and_every_segment_across_it(render):
    single = AUDIO_CONFIG.replace(' splitchannels="true"', "")
    pixels, base, _ = render([segment("s2", 2.0, 3.0, "Music", 1)], config=single)
    assert pixels.shape[0] == ROW_HEIGHT + AXIS_HEIGHT
    for y in (5, ROW_HEIGHT // 2, ROW_HEIGHT - 5):
        left, right = _columns(_tinted(pixels[y], base[y], MUSIC))
        assert abs(left - 400) <= 1 and abs(right - 600) <= 1


def test_a_channel_the_file_lacks_spans_every_row_as_label_studio_draws_it(render):
    pixels, base, _ = render([segment("s", 1.0, 2.0, "Music", 7)])
    for y in (10, ROW_HEIGHT + 10, 2 * ROW_HEIGHT - 10):
        left, right = _columns(_tinted(pixels[y], base[y], MUSIC))
        assert abs(left - 200) <= 1 and abs(right - 400) <= 1


def test_the_waveform_follows_the_samples(render):
    pixels, _, _ = render([segment("s", 0.0, 0.0, "Music")])
    dark = pixels.sum(axis=2) < 3 * 170                                  # the waveform's grey
    row0, row1 = dark[:ROW_HEIGHT], dark[ROW_HEIGHT:2 * ROW_HEIGHT]
    # left: a 0.8 tone for the first 2 s, silence (a 1 px line) after; right: silent for 1 s, then 0.4
    assert row0[:, 100].sum() > 0.7 * ROW_HEIGHT and row0[:, 700].sum() <= 2
    assert row1[:, 100].sum() <= 2 and 0.3 * ROW_HEIGHT < row1[:, 500].sum() < 0.5 * ROW_HEIGHT


def test_a_missing_file_still_draws_the_segments_with_a_note(render):
    pixels, base, notes = render([segment("s1", 1.0, 2.0, "Speech", 0, length=4.0)], audio="gone.wav")
    assert len(notes) == 1 and "gone.wav" in notes[0]
    left, right = _columns(_tinted(pixels[10], base[10], SPEECH))   # 4 s from original_length, one row
    assert abs(left - 200) <= 1 and abs(right - 400) <= 1


def test_frame_maps_time_to_x_and_back():
    frame = WaveformFrame(1000.0, 222.0, 2, 10.0, 20.0, left=5.0)
    assert frame.x_of(15.0) == 505.0 and frame.seconds_at(505.0) == 15.0
    assert frame.row_rect(1).top() == (222.0 - AXIS_HEIGHT) / 2
    assert nice_step(3600.0, 1000.0) == 500.0 and nice_step(4.0, 800.0) == 0.5
    assert time_text(3725.0, 500.0) == "1:02:05" and time_text(2.5, 0.5) == "0:02.5"


def test_lsview_render_writes_the_waveform_png(qapp, tmp_path, monkeypatch, capsys):
    from PIL import Image

    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "cache" / "media"))
    tasks, config = audio_project(tmp_path, [segment("s1", 0.5, 1.5, "Speech", 0, score=0.9)])
    assert main(["render", str(tasks), "--config", str(config), "--out", str(tmp_path / "out"), "--width", "600"]) == 0
    with Image.open(tmp_path / "out" / "0_7.png") as image:
        assert image.size == (600, 2 * ROW_HEIGHT + int(AXIS_HEIGHT))
    assert (tmp_path / "cache" / "peaks").is_dir()

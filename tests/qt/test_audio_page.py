"""The waveform view in the window (issue 18): an audio task opens on its waveform, segments listed and selected
both ways, accept/reject with the review keys, an edge drag of a working segment saved as one undoable command,
zoom and pan along time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.audio_builders import audio_project, segment
from tests.qt.review_project import open_window, read_session

PRED = ("prediction", 0)
WORKING = ("annotation", 0)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "cache" / "media"))
    tasks, config = audio_project(tmp_path, [segment("s1", 0.5, 1.5, "Speech", 0, score=0.9),
                                             segment("s2", 2.0, 3.0, "Music", 1, score=0.6)])
    main = open_window(qtbot, tmp_path, tasks, config)
    qtbot.waitUntil(lambda: main.audio_page.canvas.peaks is not None, timeout=10_000)
    yield main
    main.loader.wait()


def _stored(tmp_path):
    return read_session(tmp_path / "tasks.lsview.sqlite")["tasks"].get("id:7")


def _x(canvas, seconds: float) -> int:
    return round(canvas.frame().x_of(seconds))


def test_an_audio_task_opens_on_its_waveform_with_its_segments_listed(window):
    page = window.audio_page
    assert page.active and window.central.currentWidget() is page.view
    assert [key for key, _ in page.canvas.entries()] == [(PRED, "s1"), (PRED, "s2")]
    assert window.region_list.region((PRED, "s2")).shape.channel == 1
    assert page.canvas.rows() == 2 and page.content.media.sample_rate == 8000
    assert (page.canvas.start, page.canvas.end) == (0.0, 4.0)


def test_selection_is_one_between_the_waveform_and_the_region_list(window, qtbot):
    canvas = window.audio_page.canvas
    row1 = round(canvas.frame().row_rect(1).center().y())
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(_x(canvas, 2.5), row1))
    assert window.region_list.selected_key() == (PRED, "s2") and canvas.selected == (PRED, "s2")
    window.state.select((PRED, "s1"))
    assert canvas.selected == (PRED, "s1")
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(_x(canvas, 2.5), 5))  # row 0: no segment there
    assert window.region_list.selected_key() is None


def test_accept_and_reject_with_the_review_keys(window, qtbot, tmp_path):
    window.state.select((PRED, "s1"))
    qtbot.keyClick(window.audio_page.canvas, Qt.Key.Key_A)
    row = _stored(tmp_path)
    assert row["decisions"] == {(0, "s1"): "accepted"}
    assert [(r["id"], r["value"]["start"], r["value"]["channel"]) for r in row["results"]] == [("s1", 0.5, 0)]
    assert (WORKING, "s1") in [key for key, _ in window.audio_page.canvas.entries()]
    assert window.region_list.selected_key() == (PRED, "s2")       # on to the next undecided
    qtbot.keyClick(window.audio_page.canvas, Qt.Key.Key_X)
    assert _stored(tmp_path)["decisions"] == {(0, "s1"): "accepted", (0, "s2"): "rejected"}


def test_dragging_an_edge_of_a_working_segment_is_one_undoable_command(window, qtbot, tmp_path):
    canvas = window.audio_page.canvas
    window.state.select((PRED, "s1"))
    qtbot.keyClick(canvas, Qt.Key.Key_A)
    window.state.select((WORKING, "s1"))
    y = round(canvas.frame().row_rect(0).center().y())
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(_x(canvas, 1.5), y))
    qtbot.mouseMove(canvas, QPoint(_x(canvas, 2.0), y))
    band = canvas.band_of((WORKING, "s1"))
    assert abs(band.right() - _x(canvas, 2.0)) <= 1                 # the preview follows the pointer
    assert _stored(tmp_path)["results"][0]["value"]["end"] == 1.5   # nothing saved before the release
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(_x(canvas, 2.0), y))
    value = _stored(tmp_path)["results"][0]["value"]
    assert value["start"] == 0.5 and value["end"] == pytest.approx(2.0, abs=4.0 / canvas.width())
    assert value["channel"] == 0 and "labels" in value
    assert window.review.undo_label.startswith("Move Speech")
    window.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: _stored(tmp_path)["results"][0]["value"]["end"] == 1.5)


def test_a_prediction_segment_does_not_move(window, qtbot, tmp_path):
    canvas = window.audio_page.canvas
    window.state.select((PRED, "s1"))
    y = round(canvas.frame().row_rect(0).center().y())
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(_x(canvas, 1.5), y))
    qtbot.mouseMove(canvas, QPoint(_x(canvas, 2.0), y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(_x(canvas, 2.0), y))
    assert canvas.band_of((PRED, "s1")).right() == pytest.approx(_x(canvas, 1.5), abs=1)
    assert _stored(tmp_path) is None or _stored(tmp_path)["results"] == []


def test_zoom_and_pan_along_time(window, qtbot):
    page = window.audio_page
    canvas = page.canvas
    canvas.zoom_by(4.0, at_x=_x(canvas, 1.0))
    assert canvas.end - canvas.start == pytest.approx(1.0)
    assert canvas.frame().seconds_at(_x(canvas, 1.0)) == pytest.approx(1.0, abs=0.01)
    page.view.scroll.setValue(page.view.scroll.maximum())
    assert canvas.end == pytest.approx(4.0)
    window.actions_by_name["fit"].trigger()
    assert (canvas.start, canvas.end) == (0.0, 4.0)
    window.state.select((PRED, "s2"))
    canvas.zoom_by(8.0, at_x=0)
    window.state.select((PRED, "s2"), again=True)                    # chosen in a list: brought into view
    assert canvas.start <= 2.0 and canvas.end >= 3.0


def test_hiding_a_layer_hides_its_segments(window):
    window._on_layer_list_layer_toggled(PRED, False)
    assert window.audio_page.canvas.entries() == []


def test_defaultzoom_opens_zoomed_in_from_the_start(qtbot, tmp_path, monkeypatch):
    from tests.audio_builders import AUDIO_CONFIG
    from viewer.qt.audio_page import default_zoom

    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "cache" / "media"))
    config = AUDIO_CONFIG.replace('splitchannels="true"', 'defaultzoom="4"')
    tasks, config_path = audio_project(tmp_path, [segment("s1", 0.5, 1.5, "Speech")], config=config)
    main = open_window(qtbot, tmp_path, tasks, config_path)
    canvas = main.audio_page.canvas
    qtbot.waitUntil(lambda: canvas.peaks is not None, timeout=10_000)
    assert (canvas.start, canvas.end) == (0.0, pytest.approx(1.0)) and canvas.rows() == 1
    assert [default_zoom(text) for text in (None, "abc", "0.5", "2000", "nan")] == [1.0, 1.0, 1.0, 1500.0, 1.0]
    main.loader.wait()


def test_play_segment_plays_the_selected_segment_and_again_stops(window, qtbot):
    from tests.qt.test_audio_player import FakeDevice

    page = window.audio_page
    devices = []
    page.player.device_factory = lambda clip: devices.append(FakeDevice(clip)) or devices[-1]
    window.state.select((PRED, "s2"))
    window.actions_by_name["play_segment"].trigger()
    qtbot.waitUntil(lambda: bool(devices) and page.canvas.playhead is not None, timeout=5000)
    assert devices[0].clip.start == 2.0 and devices[0].clip.samples.shape == (8000, 2)
    assert 2.0 <= page.canvas.playhead < 3.0
    window.actions_by_name["play_segment"].trigger()
    assert devices[0].closed and page.canvas.playhead is None and not page.player.playing
    canvas = page.canvas
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton,
                      pos=QPoint(_x(canvas, 1.0), round(canvas.frame().row_rect(0).center().y())))
    qtbot.waitUntil(lambda: len(devices) == 2, timeout=5000)
    assert devices[1].clip.start == 0.5 and window.region_list.selected_key() == (PRED, "s1")
    page.player.stop()


def test_the_region_panel_relabels_a_working_segment_and_edits_its_transcript(window, qtbot, tmp_path):
    window.state.select((PRED, "s1"))
    qtbot.keyClick(window.audio_page.canvas, Qt.Key.Key_A)
    window.state.select((WORKING, "s1"))
    editor = window.editing.region_editor
    assert editor.region is not None and editor.region.id == "s1" and editor.region.kind == "audio-segment"
    music = next(i for i in range(editor.label_choice.count()) if "Music" in editor.label_choice.itemText(i))
    editor._on_label_choice_activated(music)
    stored = _stored(tmp_path)["results"]
    assert [r["value"].get("labels") for r in stored] == [["Music"]]
    assert editor.region.labels == ("Music",)                       # the panel follows the edited segment
    editor._on_region_field_committed(window.project.config.controls["transcript"], ["hello"])
    stored = _stored(tmp_path)["results"]
    transcript = next(r for r in stored if r["from_name"] == "transcript")
    assert transcript["value"] == {"start": 0.5, "end": 1.5, "channel": 0, "text": ["hello"]}
    window.state.select((PRED, "s2"))
    assert editor.region is None


def test_a_video_synced_with_its_audio_stays_in_the_player_until_the_audio_has_segments(qtbot, tmp_path,
                                                                                      monkeypatch):
    from tests.audio_builders import two_channel_clip

    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "cache" / "media"))
    two_channel_clip(tmp_path / "clip.wav")
    config = ('<View><Video name="video" value="$audio" sync="audio"/>'
              '<Audio name="audio" value="$audio" sync="video"/>'
              '<Labels name="kind" toName="audio"><Label value="Speech"/></Labels></View>')
    tasks, config_path = audio_project(tmp_path, [], config=config)
    main = open_window(qtbot, tmp_path, tasks, config_path)
    assert not main.audio_page.active
    main.loader.wait()
    (tmp_path / "two").mkdir()
    two_channel_clip(tmp_path / "two" / "clip.wav")
    tasks, config_path = audio_project(tmp_path / "two", [segment("s1", 0.5, 1.0, "Speech")], config=config)
    with qtbot.waitSignal(main.task_shown, timeout=10_000):
        main.open(type(main.request)(str(tasks), str(config_path), None, None))
    assert main.audio_page.active and [k for k, _ in main.audio_page.canvas.entries()] == [(PRED, "s1")]
    main.loader.wait()

"""A working video track is relabelled as an image region is: from the Region panel or by a label's hotkey, one
undoable review command saved in the session, the label kept where the editor keeps it (the videorectangle
result's value.labels). Reviewing in position order places a track by its box where it first shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.builders import write_project
from tests.qt.review_project import open_window, read_session
from viewer.core.video.synth import write_video

pytest.importorskip("av")

CONFIG = """<View>
  <Labels name="videoLabels" toName="video">
    <Label value="Car" background="#ff0000" hotkey="1"/>
    <Label value="Person" background="#0000ff" hotkey="2"/>
  </Labels>
  <Video name="video" value="$video" framerate="25"/>
  <VideoRectangle name="box" toName="video"/>
</View>"""
PRED, WORKING = ("prediction", 0), ("annotation", 0)


def keyframe(frame, x, y, enabled=True):
    return {"frame": frame, "enabled": enabled, "x": x, "y": y, "width": 20, "height": 20, "rotation": 0,
            "time": frame / 25}


def track(rid, label, *sequence):
    return {"id": rid, "from_name": "box", "to_name": "video", "type": "videorectangle",
            "value": {"framesCount": 60, "duration": 2.4, "labels": [label], "sequence": list(sequence)}}


# listed low, high, middle; "mid" first shows at frame 30, higher up than "low" is at frame 1
TRACKS = [track("low", "Car", keyframe(1, 10, 70), keyframe(20, 50, 5)),
          track("high", "Person", keyframe(1, 60, 5)),
          track("mid", "Car", keyframe(30, 5, 40), keyframe(40, 5, 0))]


@pytest.fixture
def video_window(qtbot, tmp_path):
    write_video(tmp_path / "clip.mp4", 60, 320, 240, fps=25, gop=12)
    tasks = [{"id": 1, "data": {"video": "clip.mp4"}, "predictions": [{"model_version": "v1", "result": TRACKS}]}]
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, tasks, CONFIG))
    player = main.video_page.player
    qtbot.waitUntil(lambda: main.video_page.active and player.facts is not None, timeout=10_000)
    yield main
    main.loader.wait()


def working_result(window, rid="low"):
    results = window.review.session.working_results(window.state.task())
    return next(r for r in results if r["id"] == rid)


def accept(window, qtbot, rid="low"):
    window.state.select((PRED, rid))
    window.actions_by_name["accept"].trigger()
    qtbot.waitUntil(lambda: (WORKING, rid) in dict(window.region_list.entries()), timeout=5_000)
    window.state.select((WORKING, rid))


def test_the_region_panel_relabels_a_working_track(video_window, qtbot, tmp_path):
    editor = video_window.editing.region_editor
    video_window.state.select((PRED, "low"))
    assert editor.region is None   # a prediction's track is not edited in the panel
    accept(video_window, qtbot)
    assert editor.region is not None and editor.region.id == "low" and editor.label_choice.isEnabled()
    assert editor.region.label_from_name == "videoLabels"
    texts = [editor.label_choice.itemText(i) for i in range(editor.label_choice.count())]
    assert texts == ["Car  (videoLabels)", "Person  (videoLabels)"] and editor.label_choice.currentIndex() == 0
    editor.label_choice.activated.emit(1)
    result = working_result(video_window)
    assert result["value"]["labels"] == ["Person"] and result["type"] == "videorectangle"
    assert result["from_name"] == "box" and [k["frame"] for k in result["value"]["sequence"]] == [1, 20]
    assert len([r for r in video_window.review.session.working_results(video_window.state.task())
                if r["id"] == "low"]) == 1   # no separate labels result: the editor keeps them in the track
    assert video_window.review.undo_label == "Relabel region"
    stored = read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]["id:1"]["results"]
    assert next(r for r in stored if r["id"] == "low")["value"]["labels"] == ["Person"]
    # the panel shows the track as stored now, the legend counts it under the Labels on the video
    assert editor.region.labels == ("Person",) and editor.label_choice.currentIndex() == 1
    assert video_window.legend._rows[("videoLabels", "Person")].text(1) == "2"
    video_window.actions_by_name["undo"].trigger()
    assert working_result(video_window)["value"]["labels"] == ["Car"]


def test_a_label_hotkey_relabels_the_selected_working_track(video_window, qtbot):
    view = video_window.video_page.player.view
    video_window.state.select((PRED, "low"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert not video_window.review.has_working(0)   # a prediction is not relabelled by a key
    accept(video_window, qtbot)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert working_result(video_window)["value"]["labels"] == ["Person"]
    assert video_window.review.undo_label == "Relabel region"
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert working_result(video_window)["value"]["labels"] == ["Car"]
    video_window.actions_by_name["undo"].trigger()
    assert working_result(video_window)["value"]["labels"] == ["Person"]


def test_position_order_places_a_track_by_its_box_where_it_first_shows(video_window):
    desk = video_window.review_desk
    video_window.actions_by_name["order_by_position"].setChecked(True)
    assert [key[1] for key, _ in desk.review_order()] == ["high", "mid", "low"]
    video_window.actions_by_name["order_by_position"].setChecked(False)

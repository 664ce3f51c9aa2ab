"""Tasks lsview does not draw (audio, video, tables ...; text until the text view comes) are shown as readable
data in place of the canvas, with a note saying so: never a blank window, never a crash."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings

from viewer.qt.loader import OpenRequest
from viewer.qt.main_window import MainWindow


@pytest.fixture
def empty_window(qtbot, tmp_path):
    main = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.resize(1000, 700)
    main.show()
    yield main
    main.loader.wait()


def open_project(qtbot, window, tmp_path, config: str, tasks: list[dict]) -> None:
    (tmp_path / "tasks.json").write_text(json.dumps(tasks))
    (tmp_path / "config.xml").write_text(config)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(str(tmp_path / "tasks.json"), str(tmp_path / "config.xml")))


VIDEO = """<View><Video name="video" value="$video"/>
  <Labels name="what" toName="video"><Label value="Car"/></Labels>
  <Choices name="daylight" toName="video"><Choice value="Day"/><Choice value="Night"/></Choices></View>"""


def test_a_video_task_opens_in_the_player_with_its_whole_object_results(empty_window, qtbot, tmp_path):
    # issue 18: a <Video> task is no longer shown as data only; the player shows it (without the file: an empty
    # frame), its whole-object answers in the results panel, and says what on the video it does not draw
    task = {"id": 31, "data": {"video": "/data/upload/1/clip.mp4"}, "predictions": [{"model_version": "tracker",
            "result": [{"id": "t1", "from_name": "what", "to_name": "video", "type": "labels",
                        "value": {"start": 2, "end": 5, "labels": ["Car"]}},
                       {"id": "d", "from_name": "daylight", "to_name": "video", "type": "choices",
                        "value": {"choices": ["Night"]}}]}]}
    messages = []
    empty_window.statusBar().messageChanged.connect(messages.append)
    open_project(qtbot, empty_window, tmp_path, VIDEO, [task])
    window = empty_window
    assert window.central.currentWidget() is window.video_page.player
    assert window.results.rows() == [("prediction 0 · tracker", "daylight", "Night")]
    assert window.actions_by_name["fit"].isEnabled()  # the frame zooms like an image
    assert any("0 track(s) on the video /data/upload/1/clip.mp4; 1 other region(s) on it are not drawn" in m
               for m in messages)
    qtbot.waitUntil(lambda: "The video cannot be shown" in window.statusBar().currentMessage(), timeout=10_000)
    assert not window.scene.items()


def test_a_text_task_opens_in_the_reading_view_and_one_without_its_text_as_data(empty_window, qtbot, tmp_path):
    config = ('<View><Text name="text" value="$text"/><Labels name="ner" toName="text">'
              '<Label value="City" background="#ff0000"/></Labels></View>')
    task = {"data": {"text": "I flew to Oslo."}, "annotations": [{"result": [
        {"id": "c", "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {"start": 10, "end": 14, "text": "Oslo", "labels": ["City"]}}]}]}
    open_project(qtbot, empty_window, tmp_path, config, [task])
    window = empty_window
    assert window.central.currentWidget() is window.text_page.view
    without_text = {"data": {"other": 1}, "annotations": task["annotations"]}
    open_project(qtbot, empty_window, tmp_path, config, [without_text])
    assert window.central.currentWidget() is window.data_view
    assert "missing or not text" in window.data_view.note.text()
    assert 'City · span on text · 10-14  [id c]' in window.data_view.text.toPlainText()


def test_going_from_a_data_task_back_to_an_image_task_shows_the_canvas(empty_window, qtbot, tmp_path):
    config = '<View><Image name="image" value="$image"/><Audio name="audio" value="$audio"/></View>'
    tasks = [{"data": {"image": "missing.png", "audio": "a.wav"}}]
    open_project(qtbot, empty_window, tmp_path, config, tasks)
    assert empty_window.central.currentWidget() is empty_window.view  # an Image object is drawn, even if missing
    # issue 18 draws audio (a waveform view): a table stays data only
    table_only = '<View><Table name="table" value="$table"/></View>'
    open_project(qtbot, empty_window, tmp_path, table_only, [{"data": {"table": {"a": 1}}}])
    assert empty_window.central.currentWidget() is empty_window.data_view
    assert "(no predictions or annotations)" in empty_window.data_view.text.toPlainText()

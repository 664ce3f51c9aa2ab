"""The video player in the window: a task on a <Video> opens in it, the boxes are drawn where interpolation puts
them, the frame keys and the timeline move along the video, and a box dragged or a track switched at a frame is a
keyframe in the session's working annotation, undoable. The video is made here with PyAV (never downloaded)."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from tests.builders import write_project
from tests.qt.review_project import open_window
from viewer.qt.actions import keyboard_map
from viewer.qt.canvas.scene import FADED
from viewer.core.video.synth import number_in, write_video

pytest.importorskip("av")

CONFIG = """<View>
  <Labels name="videoLabels" toName="video">
    <Label value="Car" background="#ff0000"/>
    <Label value="Person" background="#0000ff"/>
  </Labels>
  <Video name="video" value="$video" framerate="25"/>
  <VideoRectangle name="box" toName="video"/>
</View>"""
PRED, WORKING = ("prediction", 0), ("annotation", 0)


def keyframe(frame, x, y, w=20, h=20, enabled=True):
    return {"frame": frame, "enabled": enabled, "x": x, "y": y, "width": w, "height": h, "rotation": 0,
            "time": frame / 25}


def track(rid, label, score, *sequence):
    return {"id": rid, "from_name": "box", "to_name": "video", "type": "videorectangle", "score": score,
            "value": {"framesCount": 60, "duration": 2.4, "labels": [label], "sequence": list(sequence)}}


# car1 goes right from frame 1 to 21, down to 40 where it is switched off; p1 lives from frame 10 on.
TASKS = [{"id": 1, "data": {"video": "clip.mp4"}, "predictions": [{"model_version": "v1", "result": [
    track("car1", "Car", 0.9, keyframe(1, 10, 10), keyframe(21, 50, 10), keyframe(40, 50, 50, enabled=False)),
    track("p1", "Person", 0.6, keyframe(10, 60, 60, 30, 30), keyframe(50, 20, 60, 30, 30)),
]}]}]


@pytest.fixture
def video_window(qtbot, tmp_path):
    write_video(tmp_path / "clip.mp4", 60, 320, 240, fps=25, gop=12)
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, TASKS, CONFIG))
    player = main.video_page.player
    qtbot.waitUntil(lambda: main.video_page.active and player.facts is not None, timeout=10_000)
    qtbot.waitUntil(lambda: player._shown_image == player.frame, timeout=10_000)
    yield main
    main.loader.wait()


def shown_at(qtbot, player, frame):
    player.seek(frame)
    qtbot.waitUntil(lambda: player._shown_image == frame, timeout=10_000)


def red_near(image, point: QPoint, reach=2) -> bool:
    """A pixel of the selection's red within `reach` pixels of `point`."""
    for dx in range(-reach, reach + 1):
        for dy in range(-reach, reach + 1):
            color = image.pixelColor(point.x() + dx, point.y() + dy)
            if math.dist((color.red(), color.green(), color.blue()), (255, 0, 0)) < 60:
                return True
    return False


def left_edge_red(player, x_percent, y_percent=10, height_percent=20) -> float:
    """The share of points down a box's left edge (percent of the frame) where the viewport shows red."""
    image = player.view.viewport().grab().toImage()
    width, height = player.view.size_px
    hits = []
    for step in range(1, 10):
        y = (y_percent + height_percent * step / 10) * height / 100
        hits.append(red_near(image, player.view.mapFromScene(QPointF(x_percent * width / 100, y))))
    return sum(hits) / len(hits)


def test_a_video_task_opens_in_the_player_with_its_tracks(video_window):
    page, player = video_window.video_page, video_window.video_page.player
    assert video_window.central.currentWidget() is player
    assert (player.facts.frames_count, player.facts.width, player.facts.height) == (60, 320, 240)
    assert [key for key, _ in video_window.region_list.entries()] == [(PRED, "car1"), (PRED, "p1")]
    assert [row.key for row in player.timeline.rows] == [(PRED, "car1"), (PRED, "p1")]
    assert player.timeline.rows[0].spans == ((1, 40),) and player.timeline.rows[1].spans == ((10, 60),)
    assert video_window.actions_by_name["video_back"].isEnabled() and page.active


def test_zoom_actions_zoom_the_player_and_never_the_hidden_image_canvas(video_window):
    frame_view, canvas = video_window.video_page.player.view, video_window.view
    before_frame, before_canvas = frame_view.zoom(), canvas.zoom()
    video_window.actions_by_name["zoom_in"].trigger()
    assert frame_view.zoom() == pytest.approx(before_frame * 1.25)
    assert canvas.zoom() == before_canvas


def test_the_box_is_drawn_where_interpolation_puts_it(video_window, qtbot):
    player = video_window.video_page.player
    video_window.state.select((PRED, "car1"))
    shown_at(qtbot, player, 11)  # halfway from x=10 (frame 1) to x=50 (frame 21)
    assert set(player.view.items_by_key) == {(PRED, "car1"), (PRED, "p1")}
    assert player.view.items_by_key[(PRED, "car1")].region.shape.x == pytest.approx(30)
    assert left_edge_red(player, 30) >= 0.8
    assert left_edge_red(player, 20) == 0 and left_edge_red(player, 40) == 0  # inside: no edge there
    shown_at(qtbot, player, 1)
    assert left_edge_red(player, 10) >= 0.8 and left_edge_red(player, 40) == 0
    shown_at(qtbot, player, 5)  # before p1's first keyframe: not drawn at all
    assert set(player.view.items_by_key) == {(PRED, "car1")}
    shown_at(qtbot, player, 41)  # after car1's disabled keyframe: gone until the end
    assert set(player.view.items_by_key) == {(PRED, "p1")}


def test_the_picture_shown_is_the_frame_named(video_window, qtbot):
    player = video_window.video_page.player
    for frame in (37, 2, 60, 13):
        shown_at(qtbot, player, frame)
        image = player.view.pixmap_item.pixmap().toImage()
        rgb = image.convertToFormat(image.Format.Format_RGB888)
        import numpy as np

        pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
        assert number_in(pixels[:, :rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3)) == frame
        assert f"frame {frame} / 60" in player.counter.text()


def shown_number(player) -> int:
    import numpy as np

    image = player.view.pixmap_item.pixmap().toImage()
    rgb = image.convertToFormat(image.Format.Format_RGB888)
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    return number_in(pixels[:, :rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3))


def test_frames_are_label_studios_at_the_configs_framerate_not_the_files(qtbot, tmp_path):
    # 60 pictures at 30 a second (2 s) under the default framerate 24: Label Studio's timeline has 48 frames and
    # frame 24 (23/24 s) shows the 29th picture
    write_video(tmp_path / "clip.mp4", 60, 320, 240, fps=30, gop=15)
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, TASKS, CONFIG.replace(' framerate="25"', "")))
    player = main.video_page.player
    qtbot.waitUntil(lambda: main.video_page.active and player.facts is not None, timeout=10_000)
    assert (player.facts.frames_count, player.frames_count, player.timeline.frames_count) == (48, 48, 48)
    for frame, picture in ((24, 29), (1, 1), (48, 59)):
        shown_at(qtbot, player, frame)
        assert shown_number(player) == picture
    assert "frame 48 / 48" in player.counter.text() and "1.96 / 0:02.00" in player.counter.text()
    main.loader.wait()


def test_the_frame_keys_step_one_and_ten(video_window, qtbot):
    player = video_window.video_page.player
    view = player.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Period)
    assert player.frame == 2
    # Shift+. types ">" (Shift+, types "<"): a real keyboard's layout lets that press match ">"; the test sends
    # the character itself, having no layout to map Shift+. through
    qtbot.keyClick(view, Qt.Key.Key_Greater)
    assert player.frame == 12
    qtbot.keyClick(view, Qt.Key.Key_Comma)
    assert player.frame == 11
    qtbot.keyClick(view, Qt.Key.Key_Less)
    assert player.frame == 1
    qtbot.keyClick(view, Qt.Key.Key_Less)
    assert player.frame == 1  # not before the first
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert player.frame == 60 and player.timeline.frame == 60
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert player.frame == 1


def test_space_plays_and_pauses(video_window, qtbot):
    player = video_window.video_page.player
    player.view.setFocus()
    qtbot.keyClick(player.view, Qt.Key.Key_Space)
    assert player.playing
    qtbot.waitUntil(lambda: player.frame >= 10, timeout=5_000)
    qtbot.keyClick(player.view, Qt.Key.Key_Space)
    assert not player.playing
    stopped = player.frame
    qtbot.wait(200)
    assert player.frame == stopped
    video_window.actions_by_name["video_play"].trigger()  # the menu's Play goes on to the end and stops there
    qtbot.waitUntil(lambda: not player.playing, timeout=10_000)
    assert player.frame == 60


def test_timeline_ticks_sit_at_their_frames_and_a_click_seeks(video_window, qtbot):
    player = video_window.video_page.player
    timeline = player.timeline
    from viewer.qt.video.timeline import MARGIN, NAME_WIDTH, ROW_HEIGHT

    assert timeline.x_of(1) == NAME_WIDTH and timeline.x_of(60) == timeline.width() - MARGIN
    player.seek(30)  # the playhead away from the ticks looked at
    image = timeline.grab().toImage()
    middle = round(timeline.row_top(0) + ROW_HEIGHT / 2)
    row = timeline.rows[0]
    for frame in (1, 21):  # enabled keyframes: filled diamonds in the row's colour
        color = image.pixelColor(round(timeline.x_of(frame)), middle)
        assert (color.red(), color.green(), color.blue()) == (row.color.red(), row.color.green(), row.color.blue())
    hollow = image.pixelColor(round(timeline.x_of(40)), middle)  # the disabled one: hollow
    assert (hollow.red(), hollow.green(), hollow.blue()) != (row.color.red(), row.color.green(), row.color.blue())
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(timeline.x_of(45)), round(timeline.row_top(1) + 4)))
    assert player.frame == 45
    assert video_window.state.selection == (PRED, "p1")  # the row clicked
    assert video_window.region_list.selected_key() == (PRED, "p1")


def test_selecting_in_the_region_list_selects_the_row_and_the_box(video_window, qtbot):
    player = video_window.video_page.player
    shown_at(qtbot, player, 20)
    video_window.region_list.select((PRED, "p1"))
    video_window.region_list.region_chosen.emit((PRED, "p1"))
    assert player.timeline.selected == (PRED, "p1")
    assert player.view.items_by_key[(PRED, "p1")].isSelected()
    assert not player.view.items_by_key[(PRED, "car1")].isSelected()


def working_sequence(window_, rid="car1"):
    results = window_.review.session.working_results(window_.state.task())
    return next(r for r in results if r["id"] == rid)["value"]["sequence"]


def accept_car(video_window, qtbot):
    video_window.state.select((PRED, "car1"))
    video_window.actions_by_name["accept"].trigger()
    qtbot.waitUntil(lambda: (WORKING, "car1") in dict(video_window.region_list.entries()), timeout=5_000)
    video_window.state.select((WORKING, "car1"))


def test_dragging_a_working_box_adds_a_keyframe_there(video_window, qtbot):
    player = video_window.video_page.player
    shown_at(qtbot, player, 11)
    video_window.state.select((PRED, "car1"))
    assert player.view.handles() == []  # a prediction's box is not edited in place
    accept_car(video_window, qtbot)
    assert len(player.view.handles()) == 8
    view, (width, height) = player.view, player.view.size_px
    start = view.mapFromScene(QPointF(0.4 * width, 0.2 * height))  # the box's middle at frame 11
    end = view.mapFromScene(QPointF(0.4 * width + 32, 0.2 * height + 24))  # 10% right, 10% down
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), pos=QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(view.viewport(), pos=end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    sequence = working_sequence(video_window)
    assert [k["frame"] for k in sequence] == [1, 11, 21, 40]
    added = sequence[1]
    assert added["enabled"] and added["time"] == pytest.approx(11 / 25)
    assert added["x"] == pytest.approx(40, abs=0.8) and added["y"] == pytest.approx(20, abs=0.8)
    assert video_window.review.undo_label == "Move box at frame 11"
    # drawn there now, its timeline row has the tick, and undo takes it back
    assert player.view.items_by_key[(WORKING, "car1")].region.shape.x == pytest.approx(40, abs=0.8)
    row = next(r for r in player.timeline.rows if r.key == (WORKING, "car1"))
    assert [frame for frame, _ in row.keyframes] == [1, 11, 21, 40]
    video_window.actions_by_name["undo"].trigger()
    assert [k["frame"] for k in working_sequence(video_window)] == [1, 21, 40]
    assert player.frame == 11


def test_switching_a_track_off_and_on_at_a_frame(video_window, qtbot):
    player = video_window.video_page.player
    accept_car(video_window, qtbot)
    shown_at(qtbot, player, 25)
    assert (WORKING, "car1") in player.view.items_by_key
    video_window.actions_by_name["video_toggle_keyframe"].trigger()
    assert [k["enabled"] for k in working_sequence(video_window)] == [True, False, False]
    assert (WORKING, "car1") not in player.view.items_by_key   # off from frame 21 (shown on 21 only)
    row = next(r for r in player.timeline.rows if r.key == (WORKING, "car1"))
    assert row.spans == ((1, 21), (40, 40))  # a disabled keyframe still shows on its own frame
    assert video_window.review.undo_label == "Switch track off at frame 21"
    video_window.actions_by_name["video_toggle_keyframe"].trigger()
    assert [k["enabled"] for k in working_sequence(video_window)] == [True, True, False]
    assert (WORKING, "car1") in player.view.items_by_key


def test_a_prediction_is_not_switched_and_the_reviewer_is_told_why(video_window, qtbot):
    player = video_window.video_page.player
    shown_at(qtbot, player, 25)
    video_window.state.select((PRED, "car1"))
    video_window.actions_by_name["video_toggle_keyframe"].trigger()
    assert "Accept the track first" in video_window.statusBar().currentMessage()
    assert not video_window.review.has_working(0)


def test_reject_a_whole_track(video_window, qtbot):
    video_window.state.select((PRED, "p1"))
    video_window.actions_by_name["reject"].trigger()
    assert video_window.review.decisions(0) == {(0, "p1"): "rejected"}
    assert video_window.region_list.mark((PRED, "p1")) == "✗"
    player = video_window.video_page.player
    shown_at(qtbot, player, 20)
    # faint on the frame and the timeline, as rejected regions are on the image canvas
    assert player.view.items_by_key[(PRED, "p1")].opacity() == FADED
    assert player.view.items_by_key[(PRED, "car1")].opacity() == 1.0
    assert [row.faded for row in player.timeline.rows] == [False, True]
    video_window.actions_by_name["undo"].trigger()
    assert player.view.items_by_key[(PRED, "p1")].opacity() == 1.0


def test_the_cheat_sheet_lists_the_video_keys(video_window):
    rows = dict((what, keys) for keys, what in keyboard_map())
    assert rows["Back one frame"] == "," and rows["Forward 10 frames"] == ">" and rows["Play video"] == "Shift+Space"
    assert rows["Switch track off/on here"] == "Shift+K" and rows["Play or pause"] == "Space (on a video)"
    dialog = video_window.show_keyboard_help()
    groups = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert "Video" in groups


def test_a_missing_video_still_shows_the_tracks(qtbot, tmp_path):
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, TASKS, CONFIG))  # no clip.mp4 written
    player = main.video_page.player
    qtbot.waitUntil(lambda: "cannot be shown" in main.statusBar().currentMessage(), timeout=10_000)
    assert main.video_page.active and player.frames_count == 60 and player.facts is None
    player.seek(11)
    assert player.view.items_by_key[(PRED, "car1")].region.shape.x == pytest.approx(30)
    main.loader.wait()


def test_an_image_task_after_a_video_gets_the_canvas_back(video_window, qtbot, tmp_path):
    from tests.builders import IMAGE_CONFIG, image_task, make_image, rect
    from viewer.qt.loader import OpenRequest

    make_image(tmp_path / "img" / "a.png")
    tasks, config = write_project(tmp_path / "images", [image_task(rect(), image=str(tmp_path / "img" / "a.png"))],
                                  IMAGE_CONFIG)
    with qtbot.waitSignal(video_window.task_shown, timeout=10_000):
        video_window.open(OpenRequest(str(tasks), str(config)))
    assert video_window.central.currentWidget() is video_window.view
    assert not video_window.video_page.active and not video_window.actions_by_name["video_back"].isEnabled()
    assert video_window.video_page.player.facts is None  # the video closed


def test_resizing_a_working_box_by_its_corner_adds_a_keyframe(video_window, qtbot):
    player = video_window.video_page.player
    accept_car(video_window, qtbot)
    shown_at(qtbot, player, 21)  # on a keyframe: that keyframe takes the new box, none is added
    view, (width, height) = player.view, player.view.size_px
    corner = view.mapFromScene(QPointF(0.7 * width, 0.3 * height))  # bottom-right of x 50..70, y 10..30
    target = view.mapFromScene(QPointF(0.8 * width, 0.4 * height))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseMove(view.viewport(), pos=target)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    sequence = working_sequence(video_window)
    assert [k["frame"] for k in sequence] == [1, 21, 40]
    assert (sequence[1]["x"], sequence[1]["y"]) == (pytest.approx(50, abs=0.1), pytest.approx(10, abs=0.1))
    assert (sequence[1]["width"], sequence[1]["height"]) == (pytest.approx(30, abs=0.8), pytest.approx(30, abs=0.8))
    assert video_window.review.undo_label == "Resize box at frame 21"


def test_dragging_the_playhead_seeks_as_it_goes(video_window, qtbot):
    player = video_window.video_page.player
    timeline = player.timeline
    seen = []
    player.frame_changed.connect(seen.append)
    y = round(timeline.row_top(0) - 5)  # on the ruler: no row is chosen
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.x_of(10)), y))
    qtbot.mouseMove(timeline, pos=QPoint(round(timeline.x_of(25)), y))
    qtbot.mouseMove(timeline, pos=QPoint(round(timeline.x_of(33)), y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.x_of(33)), y))
    assert seen == [10, 25, 33] and player.frame == 33 and timeline.frame == 33
    assert video_window.state.selection is None
    qtbot.waitUntil(lambda: player._shown_image == 33, timeout=10_000)


def test_timeline_labels_are_rows_of_ranges_reviewed_like_tracks(qtbot, tmp_path):
    config = CONFIG.replace("</View>", '<TimelineLabels name="scenes" toName="video"><Label value="Day"/>'
                                       '</TimelineLabels></View>')
    scene = {"id": "scene1", "from_name": "scenes", "to_name": "video", "type": "timelinelabels", "score": 0.8,
             "value": {"ranges": [{"start": 3, "end": 9}, {"start": 30, "end": 45}], "timelinelabels": ["Day"]}}
    tasks = [{**TASKS[0], "predictions": [{"model_version": "v1", "result": [
        *TASKS[0]["predictions"][0]["result"], scene]}]}]
    write_video(tmp_path / "clip.mp4", 60, 320, 240, fps=25, gop=12)
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, tasks, config))
    player = main.video_page.player
    qtbot.waitUntil(lambda: main.video_page.active and player.facts is not None, timeout=10_000)
    row = next(r for r in player.timeline.rows if r.key == (PRED, "scene1"))
    assert row.spans == ((3, 9), (30, 45)) and row.keyframes == ()
    player.seek(5)
    assert (PRED, "scene1") not in player.view.items_by_key  # no box on the frame
    main.state.select((PRED, "scene1"))
    main.actions_by_name["accept"].trigger()
    assert main.review.decisions(0) == {(0, "scene1"): "accepted"}
    main.state.select((WORKING, "scene1"))
    main.actions_by_name["video_toggle_keyframe"].trigger()
    assert "no keyframes to switch" in main.statusBar().currentMessage()
    main.loader.wait()


def test_the_legend_counts_and_hides_tracks_by_the_labels_on_the_video(video_window, qtbot):
    legend, player = video_window.legend, video_window.video_page.player
    assert legend._rows[("videoLabels", "Car")].text(1) == "1"
    assert legend._rows[("videoLabels", "Person")].text(1) == "1"
    assert ("box", "Car") not in legend._rows  # not listed again as a label the config lacks
    shown_at(qtbot, player, 20)
    legend.label_toggled.emit(("videoLabels", "Car"), False)
    assert set(player.view.items_by_key) == {(PRED, "p1")}
    assert [row.key for row in player.timeline.rows] == [(PRED, "p1")]
    legend.label_toggled.emit(("videoLabels", "Car"), True)
    assert set(player.view.items_by_key) == {(PRED, "car1"), (PRED, "p1")}


def test_a_window_showing_images_keeps_no_decoding_thread(window):
    frames = window.video_page.player.frames
    assert not frames._thread.is_alive()
    window.video_page.player.close_video()
    assert not frames._thread.is_alive()


def test_at_900_by_600_the_counter_shows_and_same_label_rows_read_apart(qtbot, tmp_path):
    # The counter sat last in the transport toolbar and went behind its overflow "»"; four tracks labelled Car
    # were four rows "Car · pred 0"
    write_video(tmp_path / "clip.mp4", 60, 320, 240, fps=25, gop=12)
    tasks = [{"id": 1, "data": {"video": "clip.mp4"}, "predictions": [{"model_version": "v1", "result": [
        track(rid, "Car", 0.9, keyframe(1, 10, 10), keyframe(30, 50, 10)) for rid in ("car1", "car2", "car3")]}]}]
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, tasks, CONFIG))
    main.resize(900, 600)
    player = main.video_page.player
    qtbot.waitUntil(lambda: main.video_page.active and player.facts is not None, timeout=10_000)
    shown_at(qtbot, player, 12)
    qtbot.wait(50)
    counter = player.counter
    assert "frame 12 / 60" in counter.text()
    window = main.grab().toImage()
    ratio = window.width() / main.width()
    alone = counter.grab().toImage()
    corner = counter.mapTo(main, QPoint(0, 0))
    assert counter.isVisible() and counter.width() >= counter.sizeHint().width()
    inked = same = 0
    for x in range(alone.width()):
        for y in range(alone.height()):
            color = alone.pixelColor(x, y)
            if color.lightness() < 100:   # the counter's text, where the window shows it too
                inked += 1
                same += window.pixelColor(int((corner.x() + x / ratio) * ratio),
                                          int((corner.y() + y / ratio) * ratio)) == color
    assert inked > 50 and same == inked
    timeline = player.timeline.grab().toImage()
    from viewer.qt.video.timeline import NAME_WIDTH, ROW_HEIGHT, RULER_HEIGHT

    def name_ink(row):
        """The dark pixels of a row's name: its text, whatever the row's (alternating) background."""
        top = int((RULER_HEIGHT + row * ROW_HEIGHT) * ratio)
        return [timeline.pixelColor(x, y).lightness() < 110 for x in range(int(NAME_WIDTH * ratio))
                for y in range(top, top + int(ROW_HEIGHT * ratio))]

    assert any(name_ink(0)) and name_ink(0) != name_ink(2)   # rows 0 and 2: the same background
    main.loader.wait()

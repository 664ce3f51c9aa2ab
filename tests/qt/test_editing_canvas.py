"""Handles on the selected working region: a drag on an offscreen view at 1:1 is previewed, then stored as one
command in percent (rectangles keep their rotation and are resized in their own frame), and undo restores it."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent

from tests.qt.editing_support import (H, W, accept_all, box, click, double_click, drag, open_editing_window,
                                      regions, result, select, send, view_point, working)
from viewer.core import geometry


def corners(region):
    return geometry.rectangle_corners(region.shape, W, H)


@pytest.fixture
def window(qtbot, tmp_path):
    polygon = result("p1", "poly", "polygonlabels", {"points": [[50, 50], [70, 50], [70, 70], [50, 70]],
                                                     "closed": True, "polygonlabels": ["Road"]})
    ellipse = result("e1", "ell", "ellipselabels", {"x": 75, "y": 25, "radiusX": 5, "radiusY": 10,
                                                    "rotation": 0, "ellipselabels": ["Ball"]})
    keypoint = result("k1", "kp", "keypointlabels", {"x": 90, "y": 90, "width": 1, "keypointlabels": ["Nose"]})
    main = open_editing_window(qtbot, tmp_path, [box(), polygon, ellipse, keypoint,
                                                 box("r9", x=10, y=70, width=20, height=10, rotation=90)])
    accept_all(main)
    return main


def test_a_corner_drag_of_32_px_grows_the_width_by_5_percent_in_one_command(window, qtbot):
    select(qtbot, window, "r1")
    history = window.review.session.history
    done = len(history._done)
    # bottom-right corner of x=10 %, w=30 % on 640 px: 256 px; y+h = 60 % of 480: 288 px
    drag(window, [(256, 288), (272, 288), (288, 288)])
    shape = regions(window)["r1"].shape
    assert (shape.x, shape.y, shape.height, shape.rotation) == pytest.approx((10, 20, 40, 0))
    assert shape.width == pytest.approx(35.0)
    assert len(history._done) == done + 1 and history.undo_label == "Resize rectangle"
    stored = [r for r in working(window) if r["id"] == "r1"]
    assert {r["origin"] for r in stored} == {"prediction-changed"}
    assert stored[0]["value"]["rectanglelabels"] == ["Car"] and stored[0]["original_width"] == W
    window.review.undo()
    assert regions(window)["r1"].shape.width == pytest.approx(30.0)
    assert {r["origin"] for r in working(window) if r["id"] == "r1"} == {"prediction"}


def test_a_rotated_rectangle_resizes_in_its_own_frame_and_keeps_its_rotation(window, qtbot):
    select(qtbot, window, "r9")
    before = regions(window)["r9"]
    top_left, top_right, bottom_right, _ = corners(before)
    # rotated 90 degrees clockwise, the width runs down the screen: the right edge's middle is below the box
    middle = ((top_right[0] + bottom_right[0]) / 2, (top_right[1] + bottom_right[1]) / 2)
    drag(window, [middle, (middle[0], middle[1] + 16), (middle[0], middle[1] + 32)])
    shape = regions(window)["r9"].shape
    assert shape.rotation == pytest.approx(90.0)
    assert shape.width == pytest.approx(20 + 32 / W * 100)   # the width is measured along the image's x scale
    assert (shape.x, shape.y, shape.height) == pytest.approx((10, 70, 10))
    assert corners(regions(window)["r9"])[0] == pytest.approx(top_left)


def test_the_rotation_handle_turns_about_the_centre_and_stores_top_left_plus_angle(window, qtbot):
    select(qtbot, window, "r1")
    before = regions(window)["r1"]
    handle = next(h for h in window.editing.canvas.tool.handles(before.shape) if h.name == "rotate")
    centre = (160.0, 192.0)  # x 64..256, y 96..288
    radius = centre[1] - handle.at[1]
    steps = [(centre[0] + radius * math.sin(math.radians(a)), centre[1] - radius * math.cos(math.radians(a)))
             for a in (0, 30, 60, 90)]
    drag(window, steps)
    after = regions(window)["r1"]
    assert after.shape.rotation == pytest.approx(90.0, abs=0.01)
    assert (after.shape.width, after.shape.height) == pytest.approx((30, 40))
    tl, _, br, _ = corners(after)
    assert ((tl[0] + br[0]) / 2, (tl[1] + br[1]) / 2) == pytest.approx(centre, abs=0.01)
    assert window.review.session.history.undo_label == "Rotate rectangle"


def test_dragging_the_body_moves_and_a_click_changes_nothing(window, qtbot):
    select(qtbot, window, "r1")
    results = working(window)
    click(window, 150, 150)
    assert working(window) == results
    drag(window, [(150, 150), (180, 170), (214, 198)])
    shape = regions(window)["r1"].shape
    assert (shape.x, shape.y, shape.width, shape.height) == pytest.approx((20, 30, 30, 40))
    assert window.review.session.history.undo_label == "Move rectangle"


def test_escape_drops_a_drag_under_way(window, qtbot):
    select(qtbot, window, "r1")
    results = working(window)
    left, none, plain = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    send(window, QMouseEvent.Type.MouseButtonPress, view_point(window, 150, 150), left, left, plain)
    send(window, QMouseEvent.Type.MouseMove, view_point(window, 200, 200), none, left, plain)
    assert window.editing.canvas.overlay.preview is not None
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.editing.canvas.overlay.preview is None
    send(window, QMouseEvent.Type.MouseButtonRelease, view_point(window, 200, 200), left, none, plain)
    assert working(window) == results
    assert window.editing.canvas.selected_region().id == "r1"
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)               # with nothing under way: no selection
    assert window.editing.canvas.selected_region() is None


def test_ellipse_radii_and_rotation(window, qtbot):
    select(qtbot, window, "e1")
    # centre (480, 120), radii 32 x 48 px: the right handle is at x 512
    drag(window, [(512, 120), (530, 120), (544, 120)])
    shape = regions(window)["e1"].shape
    # the left edge stays at 448 px: 96 px across, so the x radius is 48 px (7.5 %) about a centre at 496 px
    assert (shape.radius_x, shape.x, shape.radius_y, shape.y) == pytest.approx((7.5, 77.5, 10.0, 25.0))
    assert window.review.session.history.undo_label == "Resize ellipse"
    before = regions(window)["e1"].shape
    handle = next(h for h in window.editing.canvas.tool.handles(before) if h.name == "rotate")
    centre = (before.x / 100 * W, before.y / 100 * H)
    radius = centre[1] - handle.at[1]
    drag(window, [handle.at, (centre[0] + radius, centre[1])])
    after = regions(window)["e1"].shape
    assert after.rotation == pytest.approx(90.0, abs=0.01)
    assert (after.x, after.y, after.radius_x, after.radius_y) == pytest.approx((before.x, before.y, 7.5, 10))


def test_polygon_vertices_move_are_added_and_deleted_and_three_remain(window, qtbot):
    def points():
        return [round(c, 6) for p in regions(window)["p1"].shape.points for c in p]

    select(qtbot, window, "p1")
    drag(window, [(320, 240), (330, 240), (352, 264)])   # vertex 0 from (50 %, 50 %) = (320, 240) px
    assert points() == [55, 55, 70, 50, 70, 70, 50, 70]
    assert window.review.session.history.undo_label == "Move vertex"
    double_click(window, 400, 252)                       # halfway along the edge from (352, 264) to (448, 240)
    assert points() == [55, 55, 62.5, 52.5, 70, 50, 70, 70, 50, 70]
    assert window.review.session.history.undo_label == "Add vertex"
    click(window, 448, 336, Qt.KeyboardModifier.AltModifier)
    assert points() == [55, 55, 62.5, 52.5, 70, 50, 50, 70]
    assert window.review.session.history.undo_label == "Delete vertex"
    click(window, 448, 240)                              # choose the vertex at (70 %, 50 %), then Delete
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert points() == [55, 55, 62.5, 52.5, 50, 70]
    click(window, 320, 336)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)       # refused: a polygon keeps three, and stays
    assert len(points()) == 6 and "p1" in regions(window)
    window.review.undo()
    window.review.undo()
    assert len(points()) == 10


def test_a_keypoint_moves(window, qtbot):
    select(qtbot, window, "k1")
    drag(window, [(576, 432), (570, 420), (544, 408)])
    shape = regions(window)["k1"].shape
    assert (shape.x, shape.y, shape.width) == pytest.approx((85.0, 85.0, 1.0))
    assert window.review.session.history.undo_label == "Move keypoint"


def test_prediction_regions_stay_read_only(window, qtbot):
    window.review.delete_region(window.index, "r1")   # the prediction's r1 is now the only one there
    results = working(window)
    window.scene.select((("prediction", 0), "r1"))
    assert window.editing.canvas.selected_item() is None
    drag(window, [(150, 150), (200, 200)])
    assert working(window) == results
    assert not window.editing.canvas.overlay.handles

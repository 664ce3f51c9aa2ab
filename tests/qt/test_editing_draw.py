"""Drawing tools make new regions of the working annotation with the chosen label and the results Label Studio
writes; the brush paints RLE masks; label hotkeys relabel; Delete deletes. Driven by keys and mouse at 1:1."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.qt.editing_support import (H, OCR_CONFIG, W, accept_all, box, click, drag, open_editing_window, regions,
                                      select, working)
from viewer.core import rle

SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, tmp_path):
    return open_editing_window(qtbot, tmp_path, [box()])


def new_results(window, before: set[str]) -> list[dict]:
    return [r for r in working(window) if r["id"] not in before]


def test_a_new_rectangle_gets_the_chosen_label_and_the_results_label_studio_writes(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_R, SHIFT)
    toolbar = window.editing.toolbar
    assert window.editing.canvas.tool.name == "rectangle" and toolbar.tool_actions["rectangle"].isChecked()
    assert [toolbar.label_choice.itemText(i).split()[0] for i in range(toolbar.label_choice.count())] == \
        ["Car", "Person"]
    toolbar.label_choice.activated.emit(1)
    drag(window, [(64, 48), (100, 100), (192, 144)])
    made = new_results(window, set())
    assert len(made) == 1 and window.review.session.history.undo_label == "Draw rectangle"
    result = made[0]
    assert (result["type"], result["from_name"], result["to_name"], result["origin"]) == \
        ("rectanglelabels", "label", "image", "manual")
    value = dict(result["value"])
    assert value.pop("rectanglelabels") == ["P"]
    assert value == pytest.approx({"x": 10.0, "y": 10.0, "width": 20.0, "height": 20.0, "rotation": 0.0})
    assert (result["original_width"], result["original_height"], result["image_rotation"]) == (W, H, 0)
    assert window.editing.canvas.selected_region().id == result["id"]   # the new region is the selection
    click(window, 300, 300)                                            # a click draws nothing
    assert len(working(window)) == 1


def test_with_a_rectangle_tool_and_plain_labels_a_region_is_two_results_sharing_an_id(qtbot, tmp_path):
    window = open_editing_window(qtbot, tmp_path, [], OCR_CONFIG)
    window.editing.canvas.set_tool("rectangle")
    drag(window, [(64, 48), (128, 96)])
    results = working(window)
    assert [(r["type"], r["from_name"]) for r in results] == [("rectangle", "bbox"), ("labels", "ocr")]
    assert results[0]["id"] == results[1]["id"]
    assert results[1]["value"]["labels"] == ["Text"]                  # the first label by default
    geometry = {k: results[1]["value"][k] for k in ("x", "y", "width", "height", "rotation")}
    assert results[0]["value"] == geometry == pytest.approx({"x": 10, "y": 10, "width": 10, "height": 10,
                                                             "rotation": 0})


def test_a_label_hotkey_with_nothing_selected_chooses_the_label_and_its_tool(window, qtbot):
    window.scene.select(None)
    qtbot.keyClick(window.view, Qt.Key.Key_P, SHIFT)
    assert window.editing.canvas.tool.name == "rectangle"
    assert window.editing.canvas.choice("rectangle").label.value == "Person"
    assert working(window) == []


def test_polygon_by_clicks_closed_by_enter_or_by_the_first_point_and_dropped_by_escape(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert window.editing.canvas.tool.name == "polygon"
    for x, y in ((64, 48), (128, 48), (128, 96)):
        click(window, x, y)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert working(window) == [] and window.editing.canvas.overlay.draft == []
    for x, y in ((64, 48), (128, 48), (128, 96)):
        click(window, x, y)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    (first,) = working(window)
    assert first["type"] == "polygonlabels" and first["value"]["polygonlabels"] == ["Road"]
    assert first["value"]["points"] == [[10, 10], [20, 10], [20, 20]] and first["value"]["closed"] is True
    for x, y in ((320, 240), (384, 240), (384, 288), (322, 241)):    # the last click lands on the first point
        click(window, x, y)
    assert len(working(window)) == 2 and window.review.session.history.undo_label == "Draw polygon"


def test_ellipse_from_its_centre_and_keypoint_by_a_click(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_O)
    drag(window, [(320, 240), (352, 288)])
    ellipse = new_results(window, set())[0]
    assert ellipse["type"] == "ellipselabels"
    value = dict(ellipse["value"])
    assert value.pop("ellipselabels") == ["Ball"]
    assert value == pytest.approx({"x": 50, "y": 50, "radiusX": 5, "radiusY": 10, "rotation": 0})
    qtbot.keyClick(window.view, Qt.Key.Key_K)
    click(window, 64, 96)
    keypoint = new_results(window, {ellipse["id"]})[0]
    # strokeWidth 4 screen pixels at the fit zoom, as a radius in percent of the image width (FORMAT.md 1.5)
    width = 4 / window.scene.fit_scale / W * 100
    value = dict(keypoint["value"])
    assert value.pop("keypointlabels") == ["Nose"]
    assert value == pytest.approx({"x": 10, "y": 20, "width": width})


def disk(cx: float, cy: float, radius: float) -> np.ndarray:
    ys, xs = np.mgrid[0:H, 0:W]
    return ((xs + 0.5 - cx) ** 2 + (ys + 0.5 - cy) ** 2 <= radius ** 2).astype(np.uint8) * 255


def test_a_brush_click_paints_a_disk_encoded_as_label_studio_rle_and_the_eraser_takes_part_back(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_B)
    window.editing.toolbar.brush_size.setValue(21)
    click(window, 100, 100)
    (mask,) = working(window)
    assert mask["type"] == "brushlabels" and mask["value"]["brushlabels"] == ["Sky"]
    assert mask["value"]["format"] == "rle" and mask["origin"] == "manual"
    assert rle.read_header(mask["value"]["rle"]).num_words == W * H * 4
    assert np.array_equal(rle.decode(mask["value"]["rle"], W, H), disk(100, 100, 10.5))
    assert window.review.session.history.undo_label == "Paint mask"
    qtbot.keyClick(window.view, Qt.Key.Key_E)
    qtbot.keyClick(window.view, Qt.Key.Key_Minus)                    # 21 -> 18
    assert window.editing.canvas.brush_size == 18
    wheel = QWheelEvent(QPointF(10, 10), QPointF(10, 10), QPoint(), QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.AltModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(window.view.viewport(), wheel)          # Alt + wheel down: 18 -> 16
    assert window.editing.canvas.brush_size == 16 and window.view.zoom() == 1.0
    window.editing.toolbar.brush_size.setValue(11)
    drag(window, [(100, 100), (100, 100)])
    (erased,) = working(window)
    assert erased["id"] == mask["id"] and window.review.session.history.undo_label == "Erase mask"
    expected = disk(100, 100, 10.5) & ~disk(100, 100, 5.5)
    assert np.array_equal(rle.decode(erased["value"]["rle"], W, H), expected)


def test_a_label_hotkey_relabels_the_selected_working_region_and_delete_deletes_it(window, qtbot):
    accept_all(window)
    select(qtbot, window, "r1")
    qtbot.keyClick(window.view, Qt.Key.Key_P, SHIFT)
    assert regions(window)["r1"].labels == ("P",)
    assert window.review.session.history.undo_label == "Relabel region"
    assert {r["origin"] for r in working(window)} == {"prediction-changed"}
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert working(window) == [] and window.review.session.history.undo_label == "Delete region"
    window.review.undo()
    assert regions(window)["r1"].labels == ("P",)

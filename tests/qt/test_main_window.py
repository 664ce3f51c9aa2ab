"""The window over the model: list and canvas select each other, layers hide, tasks flip, tooltips tell."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from viewer.qt.canvas.items import KeyPointItem, MaskItem, PolygonItem, RectangleItem, TagItem


def show(qtbot, window, index):
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(index)


def test_demo_opens_on_the_first_task_with_every_region_listed(window):
    content = window.scene.content
    assert window.index == 0
    assert window.position.text().strip() == "Task 1 of 5"
    assert len(window.scene.items_by_key) == len(content.regions()) == window.region_list.topLevelItemCount()
    assert window.layer_list.count() == 3  # two model versions and one annotation


def test_selecting_in_the_list_selects_on_the_canvas_and_back(window):
    rows = window.region_list
    row = rows.topLevelItem(3)
    rows.setCurrentItem(row)
    key = rows.selected_key()
    assert window.scene.selected_key() == key
    assert window.scene.items_by_key[key].isSelected()

    other = next(k for k in window.scene.items_by_key if k != key)
    window.scene.items_by_key[other].setSelected(True)  # as a click on the canvas does
    window.scene.items_by_key[key].setSelected(False)
    assert rows.selected_key() == other


def test_clicking_a_region_on_the_canvas_selects_its_row(window, qtbot):
    key, item = next((k, i) for k, i in window.scene.items_by_key.items()
                     if isinstance(i, RectangleItem) and i.region.id == "person-1")
    for other in window.scene.items_by_key.values():
        other.setVisible(other is item)
    centre = window.view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert window.region_list.selected_key() == key


def test_hiding_a_layer_hides_its_regions_and_greys_its_rows(window):
    layer = window.scene.content.layers[0]
    window.layer_list.set_visible(layer.key, False)
    for key, item in window.scene.items_by_key.items():
        assert item.isVisible() == (key[0] != layer.key)
    disabled = [window.region_list.topLevelItem(i).isDisabled() for i in range(window.region_list.topLevelItemCount())]
    assert sum(disabled) == len(layer.regions)
    window.layer_list.set_visible(layer.key, True)
    assert all(item.isVisible() for item in window.scene.items_by_key.values())


def test_hidden_layer_stays_hidden_on_the_next_task(window, qtbot):
    v1 = window.scene.content.layers[0].key
    window.layer_list.set_visible(v1, False)
    show(qtbot, window, 1)
    assert window.scene.content.layers[0].key == v1
    assert not any(item.isVisible() for key, item in window.scene.items_by_key.items() if key[0] == v1)


def test_next_previous_and_jump(window, qtbot):
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.actions_by_name["next_task"].trigger()
    assert window.index == 1 and window.position.text().strip() == "Task 2 of 5"
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.actions_by_name["previous_task"].trigger()
    assert window.index == 0
    assert not window.actions_by_name["previous_task"].isEnabled()
    window.jump.setText("#103")
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.jump.returnPressed.emit()
    assert window.index == 2
    window.jump.setText("4")
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.jump.returnPressed.emit()
    assert window.index == 3


def test_park_task_has_masks_keypoints_and_an_open_polygon(window, qtbot):
    show(qtbot, window, 1)
    items = list(window.scene.items_by_key.values())
    assert any(isinstance(i, MaskItem) for i in items)
    keypoints = [i for i in items if isinstance(i, KeyPointItem)]
    assert keypoints and all(i.flags() & i.GraphicsItemFlag.ItemIgnoresTransformations for i in keypoints)
    open_polygon = next(i for i in items if isinstance(i, PolygonItem) and not i.region.shape.closed)
    assert not open_polygon.shape().isEmpty()


def test_keypoints_keep_their_screen_size_when_zooming(window, qtbot):
    show(qtbot, window, 1)
    dot = next(i for i in window.scene.items_by_key.values() if isinstance(i, KeyPointItem))
    def on_screen():
        return dot.deviceTransform(window.view.viewportTransform()).mapRect(dot.boundingRect()).width()

    before = on_screen()
    window.view.zoom_by(4)
    assert window.view.zoom() > 1
    assert abs(on_screen() - before) <= 1
    # radius = width% of the image width at the view's fit zoom, which never counts above 1 (FORMAT.md 1.5)
    fit = min(window.view.fit_zoom(), 1.0)
    assert window.scene.fit_scale == pytest.approx(fit)
    assert dot.radius() == pytest.approx(max(0.7 / 100 * 640 * fit, 2.0))


def test_tooltip_shows_labels_score_model_id_and_ocr_text(window, qtbot):
    show(qtbot, window, 2)
    item = next(i for k, i in window.scene.items_by_key.items() if k[1] == "line-4")
    assert item.toolTip() == ""  # made on first hover
    centre = window.view.mapFromScene(item.mapToScene(item.shape().boundingRect().center()))
    qtbot.mouseMove(window.view.viewport(), centre)
    qtbot.waitUntil(lambda: item.toolTip() != "", timeout=2000)
    tip = item.toolTip()
    for expected in ("Handwriting", "0.610", "ocr-v3", "line-4", "paid - thank you!"):
        assert expected in tip


def test_missing_image_shows_a_placeholder_and_still_the_regions(window, qtbot):
    show(qtbot, window, 3)
    assert window.scene.content.problem
    assert "image not shown" in window.statusBar().currentMessage()
    assert len(window.scene.items_by_key) == 2
    assert window.scene.image_item.pixmap().width() == 640


def test_tags_switch_off_and_on(window):
    tags = [c for i in window.scene.items_by_key.values() for c in i.childItems() if isinstance(c, TagItem)]
    assert tags
    window.actions_by_name["show_tags"].setChecked(False)
    assert not any(t.isVisible() for t in tags)
    window.actions_by_name["show_tags"].setChecked(True)
    assert all(t.isVisible() for t in tags)


def test_fit_and_actual_size(window):
    window.view.actual_size()
    assert window.view.zoom() == 1.0
    window.view.fit()
    rect = window.view.mapFromScene(window.scene.sceneRect()).boundingRect()
    viewport = window.view.viewport().rect()
    assert rect.width() <= viewport.width() + 1 and rect.height() <= viewport.height() + 1
    assert rect.width() >= viewport.width() - 4 or rect.height() >= viewport.height() - 4  # fitInView keeps 2 px


def test_opened_projects_go_to_recent_files(window):
    entries = window.recent.entries()
    assert entries and entries[0].tasks.endswith("tasks.json")
    assert window.recent_menu.actions()


def test_dropping_a_task_file_and_config_opens_them(window, tmp_path):
    tasks, config = tmp_path / "t.json", tmp_path / "c.xml"
    request = window.dropped_request([config, tasks])
    assert (request.tasks, request.config) == (str(tasks), str(config))
    only_config = window.dropped_request([config])
    assert only_config.tasks == window.request.tasks and only_config.config == str(config)
    assert window.dropped_request([tmp_path / "notes.txt"]) is None

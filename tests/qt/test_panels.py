"""The side panels over the model: the legend hides labels, the results panel follows the layers, the region
list hides single regions (saved-hidden ones start hidden), and relations are items that follow their regions."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from viewer.qt.canvas.relation_item import RelationItem


def show(qtbot, window, index, page=0):
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(index, page)


def shown_keys(window):
    return {key for key, item in window.scene.items_by_key.items() if item.isVisible()}


def test_legend_lists_the_config_labels_with_their_colours_and_counts(window):
    legend = window.legend
    assert ("objects", "Car") in legend.keys() and ("fields", "Stamp") in legend.keys()
    cars = [k for k, i in window.scene.items_by_key.items() if "Car" in i.region.labels]
    assert legend.row(("objects", "Car")).text(1) == str(len(cars))
    # the swatch is the label's background (#1f77b4 for Car)
    swatch = legend.row(("objects", "Car")).icon(0).pixmap(14, 14).toImage()
    assert swatch.pixelColor(7, 7).name() == "#1f77b4"


def check_box_centre(tree, row) -> QPoint:
    """Where the check box of a tree row is drawn, as the style lays it out."""
    option = QStyleOptionViewItem()
    tree.itemDelegate().initStyleOption(option, tree.indexFromItem(row, 0))
    option.rect = tree.visualItemRect(row)
    return tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tree).center()


def test_clicking_a_legend_label_hides_its_regions_and_greys_their_rows(window, qtbot):
    legend = window.legend
    row = legend.row(("objects", "Car"))
    name_at = legend.visualItemRect(row).center()
    qtbot.mouseClick(legend.viewport(), Qt.MouseButton.LeftButton, pos=name_at)
    assert not legend.is_shown(("objects", "Car"))
    for item in window.scene.items_by_key.values():
        assert item.isVisible() == ("Car" not in item.region.labels)
    rows = window.region_list
    greyed = [rows.topLevelItem(i).text(0) for i in range(rows.topLevelItemCount())
              if rows.topLevelItem(i).isDisabled()]
    assert greyed and set(greyed) == {"Car"}
    qtbot.mouseClick(legend.viewport(), Qt.MouseButton.LeftButton, pos=name_at)
    assert legend.is_shown(("objects", "Car"))
    assert all(item.isVisible() for item in window.scene.items_by_key.values())


def test_a_legend_box_click_toggles_once_and_labels_stay_hidden_on_the_next_task(window, qtbot):
    legend = window.legend
    toggles = []
    legend.label_toggled.connect(lambda key, shown: toggles.append((key, shown)))
    box = check_box_centre(legend, legend.row(("round", "Sun")))
    assert legend.visualItemRect(legend.row(("round", "Sun"))).contains(box)
    qtbot.mouseClick(legend.viewport(), Qt.MouseButton.LeftButton, pos=box)
    assert toggles == [(("round", "Sun"), False)]  # the box flipped it; the click on the row did not flip it back
    show(qtbot, window, 1)  # the park has no sun, but the street came back to it with Sun still off
    show(qtbot, window, 0)
    assert not legend.is_shown(("round", "Sun"))
    assert not any(i.isVisible() for i in window.scene.items_by_key.values() if "Sun" in i.region.labels)


def test_results_panel_lists_whole_object_results_per_layer_and_follows_layer_visibility(window):
    rows = window.results.rows()
    assert ("prediction 0 · detector-v1 · score 0.71", "scene", "Street") in rows
    assert ("annotation 0 (id 1)", "quality", "4 / 5") in rows
    annotation = window.scene.content.layers[2]
    window.layer_list.set_visible(annotation.key, False)
    assert window.results.layer_row(annotation.key).isHidden()
    window.layer_list.set_visible(annotation.key, True)
    assert not window.results.layer_row(annotation.key).isHidden()


def test_results_panel_shows_the_page_of_per_page_results(window, qtbot):
    show(qtbot, window, 4)
    rows = window.results.rows()
    assert ("prediction 0 · forms-v1 · score 0.86", "page_kind · page 3", "Signatures") in rows


def test_a_region_saved_hidden_starts_hidden_and_its_row_brings_it_back(window, qtbot):
    show(qtbot, window, 1)
    key = next(k for k in window.scene.items_by_key if k[1] == "cloud-1" and k[0] == ("prediction", 1))
    assert not window.scene.items_by_key[key].isVisible()
    assert not window.region_list.is_checked(key)
    assert "1 saved as hidden" in window.statusBar().currentMessage()
    window.region_list.set_checked(key, True)
    assert window.scene.items_by_key[key].isVisible()
    window.region_list.set_checked(key, False)
    assert not window.scene.items_by_key[key].isVisible()


def test_every_region_row_has_its_box_ticked_unless_the_region_is_hidden(window, qtbot):
    # the rows get their state before they join the list; a row never given one would show no box at all
    for index in (1, 0, 1):
        show(qtbot, window, index)
        region_list = window.region_list
        rows = [region_list.topLevelItem(i) for i in range(region_list.topLevelItemCount())]
        assert rows and all(row.data(0, Qt.ItemDataRole.CheckStateRole) is not None for row in rows)
        hidden = window.visibility.hidden_regions
        for key in window.scene.items_by_key:
            assert region_list.is_checked(key) == (key not in hidden)


def test_relations_are_drawn_between_their_regions_and_hide_with_them(window, qtbot):
    lines = window.scene.relation_items
    pairs = {(line.relation.from_id, line.relation.to_id, line.relation.direction) for line in lines}
    assert pairs == {("wheel-1", "car-1", "right"), ("person-1", "car-2", "bi")}
    wheel = next(line for line in lines if line.relation.from_id == "wheel-1")
    assert wheel.isVisible()
    window.layer_list.set_visible(wheel.start.layer.key, False)
    assert not wheel.isVisible()
    window.layer_list.set_visible(wheel.start.layer.key, True)
    window.region_list.set_checked(wheel.end.key, False)  # hide one end
    assert not wheel.isVisible()
    window.region_list.set_checked(wheel.end.key, True)
    window.actions_by_name["show_relations"].setChecked(False)
    assert not any(line.isVisible() for line in lines)
    window.actions_by_name["show_relations"].setChecked(True)
    assert all(line.isVisible() for line in lines)


def test_relations_keep_their_screen_size_when_zooming(window):
    line = next(item for item in window.scene.items() if isinstance(item, RelationItem))

    def clearance_on_screen():
        # the connector runs 15 screen pixels (plus 3 of padding) above the higher of its two boxes
        top = min(line._box(line.start).top(), line._box(line.end).top())
        level = line.route().points[1].y()
        return (top - level) * window.view.zoom()

    before = clearance_on_screen()
    window.view.zoom_by(3)
    assert abs(clearance_on_screen() - before) < 0.01
    assert abs(before - 18) < 0.01


def test_relation_labels_switch_off_with_the_tags(window):
    line = next(item for item in window.scene.relation_items if item.relation.labels)
    with_label = line.boundingRect()
    window.actions_by_name["show_tags"].setChecked(False)
    assert not line.label_shown and line.boundingRect() != with_label
    window.actions_by_name["show_tags"].setChecked(True)
    assert line.label_shown


def test_a_relation_item_bounds_hold_its_whole_connector(window):
    for line in window.scene.relation_items:
        bounds = line.boundingRect()
        assert all(bounds.contains(point) for point in line.route().points)


def test_layer_and_legend_names_cut_by_a_narrow_dock_show_whole_in_their_tooltips(window):
    layers = [window.layer_list.item(i) for i in range(window.layer_list.count())]
    assert layers and all(item.toolTip() == item.text() for item in layers)
    car = window.legend.row(("objects", "Car"))
    assert car.toolTip(0) == car.text(0) and car.parent().toolTip(0) == car.parent().text(0)

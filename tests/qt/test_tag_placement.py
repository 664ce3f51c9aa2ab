"""Tags on the canvas do not overlap (issue 13, item 3): placed in screen pixels at the demo's default view, after
zooming, with regions hidden and with one selected; a crowd folds into tags with a count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt

from viewer.core.tag_layout import overlaps
from viewer.qt.canvas.items import KeyPointItem, TagItem
from viewer.qt.canvas.tag_placer import SETTLE_MS
from viewer.render.tags import box_of


def show(qtbot, window, index):
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(index)


def settle(qtbot, window):
    qtbot.waitUntil(lambda: not window.tag_placer.pending(), timeout=5_000)


def shown_tags(window) -> list[tuple[object, QRectF]]:
    """(region item, the tag's rectangle in viewport pixels) of every tag shown. A tag ignores the view's zoom,
    so its sceneBoundingRect is not where it is drawn; its device transform is."""
    to_view = window.view.viewportTransform()
    found = []
    for item in window.scene.items_by_key.values():
        tag = item.tag
        if tag is not None and tag.isVisible():
            found.append((item, tag.deviceTransform(to_view).mapRect(tag.boundingRect())))
    return found


def assert_apart(tags):
    for i, (item_a, a) in enumerate(tags):
        for item_b, b in tags[i + 1:]:
            assert not overlaps(box_of(a), box_of(b)), f"{item_a.tag.shown_text} over {item_b.tag.shown_text}"


@pytest.mark.parametrize("task", [0, 1, 2, 3, 4])
def test_no_two_tags_overlap_at_the_demos_default_view(window, qtbot, task):
    if task:
        show(qtbot, window, task)
    settle(qtbot, window)
    tags = shown_tags(window)
    assert tags
    assert_apart(tags)
    viewport = QRectF(window.view.viewport().rect())
    for item, rect in tags:
        assert viewport.contains(rect), item.tag.shown_text
    # every shown region with a tag is shown itself or counted in another's
    tagged = [i for i in window.scene.items_by_key.values() if i.tag is not None and i.isVisible()]
    assert sum(1 + item.tag.count for item, _ in tags) == len(tagged)
    # and no tag hides a keypoint's dot (the park's head, hands and feet)
    to_view = window.view.viewportTransform()
    dots = [box_of(i.view_bounds(to_view)) for i in window.scene.items_by_key.values()
            if isinstance(i, KeyPointItem) and i.isVisible()]
    assert not any(overlaps(box_of(rect), dot) for _, rect in tags for dot in dots)
    assert dots or task != 1


def test_the_street_tags_that_collided_now_stand_apart(window, qtbot):
    settle(qtbot, window)
    texts = {item.tag.shown_text for item, _ in shown_tags(window)}
    # both models' Road and Person tags and the annotation's: each readable on its own
    assert {"Road 0.89", "Road 0.73", "Road", "Person 0.84", "Person 0.68", "Person"} <= texts


def test_zoomed_far_out_the_crowd_folds_and_zoomed_back_it_unfolds(window, qtbot):
    settle(qtbot, window)
    window.view.zoom_by(0.12)
    tags = shown_tags(window)  # placed at once after a zoom
    assert_apart(tags)
    folds = [item.tag for item, _ in tags if item.tag.count]
    assert folds and all(tag.shown_text.endswith(f" +{tag.count}") for tag in folds)
    window.view.fit()
    tags = shown_tags(window)
    assert not any(item.tag.count for item, _ in tags)
    assert_apart(tags)


def test_the_selected_regions_tag_shows_unfolded_beside_its_region(window, qtbot):
    settle(qtbot, window)
    window.view.zoom_by(0.12)
    folded = next(item for item in window.scene.items_by_key.values()
                  if item.tag is not None and item.isVisible() and not item.tag.isVisible())
    window.state.select(folded.key)
    settle(qtbot, window)
    tags = shown_tags(window)
    assert_apart(tags)
    rect = dict((id(item), rect) for item, rect in tags)[id(folded)]
    assert folded.tag.count == 0 and folded.tag.shown_text == folded.tag.text
    # first of the tags: only relation labels, placed before any tag, may push it off its first spot
    anchor = folded.view_bounds(window.view.viewportTransform())
    near = anchor.adjusted(-rect.width(), -3 * rect.height(), rect.width(), 3 * rect.height())
    assert near.contains(rect)


def test_hidden_regions_tags_take_no_room(window, qtbot):
    settle(qtbot, window)
    road = [item for key, item in window.scene.items_by_key.items() if item.region.id == "road-1"]
    best = max((i for i in road if i.region.score is not None), key=lambda i: i.region.score)
    for item in road:
        if item is not best:
            window.visibility.set_region(item.key, False)
    window.scene.apply_visibility()
    settle(qtbot, window)
    tags = dict((id(item), rect) for item, rect in shown_tags(window))
    assert all(id(item) not in tags for item in road if item is not best)
    rect = tags[id(best)]
    anchor = best.view_bounds(window.view.viewportTransform())
    # alone now: just above its top-left corner (inside the viewport)
    assert rect.left() == pytest.approx(max(anchor.left(), 0.0), abs=0.01)
    assert rect.bottom() == pytest.approx(anchor.top(), abs=0.01)


def test_tags_of_regions_scrolled_into_view_are_placed_once_scrolling_settles(window, qtbot):
    settle(qtbot, window)
    window.view.zoom_by(4.0)
    bar = window.view.horizontalScrollBar()
    bar.setValue(bar.maximum())
    assert window.tag_placer.pending()
    settle(qtbot, window)
    tags = shown_tags(window)
    assert tags
    assert_apart(tags)


def test_tags_switched_off_take_no_part_and_come_back_placed(window, qtbot):
    settle(qtbot, window)
    window.actions_by_name["show_tags"].setChecked(False)
    window.view.zoom_by(0.5)
    window.actions_by_name["show_tags"].setChecked(True)
    settle(qtbot, window)
    tags = [c for i in window.scene.items_by_key.values() for c in i.childItems() if isinstance(c, TagItem)]
    assert any(t.isVisible() for t in tags)
    assert_apart(shown_tags(window))


def test_tags_switched_back_on_far_out_show_only_the_placed_ones_at_once(window, qtbot):
    settle(qtbot, window)
    window.view.zoom_by(0.12)                       # a crowd: most tags are folded into others, hidden
    window.actions_by_name["show_tags"].setChecked(False)
    window.actions_by_name["show_tags"].setChecked(True)
    tags = shown_tags(window)                        # before any event: every folded tag stayed hidden
    assert tags and any(item.tag.count for item, _ in tags)
    assert_apart(tags)


def test_an_accepted_regions_new_tag_is_placed_apart_too(window, qtbot):
    settle(qtbot, window)
    before = len(window.scene.items_by_key)
    qtbot.keyClick(window.view, Qt.Key.Key_N)  # the next undecided prediction region
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # accepted: copied into the working annotation, a new item
    qtbot.waitUntil(lambda: len(window.scene.items_by_key) > before, timeout=5_000)
    settle(qtbot, window)
    assert all(item.tag.placed for item in window.scene.items_by_key.values()
               if item.tag is not None and item.tag.isVisible())
    assert_apart(shown_tags(window))


def test_scrolling_waits_its_settling_time_whatever_the_scroll_value(window, qtbot):
    settle(qtbot, window)
    window.view.zoom_by(4.0)
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.minimum() + 3)
    # start(int) would have taken the scroll value for its interval (a negative one warns)
    assert window.tag_placer._settle.interval() == SETTLE_MS

"""Multi-image tasks (<Image valueList>): pages flip by toolbar and keys, each page shows its own image and the
regions whose item_index is that page; single-image tasks show no page controls."""

from __future__ import annotations

from PySide6.QtCore import Qt


def show(qtbot, window, index, page=0):
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(index, page)


def ids(window) -> set[str]:
    return {key[1] for key in window.scene.items_by_key}


def test_a_multi_image_task_opens_on_its_first_page(window, qtbot):
    assert window.page_bar.isHidden()  # the street is one image
    show(qtbot, window, 4)
    assert not window.page_bar.isHidden()
    assert window.page_label.text().strip() == "page 1 of 3"
    assert ids(window) == {"name-1", "date-1"}
    assert not window.actions_by_name["previous_page"].isEnabled()
    assert window.scene.image_item.pixmap().size().toTuple() == (480, 320)


def test_next_and_previous_page_by_toolbar_action_and_keys(window, qtbot):
    show(qtbot, window, 4)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.actions_by_name["next_page"].trigger()
    assert window.page_label.text().strip() == "page 2 of 3" and ids(window) == {"name-2", "stamp-2"}
    window.view.setFocus()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)
    assert window.page == 2 and ids(window) == {"sign-3", "name-3", "date-3"}
    assert not window.actions_by_name["next_page"].isEnabled()
    assert len(window.scene.relation_items) == 2  # the relations of page 3 join regions of page 3
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_BracketLeft)
    assert window.page == 1
    assert window.position.text().strip() == "Task 5 of 5"  # flipping pages stays on the task


def test_each_page_is_drawn_on_its_own_image(window, qtbot):
    show(qtbot, window, 4, 0)
    first = window.scene.image_item.pixmap().toImage()
    show(qtbot, window, 4, 1)
    second = window.scene.image_item.pixmap().toImage()
    assert first != second


def test_the_next_task_starts_on_its_first_page_and_single_image_tasks_hide_the_page_bar(window, qtbot):
    show(qtbot, window, 4, 2)
    show(qtbot, window, 0)
    assert window.page == 0 and window.page_bar.isHidden()
    assert not window.actions_by_name["next_page"].isEnabled()

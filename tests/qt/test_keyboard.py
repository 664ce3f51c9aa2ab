"""Every navigation action has a key, no key does two things, the keyboard map comes from the action table, and
the keys work in the window (typing in the jump box stays typing)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from viewer.qt.actions import ACTIONS, default_keys, keyboard_map

NAVIGATION = ("previous_task", "next_task", "go_to_task", "previous_page", "next_page", "fit", "actual_size",
              "zoom_in", "zoom_out", "show_tags", "show_relations")


def test_every_navigation_action_has_a_shortcut_and_no_two_share_one(qapp):  # key names need a Qt app
    shortcuts = {name: [key.toString() for key in default_keys(name)] for name, *_ in ACTIONS}
    assert set(NAVIGATION) <= set(shortcuts)
    assert all(shortcuts[name] for name in NAVIGATION)
    every = [key for keys in shortcuts.values() for key in keys]
    assert len(set(every)) == len(every)


def test_the_keyboard_map_lists_every_action_with_its_keys(qapp):
    rows = dict((what, keys) for keys, what in keyboard_map())
    assert rows["Next task"] == "PgDown" and rows["Next page"] == "]" and rows["Go to task"] == "Ctrl+G"
    assert rows["Actual size (1:1)"] == "1" and rows["Fit to window"] == "F"
    assert len(rows) >= len(ACTIONS)


def test_keys_drive_the_window(window, qtbot):
    window.view.setFocus()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert window.index == 1
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_PageUp)
    assert window.index == 0
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.view.zoom() == 1.0 and not window.view.fitting
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    assert window.view.fitting
    qtbot.keyClick(window.view, Qt.Key.Key_T)
    assert not window.scene.tags_shown
    qtbot.keyClick(window.view, Qt.Key.Key_R)
    assert not window.scene.relations_shown
    qtbot.keyClick(window.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.jump.hasFocus()


def test_typing_a_number_in_the_jump_box_is_typing_not_shortcuts(window, qtbot):
    window.actions_by_name["go_to_task"].trigger()
    zoom = window.view.zoom()
    qtbot.keyClicks(window.jump, "3")
    assert window.jump.text() == "3" and window.view.zoom() == zoom
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.jump, Qt.Key.Key_Return)
    assert window.index == 2 and window.view.hasFocus()

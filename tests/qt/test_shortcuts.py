"""Keyboard first: no two actions share a key, the user's own keys are refused when taken, kept in the settings for
the next window, and work; the cheat sheet (F1 or ?) lists every action and the config's label hotkeys, and
changes keys."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence

from tests.builders import image_task, make_image, rect, write_project
from viewer.qt.actions import ACTIONS, default_keys
from viewer.qt.shortcuts import GROUP, RESERVED, ShortcutMap, key_name, match_name

HOTKEY_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" hotkey="c"/><Label value="Person" hotkey="a"/>
  </RectangleLabels>
</View>
"""


def conflicts(shortcuts: ShortcutMap) -> list[tuple[str, list[str]]]:
    """(key, action names) for every key bound to more than one action."""
    holders: dict[str, list[str]] = {}
    for name, keys in shortcuts.keys.items():
        for key in keys:
            holders.setdefault(match_name(key), []).append(name)
    return [(key, names) for key, names in holders.items() if len(names) > 1]


def bound_keys(window) -> list[str]:
    """Every key bound to any action of the window, once per binding."""
    return [key_name(k) for action in window.findChildren(QAction) for k in action.shortcuts()]


def settings_of(window) -> QSettings:
    return QSettings(window.settings.fileName(), QSettings.Format.IniFormat)


def new_window(qtbot, settings_file: str):
    from viewer.qt.main_window import MainWindow

    window = MainWindow(QSettings(settings_file, QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    return window


def test_no_two_actions_of_the_window_share_a_key(window):
    keys = bound_keys(window)
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert not conflicts(window.shortcuts)
    # every action of the table is bound, with its defaults, help on both F1 and ?
    assert set(window.shortcuts.keys) == {name for name, *_ in ACTIONS}
    assert [key_name(k) for k in window.actions_by_name["keyboard_help"].shortcuts()] == ["F1", "?"]
    assert not set(keys) & set(RESERVED)


def test_a_taken_or_reserved_key_is_refused_and_nothing_changes(window):
    shortcuts = window.shortcuts
    before = {name: [key_name(k) for k in keys] for name, keys in shortcuts.keys.items()}
    assert shortcuts.assign("next_task", [QKeySequence("A")]) == 'A is already used by "Accept region"'
    assert "the window itself" in shortcuts.assign("next_task", [QKeySequence("Esc")])
    assert shortcuts.assign("next_task", [QKeySequence("J"), QKeySequence("J")]) == "J is given twice"
    # Shift with a symbol key is that symbol: Qt would match one press against both and fire neither
    assert shortcuts.assign("fit", [QKeySequence("Shift+?")]) == \
        'Shift+? is already used by "Keyboard shortcuts"'
    assert shortcuts.assign("fit", [QKeySequence("Ctrl+Shift++")]) == 'Ctrl+Shift++ is already used by "Zoom in"'
    assert shortcuts.assign("fit", [QKeySequence("Shift+-")]) == 'Shift+- is already used by "Brush smaller"'
    assert shortcuts.assign("fit", [QKeySequence("Shift+1")]) is None     # digits and letters keep their Shift
    assert shortcuts.reset("fit") is None
    assert "not one key combination" in shortcuts.assign("next_task", [QKeySequence("Ctrl+K, Ctrl+L")])
    assert {name: [key_name(k) for k in keys] for name, keys in shortcuts.keys.items()} == before
    assert settings_of(window).value(f"{GROUP}/next_task") is None


def test_a_new_key_works_is_kept_and_comes_back_in_the_next_window(window, qtbot, tmp_path):
    shortcuts = window.shortcuts
    assert shortcuts.assign("next_task", [QKeySequence("J")]) is None
    assert window.actions_by_name["next_task"].toolTip().endswith("(J)")
    assert json.loads(settings_of(window).value(f"{GROUP}/next_task")) == ["J"]
    window.view.setFocus()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_J)
    assert window.index == 1
    # PgDown is free now: another action may take it
    assert shortcuts.assign("next_page", [QKeySequence("PgDown")]) is None
    # and the next start binds the same keys
    again = new_window(qtbot, window.settings.fileName())
    assert [key_name(k) for k in again.actions_by_name["next_task"].shortcuts()] == ["J"]
    assert [key_name(k) for k in again.actions_by_name["next_page"].shortcuts()] == ["PgDown"]
    assert not conflicts(again.shortcuts) and not again.shortcuts.notes
    # back to the default: refused while next_page holds PgDown, then allowed
    assert "PgDown is already used by" in again.shortcuts.reset("next_task")
    assert again.shortcuts.reset("next_page") is None and again.shortcuts.reset("next_task") is None
    assert settings_of(again).value(f"{GROUP}/next_task") is None and again.shortcuts.is_default("next_task")


def test_an_action_may_have_no_key_and_reset_all_brings_back_every_default(window):
    shortcuts = window.shortcuts
    assert shortcuts.assign("fit", []) is None and window.actions_by_name["fit"].shortcuts() == []
    assert json.loads(settings_of(window).value(f"{GROUP}/fit")) == []
    assert shortcuts.assign("zoom_in", [QKeySequence("F")]) is None
    shortcuts.reset_all()
    assert all(shortcuts.is_default(name) for name in shortcuts.keys)
    assert GROUP not in settings_of(window).childGroups()


def test_stored_keys_that_collide_are_sorted_out_at_start(qtbot, tmp_path):
    settings_file = str(tmp_path / "hand-edited.ini")
    settings = QSettings(settings_file, QSettings.Format.IniFormat)
    settings.setValue(f"{GROUP}/next_task", json.dumps(["A"]))           # takes Accept's default key
    settings.setValue(f"{GROUP}/zoom_in", json.dumps(["A", "Ctrl+I"]))   # the same key again, and a free one
    settings.setValue(f"{GROUP}/previous_task", json.dumps(["Esc"]))     # a key the canvas tools read
    settings.setValue(f"{GROUP}/fit", "not json")
    settings.sync()
    window = new_window(qtbot, settings_file)
    shortcuts = window.shortcuts
    assert [key_name(k) for k in shortcuts.keys["next_task"]] == ["A"]      # the user's choice wins
    assert shortcuts.keys["accept"] == [] and shortcuts.keys["previous_task"] == []
    assert [key_name(k) for k in shortcuts.keys["zoom_in"]] == ["Ctrl+I"]
    assert [key_name(k) for k in shortcuts.keys["fit"]] == ["F"]
    assert not conflicts(shortcuts)
    keys = bound_keys(window)
    assert len(keys) == len(set(keys))
    notes = " | ".join(shortcuts.notes)
    assert "A stays with 'Next task', not 'Zoom in'" in notes
    assert "A stays with 'Next task', not 'Accept region'" in notes
    assert "Esc cannot be a shortcut of 'Previous task'" in notes and "'Fit to window' is unreadable" in notes


@pytest.mark.parametrize("key, modifier", [(Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
                                           (Qt.Key.Key_Question, Qt.KeyboardModifier.NoModifier)])
def test_f1_or_question_mark_opens_the_cheat_sheet_listing_every_action(window, qtbot, key, modifier):
    window.view.setFocus()
    qtbot.keyClick(window.view, key, modifier)
    dialog = window.keyboard_dialog
    assert dialog is not None and dialog.isVisible()
    assert set(dialog.items) == {name for name, *_ in ACTIONS}
    assert dialog.items["next_task"].text(1) == "PgDown"
    assert dialog.items["accept"].parent().text(0) == "Review"     # grouped by the menu it is in
    dialog.find.setText("undecided region")
    shown = [name for name, item in dialog.items.items() if not item.isHidden()]
    assert sorted(shown) == ["next_undecided", "previous_undecided"]
    dialog.find.setText("pgdown")                                      # keys are searched too
    assert [name for name, item in dialog.items.items() if not item.isHidden()] == ["next_task"]
    dialog.close()


def test_the_cheat_sheet_changes_keys_and_says_why_when_it_cannot(window, qtbot):
    dialog = window.show_keyboard_help()
    dialog.select("fit")
    dialog.key_edit.setKeySequence(QKeySequence("Ctrl+G"))          # Go to task's
    dialog.set_button.click()
    assert dialog.message.text() == 'Not changed: Ctrl+G is already used by "Go to task".'
    assert [key_name(k) for k in window.shortcuts.keys["fit"]] == ["F"]
    dialog.key_edit.setKeySequence(QKeySequence("Shift+F"))
    dialog.add_button.click()
    assert [key_name(k) for k in window.shortcuts.keys["fit"]] == ["F", "Shift+F"]
    assert dialog.items["fit"].text(1) == "F or Shift+F" and dialog.items["fit"].font(1).italic()
    assert "Default: F" in dialog.items["fit"].toolTip(1)
    dialog.clear_button.click()
    assert window.shortcuts.keys["fit"] == [] and dialog.items["fit"].text(1) == "(none)"
    dialog.default_button.click()
    assert dialog.items["fit"].text(1) == "F" and not dialog.items["fit"].font(1).italic()
    dialog.close()
    assert window.show_keyboard_help() is dialog and dialog.items["fit"].text(1) == "F"   # one, kept


def test_the_cheat_sheet_lists_the_configs_label_hotkeys_and_what_they_shadow(qtbot, tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks, config = write_project(tmp_path, [image_task(rect("r1"))], HOTKEY_CONFIG)
    from tests.qt.review_project import open_window

    window = open_window(qtbot, tmp_path, tasks, config)
    dialog = window.show_keyboard_help()
    group = next(dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())
                 if dialog.tree.topLevelItem(i).text(0) == "Label hotkeys of this config")
    rows = {group.child(i).text(1): group.child(i).text(2) for i in range(group.childCount())}
    assert set(rows) == {"C", "A"}
    assert rows["A"].endswith('on the canvas it comes before "Accept region"') and "comes before" not in rows["C"]
    # the window key moves away: the label row no longer says it shadows it
    assert window.shortcuts.assign("accept", [QKeySequence("Shift+Q")]) is None
    group = next(dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())
                 if dialog.tree.topLevelItem(i).text(0) == "Label hotkeys of this config")
    assert all("comes before" not in group.child(i).text(2) for i in range(group.childCount()))
    window.shortcuts.reset("accept")
    # another project opened while the sheet is open: its labels replace the old ones
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open_demo()
    titles = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert "Label hotkeys of this config" not in titles        # the demo's labels have no hotkeys
    window.loader.wait()


def test_the_defaults_table_itself_has_no_shared_key(qapp):
    keys = [key_name(k) for name, *_ in ACTIONS for k in default_keys(name)]
    assert all(keys) and len(keys) == len(set(keys))


def test_a_map_over_fresh_settings_binds_the_defaults(qapp, tmp_path):
    actions = {name: QAction(name) for name, *_ in ACTIONS}
    shortcuts = ShortcutMap(actions, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert all(shortcuts.is_default(name) for name in actions) and not shortcuts.notes

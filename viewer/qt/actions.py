"""Every window action in one table: name, menu text, shortcut, tip. The main window wires them to handlers, and
keyboard_map() gives the README's keyboard map from the same table.

Qt layer.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

StandardKey = QKeySequence.StandardKey

# Quit is spelled out: the platform's standard Quit key is unbound on Windows and on some desktops.
ACTIONS = (
    # name            text                    shortcut                     tip
    ("open",          "&Open...",             StandardKey.Open,            "Open a task file and its labeling config"),
    ("quit",          "&Quit",                "Ctrl+Q",                    "Close lsview"),
    ("previous_task", "&Previous task",       "PgUp",                      "Show the previous task"),
    ("next_task",     "&Next task",           "PgDown",                    "Show the next task"),
    ("go_to_task",    "&Go to task...",       "Ctrl+G",                    "Jump to a task by number or id"),
    ("previous_page", "Previous pa&ge",       "[",                         "Show the previous image of a "
                                                                           "multi-image task"),
    ("next_page",     "Next p&age",           "]",                         "Show the next image of a multi-image "
                                                                           "task"),
    ("fit",           "&Fit to window",       "F",                         "Show the whole image"),
    ("actual_size",   "&Actual size (1:1)",   "1",                         "One image pixel per screen pixel"),
    ("zoom_in",       "Zoom &in",             StandardKey.ZoomIn,          "Zoom in about the centre"),
    ("zoom_out",      "Zoom &out",            StandardKey.ZoomOut,         "Zoom out about the centre"),
    ("show_tags",     "Show label &tags",     "T",                         "Show each region's label and score, "
                                                                           "and relation labels"),
    ("show_relations", "Show &relations",     "R",                         "Draw relations as arrows between "
                                                                           "regions"),
)
CHECKABLE = {"show_tags", "show_relations"}
# What the window does with keys and the mouse outside the action table, for the keyboard map.
OTHER_KEYS = (
    ("Mouse wheel", "Zoom about the cursor"),
    ("Drag, or Space + drag", "Pan (Space lets a drag start on a region)"),
    ("Click a legend label", "Hide or show the regions with that label"),
)


def shortcut_text(shortcut) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def make_actions(parent) -> dict[str, QAction]:
    actions = {}
    for name, text, shortcut, tip in ACTIONS:
        action = QAction(text, parent)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({shortcut_text(shortcut)})")
        if name in CHECKABLE:
            action.setCheckable(True)
            action.setChecked(True)
        actions[name] = action
    return actions


def keyboard_map() -> list[tuple[str, str]]:
    """(keys, what they do) for every action, then the mouse and other keys: the README's keyboard map.

    Key names come from the platform, so a QGuiApplication must exist.
    """
    rows = [(shortcut_text(shortcut), text.replace("&", "").rstrip(".")) for _, text, shortcut, _ in ACTIONS]
    return rows + list(OTHER_KEYS)

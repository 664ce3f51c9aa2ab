"""Every window action in one table: name, menu text, shortcut, tip. The main window wires them to handlers.

Qt layer.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

StandardKey = QKeySequence.StandardKey

ACTIONS = (
    # name            text                    shortcut                     tip
    ("open",          "&Open...",             StandardKey.Open,            "Open a task file and its labeling config"),
    ("quit",          "&Quit",                StandardKey.Quit,            "Close lsview"),
    ("previous_task", "&Previous task",       "PgUp",                      "Show the previous task"),
    ("next_task",     "&Next task",           "PgDown",                    "Show the next task"),
    ("go_to_task",    "&Go to task...",       "Ctrl+G",                    "Jump to a task by number or id"),
    ("fit",           "&Fit to window",       "F",                         "Show the whole image"),
    ("actual_size",   "&Actual size (1:1)",   "1",                         "One image pixel per screen pixel"),
    ("zoom_in",       "Zoom &in",             StandardKey.ZoomIn,          "Zoom in about the centre"),
    ("zoom_out",      "Zoom &out",            StandardKey.ZoomOut,         "Zoom out about the centre"),
    ("show_tags",     "Show label &tags",     "T",                         "Show each region's label and score"),
)
CHECKABLE = {"show_tags"}


def make_actions(parent) -> dict[str, QAction]:
    actions = {}
    for name, text, shortcut, tip in ACTIONS:
        action = QAction(text, parent)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
        if name in CHECKABLE:
            action.setCheckable(True)
            action.setChecked(True)
        actions[name] = action
    return actions

"""Every window action in one table: name, menu text, default shortcut(s), tip. The main window wires them to
handlers, viewer.qt.shortcuts applies the user's own keys over the defaults, and keyboard_map() gives the README's
keyboard map from the same table.

Qt layer.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

StandardKey = QKeySequence.StandardKey

# Quit is spelled out: the platform's standard Quit key is unbound on Windows and on some desktops.
ACTIONS = (
    # name            text                    shortcut                     tip
    ("open",          "&Open...",             StandardKey.Open,            "Open a task file and its labeling config"),
    ("open_server",   "Open from &Label Studio...", "Ctrl+Shift+L",    "Pull a project from a Label Studio server "
                                                                           "into a folder (tasks, config, media) and "
                                                                           "open it; works offline afterwards"),
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
    ("show_transcriptions", "Show transcriptions in ta&gs", "Shift+T",    "Write each region's transcription (a "
                                                                           "per-region TextArea, as in OCR) in its "
                                                                           "tag, cut short"),
    ("show_relations", "Show &relations",     "R",                         "Draw relations as arrows between "
                                                                           "regions"),
    ("focus_canvas", "F&ocus canvas",       "Ctrl+Shift+F",              "Hide every panel and tool bar but the "
                                                                           "canvas; again brings them back"),
    # review: the working annotation, decisions and task status (viewer/qt/review)
    ("import_predictions", "&Import predictions...", "Ctrl+Shift+I",       "Turn a model's output (YOLO, COCO, "
                                                                           "masks, VOC) into Label Studio "
                                                                           "predictions in a new task file, and "
                                                                           "open it"),
    ("predict_task",  "Predict this tas&k",   "Ctrl+Shift+P",              "Send the task shown to the ML backend and "
                                                                           "compare its prediction with the stored "
                                                                           "ones (written to a predicted copy of the "
                                                                           "task file)"),
    ("predict_listed", "Predict &listed tasks", "Ctrl+Alt+Shift+P",        "Send every task of the task list to the ML "
                                                                           "backend (written to a predicted copy of "
                                                                           "the task file)"),
    ("ml_backend",    "ML &backend...",       "Ctrl+Alt+P",                "The Label Studio ML backend Predict calls: "
                                                                           "its URL and HTTP Basic auth"),
    ("export",        "&Export...",           "Ctrl+Shift+E",              "Write the reviewed tasks as Label Studio "
                                                                           "JSON or for training: COCO, YOLO, VOC, "
                                                                           "masks, CoNLL 2003, NER JSONL"),
    ("push",          "&Push to Label Studio...", "Ctrl+Shift+U",          "Send each reviewed task's annotation to "
                                                                           "the Label Studio server the tasks were "
                                                                           "pulled from (created once, then updated)"),
    ("undo",          "&Undo",                "Ctrl+Z",                    "Undo the last review change"),
    ("redo",          "&Redo",                ("Ctrl+Shift+Z", "Ctrl+Y"),  "Redo the change undone last"),
    ("accept",        "&Accept region",       "A",                         "Copy the selected prediction region "
                                                                           "into the working annotation, then select "
                                                                           "the next undecided one"),
    ("reject",        "Re&ject region",       "X",                         "Reject the selected prediction region, "
                                                                           "then select the next undecided one"),
    ("next_undecided", "&Next undecided region", "N",                      "Select the next prediction region "
                                                                           "neither accepted nor rejected"),
    ("previous_undecided", "&Previous undecided region", "Shift+N",        "Select the previous undecided "
                                                                           "prediction region"),
    ("order_by_position", "Order by &position", "Ctrl+Shift+O",            "Go through regions top to bottom, left "
                                                                           "to right (off: highest score first)"),
    ("copy_prediction", "&Copy prediction",   "Ctrl+Shift+C",              "Copy the whole prediction of the "
                                                                           "selected region (or the first shown) "
                                                                           "into the working annotation"),
    ("accept_above_task", "Accept above &score...", "Shift+A",             "Accept every undecided prediction "
                                                                           "region of this task scoring at least S"),
    ("accept_above_all", "Accept above score in a&ll tasks...", "Ctrl+Shift+A",
                                                                           "Accept every undecided prediction "
                                                                           "region of every task scoring at least S"),
    ("status_not_reviewed", "Mark not reviewed", "Ctrl+1",                 "Set the task's status: not reviewed"),
    ("status_in_progress", "Mark in progress", "Ctrl+2",                   "Set the task's status: in progress"),
    ("status_accepted", "Mark accepted",      "Ctrl+3",                    "Set the task's status: accepted"),
    ("status_needs_fix", "Mark needs fix",    "Ctrl+4",                    "Set the task's status: needs fix"),
    ("status_rejected", "Mark rejected / skipped", "Ctrl+5",               "Set the task's status: rejected or "
                                                                           "skipped (exported as cancelled)"),
    ("next_not_done", "Next task not &done",  "Ctrl+Return",               "Show the next task not marked "
                                                                           "accepted, needs fix or rejected"),
    ("next_disagreement", "Next task with &disagreement", "D",             "Show the next task of the task list "
                                                                           "where the compared sources disagree"),
    # the QA workspace (viewer/qt/workspace)
    ("find_tasks",    "&Find tasks...",       "Ctrl+F",                    "Type in the task list's search over the "
                                                                           "task data"),
    ("compare",       "&Compare sources",     "Shift+D",                   "Colour the regions of the two compared "
                                                                           "sources by how they match"),
    ("threshold_up",  "Raise score &threshold", "Ctrl+]",                  "Raise the all-regions score threshold "
                                                                           "by 0.05"),
    ("threshold_down", "Lower score t&hreshold", "Ctrl+[",                 "Lower the all-regions score threshold "
                                                                           "by 0.05"),
    ("accept_shown_task", "Accept shown in &task", "Ctrl+Alt+A",           "Accept this task's undecided prediction "
                                                                           "regions that are shown, as one step"),
    ("accept_shown_listed", "Accept shown in &listed tasks", "Ctrl+Alt+Shift+A",
                                                                           "Accept the shown undecided prediction "
                                                                           "regions of every listed task, as one "
                                                                           "step"),
    ("edit_note",     "Edit &note",           "Ctrl+E",                    "Type a note for the task (Enter "
                                                                           "saves it)"),
    # editing the working annotation (viewer/qt/canvas/editing)
    ("tool_select",   "&Select and edit",     "V",                         "Select regions of the working annotation; "
                                                                           "drag them or their handles to change them"),
    ("tool_rectangle", "Draw &rectangle",     "Shift+R",                   "Drag to draw a rectangle"),
    ("tool_ellipse",  "Draw &ellipse",        "O",                         "Drag from the centre to draw an ellipse "
                                                                           "(Shift: a circle)"),
    ("tool_polygon",  "Draw &polygon",        "P",                         "Click the points; Enter or a click on the "
                                                                           "first point closes, Esc drops it"),
    ("tool_keypoint", "Draw &keypoint",       "K",                         "Click to put a keypoint"),
    ("tool_brush",    "&Brush",               "B",                         "Paint a mask: into the selected brush "
                                                                           "region, else a new one"),
    ("tool_eraser",   "Eras&er",              "E",                         "Erase from the selected brush region"),
    ("delete_region", "&Delete region",       "Del",                       "Delete the selected region of the working "
                                                                           "annotation (or the selected polygon "
                                                                           "vertex)"),
    ("brush_smaller", "Brush s&maller",       "-",                         "Make the brush smaller"),
    ("brush_larger",  "Brush lar&ger",        "=",                         "Make the brush larger"),
    # the video player (viewer/qt/video), for a task whose object is a <Video>
    ("video_play",    "&Play video",          "Shift+Space",               "Play or pause the video (Space too, "
                                                                           "on the video)"),
    ("video_back",    "&Back one frame",      ",",                         "Show the frame before"),
    ("video_forward", "&Forward one frame",   ".",                         "Show the frame after"),
    ("video_back_10", "Back &10 frames",      "<",                         "Ten frames back (Shift+, on most "
                                                                           "keyboards)"),
    ("video_forward_10", "Forward 1&0 frames", ">",                        "Ten frames on (Shift+. on most "
                                                                           "keyboards)"),
    ("video_first",   "F&irst frame",         "Home",                      "Show the video's first frame"),
    ("video_last",    "&Last frame",          "End",                       "Show the video's last frame"),
    ("video_toggle_keyframe", "Switch track &off/on here", "Shift+K",      "The selected working track: switch "
                                                                           "its keyframe at or before this frame "
                                                                           "off (the box ends after it) or on "
                                                                           "again, as Label Studio's interpolation "
                                                                           "toggle"),
    # the waveform view (viewer/qt/audio_page.py), for a task whose object is an <Audio>
    ("play_segment",  "&Play segment",        "Ctrl+P",                    "Play the selected audio segment (else "
                                                                           "the stretch shown), or stop playing"),
    ("keyboard_help", "&Keyboard shortcuts...", ("F1", "?"),               "List every key; change the keys of "
                                                                           "any action"),
)
CHECKABLE = {"show_tags", "show_transcriptions", "show_relations", "order_by_position", "compare", "focus_canvas"}
UNCHECKED = {"order_by_position", "compare", "focus_canvas"}  # checkable actions that start off
# What the window does with keys and the mouse outside the action table, for the keyboard map.
OTHER_KEYS = (
    ("Mouse wheel", "Zoom about the cursor"),
    ("Drag, or Space + drag", "Pan (Space lets a drag start on a region)"),
    ("Click a legend label", "Hide or show the regions with that label"),
    ("A label's hotkey (config)", "Relabel the selected working region, or label the selected text; with nothing "
                                  "selected, choose the label for new regions"),
    ("Double-click a polygon edge", "Add a vertex there"),
    ("Alt + click a polygon vertex", "Delete that vertex"),
    ("Shift while rotating", "Turn in 15 degree steps"),
    ("Alt + mouse wheel", "Brush size (brush and eraser tools)"),
    ("Esc", "Drop the shape being drawn or the drag under way; else unselect the region"),
    ("Drag an edge of a working range", "Time series: move the range's start or end (an instant moves whole)"),
    ("Double-click beside the ranges", "Time series: show the whole series"),
    ("Space (on a video)", "Play or pause"),
    ("Drag a working box (video)", "Move or resize it at this frame: adds a keyframe there"),
    ("Click or drag the timeline", "Seek; a click on a row selects its region"),
    ("Mouse wheel on a waveform", "Zoom along time about the cursor; Shift + wheel, a drag or the scroll bar pans"),
    ("Drag a segment's edge", "Move that edge of a working annotation's audio segment (one undoable step)"),
    ("Double-click a segment", "Play it (the waveform view)"),
)


def default_keys(name: str) -> list[QKeySequence]:
    """An action's keys as the table gives them (one shortcut, or a tuple of them)."""
    shortcut = next(entry[2] for entry in ACTIONS if entry[0] == name)
    return [QKeySequence(s) for s in (shortcut if isinstance(shortcut, tuple) else (shortcut,))]


def keys_text(keys: list[QKeySequence]) -> str:
    return " or ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in keys if not key.isEmpty())


def show_keys(action: QAction, keys: list[QKeySequence]) -> None:
    """Bind `keys` to the action and name them in its tooltip."""
    action.setShortcuts(keys)
    named = keys_text(keys)
    action.setToolTip(f"{action.statusTip()} ({named})" if named else action.statusTip())


def make_actions(parent) -> dict[str, QAction]:
    actions = {}
    for name, text, _, tip in ACTIONS:
        action = QAction(text, parent)
        action.setStatusTip(tip)
        show_keys(action, default_keys(name))
        if name in CHECKABLE:
            action.setCheckable(True)
            action.setChecked(name not in UNCHECKED)
        actions[name] = action
    return actions


def plain_text(text: str) -> str:
    """A menu text without its mnemonic and trailing dots."""
    return text.replace("&", "").rstrip(".")


def keyboard_map() -> list[tuple[str, str]]:
    """(keys, what they do) for every action, then the mouse and other keys: the README's keyboard map.

    Key names come from the platform, so a QGuiApplication must exist.
    """
    rows = [(keys_text(default_keys(name)), plain_text(text)) for name, text, _, _ in ACTIONS]
    return rows + list(OTHER_KEYS)

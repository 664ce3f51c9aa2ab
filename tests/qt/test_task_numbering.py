"""One rule for task numbers in the window (issue 13 item 9): a task's place counts from 1 ("Task 1 of 3"), its id
reads "id 1"; core messages, which keep the command line's 0-based index, are shown by the same rule. And one
meaning of "region": what has a shape on an object; whole-task answers (Choices ...) are results, counted apart
alike by the status bar and the task list."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from viewer.core.diagnostics import Diagnostic
from viewer.qt.task_names import task_name, window_text
from viewer.qt.workspace.diagnostics_panel import DiagnosticsModel
from viewer.qt.workspace.task_table import COLUMNS

COLUMN = {attribute: n for n, (_, attribute) in enumerate(COLUMNS)}


def cell(model, row: int, attribute: str) -> str:
    return model.data(model.index(row, COLUMN[attribute]))


def test_the_status_bar_the_navigation_and_the_task_list_count_tasks_and_regions_alike(review_window, qtbot):
    window = review_window
    panel = window.workspace.panel
    # task 1 of review_project: three rectangles and a Choices answer
    assert window.statusBar().currentMessage() == "Task 1 of 3 (id 1): 3 regions, 1 result"
    assert window.position.text().strip() == "Task 1 of 3"
    assert (cell(panel.model, 0, "index"), cell(panel.model, 0, "task_id")) == ("1", "1")
    assert (cell(panel.model, 0, "regions"), cell(panel.model, 0, "results")) == ("3", "1")
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(1)
    assert window.statusBar().currentMessage() == "Task 2 of 3 (id 2): 2 regions"
    assert (cell(panel.model, 1, "regions"), cell(panel.model, 1, "results")) == ("2", "0")
    assert not re.search(r"\btask 0\b", window.statusBar().currentMessage(), re.IGNORECASE)


def test_core_messages_are_shown_with_the_windows_numbers():
    assert task_name(0) == "Task 1" and task_name(16, 17, 20) == "Task 17 of 20 (id 17)"
    assert task_name(1_234, "a") == "Task 1,235 (id a)"
    assert window_text("t.json: task 0 (id 1): the annotation has no result") == \
        "t.json: task 1 (id 1): the annotation has no result"
    assert window_text("Task 9 of a session; 3 tasks, tasks 0 to 2, task row 'k'") == \
        "Task 10 of a session; 3 tasks, tasks 0 to 2, task row 'k'"


def test_a_diagnostics_tooltip_names_the_task_as_its_row_does():
    model = DiagnosticsModel()
    model.reset([Diagnostic("error", "unknown-label", "label X is not in the config", "t.json", 0, 101,
                            "prediction", 0, "r1")])
    assert model.data(model.index(0, 0)) == "1"
    tooltip = model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    assert "task 1 (id 101)" in tooltip and "task 0" not in tooltip
    assert "prediction 0" in tooltip         # predictions keep their index, as the Layers panel shows them

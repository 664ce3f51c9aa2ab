"""The task list: a table over 100,000 generated tasks filtered and sorted through the Qt model, navigation that
follows the filtered order, statuses that follow the review session, diagnostics counts that arrive later."""

from __future__ import annotations

import json
import random

import pytest
from PySide6.QtCore import Qt

from tests.builders import rect
from viewer.core.task_index import TaskFilter, TaskIndex
from viewer.core.tasks import load_tasks
from viewer.qt.workspace.task_table import COLUMNS, TaskTableModel

COLUMN = {attribute: n for n, (_, attribute) in enumerate(COLUMNS)}


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    rng = random.Random(11)
    items = []
    for i in range(100_000):
        labels = rng.choice([["Car"], ["Person"], ["Sign"]])
        results = [rect(f"r{j}", labels, score=round(rng.random(), 3)) for j in range(rng.randint(0, 3))]
        items.append({"id": f"t{i}", "data": {"image": f"img/{i}.jpg", "caption": rng.choice(["red car", "a dog"])},
                      "predictions": [{"model_version": rng.choice(["v1", "v2"]), "result": results}]})
    path = tmp_path_factory.mktemp("big") / "tasks.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return TaskIndex(load_tasks(path))


def cell(model: TaskTableModel, row: int, attribute: str) -> str:
    return model.data(model.index(row, COLUMN[attribute]))


def test_filter_and_sort_100k_tasks_through_the_model(big, qapp):
    model = TaskTableModel()
    model.set_task_index(big)
    assert model.rowCount() == 100_000 and model.columnCount() == len(COLUMNS)
    assert cell(model, 0, "task_id") == "t0" and cell(model, 99_999, "index") == "100,000"

    model.set_filter(TaskFilter(model_version="v1", label="Person", min_score=0.1, max_score=0.3))
    expected = [r for r in big.rows if "v1" in r.model_versions and "Person" in r.labels
                and r.min_score is not None and 0.1 <= r.min_score <= 0.3]
    assert model.rowCount() == len(expected) > 1000
    model.sort(COLUMN["min_score"], Qt.SortOrder.DescendingOrder)
    shown = [float(cell(model, row, "min_score")) for row in range(model.rowCount())]
    assert shown == sorted(shown, reverse=True) and shown[0] <= 0.3 and shown[-1] >= 0.1
    assert all(cell(model, row, "labels") == "Person" and cell(model, row, "model_versions") == "v1"
               for row in range(0, model.rowCount(), 97))

    model.set_filter(TaskFilter(search="DOG"))
    model.sort(COLUMN["regions"], Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == sum(big.tasks[r.index].data["caption"] == "a dog" for r in big.rows)
    assert cell(model, 0, "regions") == "0" and cell(model, model.rowCount() - 1, "regions") == "3"
    assert model.row_of(model.task_at(500)) == 500


@pytest.fixture
def window(review_window):
    return review_window


def test_the_list_shows_every_task_and_a_click_opens_one(window, qtbot):
    panel = window.workspace.panel
    assert panel.model.rowCount() == 3 and panel.filter_bar.count.text() == "3 of 3"
    assert [cell(panel.model, row, "min_score") for row in range(3)] == ["0.500", "0.300", "0.950"]
    rect_of = panel.table.visualRect(panel.model.index(2, 0))
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect_of.center())
    assert window.index == 2 and panel.table.selectionModel().isRowSelected(2)


def test_next_and_previous_follow_the_filtered_sorted_list(window, qtbot):
    panel, actions = window.workspace.panel, window.actions_by_name
    panel.filter_bar.max_score.setValue(0.6)          # tasks 1 (lowest 0.5) and 2 (0.3)
    panel.model.sort(COLUMN["min_score"], Qt.SortOrder.AscendingOrder)
    assert panel.model.order == [1, 0] and panel.filter_bar.count.text() == "2 of 3"
    assert window.index == 0 and not actions["next_task"].isEnabled()   # task 0 ends the list
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        actions["previous_task"].trigger()
    assert window.index == 1
    assert not actions["previous_task"].isEnabled() and actions["next_task"].isEnabled()
    window.view.setFocus()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert window.index == 0 and not actions["next_task"].isEnabled()
    panel.filter_bar.min_score.setValue(0.9)          # the shown task leaves the list: next goes to its first
    assert panel.model.order == [] and not actions["next_task"].isEnabled()
    panel.filter_bar.max_score.setValue(1.0)
    assert panel.model.order == [2]
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert window.index == 2


def test_statuses_follow_the_review_session(window, qtbot):
    panel = window.workspace.panel
    panel.filter_bar.status.setCurrentIndex(panel.filter_bar.status.findData("accepted"))
    assert panel.model.rowCount() == 0
    window.review.set_status(1, "accepted")
    assert panel.model.order == [1] and cell(panel.model, 0, "status") == "Accepted"
    window.review.undo()
    assert panel.model.rowCount() == 0


def test_diagnostics_counts_arrive_after_opening(window, qtbot):
    workspace = window.workspace
    if workspace.filler.running:
        with qtbot.waitSignal(workspace.filler.finished, timeout=10_000):
            pass
    rows = workspace.task_index.rows
    assert all(row.diagnostics is not None for row in rows)
    assert [cell(workspace.panel.model, r, "diagnostics") for r in range(3)] == [str(row.diagnostics) for row in rows]


def test_a_big_files_rows_are_read_after_the_window_shows(qtbot, tmp_path, monkeypatch):
    """Over loader.SUMMARIZED_AT_ONCE tasks the list starts from placeholders: rows on screen are read when
    painted, the rest in the background, then the filter and compare offer the model versions and labels."""
    from tests.qt.review_project import make_review_project, open_window
    from viewer.qt import loader

    monkeypatch.setattr(loader, "SUMMARIZED_AT_ONCE", 0)
    window = open_window(qtbot, tmp_path, *make_review_project(tmp_path))
    qtbot.waitUntil(lambda: window.workspace.task_index is not None)
    index, panel = window.workspace.task_index, window.workspace.panel
    qtbot.waitUntil(lambda: index.ready and panel.filter_bar.label.findData("Car") >= 0, timeout=5_000)
    assert cell(panel.model, 1, "min_score") == "0.300" and cell(panel.model, 0, "regions") == "3"
    assert cell(panel.model, 0, "results") == "1"         # the Choices answer is a result, not a region
    assert window.workspace.compare.panel.source_a.findData("model:v1") >= 0
    panel.filter_bar.label.setCurrentIndex(panel.filter_bar.label.findData("P"))
    assert window.workspace.order == [0]
    window.loader.wait()

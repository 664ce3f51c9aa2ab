"""Compare in the window: model v1 against v2 coloured matched / label differs / only A / only B on the canvas,
the disagreements listed and selectable, and the key that jumps to the next task (of the filtered list) with
any."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from tests.builders import make_image, rect, write_project
from tests.qt.review_project import open_window
from viewer.qt.workspace.compare import COLORS


def boxes(version: str, *specs) -> dict:
    return {"model_version": version, "result": [rect(rid, (label,), x=x, y=y, width=10, height=10)
                                                 for rid, label, x, y in specs]}


TASKS = [
    {"id": 1, "data": {"image": "img/a.png"}, "predictions": [
        boxes("v1", ("r1", "Car", 10, 10), ("r2", "Car", 60, 60), ("r3", "Car", 80, 10)),
        # q1 sits on r1; q2 overlaps r2 (IoU 90/110) with another label; q3 has no partner
        boxes("v2", ("q1", "Car", 10, 10), ("q2", "P", 61, 60), ("q3", "Car", 30, 30))]},
    {"id": 2, "data": {"image": "img/a.png"}, "predictions": [
        boxes("v1", ("r1", "Car", 10, 10)), boxes("v2", ("q1", "Car", 10, 10))]},
    {"id": 3, "data": {"image": "img/a.png"}, "predictions": [boxes("v1", ("r1", "Car", 10, 10)), boxes("v2")]},
]


@pytest.fixture
def window(qtbot, tmp_path):
    make_image(tmp_path / "img" / "a.png")
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, TASKS))
    qtbot.waitUntil(lambda: main.workspace.task_index is not None)
    panel = main.workspace.compare.panel
    panel.source_b.setCurrentIndex(panel.source_b.findData("model:v2"))
    yield main
    main.loader.wait()


def override(window, source: int, rid: str):
    return window.scene.items_by_key[(("prediction", source), rid)].override


def test_regions_are_coloured_by_their_match_and_disagreements_select(window, qtbot):
    panel = window.workspace.compare.panel
    assert panel.source_a.currentData() == "model:v1" and override(window, 0, "r1") is None
    panel.enabled.setChecked(True)
    assert override(window, 0, "r1") == override(window, 1, "q1") == QColor(COLORS["matched"])
    assert override(window, 0, "r2") == override(window, 1, "q2") == QColor(COLORS["label-differs"])
    assert override(window, 0, "r3") == QColor(COLORS["only-a"])
    assert override(window, 1, "q3") == QColor(COLORS["only-b"])
    assert panel.summary.text() == "1 matched, 1 label differs, 1 only in A, 1 only in B"
    assert panel.disagreements.count() == 3
    panel.labels.setChecked(False)                      # labels ignored: r2 and q2 match
    assert override(window, 0, "r2") == QColor(COLORS["matched"]) and panel.disagreements.count() == 2
    panel.iou.setValue(0.95)                            # 90/110 no longer enough
    assert override(window, 0, "r2") == QColor(COLORS["only-a"])
    item = panel.disagreements.item(0)
    panel.disagreements.itemClicked.emit(item)
    assert window.scene.selected_key() == item.data(Qt.ItemDataRole.UserRole)
    panel.enabled.setChecked(False)
    assert override(window, 0, "r1") is None and panel.disagreements.count() == 0


def test_the_key_jumps_to_the_next_task_with_a_disagreement_in_the_list(window, qtbot):
    window.view.setFocus()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_D)      # task 2 agrees: passed by
    assert window.index == 2 and window.workspace.compare.panel.enabled.isChecked()
    assert override(window, 0, "r1") == QColor(COLORS["only-a"])
    window.workspace.panel.filter_bar.search.setText("no such text")
    qtbot.waitUntil(lambda: window.workspace.order == [])
    assert window.workspace.compare.next_disagreement() is None and window.index == 2

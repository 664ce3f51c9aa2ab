"""The Diagnostics panel: a row selects its region and brings it into view (also outside the image), the all-tasks
list shows another task's problems and a click shows that task; fit takes in regions outside the image."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.builders import make_image, rect, write_project
from tests.qt.review_project import open_window

OUTSIDE = rect("far", ("Car",), x=300, y=40, width=10, height=10)   # x given as percent: three widths right
TASKS = [
    {"id": 1, "data": {"image": "img/a.png"}, "predictions": [{"result": [
        rect("near", ("Car",), x=10, y=10, width=10, height=10), OUTSIDE]}]},
    {"id": 2, "data": {"image": "img/b.png"}, "predictions": [{"result": [
        rect("b1", ("Car",), x=20, y=20, width=10, height=10),
        rect("b2", ("Nope",), x=50, y=50, width=10, height=10)]}]},   # a label the config lacks
]


@pytest.fixture
def window(qtbot, tmp_path):
    for name in "ab":
        make_image(tmp_path / "img" / f"{name}.png")
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, TASKS))
    main.docks["Diagnostics"].show()
    main.docks["Diagnostics"].raise_()
    yield main
    main.loader.wait()


def in_viewport(main, key) -> bool:
    item = main.scene.items_by_key[key]
    shown = main.view.mapToScene(main.view.viewport().rect()).boundingRect()
    return shown.contains(item.sceneBoundingRect())


def click_row(qtbot, panel, row: int) -> None:
    table = panel.table
    rect = table.visualRect(panel.model.index(row, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def rows_of(panel) -> list[tuple]:
    return [(d.task, d.code, d.result_id) for d in panel.model.rows]


def test_a_row_selects_its_region_and_brings_it_into_view(qtbot, window):
    panel, far = window.diagnostics, (("prediction", 0), "far")
    assert ("percent-out-of-range" in {code for _, code, _ in rows_of(panel)})
    row = next(n for n, d in enumerate(panel.model.rows) if d.result_id == "far")
    assert panel.model.data(panel.model.index(row, 4)) == "far"
    window.view.actual_size()                       # 1:1, the image's left part only
    window.view.centerOn(0, 0)
    assert not in_viewport(window, far)
    click_row(qtbot, panel, row)
    assert window.state.selection == far
    assert window.scene.selected_key() == far
    assert in_viewport(window, far)


def test_fit_takes_in_regions_outside_the_image(window):
    far = (("prediction", 0), "far")
    window.view.actual_size()
    window.view.fit()
    assert in_viewport(window, far)
    assert window.view.sceneRect().contains(window.scene.sceneRect())   # the image too


def test_a_task_inside_its_image_fits_its_image(qtbot, window):
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(1)
    assert window.view.sceneRect() == window.scene.sceneRect()


def test_a_region_chosen_in_the_region_list_comes_into_view(qtbot, window):
    far = (("prediction", 0), "far")
    window.view.actual_size()
    window.view.centerOn(0, 0)
    window.region_list.select(far)
    window.region_list.region_chosen.emit(far)    # as a click on its row
    assert window.state.selection == far
    assert in_viewport(window, far)


def test_all_tasks_lists_another_tasks_problem_and_a_click_shows_that_task(qtbot, window):
    panel = window.diagnostics
    assert all(task == 0 for task, _, _ in rows_of(panel))     # this task only
    panel.all_tasks.setChecked(True)
    qtbot.waitUntil(lambda: not window.workspace.filler.running, timeout=10_000)
    assert (1, "unknown-label", "b2") in rows_of(panel)
    assert any(task == 0 for task, _, _ in rows_of(panel))
    row = rows_of(panel).index((1, "unknown-label", "b2"))
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        click_row(qtbot, panel, row)
    assert window.state.index == 1
    assert window.state.selection == (("prediction", 0), "b2")
    assert in_viewport(window, (("prediction", 0), "b2"))
    panel.this_task.setChecked(True)
    assert rows_of(panel) == [(1, "unknown-label", "b2")]


def test_each_task_is_checked_once(qtbot, tmp_path, monkeypatch):
    import viewer.qt.workspace.task_panel as task_panel

    checked = []
    real = task_panel.diagnose_task
    monkeypatch.setattr(task_panel, "diagnose_task", lambda project, task: checked.append(task.index)
                        or real(project, task))
    for name in "ab":
        make_image(tmp_path / "img" / f"{name}.png")
    main = open_window(qtbot, tmp_path, *write_project(tmp_path, TASKS))
    main.diagnostics.all_tasks.setChecked(True)
    qtbot.waitUntil(lambda: not main.workspace.filler.running, timeout=10_000)
    with qtbot.waitSignal(main.task_shown, timeout=10_000):
        main.show_task(1)
    main.diagnostics.this_task.setChecked(True)
    assert sorted(checked) == [0, 1]
    assert len(main.diagnostics.model.rows) == 1
    main.loader.wait()


def test_the_message_column_takes_the_room_the_result_column_does_not(window):
    window.resize(1400, 800)
    header = window.diagnostics.table.horizontalHeader()
    message, result = header.sectionSize(3), header.sectionSize(4)
    assert message > 3 * result and result <= 150     # was 420 px for the message and 700 for the result id

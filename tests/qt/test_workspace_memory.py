"""Between runs the window keeps its layout (docks shown or hidden, sizes), the task list's last filter, order and
column widths; a remembered model version or label the next project lacks goes back to Any."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from tests.builders import write_project
from tests.qt.review_project import make_review_project, open_window
from viewer.core.task_index import TaskFilter
from viewer.qt.settings import save_filter, stored_filter
from viewer.qt.workspace.task_table import COLUMNS

COLUMN = {attribute: n for n, (_, attribute) in enumerate(COLUMNS)}


def bare_window(qtbot, folder):
    from viewer.qt.main_window import MainWindow

    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    return window


def opened(qtbot, folder, tasks, config):
    window = open_window(qtbot, folder, tasks, config)
    qtbot.waitUntil(lambda: window.workspace.task_index is not None)
    return window


def test_layout_filter_and_order_come_back_in_the_next_window(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    window = opened(qtbot, tmp_path, tasks, config)
    panel = window.workspace.panel
    panel.filter_bar.max_score.setValue(0.6)                  # tasks 1 and 2: lowest scores 0.5 and 0.3
    header = panel.table.horizontalHeader()
    header.setSortIndicator(COLUMN["min_score"], Qt.SortOrder.AscendingOrder)
    header.resizeSection(COLUMN["task_id"], 133)
    assert panel.model.order == [1, 0]
    window.workspace.statistics.dock.hide()
    window.docks["Legend"].hide()
    window.resize(760, 640)                                  # the offscreen screen is 800 x 800
    size = window.size()
    window.close()

    again = opened(qtbot, tmp_path, tasks, config)
    panel = again.workspace.panel
    assert panel.filter_bar.max_score.value() == 0.6 and panel.model.rule.max_score == 0.6
    assert panel.model.order == [1, 0] and panel.filter_bar.count.text() == "2 of 3"
    assert panel.table.horizontalHeader().sectionSize(COLUMN["task_id"]) == 133
    assert not again.workspace.statistics.dock.toggleViewAction().isChecked()
    assert not again.docks["Legend"].isVisible() and again.docks["Regions"].isVisible()
    assert bare_window(qtbot, tmp_path).size() == size      # (open_window resizes its window itself)
    # next/previous follow the remembered order
    with qtbot.waitSignal(again.task_shown, timeout=10_000):
        again.show_task(1)
    with qtbot.waitSignal(again.task_shown, timeout=10_000):
        again.actions_by_name["next_task"].trigger()
    assert again.index == 0
    again.loader.wait()


def test_a_remembered_label_the_project_lacks_goes_back_to_any(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    save_filter(settings, TaskFilter(label="Zebra", model_version="v1", search="b.png"))
    settings.sync()
    tasks, config = make_review_project(tmp_path)
    window = opened(qtbot, tmp_path, tasks, config)
    rule = window.workspace.panel.model.rule
    assert rule.label is None and rule.model_version == "v1" and rule.search == "b.png"
    assert window.workspace.panel.filter_bar.label.currentText() == "Any"
    assert window.workspace.order == [1]
    window.loader.wait()


def test_the_stored_filter_reads_back_and_survives_garbage(tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert stored_filter(settings) is None
    rule = TaskFilter(statuses=frozenset({"needs-fix"}), model_version="v2", label="Car", min_score=0.25,
                      max_score=0.75, diagnostics_only=True, search="dog")
    save_filter(settings, rule)
    assert stored_filter(settings) == rule
    settings.setValue("tasks/filter", "{not json")
    assert stored_filter(settings) is None
    settings.setValue("tasks/filter", '{"statuses": "x", "min_score": "high", "diagnostics_only": 1}')
    assert stored_filter(settings) == TaskFilter()
    # numbers a hand edit may leave: too big for a float, NaN, out of range
    settings.setValue("tasks/filter", '{"min_score": 1%s, "max_score": NaN, "label": 7}' % ("0" * 400))
    assert stored_filter(settings) == TaskFilter()
    settings.setValue("tasks/filter", '{"min_score": -0.5, "max_score": 1.5}')
    assert stored_filter(settings) == TaskFilter()


def test_a_project_with_other_labels_keeps_working_with_a_stale_filter(qtbot, tmp_path):
    write_project(tmp_path / "other", [{"id": 9, "data": {"image": "x.png"}}])
    settings = QSettings(str(tmp_path / "other" / "settings.ini"), QSettings.Format.IniFormat)
    save_filter(settings, TaskFilter(label="Car", statuses=frozenset({"accepted"})))
    settings.sync()
    window = opened(qtbot, tmp_path / "other", tmp_path / "other" / "tasks.json", tmp_path / "other" / "config.xml")
    assert window.workspace.panel.model.rule.label is None
    assert window.workspace.panel.model.rule.statuses == frozenset({"accepted"})
    assert window.workspace.order == [] and window.workspace.panel.filter_bar.count.text() == "0 of 1"
    window.loader.wait()

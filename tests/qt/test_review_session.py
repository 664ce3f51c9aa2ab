"""The window's review session: reopening resumes where the reviewer stopped, lead time is measured while the window
is active, File > Export writes what lsview reads back, a session that cannot open leaves the tasks viewable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tests.builders import TEXT_CONFIG, write_project
from tests.qt.review_project import make_review_project, open_window, read_session
from viewer.core.tasks import load_tasks
from viewer.qt.review.export_dialog import ExportDialog

CTRL = Qt.KeyboardModifier.ControlModifier


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def show(qtbot, window, index):
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(index)


def test_reopening_resumes_at_the_last_task_with_the_work_shown(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    show(qtbot, window, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    window.close()
    assert window.review is None
    again = open_window(qtbot, tmp_path, tasks, config)
    assert again.index == 1
    assert "Resumed at task 2: 1 of 3 tasks reviewed" in again.statusBar().currentMessage()
    assert (("annotation", 0), "s1") in again.scene.items_by_key
    assert again.region_list.mark((("prediction", 0), "s1")) == "✓"
    assert "1 / 3 tasks reviewed" in again.review_desk.session_label.text()
    again.close()


def test_a_session_chosen_with_session_is_used_and_unmapped_work_is_reported(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    chosen = tmp_path / "elsewhere" / "mine.sqlite"
    window = open_window(qtbot, tmp_path, tasks, config, chosen)
    assert window.review.path == chosen
    window.actions_by_name["status_needs_fix"].trigger()
    window.close()
    assert read_session(chosen)["tasks"]["id:1"]["status"] == "needs-fix"
    assert not (tmp_path / "tasks.lsview.sqlite").exists()
    # the task file loses task 1: its work stays in the session and the status bar says so
    fewer = json.loads(tasks.read_text())[1:]
    tasks.write_text(json.dumps(fewer))
    again = open_window(qtbot, tmp_path, tasks, config, chosen)
    label = again.review_desk.session_label.text()
    assert "1 reviewed task(s) of the session match no task" in label
    again.close()


def test_lead_time_counts_while_the_window_is_active_and_is_saved_on_leaving(qtbot, tmp_path, monkeypatch):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    clock = FakeClock()
    desk = window.review_desk
    desk.clock.clock = clock
    desk.clock.start(window.index)
    clock.now += 30
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    clock.now += 600  # away from the window: not counted
    monkeypatch.setattr(window, "isActiveWindow", lambda: True)
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    clock.now += 12
    show(qtbot, window, 2)
    clock.now += 5
    session = tmp_path / "tasks.lsview.sqlite"
    assert read_session(session)["tasks"]["id:1"]["lead_time"] == pytest.approx(42)
    window.close()
    assert read_session(session)["tasks"]["id:3"]["lead_time"] == pytest.approx(5)


def test_export_from_the_window_writes_the_reviewers_annotation(qtbot, tmp_path, monkeypatch):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    qtbot.keyClick(window.view, Qt.Key.Key_3, CTRL)
    out = tmp_path / "out" / "reviewed.json"

    def filled(dialog):
        dialog.target.setText(str(out))
        dialog.only_reviewed.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", filled)
    window.actions_by_name["export"].trigger()
    assert "Exported 1 task(s) with 1 reviewer annotation(s) (1 regions)" in window.statusBar().currentMessage()
    exported = load_tasks(out)
    assert len(exported) == 1 and exported[0].id == 1
    annotation = exported[0].annotations[-1]
    assert [(r["id"], r["origin"]) for r in annotation.results] == [("r1", "prediction")]
    assert annotation.results[0]["original_width"] == 640 and annotation.raw["was_cancelled"] is False
    assert exported[0].predictions[0].results == json.loads(tasks.read_text())[0]["predictions"][0]["result"]
    window.close()


def test_export_problems_are_said_in_a_message_box(qtbot, tmp_path, monkeypatch):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    for target in (tasks, tmp_path):  # an input file, a folder
        monkeypatch.setattr(ExportDialog, "exec", lambda dialog, t=target: dialog.target.setText(str(t)) or 1)
        window.actions_by_name["export"].trigger()
    assert "is an input file" in warnings[0] and "is a folder" in warnings[1]
    assert json.loads(tasks.read_text())[0]["id"] == 1
    window.close()


def test_a_session_that_cannot_open_leaves_the_tasks_viewable_without_review(qtbot, tmp_path, monkeypatch):
    tasks, config = make_review_project(tmp_path)
    broken = tmp_path / "broken.sqlite"
    broken.write_text("not a database, just text " * 100)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    window = open_window(qtbot, tmp_path, tasks, config, broken)
    assert window.review is None and "not an lsview session file" in warnings[0]
    assert window.scene.items_by_key and not window.actions_by_name["accept"].isEnabled()
    assert window.review_desk.session_label.text() == "Review off"
    window.close()


def test_text_spans_are_accepted_by_key_and_shown_in_the_text_view(qtbot, tmp_path):
    span = {"id": "p1", "from_name": "ner", "to_name": "text", "type": "labels", "score": 0.8,
            "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}}
    tasks, config = write_project(tmp_path, [{"id": 7, "data": {"text": "Alice met Bob", "html": "<p>x</p>",
                                                                "dialog": []},
                                               "predictions": [{"model_version": "m", "result": [span]}]}],
                                  TEXT_CONFIG)
    window = open_window(qtbot, tmp_path, tasks, config)
    assert window.text_page.active
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    assert window.region_list.selected_key() == (("prediction", 0), "p1")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]["id:7"]["decisions"] == {(0, "p1"): "accepted"}
    pane = window.text_page.view.panes[0]
    assert pane.model.find((("annotation", 0), "p1")) is not None
    assert window.region_list.mark((("annotation", 0), "p1")) == "copy"
    window.close()


def test_open_takes_a_session_option():
    from viewer.cli import build_parser, main

    args = build_parser().parse_args(["open", "t.json", "--session", "s.sqlite"])
    assert args.session == "s.sqlite"
    assert main(["--session", "s.sqlite"]) == 2  # no TASKS: refused before any window opens


def test_the_demo_keeps_its_session_and_export_out_of_the_package(window):
    from viewer.qt.review.export_dialog import default_target

    assert window.review.path.parent.name == "lsview-data"
    assert default_target(window.review).parent == Path.home()

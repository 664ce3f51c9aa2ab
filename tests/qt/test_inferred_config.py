"""Opened without a config, the window says the config was guessed and offers to pick the real one, which reopens
the same tasks with it."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from tests.qt.review_project import make_review_project, open_window


def test_an_inferred_config_is_said_and_the_real_one_can_be_picked(qtbot, tmp_path, monkeypatch):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, None)
    bar = window.config_bar
    assert window.project.config.inferred
    assert bar.isVisible() and "Config inferred from the results" in bar.note.text()
    assert bar.status_label.isVisible()
    assert "inferred a labeling config" in bar.toolTip()

    asked = []

    def pick(parent, caption, folder, filters):
        asked.append(folder)
        return str(config), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        bar.pick.click()
    assert asked == [str(tmp_path)]  # the dialog starts beside the tasks
    assert window.request.tasks == str(tasks) and window.request.config == str(config)
    assert not window.project.config.inferred
    assert not bar.isVisible() and not bar.status_label.isVisible()
    window.loader.wait()


def test_cancelling_the_dialog_keeps_the_project(qtbot, tmp_path, monkeypatch):
    tasks, _ = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: ("", ""))
    project = window.project
    window.config_bar.pick.click()
    qtbot.wait(50)
    assert window.project is project and window.config_bar.isVisible()
    window.loader.wait()


def test_no_notice_with_a_given_config(window):
    assert not window.config_bar.isVisible() and not window.config_bar.status_label.isVisible()

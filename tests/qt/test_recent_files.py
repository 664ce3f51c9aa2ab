"""Open Recent keeps absolute paths, so an entry opened by a relative path reopens from any folder; entries whose
file is gone leave the menu with a note."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QSettings

from tests.qt.review_project import make_review_project
from viewer.qt.loader import OpenRequest
from viewer.qt.main_window import MainWindow
from viewer.qt.settings import RECENT_KEY


def new_window(qtbot, settings_file: Path) -> MainWindow:
    window = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_relative_path_is_kept_absolute_and_reopens_from_elsewhere(qtbot, tmp_path, monkeypatch):
    tasks, config = make_review_project(tmp_path / "project")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    window = new_window(qtbot, tmp_path / "settings.ini")
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(os.path.relpath(tasks), os.path.relpath(config)))
    entry = window.recent.entries()[0]
    assert (entry.tasks, entry.config) == (str(tasks), str(config))

    monkeypatch.chdir(tmp_path / "elsewhere")
    failures = []
    window.loader.failed.connect(failures.append)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.recent_menu.actions()[0].trigger()
    assert not failures and window.request.tasks == str(tasks)
    window.loader.wait()


def test_the_command_line_request_is_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    request = OpenRequest("t.json", "c.xml", "media", None).absolute()
    assert (request.tasks, request.config, request.root, request.session) == (
        str(tmp_path / "t.json"), str(tmp_path / "c.xml"), str(tmp_path / "media"), None)


def test_entries_whose_file_is_gone_are_dropped_with_a_note(qtbot, tmp_path, monkeypatch):
    tasks, _ = make_review_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(RECENT_KEY, json.dumps([{"tasks": "gone.json"}, {"tasks": os.path.relpath(tasks)}]))
    settings.sync()
    window = new_window(qtbot, tmp_path / "settings.ini")
    assert [e.tasks for e in window.recent.entries()] == [str(tasks)]  # the relative one named from the root
    assert [a.text() for a in window.recent_menu.actions()] == [str(tasks)]
    assert "removed 1 entry whose file is gone: gone.json" in window.statusBar().currentMessage()

"""A window and a second process on one review session: the window shows what the other saved, and its own keys
never write a stale copy over it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from tests.qt.review_project import make_review_project, open_window, read_session

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_in_a_shell_is_shown_and_kept_when_the_window_acts_next(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    qtbot.keyClick(window.view, Qt.Key.Key_X)  # r1 rejected in the window
    done = subprocess.run([sys.executable, "-m", "viewer", "accept", str(tasks), "--config", str(config)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Accept 6 regions in 3 task(s)" in done.stdout  # r2, r3, the Day answer c1, s1, s2, t1

    with qtbot.waitSignal(window.review.changed_elsewhere, timeout=5_000):
        pass  # the window's once-a-second look at the session file
    assert "changed by another lsview process" in window.statusBar().currentMessage()
    assert window.region_list.mark((("prediction", 0), "r2")) == "✓"
    assert (("annotation", 0), "r3") in window.scene.items_by_key

    window.review_desk.select((("prediction", 0), "r1"))
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # the window changes its mind about r1
    window.close()
    decisions = read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]
    assert decisions["id:1"]["decisions"] == {(0, "r1"): "accepted", (0, "r2"): "accepted", (0, "r3"): "accepted",
                                                (0, "c1"): "accepted"}
    assert decisions["id:2"]["decisions"] == {(0, "s1"): "accepted", (0, "s2"): "accepted"}


def test_undo_of_a_step_another_process_built_on_is_refused_in_the_status_bar(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    done = subprocess.run([sys.executable, "-m", "viewer", "accept", str(tasks), "--config", str(config)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    window.actions_by_name["undo"].trigger()
    assert "cannot undo “Accept 1 region”" in window.statusBar().currentMessage()
    assert not window.actions_by_name["undo"].isEnabled()
    assert window.region_list.mark((("prediction", 0), "r1")) == "✓"  # nothing was taken back
    window.close()


def test_the_windows_export_holds_what_another_process_saved_a_moment_ago(qtbot, tmp_path):
    from viewer.core.export import ExportOptions

    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    window.review.poll()
    done = subprocess.run([sys.executable, "-m", "viewer", "accept", str(tasks), "--config", str(config),
                           "--min-score", "0.9"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out.json"
    summary = window.review.export(out, ExportOptions(only_reviewed=True))  # before the next once-a-second look
    assert summary.tasks == 2 and summary.regions == 2  # r1 (0.9) and t1 (0.95)
    window.close()


def test_a_session_path_that_is_a_tasks_image_is_refused_and_the_image_kept(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    tasks, config = make_review_project(tmp_path)
    image = tmp_path / "img" / "b.png"
    before = image.read_bytes()
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    window = open_window(qtbot, tmp_path, tasks, config, session=image)
    assert window.review is None and "is an input file" in said[0] and "task 2 (id 2)" in said[0]
    window.close()
    assert image.read_bytes() == before

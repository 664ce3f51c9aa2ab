"""An exception nothing caught in the window: logged with its traceback, said once in plain words, not re-raised."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QMessageBox

from viewer.qt import error_report
from viewer.qt.error_report import ErrorReport


def test_an_uncaught_error_is_logged_and_said_once_per_burst(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("LSVIEW_DATA_DIR", str(tmp_path / "data" / "sessions"))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    report = ErrorReport()
    for _ in range(3):
        try:
            {}["missing"]
        except KeyError:
            report(*sys.exc_info())
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=2_000)
    qtbot.wait(50)
    assert len(shown) == 1 and report.count == 3
    assert "KeyError: 'missing'" in shown[0] and "Review steps shown as done before it are saved" in shown[0]
    log = error_report.log_path().read_text(encoding="utf-8")
    assert log.count("Traceback (most recent call last)") == 3 and str(tmp_path) in shown[0]


def test_installing_takes_the_hook_and_ctrl_c_still_reaches_the_previous_one(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: seen.append(info[0]))
    report = ErrorReport()
    report.install()
    assert sys.excepthook is report
    report(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt] and report.count == 0


def test_the_same_error_is_logged_a_few_times_and_its_text_is_cut(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("LSVIEW_DATA_DIR", str(tmp_path / "data" / "sessions"))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    report = ErrorReport()
    for _ in range(50):  # a broken paint event, repainted again and again
        try:
            raise ValueError("x" * 5_000_000)
        except ValueError:
            report(*sys.exc_info())
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=2_000)
    log = error_report.log_path().read_text(encoding="utf-8")
    assert log.count("Traceback (most recent call last)") == error_report.SAME_ERROR_LOGGED
    assert len(shown[0]) < 2_000 and report.count == 50

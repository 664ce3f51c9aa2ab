"""The settings made before Qt starts (render.qt_start)."""

from __future__ import annotations

import os

from viewer.render.qt_start import serial_fills


def test_serial_fills_keeps_the_raster_engine_off_the_thread_pool(monkeypatch):
    monkeypatch.delenv("QT_NO_GUI_THREADPOOL", raising=False)
    serial_fills()
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "1"


def test_serial_fills_leaves_a_users_setting(monkeypatch):
    monkeypatch.setenv("QT_NO_GUI_THREADPOOL", "")
    serial_fills()
    assert os.environ["QT_NO_GUI_THREADPOOL"] == ""

"""The window while a task's image trickles in from a slow server: a Cancel button beside the progress stops the
download, the task shows with a placeholder and the reason, and the window goes on working."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from tests.builders import image_task, make_image, rect, write_project
from tests.http_trickle import trickling_server
from viewer.qt.loader import OpenRequest
from viewer.qt.main_window import MainWindow


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "cache"))   # downloads stay in the test's folder
    monkeypatch.setenv("LSVIEW_DOWNLOAD_DEADLINE", "120")              # far beyond the test: only Cancel stops it
    with trickling_server() as srv:
        yield srv


def test_cancel_a_trickling_download(qtbot, tmp_path, server):
    make_image(tmp_path / "img" / "b.png", size=(64, 48))
    box = {**rect("r1"), "original_width": 320, "original_height": 200}
    tasks, config = write_project(tmp_path, [image_task(box, image=server.base + "/trickle.png", task_id=1),
                                             image_task(rect("s1"), image="img/b.png", task_id=2)])
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loader.download_started, timeout=10_000):
        window.open(OpenRequest(str(tasks), str(config)))
    qtbot.waitUntil(lambda: server.sent > 0 and window.cancel_download.isVisible(), timeout=10_000)
    assert window.statusBar().currentMessage().startswith("Downloading " + server.base + "/trickle.png")

    with qtbot.waitSignal(window.task_shown, timeout=10_000) as shown:
        qtbot.mouseClick(window.cancel_download, Qt.MouseButton.LeftButton)
    assert shown.args == [0]
    assert server.sent < 1000                                  # stopped long before the image was whole
    assert "download cancelled" in window.content.problem
    assert window.content.size == (320, 200)                   # the regions' own space, as for a missing image
    assert window.scene.items()                                # the placeholder and the task's region are drawn
    assert not window.cancel_download.isVisible()
    assert not list((tmp_path / "cache").rglob("*.png"))      # nothing half-downloaded kept

    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(1)
    assert window.content.problem is None and window.content.size == (64, 48)
    # a cancelled download is not remembered: back on the task, the download starts again
    with qtbot.waitSignal(window.loader.download_started, timeout=10_000):
        window.show_task(0)
    window.loader.cancel_download()
    qtbot.waitUntil(lambda: window.index == 0 and window.content.image.ref.endswith("/trickle.png"), timeout=10_000)
    window.loader.wait()

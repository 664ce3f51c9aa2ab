"""Start the window: the QApplication, the main window, and what to open first (the demo when nothing is given).

Qt layer; reached only through `lsview [open] ...` (viewer/qt/command.py).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from viewer import __version__
from viewer.qt.error_report import ErrorReport
from viewer.qt.loader import OpenRequest
from viewer.qt.main_window import MainWindow
from viewer.render.qt_start import serial_fills


def application() -> QApplication:
    serial_fills()  # read by Qt at its first fill, so set before any
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("lsview")
    app.setOrganizationName("lsview")
    app.setApplicationVersion(__version__)
    return app


def run(tasks: str | None, config: str | None, root: str | None, session: str | None = None) -> int:
    app = application()
    ErrorReport().install()
    window = MainWindow()
    if tasks is None:
        window.open_demo()
    else:
        # named from the root: the paths are the command line's, relative to where it ran
        window.open(OpenRequest(tasks, config, root, session).absolute())
    window.show()
    return app.exec()

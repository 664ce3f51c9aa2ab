"""What the window does with an exception nothing caught (a bug of lsview's): the traceback goes to a log file,
the user gets one plain message, and the window keeps working. Qt layer; installed by app.run only, so tests
(pytest-qt has its own hook) still fail on such errors."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from viewer import __version__
from viewer.core.review.keys import user_data_dir

MESSAGE_EVERY_S = 30.0  # one dialog per burst: a broken paint event would otherwise raise one per repaint


def log_path() -> Path:
    return user_data_dir().parent / "lsview-errors.log"


class ErrorReport:
    def __init__(self) -> None:
        self.last_shown = float("-inf")
        self.count = 0
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def __call__(self, kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, value, trace)
            return
        self.count += 1
        where = self._log(kind, value, trace)
        if time.monotonic() - self.last_shown < MESSAGE_EVERY_S or QApplication.instance() is None:
            return
        self.last_shown = time.monotonic()
        text = (f"lsview hit an error of its own and skipped what it was doing: {kind.__name__}: {value}\n\n"
                "Your review work is saved as you go; nothing of it is lost. This is a bug in lsview: please "
                f"report it with the input that caused it. The details are in {where}.")
        # After the current event: a dialog opened inside a paint or mouse event would nest event loops there.
        QTimer.singleShot(0, lambda: QMessageBox.warning(QApplication.activeWindow(), "lsview", text))

    @staticmethod
    def _log(kind, value, trace) -> str:
        lines = "".join(traceback.format_exception(kind, value, trace))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        try:
            path = log_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as log:
                log.write(f"--- {stamp} lsview {__version__}\n{lines}\n")
            return str(path)
        except OSError:  # no writable data folder: the terminal, if there is one, gets it
            sys.stderr.write(lines)
            return "the terminal's output"

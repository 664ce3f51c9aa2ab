"""What the window does with an exception nothing caught (a bug of lsview's): the traceback goes to a log file,
the user gets one plain message, and the window keeps working. Qt layer; installed by app.run only, so tests
(pytest-qt has its own hook) still fail on such errors."""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from viewer import __version__
from viewer.core.errors import cut_long_values
from viewer.core.review.keys import user_data_dir

MESSAGE_EVERY_S = 30.0  # one dialog per burst: a broken paint event would otherwise raise one per repaint
MESSAGE_SHOWN = 600     # characters of the error's own text in the dialog
SAME_ERROR_LOGGED = 5   # tracebacks of one error at one place written per run
LOG_BYTES = 1 << 20     # past this the log starts again, the older one kept as lsview-errors.log.1


def log_path() -> Path:
    return user_data_dir().parent / "lsview-errors.log"


class ErrorReport:
    def __init__(self) -> None:
        self.last_shown = float("-inf")
        self.count = 0
        self.seen: dict[tuple, int] = {}  # how often each (error, place) was logged in this run
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
        text = (f"lsview hit an error of its own and skipped what it was doing: {kind.__name__}: "
                f"{cut_long_values(str(value))[:MESSAGE_SHOWN]}\n\n"
                "Review steps shown as done before it are saved. This is a bug in lsview: please report it with "
                f"the input that caused it. The details are in {where}.")
        # After the current event: a dialog opened inside a paint or mouse event would nest event loops there.
        QTimer.singleShot(0, lambda: QMessageBox.warning(QApplication.activeWindow(), "lsview", text))

    def _log(self, kind, value, trace) -> str:
        lines = "".join(cut_long_values(line) for line in traceback.format_exception(kind, value, trace))
        where = traceback.extract_tb(trace)[-1:] if trace is not None else []
        place = (kind.__name__, *(f"{f.filename}:{f.lineno}" for f in where))
        self.seen[place] = self.seen.get(place, 0) + 1
        if self.seen[place] > SAME_ERROR_LOGGED:  # a broken paint raises on every repaint: the log stays small
            return str(log_path())
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        try:
            path = log_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > LOG_BYTES:
                os.replace(path, path.with_name(path.name + ".1"))  # one older log kept
            with open(path, "a", encoding="utf-8") as log:
                log.write(f"--- {stamp} lsview {__version__}\n{lines}\n")
            return str(path)
        except OSError:  # no writable data folder: the terminal, if there is one, gets it
            sys.stderr.write(lines)
            return "the terminal's output"

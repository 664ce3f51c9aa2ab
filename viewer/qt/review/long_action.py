"""LongActions: runs a review action over many tasks (core steps, viewer.core.steps) a slice of the GUI thread at a
time, so the window repaints and answers a click on Cancel while it works; no processEvents, only a zero timer.
Qt layer; the ReviewController owns one, the desk shows its progress.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.core.errors import LsviewError
from viewer.core.steps import Slices, Steps
from viewer.qt.task_names import window_text

SLICE_S = 0.02   # work per turn of the event loop: a click or a repaint waits no longer than about this
AT_ONCE = 50     # an action over at most this many tasks (or records) runs to the end at once: it takes no time


class LongActions(QObject):
    started = Signal(object)     # the first Progress of an action that goes on in slices
    progressed = Signal(object)  # its Progress after each slice
    finished = Signal()          # it is over (done, cancelled or failed): nothing runs now
    cancelled = Signal(str)      # what it was doing ("Accepting"); nothing of it was saved

    def __init__(self, failed: Callable[[str], None], parent: QObject | None = None):
        super().__init__(parent)
        self._failed = failed
        self._slices: Slices | None = None
        self._done: Callable[[Any], None] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def busy(self) -> bool:
        return self._slices is not None

    @property
    def doing(self) -> str | None:
        """What the action under way is doing ("Accepting"), None when none is."""
        progress = self._slices.progress if self._slices is not None else None
        return progress.doing if progress is not None else None

    def start(self, steps: Steps, done: Callable[[Any], None], *, at_once: int | None = None) -> bool:
        """Run the steps; `done(result)` once they are finished (at once, for an action over at most `at_once`
        tasks, default AT_ONCE; -1 for one that waits on the network, however small, even over no task). False
        when they could not start (another action is under way, or the session refused: `failed` said why)."""
        if self.busy:
            steps.close()
            self._failed(f"{self.doing} is under way: wait for it to finish, or cancel it")
            return False
        slices = Slices(steps)
        try:
            finished = slices.run(0.0)  # the first report only: the action has begun, and says how big it is
            if not finished and slices.progress.total <= (AT_ONCE if at_once is None else at_once):
                finished = slices.run(None)
        except LsviewError as exc:
            self._failed(window_text(str(exc)))
            return False
        if finished:
            done(slices.result)
            return True
        self._slices, self._done = slices, done
        self.started.emit(slices.progress)
        self._timer.start()
        return True

    def cancel(self) -> None:
        """Stop the action under way: its transaction rolls back, so the session is as it was before it."""
        slices = self._slices
        if slices is None:
            return
        doing = self.doing or "The action"
        try:
            slices.cancel()
        finally:
            self._end()
        self.cancelled.emit(doing)

    def _on_timer_timeout(self) -> None:
        slices, done = self._slices, self._done
        if slices is None:
            return
        try:
            finished = slices.run(SLICE_S)
        except LsviewError as exc:
            self._end()
            self._failed(window_text(str(exc)))
            return
        except BaseException:
            self._end()
            raise
        if not finished:
            self.progressed.emit(slices.progress)
            return
        self._end()
        done(slices.result)

    def _end(self) -> None:
        self._timer.stop()
        self._slices = self._done = None
        self.finished.emit()

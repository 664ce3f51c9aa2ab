"""ProgressDialog: how far a long action of the window is ("Accepting 12,000 / 20,000 tasks"), with Cancel.
Qt layer. It shows only once the action has run SHOW_AFTER_S, window-modal: the window takes no other input then,
but repaints. Not a QProgressDialog, whose setValue runs the event loop from inside the action's slice.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from viewer.core.steps import Progress

SHOW_AFTER_S = 0.3  # an action done sooner than this shows no dialog at all


class ProgressDialog(QDialog):
    cancel_requested = Signal()  # Cancel, Esc or the close button: the action's owner cancels it, then end() hides

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("lsview")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel("")
        self.label.setMinimumWidth(320)
        self.bar = QProgressBar()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip("Stop; nothing of this action is kept")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        self._started: float | None = None

    def begin(self, progress: Progress) -> None:
        """An action started; the dialog shows when its progress arrives SHOW_AFTER_S later and it is not over."""
        self._started = time.monotonic()
        self._show_progress(progress)

    def show_progress(self, progress: Progress) -> None:
        if self._started is None:
            return
        self._show_progress(progress)
        if not self.isVisible() and time.monotonic() - self._started >= SHOW_AFTER_S:
            self.show()

    def _show_progress(self, progress: Progress) -> None:
        self.label.setText(progress.text)
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)

    def end(self) -> None:
        self._started = None
        if self.isVisible():
            self.hide()
            if self.parentWidget() is not None:  # the keys go back to the window (no window manager does it)
                self.parentWidget().activateWindow()

    def reject(self) -> None:
        # not hidden here: the action ends first (its rollback), and end() hides the dialog then
        self.cancel_requested.emit()

"""MessageBar: the window's status bar, whose message is cut with an ellipsis where the permanent widgets (zoom,
session, progress) begin, the whole text in its tooltip, at any window width.

Qt layer. QStatusBar draws a message up to the first permanent widget and cuts it there mid-letter, flush against
the zoom field; here the message is a label in the bar's stretching slot, so the bar's layout gives it the room
left and it elides itself to that.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStatusBar, QWidget

from viewer.qt.widgets.elided_label import ElidedLabel


class MessageBar(QStatusBar):
    """showMessage, currentMessage and clearMessage as QStatusBar's, shown in an ElidedLabel. Qt's own status
    tips (a hovered menu entry) still show over it as QStatusBar's temporary message while they last."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = ElidedLabel(self)
        self.addWidget(self.label, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int = 0) -> None:
        super().clearMessage()   # a status tip still up (the pointer on a tool button) would hide the label
        self.label.setText(text)
        if timeout > 0:
            self._timer.start(timeout)
        else:
            self._timer.stop()
        self.messageChanged.emit(text)

    def currentMessage(self) -> str:
        return self.label.text()

    def clearMessage(self) -> None:
        self._timer.stop()
        if self.label.text():
            self.label.setText("")
            self.messageChanged.emit("")

"""MessageBar: the window's status bar, whose message is cut with an ellipsis where the permanent widgets (zoom,
session, progress) begin, the whole text in its tooltip, at any window width.

Qt layer. QStatusBar draws a message up to the first permanent widget and cuts it there mid-letter, flush against
the zoom field; here the message is a label in the bar's stretching slot, so the bar's layout gives it the room
left and it elides itself to that.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget


class ElidedLabel(QLabel):
    """One line of text that ends in "…" when it is wider than the label; the full text is the tooltip then."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def shown_text(self) -> str:
        """The text as drawn at the label's width."""
        room = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(room, 0))

    def setText(self, text: str) -> None:
        super().setText(text)
        self._tooltip()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._tooltip()

    def _tooltip(self) -> None:
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setPen(self.palette().color(self.foregroundRole()))
        p.drawText(self.contentsRect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.shown_text())


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

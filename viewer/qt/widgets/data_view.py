"""DataView: a task lsview does not draw (audio, video, tables, text for now) as readable text, in place of the
canvas, under a plain note saying why.

Qt layer; the text itself is made off the GUI thread by viewer.render.readable.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class DataView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setMargin(8)
        font = self.note.font()
        font.setBold(True)
        self.note.setFont(font)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.text)

    def show_data(self, note: str, text: str) -> None:
        self.note.setText(note)
        self.text.setPlainText(text)

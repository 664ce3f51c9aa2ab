"""ReviewBar: the task's review status, how many prediction regions are decided, and the reviewer's note.
Qt layer, a toolbar over values the window gives it; it reports the reviewer's choices as signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSizePolicy, QToolBar

from viewer.core.review.store import STATUS_NAMES, STATUSES


class ReviewBar(QToolBar):
    status_chosen = Signal(str)           # a status picked from the list
    note_committed = Signal(int, str)     # (task index, note) when the note was edited and Enter or focus left
    note_finished = Signal()              # Enter in the note: back to the canvas

    def __init__(self, parent=None):
        super().__init__("Review", parent)
        self.setObjectName("review")
        self.task_index: int | None = None
        self._note_shown = ""
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(STATUS_NAMES[status], status)
        self.status.setToolTip("The task's review status (Ctrl+1 ... Ctrl+5)")
        self.status.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # keys stay with the canvas after a pick
        self.counts = QLabel("")
        self.counts.setToolTip("The task's prediction regions: accepted, rejected, not decided yet")
        self.note = QLineEdit()
        self.note.setPlaceholderText("note for this task (Ctrl+E)")
        self.note.setClearButtonEnabled(True)
        self.note.setMinimumWidth(160)
        self.note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.addWidget(QLabel(" Task: "))
        self.addWidget(self.status)
        self.addWidget(self.counts)
        self.addWidget(self.note)
        self.status.activated.connect(self._on_status_activated)
        self.note.editingFinished.connect(self.commit_note)
        self.note.returnPressed.connect(self.note_finished)
        self.show_task(None)

    def show_task(self, task_index: int | None, status: str = "not-reviewed", note: str = "",
                  counts: tuple[int, int, int] = (0, 0, 0)) -> None:
        """Show another task's review state (commit the note of the one shown first: commit_note)."""
        self.task_index = task_index
        self._note_shown = note
        self.note.setText(note)
        self.set_status(status)
        self.set_counts(counts)
        for widget in (self.status, self.note):
            widget.setEnabled(task_index is not None)

    def set_status(self, status: str) -> None:
        self.status.setCurrentIndex(self.status.findData(status))

    def set_note(self, note: str) -> None:
        """The note as the session has it now (after undo or redo); typing in progress is replaced."""
        self._note_shown = note
        if self.note.text() != note:
            self.note.setText(note)

    def set_counts(self, counts: tuple[int, int, int]) -> None:
        accepted, rejected, undecided = counts
        self.counts.setText(f"  ✓ {accepted}   ✗ {rejected}   · {undecided} undecided  ")

    def commit_note(self) -> None:
        """Report the note if it was edited; called on Enter, on leaving the field and before the task changes."""
        text = self.note.text()
        if self.task_index is not None and text != self._note_shown:
            self._note_shown = text
            self.note_committed.emit(self.task_index, text)

    def _on_status_activated(self, row: int) -> None:
        self.status_chosen.emit(self.status.itemData(row))

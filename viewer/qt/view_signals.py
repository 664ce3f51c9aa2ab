"""ViewSignals: the view state's events as Qt signals, so widgets connect to them as to any other signal.

Qt layer, one small QObject per window over viewer.core.view_state.ViewState.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from viewer.core.view_state import ViewState


class ViewSignals(QObject):
    project_changed = Signal()
    task_shown = Signal(int)
    content_changed = Signal(object)     # the content, or None
    review_changed = Signal(object)      # the review controller, or None
    selection_changed = Signal(object)   # the selected RegionKey, or None

    def __init__(self, state: ViewState, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        state.project_changed.connect(self.project_changed.emit)
        state.task_shown.connect(self.task_shown.emit)
        state.content_changed.connect(self.content_changed.emit)
        state.review_changed.connect(self.review_changed.emit)
        state.selection_changed.connect(self.selection_changed.emit)

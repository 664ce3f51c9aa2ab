"""ViewSignals: the view state's events as Qt signals, so widgets connect to them as to any other signal.

Qt layer, one small QObject per window over viewer.core.view_state.ViewState.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal

from viewer.core.view_state import ViewState


EVENTS = ("project_changed", "task_shown", "content_changed", "layer_changed", "review_changed", "selection_changed")


class ViewSignals(QObject):
    project_changed = Signal()
    task_shown = Signal(int)
    content_changed = Signal(object)     # the content, or None
    layer_changed = Signal(object, object)  # (content, layer key): that layer changed in place
    review_changed = Signal(object)      # the review controller, or None
    selection_changed = Signal(object)   # the selected RegionKey, or None

    def __init__(self, state: ViewState, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        for name in EVENTS:
            getattr(state, name).connect(partial(self._emit, name))

    def _emit(self, name: str, *args) -> None:
        getattr(self, name).emit(*args)


class StateAttribute:
    """An attribute of the window that is the view state's (`window.project` is `window.state.project`): the window
    and the tests read and set it there, the views follow the state. `setter`: the state's method that sets it,
    when setting is an event of its own (content, review)."""

    def __init__(self, setter: str | None = None):
        self.setter = setter

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, host, owner=None):
        return self if host is None else getattr(host.state, self.name)

    def __set__(self, host, value) -> None:
        if self.setter is None:
            setattr(host.state, self.name, value)
        else:
            getattr(host.state, self.setter)(value)

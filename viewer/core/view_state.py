"""ViewState: what the window shows (project, task and page, its content, the review session, the one selected
region) and the events that say when any of it changed.

Core layer, no Qt: qt/view_signals.py turns the events into Qt signals for the widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from viewer.core.region_keys import LayerKey, RegionKey

if TYPE_CHECKING:
    from viewer.core.content import TaskContent
    from viewer.core.project import Project
    from viewer.core.tasks import Task


class Event:
    """Handlers called in the order they connected, each with what emit() was given."""

    def __init__(self) -> None:
        self._handlers: list[Callable[..., Any]] = []

    def connect(self, handler: Callable[..., Any]) -> None:
        self._handlers.append(handler)

    def disconnect(self, handler: Callable[..., Any]) -> None:
        self._handlers.remove(handler)

    def emit(self, *args: Any) -> None:
        for handler in list(self._handlers):  # a handler may disconnect itself
            handler(*args)


class ViewState:
    """One per window. `content` is the shown task's content with its working layer; `review` is the edit target
    (the review controller, a Qt object the state only holds), None without a session."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.index = -1
        self.page = 0
        self.content: TaskContent | None = None
        self.review: Any = None
        self.selection: RegionKey | None = None
        self.project_changed = Event()     # ()
        self.task_shown = Event()          # (task index): its content is everywhere now
        self.content_changed = Event()     # (content or None)
        self.layer_changed = Event()       # (content, layer key): one layer changed in place, the rest as it was
        self.review_changed = Event()      # (review or None)
        self.selection_changed = Event()   # (RegionKey or None)

    def task(self) -> Task | None:
        """The task shown; None before one is, or when the index is out of the project's range."""
        project, index = self.project, self.index
        if project is None or not 0 <= index < len(project.tasks):
            return None
        return project.tasks[index]

    def open_project(self, project: Project | None) -> None:
        """Another project: no task, content or selection until one is shown."""
        self.project, self.index, self.page, self.content, self.selection = project, -1, 0, None, None
        self.project_changed.emit()

    def set_content(self, content: TaskContent | None) -> None:
        self.content = content
        if content is not None:
            self.page = content.page
        self.content_changed.emit(content)

    def change_layer(self, content: TaskContent, key: LayerKey) -> None:
        """The shown task's content again with one layer changed (the working annotation after a review command):
        views update that layer and keep their selection, scroll and what is hidden."""
        self.set_content(content)
        self.layer_changed.emit(content, key)

    def shown(self, index: int) -> None:
        """The task at `index` is on screen with its content: tell those who follow the task shown."""
        self.index = index
        self.task_shown.emit(index)

    def set_review(self, review: Any) -> None:
        if review is not self.review:
            self.review = review
            self.review_changed.emit(review)

    def select(self, key: RegionKey | None, *, again: bool = False) -> None:
        """Make `key` (a RegionKey, or None for nothing) the selection. Only a change is announced, unless `again`:
        a view whose items or rows were made anew, or that may have lost the selection, asks for it to be shown
        everywhere even when the state already holds it."""
        if key == self.selection and not again:
            return
        self.selection = key
        self.selection_changed.emit(key)

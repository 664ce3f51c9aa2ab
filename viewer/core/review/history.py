"""One undo history of labelled commands (core layer, no Qt); the window shows its labels on Undo/Redo."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.review.store import TaskRecord


@dataclass(frozen=True)
class Command:
    """A user action as before/after records of the tasks it touched ("Accept 3 regions")."""

    label: str
    before: dict[str, TaskRecord]
    after: dict[str, TaskRecord]


class History:
    def __init__(self, limit: int = 1000):
        self.limit = limit
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def push(self, command: Command) -> None:
        self._done.append(command)
        del self._done[:-self.limit]
        self._undone.clear()

    @property
    def undo_command(self) -> Command | None:
        return self._done[-1] if self._done else None

    @property
    def redo_command(self) -> Command | None:
        return self._undone[-1] if self._undone else None

    def drop(self, command: Command) -> None:
        """Forget a step that can no longer be undone or redone."""
        for stack in (self._done, self._undone):
            if command in stack:
                stack.remove(command)

    def pop_undo(self) -> Command | None:
        if not self._done:
            return None
        command = self._done.pop()
        self._undone.append(command)
        return command

    def pop_redo(self) -> Command | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        self._done.append(command)
        return command

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

"""The protocol every canvas tool follows: pointer and key input in, previews on the overlay, edits out through
the editor, seen only as a ToolHost (host.py).

Qt layer. A tool answers True when it used the input; what it leaves goes on to the view (selection, panning).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt

from viewer.core.editing.drags import Point
from viewer.qt.canvas.editing.host import Pointer, ToolHost

DRAG_START = 3.0   # screen pixels a press must travel before it counts as a drag
PICK = 7.0         # screen pixels within which a handle or an edge is hit


class Tool:
    """Base of the tools; every handler leaves the input alone unless a subclass uses it."""

    name = ""
    title = ""
    draws: str | None = None   # the kind of region the tool draws (results.TOOL_KINDS), None for select

    def __init__(self, editor: ToolHost):
        self.editor = editor

    def available(self) -> bool:
        """Whether the task shown and the config let this tool be used."""
        return True

    def activate(self) -> None:
        pass

    def deactivate(self) -> None:
        self.cancel()

    def press(self, pointer: Pointer) -> bool:
        return False

    def move(self, pointer: Pointer) -> bool:
        return False

    def release(self, pointer: Pointer) -> bool:
        return False

    def double_click(self, pointer: Pointer) -> bool:
        return False

    def leave(self) -> None:
        """The pointer left the canvas."""

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        return False

    def claims_key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        """Keys the tool needs before the window's shortcuts see them (Enter and Esc while drawing)."""
        return False

    def cancel(self) -> None:
        """Drop what is under way, leaving the model as it was."""

    def refresh(self) -> None:
        """The scene's items or the selection changed: show handles for what is there now."""

    def far_enough(self, start: Point, pointer: Pointer) -> bool:
        return math.hypot(pointer.at[0] - start[0], pointer.at[1] - start[1]) * self.editor.zoom() >= DRAG_START

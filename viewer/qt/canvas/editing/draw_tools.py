"""Drawing tools for new regions of the working annotation: rectangle and ellipse by dragging, polygon by clicking
its points, keypoint by clicking. Each finished shape is one new region with the label chosen for the tool.

Qt layer, tools of the CanvasEditor.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt

from viewer.core import geometry
from viewer.core.editing import results as made
from viewer.core.editing.drags import Point, ellipse_around, rectangle_between
from viewer.core.shapes import to_value
from viewer.qt.canvas.editing.host import ToolHost
from viewer.qt.canvas.editing.tool import DRAG_START, PICK, Pointer, Tool

DEFAULT_KEYPOINT_WIDTH = 2.0   # the KeyPoint control's strokeWidth when the config gives none (FORMAT.md 1.5)


class DrawTool(Tool):
    """A tool that makes new regions of one kind."""

    def __init__(self, editor: ToolHost, kind: str):
        super().__init__(editor)
        self.draws = kind
        self.name = kind
        self.title = f"Draw {kind}"

    def available(self) -> bool:
        content = self.editor.content
        return made.tool_available(self.editor.config, content.object_name if content else None, self.draws)

    def activate(self) -> None:
        self.editor.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.editor.overlay.show(handles=[], active_vertex=None)

    def deactivate(self) -> None:
        self.cancel()
        self.editor.view.viewport().setCursor(Qt.CursorShape.OpenHandCursor)

    def refresh(self) -> None:
        self.editor.overlay.show(handles=[])

    def preview(self, shape) -> None:
        region = self.editor.preview_region(self.editor.new_results(self.draws, to_value(shape)))
        self.editor.overlay.show(preview=region)


class DragShapeTool(DrawTool):
    """Rectangles are dragged corner to corner; ellipses from their centre out (Shift: a circle)."""

    def __init__(self, editor: ToolHost, kind: str):
        super().__init__(editor, kind)
        self.start: Point | None = None

    def shape(self, pointer: Pointer):
        size = self.editor.size()
        if self.draws == "rectangle":
            return rectangle_between(self.start, pointer.at, size)
        return ellipse_around(self.start, pointer.at, size, circle=pointer.shift)

    def press(self, pointer: Pointer) -> bool:
        if not pointer.left:
            return False
        self.start = pointer.at
        return True

    def move(self, pointer: Pointer) -> bool:
        if self.start is None:
            return False
        self.preview(self.shape(pointer))
        return True

    def release(self, pointer: Pointer) -> bool:
        if self.start is None or not pointer.left:
            return self.start is not None
        shape = self.shape(pointer)
        start, self.start = self.start, None
        self.editor.overlay.show(preview=None)
        dx, dy = abs(pointer.at[0] - start[0]), abs(pointer.at[1] - start[1])
        wide = dx * self.editor.zoom() >= DRAG_START
        high = dy * self.editor.zoom() >= DRAG_START
        # a click, or a drag along one line, draws nothing (a circle needs only one direction)
        if (wide and high) or (self.draws == "ellipse" and pointer.shift and (wide or high)):
            self.editor.add_region(self.draws, to_value(shape), f"Draw {self.draws}")
        return True

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        if key == Qt.Key.Key_Escape and self.start is not None:
            self.cancel()
            return True
        return False

    def claims_key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        return key == Qt.Key.Key_Escape and self.start is not None

    def cancel(self) -> None:
        if self.start is not None:
            self.start = None
            self.editor.overlay.show(preview=None)


class PolygonTool(DrawTool):
    """Click the points; Enter, or a click on the first point, closes the polygon; Backspace takes the last point
    back; Esc drops it."""

    def __init__(self, editor: ToolHost):
        super().__init__(editor, "polygon")
        self.points: list[Point] = []

    def press(self, pointer: Pointer) -> bool:
        if not pointer.left:
            return False
        if len(self.points) >= 3 and self._near_first(pointer.at):
            self.finish()
        else:
            self.points.append(pointer.at)
            self._show(pointer.at)
        return True

    def _near_first(self, at: Point) -> bool:
        first = self.points[0]
        return math.hypot(at[0] - first[0], at[1] - first[1]) <= self.editor.pixels(PICK)

    def _show(self, pointer: Point | None) -> None:
        draft = self.points + ([pointer] if pointer is not None else [])
        self.editor.overlay.show(draft=draft if self.points else [])

    def move(self, pointer: Pointer) -> bool:
        if not self.points:
            return False
        self._show(pointer.at)
        return True

    def release(self, pointer: Pointer) -> bool:
        return bool(self.points) or pointer.left

    def double_click(self, pointer: Pointer) -> bool:
        return pointer.left  # the first click of the pair already placed its point

    def finish(self) -> None:
        if len(self.points) < 3:
            self.editor.message("A polygon needs at least 3 points")
            return
        polygon = geometry.polygon_from_px(self.points, True, *self.editor.size())
        self.cancel()
        self.editor.add_region("polygon", to_value(polygon), "Draw polygon")

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        if not self.points:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        elif key == Qt.Key.Key_Backspace:
            self.points.pop()
            self._show(None)
        else:
            return False
        return True

    def claims_key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        return bool(self.points) and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape,
                                             Qt.Key.Key_Backspace)

    def cancel(self) -> None:
        if self.points:
            self.points = []
            self.editor.overlay.show(draft=[])


class KeyPointTool(DrawTool):
    """A click puts a keypoint there, as wide as the control's strokeWidth at the fit zoom (FORMAT.md 1.5)."""

    def __init__(self, editor: ToolHost):
        super().__init__(editor, "keypoint")

    def radius(self) -> float:
        choice = self.editor.choice("keypoint")
        controls = [choice.control] if choice is not None else []
        controls += [c for c in self.editor.config.controls_for(self.editor.content.object_name)
                     if c.kind in ("keypoint", "keypointlabels")]
        width = DEFAULT_KEYPOINT_WIDTH
        for control in controls:
            try:
                width = float(control.stroke_width)
                break
            except (TypeError, ValueError):
                continue
        return width / (self.editor.scene.fit_scale or 1.0)

    def press(self, pointer: Pointer) -> bool:
        if not pointer.left:
            return False
        x, y = pointer.at
        point = geometry.keypoint_from_px(x, y, self.radius(), *self.editor.size())
        self.editor.add_region("keypoint", to_value(point), "Draw keypoint")
        return True

    def release(self, pointer: Pointer) -> bool:
        return pointer.left

    def double_click(self, pointer: Pointer) -> bool:
        return pointer.left


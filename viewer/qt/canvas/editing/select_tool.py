"""SelectTool: pick working regions and change them with handles; a drag is previewed on the overlay and becomes
one edit when released (move, resize and rotate boxes; move, add and delete polygon vertices; move keypoints).

Qt layer, a tool of the CanvasEditor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt

from viewer.core import geometry
from viewer.core.editing.drags import (FRAMES, MOVES, NOT_EDITED, Handle, Point, Size, box_handles, handle_at, moved,
                                       nearest_edge, resize_frame, rotate_frame, vertex_handles, with_inserted_vertex,
                                       with_vertex, without_vertex)
from viewer.core.region_kinds import KindTable
from viewer.core.regions import Region
from viewer.core.shapes import Ellipse, Polygon, Rectangle
from viewer.qt.canvas.editing.host import ToolHost
from viewer.qt.canvas.editing.tool import PICK, Pointer, Tool
from viewer.qt.canvas.items import RegionItem

ROTATE_REACH = 24.0   # screen pixels from the top edge to the rotation handle
LABELS = {"move": "Move {kind}", "resize": "Resize {kind}", "rotate": "Rotate {kind}", "vertex": "Move vertex"}


def _box_handles(shape: Rectangle | Ellipse, size: Size, reach: float) -> list[Handle]:
    to_frame, _ = FRAMES.of(shape)
    return box_handles(to_frame(shape, size), reach)


def _vertex_handles(shape: Polygon, size: Size, reach: float) -> list[Handle]:
    return vertex_handles(shape, size)


# The handles a selected region shows; a vertex handle is what makes the vertex actions (drag, Alt+click, Delete,
# double-click on an edge) apply.
HANDLES = KindTable("handles", {
    Rectangle: _box_handles, Ellipse: _box_handles, Polygon: _vertex_handles,
}, elsewhere={"keypoint": "no handles: a dot, moved by dragging it", **NOT_EDITED})


@dataclass
class Drag:
    action: str                 # move | resize | rotate | vertex
    item: RegionItem
    region: Region
    start: Point                # image pixels where the press was
    handle: Handle | None = None
    started: bool = False
    shape: object = None        # what the region becomes if released now


class SelectTool(Tool):
    name = "select"
    title = "Select and edit"

    def __init__(self, editor: ToolHost):
        super().__init__(editor)
        self.drag: Drag | None = None
        self.vertex: tuple[str, int] | None = None   # (region id, vertex index) that Delete removes
        self._cursor = None

    def handles(self, shape) -> list[Handle]:
        made = HANDLES.get(shape)
        return made(shape, self.editor.size(), self.editor.pixels(ROTATE_REACH)) if made is not None else []

    def refresh(self) -> None:
        if self.drag is not None and self.drag.started:
            return  # the overlay shows the drag's own handles
        region = self.editor.selected_region()
        handles = self.handles(region.shape) if region is not None else []
        if region is None or self.vertex is None or self.vertex[0] != region.id or \
                not any(h.name == "vertex" and h.index == self.vertex[1] for h in handles):
            self.vertex = None
        self.editor.overlay.show(handles=handles, active_vertex=self.vertex[1] if self.vertex else None, preview=None)

    def activate(self) -> None:
        self.refresh()

    def deactivate(self) -> None:
        self.cancel()
        self.vertex = None
        self.editor.overlay.show(handles=[], active_vertex=None)

    def cancel(self) -> None:
        if self.drag is not None:
            self.drag = None
            self.editor.dim(None)
            self.editor.overlay.show(preview=None)

    # ------------------------------------------------------------------ pointer

    def press(self, pointer: Pointer) -> bool:
        if not pointer.left:
            return False
        item = self.editor.selected_item()
        if item is not None:
            handle = handle_at(self.handles(item.region.shape), pointer.at, self.editor.pixels(PICK))
            if handle is not None:
                return self._press_handle(item, handle, pointer)
        chosen = self.editor.working_item_at(pointer, prefer=item)
        if chosen is None:
            return False  # the view selects what is there (a prediction) or pans
        if chosen is not item:
            self.editor.select(chosen.region.id)
        if MOVES.get(chosen.region.shape) is not None:
            self.drag = Drag("move", chosen, chosen.region, pointer.at)
        return True

    def _press_handle(self, item: RegionItem, handle: Handle, pointer: Pointer) -> bool:
        region = item.region
        if handle.name == "vertex":
            if pointer.alt:
                self._delete_vertex(region, handle.index)
                return True
            self.vertex = (region.id, handle.index)
            self.editor.overlay.show(active_vertex=handle.index)
            self.drag = Drag("vertex", item, region, pointer.at, handle)
        else:
            self.drag = Drag("rotate" if handle.name == "rotate" else "resize", item, region, pointer.at, handle)
        return True

    def move(self, pointer: Pointer) -> bool:
        drag = self.drag
        if drag is None:
            self._hover(pointer)
            return False
        if not drag.started:
            if not self.far_enough(drag.start, pointer):
                return True
            drag.started = True
            self.editor.dim(drag.item)
        drag.shape = self._dragged(drag, pointer)
        self.editor.overlay.show(preview=replace(drag.region, shape=drag.shape), handles=self.handles(drag.shape))
        return True

    def _dragged(self, drag: Drag, pointer: Pointer):
        size = self.editor.size()
        shape = drag.region.shape
        dx, dy = pointer.at[0] - drag.start[0], pointer.at[1] - drag.start[1]
        if drag.action == "move":
            return moved(shape, size, dx, dy)
        # the handle follows the pointer from where it was grabbed, not from the pointer's own spot
        target = (drag.handle.at[0] + dx, drag.handle.at[1] + dy)
        if drag.action == "vertex":
            return with_vertex(shape, size, drag.handle.index, target)
        to_frame, from_frame = FRAMES.of(shape)
        frame = to_frame(shape, size)
        if drag.action == "rotate":
            frame = rotate_frame(frame, drag.start, pointer.at, snap=pointer.shift)
        else:
            frame = resize_frame(frame, drag.handle.name, target)
        return from_frame(frame, size)

    def release(self, pointer: Pointer) -> bool:
        drag = self.drag
        if drag is None or not pointer.left:
            return drag is not None
        self.drag = None
        self.editor.dim(None)
        if drag.started:
            self.editor.overlay.show(preview=None)
            label = LABELS[drag.action].format(kind=drag.region.kind)
            self.editor.commit_shape(drag.region, drag.shape, label)
        self.refresh()
        return True

    def double_click(self, pointer: Pointer) -> bool:
        """On an edge of the selected polygon: a new vertex there."""
        region = self.editor.selected_region()
        if not pointer.left or region is None:
            return False
        handles = self.handles(region.shape)
        if not any(h.name == "vertex" for h in handles):
            return False  # only a polygon has vertices (HANDLES)
        size = self.editor.size()
        tolerance = self.editor.pixels(PICK)
        if handle_at(handles, pointer.at, tolerance) is not None:
            return True
        edge = nearest_edge(geometry.polygon_px(region.shape, *size), region.shape.closed, pointer.at)
        if edge is None or edge[2] > tolerance:
            return False
        self.vertex = (region.id, edge[0] + 1)
        self.editor.commit_shape(region, with_inserted_vertex(region.shape, size, edge[0], edge[1]), "Add vertex")
        return True

    def _hover(self, pointer: Pointer) -> None:
        item = self.editor.selected_item()
        cursor = Qt.CursorShape.OpenHandCursor
        if item is not None:
            if handle_at(self.handles(item.region.shape), pointer.at, self.editor.pixels(PICK)) is not None:
                cursor = Qt.CursorShape.CrossCursor
            elif self.editor.working_item_at(pointer, prefer=item) is item:
                cursor = Qt.CursorShape.SizeAllCursor
        if cursor != self._cursor:
            self._cursor = cursor
            self.editor.view.viewport().setCursor(cursor)

    # ------------------------------------------------------------------ keys and vertices

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        if key == Qt.Key.Key_Escape and self.drag is not None:
            self.cancel()
            self.refresh()
            return True
        return False

    def claims_key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        return key == Qt.Key.Key_Escape and self.drag is not None

    def delete_vertex(self) -> bool:
        """Delete the chosen vertex of the selected polygon; False when no vertex is chosen."""
        region = self.editor.selected_region()
        if self.vertex is None or region is None or self.vertex[0] != region.id:
            return False
        self._delete_vertex(region, self.vertex[1])
        return True

    def _delete_vertex(self, region: Region, index: int) -> None:
        shape = without_vertex(region.shape, index)
        if shape is None:
            self.editor.message("A polygon keeps at least 3 vertices: delete the region instead")
            return
        self.vertex = None
        self.editor.commit_shape(region, shape, "Delete vertex")

"""ToolHost: all a canvas tool may use of the editor that runs it, and Pointer, the input the editor hands it.

Qt layer. The tools are typed against this Protocol, never against CanvasEditor, so editor.py can import the tools
without a circle; tests/qt/test_tool_host.py holds the tools to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QPoint, Qt

from viewer.core.config import LabelConfig
from viewer.core.content import TaskContent
from viewer.core.editing import results as made
from viewer.core.editing.drags import Point
from viewer.core.regions import Region
from viewer.qt.canvas.editing.overlay import EditOverlay
from viewer.qt.canvas.items import RegionItem
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.canvas.view import CanvasView
from viewer.render.painter import RegionPainter


@dataclass(frozen=True)
class Pointer:
    at: Point                          # image pixels (the scene's coordinates)
    view_pos: QPoint                   # viewport pixels, for hit tests against items
    button: Qt.MouseButton
    modifiers: Qt.KeyboardModifier

    @property
    def alt(self) -> bool:
        return bool(self.modifiers & Qt.KeyboardModifier.AltModifier)

    @property
    def shift(self) -> bool:
        return bool(self.modifiers & Qt.KeyboardModifier.ShiftModifier)

    @property
    def left(self) -> bool:
        return self.button == Qt.MouseButton.LeftButton


@runtime_checkable
class ToolHost(Protocol):
    """What a tool reads (the view, the scene, the task shown) and the edits it may ask for; each edit is one
    command of the edit target, which the tools never see."""

    view: CanvasView
    scene: RegionScene
    overlay: EditOverlay     # the tool's previews and handles go here, never onto the scene
    brush_size: int          # pixels across

    @property
    def config(self) -> LabelConfig | None: ...

    @property
    def content(self) -> TaskContent | None: ...

    # ---------------------------------------------------------------- the page shown

    def size(self) -> tuple[int, int]:
        """The image's pixel size."""
        ...

    def zoom(self) -> float: ...

    def pixels(self, screen: float) -> float:
        """Image pixels that cover `screen` pixels at the current zoom."""
        ...

    def painter(self) -> RegionPainter:
        """The painter of the project shown (its styles colour previews as the regions will be drawn)."""
        ...

    # ---------------------------------------------------------------- the working regions

    def selected_item(self) -> RegionItem | None: ...

    def selected_region(self) -> Region | None: ...

    def working_item_at(self, pointer: Pointer, prefer: RegionItem | None = None) -> RegionItem | None: ...

    def select(self, region_id: str | None) -> None: ...

    def dim(self, item: RegionItem | None, opacity: float = ...) -> None: ...

    def preview_region(self, results: list[dict]) -> Region | None: ...

    def new_results(self, tool: str, geometry: dict) -> list[dict]: ...

    def choice(self, tool: str) -> made.LabelChoice | None: ...

    def message(self, text: str) -> None: ...

    # ---------------------------------------------------------------- edits (each one command)

    def commit_shape(self, region: Region, shape, label: str) -> bool: ...

    def commit_results(self, region: Region, results: list[dict], label: str) -> bool: ...

    def add_region(self, tool: str, geometry: dict, label: str) -> str | None: ...

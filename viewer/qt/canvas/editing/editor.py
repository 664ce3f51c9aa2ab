"""CanvasEditor: gives the canvas's mouse and keys to the active tool, and turns what tools finish into edits of
the working annotation through the view state's edit target (`state.review`).

Qt layer. The only place the canvas talks to the edit target, so tools and items never change the model
(DESIGN rule 3). Only regions of the working annotation are edited; predictions and original annotations stay
read-only.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from shiboken6 import isValid

from viewer.core.config import LabelConfig
from viewer.core.editing import results as made
from viewer.core.regions import Region, group_results
from viewer.core.review import working
from viewer.core.shapes import to_value
from viewer.core.tasks import Task
from viewer.core.view_state import ViewState
from viewer.qt.canvas.editing.brush import BrushTool
from viewer.qt.canvas.editing.draw_tools import DragShapeTool, KeyPointTool, PolygonTool
from viewer.qt.canvas.editing.overlay import EditOverlay
from viewer.qt.canvas.editing.select_tool import SelectTool
from viewer.qt.canvas.editing.tool import Pointer, Tool
from viewer.qt.canvas.items import RegionItem
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.canvas.view import CanvasView
from viewer.qt.label_keys import LabelKeys
from viewer.qt.parts import ShowMessage
from viewer.qt.view_signals import ViewSignals
from viewer.render.painter import RegionPainter

DIMMED = 0.25   # opacity of a region's own item while the overlay shows its preview
_MOUSE = {QEvent.Type.MouseButtonPress: "press", QEvent.Type.MouseMove: "move",
          QEvent.Type.MouseButtonRelease: "release", QEvent.Type.MouseButtonDblClick: "double_click"}


class CanvasEditor(QObject):
    selection_changed = Signal(object)   # the selected working Region, or None
    tool_changed = Signal(str)
    choices_changed = Signal()           # another task, config or tool: the labels for new regions differ
    brush_size_changed = Signal(int)

    def __init__(self, state: ViewState, signals: ViewSignals, view: CanvasView, scene: RegionScene,
                 painter: Callable[[], RegionPainter], show_message: ShowMessage, parent: QObject | None = None):
        """`painter`: the painter of the project shown, which changes with the project."""
        super().__init__(parent)
        self.state, self.show_message, self._painter = state, show_message, painter
        self.view, self.scene = view, scene
        self.overlay = EditOverlay(self.view, self.painter, self.size, lambda: self.scene.fit_scale)
        self.view.overlays.append(self.overlay)
        self.brush_size = 20
        self.chosen: dict[str, made.LabelChoice] = {}   # drawing tool -> the label its new regions get
        self.label_keys = LabelKeys()
        self._config: LabelConfig | None = None
        self._wanted: tuple[int, int, str] | None = None  # (task, page, region id) to select when its item comes
        self._content = None
        self._page: tuple[int, int] | None = None
        self._pending = None  # a selection to bring back once the scene's signals are out
        self._grabbed = False  # the tool took the last press
        self._dimmed: RegionItem | None = None
        self.tools: dict[str, Tool] = {tool.name: tool for tool in (
            SelectTool(self), DragShapeTool(self, "rectangle"), DragShapeTool(self, "ellipse"), PolygonTool(self),
            KeyPointTool(self), BrushTool(self, erase=False), BrushTool(self, erase=True))}
        self.tool: Tool = self.tools["select"]
        self._viewport = self.view.viewport()
        self._viewport.installEventFilter(self)
        self.view.installEventFilter(self)
        # the one selection, after the window has shown it on the scene (connected before this)
        signals.selection_changed.connect(self._on_signals_selection_changed)
        self.scene.task_set.connect(self._on_scene_task_set)
        self.scene.layer_updated.connect(self._on_scene_layer_updated)

    # ------------------------------------------------------------------ what is being edited

    @property
    def target(self):
        """The edit target (the review controller); None until a review session is open."""
        return self.state.review

    @property
    def config(self) -> LabelConfig | None:
        project = self.state.project
        return project.config if project is not None else None

    @property
    def content(self):
        return self.scene.content

    def enabled(self) -> bool:
        content = self.content
        return (self.target is not None and content is not None and content.is_image
                and self.state.task() is not None)

    def task(self) -> Task:
        return self.state.project.tasks[self.state.index]

    def working_key(self) -> tuple[str, int]:
        return working.working_layer_key(self.task())

    def is_working(self, region: Region) -> bool:
        return self.enabled() and (region.source, region.source_index) == self.working_key()

    def size(self) -> tuple[int, int]:
        return self.content.size if self.content is not None else (1, 1)

    def page(self) -> int | None:
        return self.content.page if self.content is not None and self.content.multi_page else None

    def zoom(self) -> float:
        return self.view.zoom() or 1.0

    def pixels(self, screen: float) -> float:
        """Image pixels that cover `screen` pixels at the current zoom."""
        return screen / self.zoom()

    def selected_item(self) -> RegionItem | None:
        key = self.scene.selected_key()
        item = self.scene.items_by_key.get(key) if key is not None else None
        return item if item is not None and self.is_working(item.region) else None

    def selected_region(self) -> Region | None:
        item = self.selected_item()
        return item.region if item is not None else None

    def working_item_at(self, pointer: Pointer, prefer: RegionItem | None = None) -> RegionItem | None:
        """The working region under the pointer: `prefer` when it is there at all, else the topmost region if it
        is a working one (a prediction drawn over it takes the click)."""
        regions = [i for i in self.view.items(pointer.view_pos) if isinstance(i, RegionItem) and i.isVisible()]
        if prefer is not None and prefer in regions:
            return prefer
        return regions[0] if regions and self.is_working(regions[0].region) else None

    def select(self, region_id: str | None) -> None:
        """Select a working region everywhere (the window's one selection); one not drawn yet is selected when it
        comes."""
        if region_id is None:
            self._wanted = None
            self.state.select(None, again=True)
            return
        key = (self.working_key(), region_id)
        self._wanted = (self.state.index, self.content.page, region_id)
        if key in self.scene.items_by_key:
            self.state.select(key, again=True)

    def dim(self, item: RegionItem | None, opacity: float = DIMMED) -> None:
        """Fade a region's item while the overlay shows what it will become; None restores it."""
        if self._dimmed is not None and isValid(self._dimmed):
            self._dimmed.setOpacity(1.0)
        self._dimmed = item
        if item is not None:
            item.setOpacity(opacity)

    def preview_region(self, results: list[dict]) -> Region | None:
        """The region `results` make, grouped as the session will group them (for drawing previews)."""
        regions = group_results(results, *self.working_key()).regions
        return regions[0] if regions else None

    def message(self, text: str) -> None:
        self.show_message(text, 5000)

    def painter(self) -> RegionPainter:
        """The painter of the project shown; tools colour their previews with its styles."""
        return self._painter()

    # ------------------------------------------------------------------ edits (each one command)

    def commit_shape(self, region: Region, shape, label: str) -> bool:
        """Store a region's new geometry; nothing happens when it did not change."""
        return self.commit_results(region, working.with_geometry([dict(r) for r in region.results],
                                                                 to_value(shape)), label)

    def commit_results(self, region: Region, results: list[dict], label: str) -> bool:
        if results == [dict(r) for r in region.results] or not self.enabled():
            return False
        self._wanted = (self.state.index, self.content.page, region.id)
        self.target.edit_region(self.state.index, region.id, results, label)
        return True

    def add_region(self, tool: str, geometry: dict, label: str) -> str | None:
        """A new region drawn with a tool, labelled with the label chosen for it; it becomes the selection."""
        if not self.enabled():
            return None
        results = self.new_results(tool, geometry)
        region_id = self.target.add_region(self.state.index, results, label)
        if region_id is not None:
            self.select(str(region_id))
        return region_id

    def new_results(self, tool: str, geometry: dict) -> list[dict]:
        return made.new_region_results(self.config, self.content.object_name, tool, geometry, self.choice(tool),
                                       made.image_fields(self.size(), self.page()))

    def delete_selected(self) -> bool:
        """Delete: the selected polygon vertex when there is one, else the selected working region."""
        if self.tool.name == "select" and self.tool.delete_vertex():
            return True
        region = self.selected_region()
        if region is None:
            return False
        self.tool.cancel()
        self._wanted = None
        self.target.delete_region(self.state.index, region.id)
        return True

    def relabel(self, region: Region, choice: made.LabelChoice) -> bool:
        if choice not in made.region_label_choices(self.config, region):
            self.message(f"\"{choice.label.value}\" ({choice.control.name}) is not a label a {region.kind} on "
                         f"\"{region.to_name}\" can have")
            return False
        return self.commit_results(region, made.relabelled(region, choice), "Relabel region")

    # ------------------------------------------------------------------ tools and labels

    def set_tool(self, name: str) -> None:
        tool = self.tools[name]
        if tool is self.tool:
            return
        self.tool.deactivate()
        self.tool = tool
        tool.activate()
        self.tool_changed.emit(name)
        self.choices_changed.emit()

    def available_tools(self) -> list[str]:
        if not self.enabled():
            return []
        return [name for name, tool in self.tools.items() if tool.available()]

    def choices(self, tool: str | None) -> list[made.LabelChoice]:
        if tool is None or not self.enabled():
            return []
        return made.label_choices(self.config, self.content.object_name, tool)

    def choice(self, tool: str) -> made.LabelChoice | None:
        """The label a new region of this tool gets: the one chosen, else the first that fits."""
        options = self.choices(tool)
        chosen = self.chosen.get(tool)
        return chosen if chosen in options else (options[0] if options else None)

    def choose(self, choice: made.LabelChoice) -> None:
        """Take a label for new regions; a drawing tool that cannot use it gives way to one that can."""
        tools = [name for name in made.TOOL_KINDS if choice in self.choices(name)]
        for tool in tools:
            self.chosen[tool] = choice
        if tools and self.tool.draws not in tools:
            self.set_tool(next(name for name, t in self.tools.items() if t.draws == tools[0]))
        self.choices_changed.emit()

    def set_brush_size(self, size: int) -> None:
        size = min(max(int(size), 1), 500)
        if size != self.brush_size:
            self.brush_size = size
            self.brush_size_changed.emit(size)
            self.tool.refresh()

    def hotkey(self, event: QKeyEvent) -> bool:
        """A label hotkey: relabel the selected working region, else choose the label for new regions."""
        options = self.label_keys.choices(event)
        if not options or not self.enabled():
            return False
        region = self.selected_region()
        if region is not None:
            fitting = made.region_label_choices(self.config, region)
            choice = next((c for c in options if c in fitting), options[0])
            self.relabel(region, choice)
        else:
            self.choose(options[0])
        return True

    # ------------------------------------------------------------------ Qt plumbing

    def eventFilter(self, watched, event) -> bool:
        if not isValid(self.view):  # the window is being torn down
            return False
        kind = event.type()
        if self._pending is not None and kind in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress,
                                                  QEvent.Type.ShortcutOverride):
            self._reselect()
        if watched is self._viewport:
            if kind in _MOUSE and self.enabled() and self.view.isInteractive():
                used = getattr(self.tool, _MOUSE[kind])(self._pointer(event))
                # a press the tool took keeps its moves and release from the view, which would otherwise
                # take the release for a click on empty canvas and clear the selection
                grabbed = self._grabbed
                if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
                    self._grabbed = used
                elif kind == QEvent.Type.MouseButtonRelease:
                    self._grabbed = False
                return used or grabbed
            if kind == QEvent.Type.Wheel and self.tool.name in ("brush", "eraser"):
                return self._brush_wheel(event)
            if kind == QEvent.Type.Leave:
                self.tool.leave()
            return False
        if watched is self.view and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return self._key_event(event)
        return False

    def _pointer(self, event: QMouseEvent) -> Pointer:
        at = self.view.viewportTransform().inverted()[0].map(event.position())
        return Pointer((at.x(), at.y()), event.position().toPoint(), event.button(), event.modifiers())

    def _brush_wheel(self, event: QWheelEvent) -> bool:
        if not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            return False
        # Alt turns the vertical wheel into a horizontal one on some platforms: take whichever moved
        delta = event.angleDelta().y() or event.angleDelta().x()
        size = self.brush_size
        if delta > 0:
            self.set_brush_size(max(size + 1, round(size * 1.15)))
        elif delta < 0:
            self.set_brush_size(min(size - 1, round(size / 1.15)))
        event.accept()
        return True

    def _key_event(self, event: QKeyEvent) -> bool:
        if not self.enabled():
            return False
        key, modifiers = event.key(), event.modifiers()
        if event.type() == QEvent.Type.ShortcutOverride:
            # the tool's keys and the config's label hotkeys come before the window's one-key shortcuts
            if self.tool.claims_key(key, modifiers) or self.label_keys.choices(event):
                event.accept()
                return True
            return False
        if self.tool.key(key, modifiers):
            return True
        if key == Qt.Key.Key_Escape and self.selected_item() is not None:
            self.select(None)  # so the next brush stroke starts a new mask, the next click picks afresh
            return True
        return self.hotkey(event)

    def _on_signals_selection_changed(self, key) -> None:
        if self.scene.content is self._content:
            # the user chose: remember a working region, forget when they chose something else
            item = self.scene.items_by_key.get(key) if key is not None else None
            working = item is not None and self.is_working(item.region)
            self._wanted = (self.state.index, self.content.page, key[1]) if working else None
        self.tool.refresh()
        self.selection_changed.emit(self.selected_region())

    def _on_scene_task_set(self) -> None:
        self._items_changed(at_once=False)

    def _on_scene_layer_updated(self, _key) -> None:
        # the window updates its region list after the scene and keeps the selection it finds: give it one now
        self._items_changed(at_once=True)

    def _items_changed(self, at_once: bool) -> None:
        """Items were made again: drop what was under way on the old ones and bring back the selection."""
        page = (self.state.index, self.content.page) if self.content is not None else None
        moved_on = page != self._page
        self._page, self._content = page, self.scene.content
        self.dim(None)
        self.tool.cancel()
        if moved_on:
            self._wanted = None
            self._on_config(self.config)
            if not self.tool.available():
                self.set_tool("select")
            self.choices_changed.emit()
        wanted = self._wanted
        if wanted is not None and self.enabled() and wanted[:2] == page:
            key = (self.working_key(), wanted[2])
            if key in self.scene.items_by_key and self.scene.selected_key() != key:
                # after a whole new task page, once the window has filled its lists (or at the next input, if
                # that comes first), so they follow this selection too
                self._pending = key
                if at_once:
                    self._reselect()
                else:
                    QTimer.singleShot(0, self, self._reselect)
        self.tool.refresh()
        self.selection_changed.emit(self.selected_region())

    def _reselect(self) -> None:
        key, self._pending = self._pending, None
        if key is not None and key in self.scene.items_by_key and self.scene.selected_key() != key:
            self.state.select(key, again=True)  # the state may hold it still: its item is a new one

    def _on_config(self, config: LabelConfig | None) -> None:
        if config is not self._config:
            self._config = config
            self.label_keys = LabelKeys(config)
            self.chosen.clear()

    def refresh(self) -> None:
        """Call after the edit target changed what is editable (a session opened or closed)."""
        self._on_config(self.config)
        if not self.enabled() or not self.tool.available():
            self.set_tool("select")
        self.tool.refresh()
        self.choices_changed.emit()

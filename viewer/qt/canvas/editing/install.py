"""Editing: the editing side of review, put into the window's room in one go: canvas tools and their tool bar, the
Region panel (for canvas regions, text spans and video tracks), text spans, the Tools menu and the Delete key.

Qt layer, wiring only. Everything edits through the view state's `review` (the review controller) and looks it up
when it is used, so the state may get its controller before or after this is made; without one the tools stay
disabled.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from viewer.core.content import Layer, ShownContent
from viewer.core.region_keys import RegionKey
from viewer.core.regions import Region
from viewer.core.review.working import working_layer_key
from viewer.core.view_state import ViewState
from viewer.qt.canvas.editing.editor import CanvasEditor
from viewer.qt.canvas.editing.toolbar import TOOL_ACTIONS, EditingToolBar
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.canvas.view import CanvasView
from viewer.qt.parts import PanelHost, ShowMessage
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.region_editor import RegionEditor
from viewer.qt.widgets.text_spans import TextReader, TextSpanEditor
from viewer.render.painter import RegionPainter

EDITING_ACTIONS = (*TOOL_ACTIONS, None, "delete_region", None, "brush_smaller", "brush_larger")


class VideoTracks(Protocol):
    """What the Region panel asks of the video page: is it shown, which working track a key names, and when it
    listed the tracks again (after an edit: the panel shows the track as stored now)."""
    regions_listed: Any

    @property
    def active(self) -> bool: ...

    def working_track(self, key: RegionKey | None) -> Region | None: ...


class Editing(QObject):
    def __init__(self, state: ViewState, signals: ViewSignals, host: PanelHost, *, actions: dict[str, QAction],
                 view: CanvasView, scene: RegionScene, text: TextReader, video: VideoTracks,
                 painter: Callable[[], RegionPainter], show_message: ShowMessage, parent: QObject | None = None):
        super().__init__(parent)
        self.state, self.scene, self.text_page, self.show_message = state, scene, text, show_message
        self.video = video
        self.canvas = CanvasEditor(state, signals, view, scene, painter, show_message, self)
        self.toolbar = EditingToolBar(self.canvas, actions)
        host.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)  # a row of its own: the label list needs the room
        host.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.text = TextSpanEditor(state, signals, text, show_message, self)
        self.region_editor = RegionEditor(state, self.working_layer, lambda: scene.content)
        self.dock = host.add_dock("Region", self.region_editor, Qt.DockWidgetArea.RightDockWidgetArea)
        # a tab beside the read-only results: the Region panel edits what they list
        host.tabifyDockWidget(host.docks["Results"], self.dock)
        self.dock.raise_()
        menu = host.menuBar().addMenu("&Tools")
        for name in EDITING_ACTIONS:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        actions["delete_region"].triggered.connect(self.delete)
        self.canvas.selection_changed.connect(self._on_canvas_selection_changed)
        signals.selection_changed.connect(self._on_signals_selection_changed)
        self.text.view.content_changed.connect(self._on_text_content_changed)
        video.regions_listed.connect(self._on_video_regions_listed)
        signals.task_shown.connect(self._on_signals_task_shown)

    def text_active(self) -> bool:
        return self.text_page.active

    def working_layer(self) -> Layer | None:
        """The working annotation's layer as the window shows it now (canvas or text view)."""
        task = self.state.task()
        if task is None:
            return None
        key = working_layer_key(task)
        sources: list[ShownContent | None] = [self.text.view.current] if self.text_active() else []
        sources += [self.scene.content, self.state.content]
        for content in sources:
            layer = content.layer(key) if content is not None else None
            if layer is not None:
                return layer
        return None

    def delete(self) -> None:
        """The Delete key: the selected span on the text page, else the selected vertex or region on the canvas."""
        done = self.text.delete_selected() if self.text_active() else self.canvas.delete_selected()
        if not done:
            self.show_message("Nothing to delete: select a region of the working annotation", 5000)

    def refresh(self) -> None:
        """After the state's review controller came or went: enable what can be edited now."""
        self.canvas.refresh()
        self.region_editor.refresh()
        self.text.refresh()

    def _on_canvas_selection_changed(self, region) -> None:
        content = self.state.content
        # the canvas's choice, when the canvas is what is shown (a waveform tells the panel itself)
        if not self.text_active() and not self.video.active and (content is None or content.is_image):
            self.region_editor.refresh()
            self.region_editor.show_region(region)

    def _on_signals_selection_changed(self, key) -> None:
        # on the canvas the editor says which working region that is (selection_changed above)
        if self.text_active():
            self.region_editor.show_region(self.text.region(key))
        elif self.video.active:
            self.region_editor.show_region(self.video.working_track(key))

    def _on_video_regions_listed(self) -> None:
        if self.video.active:
            self.region_editor.refresh()
            self.region_editor.show_region(self.video.working_track(self.state.selection))

    def _on_text_content_changed(self, _content) -> None:
        if self.text_active():
            self.region_editor.refresh()
            self.region_editor.show_region(self.text.selected)

    def _on_signals_task_shown(self, _index: int) -> None:
        self.refresh()
        if self.video.active:
            self.region_editor.show_region(self.video.working_track(self.state.selection))
        else:
            self.region_editor.show_region(self.text.selected if self.text_active()
                                           else self.canvas.selected_region())


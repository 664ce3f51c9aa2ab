"""install_editing(window): the editing side of review put into a main window in one call: canvas tools and their
tool bar, the Region panel, text spans, the Tools menu and the Delete key.

Qt layer, wiring only. Everything edits through `window.review` (the review controller) and looks it up when it is
used, so the window may get its controller before or after this runs; without one the tools stay disabled.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from viewer.core.content import Layer, ShownContent
from viewer.core.review.working import working_layer_key
from viewer.qt.canvas.editing.editor import CanvasEditor
from viewer.qt.canvas.editing.toolbar import TOOL_ACTIONS, EditingToolBar
from viewer.qt.widgets.region_editor import RegionEditor
from viewer.qt.widgets.text_spans import TextSpanEditor

EDITING_ACTIONS = (*TOOL_ACTIONS, None, "delete_region", None, "brush_smaller", "brush_larger")


class Editing(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        actions = window.actions_by_name
        self.canvas = CanvasEditor(window)
        self.toolbar = EditingToolBar(self.canvas, actions, window)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)  # a row of its own: the label list needs the room
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.text = TextSpanEditor(window)
        self.region_editor = RegionEditor(window, self.working_layer)
        self.dock = window.add_dock("Region", self.region_editor, Qt.DockWidgetArea.RightDockWidgetArea)
        # a tab beside the read-only results: the Region panel edits what they list
        window.tabifyDockWidget(window.docks["Results"], self.dock)
        self.dock.raise_()
        menu = window.menuBar().addMenu("&Tools")
        for name in EDITING_ACTIONS:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        actions["delete_region"].triggered.connect(self.delete)
        self.canvas.selection_changed.connect(self._on_canvas_selection_changed)
        window.signals.selection_changed.connect(self._on_signals_selection_changed)
        self.text.view.content_changed.connect(self._on_text_content_changed)
        window.task_shown.connect(self._on_window_task_shown)

    def text_active(self) -> bool:
        return self.window.text_page.active

    def working_layer(self) -> Layer | None:
        """The working annotation's layer as the window shows it now (canvas or text view)."""
        task = self.window.state.task()
        if task is None:
            return None
        key = working_layer_key(task)
        sources: list[ShownContent | None] = [self.text.view.current] if self.text_active() else []
        sources += [self.window.scene.content, self.window.content]
        for content in sources:
            layer = content.layer(key) if content is not None else None
            if layer is not None:
                return layer
        return None

    def delete(self) -> None:
        """The Delete key: the selected span on the text page, else the selected vertex or region on the canvas."""
        done = self.text.delete_selected() if self.text_active() else self.canvas.delete_selected()
        if not done:
            self.window.statusBar().showMessage("Nothing to delete: select a region of the working annotation",
                                                5000)

    def refresh(self) -> None:
        """After the window's review controller came or went: enable what can be edited now."""
        self.canvas.refresh()
        self.region_editor.refresh()
        self.text.refresh()

    def _on_canvas_selection_changed(self, region) -> None:
        if not self.text_active():
            self.region_editor.refresh()
            self.region_editor.show_region(region)

    def _on_signals_selection_changed(self, key) -> None:
        # on the canvas the editor says which working region that is (selection_changed above)
        if self.text_active():
            self.region_editor.show_region(self.text.region(key))

    def _on_text_content_changed(self, _content) -> None:
        if self.text_active():
            self.region_editor.refresh()
            self.region_editor.show_region(self.text.selected)

    def _on_window_task_shown(self, _index: int) -> None:
        self.refresh()
        self.region_editor.show_region(self.text.selected if self.text_active() else self.canvas.selected_region())


def install_editing(window) -> Editing:
    """Put the editing tools into a main window; the Editing object is kept as `window.editing`."""
    window.editing = Editing(window)
    return window.editing

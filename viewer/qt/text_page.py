"""TextPage: the window's reading view for Text, HyperText and Paragraphs tasks, wired to the side panels.

Qt layer. For a task with text and no image, task_loaded() shows the TextView and points region list, layers
and legend at its spans; selection and hidden layers, labels and regions work as on the canvas.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject

from viewer.core.text_layout import text_objects
from viewer.qt.loader import LoadedTask
from viewer.qt.widgets.text_view import TextView
from viewer.render.content import TaskContent
from viewer.render.text_content import TextContent


class TextPage(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.view = TextView(window)
        self.view.set_region_filter(window.visibility.region_shown)
        window.central.addWidget(self.view)
        self.base: TaskContent | None = None  # the window's content of the task; the page swaps in the spans
        self.view.region_selected.connect(self._on_view_region_selected)
        self.view.content_changed.connect(self._on_view_content_changed)
        window.signals.selection_changed.connect(self._on_signals_selection_changed)
        # connected after the window's own handlers, so the visibility has changed when these run
        for signal in (window.layer_list.layer_toggled, window.region_list.region_toggled,
                       window.legend.label_toggled):
            signal.connect(self._on_visibility_changed)
        window.actions_by_name["show_tags"].toggled.connect(self.view.set_tags_shown)

    @property
    def active(self) -> bool:
        return self.window.central.currentWidget() is self.view

    def task_loaded(self, loaded: LoadedTask) -> None:
        window = self.window
        task = window.project.tasks[loaded.index]
        if loaded.content.is_image or not text_objects(window.project, task):
            return
        self.base = loaded.content
        window.central.setCurrentWidget(self.view)
        self.view.set_task(window.project, task, loaded.content.layers)
        current = self.view.current
        count = len(current.regions()) if current is not None else 0
        window.statusBar().showMessage(f"{task.label()}: {count} spans on {len(self.view.contents)} text "
                                       f"object(s)")

    def refresh_layers(self, content: TaskContent) -> None:
        """Show the task's changed layers (the working annotation after a review command) where the reader was:
        same object, same choices, same scroll, same single regions hidden."""
        window, view = self.window, self.view
        self.base = content
        place = view.object_choice.currentIndex()
        picks = [combo.currentData() for combo in view.choices]
        scrolls = [pane.verticalScrollBar().value() for pane in view.panes]
        hidden = set(window.visibility.hidden_regions)
        view.set_task(window.project, window.project.tasks[window.index], content.layers)
        if 0 < place < len(view.contents):
            view.object_choice.setCurrentIndex(place)
        for combo, data in zip(view.choices, picks):
            found = combo.findData(data)
            if found >= 0:
                combo.setCurrentIndex(found)
        window.visibility.hidden_regions = hidden
        self._on_visibility_changed()
        window.region_list.apply_visibility(window.visibility)
        for pane, value in zip(view.panes, scrolls):
            pane.verticalScrollBar().setValue(value)

    def _on_view_content_changed(self, content: TextContent | None) -> None:
        if content is None or self.base is None or not self.active:
            return
        shown = replace(self.base, layers=content.layers)
        visibility = self.window.visibility
        visibility.start_task(shown)  # spans saved with `hidden: true` start hidden, as regions do
        self.window.region_list.set_content(shown, visibility)
        self.window.layer_list.set_content(shown, visibility)
        self.window.legend.set_content(shown, visibility)

    def _on_view_region_selected(self, key) -> None:
        self.window.state.select(key, again=True)  # a pane may have lost it when its spans were placed again

    def _on_signals_selection_changed(self, key) -> None:
        if self.active:
            self.view.select_region(key)

    def _on_visibility_changed(self, *_) -> None:
        if self.active:
            self.view.refresh()

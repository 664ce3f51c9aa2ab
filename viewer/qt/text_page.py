"""TextPage: the window's reading view for Text, HyperText and Paragraphs tasks, wired to the side panels.

Qt layer. For a task with text and no image, task_loaded() shows the TextView and points region list, layers
and legend at its spans; selection and hidden layers, labels and regions work as on the canvas.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget

from viewer.core.region_keys import LayerKey
from viewer.core.text_layout import text_objects
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.loader import LoadedTask
from viewer.qt.task_names import task_name
from viewer.qt.central_page import CentralPage, Panel
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.region_list import RegionList
from viewer.qt.widgets.text_view import TextView
from viewer.render.content import TaskContent
from viewer.render.text_content import TextContent


class TextPage(CentralPage):
    """Shown in `central` when a task is text; `show_message` puts a message in the status bar. The window calls
    task_loaded and, when what is hidden changed, apply_visibility."""

    spans_listed = Signal()  # the side panels list the spans shown now (another task, text object or layer choice)

    def __init__(self, state: ViewState, signals: ViewSignals, visibility: Visibility, *, central: QStackedWidget,
                 region_list: RegionList, layer_list: Panel, legend: Panel, show_message: Callable[[str], None]):
        super().__init__(state, signals, visibility, central=central, region_list=region_list, layer_list=layer_list,
                         legend=legend, show_message=show_message)
        self.view = TextView(central)
        self.view.set_region_filter(visibility.region_shown)
        self.stack(self.view)
        self.base: TaskContent | None = None  # the window's content of the task; the page swaps in the spans
        self.view.region_selected.connect(self._on_view_region_selected)
        self.view.content_changed.connect(self._on_view_content_changed)
        signals.selection_changed.connect(self._on_signals_selection_changed)
        signals.layer_changed.connect(self._on_signals_layer_changed)

    def task_loaded(self, loaded: LoadedTask) -> None:
        project = self.state.project
        task = project.tasks[loaded.index]
        if loaded.content.is_image or not text_objects(project, task):
            return
        self.base = loaded.content
        self.central.setCurrentWidget(self.view)
        self.view.set_task(project, task, loaded.content.layers)
        current = self.view.current
        count = len(current.regions()) if current is not None else 0
        name = task_name(task.index, task.id, len(project.tasks))
        self.show_message(f"{name}: {count} spans on {len(self.view.contents)} text object(s)")

    def refresh_layers(self, content: TaskContent) -> None:
        """Show the task's changed layers (the working annotation after a review command) where the reader was:
        same object, same choices, same scroll, same single regions hidden."""
        view, visibility = self.view, self.visibility
        self.base = content
        place = view.object_choice.currentIndex()
        picks = [combo.currentData() for combo in view.choices]
        scrolls = [pane.verticalScrollBar().value() for pane in view.panes]
        hidden = set(visibility.hidden_regions)
        view.set_task(self.state.project, self.state.task(), content.layers)
        if 0 < place < len(view.contents):
            view.object_choice.setCurrentIndex(place)
        for combo, data in zip(view.choices, picks):
            found = combo.findData(data)
            if found >= 0:
                combo.setCurrentIndex(found)
        visibility.hidden_regions = hidden
        self.apply_visibility()
        self.region_list.apply_visibility(visibility)
        for pane, value in zip(view.panes, scrolls):
            pane.verticalScrollBar().setValue(value)

    def apply_visibility(self) -> None:
        """What is hidden changed: draw the spans again."""
        if self.active:
            self.view.refresh()

    def span_start(self, key) -> int | None:
        """Where a listed span starts in the first pane's text (the review order by position); None if not there."""
        model = self.view.panes[0].model
        found = model.find(key) if model is not None else None
        return model.spans[found].start if found is not None else None

    def _on_view_content_changed(self, content: TextContent | None) -> None:
        if content is None or self.base is None or not self.active:
            return
        shown = replace(self.base, layers=content.layers)
        visibility = self.visibility
        visibility.start_task(shown)  # spans saved with `hidden: true` start hidden, as regions do
        self.list_panels(shown)
        self.spans_listed.emit()

    def _on_signals_layer_changed(self, content: TaskContent, _key: LayerKey) -> None:
        if self.active:  # the canvas's panels are the window's to update
            self.refresh_layers(content)

    def _on_view_region_selected(self, key) -> None:
        self.state.select(key, again=True)  # a pane may have lost it when its spans were placed again

    def _on_signals_selection_changed(self, key) -> None:
        if self.active:
            self.view.select_region(key)

"""CentralPage: what the text, time-series, audio and video views share as pages of the canvas area (Qt layer).

Each page takes `central` (the stacked canvas area) for the tasks of its kind, lists what it shows in the side
panels and reports in the status bar; the window builds each with the same parts and calls task_loaded.
"""

from __future__ import annotations

from typing import Callable, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from viewer.core.content import TaskContent
from viewer.core.review.working import working_layer_key
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.view_signals import ViewSignals


class Panel(Protocol):
    """A side panel that lists what the page shows (the region list, the layer list, the legend)."""
    def set_content(self, content: TaskContent, visibility: Visibility) -> None: ...


class CentralPage(QObject):
    """The parts every page gets; `stack` puts the page's widget into the canvas area, `active` says it is shown."""

    def __init__(self, state: ViewState, signals: ViewSignals, visibility: Visibility, *, central: QStackedWidget,
                 region_list: Panel, layer_list: Panel, legend: Panel, show_message: Callable[..., None]):
        super().__init__(central)
        self.state, self.signals, self.visibility, self.central = state, signals, visibility, central
        self.region_list, self.layer_list, self.legend = region_list, layer_list, legend
        self.show_message = show_message
        self.widget: QWidget | None = None
        # what the window's zoom actions ("fit", "actual_size", "zoom_in", "zoom_out") do while this page is shown;
        # the window sends them to the shown page, else to the image canvas, never to a hidden view
        self.zooms: dict[str, Callable[[], None]] = {}

    def zoom(self, name: str) -> bool:
        """Do the zoom action `name` here when this page is shown and has it; whether it was done here."""
        act = self.zooms.get(name) if self.active else None
        if act is not None:
            act()
        return self.active

    def stack(self, widget: QWidget) -> None:
        self.widget = widget
        self.central.addWidget(widget)

    @property
    def active(self) -> bool:
        return self.widget is not None and self.central.currentWidget() is self.widget

    def list_panels(self, shown: TaskContent) -> None:
        """The region list, the layer list and the legend list what the page shows now."""
        for panel in (self.region_list, self.layer_list, self.legend):
            panel.set_content(shown, self.visibility)

    def editable(self, key) -> bool:
        """Whether the region `key` ((layer key, region id)) is in the working annotation of a review."""
        task = self.state.task()
        return self.state.review is not None and task is not None and key[0] == working_layer_key(task)

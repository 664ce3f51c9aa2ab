"""CentralPage: what the text, time-series, audio and video views share as pages of the canvas area (Qt layer).

Each page takes `central` (the stacked canvas area) for the tasks of its kind, lists what it shows in the side
panels and reports in the status bar; the window builds each with the same parts and calls task_loaded.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.view_signals import ViewSignals


class CentralPage(QObject):
    """The parts every page gets; `stack` puts the page's widget into the canvas area, `active` says it is shown."""

    def __init__(self, state: ViewState, signals: ViewSignals, visibility: Visibility, *, central: QStackedWidget,
                 region_list, layer_list, legend, show_message: Callable[..., None]):
        super().__init__(central)
        self.state, self.signals, self.visibility, self.central = state, signals, visibility, central
        self.region_list, self.layer_list, self.legend = region_list, layer_list, legend
        self.show_message = show_message
        self.widget: QWidget | None = None

    def stack(self, widget: QWidget) -> None:
        self.widget = widget
        self.central.addWidget(widget)

    @property
    def active(self) -> bool:
        return self.widget is not None and self.central.currentWidget() is self.widget

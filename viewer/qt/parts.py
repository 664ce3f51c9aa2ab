"""PanelHost: the room a panel that installs itself is given (docks, tool bars, menus), instead of the main window.

Qt layer, a Protocol only: the MainWindow is one, and nothing else of it is seen through this.
"""

from __future__ import annotations

from typing import Callable, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMenuBar, QToolBar, QWidget

ShowMessage = Callable[..., None]   # the status bar's showMessage(text, timeout_ms=0)


class PanelHost(Protocol):
    docks: dict[str, QDockWidget]   # by title, also their names in the saved layout

    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea,
                 width: int | None = None) -> QDockWidget: ...

    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...

    def resizeDocks(self, docks: list[QDockWidget], sizes: list[int], orientation: Qt.Orientation) -> None: ...

    def addToolBar(self, area: Qt.ToolBarArea, toolbar: QToolBar) -> None: ...

    def addToolBarBreak(self, area: Qt.ToolBarArea) -> None: ...

    def menuBar(self) -> QMenuBar: ...


def menu_titled(host: PanelHost, title: str):
    """One of the menu bar's menus by its title (with its & mnemonic)."""
    return next(a.menu() for a in host.menuBar().actions() if a.text() == title)

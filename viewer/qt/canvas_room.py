"""Room for the canvas: default dock sizes that leave it most of the window, the window kept on its screen, and
Focus canvas, which hides every dock and tool bar and brings them back as they were.

Qt layer.
"""

from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QByteArray, QMargins, QObject, QRect, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QFrame, QScrollArea, QWidget

# Default dock sizes as shares of the window, within bounds: a side dock narrower than the low bound cuts its
# columns to nothing, and past the high bound a wide window gives the room to the canvas.
LEFT_SHARE, LEFT_BOUNDS = 0.15, (150, 240)
RIGHT_SHARE, RIGHT_BOUNDS = 0.21, (190, 320)
BOTTOM_SHARE, BOTTOM_BOUNDS = 0.2, (120, 200)
# Before the window is first shown the window manager has not framed it yet: room kept for its title bar and
# borders, so the framed window still fits.
FRAME_GUESS = QMargins(8, 32, 8, 8)


def _share(length: int, share: float, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], round(length * share)))


def default_dock_sizes(width: int, height: int) -> tuple[int, int, int]:
    """(left width, right width, bottom height) of the docks in a window of `width` x `height`."""
    return (_share(width, LEFT_SHARE, LEFT_BOUNDS), _share(width, RIGHT_SHARE, RIGHT_BOUNDS),
            _share(height, BOTTOM_SHARE, BOTTOM_BOUNDS))


def give_canvas_room(resize_docks: Callable[[list, list, Qt.Orientation], None], docks: Iterable[QDockWidget],
                     area_of: Callable[[QDockWidget], Qt.DockWidgetArea], width: int, height: int) -> None:
    """Size the docks of each area to the defaults for a `width` x `height` window (the window's resizeDocks)."""
    left, right, bottom = default_dock_sizes(width, height)
    areas = Qt.DockWidgetArea
    across = {areas.LeftDockWidgetArea: left, areas.RightDockWidgetArea: right}
    docks = [d for d in docks if not d.isFloating()]
    for dock in docks:
        area = area_of(dock)
        if area in across:
            resize_docks([dock], [across[area]], Qt.Orientation.Horizontal)
        elif area == areas.BottomDockWidgetArea:
            resize_docks([dock], [bottom], Qt.Orientation.Vertical)


def scrolling(panel: QWidget) -> QWidget:
    """`panel` to put in a dock: one that does not scroll itself comes in a scroll area, so its dock (and with it
    the window) can get smaller than the panel's controls need instead of pushing the window past the screen."""
    if isinstance(panel, QAbstractScrollArea):
        return panel
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    return area


def fitted(geometry: QRect, available: QRect, frame: QMargins = FRAME_GUESS) -> QRect:
    """`geometry` (the window without its frame) shrunk if need be and moved so that, framed by `frame`, it lies
    inside `available` (the screen less its panels)."""
    room = available.marginsRemoved(frame)
    width, height = min(geometry.width(), room.width()), min(geometry.height(), room.height())
    x = max(room.left(), min(geometry.x(), room.left() + room.width() - width))
    y = max(room.top(), min(geometry.y(), room.top() + room.height() - height))
    return QRect(x, y, width, height)


def keep_on_screen(widget: QWidget) -> None:
    """Move and shrink the top-level `widget` to fit the screen its middle is on (else the screen it opens on)."""
    screen = widget.screen()
    available = (screen.virtualSiblingAt(widget.geometry().center()) or screen).availableGeometry()
    frame_rect, inner = widget.frameGeometry(), widget.geometry()
    frame = QMargins(inner.left() - frame_rect.left(), inner.top() - frame_rect.top(),
                     frame_rect.right() - inner.right(), frame_rect.bottom() - inner.bottom())
    target = fitted(inner, available, frame if not frame.isNull() else FRAME_GUESS)
    if target != inner:
        widget.setGeometry(target)


class FocusCanvas(QObject):
    """The checkable Focus canvas action: on, every dock and tool bar is hidden; off, the layout from before comes
    back as it was. The layout saved at close is the one from before, never the bare canvas."""

    restored = Signal()

    def __init__(self, action: QAction, save_state: Callable[[], QByteArray],
                 restore_state: Callable[[QByteArray], bool], panes: Callable[[], list[QWidget]],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.action = action
        self._save_state, self._restore_state, self._panes = save_state, restore_state, panes
        self._before: QByteArray | None = None
        action.toggled.connect(self._on_action_toggled)

    @property
    def on(self) -> bool:
        return self._before is not None

    def layout_state(self) -> QByteArray:
        """The window's layout to remember: the one from before while the canvas has the focus."""
        return QByteArray(self._before) if self._before is not None else self._save_state()

    def _on_action_toggled(self, checked: bool) -> None:
        if checked and self._before is None:
            self._before = self._save_state()
            for pane in self._panes():
                pane.hide()
        elif not checked and self._before is not None:
            before, self._before = self._before, None
            self._restore_state(before)
            self.restored.emit()

"""CanvasView: fit to window, 1:1, wheel zoom about the cursor, pan by dragging or with the space bar held, and
room for regions drawn outside the image (fit shows them, a region chosen in a list is scrolled into view).

Qt layer. Only viewing state lives here (zoom, scroll, whether to keep fitting on resize); nothing of the model.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView

from viewer.qt.canvas.scene import RegionScene

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 64.0
OUTSIDE = 0.01      # a region past the image's edge by more than this share of its side widens the room
REVEAL_MARGIN = 40  # screen pixels kept around a region scrolled into view


class CanvasView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: RegionScene, parent=None):
        super().__init__(scene, parent)
        self.region_scene = scene
        self.fitting = True  # keep fitting on resize until the user zooms
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(self.palette().dark())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.overlays: list = []  # painters of what sits over the scene (edit handles, previews): paint(p, rect)
        # new items (another task) or a layer's updated (an edit may move a region out of the image, or back)
        scene.task_set.connect(self._fit_room)
        scene.layer_updated.connect(lambda _key: self._fit_room())

    def zoom(self) -> float:
        return self.transform().m11()

    def fit_zoom(self) -> float:
        rect = self.sceneRect()
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return 1.0
        return min(view.width() / rect.width(), view.height() / rect.height())

    def fit(self) -> None:
        self.fitting = True
        self._apply_fit()

    def _apply_fit(self) -> None:
        if self.sceneRect().isEmpty():
            return
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._zoomed()

    def actual_size(self) -> None:
        self.fitting = False
        self.resetTransform()
        self._zoomed()

    def zoom_by(self, factor: float) -> None:
        target = min(max(self.zoom() * factor, MIN_ZOOM), MAX_ZOOM)
        if target != self.zoom():
            self.fitting = False
            self.scale(target / self.zoom(), target / self.zoom())
            self._zoomed()

    def _zoomed(self) -> None:
        # The editor's keypoint dots are sized at its base "fit" zoom, which never enlarges the image.
        self.region_scene.set_view_zoom(self.zoom())
        self.region_scene.set_fit_scale(min(self.fit_zoom(), 1.0))
        self.zoom_changed.emit(self.zoom())

    def room(self) -> QRectF:
        """The image, widened to the regions that lie outside it (pixels given as percent: x=300). A stroke's
        width past the edge does not count, so fitting a task whose regions stay inside is fitting its image."""
        image = self.region_scene.sceneRect()
        slack_x, slack_y = image.width() * OUTSIDE, image.height() * OUTSIDE
        inside = image.adjusted(-slack_x, -slack_y, slack_x, slack_y)
        room = QRectF(image)
        for item in self.region_scene.items_by_key.values():
            bounds = item.sceneBoundingRect()
            if not inside.contains(bounds):
                room = room.united(bounds)
        return room

    def _fit_room(self) -> None:
        # The view's own rect, not the scene's: scrolling and fit reach the outside regions, while the scene
        # keeps the image's rect for everything measured in it. A null rect follows the scene's again.
        room = self.room()
        self.setSceneRect(room if room != self.region_scene.sceneRect() else QRectF())

    def reveal(self, key) -> None:
        """Scroll the region named by `key` (a RegionKey) into view, when it is drawn; the zoom stays."""
        item = self.region_scene.items_by_key.get(key) if key is not None else None
        if item is None:
            return
        bounds = item.sceneBoundingRect()
        view = self.viewport().rect()
        zoom = self.zoom() or 1.0
        if bounds.width() * zoom > view.width() or bounds.height() * zoom > view.height():
            self.centerOn(bounds.center())     # too big to show whole: its middle
        else:
            self.ensureVisible(bounds, REVEAL_MARGIN, REVEAL_MARGIN)

    def task_shown(self) -> None:
        """After a new task: fit it if the user was fitting, else keep the zoom and show the top-left."""
        if self.fitting:
            self._apply_fit()
        else:
            self._zoomed()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        for overlay in self.overlays:
            overlay.paint(painter, rect)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP ** steps)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitting:
            self._apply_fit()
        else:
            self.region_scene.set_fit_scale(min(self.fit_zoom(), 1.0))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            # With the space bar held a drag pans even over regions: items stop taking the mouse.
            self.setInteractive(False)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.setInteractive(True)
            event.accept()
            return
        super().keyReleaseEvent(event)

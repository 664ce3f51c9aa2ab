"""CanvasView: fit to window, 1:1, wheel zoom about the cursor, pan by dragging or with the space bar held.

Qt layer. Only viewing state lives here (zoom, scroll, whether to keep fitting on resize); nothing of the model.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView

from viewer.qt.canvas.scene import RegionScene

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 64.0


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

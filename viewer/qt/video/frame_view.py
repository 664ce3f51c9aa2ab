"""FrameView: one decoded video frame with the boxes of its regions at that frame, zoomed like the image canvas
(fit, wheel about the cursor, drag to pan), and the selected working box moved or resized with handles.

Qt layer. A box at a frame is a rectangle: each is drawn by the canvas's RectangleItem (label colour, tag) from
a Region whose shape is the interpolated box. A drag is previewed here and, on release, reported once
(box_edited); the page turns it into a keyframe through the review, never this view.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPen, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsPixmapItem, QGraphicsScene, QGraphicsView

from viewer.core.editing.drags import (Handle, Point, box_handles, frame_rectangle, handle_at, moved,
                                       rectangle_frame, resize_frame)
from viewer.core.region_keys import RegionKey
from viewer.core.regions import Region
from viewer.core.shapes import Rectangle
from viewer.qt.canvas.items import RectangleItem, make_item
from viewer.qt.canvas.scene import FADED
from viewer.render import qtgeom
from viewer.render.content import Layer
from viewer.render.painter import RegionPainter

ZOOM_STEP, MIN_ZOOM, MAX_ZOOM = 1.25, 0.02, 64.0
HANDLE_SIZE = 8.0     # screen pixels
PICK = 7.0            # screen pixels from a handle that still grab it
HANDLE_PEN, HANDLE_FILL = QColor(30, 30, 30), QColor(255, 255, 255)
DRAG_THRESHOLD = 2.0  # screen pixels: a click that moves less is no move
DIMMED = 0.25         # the box's own item while its drag is previewed


class FrameView(QGraphicsView):
    region_chosen = Signal(object)        # the RegionKey of the box clicked, or None (a click beside every box)
    box_edited = Signal(object, object, str)   # (RegionKey, Rectangle in percent, "move" | "resize"): a drag
                                               # released that changed the box
    zoom_changed = Signal(float)

    def __init__(self, parent=None):
        self.frame_scene = QGraphicsScene()
        super().__init__(self.frame_scene, parent)
        self.frame_scene.setParent(self)
        self.size_px: tuple[int, int] = (1, 1)
        self.fitting = True
        self.editable: Callable[[RegionKey], bool] = lambda key: False
        self.items_by_key: dict[RegionKey, RectangleItem] = {}
        self.selected: RegionKey | None = None
        self.faded: frozenset[RegionKey] = frozenset()
        self.tags_shown = True
        self.pixmap_item = QGraphicsPixmapItem()
        self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.pixmap_item.setZValue(-1.0)
        self.frame_scene.addItem(self.pixmap_item)
        self._drag: tuple[str, RegionKey, Rectangle, Point, str] | None = None  # (move|resize, key, shape, press, side)
        self._preview: Rectangle | None = None
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(self.palette().dark())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # ------------------------------------------------------------------ what is shown

    def set_video_size(self, size: tuple[int, int]) -> None:
        self.size_px = size
        self.frame_scene.setSceneRect(QRectF(0, 0, *size))
        if self.fitting:
            self.fit()

    def set_image(self, image: QImage | None) -> None:
        pixmap = QPixmap.fromImage(image) if image is not None else QPixmap()
        self.pixmap_item.setPixmap(pixmap)
        if image is not None and (image.width(), image.height()) != self.size_px and not image.isNull():
            # the decoder's picture stretched over the frame the boxes are measured in
            self.pixmap_item.setScale(self.size_px[0] / image.width())
        else:
            self.pixmap_item.setScale(1.0)

    def set_boxes(self, boxes: list[tuple[Layer, Region]], painter: RegionPainter,
                  faded: frozenset[RegionKey] = frozenset()) -> None:
        """The boxes at the frame shown: (layer, region whose shape is the box) each, those in `faded` (rejected
        predictions) drawn faint as on the image canvas; the selection is kept."""
        self.faded = faded
        self._end_drag()
        for item in self.items_by_key.values():
            self.frame_scene.removeItem(item)
        self.items_by_key.clear()
        for layer, region in boxes:
            item = make_item(region, layer, painter, self.size_px)
            item.setZValue(1.0)
            item.setOpacity(self._opacity(item.key))
            if item.tag is not None:
                item.tag.setVisible(self.tags_shown)
            self.frame_scene.addItem(item)
            self.items_by_key[item.key] = item
        self._show_selection()

    def _opacity(self, key: RegionKey) -> float:
        return FADED if key in self.faded else 1.0

    def set_tags_shown(self, shown: bool) -> None:
        self.tags_shown = shown
        for item in self.items_by_key.values():
            if item.tag is not None:
                item.tag.setVisible(shown)

    def select(self, key: RegionKey | None) -> None:
        self.selected = key
        self._show_selection()

    def _show_selection(self) -> None:
        self.frame_scene.blockSignals(True)
        try:
            for key, item in self.items_by_key.items():
                item.setSelected(key == self.selected)
        finally:
            self.frame_scene.blockSignals(False)
        self.viewport().update()

    def handles(self) -> list[Handle]:
        """The handles of the selected box, when it is one the reviewer may edit."""
        item = self.items_by_key.get(self.selected) if self.selected is not None else None
        if item is None or not self.editable(item.key) or not item.isVisible():
            return []
        return box_handles(rectangle_frame(item.region.shape, self.size_px), 0.0)[:8]  # no rotate handle

    # ------------------------------------------------------------------ zoom

    def zoom(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        self.fitting = True
        self.fitInView(self.frame_scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom_changed.emit(self.zoom())

    def actual_size(self) -> None:
        self.fitting = False
        self.resetTransform()
        self.zoom_changed.emit(self.zoom())

    def zoom_by(self, factor: float) -> None:
        target = min(max(self.zoom() * factor, MIN_ZOOM), MAX_ZOOM)
        if target != self.zoom():
            self.fitting = False
            self.scale(target / self.zoom(), target / self.zoom())
            self.zoom_changed.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP ** steps)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitting:
            self.fit()

    # ------------------------------------------------------------------ picking and dragging

    def _pixels(self, screen: float) -> float:
        return screen / (self.zoom() or 1.0)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        at = self.mapToScene(event.position().toPoint())
        point = (at.x(), at.y())
        handle = handle_at(self.handles(), point, self._pixels(PICK))
        if handle is not None:
            item = self.items_by_key[self.selected]
            self._start_drag("resize", item, point, handle.name)
            event.accept()
            return
        item = self._box_at(at)
        if item is None:
            if self.selected is not None:
                self.region_chosen.emit(None)
            super().mousePressEvent(event)  # pans
            return
        if item.key != self.selected:
            self.region_chosen.emit(item.key)
        if self.editable(item.key):
            self._start_drag("move", item, point, "")
        event.accept()

    def _box_at(self, at: QPointF) -> RectangleItem | None:
        """The box under the pointer that is meant: the selected one, else one the reviewer may edit (the working
        copy over its accepted prediction), else the smallest (the one inside another)."""
        under = [item for item in self.items_by_key.values()
                 if item.isVisible() and item.shape().contains(item.mapFromScene(at))]
        if not under:
            return None
        return min(under, key=lambda item: (item.key != self.selected, not self.editable(item.key),
                                             abs(item.region.shape.width * item.region.shape.height)))

    def _start_drag(self, how: str, item: RectangleItem, point: Point, side: str) -> None:
        self._drag = (how, item.key, item.region.shape, point, side)
        self._preview = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return super().mouseMoveEvent(event)
        how, key, shape, press, side = self._drag
        at = self.mapToScene(event.position().toPoint())
        if self._preview is None and abs(at.x() - press[0]) * self.zoom() < DRAG_THRESHOLD \
                and abs(at.y() - press[1]) * self.zoom() < DRAG_THRESHOLD:
            return
        if how == "move":
            self._preview = moved(shape, self.size_px, at.x() - press[0], at.y() - press[1])
        else:
            frame = rectangle_frame(shape, self.size_px)
            self._preview = frame_rectangle(resize_frame(frame, side, (at.x(), at.y())), self.size_px)
        item = self.items_by_key.get(key)
        if item is not None:
            item.setOpacity(DIMMED)
        self.viewport().update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        how, key, shape = self._drag[:3]
        preview = self._preview
        self._end_drag()
        if preview is not None and preview != shape:
            self.box_edited.emit(key, preview, how)
        event.accept()

    def _end_drag(self) -> None:
        if self._drag is not None:
            item = self.items_by_key.get(self._drag[1])
            if item is not None:
                item.setOpacity(self._opacity(item.key))
        self._drag, self._preview = None, None
        self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._drag is not None:
            self._end_drag()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ handles and the preview

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        unit = self._pixels(1.0)
        if self._preview is not None:
            outline = qtgeom.outline(self._preview, *self.size_px)
            pen = QPen(QColor(255, 60, 60), 2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(outline)
            return
        pen = QPen(HANDLE_PEN, 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(HANDLE_FILL)
        half = HANDLE_SIZE / 2 * unit
        for handle in self.handles():
            x, y = handle.at
            painter.drawRect(QRectF(x - half, y - half, 2 * half, 2 * half))

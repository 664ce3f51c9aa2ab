"""EditOverlay: what the editing tools draw over the scene: handles, the live preview of a drag, a polygon
being drawn, the brush outline and the mask being painted.

Qt layer. Painted by CanvasView.drawForeground in scene (image pixel) coordinates; handles keep their screen size.
Nothing here is a scene item, so rebuilding the scene's items never takes the overlay with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen

from viewer.core.editing.drags import Handle, Point
from viewer.core.regions import Region
from viewer.render import qtgeom
from viewer.render.painter import RegionPainter, device_scale

HANDLE_SIZE = 8.0       # screen pixels
MARGIN = 40.0           # screen pixels around what changed: strokes, handles and keypoint dots fit in it
HANDLE_PEN = QColor(30, 30, 30)
HANDLE_FILL = QColor(255, 255, 255)
ACTIVE_FILL = QColor(255, 60, 60)
DRAFT_COLOR = QColor(255, 60, 60)


@dataclass
class MaskPreview:
    """A mask being painted: the image (label colour, alpha x 0.6) and where it goes in image pixels."""

    image: QImage
    target: QRectF


class EditOverlay:
    def __init__(self, view, painter: Callable[[], RegionPainter | None], size: Callable[[], tuple[int, int]],
                 fit_scale: Callable[[], float]):
        self.view = view
        self._painter = painter
        self._size = size
        self._fit_scale = fit_scale
        self.handles: list[Handle] = []
        self.active_vertex: int | None = None
        self.preview: Region | None = None
        self.draft: list[Point] = []          # a polygon being drawn, the pointer last
        self.brush: tuple[Point, float] | None = None   # brush centre and radius in image pixels
        self.mask: MaskPreview | None = None
        self._shown: QRectF | None = None     # the extent last drawn; None: nothing was

    # ------------------------------------------------------------------ what is shown

    def show(self, *, handles: Sequence[Handle] | None = None, active_vertex: int | None = -1,
             preview: Region | None | bool = False, draft: Sequence[Point] | None = None,
             brush: tuple[Point, float] | None | bool = False, mask: MaskPreview | None | bool = False,
             dirty: QRectF | None = None) -> None:
        """Change some parts (the others stay) and repaint where the overlay was, where it is now, and `dirty`
        (image pixels: the part of a mask that changed, which is not counted in the overlay's extent)."""
        if handles is not None:
            self.handles = list(handles)
        if active_vertex != -1:
            self.active_vertex = active_vertex
        if preview is not False:
            self.preview = preview
        if draft is not None:
            self.draft = list(draft)
        if brush is not False:
            self.brush = brush
        if mask is not False:
            self.mask = mask
        self.repaint(dirty)

    def clear(self) -> None:
        dirty = self.mask.target if self.mask is not None else None
        self.show(handles=[], active_vertex=None, preview=None, draft=[], brush=None, mask=None, dirty=dirty)

    def repaint(self, dirty: QRectF | None = None) -> None:
        """Repaint the overlay's old and new extent (plus `dirty`, image pixels) in the view."""
        now = self.bounds()
        area = extent([rect for rect in (self._shown, now, dirty) if rect is not None])
        self._shown = now
        if area is None:
            return
        margin = round(MARGIN)
        box = self.view.mapFromScene(area).boundingRect().adjusted(-margin, -margin, margin, margin)
        self.view.viewport().update(box)

    def bounds(self) -> QRectF | None:
        """What the overlay draws but a mask, in image pixels (screen-sized parts fit in the repaint margin);
        None when it draws nothing."""
        points = [QPointF(*h.at) for h in self.handles] + [QPointF(*p) for p in self.draft]
        rects = [QRectF(point, point) for point in points]
        if self.brush is not None:
            (x, y), radius = self.brush
            rects.append(QRectF(x - radius, y - radius, 2 * radius, 2 * radius))
        painter = self._painter()
        if self.preview is not None and painter is not None:
            rects.append(painter.bounds(self.preview, self._size()))
        return extent(rects)

    # ------------------------------------------------------------------ painting

    def paint(self, p: QPainter, rect: QRectF) -> None:
        painter = self._painter()
        if self.mask is not None:
            p.drawImage(self.mask.target, self.mask.image)
        if self.preview is not None and painter is not None:
            painter.paint(p, self.preview, self._size(), selected=True, keypoint_scale=self._fit_scale())
        if self.draft:
            self._paint_draft(p)
        if self.brush is not None:
            (x, y), radius = self.brush
            pen = QPen(QColor(255, 255, 255), 1.5)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(x, y), radius, radius)
            pen.setColor(QColor(0, 0, 0))
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawEllipse(QPointF(x, y), radius, radius)
        if self.handles:
            self._paint_handles(p)

    def _paint_draft(self, p: QPainter) -> None:
        pen = QPen(DRAFT_COLOR, 2.0)
        pen.setCosmetic(True)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolyline(qtgeom.polygon(self.draft))
        half = HANDLE_SIZE / device_scale(p)
        p.setBrush(QBrush(HANDLE_FILL))
        # the first point is where a click closes the polygon: drawn larger
        p.drawEllipse(qtgeom.point(self.draft[0]), half, half)

    def _paint_handles(self, p: QPainter) -> None:
        unit = 1.0 / device_scale(p)
        half = HANDLE_SIZE / 2 * unit
        pen = QPen(HANDLE_PEN, 1.0)
        pen.setCosmetic(True)
        p.setPen(pen)
        rotate = next((h for h in self.handles if h.name == "rotate"), None)
        if rotate is not None:
            top = next(h for h in self.handles if h.name == "top")
            p.drawLine(qtgeom.point(top.at), qtgeom.point(rotate.at))
        for handle in self.handles:
            centre = qtgeom.point(handle.at)
            active = handle.name == "vertex" and handle.index == self.active_vertex
            p.setBrush(QBrush(ACTIVE_FILL if active else HANDLE_FILL))
            if handle.name in ("rotate", "vertex"):
                p.drawEllipse(centre, half, half)
            else:
                p.drawRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half))


def extent(rects: Sequence[QRectF]) -> QRectF | None:
    """The box around every rect, points (rects of no size) included, None around none. QRectF.united skips a
    null rect, so the handles' corners united to one point and undo left their edges on the canvas."""
    if not rects:
        return None
    left, top = min(r.left() for r in rects), min(r.top() for r in rects)
    right, bottom = max(r.right() for r in rects), max(r.bottom() for r in rects)
    return QRectF(left, top, right - left, bottom - top)

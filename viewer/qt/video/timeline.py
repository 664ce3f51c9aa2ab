"""Timeline: the video's frames along x, one row per region with its lifespans as bars and its keyframes as ticks
in the label's colour (both cut at the video's last frame, keyframes past it shown by one arrow), and a playhead; a click or drag seeks, a click on a row chooses its region.

Qt layer. Shows TimelineRow values the video page makes; it never reads the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from viewer.core.region_keys import RegionKey
from viewer.qt.canvas.scene import FADED

NAME_WIDTH = 150    # the column of row names left of the frames
MARGIN = 10         # right of the last frame, so its tick and the playhead stay whole
RULER_HEIGHT = 22
ROW_HEIGHT = 18
TICK_HALF = 4.5     # half the width of a keyframe's diamond
PLAYHEAD = QColor(230, 40, 40)


@dataclass(frozen=True)
class TimelineRow:
    """One region on the timeline: its lifespans (first, last frame, both drawn) and keyframes (frame, enabled)."""

    key: RegionKey
    title: str
    color: QColor
    spans: tuple[tuple[int, int], ...]
    keyframes: tuple[tuple[int, bool], ...]
    faded: bool = False   # a rejected prediction: drawn faint, as on the frame


class Timeline(QWidget):
    seeked = Signal(int)             # the frame the user clicked or dragged the playhead to
    region_chosen = Signal(object)   # the RegionKey of the row the user clicked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.frames_count = 1
        self.frame = 1
        self.rows: list[TimelineRow] = []
        self.selected: RegionKey | None = None
        self._dragging = False
        self._drawn: QPixmap | None = None   # the rows as last drawn, without the playhead
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(False)
        self.setToolTip("Click or drag to seek; click a row to select its region")

    # ------------------------------------------------------------------ what is shown

    def set_rows(self, rows: list[TimelineRow], frames_count: int) -> None:
        self.rows = list(rows)
        self.frames_count = max(1, frames_count)
        self._drawn = None
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def set_frame(self, frame: int) -> None:
        if frame != self.frame:
            self.frame = frame
            self.update()

    def select(self, key: RegionKey | None) -> None:
        if key != self.selected:
            self.selected = key
            self._drawn = None
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, RULER_HEIGHT + ROW_HEIGHT * max(1, len(self.rows)) + 2)

    # ------------------------------------------------------------------ geometry

    def x_of(self, frame: float) -> float:
        """Where frame `frame` (1-based) is: the first at the left of the frame area, the last at its right."""
        left, right = NAME_WIDTH, max(NAME_WIDTH + 1, self.width() - MARGIN)
        if self.frames_count <= 1:
            return float(left)
        return left + (frame - 1) * (right - left) / (self.frames_count - 1)

    def frame_at(self, x: float) -> int:
        """The frame nearest x, within the video."""
        left, right = NAME_WIDTH, max(NAME_WIDTH + 1, self.width() - MARGIN)
        if self.frames_count <= 1:
            return 1
        frame = round(1 + (x - left) * (self.frames_count - 1) / (right - left))
        return min(max(frame, 1), self.frames_count)

    def row_top(self, index: int) -> float:
        return RULER_HEIGHT + index * ROW_HEIGHT

    def row_at(self, y: float) -> TimelineRow | None:
        if y < RULER_HEIGHT:
            return None
        index = int((y - RULER_HEIGHT) // ROW_HEIGHT)
        return self.rows[index] if 0 <= index < len(self.rows) else None

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        # The rows are drawn once into a pixmap and only the playhead over it at each frame: playing repaints the
        # timeline 30 times a second, and the rows of 20 tracks take about 7 ms to draw.
        ratio = self.devicePixelRatioF()
        if self._drawn is None or self._drawn.size() != self.size() * ratio:
            self._drawn = QPixmap(self.size() * ratio)
            self._drawn.setDevicePixelRatio(ratio)
            painter = QPainter(self._drawn)
            try:
                self._paint_rows(painter)
            finally:
                painter.end()
        p = QPainter(self)
        try:
            p.drawPixmap(0, 0, self._drawn)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            x = self.x_of(self.frame)
            p.setPen(QPen(PLAYHEAD, 2))
            p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
            p.setBrush(PLAYHEAD)
            p.drawPolygon(QPolygonF([QPointF(x - 5, 0), QPointF(x + 5, 0), QPointF(x, 7)]))
        finally:
            p.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._drawn = None  # drawn in the old colours or font
        super().changeEvent(event)

    def _paint_rows(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        p.fillRect(self.rect(), palette.base())
        font = QFont(self.font())
        font.setPixelSize(11)
        p.setFont(font)
        self._paint_ruler(p)
        for index, row in enumerate(self.rows):
            self._paint_row(p, index, row)
        if not self.rows:
            p.setPen(palette.placeholderText().color())
            p.drawText(QRectF(NAME_WIDTH, RULER_HEIGHT, self.width() - NAME_WIDTH, ROW_HEIGHT),
                       Qt.AlignmentFlag.AlignVCenter, "No regions on this video")

    def _paint_ruler(self, p: QPainter) -> None:
        text = self.palette().text().color()
        p.setPen(QPen(self.palette().mid().color(), 1))
        p.drawLine(QPointF(0, RULER_HEIGHT - 0.5), QPointF(self.width(), RULER_HEIGHT - 0.5))
        step = self._label_step()
        p.setPen(text)
        frame = 1
        while frame <= self.frames_count:
            x = self.x_of(frame)
            p.drawLine(QPointF(x, RULER_HEIGHT - 6), QPointF(x, RULER_HEIGHT - 1))
            p.drawText(QPointF(x + 2, RULER_HEIGHT - 8), str(frame))
            frame = step + 1 if frame == 1 else frame + step

    def _label_step(self) -> int:
        """Frames between ruler labels: a round number that leaves about 60 pixels between them."""
        per_frame = (self.x_of(self.frames_count) - self.x_of(1)) / max(1, self.frames_count - 1)
        for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
            if step * per_frame >= 60:
                return step
        return 25000

    def _paint_row(self, p: QPainter, index: int, row: TimelineRow) -> None:
        top = self.row_top(index)
        band = QRectF(0, top, self.width(), ROW_HEIGHT)
        if row.key == self.selected:
            p.fillRect(band, self.palette().highlight().color().lighter(170))
        elif index % 2:
            p.fillRect(band, self.palette().alternateBase())
        p.setPen(self.palette().text().color())
        name = p.fontMetrics().elidedText(row.title, Qt.TextElideMode.ElideRight, NAME_WIDTH - 8)
        p.drawText(QRectF(4, top, NAME_WIDTH - 8, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, name)
        fill = QColor(row.color)
        fill.setAlpha(110)
        middle = top + ROW_HEIGHT / 2
        p.save()
        if row.faded:
            p.setOpacity(FADED)
        last = self.frames_count
        for start, end in row.spans:
            # a lifespan held to a keyframe past the video's end stops at its last frame: nothing plays after it
            start, end = max(start, 1), min(end, last)
            if start > end:
                continue
            left, right = self.x_of(start), self.x_of(end)
            p.setPen(QPen(row.color, 1))
            p.setBrush(fill)
            p.drawRect(QRectF(left, top + 4, max(right - left, 2.0), ROW_HEIGHT - 8))
        if any(frame > last for frame, _ in row.keyframes):
            # keyframes past the end are never on screen: one hollow arrow at the last frame says they exist
            x = self.x_of(last)
            arrow = QPolygonF([QPointF(x + 1, middle - TICK_HALF), QPointF(x + 1 + TICK_HALF, middle),
                               QPointF(x + 1, middle + TICK_HALF)])
            p.setPen(QPen(row.color.darker(160), 1))
            p.setBrush(self.palette().base().color())
            p.drawPolygon(arrow)
        for frame, enabled in row.keyframes:
            if not 1 <= frame <= last:
                continue
            x = self.x_of(frame)
            diamond = QPolygonF([QPointF(x, middle - TICK_HALF), QPointF(x + TICK_HALF, middle),
                                 QPointF(x, middle + TICK_HALF), QPointF(x - TICK_HALF, middle)])
            p.setPen(QPen(row.color.darker(160), 1))
            # a disabled keyframe ends the lifespan after it: drawn hollow
            p.setBrush(row.color if enabled else self.palette().base().color())
            p.drawPolygon(diamond)
        p.restore()

    # ------------------------------------------------------------------ the mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        position = event.position()
        row = self.row_at(position.y())
        if row is not None:
            self.region_chosen.emit(row.key)
        if position.x() >= NAME_WIDTH:
            self._dragging = True
            self.seeked.emit(self.frame_at(position.x()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self.seeked.emit(self.frame_at(event.position().x()))
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging and event.button() == Qt.MouseButton.LeftButton:
            self._dragging = False
            event.accept()
        else:
            super().mouseReleaseEvent(event)

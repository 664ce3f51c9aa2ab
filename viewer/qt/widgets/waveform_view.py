"""WaveformView: an <Audio> object's waveform with its segments, zoomed and panned along time, and the edges of
the working annotation's segments dragged to move them.

Qt layer. Painting is render.waveform's (the same painter as `lsview render`); the view keeps the time window
shown, the selection and the drag. A drag previews the moved band and, when released, says segment_moved once
(nothing is changed here: the page turns it into one review command).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QVBoxLayout, QWidget

from viewer.core.audio.content import AudioContent
from viewer.core.region_keys import LayerKey, RegionKey
from viewer.core.regions import Region
from viewer.render.waveform import WaveformFrame, WaveformPainter

EDGE_GRAB = 5.0          # px either side of a band's edge that grab it
ZOOM_STEP = 1.25         # per wheel notch
MIN_SPAN = 0.01          # seconds shown at the deepest zoom
SCROLL_UNITS = 10_000    # the scroll bar's range: its page is the share of the file shown
PLAYHEAD_COLOR = QColor(20, 20, 20)


class WaveformCanvas(QWidget):
    """The painted waveform (the pane below adds the scroll bar)."""

    region_clicked = Signal(object)        # RegionKey, or None for a click on no segment
    region_double_clicked = Signal(object)  # RegionKey of a segment double-clicked (to play it)
    segment_moved = Signal(object, float, float)  # (RegionKey, start, end): an edge drag released
    window_changed = Signal()              # the time window shown changed (zoom or pan)

    def __init__(self, painter: WaveformPainter, parent: QWidget | None = None):
        super().__init__(parent)
        self.painter = painter
        self.content: AudioContent | None = None
        self.peaks = None
        self.note: str | None = None
        self.duration = 1.0
        self.start, self.end = 0.0, 1.0
        self.selected: RegionKey | None = None
        self.tags = True
        self.playhead: float | None = None     # seconds, while a stretch plays
        self.shown: Callable[[LayerKey, Region], bool] = lambda key, region: True
        self.editable: Callable[[RegionKey], bool] = lambda key: False
        self._drag: tuple[RegionKey, Region, str] | None = None   # (key, region, "start" | "end")
        self._preview: tuple[float, float] | None = None
        self._pan: tuple[float, float] | None = None              # (x pressed, window start then)
        self.setMouseTracking(True)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # ------------------------------------------------------------------ what is shown

    def set_content(self, content: AudioContent | None, duration: float, *, keep_window: bool = False) -> None:
        self.content = content
        self.duration = max(duration, MIN_SPAN)
        if not keep_window:
            self.start, self.end = 0.0, self.duration
        else:
            self._clamp()
        self._drag = self._preview = None
        self.update()
        self.window_changed.emit()

    def set_peaks(self, peaks, note: str | None, duration: float) -> None:
        self.peaks, self.note = peaks, note
        if abs(duration - self.duration) > 1e-9:
            whole = self.start <= 0 and self.end >= self.duration
            self.duration = max(duration, MIN_SPAN)
            if whole:
                self.start, self.end = 0.0, self.duration
            self._clamp()
            self.window_changed.emit()
        self.update()

    def rows(self) -> int:
        if self.content is None:
            return 1
        if self.peaks is not None:
            return self.peaks.channels if self.content.rows > 1 else 1
        return self.content.rows

    def frame(self) -> WaveformFrame:
        return WaveformFrame(float(self.width()), float(self.height()), self.rows(), self.start, self.end)

    def entries(self) -> list[tuple[RegionKey, Region]]:
        """The segments drawn, in drawing order (the last is on top), the dragged one as the preview shows it."""
        if self.content is None:
            return []
        found = []
        for layer in self.content.layers:
            for region in layer.regions:
                if self.shown(layer.key, region):
                    key = (layer.key, region.id)
                    if self._drag is not None and self._preview is not None and key == self._drag[0]:
                        region = replace(region, shape=replace(region.shape, start=self._preview[0],
                                                               end=self._preview[1]))
                    found.append((key, region))
        return found

    def band_of(self, key: RegionKey) -> QRectF | None:
        for found, region in self.entries():
            if found == key:
                return self.frame().band(self.content, region)
        return None

    # ------------------------------------------------------------------ zoom and pan

    def zoom_by(self, factor: float, at_x: float | None = None) -> None:
        """Show `factor` times more detail around the time under `at_x` (the middle when None)."""
        frame = self.frame()
        anchor = frame.seconds_at(self.width() / 2 if at_x is None else at_x)
        span = min(max((self.end - self.start) / factor, MIN_SPAN), self.duration)
        share = (anchor - self.start) / max(self.end - self.start, 1e-12)
        self.start = anchor - share * span
        self.end = self.start + span
        self._clamp()
        self.update()
        self.window_changed.emit()

    def fit(self) -> None:
        self.start, self.end = 0.0, self.duration
        self.update()
        self.window_changed.emit()

    def show_window(self, start: float) -> None:
        span = self.end - self.start
        self.start, self.end = start, start + span
        self._clamp()
        self.update()
        self.window_changed.emit()

    def reveal(self, key: RegionKey) -> None:
        """Pan (and zoom out if need be) so the segment is in view."""
        for found, region in self.entries():
            if found == key:
                low, high = sorted((region.shape.start, region.shape.end))
                if low >= self.start and high <= self.end:
                    return
                span = max(self.end - self.start, min(high - low, self.duration) * 1.2)
                middle = (low + high) / 2
                self.start, self.end = middle - span / 2, middle + span / 2
                self._clamp()
                self.update()
                self.window_changed.emit()
                return

    def _clamp(self) -> None:
        span = min(max(self.end - self.start, MIN_SPAN), self.duration)
        self.start = min(max(self.start, 0.0), self.duration - span)
        self.end = self.start + span

    # ------------------------------------------------------------------ Qt

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        try:
            if self.content is None:
                p.fillRect(self.rect(), Qt.GlobalColor.white)
                return
            entries = self.entries()
            chosen = {id(region) for key, region in entries if key == self.selected}
            frame = self.frame()
            self.painter.paint(p, frame, self.content, self.peaks, regions=[r for _, r in entries],
                               selected=lambda region: id(region) in chosen, tags=self.tags, note=self.note)
            if self.playhead is not None:
                x = frame.x_of(self.playhead)
                p.setPen(QPen(PLAYHEAD_COLOR, 2.0))
                p.drawLine(QPointF(x, 0.0), QPointF(x, frame.rows_height))
        finally:
            p.end()

    def _edge_at(self, x: float) -> tuple[RegionKey, Region, str] | None:
        """The selected working segment's edge under x, if any."""
        if self.selected is None or not self.editable(self.selected):
            return None
        for key, region in self.entries():
            if key == self.selected:
                frame = self.frame()
                for edge in ("start", "end"):
                    if abs(frame.x_of(getattr(region.shape, edge)) - x) <= EDGE_GRAB:
                        return key, region, edge
        return None

    def segment_at(self, point: QPointF) -> RegionKey | None:
        """The topmost segment under a point (the one drawn last)."""
        frame = self.frame()
        for key, region in reversed(self.entries()):
            band = frame.band(self.content, region)
            if band.adjusted(-1, 0, 1, 0).contains(point):
                return key
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.content is None:
            return super().mousePressEvent(event)
        x = event.position().x()
        edge = self._edge_at(x)
        if edge is not None:
            self._drag = edge
            self._preview = (edge[1].shape.start, edge[1].shape.end)
            return
        key = self.segment_at(event.position())
        self.region_clicked.emit(key)
        self._pan = (x, self.start)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._drag is not None:
            key, region, edge = self._drag
            seconds = min(max(self.frame().seconds_at(x), 0.0), self.duration)
            start, end = region.shape.start, region.shape.end
            self._preview = (seconds, end) if edge == "start" else (start, seconds)
            self.update()
            return
        if self._pan is not None and event.buttons() & Qt.MouseButton.LeftButton:
            pressed, was = self._pan
            self.show_window(was - (x - pressed) / max(self.width(), 1) * (self.end - self.start))
            return
        shape = Qt.CursorShape.SizeHorCursor if self._edge_at(x) is not None else Qt.CursorShape.ArrowCursor
        self.setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._pan = None
        if self._drag is None:
            return super().mouseReleaseEvent(event)
        key, region, _ = self._drag
        preview, self._drag, self._preview = self._preview, None, None
        self.update()
        if preview is not None and preview != (region.shape.start, region.shape.end):
            # as the editor's updatePosition does: a start dragged past the end swaps them
            start, end = sorted(preview)
            self.segment_moved.emit(key, start, end)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        key = self.segment_at(event.position()) if self.content is not None else None
        if key is not None:
            self.region_double_clicked.emit(key)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120 or event.angleDelta().x() / 120
        if not steps or self.content is None:
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.show_window(self.start - steps * 0.1 * (self.end - self.start))
        else:
            self.zoom_by(ZOOM_STEP ** steps, event.position().x())
        event.accept()


class WaveformView(QWidget):
    """The waveform canvas over a scroll bar that pans along time (its page is the share of the file shown)."""

    def __init__(self, painter: WaveformPainter, parent: QWidget | None = None):
        super().__init__(parent)
        self.canvas = WaveformCanvas(painter, self)
        self.scroll = QScrollBar(Qt.Orientation.Horizontal, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.scroll)
        self.canvas.window_changed.connect(self._on_canvas_window_changed)
        self.scroll.valueChanged.connect(self._on_scroll_value_changed)
        self._syncing = False

    def _on_canvas_window_changed(self) -> None:
        canvas = self.canvas
        share = (canvas.end - canvas.start) / canvas.duration
        self._syncing = True
        try:
            page = max(1, round(share * SCROLL_UNITS))
            self.scroll.setRange(0, SCROLL_UNITS - page)
            self.scroll.setPageStep(page)
            self.scroll.setValue(round(canvas.start / canvas.duration * SCROLL_UNITS))
        finally:
            self._syncing = False

    def _on_scroll_value_changed(self, value: int) -> None:
        if not self._syncing:
            self.canvas.show_window(value / SCROLL_UNITS * self.canvas.duration)

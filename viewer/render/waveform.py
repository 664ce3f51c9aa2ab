"""The waveform of an <Audio> object with its segments: one row per channel shown, each segment a translucent band
in its label colour with edge handles and a tag, and a time axis. The one painter of `lsview render` and the
window's waveform view.

Render layer. Geometry (time <-> x, rows) is WaveformFrame's, so tests and mouse handling use the same numbers
the painting does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF

from viewer.core.audio.content import AudioContent
from viewer.core.regions import Region
from viewer.render.content import tag_text
from viewer.render.painter import TAG_PIXEL_SIZE, draw_tag, tag_box
from viewer.render.style import RegionStyle, StyleBook

AXIS_HEIGHT = 22.0
BACKGROUND = QColor(255, 255, 255)
ROW_BACKGROUND = QColor(246, 247, 250)
WAVE_COLOR = QColor(122, 133, 153)
AXIS_COLOR = QColor(90, 90, 90)
NOTE_COLOR = QColor(150, 40, 40)
BAND_ALPHA = 64          # fill of a band (of 255): the waveform stays readable under it
EDGE_ALPHA = 153         # the 2 px edge handles, as the editor's 0.6
EDGE_WIDTH = 2.0
SELECTED_DARKEN = 160    # QColor.darker percentage for the selected band's edges (the editor darkens by 0.4)
TICK_STEPS = (1, 2, 5)
MIN_TICK_SPACING = 90.0  # pixels between labelled ticks at least


@dataclass(frozen=True)
class WaveformFrame:
    """Where things go in a waveform picture of `width` x `height`: `rows` rows over a time axis, showing seconds
    `start` to `end`."""

    width: float
    height: float
    rows: int
    start: float
    end: float
    left: float = 0.0
    top: float = 0.0

    @property
    def span(self) -> float:
        return max(self.end - self.start, 1e-9)

    @property
    def rows_height(self) -> float:
        return max(self.height - AXIS_HEIGHT, 1.0)

    def row_rect(self, row: int | None) -> QRectF:
        """A row's rectangle; None: every row (a segment drawn across the whole waveform)."""
        if row is None:
            return QRectF(self.left, self.top, self.width, self.rows_height)
        each = self.rows_height / max(self.rows, 1)
        return QRectF(self.left, self.top + row * each, self.width, each)

    def x_of(self, seconds: float) -> float:
        return self.left + (seconds - self.start) / self.span * self.width

    def seconds_at(self, x: float) -> float:
        return self.start + (x - self.left) / self.width * self.span

    def band(self, content: AudioContent, region: Region) -> QRectF:
        """A segment's band: its times across its row (a reversed segment spans the time between its ends)."""
        low, high = sorted((region.shape.start, region.shape.end))
        rect = self.row_rect(content.row_of(region))
        x0, x1 = self.x_of(low), self.x_of(high)
        return QRectF(x0, rect.top(), max(x1 - x0, 0.0), rect.height())


def nice_step(span: float, width: float) -> float:
    """A tick interval of 1, 2 or 5 times a power of ten seconds that leaves MIN_TICK_SPACING px between ticks."""
    wanted = span * MIN_TICK_SPACING / max(width, 1.0)
    power = 10.0 ** math.floor(math.log10(max(wanted, 1e-6)))
    for step in TICK_STEPS:
        if step * power >= wanted:
            return step * power
    return 10 * power


def time_text(seconds: float, step: float) -> str:
    """m:ss (h:mm:ss past an hour), with as many decimals as the tick interval needs."""
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    minutes, rest = divmod(seconds, 60.0)
    hours, minutes = divmod(int(minutes), 60)
    text = f"{rest:0{3 + decimals if decimals else 2}.{decimals}f}"
    return sign + (f"{hours}:{minutes:02d}:{text}" if hours else f"{minutes}:{text}")


class WaveformPainter:
    """Paints waveforms in the colours of one config's labels."""

    def __init__(self, styles: StyleBook):
        self.styles = styles

    def style(self, region: Region) -> RegionStyle:
        return self.styles.style(region)

    def paint(self, p: QPainter, frame: WaveformFrame, content: AudioContent, peaks, *,
              regions: Sequence[Region] | None = None, selected: Callable[[Region], bool] = lambda r: False,
              tags: bool = True, transcriptions: bool = True, note: str | None = None) -> None:
        """The rows, the waveform from `peaks` (core.audio.peaks.Peaks, or None: not read), the segments of
        `regions` (default: every layer's), their tags, the time axis and `note` (why there is no waveform)."""
        p.save()
        p.setClipRect(QRectF(frame.left, frame.top, frame.width, frame.height))
        p.fillRect(QRectF(frame.left, frame.top, frame.width, frame.height), BACKGROUND)
        for row in range(frame.rows):
            p.fillRect(frame.row_rect(row).adjusted(0, 1, 0, -1), ROW_BACKGROUND)
        if peaks is not None:
            self._wave(p, frame, peaks)
        if regions is None:
            regions = [region for _, region in content.regions()]
        bands = [(region, frame.band(content, region)) for region in regions]
        for region, band in bands:
            self._band(p, band, self.style(region), selected(region))
        if tags:
            self._tags(p, frame, bands, transcriptions)
        if frame.rows > 1:
            self._row_names(p, frame)
        self._axis(p, frame)
        if note:
            p.setPen(NOTE_COLOR)
            p.setFont(_font(12))
            p.drawText(frame.row_rect(None).adjusted(8, 4, -8, -4),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, note)
        p.restore()

    def _wave(self, p: QPainter, frame: WaveformFrame, peaks) -> None:
        columns = max(int(math.ceil(frame.width)), 1)
        low, high = peaks.columns(frame.start, frame.end, columns)
        if frame.rows == 1 and low.shape[0] > 1:
            # one row for every channel (no splitchannels): the envelope of them all
            # (fmin/fmax skip NaN, the columns past the end, without nanmin's warning for a column all NaN)
            low, high = np.fmin.reduce(low, axis=0, keepdims=True), np.fmax.reduce(high, axis=0, keepdims=True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(WAVE_COLOR)
        xs = frame.left + np.arange(columns, dtype=np.float64) * (frame.width / columns)
        for row in range(min(frame.rows, low.shape[0])):
            rect = frame.row_rect(row)
            middle, half = rect.center().y(), rect.height() / 2 - 2
            top = middle - high[row] * half
            bottom = middle - low[row] * half
            # at least a pixel tall, so silence still shows as a line
            bottom = np.maximum(bottom, top + 1.0)
            for first, last in _runs(~np.isnan(top)):
                outline = [QPointF(x, y) for x, y in zip(xs[first:last], top[first:last])]
                outline += [QPointF(x + 1.0, y) for x, y in zip(xs[first:last][::-1], bottom[first:last][::-1])]
                p.drawPolygon(QPolygonF(outline))

    @staticmethod
    def _band(p: QPainter, band: QRectF, style: RegionStyle, chosen: bool) -> None:
        r, g, b, _ = style.stroke
        colour = QColor(r, g, b)
        p.fillRect(band, QColor(r, g, b, BAND_ALPHA))
        edge = colour.darker(SELECTED_DARKEN) if chosen else QColor(r, g, b, EDGE_ALPHA)
        width = min(EDGE_WIDTH, max(band.width() / 2, 1.0))
        p.fillRect(QRectF(band.left(), band.top(), width, band.height()), edge)
        p.fillRect(QRectF(band.right() - width, band.top(), width, band.height()), edge)
        if chosen:
            p.setPen(QPen(colour.darker(SELECTED_DARKEN), 1.0, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(band.adjusted(0.5, 0.5, -0.5, -0.5))

    def _tags(self, p: QPainter, frame: WaveformFrame, bands, transcriptions: bool) -> None:
        """A tag at the top left inside each band, moved down a line while it would cover an earlier tag."""
        placed: list[QRectF] = []
        for region, band in sorted(bands, key=lambda item: item[1].left()):
            text = tag_text(region, transcriptions)
            if not text or band.right() < frame.left or band.left() > frame.left + frame.width:
                continue
            box = tag_box(text, TAG_PIXEL_SIZE)
            anchor = QPointF(max(band.left(), frame.left) + EDGE_WIDTH + 1, band.top() + 1 + box.height())
            spot = box.translated(anchor)
            while any(spot.intersects(other) for other in placed) and spot.bottom() + box.height() <= band.bottom():
                spot.translate(0, box.height())
            placed.append(spot)
            draw_tag(p, spot.bottomLeft(), text, self.style(region))

    @staticmethod
    def _row_names(p: QPainter, frame: WaveformFrame) -> None:
        p.setPen(AXIS_COLOR)
        p.setFont(_font(10))
        for row in range(frame.rows):
            rect = frame.row_rect(row)
            p.drawText(QRectF(rect.left() + 4, rect.bottom() - 16, 56, 14), Qt.AlignmentFlag.AlignLeft,
                       f"ch {row}")

    @staticmethod
    def _axis(p: QPainter, frame: WaveformFrame) -> None:
        top = frame.top + frame.rows_height
        p.setPen(QPen(AXIS_COLOR, 1.0))
        p.drawLine(QPointF(frame.left, top + 0.5), QPointF(frame.left + frame.width, top + 0.5))
        step = nice_step(frame.span, frame.width)
        p.setFont(_font(10))
        tick = math.ceil(frame.start / step) * step
        while tick <= frame.end + 1e-9:
            x = frame.x_of(tick)
            p.drawLine(QPointF(x, top), QPointF(x, top + 5))
            p.drawText(QRectF(x + 2, top + 3, 80, AXIS_HEIGHT - 4), Qt.AlignmentFlag.AlignLeft, time_text(tick, step))
            tick += step


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[first, last) of each run of True."""
    padded = np.concatenate(([False], mask, [False]))
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(changes[::2].tolist(), changes[1::2].tolist()))


def _font(pixel_size: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixel_size)
    return font

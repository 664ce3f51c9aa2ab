"""The time-series plot painted with QPainter: channel lines, the time and value axes, ranges as translucent bands in
their label colours with tags, instants as lines.

Render layer. `lsview render` and the window's plot view paint through PlotPainter, so both show the same picture.
Opacities are the editor's (TimeSeriesVisualizer.jsx): a range fills at 0.3 and strokes at 0.5 (0.6 and 0.8 when
selected); an instant is a 3 px line at 0.6 (1 when selected).
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from viewer.core.config import LabelConfig
from viewer.core.regions import Region
from viewer.core.timeseries.data import SeriesData
from viewer.core.timeseries.plot import PlotLayout, PlotRegion, trace
from viewer.core.timeseries.spec import SeriesSpec
from viewer.core.timeseries.timeformat import TimeFormat
from viewer.render.content import tag_text
from viewer.render.painter import TAG_PIXEL_SIZE, draw_tag, tag_box
from viewer.render.style import StyleBook

BACKGROUND = QColor(255, 255, 255)
AXIS = QColor(102, 102, 102)
GRID = QColor(0, 0, 0, 20)
FILL, STROKE, FILL_SELECTED, STROKE_SELECTED = 0.3, 0.5, 0.6, 0.8
INSTANT, INSTANT_SELECTED, INSTANT_WIDTH = 0.6, 1.0, 3.0
DATE_TICKS = "%Y-%m-%d %H:%M:%S"   # the ticks of a date axis without a timeDisplayFormat, at their longest
TICK_SPACING = 80                    # px per time tick at most, as the editor's axisBottom(x).ticks(width / 80)
LABEL_GAP = 8                        # px at least between two time labels, so they read as two


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About `count` round values (1, 2 or 5 times a power of ten) between low and high."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low or count < 1:
        return []
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


# Steps of a date axis in milliseconds: seconds, minutes, hours and days a reader counts in.
_SECOND, _MINUTE, _HOUR, _DAY = 1000, 60_000, 3_600_000, 86_400_000
DATE_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, _SECOND, 2 * _SECOND, 5 * _SECOND, 10 * _SECOND, 15 * _SECOND,
              30 * _SECOND, _MINUTE, 2 * _MINUTE, 5 * _MINUTE, 10 * _MINUTE, 15 * _MINUTE, 30 * _MINUTE, _HOUR,
              3 * _HOUR, 6 * _HOUR, 12 * _HOUR, _DAY, 2 * _DAY, 7 * _DAY, 14 * _DAY, 30 * _DAY, 91 * _DAY,
              182 * _DAY, 365 * _DAY)


def date_ticks(low: float, high: float, count: int) -> list[float]:
    """About `count` times between low and high (ms) on whole seconds, minutes, hours or days (UTC)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low or count < 1:
        return []
    raw = (high - low) / count
    step = next((s for s in DATE_STEPS if s >= raw), None)
    if step is None:
        return nice_ticks(low, high, count)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def date_format(t0: float, t1: float, step: float) -> str:
    """The shortest format telling apart ticks `step` ms apart on t0..t1 (ms): the time alone when the span is
    within one UTC day, the date alone when the ticks are whole days, both otherwise; seconds and milliseconds
    only when the step needs them."""
    if step >= _DAY:
        return "%Y-%m-%d"
    clock = "%H:%M:%S.%L" if step % _SECOND else "%H:%M:%S" if step % _MINUTE else "%H:%M"
    same_day = math.floor(t0 / _DAY) == math.floor(t1 / _DAY)
    return clock if same_day else f"%Y-%m-%d {clock}"


def _number_text(value: float) -> str:
    return f"{value:.6g}"


class PlotPainter:
    """Paints one <TimeSeries> plot for a layout; `labels` draws the ranges' tags."""

    def __init__(self, config: LabelConfig, labels: bool = True):
        self.styles = StyleBook(config)
        self.labels = labels
        self.font = QFont()
        self.font.setPixelSize(10)
        self._formats: dict[str, TimeFormat] = {}
        self._axis: tuple[tuple, list[tuple[float, QRectF, str]]] | None = None   # the last time axis laid out

    def time_format(self, spec: SeriesSpec, t0: float, t1: float, step: float) -> str | None:
        """The format of a date axis's ticks: the config's timeDisplayFormat when it is a d3 format, else the
        shortest one for the span and step; None for a number axis."""
        if not spec.is_date:
            return None
        display = spec.time_display_format
        return display if display and display[0] == "%" else date_format(t0, t1, step)

    def time_text(self, specifier: str | None, time: float) -> str:
        if specifier is None:
            return _number_text(time)
        if specifier not in self._formats:
            self._formats[specifier] = TimeFormat(specifier)
        return self._formats[specifier].format(time)

    def time_labels(self, layout: PlotLayout, spec: SeriesSpec, plot: QRectF) -> list[tuple[float, QRectF, str]]:
        """The time axis's ticks as (x, label box, text): as many as fit up to one per TICK_SPACING px, with no
        two labels closer than LABEL_GAP (widths measured in the axis font) and the end ones moved inside the
        picture rather than cut."""
        key = (layout.t0, layout.t1, layout.width, plot.left(), plot.right(), plot.bottom(), spec.is_date,
               spec.time_display_format)
        if self._axis is not None and self._axis[0] == key:
            return self._axis[1]
        metrics = QFontMetricsF(self.font)
        ticks = date_ticks if spec.is_date else nice_ticks
        placed: list[tuple[float, QRectF, str]] = []
        for count in range(max(int(plot.width() / TICK_SPACING), 1), 0, -1):
            times = ticks(layout.t0, layout.t1, count)
            step = times[1] - times[0] if len(times) > 1 else layout.t1 - layout.t0
            specifier = self.time_format(spec, layout.t0, layout.t1, step)
            placed = []
            for time in times:
                x = float(layout.x_of(time))
                text = self.time_text(specifier, time)
                width = math.ceil(metrics.horizontalAdvance(text)) + 2
                left = min(max(x - width / 2, 0.0), layout.width - width)
                placed.append((x, QRectF(left, plot.bottom() + 5, width, 14), text))
            if all(b[1].left() - a[1].right() >= LABEL_GAP for a, b in pairwise(placed)):
                break
        else:
            placed = placed[:1]   # one tick's label always fits
        self._axis = (key, placed)
        return placed

    def paint(self, p: QPainter, layout: PlotLayout, spec: SeriesSpec, data: SeriesData,
              ranges: Sequence[PlotRegion], selected: Region | None = None) -> None:
        """The plot of `layout` at the painter's origin; the range of the region `selected` highlighted."""
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(QRectF(0, 0, layout.width, layout.height), BACKGROUND)
        p.setFont(self.font)
        for row in layout.rows:
            plot = QRectF(layout.left, row.top, layout.right - layout.left, row.height)
            self._axes(p, layout, spec, row, plot)
            p.save()
            p.setClipRect(plot)
            for shown in ranges:
                self._band(p, layout, plot, shown, shown.region is selected)
            self._line(p, layout, row, data)
            p.restore()
        if self.labels and layout.rows:
            self._tags(p, layout, ranges)
        p.restore()

    def _axes(self, p: QPainter, layout: PlotLayout, spec: SeriesSpec, row, plot: QRectF) -> None:
        p.setPen(QPen(AXIS, 1))
        p.drawLine(QLineF(plot.bottomLeft(), plot.bottomRight()))
        p.drawLine(QLineF(plot.topLeft(), plot.bottomLeft()))
        for x, box, text in self.time_labels(layout, spec, plot):
            p.setPen(QPen(GRID, 1))
            p.drawLine(QLineF(x, plot.top(), x, plot.bottom()))
            p.setPen(QPen(AXIS, 1))
            p.drawLine(QLineF(x, plot.bottom(), x, plot.bottom() + 4))
            p.drawText(box, Qt.AlignmentFlag.AlignHCenter, text)
        for value in nice_ticks(row.low, row.high, max(int(row.height / 50), 1)):
            y = float(row.y_of(value))
            p.drawLine(QLineF(plot.left() - 4, y, plot.left(), y))
            p.drawText(QRectF(0, y - 7, plot.left() - 6, 14), Qt.AlignmentFlag.AlignRight, _number_text(value))
        name = row.channel.legend or row.column
        units = f" ({row.channel.units})" if row.channel.units else ""
        p.setPen(QColor(row.channel.stroke_color))
        p.drawText(QRectF(plot.left() + 4, row.top - 16, plot.width() - 8, 14), Qt.AlignmentFlag.AlignLeft,
                   name + units)

    def _band(self, p: QPainter, layout: PlotLayout, plot: QRectF, shown: PlotRegion, selected: bool) -> None:
        color = QColor(self.styles.style(shown.region).color)
        x0 = float(layout.x_of(shown.start))
        if shown.instant:
            line = QColor(color)
            line.setAlphaF(INSTANT_SELECTED if selected else INSTANT)
            p.setPen(QPen(line, INSTANT_WIDTH))
            p.drawLine(QLineF(x0 + 0.5, plot.top(), x0 + 0.5, plot.bottom()))
            return
        x1 = float(layout.x_of(shown.end))
        fill, edge = QColor(color), QColor(color)
        fill.setAlphaF(FILL_SELECTED if selected else FILL)
        edge.setAlphaF(STROKE_SELECTED if selected else STROKE)
        band = QRectF(min(x0, x1), plot.top(), abs(x1 - x0), plot.height())
        p.fillRect(band, fill)
        p.setPen(QPen(edge, 1))
        p.drawLine(QLineF(band.left(), band.top(), band.left(), band.bottom()))
        p.drawLine(QLineF(band.right(), band.top(), band.right(), band.bottom()))

    def _line(self, p: QPainter, layout: PlotLayout, row, data: SeriesData) -> None:
        line = trace(layout, row, data)
        if line is None or not len(line.xs):
            return
        path = QPainterPath()
        drawing = False
        for x, y in zip(line.xs.tolist(), line.ys.tolist()):
            if y != y:  # NaN: a cell that is no number breaks the line
                drawing = False
                continue
            if drawing:
                path.lineTo(x, y)
            else:
                path.moveTo(x, y)
                drawing = True
        pen = QPen(QColor(row.channel.stroke_color), row.channel.stroke_width)
        pen.setCosmetic(True)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)

    def _tags(self, p: QPainter, layout: PlotLayout, ranges: Sequence[PlotRegion]) -> None:
        """Tags at the top of the first channel, each at its range's start; one that would cover the tag before it
        goes a line lower."""
        top = layout.rows[0].top
        lanes: list[float] = []   # right end of the last tag in each line
        for shown in sorted(ranges, key=lambda r: r.start):
            text = tag_text(shown.region)
            if not text:
                continue
            x = float(layout.x_of(shown.start))
            if x > layout.right or x < layout.left - 1:
                continue
            width = tag_box(text, TAG_PIXEL_SIZE).width()
            height = tag_box(text, TAG_PIXEL_SIZE).height()
            lane = next((i for i, end in enumerate(lanes) if end <= x), len(lanes))
            if lane == len(lanes):
                lanes.append(0.0)
            lanes[lane] = x + width + 2
            draw_tag(p, QPointF(x, top + height * (lane + 1)), text, self.styles.style(shown.region))

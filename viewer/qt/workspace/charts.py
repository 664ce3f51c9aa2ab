"""Chart: the statistics panel's plots drawn with QPainter: categories along the bottom, one series each, as bars
side by side (GROUPED), bars on top of each other (STACKED) or lines through points (LINES). Hovering names the
category and its values. A chart shorter than its full size keeps its axes and their labels: the plot gets what is
left down to MIN_PLOT, and the legend shows the rows that fit, the rest as "+N more" (hovering names them all).

Qt layer, no data logic: the panel hands it numbers already taken from viewer.core.stats.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
GROUPED, STACKED, LINES = "grouped", "stacked", "lines"
MARGIN = 6
GAP = 4                 # between the legend and the plot
LEGEND_COLUMNS = 3
PLOT_HEIGHT = 150       # the plot's height at the chart's own size
MIN_PLOT = 32           # the least the plot gets before the legend gives up rows


class Chart(QWidget):
    def __init__(self, title: str, style: str = GROUPED, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.style = style
        self.categories: list[str] = []
        self.series: list[tuple[str, str, list[float | None]]] = []   # name, colour, one value per category
        self.peak = 1.0                 # the value at the top of the plot, worked out once per set_data
        self.value_format = "{:,.0f}"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def _legend_rows(self) -> int:
        return math.ceil(len(self.series) / LEGEND_COLUMNS)

    def _height_for(self, legend_rows: int, plot: int) -> int:
        """The chart's height with this many legend rows and this plot height: title, legend, plot, the
        category names under it."""
        line = self.fontMetrics().height()
        return 2 * MARGIN + line * (2 + legend_rows) + GAP + 2 + plot

    def sizeHint(self) -> QSize:
        return QSize(300, self._height_for(self._legend_rows(), PLOT_HEIGHT))

    def minimumSizeHint(self) -> QSize:
        return QSize(150, self._height_for(min(self._legend_rows(), 1), MIN_PLOT))

    def legend_rows_shown(self) -> int:
        """As many legend rows as leave the plot MIN_PLOT at the chart's height, at least one."""
        rows = self._legend_rows()
        room = self.height() - self._height_for(0, MIN_PLOT)
        return max(min(rows, room // self.fontMetrics().height()), min(rows, 1))

    def set_data(self, categories: list[str], series: list[tuple[str, str | None, list[float | None]]],
                 maximum: float | None = None, value_format: str = "{:,.0f}") -> None:
        """What to draw; a series without a colour takes the next of the palette; None draws nothing there."""
        self.categories = list(categories)
        self.series = [(name, color or PALETTE[n % len(PALETTE)], list(values))
                       for n, (name, color, values) in enumerate(series)]
        self.peak = maximum if maximum is not None else self._highest()
        self.value_format = value_format
        self.updateGeometry()
        self.update()

    def values(self) -> dict[str, list[float | None]]:
        return {name: values for name, _, values in self.series}

    # ------------------------------------------------------------------ geometry

    def _plot_rect(self) -> QRectF:
        metrics = self.fontMetrics()
        line = metrics.height()
        top = MARGIN + line * (1 + self.legend_rows_shown()) + GAP
        left = MARGIN + metrics.horizontalAdvance(self._number(self.peak)) + 6
        bottom = self.height() - MARGIN - line - 2
        return QRectF(left, top, max(self.width() - MARGIN - left, 1), max(bottom - top, 1))

    def _highest(self) -> float:
        if self.style == STACKED:
            totals = [sum(values[c] or 0 for _, _, values in self.series) for c in range(len(self.categories))]
            return max(totals, default=0) or 1.0
        return max((v for _, _, values in self.series for v in values if v is not None), default=0) or 1.0

    def _number(self, value: float) -> str:
        return self.value_format.format(value)

    def category_at(self, x: float) -> int | None:
        plot = self._plot_rect()
        if not self.categories or not plot.left() <= x < plot.right():
            return None
        return min(int((x - plot.left()) / (plot.width() / len(self.categories))), len(self.categories) - 1)

    # ------------------------------------------------------------------ Qt's calls

    def mouseMoveEvent(self, event) -> None:
        column = self.category_at(event.position().x())
        if column is None:
            QToolTip.hideText()
            return
        rows = [f"{name}: {self._number(values[column])}" for name, _, values in self.series
                if values[column] is not None]
        QToolTip.showText(event.globalPosition().toPoint(),
                          "\n".join([self.categories[column]] + (rows or ["nothing"])), self)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        metrics = self.fontMetrics()
        line = metrics.height()
        p.fillRect(self.rect(), self.palette().base())
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, line), Qt.AlignmentFlag.AlignLeft,
                   metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, self.width() - 2 * MARGIN))
        column = max(1, (self.width() - 2 * MARGIN) // LEGEND_COLUMNS)
        cells = self.legend_rows_shown() * LEGEND_COLUMNS
        for n, (name, color, _) in enumerate(self.series[:cells]):
            x, y = MARGIN + (n % LEGEND_COLUMNS) * column, MARGIN + line * (1 + n // LEGEND_COLUMNS) + 2
            if n == cells - 1 and len(self.series) > cells:     # the last cell says what does not fit
                p.drawText(QPointF(x, y + metrics.ascent()), f"+{len(self.series) - n:,} more")
                break
            p.fillRect(QRectF(x, y + 2, 10, line - 4), QColor(color))
            p.drawText(QPointF(x + 14, y + metrics.ascent()),
                       metrics.elidedText(name, Qt.TextElideMode.ElideRight, column - 18))
        plot = self._plot_rect()
        if not self.categories or not any(v is not None for _, _, values in self.series for v in values):
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "no data")
            return
        peak = self.peak
        p.setPen(QPen(self.palette().mid().color()))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
        p.setPen(self.palette().text().color())
        for value, y in ((peak, plot.top()), (0, plot.bottom())):
            p.drawText(QRectF(MARGIN, y - line / 2, plot.left() - MARGIN - 4, line), Qt.AlignmentFlag.AlignRight,
                       self._number(value))
        group = plot.width() / len(self.categories)
        if self.style == LINES:
            self._paint_lines(p, plot, group, peak)
        else:
            self._paint_bars(p, plot, group, peak)
        self._paint_category_names(p, plot, group)

    def _height(self, plot: QRectF, value: float, peak: float) -> float:
        return plot.height() * min(max(value, 0.0) / peak, 1.0)

    def _paint_bars(self, p: QPainter, plot: QRectF, group: float, peak: float) -> None:
        stacked = self.style == STACKED
        bar = max(1.0, (group - 4) / (1 if stacked else max(len(self.series), 1)))
        for c in range(len(self.categories)):
            x0, base = plot.left() + c * group + 2, plot.bottom()
            for s, (_, color, values) in enumerate(self.series):
                value = values[c]
                if value is None or value <= 0:
                    continue
                height = self._height(plot, value, peak)
                x = x0 if stacked else x0 + s * bar
                p.fillRect(QRectF(x, base - height, bar, height), QColor(color))
                if stacked:
                    base -= height

    def _paint_lines(self, p: QPainter, plot: QRectF, group: float, peak: float) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for _, color, values in self.series:
            pen = QPen(QColor(color), 2)
            p.setPen(pen)
            p.setBrush(QColor(color))
            previous = None
            for c, value in enumerate(values):
                if value is None:
                    previous = None       # a gap: nothing decided at this threshold
                    continue
                point = QPointF(plot.left() + (c + 0.5) * group, plot.bottom() - self._height(plot, value, peak))
                if previous is not None:
                    p.drawLine(previous, point)
                p.drawEllipse(point, 2.5, 2.5)
                previous = point
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_category_names(self, p: QPainter, plot: QRectF, group: float) -> None:
        """Every category's name where they fit; else every k-th, so none is cut to nothing."""
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(name) for name in self.categories) + 6
        step = max(1, math.ceil(widest / group))
        p.setPen(self.palette().text().color())
        for c in range(0, len(self.categories), step):
            room = QRectF(plot.left() + c * group - (step - 1) * group / 2, plot.bottom() + 2, group * step,
                          metrics.height())
            p.drawText(room, Qt.AlignmentFlag.AlignHCenter, metrics.elidedText(
                self.categories[c], Qt.TextElideMode.ElideRight, int(room.width())))

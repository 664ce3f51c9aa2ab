"""BarChart: grouped vertical bars drawn with QPainter (categories along the bottom, one bar per series), the
statistics panel's only plot kind.

Qt layer, no data logic: the panel hands it numbers already taken from viewer.core.stats.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
MARGIN = 6


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.categories: list[str] = []
        self.series: list[tuple[str, str, list[float | None]]] = []   # name, colour, one value per category
        self.maximum: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(190)

    def sizeHint(self) -> QSize:
        return QSize(360, 190 + 16 * ((len(self.series) + 2) // 3))

    def set_data(self, categories: list[str], series: list[tuple[str, str | None, list[float | None]]],
                 maximum: float | None = None) -> None:
        """Bars to draw; a series without a colour takes the next of the palette; None values draw no bar."""
        self.categories = list(categories)
        self.series = [(name, color or PALETTE[n % len(PALETTE)], list(values))
                       for n, (name, color, values) in enumerate(series)]
        self.maximum = maximum
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def values(self) -> dict[str, list[float | None]]:
        return {name: values for name, _, values in self.series}

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        metrics = self.fontMetrics()
        line = metrics.height()
        p.fillRect(self.rect(), self.palette().base())
        p.setPen(self.palette().text().color())
        p.drawText(MARGIN, MARGIN + metrics.ascent(), self.title)
        # the legend: three names a row under the title
        legend_rows = (len(self.series) + 2) // 3
        column = max(1, (self.width() - 2 * MARGIN) // 3)
        for n, (name, color, _) in enumerate(self.series):
            x, y = MARGIN + (n % 3) * column, MARGIN + line * (1 + n // 3) + 2
            p.fillRect(QRectF(x, y + 2, 10, line - 4), QColor(color))
            p.drawText(x + 14, y + metrics.ascent(), metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                                          column - 18))
        top = MARGIN + line * (1 + legend_rows) + 6
        bottom = self.height() - MARGIN - line - 2
        left, right = MARGIN + metrics.horizontalAdvance("0000") + 4, self.width() - MARGIN
        numbers = [v for _, _, values in self.series for v in values if v is not None]
        if not self.categories or not numbers or bottom <= top:
            p.drawText(QRectF(left, top, right - left, max(bottom - top, line)), Qt.AlignmentFlag.AlignCenter,
                       "no data")
            return
        peak = self.maximum or max(numbers) or 1.0
        p.setPen(QPen(self.palette().mid().color()))
        p.drawLine(int(left), int(bottom), int(right), int(bottom))
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(MARGIN, top - line / 2, left - MARGIN - 2, line), Qt.AlignmentFlag.AlignRight,
                   f"{peak:g}" if peak < 10 else f"{peak:,.0f}")
        group = (right - left) / len(self.categories)
        bar = max(1.0, (group - 4) / max(len(self.series), 1))
        for c, category in enumerate(self.categories):
            x0 = left + c * group + 2
            for s, (_, color, values) in enumerate(self.series):
                value = values[c]
                if value is None or value <= 0:
                    continue
                height = (bottom - top) * min(value / peak, 1.0)
                p.fillRect(QRectF(x0 + s * bar, bottom - height, bar, height), QColor(color))
            p.drawText(QRectF(left + c * group, bottom + 2, group, line), Qt.AlignmentFlag.AlignHCenter,
                       metrics.elidedText(category, Qt.TextElideMode.ElideRight, int(group)))

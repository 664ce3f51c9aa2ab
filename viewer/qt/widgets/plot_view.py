"""PlotView: a task's time-series plots in the window, zoomed and panned along time, ranges chosen by a click, and
the edges of a range of the working annotation dragged.

Qt layer. Paints through render.plot_painter (what `lsview render` writes). The wheel zooms about the pointer, a
drag on the plot pans, a double-click shows the whole series. A drag shows a live preview; on release it emits one
edit (range_edited), and only if the range moved (DESIGN rule 3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from viewer.core.region_keys import RegionKey
from viewer.core.timeseries.data import SeriesData
from viewer.core.timeseries.plot import PlotLayout, PlotRegion, full_range, lay_out
from viewer.core.timeseries.spec import SeriesSpec
from viewer.render.plot_painter import BACKGROUND, PlotPainter

EDGE_GRIP = 5.0        # px either side of a range's edge where a press takes the edge
HIT_SLACK = 3.0        # px around a range (an instant) that still takes a click
ZOOM_STEP = 0.8        # the time shown per wheel notch
MIN_ROWS_SHOWN = 4     # zoomed in no further than a few rows across the plot


@dataclass(frozen=True)
class ShownRange:
    key: RegionKey
    range: PlotRegion
    editable: bool      # a range of the working annotation: its edges can be dragged


@dataclass(eq=False)
class Plot:
    spec: SeriesSpec
    data: SeriesData
    ranges: list[ShownRange]
    t0: float
    t1: float
    top: int = 0
    layout: PlotLayout | None = None


@dataclass(eq=False)
class _Drag:
    plot: Plot
    kind: str                 # "pan", "start", "end" or "move"
    x: float
    t0: float
    t1: float
    shown: ShownRange | None = None
    moved: bool = False


class PlotView(QWidget):
    """The plots of one task, one under the other; `shown(layer key, region)` says which ranges may show."""

    region_chosen = Signal(object)               # the RegionKey clicked, or None for a click beside every range
    range_edited = Signal(object, float, float)  # (RegionKey, start, end) in the plot's time units

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plots: list[Plot] = []
        self.painter: PlotPainter | None = None
        self.selected: RegionKey | None = None
        self._drag: _Drag | None = None
        self._preview: dict[RegionKey, PlotRegion] = {}

    # ------------------------------------------------------------------ what is shown

    def set_plots(self, painter: PlotPainter, plots: list[Plot], keep_view: bool = False) -> None:
        """Show these plots; `keep_view` keeps each plot's zoom when it shows the same object (a layer changed)."""
        if keep_view:
            before = {plot.spec.name: (plot.t0, plot.t1) for plot in self.plots}
            for plot in plots:
                plot.t0, plot.t1 = before.get(plot.spec.name, (plot.t0, plot.t1))
        self.painter, self.plots = painter, plots
        self._preview.clear()
        self._drag = None
        self._lay_out()
        self.update()

    def set_view(self, name: str, t0: float, t1: float) -> None:
        """Show times t0..t1 of the plot `name`."""
        for plot in self.plots:
            if plot.spec.name == name and t1 > t0:
                plot.t0, plot.t1 = t0, t1
        self._lay_out()
        self.update()

    def select(self, key: RegionKey | None) -> None:
        self.selected = key
        self.update()

    def _lay_out(self) -> None:
        top = 0
        width = max(self.width(), 200)
        for plot in self.plots:
            plot.top = top
            plot.layout = lay_out(plot.spec, plot.data, width, plot.t0, plot.t1)
            top += plot.layout.height
        self.setMinimumHeight(top)

    def resizeEvent(self, event) -> None:
        self._lay_out()
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        if self.painter is None:
            return
        for plot in self.plots:
            p.save()
            p.translate(0, plot.top)
            selected = next((s.range.region for s in plot.ranges if s.key == self.selected), None)
            ranges = [self._preview.get(s.key, s.range) for s in plot.ranges]
            self.painter.paint(p, plot.layout, plot.spec, plot.data, ranges, selected)
            p.restore()
        p.end()

    # ------------------------------------------------------------------ pointer

    def plot_at(self, y: float) -> Plot | None:
        return next((plot for plot in self.plots if plot.top <= y < plot.top + plot.layout.height), None)

    def range_at(self, plot: Plot, x: float) -> ShownRange | None:
        """The range under x: the selected one first, then the narrowest."""
        hits = []
        for shown in plot.ranges:
            x0, x1 = float(plot.layout.x_of(shown.range.start)), float(plot.layout.x_of(shown.range.end))
            if x0 - HIT_SLACK <= x <= x1 + HIT_SLACK:
                hits.append((shown.key != self.selected, x1 - x0, shown))
        return min(hits, key=lambda hit: hit[:2])[2] if hits else None

    def _grip(self, plot: Plot, x: float) -> tuple[str, ShownRange] | None:
        """The edge of the selected editable range under x ("start", "end", or "move" for an instant)."""
        shown = next((s for s in plot.ranges if s.key == self.selected and s.editable), None)
        if shown is None:
            return None
        x0, x1 = float(plot.layout.x_of(shown.range.start)), float(plot.layout.x_of(shown.range.end))
        if shown.range.instant:
            return ("move", shown) if abs(x - x0) <= EDGE_GRIP else None
        if abs(x - x0) <= EDGE_GRIP and abs(x - x0) <= abs(x - x1):
            return "start", shown
        if abs(x - x1) <= EDGE_GRIP:
            return "end", shown
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        where = event.position()
        plot = self.plot_at(where.y())
        if plot is None:
            return
        grip = self._grip(plot, where.x())
        if grip is not None:
            self._drag = _Drag(plot, grip[0], where.x(), plot.t0, plot.t1, grip[1])
            return
        self._drag = _Drag(plot, "pan", where.x(), plot.t0, plot.t1, self.range_at(plot, where.x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        where = event.position()
        drag = self._drag
        if drag is None:
            plot = self.plot_at(where.y())
            over = plot is not None and self._grip(plot, where.x()) is not None
            self.setCursor(Qt.CursorShape.SizeHorCursor if over else Qt.CursorShape.ArrowCursor)
            return
        drag.moved = drag.moved or abs(where.x() - drag.x) > 2
        if not drag.moved:
            return
        layout = drag.plot.layout
        if drag.kind == "pan":
            shift = (drag.x - where.x()) / max(layout.right - layout.left, 1.0) * (drag.t1 - drag.t0)
            self._show(drag.plot, drag.t0 + shift, drag.t1 + shift)
            return
        time = layout.time_of(min(max(where.x(), layout.left), layout.right))
        old = drag.shown.range
        if drag.kind == "move":
            moved = replace(old, start=time, end=time)
        elif drag.kind == "start":
            moved = replace(old, start=min(time, old.end))
        else:
            moved = replace(old, end=max(time, old.start))
        self._preview[drag.shown.key] = moved
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if drag.kind == "pan":
            if not drag.moved:
                self.region_chosen.emit(drag.shown.key if drag.shown is not None else None)
            return
        moved = self._preview.get(drag.shown.key)
        if moved is not None and (moved.start, moved.end) != (drag.shown.range.start, drag.shown.range.end):
            self.range_edited.emit(drag.shown.key, moved.start, moved.end)
        else:
            self._preview.pop(drag.shown.key, None)
            self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        plot = self.plot_at(event.position().y())
        if plot is not None and self.range_at(plot, event.position().x()) is None:
            self._show(plot, *full_range(plot.data))

    def wheelEvent(self, event: QWheelEvent) -> None:
        where = event.position()
        plot = self.plot_at(where.y())
        notches = event.angleDelta().y() / 120
        if plot is None or not notches:
            return super().wheelEvent(event)
        self.zoom(plot, ZOOM_STEP ** notches, plot.layout.time_of(where.x()))
        event.accept()

    # ------------------------------------------------------------------ zoom and pan

    def zoom(self, plot: Plot, factor: float, about: float) -> None:
        """Show `factor` times the time shown, keeping the time `about` where it is."""
        span = (plot.t1 - plot.t0) * factor
        data = plot.data.times
        if len(data) > MIN_ROWS_SHOWN:
            span = max(span, float(data[MIN_ROWS_SHOWN] - data[0]))
        share = (about - plot.t0) / (plot.t1 - plot.t0) if plot.t1 > plot.t0 else 0.5
        self._show(plot, about - share * span, about - share * span + span)

    def _show(self, plot: Plot, t0: float, t1: float) -> None:
        first, last = full_range(plot.data)
        span = min(t1 - t0, last - first)
        t0 = min(max(t0, first), last - span)
        plot.t0, plot.t1 = t0, t0 + span
        self._lay_out()
        self.update()

    def reveal(self, key: RegionKey) -> None:
        """Scroll the plot along time so the range shows whole (zoomed out if need be), as the editor's
        scrollToRegion does when a region is selected."""
        for plot in self.plots:
            shown = next((s for s in plot.ranges if s.key == key), None)
            if shown is None:
                continue
            start, end = shown.range.start, shown.range.end
            if plot.t0 <= start and end <= plot.t1:
                return
            span = max(plot.t1 - plot.t0, (end - start) * 1.5)
            middle = (start + end) / 2
            self._show(plot, middle - span / 2, middle + span / 2)
            return


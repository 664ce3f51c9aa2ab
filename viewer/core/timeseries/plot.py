"""Where a time-series plot puts things: one row per channel over a shared time axis, times to x and back, values to
y, and each channel's line decimated to a min/max pair per pixel column.

Core layer, no Qt, numpy. Sizes follow the editor's Channel view: a plot `height` (default 200) inside margins of
20 above, 30 below (the time axis), 50 left (the value axis), 20 right, values kept 10 px from the plot's edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from typing import Iterable

from viewer.core.regions import Region
from viewer.core.timeseries.data import SeriesData
from viewer.core.timeseries.ranges import range_times
from viewer.core.timeseries.spec import CHANNEL_PALETTE, DEFAULT_HEIGHT, ChannelSpec, SeriesSpec

TOP, RIGHT, BOTTOM, LEFT = 20, 20, 30, 50
INSET = 10            # margin.min / margin.max: the lowest and highest value stay this far inside the plot


@dataclass(frozen=True)
class ChannelRow:
    """One channel's plot: its column (None when the data has no such column) and its box on the picture."""

    channel: ChannelSpec
    column: str
    top: float
    height: float
    low: float            # the values the plot's bottom and top inset stand for
    high: float

    def y_of(self, values: np.ndarray | float) -> np.ndarray | float:
        span = self.high - self.low
        if span <= 0:
            return self.top + self.height / 2 + 0 * np.asarray(values, dtype=float)
        scale = (self.height - 2 * INSET) / span
        return self.top + self.height - INSET - (np.asarray(values, dtype=float) - self.low) * scale


@dataclass(frozen=True)
class PlotLayout:
    """The picture: `width` x `height`, showing times t0..t1 across the plot area of every channel row."""

    width: int
    height: int
    t0: float
    t1: float
    rows: tuple[ChannelRow, ...]

    @property
    def left(self) -> float:
        return float(LEFT)

    @property
    def right(self) -> float:
        return float(self.width - RIGHT)

    def x_of(self, time: np.ndarray | float) -> np.ndarray | float:
        span = self.t1 - self.t0
        scale = (self.right - self.left) / span if span > 0 else 0.0
        return self.left + (np.asarray(time, dtype=float) - self.t0) * scale

    def time_of(self, x: float) -> float:
        width = self.right - self.left
        return self.t0 + (x - self.left) / width * (self.t1 - self.t0) if width > 0 else self.t0

    def row_at(self, y: float) -> ChannelRow | None:
        return next((row for row in self.rows if row.top <= y <= row.top + row.height), None)


@dataclass(frozen=True)
class PlotRegion:
    """A range to draw: the region and its times on the plot's axis (start == end for an instant)."""

    region: Region
    start: float
    end: float
    instant: bool


def plot_regions(spec: SeriesSpec, regions: Iterable[Region]) -> list[PlotRegion]:
    """The ranges of these regions that are on this plot and have times (hidden ones left to the caller)."""
    shown = []
    for region in regions:
        if region.to_name != spec.name or region.kind != "timeseries-range":
            continue
        times = range_times(spec, region.shape)
        if times is not None:
            start, end = min(times), max(times)
            shown.append(PlotRegion(region, start, end, region.shape.instant))
    return shown


def full_range(data: SeriesData) -> tuple[float, float]:
    """The times of the first and last row (one unit either side of a single row)."""
    if not len(data.times):
        return 0.0, 1.0
    first, last = float(data.times[0]), float(data.times[-1])
    return (first, last) if last > first else (first - 1.0, first + 1.0)


def initial_range(spec: SeriesSpec, data: SeriesData) -> tuple[float, float]:
    """The times the editor first shows (calculateInitialBrushRange): the first overviewWidth share of the rows,
    widened to the right (then the left) to at least 10 rows; every row of a shorter series."""
    times = data.times
    count = len(times)
    if count < 10:
        return full_range(data)
    end = round((count - 1) * spec.overview_width)
    start = 0
    if end - start + 1 < 10:
        needed = 10 - (end - start + 1)
        right = min(needed, count - 1 - end)
        start, end = max(0, start - (needed - right)), min(count - 1, end + right)
    t0, t1 = float(times[start]), float(times[end])
    return (t0, t1) if t1 > t0 else full_range(data)


def lay_out(spec: SeriesSpec, data: SeriesData, width: int, t0: float, t1: float) -> PlotLayout:
    """Rows for each channel at `width` px, values scaled to the part of the data shown (the editor's default
    fixedScale=false: a view fits the values it shows)."""
    rows = []
    top = 0.0
    first, last = _visible(data.times, t0, t1)
    for channel in spec.channels or default_channels(spec, data):
        column = channel.column_name(data.headers)
        values = data.column(column)
        low, high = 0.0, 1.0
        if values is not None and last > first:
            shown = values[first:last]
            finite = shown[np.isfinite(shown)]
            if len(finite):
                low, high = float(finite.min()), float(finite.max())
        rows.append(ChannelRow(channel, column, top + TOP, float(channel.height), low, high))
        top += TOP + channel.height + BOTTOM
    return PlotLayout(int(width), int(max(top, TOP + BOTTOM)), float(t0), float(t1), tuple(rows))


def default_channels(spec: SeriesSpec, data: SeriesData) -> tuple[ChannelSpec, ...]:
    """A channel for each column but the time column, in the palette's colours: for a <TimeSeries> with no
    <Channel> (a config lsview inferred from the results), where the editor would plot nothing."""
    columns = [name for name in data.columns if name != spec.key_column]
    return tuple(ChannelSpec(name, "", "", CHANNEL_PALETTE[i % len(CHANNEL_PALETTE)], 1.0, DEFAULT_HEIGHT,
                             "curveStep", ".1f") for i, name in enumerate(columns))


def _visible(times: np.ndarray, t0: float, t1: float) -> tuple[int, int]:
    """Row slice [first, last) of the rows inside t0..t1 plus one on each side, so lines reach the edges."""
    first = max(int(np.searchsorted(times, t0, side="left")) - 1, 0)
    last = min(int(np.searchsorted(times, t1, side="right")) + 1, len(times))
    return first, last


@dataclass(frozen=True)
class Trace:
    """A channel's line as x, y points in picture pixels, NaN where the line breaks (a cell that is no number)."""

    xs: np.ndarray
    ys: np.ndarray
    decimated: bool


def trace(layout: PlotLayout, row: ChannelRow, data: SeriesData, step: bool = True) -> Trace | None:
    """The line of one channel over the times shown. With more rows than twice the plot's pixel columns, each
    column keeps its lowest and highest value (drawn as a vertical stroke, so no peak is lost); fewer rows are
    drawn point by point, as steps when the channel's interpolation is the editor's default curveStep."""
    values = data.column(row.column)
    if values is None or not len(values):
        return None
    first, last = _visible(data.times, layout.t0, layout.t1)
    times, shown = data.times[first:last], values[first:last]
    columns = max(int(layout.right - layout.left), 1)
    if len(times) > 2 * columns:
        xs, lows, highs = minmax_columns(times, shown, layout.t0, layout.t1, columns)
        # zig-zag through each column's extremes: low then high, high then low, so every stroke is vertical
        flip = (np.arange(len(xs)) % 2).astype(bool)
        first_y = np.where(flip, highs, lows)
        second_y = np.where(flip, lows, highs)
        x = np.repeat(layout.left + xs + 0.5, 2)
        y = np.empty(2 * len(xs))
        y[0::2], y[1::2] = row.y_of(first_y), row.y_of(second_y)
        return Trace(x, y, True)
    x = np.asarray(layout.x_of(times), dtype=float)
    y = np.asarray(row.y_of(shown), dtype=float)
    if step and row.channel.interpolation == "curveStep" and len(x) > 1:
        # d3.curveStep: the value changes halfway between two points
        middle = (x[:-1] + x[1:]) / 2
        sx = np.empty(2 * len(x))
        sy = np.empty(2 * len(x))
        sx[0], sy[0] = x[0], y[0]
        sx[1:-1:2], sy[1:-1:2] = middle, y[:-1]
        sx[2:-1:2], sy[2:-1:2] = middle, y[1:]
        sx[-1], sy[-1] = x[-1], y[-1]
        x, y = sx, sy
    return Trace(x, y, False)


def minmax_columns(times: np.ndarray, values: np.ndarray, t0: float, t1: float,
                   columns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pixel column (0..columns-1) over t0..t1 that holds a sample: its index, lowest and highest value
    (NaN cells left out). `times` is sorted, so each column's samples are one slice: numpy's reduceat does it in
    one pass."""
    span = t1 - t0 if t1 > t0 else 1.0
    edges = t0 + span * np.arange(columns + 1) / columns
    starts = np.searchsorted(times, edges[:-1], side="left")
    ends = np.searchsorted(times, edges[1:], side="left")
    ends[-1] = np.searchsorted(times, t1, side="right")
    held = np.flatnonzero(ends > starts)
    if not len(held):
        return np.empty(0), np.empty(0), np.empty(0)
    cuts = starts[held]
    # reduceat runs each slice to the next cut (the columns between hold nothing), the last one to the array's
    # end: cut the rows past t1 off first
    inside = values[:int(ends[held[-1]])]
    lows = np.fmin.reduceat(inside, cuts)
    highs = np.fmax.reduceat(inside, cuts)
    keep = np.isfinite(lows)
    return held[keep].astype(float), lows[keep], highs[keep]

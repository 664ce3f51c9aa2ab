"""Time-series ranges in the units of their plot: the times a range covers, its rows, its inspect record, its checks.

Core layer, no Qt. A range's start/end are numbers in the time column's units, date strings in its timeFormat
(milliseconds since the epoch here, UTC), or row indices when there is no timeColumn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from viewer.core.shapes import TimeSeriesRange
from viewer.core.timeseries.spec import SeriesSpec

if TYPE_CHECKING:
    from viewer.core.timeseries.data import SeriesData

OUTSIDE_CODE = "timeseries-range-outside"
BAD_RANGE_CODE = "timeseries-range-invalid"


def range_times(spec: SeriesSpec | None, shape: TimeSeriesRange) -> tuple[float, float] | None:
    """(start, end) in the axis's units; an instant is one time; None when either end is no time."""
    if spec is None:
        start = shape.start if isinstance(shape.start, (int, float)) else None
        end = shape.end if isinstance(shape.end, (int, float)) else None
        times = None if start is None or end is None else (float(start), float(end))
    else:
        start, end = spec.time_of(shape.start), spec.time_of(shape.end)
        times = None if start is None or end is None else (start, end)
    if times is not None and shape.instant:
        return times[0], times[0]
    return times


def time_units(spec: SeriesSpec) -> str:
    if not spec.time_column:
        return "row index"
    if spec.parses_dates:
        return "ms since 1970-01-01 UTC"
    return f"{spec.time_column} (the time column's own units)"


def range_record(spec: SeriesSpec | None, data: SeriesData | None, problem: str | None,
                 shape: TimeSeriesRange) -> dict[str, Any]:
    """The `shape` record `lsview inspect` prints for a range."""
    record: dict[str, Any] = {"kind": "timeseries-range", "start": shape.start, "end": shape.end,
                              "instant": shape.instant, "start_time": None, "end_time": None,
                              "time_units": time_units(spec) if spec is not None else None, "rows": None}
    times = range_times(spec, shape)
    if times is None:
        record["error"] = "start/end do not fit the time column (see validate)"
        return record
    record["start_time"], record["end_time"] = times
    if data is not None:
        rows = data.nearest_row(times[0]) if shape.instant else data.rows_of(*times)
        record["rows"] = list(rows) if rows is not None else None
    elif problem:
        record["error"] = problem
    return record


def range_problem(spec: SeriesSpec, data: SeriesData | None, shape: TimeSeriesRange) -> tuple[str, str, str] | None:
    """(code, severity, message) when a range cannot be placed where its author meant; None when it fits."""
    times = range_times(spec, shape)
    if times is None:
        what = f"timeFormat {spec.time_format!r}" if spec.parses_dates else "a number"
        return (BAD_RANGE_CODE, "error", f"start {shape.start!r} / end {shape.end!r} is not {what}; Label Studio "
                f"cannot place the range on the time axis")
    start, end = times
    if end < start:
        return (BAD_RANGE_CODE, "error", f"end {shape.end!r} is before start {shape.start!r}; Label Studio draws "
                f"the range backwards (a brush from end to start) and saves it so")
    if data is None or not len(data.times):
        return None
    first, last = float(data.times[0]), float(data.times[-1])
    if end < first or start > last:
        return (OUTSIDE_CODE, "error", f"range {shape.start!r} - {shape.end!r} lies outside the data "
                f"({_shown(spec, first)} to {_shown(spec, last)}); Label Studio keeps it but it is drawn nowhere "
                f"on the plot")
    if start < first or end > last:
        return (OUTSIDE_CODE, "warning", f"range {shape.start!r} - {shape.end!r} reaches past the data "
                f"({_shown(spec, first)} to {_shown(spec, last)}); Label Studio draws the part over the data")
    return None


def _shown(spec: SeriesSpec, time: float) -> str:
    return repr(spec.write_time(time)) if spec.time_format else f"{time:g}"

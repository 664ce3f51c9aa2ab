"""A time series' data read as Label Studio's editor reads it: CSV (its separator, header or headless) or JSON from a
URL or path, or columns inline in the task; the time column made numbers and checked.

Core layer, no Qt, numpy. Problems come back as (code, message) with what the editor does, never as exceptions:
the editor shows an error instead of the plot for each of them.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from viewer.core.errors import LsviewError
from viewer.core.numbers import finite, json_type
from viewer.core.timeseries.spec import SeriesSpec, js_number
from viewer.core.timeseries.timeformat import editor_time_format

DATA_CODE = "timeseries-data"
NOT_INCREASING = "timeseries-not-increasing"
BAD_TIME_FORMAT = "timeseries-time-format"


@dataclass
class SeriesData:
    """Columns by their lower-cased names (JSON keys as given) as float arrays (NaN where a cell is no number),
    the time of each row in the axis's units, the CSV header (or "0", "1" ... for a headless one)."""

    times: np.ndarray
    columns: dict[str, np.ndarray]
    headers: list[str]
    source: str                    # what was read, for messages: "the CSV <ref>", "$ts in the task" ...
    text_columns: dict[str, list] = field(default_factory=dict)  # columns with cells that are not numbers

    def column(self, name: str) -> np.ndarray | None:
        return self.columns.get(name)

    def rows_of(self, start: float, end: float) -> tuple[int, int] | None:
        """The first and last row inside [start, end] (time units); None when no row is."""
        first = int(np.searchsorted(self.times, start, side="left"))
        last = int(np.searchsorted(self.times, end, side="right")) - 1
        return (first, last) if first <= last else None

    def nearest_row(self, time: float) -> tuple[int, int] | None:
        """The row nearest to an instant, as (row, row); None without rows."""
        if not len(self.times):
            return None
        after = min(int(np.searchsorted(self.times, time)), len(self.times) - 1)
        before = max(after - 1, 0)
        row = before if abs(self.times[before] - time) <= abs(self.times[after] - time) else after
        return row, row


@dataclass(frozen=True)
class SeriesResult:
    data: SeriesData | None
    problems: tuple[tuple[str, str], ...] = ()


def _problem(message: str, code: str = DATA_CODE) -> SeriesResult:
    return SeriesResult(None, ((code, message),))


def load_series(spec: SeriesSpec, value: Any, read_text: Callable[[str], str]) -> SeriesResult:
    """The data of `spec` for one task: `value` is the task data `spec.value` names (KeyError already handled by
    the caller), `read_text` reads a URL or path (raising LsviewError with a message naming it)."""
    if spec.value_type != "url":
        if not isinstance(value, dict):
            return _problem(f"valueType=\"json\" but {spec.value} is {json_type(value)}, not an object of columns; "
                            f"Label Studio shows no plot")
        return _finish(spec, _json_columns(value), [], f"{spec.value} in the task")
    if not isinstance(value, str) or not value:
        return _problem(f"{spec.value} is {json_type(value)}, not a URL (valueType is \"url\", the default; inline "
                        f"data needs valueType=\"json\"); Label Studio says \"Cannot find url\" and shows no plot")
    try:
        text = read_text(value)
    except LsviewError as exc:
        return SeriesResult(None, (("media-not-found", str(exc)),))
    where = f"the file {value!r}"
    if text[:1] == "{":
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return _finish(spec, _json_columns(parsed), [], where)
    try:
        columns, headers = parse_csv(text, spec.sep)
    except ValueError as exc:
        return _problem(f"{where}: {exc}; Label Studio shows \"Problems with parsing CSV\" and no plot")
    return _finish(spec, columns, headers, where)


def _json_columns(data: dict) -> dict[str, list]:
    return {str(key): (list(column) if isinstance(column, list) else []) for key, column in data.items()}


# The editor's CSV value pattern (utils/data.js parseCSV): a quoted value with "" inside, a plain value, or an
# empty one between separators or at an end.
def _guessed_separator(lines: list[str]) -> str:
    """sep="auto": the one kind of comma, semicolon or blank in the second row, which splits the first row into as
    many cells (parseCSV's guess)."""
    candidates = re.findall(r"[,;\s\t]", lines[1].strip())
    if not candidates:
        raise ValueError("sep=\"auto\" finds no separator in row 2")
    if len(set(candidates)) > 1:
        raise ValueError(f"sep=\"auto\" finds more than one possible separator in row 2 "
                         f"({', '.join(repr(c) for c in sorted(set(candidates)))}); give sep")
    sep = candidates[0]
    if len(lines[0].split(sep)) != len(lines[1].split(sep)):
        raise ValueError(f"rows 1 and 2 have different numbers of cells with the guessed separator {sep!r}")
    return sep


def _splitter(sep: str) -> Callable[[str], list[str]]:
    if sep == "auto":
        raise ValueError("sep=\"auto\" needs two rows to guess the separator from")
    escaped = re.escape(sep)
    pattern = re.compile(f'"(?:""|[^"])*"|[^"{escaped}]+|(?={escaped}(?:{escaped}|$))|^(?={escaped})')

    def split(line: str) -> list[str]:
        line = line.strip()
        if '"' not in line:
            return line.split(sep)
        return pattern.findall(line)
    return split


def _is_nan_text(text: str) -> bool:
    return js_number(text) is None


def parse_csv(text: str, sep: str) -> tuple[dict[str, list | np.ndarray], list[str]]:
    """utils/data.js parseCSV for a given separator: a header row when the first two rows differ in which cells
    are numbers (names lower-cased), else "0", "1" ... names; cells that are numbers (JavaScript's Number) become
    numbers, the others stay text."""
    lines = text.split("\n")
    if sep == "auto" and len(lines) > 1:
        sep = _guessed_separator(lines)
    if sep != "auto" and sep not in lines[0]:
        raise ValueError(f"cannot find the separator {sep!r} in row 1 ({lines[0][:80]!r})")
    split = _splitter(sep)
    names = split(lines[0])
    second = split(lines[1]) if len(lines) > 1 else []
    if not all(_is_nan_text(n) == _is_nan_text(s) for n, s in zip(names, second)):
        lines = lines[1:]
        names = [n.lower() for n in names]
    else:
        names = [str(i) for i in range(len(names))]
    fast = _all_numbers(lines, sep, len(names))
    if fast is not None:
        return {name: np.ascontiguousarray(fast[:, i]) for i, name in enumerate(names)}, names
    rows = [split(line) for line in lines if line.strip()]
    if rows and len(rows[0]) != len(names):
        raise ValueError(f"{len(names)} column names but {len(rows[0])} values in the first data row")
    columns: dict[str, list | np.ndarray] = {}
    cells_by_column = list(zip(*rows)) if rows else [() for _ in names]
    for index, name in enumerate(names):
        cells = [row[index] if index < len(row) else "" for row in rows] if any(
            len(row) != len(names) for row in rows) else list(cells_by_column[index])
        columns[name] = _cells(cells)
    return columns, names


def _all_numbers(lines: list[str], sep: str, width: int) -> np.ndarray | None:
    """The rows as a float table when every cell is a plain decimal number (numpy's C reader: a million rows of
    three columns in 0.3 s, where the cell-by-cell reading takes 3.5 s); None: read them cell by cell."""
    body = "\n".join(lines)
    if '"' in body or "_" in body:
        return None
    try:
        table = np.loadtxt(io.StringIO(body), delimiter=sep, dtype=np.float64, comments=None, ndmin=2)
    except ValueError:
        return None
    if table.shape[1] != width or not bool(np.isfinite(table).all()):
        return None  # "nan", "inf" and the like: Number() reads them otherwise
    return table


def _cells(cells: list[str]) -> list | np.ndarray:
    """A column as floats when every cell is a plain decimal number (numpy's C parser), else cell by cell as the
    editor does: Number(cell), or the text when that is NaN."""
    try:
        array = np.array(cells, dtype=np.float64)
    except ValueError:
        array = None
    # numpy also takes "nan", "inf" and "1_000", which Number() does not: those columns go cell by cell
    if array is not None and bool(np.isfinite(array).all()) and "_" not in "".join(cells):
        return array
    out: list = []
    for cell in cells:
        number = js_number(cell)
        out.append(cell if number is None else number)
    return out


def _finish(spec: SeriesSpec, columns: dict[str, Any], headers: list[str], source: str) -> SeriesResult:
    floats: dict[str, np.ndarray] = {}
    texts: dict[str, list] = {}
    for name, column in columns.items():
        if isinstance(column, np.ndarray):
            floats[name] = column
            continue
        numbers = [np.nan if (number := finite(c)) is None else number for c in column]  # 1e400 is no crash
        floats[name] = np.array(numbers, dtype=np.float64)
        if any(not isinstance(c, (int, float)) or isinstance(c, bool) for c in column):
            texts[name] = list(column)
    if not floats:
        return _problem(f"{source} holds no columns; Label Studio shows no plot")
    length = len(next(iter(floats.values())))
    if not spec.time_column:
        times = np.arange(length, dtype=np.float64)
        return SeriesResult(SeriesData(times, floats, headers, source, texts))
    key = spec.key_column
    if key not in floats:
        near = [name for name in floats if name.lower() == key]
        hint = f" (it has {near[0]!r}: the editor looks names up in lower case)" if near else ""
        return _problem(f"timeColumn {spec.time_column!r} is not a column of {source}{hint}; Label Studio says "
                        f"\"{key} not found in data\" and shows no plot")
    raw = texts.get(key)
    if spec.time_format:
        times, problem = _date_times(spec, raw if raw is not None else floats[key].tolist())
        if problem:
            return _problem(f"{source}: {problem}", BAD_TIME_FORMAT)
    else:
        if raw is not None and len(raw) and js_number(str(raw[0])) is None:
            shown = ", ".join(str(v) for v in raw[:3])
            return _problem(f"timeColumn {spec.time_column!r} of {source} holds non-numbers ({shown}) and there is "
                            f"no timeFormat; Label Studio shows an error instead of the plot", BAD_TIME_FORMAT)
        times = floats[key]
    first = times[:3]
    if int(np.count_nonzero((first == 0) | np.isnan(first))) >= 2:
        shown = ", ".join(str(v) for v in (raw if raw is not None else first.tolist())[:3])
        return _problem(f"timeColumn {spec.time_column!r} of {source} starts with {shown}: Label Studio takes two zero "
                        f"or unreadable times among the first three as a column it \"cannot be parsed\" and shows "
                        f"no plot", BAD_TIME_FORMAT)
    unreadable = np.flatnonzero(~np.isfinite(times))
    if len(unreadable):
        i = int(unreadable[0])
        shown = raw[i] if raw is not None else times[i]
        return _problem(f"timeColumn {spec.time_column!r} of {source} holds {shown!r} at row {i}, not a time; "
                        f"Label Studio cannot place that row on the time axis", BAD_TIME_FORMAT)
    decreasing = np.flatnonzero(np.diff(times) < 0)
    if len(decreasing):
        i = int(decreasing[0]) + 1
        shown = raw if raw is not None else times
        return SeriesResult(None, ((NOT_INCREASING, f"timeColumn {spec.time_column!r} of {source} goes back at row "
                                    f"{i} ({shown[i - 1]} then {shown[i]}); Label Studio says it \"must be incremental "
                                    f"and sequentially ordered\" and shows no plot"),))
    return SeriesResult(SeriesData(times, floats, headers, source, texts))


def _date_times(spec: SeriesSpec, values: list) -> tuple[np.ndarray, str | None]:
    parser, prepare = editor_time_format(spec.time_format)
    times = np.empty(len(values), dtype=np.float64)
    failed_at = None
    for i, value in enumerate(values):
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))  # d3 parses the number's text, as JavaScript writes it
        parsed = parser.parse(prepare(str(value))) if isinstance(value, (str, int, float)) else None
        if parsed is None:
            failed_at = i if failed_at is None else failed_at
            parsed = np.nan
        times[i] = parsed
    if failed_at is not None:
        shown = ", ".join(repr(v) for v in values[failed_at:failed_at + 3])
        return times, (f"time values do not fit timeFormat {spec.time_format!r} (from row {failed_at}: {shown}); "
                       f"Label Studio says the timeColumn \"cannot be parsed\" or draws nothing there")
    return times, None

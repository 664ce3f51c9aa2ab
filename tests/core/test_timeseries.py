"""Time series: the tag, d3 time formats (UTC), data read as Label Studio's editor reads it, ranges in the time
column's units and rows, their checks and their temporal IoU."""

from __future__ import annotations

import calendar
import json
from dataclasses import replace

import numpy as np
import pytest

from viewer.core.config import parse_config
from viewer.core.diagnostics import diagnose
from viewer.core.matching import LABEL_DIFFERS, MATCHED, ONLY_A, TaskOverlap, compare, span_overlap
from viewer.core.project import open_project
from viewer.core.resolve import task_records
from viewer.core.shapes import TimeSeriesRange, parse_shape, to_value
from viewer.core.timeseries.data import parse_csv
from viewer.core.timeseries.spec import CHANNEL_PALETTE, js_number, series_spec
from viewer.core.timeseries.timeformat import TimeFormat, editor_time_format

LABELS = """<TimeSeriesLabels name="label" toName="ts"><Label value="Run" background="#00ff00"/>
  <Label value="Walk" background="#0000ff"/></TimeSeriesLabels>"""


def config(attrs: str = 'valueType="url" timeColumn="time"', channels: str = '<Channel column="a"/>') -> str:
    return f'<View><TimeSeries name="ts" value="$csv" {attrs}>{channels}</TimeSeries>{LABELS}</View>'


def ms(*fields: int) -> float:
    return calendar.timegm((*fields, 0, 0, 0)) * 1000.0


def region(start, end, rid="r1", instant=False, label="Run") -> dict:
    return {"id": rid, "from_name": "label", "to_name": "ts", "type": "timeserieslabels",
            "value": {"start": start, "end": end, "instant": instant, "timeserieslabels": [label]}}


def project(tmp_path, csv_text: str | None, results: list, xml: str | None = None, data: dict | None = None):
    if csv_text is not None:
        (tmp_path / "s.csv").write_text(csv_text, encoding="utf-8")
    (tmp_path / "config.xml").write_text(xml or config(), encoding="utf-8")
    task = {"id": 1, "data": data or {"csv": "s.csv"}, "predictions": [{"model_version": "m", "result": results}]}
    (tmp_path / "tasks.json").write_text(json.dumps([task]), encoding="utf-8")
    return open_project(tmp_path / "tasks.json", tmp_path / "config.xml", offline=True)


def numbers_csv(rows: int = 100, step: float = 0.5) -> str:
    return "time,a,b\n" + "".join(f"{i * step},{np.sin(i / 5):.3f},{i}\n" for i in range(rows))


# ------------------------------------------------------------------ d3 time formats


@pytest.mark.parametrize("specifier, text, expected", [
    ("%Y-%m-%d %H:%M:%S", "2024-03-05 12:30:15", ms(2024, 3, 5, 12, 30, 15)),
    ("%Y-%m-%dT%H:%M:%S.%L", "2024-03-05T12:30:15.250", ms(2024, 3, 5, 12, 30, 15) + 250),
    ("%m/%d/%Y %H:%M:%S", "3/5/2024 1:02:03", ms(2024, 3, 5, 1, 2, 3)),   # d3 reads 1 or 2 digits
    ("%d %b %Y", "05 mar 2024", ms(2024, 3, 5, 0, 0, 0)),                 # names in any case
    ("%Y-%m-%d %I:%M %p", "2024-03-05 01:15 PM", ms(2024, 3, 5, 13, 15, 0)),
    ("%Y-%m-%d %H:%M:%S%Z", "2024-03-05 12:00:00+0130", ms(2024, 3, 5, 10, 30, 0)),
    ("%s", "1700000000", 1.7e12),
    ("%y", "69", ms(1969, 1, 1, 0, 0, 0)),   # two-digit years past 68 are 19xx
    ("%y", "68", ms(2068, 1, 1, 0, 0, 0)),
])
def test_utc_parse_as_d3(specifier, text, expected):
    assert TimeFormat(specifier).parse(text) == expected


@pytest.mark.parametrize("specifier, text", [
    ("%Y-%m-%d", "2024-03-05 "),     # the whole string must be used
    ("%Y-%m-%d", "2024/03/05"),      # literals must match
    ("%H:%M", "ab:cd"),
    ("%Q", ""),
])
def test_text_that_does_not_fit_is_no_time(specifier, text):
    assert TimeFormat(specifier).parse(text) is None


def test_utc_format_writes_back_what_it_parses():
    fmt = TimeFormat("%Y-%m-%d %H:%M:%S.%L")
    for text in ("2024-03-05 12:30:15.250", "1999-12-31 23:59:59.999", "2000-02-29 00:00:00.000"):
        assert fmt.format(fmt.parse(text)) == text
    assert TimeFormat("%-m/%-d/%Y %e|%j|%p|%a %B").format(ms(2024, 3, 5, 13, 0, 0)) == "3/5/2024  5|065|PM|Tue March"


def test_the_editor_pads_fractions_and_turns_microseconds_into_milliseconds():
    parser, prepare = editor_time_format("%H:%M:%S.%f")
    assert prepare("00:00:01.123456") == "00:00:01.123"
    assert parser.parse(prepare("00:00:01.123456")) == ms(1900, 1, 1, 0, 0, 1) + 123
    parser, prepare = editor_time_format("%H:%M:%S.%L")
    assert parser.parse(prepare("00:00:01.5")) == ms(1900, 1, 1, 0, 0, 1) + 500


def test_js_number_is_javascripts_number():
    assert js_number(" 12.5 ") == 12.5 and js_number("") == 0.0 and js_number("0x1A") == 26.0
    assert js_number("1e3") == 1000.0 and js_number("-Infinity") == float("-inf")
    assert js_number("nan") is None and js_number("1_000") is None and js_number("12px") is None


# ------------------------------------------------------------------ the tag and its data


def test_the_tag_with_its_channels_defaults_and_palette():
    parsed = parse_config(config('timeColumn="Time" sep="tab"', '<View><Channel column="a" height="120"/></View>'
                                 '<Channel column="2" strokeColor="#123456" legend="B"/>'))
    spec = series_spec(parsed.objects["ts"], parsed.objects["ts"].channels)
    assert spec.value_type == "url" and spec.sep == "\t" and spec.key_column == "time"
    first, second = spec.channels
    assert (first.column, first.height, first.stroke_color, first.interpolation) == ("a", 120, CHANNEL_PALETTE[0],
                                                                                       "curveStep")
    assert (second.stroke_color, second.legend, second.height) == ("#123456", "B", 200)
    assert second.column_name(["t", "x", "Y"]) == "y"   # an index names a header, lower-cased


def test_csv_with_a_header_headless_csv_and_quoted_cells():
    columns, names = parse_csv("Time,A\n0,1\n1,2\n", ",")
    assert names == ["time", "a"] and list(columns["a"]) == [1.0, 2.0]
    columns, names = parse_csv("0;5\n1;6\n", ";")
    assert names == ["0", "1"] and list(columns["1"]) == [5.0, 6.0]
    columns, _ = parse_csv('t,note\n0,"a, b"\n1,\n', ",")
    assert columns["note"] == ['"a, b"', 0.0]          # the editor keeps quotes; an empty cell is Number("") = 0
    columns, _ = parse_csv("t,a\r\n0,1\r\n1,2\r\n\r\n", ",")   # Windows line ends, a blank last line
    assert isinstance(columns["a"], np.ndarray) and list(columns["a"]) == [1.0, 2.0]
    columns, _ = parse_csv("t;a\n0;0x10\n1;nan\n", ";")   # not plain decimals: cell by cell, as Number() reads
    assert columns["a"] == [16.0, "nan"]
    columns, names = parse_csv("t;a\n0;1\n1;2\n", "auto")   # the editor guesses from the second row
    assert names == ["t", "a"] and list(columns["a"]) == [1.0, 2.0]
    with pytest.raises(ValueError, match="more than one"):
        parse_csv("t,a\n0;1,2\n", "auto")
    with pytest.raises(ValueError, match="separator"):
        parse_csv("a;b\n1;2\n", ",")
    with pytest.raises(ValueError, match="separator"):
        parse_csv("a\n1\n2\n", ",")  # one column has no separator in its first row: the editor refuses it too


def test_headless_csv_by_column_index(tmp_path):
    xml = config('valueType="url" timeColumn="0"', '<Channel column="1"/>')
    made = project(tmp_path, "0,5\n2,6\n4,7\n", [region(2, 4)], xml)
    data = made.series(made.tasks[0], "ts").data
    assert list(data.times) == [0, 2, 4] and list(data.column("1")) == [5, 6, 7]
    assert next(task_records(made, made.tasks[0]))["shape"]["rows"] == [1, 2]


def test_inline_json_needs_value_type_json(tmp_path):
    inline = {"csv": {"time": [0, 1, 2, 3], "a": [1, 2, 3, 4]}}
    made = project(tmp_path, None, [region(1, 2)], config('valueType="json" timeColumn="time"'), data=inline)
    assert list(made.series(made.tasks[0], "ts").data.column("a")) == [1, 2, 3, 4]
    made = project(tmp_path, None, [region(1, 2)], config('timeColumn="time"'), data=inline)
    assert [d.code for d in diagnose(made) if d.severity == "error"] == ["timeseries-data"]


def test_numbers_too_large_for_a_float_are_gaps_and_no_times_not_a_crash(tmp_path):
    huge = 10 ** 400
    inline = {"csv": {"time": [0, 1, 2, 3], "a": [1, huge, 3, 4]}}
    made = project(tmp_path, None, [region(1, huge)], config('valueType="json" timeColumn="time"'), data=inline)
    column = made.series(made.tasks[0], "ts").data.column("a")
    assert column[0] == 1 and np.isnan(column[1])
    assert {d.code for d in diagnose(made)} == {"invalid-value"}   # the end: a number too large, said as such
    next(task_records(made, made.tasks[0]))   # inspect: no OverflowError


def test_rows_are_indices_without_a_time_column(tmp_path):
    made = project(tmp_path, "a,b\n5,1\n6,1\n7,1\n8,1\n", [region(1, 2)], config('valueType="url"'))
    shape = next(task_records(made, made.tasks[0]))["shape"]
    assert (shape["start_time"], shape["end_time"], shape["rows"], shape["time_units"]) == (1.0, 2.0, [1, 2],
                                                                                             "row index")


def test_date_ranges_in_the_time_format_are_utc_milliseconds(tmp_path):
    csv = "time,a\n" + "".join(f"2024-01-01 00:{m:02d}:00,{m}\n" for m in range(10))
    xml = config('valueType="url" timeColumn="time" timeFormat="%Y-%m-%d %H:%M:%S"')
    made = project(tmp_path, csv, [region("2024-01-01 00:02:00", "2024-01-01 00:04:30")], xml)
    shape = next(task_records(made, made.tasks[0]))["shape"]
    assert shape["start_time"] == ms(2024, 1, 1, 0, 2, 0) and shape["end_time"] == ms(2024, 1, 1, 0, 4, 30)
    assert shape["rows"] == [2, 4] and shape["time_units"] == "ms since 1970-01-01 UTC"
    instant = made.series(made.tasks[0], "ts").data.nearest_row(ms(2024, 1, 1, 0, 6, 40))
    assert instant == (7, 7)   # an instant's row is the nearest one
    spec = made.series_spec("ts")
    assert spec.write_time(shape["start_time"]) == "2024-01-01 00:02:00"


# ------------------------------------------------------------------ shapes


def test_a_range_parses_and_writes_back_as_given():
    value = {"start": "2024-01-01 00:02:00", "end": "2024-01-01 00:04:00", "instant": False,
             "timeserieslabels": ["Run"]}
    shape, problem = parse_shape(value, "timeserieslabels", "timeseries")
    assert problem is None and shape == TimeSeriesRange("2024-01-01 00:02:00", "2024-01-01 00:04:00", False)
    assert to_value(shape) == {k: v for k, v in value.items() if k != "timeserieslabels"}
    shape, problem = parse_shape({"start": [1], "end": 2}, "timeserieslabels", "timeseries")
    assert shape.kind == "invalid" and "value.start" in problem


# ------------------------------------------------------------------ validate


def test_validate_codes(tmp_path):
    made = project(tmp_path, "time,a\n0,1\n2,1\n1,1\n", [region(0, 1)])
    assert [(d.code, d.severity) for d in diagnose(made)] == [("timeseries-not-increasing", "error")]
    assert "row 2" in next(iter(diagnose(made))).message
    xml = config('valueType="url" timeColumn="time" timeFormat="%Y-%m-%d"')
    made = project(tmp_path, "time,a\n2024-01-01,1\n01/02/2024,1\n", [], xml)
    assert [d.code for d in diagnose(made)] == ["timeseries-time-format"]
    made = project(tmp_path, "time,a\nmon,1\ntue,1\n", [], config())
    assert [d.code for d in diagnose(made)] == ["timeseries-time-format"]
    made = project(tmp_path, "time,a\n0,1\n0,1\n1,1\n", [], config())   # the editor's "cannot be parsed" rule
    assert [d.code for d in diagnose(made)] == ["timeseries-time-format"]
    made = project(tmp_path, "time,a\n1,1\n2,1\n3,1\nx,1\n", [], config())
    assert [d.code for d in diagnose(made)] == ["timeseries-time-format"] and "row 3" in next(diagnose(made)).message
    made = project(tmp_path, numbers_csv(10, 1.0), [region(2, 5), region(8, 12, "r2"), region(20, 30, "r3"),
                                                    region(6, 4, "r4"), region("x", 5, "r5")])
    found = sorted((d.result_id, d.code, d.severity) for d in diagnose(made))
    assert found == [("r2", "timeseries-range-outside", "warning"), ("r3", "timeseries-range-outside", "error"),
                     ("r4", "timeseries-range-invalid", "error"), ("r5", "timeseries-range-invalid", "error")]


def test_an_unreadable_file_is_media_not_found(tmp_path):
    made = project(tmp_path, None, [region(0, 1)], data={"csv": "missing.csv"})
    assert [(d.code, d.severity) for d in diagnose(made)] == [("media-not-found", "info")]


# ------------------------------------------------------------------ matching


def test_temporal_iou(tmp_path):
    made = project(tmp_path, numbers_csv(), [region(10, 20), region(15, 25, "r2"), region(5, 5, "r3", True),
                                             region(5, 5, "r4", True)])
    regions = {r.id: r for r in made.regions(made.tasks[0])[0][1].regions}
    overlap = TaskOverlap(made, made.tasks[0])
    assert overlap(regions["r1"], regions["r2"]) == pytest.approx(5 / 15)
    assert overlap(regions["r3"], regions["r4"]) == 1.0
    assert span_overlap((0, 1), (2, 3)) == 0.0


def test_compare_pairs_ranges_by_temporal_iou(tmp_path):
    made = project(tmp_path, numbers_csv(), [region(10, 20), region(30, 40, "r2"), region(60, 61, "r3")])
    task = made.tasks[0]
    a = made.regions(task)[0][1].regions
    b = [replace(a[0], id="b1", shape=TimeSeriesRange(11, 21)), replace(a[1], id="b2", labels=("Walk",))]
    rows = {(row.a.id if row.a else None): (row.status, row.overlap) for row in compare(made, task, a, b)}
    assert rows["r1"] == (MATCHED, pytest.approx(9 / 11))
    assert rows["r2"] == (LABEL_DIFFERS, 1.0) and rows["r3"] == (ONLY_A, 0.0)


def test_the_bundled_time_series_demo_is_clean():
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "viewer" / "resources" / "demo_timeseries"
    made = open_project(demo / "tasks.json", demo / "config.xml", offline=True)
    assert list(diagnose(made)) == []
    records = [r for r in task_records(made, made.tasks[0]) if "shape" in r]
    assert len(records) == 5 and all(r["shape"]["rows"] for r in records)

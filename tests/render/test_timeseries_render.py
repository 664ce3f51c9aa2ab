"""The time-series plot: ranges as bands in label colours at the x of their times, instants as lines, channel lines
decimated per pixel column without losing a peak, and `lsview render` writing the plot PNG."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.core.test_timeseries import config, numbers_csv, project, region
from tests.render.conftest import to_array
from viewer.core.timeseries.data import SeriesData
from viewer.core.timeseries.plot import LEFT, RIGHT, TOP, lay_out, minmax_columns, trace
from viewer.core.timeseries.spec import ChannelSpec, SeriesSpec

ROOT = Path(__file__).resolve().parents[2]
GREEN, BLUE = (0, 255, 0), (0, 0, 255)     # the labels' backgrounds in tests.core.test_timeseries


def rendered(qapp, tmp_path, results, csv=None, width=1000):
    from viewer.render.plot_render import render_series_task

    made = project(tmp_path, csv or numbers_csv(101, 1.0), results)   # times 0..100
    image, notes = render_series_task(made, made.tasks[0], width, labels=False)
    assert notes == []
    return to_array(image)[:, :, :3].astype(int)


def x_of(time: float, width: int = 1000, t0: float = 0.0, t1: float = 100.0) -> float:
    return LEFT + (time - t0) / (t1 - t0) * (width - LEFT - RIGHT)


def tinted(pixel, color) -> bool:
    """A pixel of white under the colour at 0.3 (with a grid line or the trace allowed to pass)."""
    expected = [round(255 + (c - 255) * 0.3) for c in color]
    return all(abs(int(a) - b) <= 12 for a, b in zip(pixel, expected))


def test_a_range_is_a_band_at_its_times_in_its_label_colour(qapp, tmp_path):
    pixels = rendered(qapp, tmp_path, [region(20, 40)])
    y = TOP + 150   # inside the first channel's plot, below the sine's swing? take a row and scan it
    row = pixels[y]
    left, right = x_of(20), x_of(40)
    inside = [x for x in range(int(left) + 2, int(right) - 1) if tinted(row[x], GREEN)]
    assert len(inside) >= (right - left) - 8   # the trace and a grid line may cross the row
    assert not tinted(row[int(left) - 3], GREEN) and not tinted(row[int(right) + 3], GREEN)
    edges = [x for x in range(int(left) - 3, int(right) + 4) if tinted(row[x], GREEN)]
    assert abs(edges[0] - left) <= 1.5 and abs(edges[-1] + 1 - right) <= 1.5


def test_an_instant_is_a_line_at_its_time(qapp, tmp_path):
    pixels = rendered(qapp, tmp_path, [region(70, 70, instant=True, label="Walk")])
    row = pixels[TOP + 100]
    blue = [x for x in range(LEFT, 1000 - RIGHT) if row[x][2] > 200 and row[x][0] < 150 and row[x][1] < 150]
    assert blue and abs(np.mean(blue) - x_of(70) - 0.5) <= 1.0 and len(blue) <= 4


def test_every_channel_row_shows_the_band(qapp, tmp_path):
    xml = config(channels='<Channel column="a"/><Channel column="b" height="100"/>')
    from viewer.render.plot_render import render_series_task
    made = project(tmp_path, numbers_csv(101, 1.0), [region(20, 40)], xml)
    pixels = to_array(render_series_task(made, made.tasks[0], 1000, labels=False)[0])[:, :, :3].astype(int)
    assert pixels.shape[0] == (20 + 200 + 30) + (20 + 100 + 30)
    second_row_y = 250 + 20 + 50
    assert tinted(pixels[second_row_y][int(x_of(30))], GREEN) or tinted(pixels[second_row_y][int(x_of(30)) + 3],
                                                                         GREEN)


def test_date_axes_place_ranges_by_their_utc_times(qapp, tmp_path):
    csv = "time,a\n" + "".join(f"2024-01-01 00:{m:02d}:00,{m % 3}\n" for m in range(11))
    from viewer.render.plot_render import render_series_task
    xml = config('valueType="url" timeColumn="time" timeFormat="%Y-%m-%d %H:%M:%S"')
    made = project(tmp_path, csv, [region("2024-01-01 00:02:00", "2024-01-01 00:04:00")], xml)
    pixels = to_array(render_series_task(made, made.tasks[0], 1000, labels=False)[0])[:, :, :3].astype(int)
    row = pixels[TOP + 150]
    left, right = x_of(2, t1=10), x_of(4, t1=10)
    assert tinted(row[int(left) + 3], GREEN) and tinted(row[int(right) - 3], GREEN)
    assert not tinted(row[int(left) - 3], GREEN) and not tinted(row[int(right) + 3], GREEN)


def _one_channel(times, values) -> tuple[SeriesSpec, SeriesData]:
    channel = ChannelSpec("v", "", "", "#000000", 1.0, 200, "curveStep", ".1f")
    spec = SeriesSpec("ts", "$csv", "url", "t", "", "", ",", (channel,), "")
    return spec, SeriesData(np.asarray(times, float), {"v": np.asarray(values, float)}, ["t", "v"], "test")


def test_min_max_decimation_keeps_every_peak():
    times = np.arange(1_000_000, dtype=float)
    values = np.zeros_like(times)
    values[123_457] = 9.0   # one spike among a million rows
    values[876_543] = -4.0
    columns, lows, highs = minmax_columns(times, values, 0.0, 999_999.0, 900)
    assert len(columns) == 900 and highs.max() == 9.0 and lows.min() == -4.0
    assert int(columns[np.argmax(highs)]) == int(123_457 / 1_000_000 * 900)
    spec, data = _one_channel(times, values)
    layout = lay_out(spec, data, 1000, 0.0, 999_999.0)
    line = trace(layout, layout.rows[0], data)
    assert line.decimated and len(line.xs) == 2 * 930
    assert np.nanmin(line.ys) == pytest.approx(layout.rows[0].y_of(9.0))


def test_few_rows_draw_steps_halfway_between_points():
    spec, data = _one_channel([0, 10, 20], [0, 1, 0])
    layout = lay_out(spec, data, 250, 0.0, 20.0)   # 180 px of plot: 9 px per time unit
    line = trace(layout, layout.rows[0], data)
    assert list(line.xs) == [50, 95, 95, 185, 185, 230]   # the step between t=0 and t=10 is at t=5
    y = layout.rows[0].y_of
    assert list(line.ys) == [y(0), y(0), y(1), y(1), y(0), y(0)]


def test_lsview_render_writes_the_plot_png(tmp_path, qapp):
    made = project(tmp_path, numbers_csv(), [region(10, 20)])
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "viewer", "render", made.tasks_path, "--config",
                           str(tmp_path / "config.xml"), "--out", str(out), "--width", "600"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(out / "0_1.png"))
    assert (image.width(), image.height()) == (600, 250)


def test_render_says_why_a_series_cannot_be_drawn(tmp_path, qapp):
    made = project(tmp_path, "time,a\n0,1\n2,1\n1,1\n", [region(0, 1)])
    done = subprocess.run([sys.executable, "-m", "viewer", "render", made.tasks_path, "--config",
                           str(tmp_path / "config.xml"), "--out", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "must be incremental" in done.stderr and "task 0" in done.stderr
    assert not (tmp_path / "out" / "0_1.png").exists()


def test_without_a_config_every_column_but_the_time_is_a_channel(tmp_path, qapp):
    import json

    from viewer.core.diagnostics import diagnose
    from viewer.core.project import open_project
    from viewer.render.plot_render import render_series_task

    (tmp_path / "s.csv").write_text("a,b\n1,2\n2,3\n3,4\n", encoding="utf-8")
    task = {"id": 1, "data": {"ts": "s.csv"}, "predictions": [{"model_version": "m", "result": [
        {"id": "r1", "from_name": "label", "to_name": "ts", "type": "timeserieslabels",
         "value": {"start": 0, "end": 1, "instant": False, "timeserieslabels": ["Run"]}}]}]}
    (tmp_path / "tasks.json").write_text(json.dumps([task]), encoding="utf-8")
    made = open_project(tmp_path / "tasks.json", None, offline=True)
    assert made.config.inferred and made.config.objects["ts"].kind == "timeseries"
    image, notes = render_series_task(made, made.tasks[0], 600)
    assert notes == [] and image.height() == 2 * (20 + 200 + 30)
    assert not [d for d in diagnose(made) if d.code.startswith("timeseries")]


def test_a_date_axis_ticks_whole_minutes_and_a_number_axis_round_numbers():
    from viewer.render.plot_painter import date_ticks, nice_ticks

    start = 1_714_521_600_000.0 + 30_000   # 2024-05-01 00:00:30 UTC
    ticks = date_ticks(start, start + 33 * 60_000, 11)
    assert ticks[0] == 1_714_521_600_000.0 + 5 * 60_000 and all(b - a == 5 * 60_000 for a, b in zip(ticks, ticks[1:]))
    assert nice_ticks(0.0, 99.5, 11) == [float(v) for v in range(0, 100, 10)]


def axis_labels(pixels, top: int, bottom: int, merge: int = 8) -> list[tuple[int, int]]:
    """The time labels under an axis as (first, last) inked columns of rows top..bottom: ink closer than `merge`
    columns is one label (the gaps between a label's characters are narrower)."""
    inked = [x for x in range(pixels.shape[1]) if (pixels[top:bottom, x] < 220).any()]
    labels: list[list[int]] = []
    for x in inked:
        if labels and x - labels[-1][1] < merge:
            labels[-1][1] = x
        else:
            labels.append([x, x])
    return [(a, b) for a, b in labels]


def date_series(tmp_path, times: list[str], width: int):
    from viewer.render.plot_render import render_series_task

    csv = "time,a\n" + "".join(f"{t},{i % 3}\n" for i, t in enumerate(times))
    xml = config('valueType="url" timeColumn="time" timeFormat="%Y-%m-%d %H:%M:%S"')
    made = project(tmp_path, csv, [], xml)
    return to_array(render_series_task(made, made.tasks[0], width, labels=False)[0])[:, :, :3].astype(int)


def test_date_labels_within_a_day_are_times_apart_and_inside_the_picture(qapp, tmp_path):
    # 100 s of one day at 1000 px: "2024-01-01 00:00:10" labels 94 px apart ran into each other, the first cut
    pixels = date_series(tmp_path, [f"2024-01-01 00:{i // 60:02d}:{i % 60:02d}" for i in range(100)], 1000)
    labels = axis_labels(pixels, TOP + 200 + 5, TOP + 200 + 19)
    assert len(labels) >= 5
    assert all(b - a <= 60 for a, b in labels)               # the time alone, not the date with it
    assert all(b[0] - a[1] >= 8 for a, b in zip(labels, labels[1:]))
    assert labels[0][0] > 0 and labels[-1][1] < 999         # nothing cut at the picture's edges


def test_date_labels_across_days_thin_out_to_fit_a_narrow_plot(qapp, tmp_path):
    times = [f"2024-01-{1 + h // 24:02d} {h % 24:02d}:00:00" for h in range(80)]
    widest = {}
    for width in (400, 1000):
        labels = axis_labels(date_series(tmp_path, times, width), TOP + 200 + 5, TOP + 200 + 19)
        assert len(labels) >= 3, width
        assert all(b[0] - a[1] >= 8 for a, b in zip(labels, labels[1:])), width
        assert labels[0][0] > 0 and labels[-1][1] < width - 1, width
        widest[width] = max(b - a for a, b in labels)
    assert widest[400] <= 60 < widest[1000]   # whole days: the date alone; hours across days: date and time

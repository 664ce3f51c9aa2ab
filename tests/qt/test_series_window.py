"""A time-series task in the window: the plot view in the canvas area with the ranges listed, zoom and pan along time,
selection shared with the region list, accept / reject with the review keys, and a dragged edge saved as one edit."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from tests.core.test_timeseries import config, numbers_csv, region
from tests.qt.review_project import open_window, read_session
from viewer.core.timeseries.plot import LEFT, RIGHT, TOP


def _write(folder, results):
    import json

    (folder / "s.csv").write_text(numbers_csv(101, 1.0), encoding="utf-8")   # times 0..100
    (folder / "config.xml").write_text(config(), encoding="utf-8")
    task = {"id": 1, "data": {"csv": "s.csv"}, "predictions": [{"model_version": "m", "result": results}]}
    (folder / "tasks.json").write_text(json.dumps([task]), encoding="utf-8")
    return folder / "tasks.json", folder / "config.xml"


@pytest.fixture
def series_window(qtbot, tmp_path):
    main = open_window(qtbot, tmp_path, *_write(tmp_path, [region(10, 20), region(60, 60, "r2", True, "Walk")]))
    page = main.series_page
    qtbot.waitUntil(lambda: page.active and bool(page.view.plots))
    plot = page.view.plots[0]
    page.view.set_view(plot.spec.name, 0.0, 100.0)   # the editor first shows a quarter of the rows: show all
    yield main
    main.loader.wait()


def x_at(view, time: float) -> float:
    return float(view.plots[0].layout.x_of(time))


def click(qtbot, view, x: float, y: float) -> None:
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))


def test_the_plot_shows_in_the_canvas_area_with_the_ranges_listed(series_window):
    page = series_window.series_page
    assert series_window.central.currentWidget() is page.area
    assert sorted(key[1] for key, _ in series_window.region_list.entries()) == ["r1", "r2"]
    first = page.view.plots[0]
    assert (first.t0, first.t1) == (0.0, 100.0)


def test_the_editor_first_shows_a_quarter_of_the_rows(qtbot, tmp_path):
    main = open_window(qtbot, tmp_path, *_write(tmp_path, [region(10, 20)]))
    qtbot.waitUntil(lambda: bool(main.series_page.view.plots))
    plot = main.series_page.view.plots[0]
    assert (plot.t0, plot.t1) == (0.0, 25.0)   # overviewWidth 25 %: rows 0 to round(100 * 0.25)
    main.loader.wait()


def test_a_click_on_a_range_selects_it_in_the_list_and_the_plot(series_window, qtbot):
    view = series_window.series_page.view
    click(qtbot, view, x_at(view, 15), TOP + 100)
    key = series_window.state.selection
    assert key == (("prediction", 0), "r1") and view.selected == key
    assert series_window.region_list.selected_key() == key
    series_window.state.select((("prediction", 0), "r2"))
    assert view.selected == (("prediction", 0), "r2")


def test_the_wheel_zooms_about_the_pointer_and_a_drag_pans(series_window, qtbot):
    view = series_window.series_page.view
    plot = view.plots[0]
    view.zoom(plot, 0.5, 50.0)
    assert (plot.t0, plot.t1) == pytest.approx((25.0, 75.0))
    start = QPoint(round(x_at(view, 50)), TOP + 100)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    step = (view.width() - LEFT - RIGHT) / 5   # a fifth of the plot: 10 time units at this zoom
    qtbot.mouseMove(view, QPoint(start.x() - round(step), start.y()))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(start.x() - round(step), start.y()))
    assert plot.t0 == pytest.approx(35.0, abs=0.3) and plot.t1 - plot.t0 == pytest.approx(50.0)
    view.zoom(plot, 100.0, 50.0)   # never past the data
    assert (plot.t0, plot.t1) == (0.0, 100.0)


def test_accept_and_reject_with_the_review_keys(series_window, qtbot):
    series_window.state.select((("prediction", 0), "r1"))
    series_window.actions_by_name["accept"].trigger()
    review = series_window.state.review
    assert review.decisions(0)[(0, "r1")] == "accepted"
    series_window.state.select((("prediction", 0), "r2"))
    series_window.actions_by_name["reject"].trigger()
    assert review.decisions(0)[(0, "r2")] == "rejected"
    working = [key for key, _ in series_window.region_list.entries() if key[0][0] == "annotation"]
    assert [key[1] for key in working] == ["r1"]   # the accepted range is in the working annotation, drawn too
    assert any(s.key == working[0] and s.editable for s in series_window.series_page.view.plots[0].ranges)


def test_dragging_the_end_of_a_working_range_is_one_undoable_edit(series_window, qtbot):
    series_window.state.select((("prediction", 0), "r1"))
    series_window.actions_by_name["accept"].trigger()
    page = series_window.series_page
    view = page.view
    working = next(s.key for s in view.plots[0].ranges if s.editable)
    series_window.state.select(working)
    y = TOP + 100
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x_at(view, 20)), y))
    target = round(x_at(view, 30))
    qtbot.mouseMove(view, QPoint(target - 5, y))
    qtbot.mouseMove(view, QPoint(target, y))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(target, y))
    session = read_session(series_window.state.review.path)
    results = next(iter(session["tasks"].values()))["results"]
    value = next(r["value"] for r in results if r["id"] == "r1")
    assert value["start"] == 10 and value["end"] == pytest.approx(30, abs=0.15) and value["instant"] is False
    moved = next(s for s in view.plots[0].ranges if s.key == working)
    assert moved.range.end == pytest.approx(30, abs=0.15)
    assert series_window.state.review.undo_label == "Move the end of a range"
    series_window.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: next(s for s in view.plots[0].ranges if s.key == working).range.end == 20)


def test_a_prediction_range_has_no_grips(series_window, qtbot):
    view = series_window.series_page.view
    series_window.state.select((("prediction", 0), "r1"))
    y = TOP + 100
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x_at(view, 20)), y))
    qtbot.mouseMove(view, QPoint(round(x_at(view, 30)), y))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x_at(view, 30)), y))
    assert series_window.state.review.undo_label is None
    assert view.plots[0].ranges[0].range.end == 20


def test_the_window_grab_shows_the_band_where_the_range_is(series_window, qtbot):
    from tests.render.conftest import to_array

    view = series_window.series_page.view
    pixels = to_array(view.grab().toImage())[:, :, :3].astype(int)
    ratio = pixels.shape[1] / view.width()
    row = pixels[int((TOP + 150) * ratio)]
    inside = row[int(x_at(view, 15) * ratio)]
    outside = row[int(x_at(view, 40) * ratio)]
    assert inside[1] > inside[0] + 60 and inside[1] > inside[2] + 60   # green under white at 0.3
    assert np.all(outside > 200)


def test_a_series_that_cannot_be_read_leaves_the_data_view_with_the_reason(qtbot, tmp_path):
    tasks, config_path = _write(tmp_path, [region(0, 1)])
    (tmp_path / "s.csv").write_text("time,a\n0,1\n2,1\n1,1\n", encoding="utf-8")
    main = open_window(qtbot, tmp_path, tasks, config_path)
    assert main.central.currentWidget() is main.data_view and not main.series_page.active
    assert "must be incremental" in main.statusBar().currentMessage()
    main.loader.wait()


def test_show_label_tags_switches_the_range_tags(series_window, qtbot):
    from tests.render.conftest import to_array

    view = series_window.series_page.view

    def tag_pixels() -> int:
        pixels = to_array(view.grab().toImage())[:, :, :3].astype(int)
        ratio = pixels.shape[0] / view.height()
        band = pixels[int((TOP + 2) * ratio): int((TOP + 14) * ratio)]
        return int(np.count_nonzero((band[:, :, 1] > 200) & (band[:, :, 0] < 60)))   # the tag's solid green

    assert tag_pixels() > 50
    series_window.actions_by_name["show_tags"].setChecked(False)
    assert tag_pixels() == 0


def test_selecting_a_range_out_of_view_brings_it_into_view(series_window):
    view = series_window.series_page.view
    plot = view.plots[0]
    view.set_view(plot.spec.name, 0.0, 25.0)
    series_window.state.select((("prediction", 0), "r2"))   # the instant at 60
    assert plot.t0 <= 60.0 <= plot.t1 and plot.t1 - plot.t0 == pytest.approx(25.0)


def test_date_labels_in_the_window_are_apart_and_none_is_cut_at_the_edge(qtbot, tmp_path):
    import json

    from tests.render.conftest import to_array
    from tests.render.test_timeseries_render import axis_labels

    rows = "".join(f"2024-01-01 00:{i // 60:02d}:{i % 60:02d},{i % 7}\n" for i in range(100))
    (tmp_path / "s.csv").write_text("time,a\n" + rows, encoding="utf-8")
    (tmp_path / "config.xml").write_text(config('valueType="url" timeColumn="time" timeFormat="%Y-%m-%d %H:%M:%S"'),
                                         encoding="utf-8")
    task = {"id": 1, "data": {"csv": "s.csv"}, "predictions": [{"model_version": "m", "result": [region(
        "2024-01-01 00:00:20", "2024-01-01 00:00:40")]}]}
    (tmp_path / "tasks.json").write_text(json.dumps([task]), encoding="utf-8")
    main = open_window(qtbot, tmp_path, tmp_path / "tasks.json", tmp_path / "config.xml")
    view = main.series_page.view
    qtbot.waitUntil(lambda: main.series_page.active and bool(view.plots))
    plot = view.plots[0]
    view.set_view(plot.spec.name, float(plot.data.times[0]), float(plot.data.times[-1]))
    pixels = to_array(view.grab().toImage())[:, :, :3].astype(int)
    ratio = pixels.shape[1] / view.width()
    row = view.plots[0].layout.rows[0]
    bottom = plot.top + row.top + row.height
    labels = axis_labels(pixels, int((bottom + 5) * ratio), int((bottom + 19) * ratio), merge=int(8 * ratio))
    width = view.plots[0].layout.width * ratio
    assert len(labels) >= 3
    assert all(b[0] - a[1] >= 8 * ratio for a, b in zip(labels, labels[1:]))
    assert labels[0][0] > 0 and labels[-1][1] < width - 1   # the last one reads whole, not "2024-01-01 00"
    main.loader.wait()

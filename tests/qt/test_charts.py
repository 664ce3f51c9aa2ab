"""The statistics plots put bars and points where their values say, checked by pixels: grouped bars side by side,
stacked bars on top of each other, lines through points, gaps where a value is missing."""

from __future__ import annotations

from PySide6.QtGui import QColor

from viewer.qt.workspace.charts import GROUPED, LINES, STACKED, Chart

RED, GREEN = "#ff0000", "#00c000"


def drawn(qtbot, style: str, series, categories=("a", "b"), maximum=None):
    chart = Chart("test", style)
    qtbot.addWidget(chart)
    chart.set_data(list(categories), series, maximum=maximum)
    chart.resize(300, chart.sizeHint().height())
    return chart, chart.grab().toImage(), chart._plot_rect()


def colour_at(image, x: float, y: float) -> str:
    return QColor(image.pixel(int(x), int(y))).name()


def test_stacked_bars_rise_from_the_axis_in_series_order(qtbot):
    chart, image, plot = drawn(qtbot, STACKED, [("a", RED, [2, 1]), ("b", GREEN, [1, None])])
    middle = plot.left() + plot.width() / 4                     # the first category's centre
    third = plot.height() / 3                                   # the peak is the tallest stack: 3
    assert colour_at(image, middle, plot.bottom() - 0.5 * third) == RED
    assert colour_at(image, middle, plot.bottom() - 1.5 * third) == RED
    assert colour_at(image, middle, plot.bottom() - 2.5 * third) == GREEN
    second = plot.left() + 3 * plot.width() / 4
    assert colour_at(image, second, plot.bottom() - 0.5 * third) == RED
    assert colour_at(image, second, plot.bottom() - 1.5 * third) != GREEN     # None: nothing on top
    assert chart.values() == {"a": [2, 1], "b": [1, None]}


def test_grouped_bars_stand_side_by_side_at_their_heights(qtbot):
    chart, image, plot = drawn(qtbot, GROUPED, [("a", RED, [4, 2]), ("b", GREEN, [2, 0])])
    group = plot.width() / 2
    bar = (group - 4) / 2
    red_x, green_x = plot.left() + 2 + bar / 2, plot.left() + 2 + 1.5 * bar
    assert colour_at(image, red_x, plot.top() + 2) == RED                     # 4 is the peak: full height
    assert colour_at(image, green_x, plot.bottom() - plot.height() / 2 + 2) == GREEN
    assert colour_at(image, green_x, plot.bottom() - plot.height() / 2 - 3) != GREEN
    assert colour_at(image, plot.left() + group + 2 + 1.5 * bar, plot.bottom() - 3) != GREEN   # 0: no bar


def test_lines_pass_through_their_points_and_break_at_a_gap(qtbot):
    chart, image, plot = drawn(qtbot, LINES, [("p", RED, [1.0, 0.5, None, 0.5])],
                               categories=("0", "1", "2", "3"), maximum=1.0)
    step = plot.width() / 4
    for c, value in ((0, 1.0), (1, 0.5), (3, 0.5)):
        x, y = plot.left() + (c + 0.5) * step, plot.bottom() - value * plot.height()
        assert QColor(image.pixel(int(x), int(y))).red() > 200, c
    # between the points of 1 and 3 there is no line: the value of 2 is missing
    assert QColor(image.pixel(int(plot.left() + 2.5 * step), int(plot.bottom() - 0.5 * plot.height()))).name() \
        != RED


def test_an_empty_chart_says_so_and_the_tooltip_names_the_category(qtbot):
    chart, image, plot = drawn(qtbot, STACKED, [("a", RED, [None, None])])
    assert chart.category_at(plot.left() + 1) == 0 and chart.category_at(plot.right() - 1) == 1
    assert chart.category_at(plot.left() - 5) is None
    assert not any(colour_at(image, x, y) == RED for x in range(int(plot.left()) + 1, int(plot.right()), 7)
                   for y in range(int(plot.top()), int(plot.bottom()), 7))


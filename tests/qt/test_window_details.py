"""Small things a new user trips on in the window (issue 13 item 9): the status message stops before the
permanent fields, tooltips show without the window's focus, the cheat sheet's descriptions wrap instead of
being cut, the statistics plots keep their axis labels in the default bottom dock."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDockWidget, QStatusBar, QTreeWidgetItemIterator

from viewer.qt.widgets.keyboard_dialog import DESCRIPTION, TEXT_MARGIN
from viewer.qt.workspace.charts import MIN_PLOT


def test_a_long_status_message_ends_in_an_ellipsis_before_the_zoom_field_at_800_px(window, qtbot):
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800)
    bar = window.statusBar()
    text = "Task 1 of 5 (id 101): " + "a long note about the image and its regions, " * 12
    QStatusBar.showMessage(bar, "Zoom in about the centre")  # a status tip, as a hovered tool button shows
    bar.showMessage(text)
    label = bar.label
    assert bar.currentMessage() == text and label.isVisible()   # the message takes the tip's place

    def clear_of_the_fields() -> bool:
        permanent = [w for w in (window.zoom_label, window.review_desk.session_label, window.progress)
                     if w.isVisible()]
        message_right = label.mapTo(bar, label.contentsRect().topRight()).x()
        return bar.width() <= 800 and message_right < min(w.mapTo(bar, w.rect().topLeft()).x() for w in permanent)

    qtbot.waitUntil(clear_of_the_fields, timeout=2_000)      # once the bar is laid out at the new width
    shown = label.shown_text()
    assert shown.endswith("…") and label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == text                       # the whole message on hover
    bar.showMessage("Task 2 of 5")
    assert label.shown_text() == "Task 2 of 5" and label.toolTip() == ""
    bar.showMessage("gone soon", 10)
    qtbot.waitUntil(lambda: bar.currentMessage() == "", timeout=2000)


def test_tooltips_show_while_another_window_has_the_focus(window):
    assert window.testAttribute(Qt.WidgetAttribute.WA_AlwaysShowToolTips)
    docks = window.findChildren(QDockWidget)
    assert len(docks) >= 6
    assert all(dock.testAttribute(Qt.WidgetAttribute.WA_AlwaysShowToolTips) for dock in docks)


def descriptions_cut(dialog) -> list[str]:
    """The cheat sheet's descriptions whose wrapped text is taller than their row or wider than their column."""
    tree = dialog.tree
    cut = []
    iterator = QTreeWidgetItemIterator(tree)
    while iterator.value():
        item = iterator.value()
        text = item.text(DESCRIPTION)
        cell = tree.visualRect(tree.indexFromItem(item, DESCRIPTION))
        room = QRect(0, 0, cell.width() - 2 * TEXT_MARGIN, 1_000_000)
        needed = tree.fontMetrics().boundingRect(room, int(Qt.TextFlag.TextWordWrap), text)
        if text and (needed.height() > cell.height() or needed.width() > room.width()):
            cut.append(text)
        iterator += 1
    return cut


def test_every_cheat_sheet_description_fits_its_row_at_any_width(window, qtbot):
    dialog = window.show_keyboard_help()
    qtbot.waitExposed(dialog)
    assert dialog.tree.wordWrap()
    long = [item.text(DESCRIPTION) for item in dialog.items.values()
            if dialog.tree.fontMetrics().horizontalAdvance(item.text(DESCRIPTION))
            > dialog.tree.header().sectionSize(DESCRIPTION)]
    assert long                                       # at the dialog's first size some need two lines
    assert descriptions_cut(dialog) == []
    wide = dialog.tree.header().sectionSize(DESCRIPTION)
    dialog.resize(600, 500)                           # narrower: more of them wrap, each row grows to fit
    qtbot.waitUntil(lambda: dialog.tree.header().sectionSize(DESCRIPTION) < wide - 100)
    QApplication.processEvents()
    assert descriptions_cut(dialog) == []


def dark_pixels(image, left: float, right: float, top: float, bottom: float) -> int:
    return sum(QColor(image.pixel(x, y)).lightness() < 110
               for y in range(max(int(top), 0), min(int(bottom), image.height()))
               for x in range(max(int(left), 0), min(int(right), image.width())))


def test_statistics_plots_keep_their_axis_labels_at_the_default_dock_size(window, qtbot):
    control = window.workspace.statistics
    control.dock.raise_()
    qtbot.waitUntil(lambda: control.panel.figures is not None, timeout=10_000)
    panel = control.panel
    qtbot.waitUntil(lambda: panel.viewport().height() >= panel.least_height(), timeout=2_000)
    assert control.dock.height() <= 200                  # the dock grew to one row of plots at most

    def whole(chart) -> bool:
        corner = chart.mapTo(panel.viewport(), QPoint(0, 0))
        plot, line = chart._plot_rect(), chart.fontMetrics().height()
        return (corner.y() >= 0 and corner.y() + chart.height() <= panel.viewport().height()
                and plot.height() >= MIN_PLOT and plot.bottom() + 2 + line <= chart.height())

    qtbot.waitUntil(lambda: all(whole(chart) for chart in panel.charts[:panel.columns]), timeout=2_000)
    chart = panel.per_label
    image = chart.grab().toImage()
    plot, line = chart._plot_rect(), chart.fontMetrics().height()
    assert dark_pixels(image, plot.left(), plot.right(), plot.bottom() + 2, plot.bottom() + 2 + line) > 20   # names
    assert dark_pixels(image, 0, plot.left() - 2, plot.top() - line / 2, plot.bottom() + line / 2) > 10  # 0 and peak
    window.workspace.dock.raise_()                       # behind the task list's tab again: no height held
    qtbot.waitUntil(lambda: panel.minimumHeight() == 0, timeout=2_000)

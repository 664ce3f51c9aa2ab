"""The canvas gets most of the window by default, Focus canvas hides every dock and tool bar and brings them back
as they were, and the window always fits its screen, a remembered geometry too."""

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMargins, QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QToolBar

from viewer.qt.actions import keyboard_map
from viewer.qt.canvas_room import default_dock_sizes, fitted
from viewer.qt.main_window import MainWindow


def shown_window(qtbot, tmp_path, width, height):
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open_demo()
    return window


def canvas(window) -> QSize:
    return window.view.viewport().size()


def test_the_canvas_gets_most_of_a_1440_by_860_window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, 1440, 860)
    assert window.size() == QSize(1440, 860)
    room = canvas(window)
    assert room.width() >= 0.6 * 1440 and room.height() >= 0.6 * 860   # was 778 x 467
    window.loader.wait()


def test_the_task_list_shows_several_rows_at_the_default_dock_height(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, 1440, 860)
    table = window.workspace.panel.table
    rows = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert rows >= 3, rows          # was 1: the filters took three lines of the dock
    window.loader.wait()


def test_an_800_by_500_window_keeps_a_usable_canvas(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, 800, 500)
    assert window.size() == QSize(800, 500)        # the docks' controls scroll rather than hold it at 682 high
    room = canvas(window)
    assert room.width() >= 400 and room.height() >= 200                 # was 263 x 338 in an 800 x 682 window
    window.loader.wait()


def test_default_dock_sizes_follow_the_window_within_bounds():
    assert default_dock_sizes(1440, 860) == (216, 302, 172)
    assert default_dock_sizes(800, 500) == (150, 190, 120)
    assert default_dock_sizes(3840, 2160) == (240, 320, 200)


def visible_panes(window):
    return {pane.objectName(): pane.geometry() for pane in window._panes() if pane.isVisible()}


def test_focus_canvas_hides_every_dock_and_bar_and_brings_them_back_as_they_were(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, 1200, 760)
    window.docks["Legend"].hide()                  # a dock the user hid stays hidden afterwards
    qtbot.wait(50)
    before, room = visible_panes(window), canvas(window)
    assert "Regions" in before and "navigation" in before
    focus = window.actions_by_name["focus_canvas"]
    focus.trigger()
    qtbot.wait(50)
    assert visible_panes(window) == {}
    assert window.menuBar().isVisible()            # the way back stays in reach
    assert canvas(window).width() > room.width() and canvas(window).height() > room.height()
    focus.trigger()
    qtbot.wait(50)
    assert visible_panes(window) == before and canvas(window) == room
    window.loader.wait()


def test_the_layout_saved_while_the_canvas_has_the_focus_is_the_one_from_before(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, 1000, 700)
    window.actions_by_name["focus_canvas"].trigger()
    window.loader.wait()
    window.close()
    again = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    again.show()
    assert again.docks["Regions"].isVisible() and again.findChild(QToolBar, "navigation").isVisible()
    assert not again.actions_by_name["focus_canvas"].isChecked()


def test_focus_canvas_is_in_the_view_menu_and_the_keyboard_map(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, 1000, 700)
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.actions_by_name["focus_canvas"] in view_menu.actions()
    assert ("Ctrl+Shift+F", "Focus canvas") in keyboard_map()
    window.loader.wait()


def test_every_panel_can_be_brought_back_from_view_panels(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, 1000, 700)
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    panels = next(a.menu() for a in view_menu.actions() if a.text() == "&Panels")
    assert [action.text() for action in panels.actions()] == list(window.docks)
    assert "Region" in window.docks           # the editing panel was the one a user could not find
    window.docks["Region"].close()
    next(a for a in panels.actions() if a.text() == "Region").trigger()
    assert window.docks["Region"].isVisible()
    window.loader.wait()


def test_a_window_larger_than_the_screen_or_off_it_is_brought_inside():
    screen, frame = QRect(0, 0, 1280, 690), QMargins(8, 32, 8, 8)   # 1920 x 1080 at scale 1.5, less a panel
    inside = fitted(QRect(100, 100, 1440, 860), screen, frame)
    assert screen.contains(inside.marginsAdded(frame)) and inside.size() == QSize(1264, 650)
    moved = fitted(QRect(5000, -300, 600, 400), screen, frame)
    assert moved.size() == QSize(600, 400) and screen.contains(moved.marginsAdded(frame))
    left_alone = QRect(200, 150, 600, 400)
    assert fitted(left_alone, screen, frame) == left_alone
    second = QRect(1280, 0, 1920, 1040)                                # a second screen, right of the first
    assert fitted(QRect(1500, 50, 800, 600), second, frame).topLeft() == QPoint(1500, 50)


def test_a_remembered_geometry_too_big_and_off_screen_fits_the_screen_next_time(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.setGeometry(3000, 2500, 2400, 1600)      # the offscreen screen is 800 x 800
    window.close()
    again = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    screen = again.screen().availableGeometry()
    assert screen.contains(again.geometry()), again.geometry()


SCALED = """
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.qt.main_window import MainWindow
window = MainWindow(QSettings(SETTINGS, QSettings.Format.IniFormat))
window.show()
app.processEvents()
print(window.screen().availableGeometry().contains(window.frameGeometry()), window.frameGeometry())
"""


def test_at_scale_1_5_the_window_fits_a_1920_by_1000_screen(tmp_path):
    """A faked screen (the offscreen platform's config file) at QT_SCALE_FACTOR 1.5: 1280 x 666 of room."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1920, "height": 1000, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR="1.5")
    code = SCALED.replace("SETTINGS", repr(str(tmp_path / "settings.ini")))
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("True"), done.stdout + done.stderr

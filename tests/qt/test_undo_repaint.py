"""Undo leaves nothing behind: the canvas as the screen holds it (the backing store, not a fresh grab) is the same
before an edit and after its undo, so no handle or stroke edge of the edited shape stays as a sliver."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.qt.editing_support import accept_all, box, drag, open_editing_window, regions, select


def on_screen(window, qtbot):
    """The viewport's pixels as last painted: only what was updated is new (offscreen screens grab the store)."""
    qtbot.wait(30)
    QApplication.processEvents()
    viewport = window.view.viewport()
    corner = viewport.mapTo(window, viewport.rect().topLeft())
    shot = window.screen().grabWindow(window.winId()).toImage()
    return shot.copy(corner.x(), corner.y(), viewport.width(), viewport.height())


@pytest.mark.parametrize("zoom", [1.0, 0.5])
def test_undoing_a_move_restores_every_pixel_of_the_canvas(qtbot, tmp_path, zoom):
    window = open_editing_window(qtbot, tmp_path, [box(), box("r2", x=50, y=50, width=20, height=20)])
    accept_all(window)
    window.view.zoom_by(zoom)
    for bar in (window.view.horizontalScrollBar(), window.view.verticalScrollBar()):
        bar.setValue(bar.minimum())
    before = on_screen(window, qtbot)
    select(qtbot, window, "r1")
    drag(window, [(150, 200), (170, 210), (190, 230)])       # r1 and its handles 40 px right and down
    assert regions(window)["r1"].shape.x == pytest.approx(16.25)
    window.review.undo()
    window.state.select(None)
    after = on_screen(window, qtbot)
    changed = [(x, y) for y in range(before.height()) for x in range(before.width())
               if before.pixel(x, y) != after.pixel(x, y)]
    assert changed == []

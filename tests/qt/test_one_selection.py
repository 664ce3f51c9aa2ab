"""One selection for the whole window: choosing a working region in the canvas, the Regions list, the text, the
Compare list or the view state makes it editable everywhere (handles on the canvas, the Region panel)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.builders import rect
from tests.qt.editing_support import click
from tests.qt.test_editing_text import TEXT, TEXT_CONFIG, open_text_window, select_text

COPY = (("annotation", 0), "r1")   # r1 accepted: its copy in the working annotation
LEFT = Qt.MouseButton.LeftButton


def accept_first(window, qtbot) -> None:
    """N, A: the highest-scoring prediction region (r1) is copied into the working annotation."""
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: COPY in window.scene.items_by_key, timeout=2000)


def click_row(qtbot, window, key) -> None:
    rows = window.region_list
    row = next(rows.topLevelItem(i) for i in range(rows.topLevelItemCount())
               if rows.entries(greyed=True)[i][0] == key)
    rows.scrollToItem(row)
    qtbot.mouseClick(rows.viewport(), LEFT, pos=rows.visualItemRect(row).center())


def assert_editable(window, key) -> None:
    editing = window.editing
    assert window.scene.selected_key() == key
    assert window.region_list.selected_key() == key
    assert editing.canvas.selected_region().id == key[1]
    assert len(editing.canvas.overlay.handles) == 9      # a rectangle's 8 handles and its rotation handle
    assert editing.region_editor.region.id == key[1]
    assert editing.region_editor.note.isHidden()


def working_ids(window) -> list[str]:
    return [r["id"] for r in window.review.session.working_results(window.project.tasks[window.index]) or []]


def test_a_working_region_chosen_in_the_regions_list_is_editable(review_window, qtbot):
    window = review_window
    accept_first(window, qtbot)
    assert window.region_list.mark(COPY) == "copy"
    click_row(qtbot, window, COPY)
    assert_editable(window, COPY)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert "r1" not in working_ids(window)


def test_a_working_region_clicked_on_the_canvas_selects_its_row_and_the_panel(review_window, qtbot):
    window = review_window
    accept_first(window, qtbot)
    window.state.select(None)
    box = window.scene.items_by_key[COPY].sceneBoundingRect()
    window.view.ensureVisible(box)
    click(window, box.center().x(), box.center().y())
    assert_editable(window, COPY)


def test_a_working_region_chosen_in_the_compare_list_is_editable(review_window, qtbot):
    window = review_window
    added = window.review.add_region(window.index, [rect("w1", ("Car",), x=30, y=80, width=10, height=10)], "Add")
    key = (("annotation", 0), str(added))
    qtbot.waitUntil(lambda: key in window.scene.items_by_key, timeout=2000)
    compare = window.workspace.compare
    compare.dock.raise_()
    panel = compare.panel
    panel.source_a.setCurrentIndex(panel.source_a.findData("model:v1"))
    panel.source_b.setCurrentIndex(panel.source_b.findData("working:"))
    panel.enabled.setChecked(True)
    rows = panel.disagreements
    item = next(rows.item(i) for i in range(rows.count()) if rows.item(i).data(Qt.ItemDataRole.UserRole) == key)
    assert [row.status for row in compare.rows if row.b is not None and row.b.id == key[1]] == ["only-b"]
    qtbot.mouseClick(rows.viewport(), LEFT, pos=rows.visualItemRect(item).center())
    assert_editable(window, key)


def test_the_state_selection_reaches_the_list_the_canvas_and_the_panel(review_window, qtbot):
    window = review_window
    accept_first(window, qtbot)
    window.state.select(None)
    assert window.editing.region_editor.region is None
    window.state.select(COPY)
    assert_editable(window, COPY)
    window.state.select(None)
    assert window.scene.selected_key() is None and window.region_list.selected_key() is None
    assert window.editing.canvas.overlay.handles == [] and window.editing.region_editor.region is None
    assert not window.editing.region_editor.note.isHidden()


def test_a_working_span_chosen_in_the_regions_list_is_editable_in_the_text(qtbot, tmp_path):
    window = open_text_window(qtbot, tmp_path, {"text": TEXT}, TEXT_CONFIG)
    start = TEXT.index("Bob")
    select_text(window, start, start + 3)
    pane = window.text_page.view.panes[0]
    qtbot.keyClick(pane, Qt.Key.Key_1)
    (span_id,) = working_ids(window)
    key = (("annotation", 0), span_id)
    qtbot.waitUntil(lambda: window.region_list.region(key) is not None, timeout=2000)
    click_row(qtbot, window, key)
    assert window.region_list.selected_key() == key
    assert pane.selected_key() == key
    assert window.editing.text.selected.id == span_id
    assert window.editing.region_editor.region.id == span_id
    qtbot.keyClick(pane, Qt.Key.Key_Delete)
    assert working_ids(window) == []


def test_the_workspace_reads_a_review_the_moment_it_opens(review_window, qtbot):
    window, workspace = review_window, review_window.workspace
    assert workspace._review is window.review is not None
    window.review_desk.project_opened(window.request, window.project)   # the session opened again, no event loop
    assert workspace._review is window.review is not None

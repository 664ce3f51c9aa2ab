"""The text view over the layout model: clicks select, the region list drives it, layers switch, it never
re-lays out on a repaint, and the window shows text tasks with it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QImage

from tests.builders import write_project

CONFIG = ('<View><Text name="text" value="$text"/><Labels name="ner" toName="text">'
          '<Label value="PER" background="#00b000"/><Label value="LOC" background="#0000ff"/></Labels>'
          '<TextArea name="comment" toName="text" perRegion="true"/></View>')
PREDICTION, ANNOTATION = ("prediction", 0), ("annotation", 0)


def span(start, end, label, rid, **extra):
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "labels": [label]}, **extra}


def text_task(text, predictions, annotations=()):
    task = {"id": 3, "data": {"text": text}, "predictions": [{"model_version": "m1", "result": predictions}]}
    if annotations:
        task["annotations"] = [{"id": 11, "result": list(annotations)}]
    return task


LONG = "\n".join(f"Line {n} of the letter, with Alice and Bob." for n in range(300))
FAR = LONG.index("Line 280 ")


@pytest.fixture
def make_view(qtbot, tmp_path):
    from viewer.core.project import open_project
    from viewer.qt.widgets.text_view import TextView

    def build(task):
        tasks, config = write_project(tmp_path, [task], CONFIG)
        project = open_project(tasks, config)
        view = TextView()
        qtbot.addWidget(view)
        view.resize(700, 400)
        view.show()
        qtbot.waitExposed(view)
        view.set_task(project, project.tasks[0])
        return view

    return build


def point_of(pane, key, offset=0.5):
    """A viewport point on the text of a span's first segment."""
    laid = pane.laid
    index = pane.model.find(key)
    line = laid.lines[laid.span_lines[index][0]]
    segment = next(s for s in line.segments if s.span == index)
    x = segment.x0 + (segment.x1 - segment.x0) * offset
    y = line.top + line.text_height / 2 - pane.verticalScrollBar().value()
    return QPoint(round(x), round(y))


def test_click_selects_a_span_and_again_walks_to_the_span_under_it(make_view, qtbot):
    view = make_view(text_task("Alice met Bob in Paris", [span(0, 13, "PER", "outer"), span(10, 13, "LOC", "bob")]))
    pane = view.panes[0]
    bob = point_of(pane, (PREDICTION, "bob"))
    with qtbot.waitSignal(view.region_selected) as selected:
        qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=bob)
    assert selected.args == [(PREDICTION, "bob")]
    with qtbot.waitSignal(view.region_selected) as selected:
        qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=bob)
    assert selected.args == [(PREDICTION, "outer")]
    plain = point_of(pane, (PREDICTION, "bob"))
    plain.setX(plain.x() + 150)  # over "in Paris", which no span covers
    with qtbot.waitSignal(view.region_selected) as selected:
        qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=plain)
    assert selected.args == [None] and pane.selected is None


def test_select_region_scrolls_to_the_span_and_outlines_it(make_view, qtbot):
    view = make_view(text_task(LONG, [span(5, 9, "PER", "near"), span(FAR, FAR + 8, "LOC", "far")]))
    pane = view.panes[0]
    assert pane.verticalScrollBar().value() == 0
    view.select_region((PREDICTION, "far"))
    scroll = pane.verticalScrollBar().value()
    assert scroll > 0
    rect = pane.laid.span_rect(pane.selected)
    assert scroll <= rect.top() and rect.bottom() <= scroll + pane.viewport().height()
    assert pane.selected_key() == (PREDICTION, "far")
    image = pane.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.array([[image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
                       for y in range(0, image.height())])
    assert (pixels == np.array([255, 0, 0])).all(axis=2).sum() > 30  # the red selection outline is in view


def test_hover_and_tooltip_tell_labels_score_model_and_values(make_view, qtbot):
    view = make_view(text_task("Alice met Bob", [
        span(0, 5, "PER", "alice", score=0.93),
        {"id": "alice", "from_name": "comment", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 5, "text": ["the sender"]}}]))
    pane = view.panes[0]
    qtbot.mouseMove(pane.viewport(), point_of(pane, (PREDICTION, "alice")))
    qtbot.waitUntil(lambda: pane.hovered == 0)
    details = pane.details([0])
    for words in ("PER", "0.930", "m1", "alice", "the sender", "offsets"):
        assert words in details


def test_scrolling_and_repainting_never_lay_out_again_and_a_drag_lays_out_a_few_times(make_view, qtbot):
    view = make_view(text_task(LONG, [span(5, 9, "PER", "near"), span(FAR, FAR + 8, "LOC", "far")]))
    pane = view.panes[0]
    laid, count = pane.laid, pane.layout_count
    for value in (500, 2000, 0, pane.verticalScrollBar().maximum()):
        pane.verticalScrollBar().setValue(value)
        pane.viewport().repaint()
    qtbot.mouseMove(pane.viewport(), QPoint(30, 30))
    pane.viewport().repaint()
    assert pane.laid is laid and pane.layout_count == count
    view.resize(500, 400)
    assert pane.layout_count == count + 1 and pane.laid.width == pane.viewport().width()  # one resize: at once
    for width in range(520, 720, 20):  # a drag of the edge: ten widths in a row
        view.resize(width, 400)
    qtbot.waitUntil(lambda: pane.laid.width == pane.viewport().width())
    qtbot.wait(150)
    assert pane.layout_count - count <= 3


def test_layers_switch_and_show_side_by_side(make_view, qtbot):
    view = make_view(text_task("Alice met Bob", [span(0, 5, "PER", "x")], [span(10, 13, "LOC", "x")]))
    left, right = view.panes
    assert {s.key for s in left.model.spans} == {(PREDICTION, "x"), (ANNOTATION, "x")}
    view.choices[0].setCurrentIndex(2)  # the annotation alone
    assert [s.key for s in left.model.spans] == [(ANNOTATION, "x")]
    view.side_by_side.setChecked(True)
    assert right.isVisible() and view.choices[1].isVisible()
    assert [s.key for s in left.model.spans] == [(PREDICTION, "x")]
    assert [s.key for s in right.model.spans] == [(ANNOTATION, "x")]
    view.select_region((ANNOTATION, "x"))
    assert right.selected_key() == (ANNOTATION, "x") and left.selected is None
    with qtbot.waitSignal(view.region_selected) as selected:
        qtbot.mouseClick(left.viewport(), Qt.MouseButton.LeftButton, pos=point_of(left, (PREDICTION, "x")))
    assert selected.args == [(PREDICTION, "x")]
    view.side_by_side.setChecked(False)
    assert not right.isVisible()
    view.choices[0].setCurrentIndex(1)  # the prediction alone; the list then asks for the annotation's span
    view.select_region((ANNOTATION, "x"))
    assert left.selected_key() == (ANNOTATION, "x")  # the choice switched to show it


def test_region_filter_hides_spans_and_tags_can_be_turned_off(make_view):
    view = make_view(text_task("Alice met Bob", [span(0, 5, "PER", "a"), span(10, 13, "LOC", "b")]))
    pane = view.panes[0]
    tall = pane.laid.height
    view.set_region_filter(lambda layer, region: region.id != "a")
    assert [s.region.id for s in pane.model.spans] == ["b"]
    view.set_tags_shown(False)
    assert pane.laid.height < tall and not any(s.tag for line in pane.laid.lines for s in line.segments)


def test_the_window_shows_text_tasks_in_the_text_view_and_the_region_list_follows(qtbot, tmp_path):
    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow

    tasks, config = write_project(tmp_path, [text_task("Alice met Bob", [span(0, 5, "PER", "a"),
                                                                          span(10, 13, "LOC", "b")])], CONFIG)
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(str(tasks), str(config)))
    page = window.text_page
    assert window.central.currentWidget() is page.view
    rows = window.region_list
    assert rows.topLevelItemCount() == 2
    pane = page.view.panes[0]
    with qtbot.waitSignal(page.view.region_selected):
        qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=point_of(pane, (PREDICTION, "b")))
    assert rows.selected_key() == (PREDICTION, "b")
    rows.select(None)
    rows.setCurrentItem(rows.topLevelItem(0))
    assert pane.selected_key() == rows.selected_key() == (PREDICTION, "a")
    window.layer_list.set_visible(PREDICTION, False)
    assert pane.model.spans == ()
    window.loader.wait()

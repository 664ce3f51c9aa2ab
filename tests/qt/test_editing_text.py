"""Spans made by selecting text with the mouse and pressing a label's hotkey (or picking the label): code points
for Text even after an emoji, UTF-16 inside phrases for Paragraphs and inside HyperText's text nodes; working spans
relabel and delete."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.builders import write_project
from viewer.render.text_hits import range_rects

TEXT_CONFIG = ('<View><Text name="text" value="$text"/><Labels name="ner" toName="text">'
               '<Label value="PER" hotkey="1"/><Label value="LOC" hotkey="l"/></Labels></View>')
DIALOG_CONFIG = ('<View><Paragraphs name="dialog" value="$dialog" nameKey="author" textKey="text"/>'
                 '<ParagraphLabels name="plabels" toName="dialog"><Label value="Question" hotkey="q"/>'
                 '</ParagraphLabels></View>')
TEXT = "Hi 😀 there\r\nBob went home"


def open_text_window(qtbot, folder, data: dict, config: str):
    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow

    tasks, config_path = write_project(folder, [{"id": 1, "data": data, "predictions": []}], config)
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(str(tasks), str(config_path), None, str(folder / "review.sqlite")))
    assert window.text_page.active
    return window


def select_text(window, start: int, end: int) -> None:
    """Drag over shown-text offsets start..end in the first pane."""
    pane = window.text_page.view.panes[0]
    rects = range_rects(pane.laid, start, end, 0.0, pane.laid.height)
    offset = pane.verticalScrollBar().value()
    begin = QPointF(rects[0].left() + 0.5, rects[0].center().y() - offset)
    finish = QPointF(rects[-1].right() - 0.5, rects[-1].center().y() - offset)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    viewport = pane.viewport()
    for kind, point, button, buttons in ((QMouseEvent.Type.MouseButtonPress, begin, left, left),
                                         (QMouseEvent.Type.MouseMove, (begin + finish) / 2, none, left),
                                         (QMouseEvent.Type.MouseMove, finish, none, left),
                                         (QMouseEvent.Type.MouseButtonRelease, finish, left, none)):
        global_point = QPointF(viewport.mapToGlobal(QPoint(round(point.x()), round(point.y()))))
        QApplication.sendEvent(viewport, QMouseEvent(kind, point, global_point, button, buttons,
                                                     Qt.KeyboardModifier.NoModifier))
    pane.setFocus()
    assert pane.text_range == (start, end)


def working(window) -> list[dict]:
    return window.review.session.working_results(window.project.tasks[0]) or []


def test_a_text_span_after_an_emoji_counts_code_points(qtbot, tmp_path):
    window = open_text_window(qtbot, tmp_path, {"text": TEXT}, TEXT_CONFIG)
    start = TEXT.index("Bob")
    assert (start, len(TEXT[:start].encode("utf-16-le")) // 2) == (12, 13)   # code points vs UTF-16 units
    select_text(window, start, start + 3)
    pane = window.text_page.view.panes[0]
    zoom = window.view.zoom()
    qtbot.keyClick(pane, Qt.Key.Key_1)          # the label's hotkey wins over the window's "1" (actual size)
    assert window.view.zoom() == zoom
    (span,) = working(window)
    assert (span["type"], span["from_name"], span["to_name"], span["origin"]) == ("labels", "ner", "text", "manual")
    assert span["value"] == {"start": 12, "end": 15, "text": "Bob", "labels": ["PER"]}
    assert window.review.session.history.undo_label == "Label text"
    assert pane.text_range is None


def test_a_selection_over_the_line_break_stores_it_as_the_editor_does(qtbot, tmp_path):
    window = open_text_window(qtbot, tmp_path, {"text": TEXT}, TEXT_CONFIG)
    start = TEXT.index("there")
    select_text(window, start, TEXT.index("Bob") + 3)
    picker = window.editing.text.picker
    picker.activated.emit([picker.itemText(i) for i in range(picker.count())].index("LOC  (ner)"))
    (span,) = working(window)
    assert span["value"] == {"start": 5, "end": 15, "text": "there\\n\\nBob", "labels": ["LOC"]}


def test_a_working_span_is_relabelled_by_hotkey_and_deleted(qtbot, tmp_path):
    window = open_text_window(qtbot, tmp_path, {"text": TEXT}, TEXT_CONFIG)
    select_text(window, 0, 2)
    pane = window.text_page.view.panes[0]
    qtbot.keyClick(pane, Qt.Key.Key_1)
    (span,) = working(window)
    qtbot.waitUntil(lambda: pane.model is not None and len(pane.model.spans) == 1, timeout=2000)
    key = pane.model.spans[0].key
    window.text_page.view.select_region(key)
    window.text_page.view.region_selected.emit(key)
    qtbot.keyClick(pane, Qt.Key.Key_L)
    assert working(window)[0]["value"]["labels"] == ["LOC"]
    assert window.review.session.history.undo_label == "Relabel region"
    qtbot.keyClick(pane, Qt.Key.Key_Delete)
    assert working(window) == [] and window.review.session.history.undo_label == "Delete region"


PHRASES = [{"author": "Ann", "text": "😀 hi there"}, {"author": "Bo", "text": "ok 😀 yes"}]


@pytest.mark.parametrize("first, last, expected", [
    ("hi", "hi", {"start": "0", "end": "0", "startOffset": 3, "endOffset": 5, "text": "hi"}),
    ("there", "yes", {"start": "0", "end": "1", "startOffset": 6, "endOffset": 9, "text": "there\nok 😀 yes"}),
])
def test_paragraph_spans_count_utf16_units_inside_their_phrases(qtbot, tmp_path, first, last, expected):
    window = open_text_window(qtbot, tmp_path, {"dialog": PHRASES}, DIALOG_CONFIG)
    shown = window.text_page.view.current.document.text
    start = shown.index(first)
    end = shown.rindex(last) + len(last)
    select_text(window, start, end)
    qtbot.keyClick(window.text_page.view.panes[0], Qt.Key.Key_Q)
    (span,) = working(window)
    assert span["type"] == "paragraphlabels" and span["value"] == {**expected, "paragraphlabels": ["Question"]}


def test_no_span_starts_or_ends_in_a_phrase_without_text(qtbot, tmp_path):
    window = open_text_window(qtbot, tmp_path, {"dialog": [PHRASES[0], {"author": "Cy"}]}, DIALOG_CONFIG)
    shown = window.text_page.view.current.document.text
    select_text(window, shown.index("there"), len(shown))
    qtbot.keyClick(window.text_page.view.panes[0], Qt.Key.Key_Q)
    assert working(window) == []


HTML_CONFIG = ('<View><HyperText name="html" value="$html"/><HyperTextLabels name="hl" toName="html">'
               '<Label value="Name" hotkey="n"/></HyperTextLabels></View>')
HTML = "<div>\n  <h2>Title</h2>\n  <p>Hello <b>Bob</b> and <i>Ann</i>.</p></div>"


def test_a_hypertext_selection_and_hotkey_make_a_span_placed_where_it_was_selected(qtbot, tmp_path):
    window = open_text_window(qtbot, tmp_path, {"html": HTML}, HTML_CONFIG)
    pane = window.text_page.view.panes[0]
    shown = window.text_page.view.current.document.text
    start = shown.index("Bob")
    select_text(window, start, shown.index("Ann") + 3)
    qtbot.keyClick(pane, Qt.Key.Key_N)
    (span,) = working(window)
    assert (span["type"], span["from_name"], span["to_name"]) == ("hypertextlabels", "hl", "html")
    assert span["value"] == {"start": "/div[1]/p[1]/b[1]/text()[1]", "startOffset": 0,
                             "end": "/div[1]/p[1]/i[1]/text()[1]", "endOffset": 3,
                             "globalOffsets": {"start": 17, "end": 28}, "text": "Bob and Ann",
                             "hypertextlabels": ["Name"]}
    qtbot.waitUntil(lambda: pane.model is not None and len(pane.model.spans) == 1, timeout=2000)
    assert pane.model.spans[0].ranges == ((start, start + 11),) and pane.model.spans[0].problem is None


def test_a_hypertext_span_after_an_emoji_stores_utf16_offsets_and_code_point_global_offsets(qtbot, tmp_path):
    # the example: Label Studio reads startOffset/endOffset in a text node as UTF-16 units (DOM Range)
    window = open_text_window(qtbot, tmp_path, {"html": "<p>Tom &amp; Jerry&nbsp;go 😀 home<br>next line</p>"},
                              HTML_CONFIG)
    pane = window.text_page.view.panes[0]
    shown = window.text_page.view.current.document.text
    start = shown.index("😀")
    select_text(window, start, start + len("😀 home"))
    qtbot.keyClick(pane, Qt.Key.Key_N)
    (span,) = working(window)
    assert span["value"] == {"start": "/p[1]/text()[1]", "startOffset": 15, "end": "/p[1]/text()[1]",
                             "endOffset": 22, "globalOffsets": {"start": 15, "end": 21}, "text": "😀 home",
                             "hypertextlabels": ["Name"]}
    qtbot.waitUntil(lambda: pane.model is not None and len(pane.model.spans) == 1, timeout=2000)
    placed = pane.model.spans[0]
    assert placed.ranges == ((start, start + 6),) and placed.placed_by == "xpath" and placed.problem is None

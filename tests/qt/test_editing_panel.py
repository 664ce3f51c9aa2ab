"""The Region panel: the selected working region's label and per-region values (OCR text, choices shown only for
the labels they apply to), and the working annotation's whole-task answers; each change is one command."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.qt.editing_support import accept_all, box, open_editing_window, regions, select, working


@pytest.fixture
def window(qtbot, tmp_path):
    main = open_editing_window(qtbot, tmp_path, [box()])
    accept_all(main)
    return main


def test_per_region_text_is_typed_and_saved_as_one_command(window, qtbot):
    select(qtbot, window, "r1")
    editor = window.editing.region_editor
    assert set(editor.region_fields) == {"transcription", "colour"}   # colour applies to Car regions
    field = editor.region_fields["transcription"]
    done = len(window.review.session.history._done)
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "Stop ")
    field.edit.insertPlainText("Ünïcode 😀")   # pasted: QTest's typing takes ASCII only
    qtbot.keyClicks(field.edit, " text")
    assert len(window.review.session.history._done) == done             # nothing is saved while typing
    window.view.setFocus()                                              # leaving the box saves it
    qtbot.waitUntil(lambda: len(window.review.session.history._done) == done + 1, timeout=2000)
    text = next(r for r in working(window) if r["from_name"] == "transcription")
    assert (text["id"], text["type"], text["value"]["text"]) == ("r1", "textarea", ["Stop Ünïcode 😀 text"])
    assert text["value"]["x"] == 10                                     # it carries the region's geometry
    assert regions(window)["r1"].values["transcription"]["text"] == ["Stop Ünïcode 😀 text"]


def test_per_region_choices_follow_the_label_and_the_picker_relabels(window, qtbot):
    select(qtbot, window, "r1")
    editor = window.editing.region_editor
    editor.region_fields["colour"].boxes[1].click()
    colour = next(r for r in working(window) if r["from_name"] == "colour")
    assert (colour["id"], colour["value"]["choices"]) == ("r1", ["Blue"])
    person = [editor.label_choice.itemText(i) for i in range(editor.label_choice.count())].index("Person  (label)")
    editor.label_choice.activated.emit(person)
    assert regions(window)["r1"].labels == ("P",)
    assert window.review.session.history.undo_label == "Relabel region"
    qtbot.waitUntil(lambda: set(editor.region_fields) == {"transcription"}, timeout=2000)


def test_whole_task_answers_are_set_and_cleared(window, qtbot):
    editor = window.editing.region_editor
    scene = editor.task_fields[("scene", "image")]
    scene.boxes[1].click()
    answer = next(r for r in working(window) if r["from_name"] == "scene")
    assert (answer["to_name"], answer["type"], answer["value"]) == ("image", "choices", {"choices": ["Night"]})
    scene.boxes[0].click()                                              # single choice: Day replaces Night
    assert next(r for r in working(window) if r["from_name"] == "scene")["value"] == {"choices": ["Day"]}
    scene.boxes[0].click()
    assert not [r for r in working(window) if r["from_name"] == "scene"]
    rating = editor.task_fields[("quality", "image")]
    rating.spin.setFocus()
    rating.spin.selectAll()
    qtbot.keyClicks(rating.spin, "4")
    qtbot.keyClick(rating.spin, Qt.Key.Key_Return)
    assert next(r for r in working(window) if r["from_name"] == "quality")["value"] == {"rating": 4}
    window.review.undo()
    assert not [r for r in working(window) if r["from_name"] == "quality"]
    qtbot.waitUntil(lambda: rating.spin.value() == 0, timeout=2000)     # the panel shows what is stored


def test_number_and_date_fields_commit_what_parses_and_refuse_the_rest(qtbot):
    from viewer.core.config import parse_config
    from viewer.qt.widgets.control_fields import make_field

    config = parse_config('<View><Image name="image" value="$image"/><Number name="count" toName="image" min="0" '
                          'max="10"/><DateTime name="when" toName="image" only="date"/></View>')
    committed = []
    for name, typed in (("count", ["3", "2.5", "11", "x", ""]), ("when", ["2024-05-01", "01/05/2024"])):
        field = make_field(config.controls[name])
        qtbot.addWidget(field)
        field.committed.connect(committed.append)
        field.set_value(3 if name == "count" else None)
        for text in typed:
            field.edit.setText(text)
            field.edit.editingFinished.emit()
    # "3" is what is stored already; 11 is over max, "x" and 01/05/2024 do not parse; empty clears
    assert committed == [2.5, None, "2024-05-01"]


def test_a_text_area_keeps_its_entries_apart_one_paragraph_each(qtbot):
    from viewer.core.config import parse_config
    from viewer.qt.widgets.control_fields import make_field

    config = parse_config('<View><Image name="image" value="$image"/>'
                          '<TextArea name="notes" toName="image"/></View>')
    field = make_field(config.controls["notes"])
    qtbot.addWidget(field)
    committed = []
    field.committed.connect(committed.append)
    field.set_value(["a", "two\nlines"])
    assert field.edit.document().blockCount() == 2
    field.commit()
    assert committed == []                                              # shown and read back unchanged
    field.edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(field.edit, "c")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(field.edit, "d")
    field.commit()
    assert committed == [["a", "two\nlines", "c\nd"]]
    field.edit.clear()
    field.commit()
    assert committed[-1] is None

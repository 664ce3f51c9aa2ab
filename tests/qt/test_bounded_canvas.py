"""The window on huge inputs (issue 11): a bounded placeholder under regions kept in their numbers, a text view
that lays out at most MAX_SHOWN_CHARACTERS."""

from __future__ import annotations

from tests.builders import IMAGE_CONFIG, TEXT_CONFIG, image_task, rect, write_project
from tests.qt.review_project import open_window
from viewer.core.text_layout import MAX_SHOWN_CHARACTERS
from viewer.render.content import FALLBACK_SIZE, PLACEHOLDER_PIXELS


def sized(width, height, task_id):
    """A task whose image is missing and whose one result declares original_width/height."""
    return image_task({**rect("r1"), "original_width": width, "original_height": height},
                      image="img/missing.png", task_id=task_id)


def test_a_40000_px_missing_image_is_a_bounded_placeholder_under_its_regions(qtbot, tmp_path):
    tasks, config = write_project(tmp_path, [sized(40000, 30000, 1)], IMAGE_CONFIG)
    window = open_window(qtbot, tmp_path, tasks, config)
    scene = window.scene
    pixmap = scene.image_item.pixmap()
    assert scene.content.size == (40000, 30000)
    assert pixmap.width() * pixmap.height() <= PLACEHOLDER_PIXELS and pixmap.width() > 1000
    # the placeholder covers the whole region space, and the region sits at its own numbers
    assert scene.image_item.sceneBoundingRect().width() == 40000
    assert round(scene.image_item.sceneBoundingRect().height()) == 30000
    item = next(iter(scene.items_by_key.values()))
    assert round(item.sceneBoundingRect().center().x()) == 10000  # x 10 % + width 30 % / 2 of 40000
    assert "placeholder drawn at 4729x3547, the 40000x30000 region space scaled" in window.statusBar().currentMessage()
    window.loader.wait()


def test_a_size_of_2_to_the_63_opens_on_the_stand_in(qtbot, tmp_path):
    tasks, config = write_project(tmp_path, [sized(2 ** 63, 100, 7)], IMAGE_CONFIG)
    window = open_window(qtbot, tmp_path, tasks, config)
    assert window.scene.content.size == FALLBACK_SIZE
    assert "no usable size" in window.scene.content.problem
    assert len(window.scene.items_by_key) == 1
    window.loader.wait()


def test_the_text_view_lays_out_the_first_characters_and_says_so(qtbot, tmp_path):
    from viewer.core.project import open_project
    from viewer.qt.widgets.text_view import TextView

    text = "Alice met Bob.\n" * 40_000                                      # 600,000 characters
    result = {"id": "far", "from_name": "ner", "to_name": "text", "type": "labels",
              "value": {"start": 500_000, "end": 500_005, "labels": ["PER"]}}
    tasks, config = write_project(tmp_path, [{"id": 1, "data": {"text": text},
                                              "predictions": [{"result": [result]}]}], TEXT_CONFIG)
    project = open_project(tasks, config)
    view = TextView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    view.set_task(project, project.tasks[0])
    pane = next(pane for pane in view.panes if pane.model.document.object_name == "text")
    assert len(pane.model.document.text) == MAX_SHOWN_CHARACTERS
    assert [span.region.id for span in pane.model.unplaced] == ["far"]
    # the note is a line of the view itself, above the text
    notes = [pane.laid.layouts[line.layout].text() for line in pane.laid.lines if line.start == -1]
    assert any("text cut at 300,000 of 600,000 characters" in note for note in notes)
    assert any("Not placed: far (PER): not shown" in note for note in notes)

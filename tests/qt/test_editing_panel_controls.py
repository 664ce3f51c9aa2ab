"""The Region panel's DateTime and Taxonomy (per region and whole task), and per-region controls shown only while
their visibleWhen holds (FORMAT.md 4, 7.2)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.qt.editing_support import accept_all, box, open_editing_window, regions, select, working

CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="Car"/></RectangleLabels>
  <DateTime name="seen" toName="image" perRegion="true" only="date"/>
  <Taxonomy name="kind" toName="image" perRegion="true">
    <Choice value="Vehicle"><Choice value="Car"/><Choice value="Bus" alias="B"/></Choice><Choice value="Other"/>
  </Taxonomy>
  <Taxonomy name="topic" toName="image"><Choice value="Road"><Choice value="Urban"/></Choice></Taxonomy>
</View>
"""


def items(field) -> dict:
    return {"/".join(path): item for item, path in field.items}


def test_taxonomy_options_know_their_paths():
    from viewer.core.config import parse_config

    control = parse_config(CONFIG).controls["kind"]
    assert [c.path for c in control.labels] == [["Vehicle"], ["Vehicle", "Car"], ["Vehicle", "B"], ["Other"]]


def test_per_region_date_and_taxonomy_are_set_and_shown(qtbot, tmp_path):
    window = open_editing_window(qtbot, tmp_path, [box()], CONFIG)
    accept_all(window)
    select(qtbot, window, "r1")
    editor = window.editing.region_editor
    assert list(editor.region_fields) == ["seen", "kind"]
    seen = editor.region_fields["seen"]
    seen.edit.setText("2024-05-01")
    seen.edit.editingFinished.emit()
    items(editor.region_fields["kind"])["Vehicle/B"].setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: items(editor.region_fields["kind"])["Vehicle/B"].checkState(0) == Qt.CheckState.Checked,
                    timeout=2000)                                     # the panel shows what was stored
    items(editor.region_fields["kind"])["Other"].setCheckState(0, Qt.CheckState.Checked)
    by_name = {r["from_name"]: r for r in working(window)}
    assert (by_name["seen"]["id"], by_name["seen"]["type"], by_name["seen"]["value"]["datetime"]) == \
        ("r1", "datetime", "2024-05-01")
    assert (by_name["kind"]["id"], by_name["kind"]["type"], by_name["kind"]["value"]["taxonomy"]) == \
        ("r1", "taxonomy", [["Vehicle", "B"], ["Other"]])
    assert regions(window)["r1"].values["kind"]["taxonomy"] == [["Vehicle", "B"], ["Other"]]
    window.review.undo()
    qtbot.waitUntil(lambda: items(editor.region_fields["kind"])["Other"].checkState(0) == Qt.CheckState.Unchecked,
                    timeout=2000)
    assert items(editor.region_fields["kind"])["Vehicle/B"].checkState(0) == Qt.CheckState.Checked


def test_whole_task_taxonomy_is_set_and_cleared(qtbot, tmp_path):
    window = open_editing_window(qtbot, tmp_path, [box()], CONFIG)
    topic = window.editing.region_editor.task_fields[("topic", "image")]
    items(topic)["Road/Urban"].setCheckState(0, Qt.CheckState.Checked)
    answer = next(r for r in working(window) if r["from_name"] == "topic")
    assert (answer["to_name"], answer["type"], answer["value"]) == ("image", "taxonomy",
                                                                     {"taxonomy": [["Road", "Urban"]]})
    items(topic)["Road/Urban"].setCheckState(0, Qt.CheckState.Unchecked)
    assert not [r for r in working(window) if r["from_name"] == "topic"]


VISIBLE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="Car"/></RectangleLabels>
  <RectangleLabels name="other" toName="image"><Label value="Sign"/></RectangleLabels>
  <Choices name="scene" toName="image"><Choice value="Day"/><Choice value="Night"/></Choices>
  <Choices name="colour" toName="image" perRegion="true"><Choice value="Red" alias="R"/><Choice value="Blue"/></Choices>
  <TextArea name="plate" toName="image" perRegion="true" visibleWhen="choice-selected" whenTagName="colour"
            whenChoiceValue="Red"/>
  <Number name="lights" toName="image" perRegion="true" visibleWhen="choice-unselected" whenTagName="scene"
          whenChoiceValue="Day"/>
  <Rating name="sure" toName="image" perRegion="true" visibleWhen="region-selected" whenTagName="other"/>
  <Rating name="seen" toName="image" perRegion="true" visibleWhen="region-selected" whenTagName="label"/>
  <TextArea name="hint" toName="image" perRegion="true" visibleWhen="no-region-selected"/>
</View>
"""


def test_per_region_controls_show_only_while_their_visible_when_holds(qtbot, tmp_path):
    plate = {"id": "r1", "from_name": "plate", "to_name": "image", "type": "textarea",
             "value": {"x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0, "rotation": 0.0, "text": ["AB 123"]}}
    window = open_editing_window(qtbot, tmp_path, [box(), plate], VISIBLE_CONFIG)
    accept_all(window)
    select(qtbot, window, "r1")
    editor = window.editing.region_editor
    assert list(editor.region_fields) == ["colour", "lights", "seen"]  # plate's stored text is not offered
    editor.region_fields["colour"].boxes[0].click()                    # Red (stored as its alias R)
    qtbot.waitUntil(lambda: list(editor.region_fields) == ["colour", "plate", "lights", "seen"], timeout=2000)
    assert editor.region_fields["plate"].edit.toPlainText() == "AB 123"
    editor.task_fields[("scene", "image")].boxes[0].click()             # Day, for the whole task
    qtbot.waitUntil(lambda: list(editor.region_fields) == ["colour", "plate", "seen"], timeout=2000)
    editor.task_fields[("scene", "image")].boxes[1].click()             # Night: Day is unselected again
    qtbot.waitUntil(lambda: "lights" in editor.region_fields, timeout=2000)


def test_visibility_without_a_tag_name_looks_at_every_choices_control():
    from viewer.core.config import parse_config
    from viewer.core.regions import group_results
    from viewer.core.editing.control_visibility import flat_selection, shows_for

    config = parse_config(VISIBLE_CONFIG.replace(
        '<Rating name="sure"', '<Rating name="any" toName="image" perRegion="true" visibleWhen="choice-selected"/>'
        '<Rating name="bare" toName="image" perRegion="true" whenChoiceValue="Night"/>'
        '<Rating name="lost" toName="image" perRegion="true" visibleWhen="choice-selected" whenTagName="nope"/>'
        '<Rating name="sure"'))
    (region,) = group_results([box()], "annotation", 0, lambda name: "image").regions
    assert flat_selection([["A", "A1"], "B", 3]) == ["A", "A1", "B"]
    controls = config.controls
    for chosen, shown in (({}, set()), ({"scene": ["Night"]}, {"any", "bare"}), ({"colour": ["Blue"]}, {"any"})):
        assert {name for name in ("any", "bare", "lost") if shows_for(config, controls[name], region, chosen)} == shown

"""ReviewController: the edit API the canvas editors call, each call one command with a label and one undo step,
and the session's listeners adapted to working_changed / task_changed."""

from __future__ import annotations

import pytest

from tests.qt.review_project import read_session
from viewer.qt.review.controller import session_path


def prediction(review, task_index, region_id):
    return next(r for r in review.prediction_regions(task_index) if r.id == region_id)


def test_session_lives_beside_the_task_file_and_the_demo_never_in_the_package(tmp_path, review):
    assert review.path == tmp_path / "tasks.lsview.sqlite"
    assert session_path(tmp_path / "tasks.json", tmp_path / "mine.sqlite") == tmp_path / "mine.sqlite"
    from viewer.qt.main_window import demo_request

    demo = session_path(demo_request().tasks)
    assert demo.parent == tmp_path / "lsview-data" and "viewer" not in demo.parts


def test_commands_are_signalled_by_task_index(review, qtbot):
    changed, each = [], []
    review.working_changed.connect(changed.append)
    review.task_changed.connect(each.append)
    review.accept(0, [prediction(review, 0, "r1")])
    assert changed == [{0}] and each == [0]
    assert review.accept_above(None, 0.75) == "Accept 2 regions scoring 0.75 or more"
    assert changed[-1] == {1, 2} and each[-2:] == [1, 2]
    assert review.undo() == "Accept 2 regions scoring 0.75 or more" and changed[-1] == {1, 2}


def test_edit_add_and_delete_a_working_region(review, tmp_path):
    review.accept(0, [prediction(review, 0, "r1")])
    def moved():
        return [{**r, "value": {**r["value"], "x": 70}} for r in review.session.working_results(review.task(0))]

    assert review.edit_region(0, "r1", moved(), "Move rectangle")
    assert not review.edit_region(0, "r1", moved(), "Move rectangle")  # the same value: no command
    assert review.undo_label == "Move rectangle"
    new_id = review.add_region(0, [{"from_name": "label", "to_name": "image", "type": "rectanglelabels",
                                    "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["Car"]}}],
                               "Draw rectangle")
    stored = read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]["id:1"]["results"]
    origins = {r["id"]: (r["origin"], r["value"]["x"]) for r in stored}
    assert origins == {"r1": ("prediction-changed", 70), new_id: ("manual", 1)}
    assert review.delete_region(0, new_id) and not review.delete_region(0, new_id)
    assert review.undo() == "Delete region"


def test_a_whole_object_answer_is_set_changed_and_cleared_one_step_each(review, tmp_path):
    review.copy_prediction(0, 0)
    results = lambda: read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]["id:1"]["results"]  # noqa: E731
    assert review.set_classification(0, "scene", "image", "choices", "choices", ["Night"])
    answer = [r for r in results() if r["from_name"] == "scene"]
    assert answer == [{**answer[0], "id": "c1", "value": {"choices": ["Night"]}, "origin": "prediction-changed"}]
    assert review.undo_label == "Set scene"
    assert not review.set_classification(0, "scene", "image", "choices", "choices", ["Night"])
    assert review.set_classification(0, "scene", "image", "choices", "choices", None)
    assert not [r for r in results() if r["from_name"] == "scene"] and review.undo_label == "Clear scene"
    review.undo()
    review.undo()
    assert [r["value"] for r in results() if r["from_name"] == "scene"] == [{"choices": ["Day"]}]


def test_a_new_answer_is_manual_and_a_region_payload_joins_its_region(review, tmp_path):
    assert review.set_classification(1, "scene", "image", "choices", "choices", ["Day"])
    review.accept(1, [prediction(review, 1, "s1")])
    assert review.set_region_payload(1, "s1", "transcription", "textarea", "text", ["ABC 123"])
    stored = read_session(tmp_path / "tasks.lsview.sqlite")["tasks"]["id:2"]["results"]
    answer = next(r for r in stored if r["from_name"] == "scene")
    assert answer["origin"] == "manual" and answer["value"] == {"choices": ["Day"]}
    text = next(r for r in stored if r["from_name"] == "transcription")
    assert text["id"] == "s1" and text["value"]["text"] == ["ABC 123"] and text["value"]["x"] == 60
    assert {r["origin"] for r in stored if r["id"] == "s1"} == {"prediction-changed"}
    assert review.undo_label == "Set transcription"
    with pytest.raises(KeyError):
        review.set_region_payload(1, "no-such-region", "transcription", "textarea", "text", ["x"])

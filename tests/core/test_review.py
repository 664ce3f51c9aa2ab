"""Review sessions: accept, reject, edit, undo, statuses, persistence and task mapping (no Qt)."""

from __future__ import annotations

import json

import pytest

from tests.builders import GEOM, image_task, make_image, rect, write_project
from viewer.core.project import open_project
from viewer.core.review.keys import data_hash, default_session_path
from viewer.core.review.session import ReviewSession


def make(tmp_path, tasks=None):
    make_image(tmp_path / "img" / "a.png")
    if tasks is None:
        relation = {"type": "relation", "from_id": "r1", "to_id": "r2", "direction": "right"}
        tasks = [image_task(rect("r1", score=0.9), rect("r2", ["P"], score=0.4), rect("r3", score=0.7), relation,
                            task_id=1),
                 image_task(rect("r1", score=0.95), task_id=2, score=0.5)]
    tasks_path, config_path = write_project(tmp_path, tasks)
    project = open_project(tasks_path, config_path)
    return project, ReviewSession.open(project)


def region(session, task, rid):
    return next(r for r in session.prediction_regions(task) if r.id == rid)


def test_session_file_lives_beside_the_task_file(tmp_path):
    project, session = make(tmp_path)
    assert session.store.path == tmp_path / "tasks.lsview.sqlite" == default_session_path(tmp_path / "tasks.json")


def test_accept_copies_results_with_ids_and_origin_and_records_the_decision(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    command = session.accept(task, [region(session, task, "r1")])
    assert command.label == "Accept 1 region"
    results = session.working_results(task)
    assert [(r["id"], r["origin"]) for r in results] == [("r1", "prediction")]
    assert results[0]["value"]["rectanglelabels"] == ["Car"]
    assert session.decision(task, 0, "r1") == "accepted" and session.status(task) == "in-progress"
    assert project.tasks[0].predictions[0].results[0].get("origin") is None  # the prediction is untouched


def test_relations_follow_when_both_ends_are_accepted(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    session.accept(task, [region(session, task, "r1")])
    assert not [r for r in session.working_results(task) if r.get("type") == "relation"]
    session.accept(task, [region(session, task, "r2")])
    assert [r for r in session.working_results(task) if r.get("type") == "relation"][0]["to_id"] == "r2"
    assert session.working_results(task)[-1]["type"] == "relation"


def test_reject_is_a_decision_and_takes_back_an_unchanged_copy(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    session.reject(task, [region(session, task, "r3")])
    assert session.decision(task, 0, "r3") == "rejected" and session.working_results(task) == []
    session.accept(task, [region(session, task, "r1")])
    session.reject(task, [region(session, task, "r1")])
    assert session.working_results(task) == []


def test_next_undecided_by_score_then_by_position(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    assert session.next_undecided(task).id == "r1"
    session.accept(task, [region(session, task, "r1")])
    assert session.next_undecided(task).id == "r3"
    assert session.next_undecided(task, order="position").id == "r2"
    session.reject(task, [region(session, task, "r3"), region(session, task, "r2")])
    assert session.next_undecided(task) is None


def test_edits_change_origin_and_new_regions_are_manual(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    session.accept(task, [region(session, task, "r1")])
    moved = [{**r, "value": {**r["value"], "x": 50}} for r in session.working_results(task)]
    assert session.edit_region(task, "r1", moved, "Move rectangle").label == "Move rectangle"
    assert session.working_results(task)[0]["origin"] == "prediction-changed"
    assert session.edit_region(task, "r1", session.working_results(task), "Move rectangle") is None
    _, new_id = session.add_region(task, [rect("ignored", labels=["P"])], "Draw rectangle")
    added = [r for r in session.working_results(task) if r["id"] == new_id]
    assert added[0]["origin"] == "manual" and len(new_id) == 10
    session.edit_region(task, new_id, [{**added[0], "value": {**added[0]["value"], "y": 1}}], "Move rectangle")
    assert [r for r in session.working_results(task) if r["id"] == new_id][0]["origin"] == "manual"
    session.delete_region(task, new_id)
    assert [r["id"] for r in session.working_results(task)] == ["r1"]


def test_same_id_from_two_predictions_gets_a_new_id(tmp_path):
    tasks = [{"id": 1, "data": {"image": "img/a.png"}, "predictions": [
        {"model_version": "a", "result": [rect("r1")]}, {"model_version": "b", "result": [rect("r1", ["P"])]}]}]
    project, session = make(tmp_path, tasks)
    task = project.tasks[0]
    session.accept(task, session.prediction_regions(task))
    ids = [r["id"] for r in session.working_results(task)]
    assert ids[0] == "r1" and ids[1] != "r1" and len(set(ids)) == 2
    assert session.decision(task, 1, "r1") == "accepted"


def test_undo_and_redo_with_labels_and_lead_time_is_not_undone(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    session.accept(task, [region(session, task, "r1")])
    session.set_status(task, "accepted")
    session.add_lead_time(task, 12.5)
    assert session.history.undo_label == "Mark task accepted"
    assert session.undo() == "Mark task accepted" and session.status(task) == "in-progress"
    assert session.undo() == "Accept 1 region"
    assert session.working_results(task) is None and session.decision(task, 0, "r1") is None
    assert session.status(task) == "not-reviewed" and session.record(task).lead_time == 12.5
    assert session.history.redo_label == "Accept 1 region"
    session.redo()
    assert session.decision(task, 0, "r1") == "accepted"
    assert session.undo() == "Accept 1 region" and session.undo() is None


def test_accept_above_spans_tasks_in_one_step_and_uses_prediction_scores(tmp_path):
    project, session = make(tmp_path)
    session.reject(project.tasks[0], [region(session, project.tasks[0], "r1")])
    command = session.accept_above(project.tasks, 0.6)
    assert command.label == "Accept 2 regions scoring 0.6 or more"
    assert [r["id"] for r in session.working_results(project.tasks[0])] == ["r3"]
    assert [r["id"] for r in session.working_results(project.tasks[1])] == ["r1"]
    session.undo()
    assert session.working_results(project.tasks[1]) is None


def test_everything_is_on_disk_after_each_action_and_resumes(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    session.accept(task, [region(session, task, "r1")])
    session.set_note(task, "box too tight")
    session.set_position(project.tasks[1])
    session.close()
    again = ReviewSession.open(open_project(tmp_path / "tasks.json", tmp_path / "config.xml"))
    task = again.project.tasks[0]
    assert again.decision(task, 0, "r1") == "accepted"
    assert again.record(task).note == "box too tight"
    assert again.position == "id:2"
    assert again.working_results(task)[0]["origin"] == "prediction"


def test_every_saved_record_carries_its_tasks_data_hash(tmp_path):
    # Blank records are made without hashing the task data; whatever first saves one (a decision, the time
    # spent, an undo back to blank) gives it the hash that matches work to tasks when ids change.
    project, session = make(tmp_path)
    first, second = project.tasks[0], project.tasks[1]
    assert session.record(first).data_hash == ""                  # read only: nothing hashed, nothing kept
    session.accept(first, [region(session, first, "r1")])
    session.undo()
    session.add_lead_time(second, 3.0)
    session.close()
    again = ReviewSession.open(open_project(tmp_path / "tasks.json", tmp_path / "config.xml"))
    for task in (first, second):
        assert again.record(again.project.tasks[task.index]).data_hash == data_hash(task.data)


def test_work_follows_tasks_when_the_file_changes(tmp_path):
    no_id = {"data": {"image": "img/a.png", "n": 7}, "predictions": [{"result": [rect("q")]}]}
    project, session = make(tmp_path, [image_task(rect("r1"), task_id=1), no_id,
                                       image_task(rect("z"), task_id=9, image="img/9.png")])
    session.accept(project.tasks[0], session.prediction_regions(project.tasks[0]))
    session.accept(project.tasks[1], session.prediction_regions(project.tasks[1]))
    session.set_status(project.tasks[2], "needs-fix")
    session.close()
    # reorder, drop task 9, add a new one
    (tmp_path / "tasks.json").write_text(json.dumps([image_task(rect("n"), task_id=5, image="img/5.png"), no_id,
                                                     image_task(rect("r1"), task_id=1)]), encoding="utf-8")
    again = ReviewSession.open(open_project(tmp_path / "tasks.json", tmp_path / "config.xml"))
    tasks = again.project.tasks
    assert again.working_results(tasks[2])[0]["id"] == "r1"
    assert again.working_results(tasks[1])[0]["id"] == "q"
    assert again.working_results(tasks[0]) is None
    assert [r.key for r in again.unmapped] == ["id:9"]


def test_ids_changed_by_a_reimport_are_matched_by_data(tmp_path):
    project, session = make(tmp_path, [image_task(rect("r1"), task_id=1, image="img/x.png")])
    session.accept(project.tasks[0], session.prediction_regions(project.tasks[0]))
    session.close()
    (tmp_path / "tasks.json").write_text(json.dumps([image_task(rect("r1"), task_id=501, image="img/x.png")]),
                                         encoding="utf-8")
    again = ReviewSession.open(open_project(tmp_path / "tasks.json", tmp_path / "config.xml"))
    assert again.working_results(again.project.tasks[0])[0]["id"] == "r1" and again.unmapped == []


def test_a_file_that_is_not_a_session_is_refused_clearly(tmp_path):
    project, _ = make(tmp_path)
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("hello", encoding="utf-8")
    from viewer.core.errors import InputError
    with pytest.raises(InputError, match="not an lsview session"):
        ReviewSession.open(project, bogus)


def test_status_must_be_known(tmp_path):
    project, session = make(tmp_path)
    with pytest.raises(ValueError, match="unknown status"):
        session.set_status(project.tasks[0], "done")
    assert session.set_status(project.tasks[0], "not-reviewed") is None


def test_working_helpers_for_editing_geometry_labels_and_answers():
    from viewer.core.review import working

    ocr = [{"id": "o", "from_name": "bbox", "to_name": "image", "type": "rectangle", "value": dict(GEOM)},
           {"id": "o", "from_name": "ocr", "to_name": "image", "type": "labels",
            "value": {**GEOM, "labels": ["Text"]}}]
    moved = working.with_geometry(ocr, {**GEOM, "x": 55})
    assert [r["value"]["x"] for r in moved] == [55, 55] and moved[1]["value"]["labels"] == ["Text"]
    assert ocr[0]["value"]["x"] == 10  # never changed in place
    typed = working.with_payload(ocr, region_id="o", to_name="image", from_name="transcription",
                                 result_type="textarea", key="text", payload=["TOTAL"])
    assert typed[-1] == {"id": "o", "from_name": "transcription", "to_name": "image", "type": "textarea",
                         "value": {**GEOM, "text": ["TOTAL"]}}
    relabelled = working.with_payload(typed, region_id="o", to_name="image", from_name="ocr",
                                      result_type="labels", key="labels", payload=["Handwriting"])
    assert [r["from_name"] for r in relabelled] == ["bbox", "ocr", "transcription"]
    assert relabelled[1]["value"] == {**GEOM, "labels": ["Handwriting"]}
    cleared = working.with_payload(relabelled, region_id="o", to_name="image", from_name="transcription",
                                   result_type="textarea", key="text", payload=None)
    assert [r["from_name"] for r in cleared] == ["bbox", "ocr"]

    answers = working.set_classification(cleared, from_name="scene", to_name="image", result_type="choices",
                                         key="choices", payload=["Day"])
    answers = working.set_classification(answers, from_name="scene", to_name="image", result_type="choices",
                                         key="choices", payload=["Night"])
    scene = [r for r in answers if r["from_name"] == "scene"]
    assert len(scene) == 1 and scene[0]["value"] == {"choices": ["Night"]} and len(scene[0]["id"]) == 10
    assert working.set_classification(answers, from_name="scene", to_name="image", result_type="choices",
                                      key="choices", payload=None) == cleared

    span = [{"id": "s", "from_name": "ner", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 3, "text": "abc", "labels": ["PER"]}}]
    assert working.geometry_of(span) == {"start": 0, "end": 3, "text": "abc"}
    wider = working.with_geometry(span, {"start": 0, "end": 5, "text": "abcde"})
    assert wider[0]["value"] == {"start": 0, "end": 5, "text": "abcde", "labels": ["PER"]}


def test_copies_are_tracked_per_prediction_region(tmp_path):
    id_less = {"from_name": "label", "to_name": "image", "type": "rectanglelabels",
               "value": {**GEOM, "rectanglelabels": ["Car"]}}
    tasks = [{"id": 1, "data": {"image": "img/a.png"}, "predictions": [
        {"model_version": "a", "result": [rect("car-1"), id_less]},
        {"model_version": "b", "result": [rect("car-1", ["P"])]}]}]
    project, session = make(tmp_path, tasks)
    task = project.tasks[0]
    a_car, a_free = session.prediction_regions(task, "a")
    (b_car,) = session.prediction_regions(task, "b")
    session.accept(task, [a_car, a_free, b_car])
    results = session.working_results(task)
    assert all(r.get("id") for r in results) and len({r["id"] for r in results}) == 3
    # rejecting b's car takes back b's copy, not a's, though both predictions call it car-1
    session.reject(task, [b_car])
    assert [r["value"]["rectanglelabels"] for r in session.working_results(task)] == [["Car"], ["Car"]]
    assert session.decision(task, 0, "car-1") == "accepted"
    session.reject(task, [a_free])
    assert [r["id"] for r in session.working_results(task)] == ["car-1"]
    session.close()
    again = ReviewSession.open(open_project(tmp_path / "tasks.json", tmp_path / "config.xml"))
    record = again.record(again.project.tasks[0])
    assert record.copies == {(0, "car-1"): "car-1"}


def test_resubmitting_a_region_unchanged_is_not_a_command(tmp_path):
    project, session = make(tmp_path)
    task = project.tasks[0]
    session.accept(task, [region(session, task, "r1")])
    moved = [{**r, "value": {**r["value"], "x": 50}} for r in session.working_results(task)]
    session.edit_region(task, "r1", moved, "Move rectangle")
    stale = [{**r, "origin": "prediction"} for r in session.working_results(task)]
    assert session.edit_region(task, "r1", stale, "Move rectangle") is None
    assert session.history.undo_label == "Move rectangle"


def whole_task_project(tmp_path):
    """Task 1's prediction: two rectangles and a Choices answer c1, a whole-task result."""
    answer = {"id": "c1", "from_name": "choice", "to_name": "image", "type": "choices",
              "value": {"choices": ["Day"]}}
    return make(tmp_path, [image_task(rect("r1", score=0.9), rect("r2", score=0.4), answer, task_id=1)])


def test_a_whole_task_result_is_decided_like_a_region(tmp_path):
    project, session = whole_task_project(tmp_path)
    task = project.tasks[0]
    answer = region(session, task, "c1")
    assert session.next_undecided(task, order="position") is not None
    session.accept(task, [answer])
    copied = [r for r in session.working_results(task) if r["id"] == "c1"]
    assert copied == [{**task.predictions[0].results[2], "origin": "prediction"}]
    assert session.decision(task, 0, "c1") == "accepted"
    session.reject(task, [answer])  # an unchanged copy goes with the rejection
    assert session.decision(task, 0, "c1") == "rejected"
    assert not [r for r in session.working_results(task) if r["id"] == "c1"]
    session.accept(task, [region(session, task, "r1"), region(session, task, "r2")])
    assert session.next_undecided(task) is None  # the answer was decided too


def test_copying_a_whole_prediction_keeps_earlier_rejections(tmp_path):
    project, session = whole_task_project(tmp_path)
    task = project.tasks[0]
    session.reject(task, [region(session, task, "r2"), region(session, task, "c1")])
    copied = session.copy_prediction(task, 0)
    assert (copied.copied, copied.left_out) == (1, 2) and copied.command.label == "Copy prediction 0"
    assert [r["id"] for r in session.working_results(task)] == ["r1"]
    assert session.decision(task, 0, "r2") == session.decision(task, 0, "c1") == "rejected"
    assert session.decision(task, 0, "r1") == "accepted"
    again = session.copy_prediction(task, 0)  # nothing left to copy: no step
    assert (again.command, again.copied, again.left_out) == (None, 0, 2)
    assert session.history.undo_label == "Copy prediction 0"

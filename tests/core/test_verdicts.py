"""Validate's verdicts are Label Studio's: one fixture per case of issue 14 (tests/data/verdicts), with the code,
the severity (error: refused or not shown; warning: shown, but not as meant; info: the rest) and the exit code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core import rle
from viewer.core.content import task_content
from viewer.core.diagnostics import CODES, diagnose, summary
from viewer.core.diagnostics.imports import annotation_id_problem
from viewer.core.diagnostics.model import VERDICTS
from viewer.core.export.ls_json import _task_out
from viewer.core.project import open_project

VERDICT_DATA = Path(__file__).resolve().parents[1] / "data" / "verdicts"

# fixture -> the (code, severity) validate reports, in order
CASES = {
    "annotation_id_string": [("annotation-id-not-integer", "error")],
    "annotation_id_numeric_string": [("annotation-id-not-integer", "info")],   # measured: stored as 1001
    "completed_by_user_id": [("completed-by-unresolved", "warning")],
    "completed_by_email": [("completed-by-unresolved", "warning")],
    "completed_by_no_email": [("completed-by-invalid", "error")],
    "annotation_field_invalid": [("annotation-field-invalid", "error")],
    "predictions_dropped": [("predictions-dropped", "error")],
    "control_without_to_name": [("config-to-name-required", "error")],
    "keypoint_rectangle_from_name": [("type-mismatch", "warning")],
    "brushlabels_labels_from_name": [("type-mismatch", "warning")],
    "magicwand_unknown_from_name": [("unknown-from-name", "warning")],
    "to_name_not_object": [("annotation-fails-to-load", "error")],
    "repeater": [],
    "repeater_short_list": [("unknown-to-name", "error")],
}


def verdicts(case: str):
    folder = VERDICT_DATA / case
    found = list(diagnose(open_project(folder / "tasks.json", folder / "config.xml")))
    report = summary(found)
    return [(d.code, d.severity) for d in found], (1 if report["errors"] else 0), found


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_gets_label_studios_verdict(case):
    found, exit_code, diagnostics = verdicts(case)
    assert found == CASES[case], [d.describe() for d in diagnostics]
    assert exit_code == (1 if any(severity == "error" for _, severity in CASES[case]) else 0)
    for diagnostic in diagnostics:
        assert "Label Studio" in diagnostic.message


def test_every_code_has_one_verdict_and_messages_name_label_studios_behaviour():
    assert set(CODES) == set(VERDICTS)
    assert {severity for severity, _ in VERDICTS.values()} <= {"error", "warning", "info"}
    assert all(behaviour for _, behaviour in VERDICTS.values())


@pytest.mark.parametrize("value, fate", [
    (None, None), (1001, None), (-5, None), (True, None), (1001.0, None), (2 ** 63 - 1, None),
    (2 ** 63, "HTTP 500"), ("test", "HTTP 500"), ("1.5", "HTTP 500"), ([1], "HTTP 500"), ({"a": 1}, "HTTP 500"),
    (float("nan"), "HTTP 500"), ("1001", None), (" 42 ", None),   # numeric strings: stored as their number
])
def test_the_annotation_id_rule_of_the_import(value, fate):
    # Annotation.import_id is a BigIntegerField: Django stores int(value), a failure is an HTTP 500 for the file
    problem = annotation_id_problem(value)
    assert (problem is None) == (fate is None)
    if fate is not None:
        assert fate in problem


@pytest.mark.parametrize("completed_by, verdict", [
    (3, ("completed-by-unresolved", "warning")), ({"email": "x@y.z"}, ("completed-by-unresolved", "warning")),
    ("bob", ("completed-by-invalid", "error")), (1.5, ("completed-by-invalid", "error")),
    ({"id": 3}, ("completed-by-invalid", "error")), (None, None),
])
def test_completed_by_forms(tmp_path, completed_by, verdict):
    make_image(tmp_path / "img" / "a.png")
    task = image_task(rect(), source="annotations")
    task["annotations"][0]["completed_by"] = completed_by
    tasks, config = write_project(tmp_path, [task])
    found = [(d.code, d.severity) for d in diagnose(open_project(tasks, config))]
    assert found == ([verdict] if verdict else [])


def test_export_drops_completed_by_and_ids_label_studio_cannot_store():
    project = open_project(VERDICT_DATA / "annotation_id_string" / "tasks.json",
                           VERDICT_DATA / "annotation_id_string" / "config.xml")
    task = project.tasks[0]
    task.raw["annotations"][0]["completed_by"] = 4
    out = _task_out(task)
    assert "id" not in out["annotations"][0] and "completed_by" not in out["annotations"][0]
    assert task.raw["annotations"][0]["id"] == "test"  # the loaded task is not changed


def _found(tmp_path, *results, size=(640, 480)):
    make_image(tmp_path / "img" / "a.png", size)
    tasks, config = write_project(tmp_path, [image_task(*results)])
    return [(d.code, d.severity) for d in diagnose(open_project(tasks, config))]


def test_a_type_mismatch_not_drawn_stays_an_error(tmp_path):
    # a whole-image answer under a control that writes something else: the editor shows no answer
    found = _found(tmp_path, {"id": "c", "from_name": "transcription", "to_name": "image", "type": "choices",
                              "value": {"choices": ["Day"]}})
    assert ("type-mismatch", "error") in found


def test_an_unknown_from_name_redirected_is_shown_unlabelled(tmp_path):
    assert _found(tmp_path, rect(from_name="labelz")) == [("unknown-from-name", "warning")]


def test_a_region_partly_on_the_image_is_a_warning_wholly_off_an_error(tmp_path):
    assert _found(tmp_path, rect(x=90, width=20)) == [("percent-out-of-range", "warning")]
    assert _found(tmp_path, rect(x=150, width=20)) == [("percent-out-of-range", "error")]


def test_a_short_mask_is_drawn_part_way_a_long_one_not_at_all(tmp_path):
    def brush(rows):
        return {"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
                "value": {"format": "rle", "rle": rle.encode(np.zeros((rows, 640), np.uint8)),
                          "brushlabels": ["Car"]}}
    assert _found(tmp_path, brush(400)) == [("rle-length-mismatch", "warning")]
    assert _found(tmp_path, brush(500)) == [("rle-length-mismatch", "error")]


def test_an_image_lsview_cannot_find_is_only_a_note(tmp_path):
    tasks, config = write_project(tmp_path, [image_task(rect(), image="img/none.png")])
    found = list(diagnose(open_project(tasks, config)))
    assert [(d.code, d.severity) for d in found] == [("media-not-found", "info")]
    assert summary(found)["infos"] == 1 and summary(found)["errors"] == 0


def test_repeated_images_are_the_pages_of_a_task():
    folder = VERDICT_DATA / "repeater"
    project = open_project(folder / "tasks.json", folder / "config.xml")
    first = task_content(project, project.tasks[0])
    assert (first.object_name, first.page_count, first.multi_page) == ("page_0", 2, True)
    second = task_content(project, project.tasks[0], page=1)
    assert second.object_name == "page_1" and [r.id for _, r in second.regions()] == ["s1"]
    assert task_content(project, project.tasks[1]).page_count == 1  # its list has one item


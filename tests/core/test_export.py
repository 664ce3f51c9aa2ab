"""Label Studio JSON export: every rule of FORMAT.md 5.4 and 8 checked on the written file, and a round trip."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from viewer.core.errors import OutputError

from tests.builders import GEOM, image_task, make_image, rect, write_project
from viewer.core import rle
from viewer.core.export import ExportError, ExportOptions
from viewer.core.export.ls_json import write_ls_json
from viewer.core.outputs import OverwriteError
from viewer.core.project import open_project
from viewer.core.regions import group_results
from viewer.core.review.session import ReviewSession
from viewer.core.tasks import load_tasks


def project_with_work(tmp_path):
    make_image(tmp_path / "img" / "rot.jpg", (640, 480), orientation=6)  # decodes as 480 x 640
    mask = np.zeros((640, 480), np.uint8)
    mask[10:20, 10:30] = 255
    ocr = [{"id": "o", "from_name": "bbox", "to_name": "image", "type": "rectangle", "value": dict(GEOM)},
           {"id": "o", "from_name": "ocr", "to_name": "image", "type": "labels", "value": {"labels": ["Text"]}},
           {"id": "o", "from_name": "transcription", "to_name": "image", "type": "textarea",
            "value": {"text": ["TOTAL"]}}]
    brush = {"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
             "value": {"format": "rle", "rle": rle.encode(mask), "brushlabels": ["Car"]}}
    relation = {"type": "relation", "from_id": "r1", "to_id": "o", "direction": "right"}
    tasks = [
        {**image_task(rect("r1", score=0.9), *ocr, brush, relation, task_id=1, image="img/rot.jpg"),
         "meta": {"batch": 3}, "custom": {"kept": True},
         "annotations": [{"id": 77, "completed_by": 3, "result": [rect("h1")], "lead_time": 4.2}]},
        image_task(rect("r1"), task_id=2, image="img/rot.jpg"),
        image_task(rect("r1"), task_id=3, image="img/rot.jpg"),
        {"image": "img/rot.jpg", "predictions": [{"result": [rect("w")]}]},
    ]
    tasks_path, config_path = write_project(tmp_path, tasks)
    project = open_project(tasks_path, config_path)
    session = ReviewSession.open(project)
    first = project.tasks[0]
    session.copy_prediction(first, 0)
    session.set_status(first, "accepted")
    session.add_lead_time(first, 31.25)
    session.set_status(project.tasks[1], "rejected")
    session.accept(project.tasks[3], session.prediction_regions(project.tasks[3]))
    return project, session, json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))


def exported(tmp_path, session, **options):
    out = tmp_path / "out" / "export.json"
    summary = write_ls_json(session, out, ExportOptions(**options))
    return summary, json.loads(out.read_text(encoding="utf-8"))


def test_tasks_keep_their_data_predictions_annotations_and_unknown_fields(tmp_path):
    project, session, original = project_with_work(tmp_path)
    summary, items = exported(tmp_path, session)
    assert isinstance(items, list) and len(items) == 4 == summary.tasks
    first = items[0]
    for key in ("id", "data", "meta", "custom", "predictions"):
        assert first[key] == original[0][key]
    # kept, less `completed_by`: a user of the server it came from, which another server refuses (issue 14)
    assert first["annotations"][0] == {k: v for k, v in original[0]["annotations"][0].items() if k != "completed_by"}
    assert items[2] == original[2]  # not reviewed: exactly as it was
    assert items[3]["data"] == {"image": "img/rot.jpg"}  # the missing data wrapper is added
    assert items[3]["predictions"] == original[3]["predictions"]


def test_the_reviewer_annotation_follows_format_5_4_and_8(tmp_path):
    project, session, _ = project_with_work(tmp_path)
    _, items = exported(tmp_path, session)
    annotation = items[0]["annotations"][-1]
    assert set(annotation) == {"result", "ground_truth", "was_cancelled", "lead_time", "created_at", "updated_at"}
    assert annotation["ground_truth"] is False and annotation["was_cancelled"] is False
    assert annotation["lead_time"] == 31.25 and "completed_by" not in annotation and "id" not in annotation
    results = annotation["result"]
    assert results[-1]["type"] == "relation" and all(r["type"] != "relation" for r in results[:-1])
    ocr = [r for r in results if r.get("id") == "o"]
    assert [r["type"] for r in ocr] == ["rectangle", "labels", "textarea"]
    for result in results[:-1]:
        assert (result["original_width"], result["original_height"]) == (480, 640)  # EXIF-applied size
        assert result["image_rotation"] == 0 and result["origin"] == "prediction"
    for result in ocr:  # full geometry repeated in every result of the region
        assert {k: result["value"][k] for k in GEOM} == GEOM
    assert ocr[2]["value"]["text"] == ["TOTAL"] and ocr[1]["value"]["labels"] == ["Text"]
    brush = next(r for r in results if r.get("id") == "m")
    assert rle.decode(brush["value"]["rle"], 480, 640).sum() == 200 * 255
    rejected = items[1]["annotations"][-1]
    assert rejected["was_cancelled"] is True and rejected["result"] == []


def test_round_trip_reads_back_the_same_regions(tmp_path):
    project, session, _ = project_with_work(tmp_path)
    exported(tmp_path, session)
    back = load_tasks(tmp_path / "out" / "export.json")
    working = session.working_regions(project.tasks[0])
    read = group_results(back[0].annotations[-1].results, "annotation", 1, project.object_kind)
    assert [(r.id, r.shape, r.labels, r.values) for r in read.regions] == [
        (r.id, r.shape, r.labels, r.values) for r in working.regions]
    assert [(r.from_id, r.to_id) for r in read.relations] == [("r1", "o")]


def test_only_reviewed_and_only_accepted(tmp_path):
    project, session, _ = project_with_work(tmp_path)
    _, reviewed = exported(tmp_path, session, only_reviewed=True)
    assert [t.get("id") for t in reviewed] == [1, 2, None]
    _, accepted = exported(tmp_path, session, only_accepted=True)
    assert [t.get("id") for t in accepted] == [1]


def test_never_over_an_input_file_and_whole_or_nothing(tmp_path, monkeypatch):
    project, session, _ = project_with_work(tmp_path)
    before = (tmp_path / "tasks.json").read_bytes()
    for target in (tmp_path / "tasks.json", tmp_path / "config.xml", session.store.path):
        with pytest.raises(OverwriteError, match="is an input file"):
            write_ls_json(session, target)
    with pytest.raises(ExportError, match="is a folder"):
        write_ls_json(session, tmp_path)
    assert (tmp_path / "tasks.json").read_bytes() == before
    out = tmp_path / "export.json"
    out.write_text("previous export", encoding="utf-8")

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("viewer.core.export.ls_json.utf8_json", broken_dump)
    with pytest.raises(OutputError, match="export.json: cannot write it: disk full; nothing was written"):
        write_ls_json(session, out)
    assert out.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_export_of_an_untouched_session_is_the_input(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(rect(), task_id=i) for i in range(3)]
    tasks_path, config_path = write_project(tmp_path, tasks)
    session = ReviewSession.open(open_project(tasks_path, config_path))
    _, items = exported(tmp_path, session)
    assert items == tasks
    assert os.path.exists(tmp_path / "tasks.lsview.sqlite")

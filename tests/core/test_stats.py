"""QA figures on a small session with known decisions, and the report in its three formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.builders import image_task, make_image, rect, write_project
from tests.core.figures_reference import bucket_of
from tests.core.figures_reference import figures as reference_figures
from viewer.core.project import open_project
from viewer.core.report import to_csv, write_report
from viewer.core.review.session import ReviewSession
from viewer.core.stats import BUCKET_NAMES, bucket_index
from viewer.core.stats_index import StatsIndex


def figures(project, session=None):
    """The figures the window and `lsview report` show."""
    return StatsIndex(project).figures(session)


@pytest.fixture
def reviewed(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks = [
        image_task(rect("c1", score=0.95), rect("c2", score=0.85), rect("c3", score=0.35), rect("p1", ["P"], score=0.6),
                   task_id=1),
        image_task(rect("c4", score=0.75), rect("c5", score=0.15), task_id=2),
        {"id": 3, "data": {"image": "img/a.png"}, "predictions": [
            {"model_version": "v2", "score": 0.5, "result": [rect("c6")]}],
         "annotations": [{"result": [rect("h", ["P"])]}]},
    ]
    tasks_path, config_path = write_project(tmp_path, tasks)
    project = open_project(tasks_path, config_path)
    session = ReviewSession.open(project)
    first, second, _ = project.tasks

    def regions(task, *ids):
        return [r for r in session.prediction_regions(task) if r.id in ids]

    session.accept(first, regions(first, "c1", "c2", "p1"))
    moved = [{**r, "value": {**r["value"], "x": 12}} for r in session.working_results(first) if r["id"] == "c2"]
    session.edit_region(first, "c2", moved, "Move rectangle")
    session.reject(first, regions(first, "c3"))
    session.accept(second, regions(second, "c4"))
    session.reject(second, regions(second, "c5"))
    session.add_region(second, [rect("new", ["P"])], "Draw rectangle")
    session.set_status(second, "accepted")
    return project, session


def test_figures_by_hand(reviewed):
    project, session = reviewed
    found = figures(project, session)
    assert (found.tasks, found.reviewed_tasks) == (3, 2)
    assert dict(found.status_counts) == {"in-progress": 1, "accepted": 1, "not-reviewed": 1}
    assert dict(found.regions_per_label["v1"]) == {"Car": 5, "P": 1}
    assert dict(found.regions_per_label["v2"]) == {"Car": 1}
    assert dict(found.regions_per_label["annotations"]) == {"P": 1}
    assert found.score_histogram["v2"]["Car"][bucket_of(0.5)] == 1  # the prediction's score stands in
    car = found.decisions["v1"]["Car"]
    assert car["0.9-1.0"]["accepted"] == 1 and car["0.8-0.9"]["edited"] == 1
    assert car["0.3-0.4"]["rejected"] == 1 and car["0.7-0.8"]["accepted"] == 1 and car["0.1-0.2"]["rejected"] == 1
    assert dict(found.added_per_label) == {"P": 1}
    precision = found.precision()["v1"]["Car"]
    assert precision[0.0] == {"precision": 3 / 5, "kept": 3, "decided": 5}
    assert precision[0.4] == {"precision": 1.0, "kept": 3, "decided": 3}
    assert precision[0.9] == {"precision": 1.0, "kept": 1, "decided": 1}
    assert found.precision()["v1"]["P"][0.7]["precision"] is None
    # the totals the panel and the HTML report plot
    assert dict(found.decisions_by_label("v1")["Car"]) == {"accepted": 2, "edited": 1, "rejected": 2}
    by_bucket = found.decisions_by_bucket("v1")
    assert dict(by_bucket["0.9-1.0"]) == {"accepted": 1} and dict(by_bucket["0.3-0.4"]) == {"rejected": 1}
    assert set(by_bucket) == set(BUCKET_NAMES) and found.decisions_by_label("v9") == {}


def test_report_formats(reviewed, tmp_path):
    project, session = reviewed
    found = figures(project, session)
    json_path = write_report(found, tmp_path / "r.json")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["precision"]["v1"]["Car"]["0.0"]["precision"] == pytest.approx(0.6)
    rows = list(csv.DictReader(io.StringIO(to_csv(found))))
    assert {"figure": "precision", "model_version": "v1", "label": "Car", "bucket": "0.0", "key": "precision",
            "value": "0.6"} in rows
    html = write_report(found, tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count("data:image/svg+xml;base64,") >= 4 and "Estimated precision" in html
    with pytest.raises(Exception, match=".html, .json or .csv"):
        write_report(found, tmp_path / "r.txt")
    with pytest.raises(Exception, match="input file"):
        write_report(found, project.tasks_path, [project.tasks_path])


def test_scores_that_are_no_finite_number_count_as_no_score(tmp_path):
    """Python's json reads NaN and Infinity (numpy pipelines write them); neither may stop the figures."""
    make_image(tmp_path / "img" / "a.png")
    text = json.dumps([{"id": 1, "data": {"image": "img/a.png"}, "predictions": [
        {"model_version": "v1", "score": float("nan"), "result": [rect("a")]},
        {"model_version": "v2", "result": [rect("b", score=float("inf")), rect("c", score=-float("inf")),
                                           rect("d", score=0.42)]}]}])
    assert "NaN" in text and "Infinity" in text
    tasks_path, config_path = write_project(tmp_path, [])
    tasks_path.write_text(text, encoding="utf-8")
    project = open_project(tasks_path, config_path)
    found = figures(project)
    assert found.to_json() == reference_figures(project).to_json()
    assert found.score_histogram["v1"]["Car"] == {"no score": 1}
    assert found.score_histogram["v2"]["Car"] == {"no score": 2, "0.4-0.5": 1}
    assert [BUCKET_NAMES[bucket_index(s)] for s in (float("nan"), float("inf"), None)] == ["no score"] * 3

"""StatsIndex gives the same figures as the plain region-by-region count (tests/core/figures_reference.py): over
all tasks, a subset, and after new review steps."""

from __future__ import annotations

import random

import pytest

from tests.builders import GEOM, make_image, rect, write_project
from tests.core.figures_reference import figures
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession
from viewer.core.stats_index import StatsIndex


def _results(rng: random.Random, count: int) -> list[dict]:
    """A mix of what task files hold: boxes scored per result or per value, labelled polygons and key points,
    multi-result regions, id-less and invalid results, whole-image choices, relations, empty labels."""
    results: list[dict] = []
    for n in range(count):
        rid, kind = f"r{n}", rng.randrange(10)
        score = round(rng.random(), 3)
        if kind == 0:
            results.append({**rect(rid, [rng.choice(["Car", "P"])]), "score": score})
        elif kind == 1:
            results.append(rect(rid, ["Car", "P"], score=score))                   # value.score, two labels
        elif kind == 2:
            results.append(rect(rid, []))                                          # no label, no score
        elif kind == 3:
            results.append({"id": rid, "from_name": "poly", "to_name": "image", "type": "polygonlabels",
                            "value": {"points": [[1, 2], [5, 6], [3, 9]], "polygonlabels": ["Road"]}})
        elif kind == 4:
            results.append({"id": rid, "from_name": "kp", "to_name": "image", "type": "keypointlabels",
                            "score": score, "value": {"x": 5, "y": 6, "width": 1, "keypointlabels": ["Nose"]}})
        elif kind == 5:   # one region of three results: geometry, label, transcription
            results += [{"id": rid, "from_name": "bbox", "to_name": "image", "type": "rectangle",
                         "value": dict(GEOM)},
                        {"id": rid, "from_name": "ocr", "to_name": "image", "type": "labels", "score": score,
                         "value": {**GEOM, "labels": ["Text"]}},
                        {"id": rid, "from_name": "transcription", "to_name": "image", "type": "textarea",
                         "value": {**GEOM, "text": ["12.50"]}}]
        elif kind == 6:   # no id: the region is named after the result's position
            result = rect(rid, ["P"])
            del result["id"]
            results.append(result)
        elif kind == 7:   # wrong field types: invalid regions, left out of the figures; and an ellipse
            results.append(rng.choice([
                rect(rid, ["Car"], x="ten"), rect(rid, ["Car"], rotation=True), rect(rid, ["Car"], height=None),
                {"id": rid, "from_name": "kp", "to_name": "image", "type": "keypointlabels",
                 "value": {"x": 5, "y": "6", "width": 1, "keypointlabels": ["Nose"]}},
                {"id": rid, "from_name": "poly", "to_name": "image", "type": "polygonlabels",
                 "value": {"points": [[1, 2], [5, "6"]], "polygonlabels": ["Road"]}},
                {"id": rid, "from_name": "poly", "to_name": "image", "type": "polygonlabels",
                 "value": {"points": [[1, 2], [5, 6]], "closed": "yes", "polygonlabels": ["Road"]}},
                {"id": rid, "from_name": "ell", "to_name": "image", "type": "ellipselabels",
                 "value": {"x": 5, "y": 6, "radiusX": 2, "radiusY": 3, "ellipselabels": ["Ball"]}}]))
        elif kind == 8:
            results.append({"from_name": "scene", "to_name": "image", "type": "choices",
                            "value": {"choices": ["Day"]}})
        else:
            results.append(rect(rid, [""], score=score))                          # an empty label string
    if len(results) > 2 and rng.random() < 0.3:
        results.append({"type": "relation", "from_id": "r0", "to_id": "r1", "direction": "right"})
    return results


def _task(rng: random.Random, number: int) -> dict:
    task: dict = {"id": number, "data": {"image": "img/a.png"}, "predictions": []}
    for version in rng.choice([["v1"], ["v2"], ["v1", "v2"], [None]]):
        prediction = {"result": _results(rng, rng.randrange(6))}
        if version is not None:
            prediction["model_version"] = version
        if rng.random() < 0.7:
            prediction["score"] = round(rng.random(), 3)
        task["predictions"].append(prediction)
    if rng.random() < 0.1:
        task["annotations"] = [{"result": _results(rng, 3)}]
    return task


@pytest.fixture
def reviewed(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    rng = random.Random(6)
    tasks_path, config_path = write_project(tmp_path, [_task(rng, n) for n in range(300)])
    project = open_project(tasks_path, config_path)
    session = ReviewSession.open(project)
    for task in project.tasks[::3]:
        _review(session, task, rng)
    return project, session


def _review(session: ReviewSession, task, rng: random.Random) -> None:
    """Accept, then edit, reject and draw on one task the way a reviewer would."""
    regions = session.prediction_regions(task)
    rng.shuffle(regions)
    half = len(regions) // 2
    session.accept(task, regions[:half])
    session.reject(task, regions[half:half + 2])
    boxes = [r for r in session.working_results(task) or [] if r.get("type") == "rectanglelabels"
             and r.get("origin") == "prediction" and isinstance(r["value"].get("x"), (int, float))]
    if boxes and rng.random() < 0.5:
        box = boxes[0]
        moved = [{**box, "value": {**box["value"], "x": box["value"]["x"] + 3}}]
        session.edit_region(task, box["id"], moved, "Move rectangle")
    if rng.random() < 0.3:
        session.add_region(task, [rect("new", [rng.choice(["Car", "P"])])], "Draw rectangle")
    if rng.random() < 0.3:
        session.set_status(task, rng.choice(["accepted", "needs-fix", "rejected"]))


def test_all_tasks_and_subsets_match(reviewed):
    project, session = reviewed
    index = StatsIndex(project)
    expected = figures(project, session)
    assert expected.decisions and expected.added_per_label and len(expected.status_counts) > 2  # a real test
    assert {"accepted", "edited", "rejected"} <= {d for v in expected.decisions.values() for lb in v.values()
                                                  for b in lb.values() for d in b}
    found = index.figures(session)
    assert found.to_json() == expected.to_json()
    assert found.label_colors == expected.label_colors
    subset = [i for i in range(len(project.tasks)) if i % 7 in (0, 2, 3)]
    assert index.figures(session, subset).to_json() == \
        figures(project, session, [project.tasks[i] for i in subset]).to_json()
    twice = [5, 5, 9, 3]   # the plain count counts a task as often as it is given
    assert index.figures(session, twice).to_json() == \
        figures(project, session, [project.tasks[i] for i in twice]).to_json()
    assert index.figures(session, []).to_json() == figures(project, session, []).to_json()
    assert index.figures(None).to_json() == figures(project).to_json()
    assert index.figures(None, subset).to_json() == figures(project, None, [project.tasks[i] for i in subset]).to_json()


def test_review_changed_brings_new_decisions_in(reviewed):
    project, session = reviewed
    index = StatsIndex(project)
    before = index.figures(session).to_json()
    rng = random.Random(2)
    changed = [task.index for task in project.tasks[1::4]]
    for task_index in changed:
        _review(session, project.tasks[task_index], rng)
    assert index.figures(session).to_json() == before    # not told yet: the cached figures stand
    index.review_changed(changed)
    assert index.figures(session).to_json() == figures(project, session).to_json()
    assert index.figures(session).to_json() != before
    while session.undo() is not None:
        pass
    index.review_changed(range(len(project.tasks)))
    assert index.figures(session).to_json() == figures(project, session).to_json()


def test_another_session_is_read_whole(reviewed, tmp_path):
    project, session = reviewed
    index = StatsIndex(project)
    index.figures(session)
    other = ReviewSession.open(project, tmp_path / "other.lsview.sqlite")
    task = project.tasks[4]
    other.reject(task, session.prediction_regions(task)[:1])
    assert index.figures(other).to_json() == figures(project, other).to_json()
    other.close()

"""`inspect` records: every region kind resolved to pixels of the decoded image, spans to their text."""

from __future__ import annotations

import json

import pytest

from tests.builders import GEOM, TEXT_CONFIG, image_task, make_image, rect, write_project
from tests.conftest import load_vector
from viewer.core.project import open_project
from viewer.core.resolve import task_records


def records(tmp_path, tasks, config=None, image_size=(640, 480), **kwargs):
    make_image(tmp_path / "img" / "a.png", image_size)
    tasks_path, config_path = write_project(tmp_path, tasks, config) if config else write_project(
        tmp_path, tasks, None)
    project = open_project(tasks_path, config_path)
    return [r for task in project.tasks for r in task_records(project, task)]


def by_id(items):
    return {r.get("id"): r for r in items if "id" in r}


def test_image_region_kinds_in_pixels(tmp_path):
    mask_vector = load_vector("rle_640x480_python_encoder.json")
    task = image_task(
        rect("r", rotation=30, score=0.8),
        {"id": "e", "from_name": "ell", "to_name": "image", "type": "ellipselabels",
         "value": {"x": 50, "y": 50, "radiusX": 10, "radiusY": 20, "rotation": 30, "ellipselabels": ["Ball"]}},
        {"id": "p", "from_name": "poly", "to_name": "image", "type": "polygonlabels",
         "value": {"points": [[0, 0], [50, 100], [100, 50]], "closed": False, "polygonlabels": ["Road"]}},
        {"id": "k", "from_name": "kp", "to_name": "image", "type": "keypointlabels",
         "value": {"x": 25, "y": 50, "width": 0.5, "keypointlabels": ["Nose"]}},
        {"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
         "value": {"format": "rle", "rle": mask_vector["rle"], "brushlabels": ["Car"]}},
        score=0.7,
    )
    got = by_id(records(tmp_path, [task]))
    assert got["r"]["image_size"] == [640, 480]
    expected = load_vector("geometry_vectors.json")["rectangles"][1]["corners_px_TL_TR_BR_BL"]
    for corner, want in zip(got["r"]["shape"]["corners"], expected):
        assert corner == pytest.approx(want, abs=1e-6)
    assert got["r"]["shape"]["rotation"] == 30
    assert got["r"]["score"] == 0.8 and got["r"]["prediction_score"] == 0.7 and got["r"]["model_version"] == "v1"
    assert got["e"]["shape"] == {"kind": "ellipse", "center": [320, 240], "radii": [64, 96], "rotation": 30}
    assert got["p"]["shape"] == {"kind": "polygon", "points": [[0, 0], [320, 480], [640, 240]], "closed": False}
    assert got["k"]["shape"] == {"kind": "keypoint", "center": [160, 240], "radius": 3.2}
    box = mask_vector["bbox_inclusive"]
    assert got["m"]["shape"] == {"kind": "mask", "pixels": mask_vector["nonzero_pixel_count"],
                                 "bbox": [box["x_min"], box["y_min"], box["x_max"], box["y_max"]]}


def test_record_fields_follow_the_contract(tmp_path):
    ocr = [{"id": "o", "from_name": "bbox", "to_name": "image", "type": "rectangle", "value": dict(GEOM)},
           {"id": "o", "from_name": "transcription", "to_name": "image", "type": "textarea", "readonly": True,
            "origin": "prediction", "value": {**GEOM, "text": ["TOTAL"]}}]
    record = records(tmp_path, [image_task(*ocr, task_id="t-1")])[0]
    assert list(record)[:16] == ["task", "task_id", "source", "source_index", "model_version", "id", "to_name",
                                 "types", "labels", "score", "readonly", "hidden", "origin", "values",
                                 "item_index", "image_size"]
    assert record["task_id"] == "t-1" and record["types"] == ["rectangle", "textarea"]
    assert record["values"] == {"transcription": {"text": ["TOTAL"]}}
    assert record["readonly"] is True and record["origin"] == "prediction"


def test_exif_orientation_decides_the_pixel_space(tmp_path):
    make_image(tmp_path / "img" / "rot.jpg", (640, 480), orientation=6)
    result = {**rect(), "original_width": 640, "original_height": 480}
    record = records(tmp_path, [image_task(result, image="img/rot.jpg")])[0]
    assert record["image_size"] == [480, 640]
    assert record["shape"]["corners"][0] == [48, 128]


def test_original_size_when_the_image_is_missing_and_percent_when_nothing_is_known(tmp_path):
    with_size = {**rect("a"), "original_width": 1000, "original_height": 500}
    got = by_id(records(tmp_path, [image_task(with_size, rect("b"), image="img/missing.png")]))
    assert got["a"]["image_size"] == [1000, 500] and got["a"]["shape"]["corners"][0] == [100, 100]
    assert got["b"]["image_size"] is None
    assert got["b"]["shape"]["units"] == "percent" and got["b"]["shape"]["value"]["x"] == 10


def test_relations_are_lines_of_their_own(tmp_path):
    relation = {"type": "relation", "from_id": "a", "to_id": "b", "direction": "bi", "labels": ["x"]}
    items = records(tmp_path, [image_task(rect("a"), rect("b"), relation)])
    assert items[-1]["relation"] == {"from_id": "a", "to_id": "b", "direction": "bi", "labels": ["x"]}
    assert "shape" not in items[-1]


def test_text_paragraph_and_hypertext_spans(tmp_path):
    data = {"text": "Hi 😀 there\r\nBob and Ann", "html": "<div>\n  <p>Hello <b>Bob</b></p></div>",
            "dialog": [{"author": "A", "text": "Where is 😀 Bob?"}, {"author": "B", "text": "Here"}]}
    results = [
        {"id": "s", "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {"start": 12, "end": 15, "labels": ["PER"]}},
        {"id": "p", "from_name": "plabels", "to_name": "dialog", "type": "paragraphlabels",
         "value": {"start": "0", "end": "1", "startOffset": 12, "endOffset": 2, "paragraphlabels": ["Question"]}},
        {"id": "h", "from_name": "hner", "to_name": "html", "type": "hypertextlabels",
         "value": {"start": "/p[1]/b[1]/text()[1]", "end": "/p[1]/b[1]/text()[1]", "startOffset": 0,
                   "endOffset": 3, "globalOffsets": {"start": 9, "end": 12}, "hypertextlabels": ["PER"]}},
        {"id": "c", "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {"start": 30, "end": 31, "labels": ["PER"]}},
    ]
    got = by_id(records(tmp_path, [{"id": 5, "data": data, "predictions": [{"result": results}]}], TEXT_CONFIG))
    assert got["s"]["shape"] == {"kind": "span", "start": 12, "end": 15, "text": "Bob"}
    assert got["s"]["image_size"] is None
    assert got["p"]["shape"] == {"kind": "paragraph-span", "start": 0, "end": 1, "startOffset": 12, "endOffset": 2,
                                 "text": "Bob?\nHe"}
    assert got["h"]["shape"]["text"] == "Bob" and got["h"]["shape"]["globalOffsets"] == {"start": 9, "end": 12}
    assert got["c"]["shape"]["text"] is None and "does not fit" in got["c"]["shape"]["error"]


def test_classification_and_invalid_geometry(tmp_path):
    results = [{"id": "c", "from_name": "scene", "to_name": "image", "type": "choices",
                "value": {"choices": ["Day"]}}, rect("bad", x="ten")]
    got = by_id(records(tmp_path, [image_task(*results)]))
    assert got["c"]["shape"] == {"kind": "classification"} and got["c"]["values"] == {"scene": {"choices": ["Day"]}}
    assert got["bad"]["shape"]["kind"] == "invalid" and "value.x" in got["bad"]["shape"]["error"]


def test_inspect_lines_stay_one_line_each_whatever_the_text(tmp_path):
    from viewer.core.project import open_project as open_again
    from viewer.core.resolve import task_lines

    tricky = "a\x85b\u2028c\u2029d\ne\rf"
    task = image_task({"id": "t", "from_name": "transcription", "to_name": "image", "type": "textarea",
                       "value": {"x": 1, "y": 1, "width": 1, "height": 1, "text": [tricky]}})
    make_image(tmp_path / "img" / "a.png")
    tasks_path, _ = write_project(tmp_path, [task], None)
    project = open_again(tasks_path)
    text = task_lines(project, project.tasks[0])
    assert len(text.splitlines()) == 1
    assert json.loads(text)["values"]["transcription"]["text"] == [tricky]

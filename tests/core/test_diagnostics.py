"""The pre-flight report: every code fires on the case it names, and only there."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import GEOM, IMAGE_CONFIG, TEXT_CONFIG, image_task, make_image, rect, write_project
from viewer.core import rle
from viewer.core.diagnostics import diagnose, summary
from viewer.core.project import open_project


def run(tmp_path, tasks, config=IMAGE_CONFIG, image_size=(640, 480), **options):
    make_image(tmp_path / "img" / "a.png", image_size)
    tasks_path, config_path = write_project(tmp_path, tasks, config)
    project = open_project(tasks_path, config_path, **options)
    return list(diagnose(project))


def codes(diagnostics):
    return [(d.code, d.result_id) for d in diagnostics]


def test_a_clean_task_has_no_diagnostics(tmp_path):
    mask = np.zeros((480, 640), np.uint8)
    mask[10:20, 30:40] = 255
    task = image_task(
        rect("r1", score=0.9), rect("r2", ["P"]),
        {"id": "p", "from_name": "poly", "to_name": "image", "type": "polygonlabels",
         "value": {"points": [[1, 1], [50, 1], [50, 50]], "closed": True, "polygonlabels": ["Road"]}},
        {"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
         "value": {"format": "rle", "rle": rle.encode(mask), "brushlabels": ["Car"]}},
        {"id": "o", "from_name": "bbox", "to_name": "image", "type": "rectangle", "value": dict(GEOM)},
        {"id": "o", "from_name": "ocr", "to_name": "image", "type": "labels", "value": {**GEOM, "labels": ["Text"]}},
        {"id": "o", "from_name": "transcription", "to_name": "image", "type": "textarea",
         "value": {**GEOM, "text": ["TOTAL"]}},
        {"id": "c", "from_name": "scene", "to_name": "image", "type": "choices", "value": {"choices": ["Day"]}},
        {"type": "relation", "from_id": "r1", "to_id": "r2", "direction": "right", "labels": ["part-of"]},
    )
    assert run(tmp_path, [task]) == []


CASES = [
    ("unknown-from-name", rect(from_name="labelz"), "r1"),
    ("unknown-to-name", rect(to_name="img"), "r1"),
    ("type-mismatch", {"id": "r1", "from_name": "label", "to_name": "image", "type": "polygonlabels",
                       "value": {"points": [[1, 1], [2, 2], [3, 1]], "polygonlabels": ["Car"]}}, "r1"),
    ("unknown-label", rect(labels=["Truck"]), "r1"),
    ("unknown-label", {"id": "c", "from_name": "scene", "to_name": "image", "type": "choices",
                       "value": {"choices": ["Dusk"]}}, "c"),
    ("unknown-type", {**rect(), "type": "rectangle_labels"}, "r1"),
    ("invalid-value", rect(y="20"), "r1"),
    ("invalid-value", {**rect(), "origin": "model"}, "r1"),
    ("invalid-value", {"id": "r1", "from_name": "label", "to_name": "image", "type": "rectanglelabels"}, "r1"),
    ("percent-out-of-range", rect(x=150, width=200), "r1"),
    ("rle-corrupt", {"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
                     "value": {"format": "rle", "rle": [0, 0, 0, 9, 1], "brushlabels": ["Car"]}}, "m"),
    ("rle-length-mismatch", {"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
                             "value": {"format": "rle", "rle": rle.encode(np.zeros((480, 600), np.uint8)),
                                       "brushlabels": ["Car"]}}, "m"),
    ("orphan-per-region-result", {"id": "other", "from_name": "transcription", "to_name": "image",
                                  "type": "textarea", "value": {**GEOM, "text": ["TOTAL"]}}, "other"),
    ("relation-dangling", {"type": "relation", "from_id": "r1", "to_id": "gone"}, None),
    ("empty-labels", rect(labels=[]), "r1"),
    ("duplicate-classification", {"id": "c2", "from_name": "scene", "to_name": "image", "type": "choices",
                                  "value": {"choices": ["Day"]}}, "c2"),
]


@pytest.mark.parametrize("code, result, result_id", CASES, ids=[c[0] for c in CASES])
def test_each_result_problem_is_named_by_its_code(tmp_path, code, result, result_id):
    extra = [rect("r1")] if code in ("relation-dangling",) else []
    if code == "duplicate-classification":
        extra = [{"id": "c1", "from_name": "scene", "to_name": "image", "type": "choices",
                  "value": {"choices": ["Night"]}}]
    found = run(tmp_path, [image_task(*extra, result)])
    assert (code, result_id) in codes(found), [d.describe() for d in found]
    hit = next(d for d in found if d.code == code)
    assert (hit.task, hit.task_id, hit.source, hit.source_index) == (0, 1, "prediction", 0)
    assert "Label Studio" in hit.message
    others = [d.code for d in found if d.code != code]
    assert others == [], [d.describe() for d in found]


def test_unknown_from_name_says_where_label_studio_redirects_a_labels_result(tmp_path):
    found = run(tmp_path, [image_task(rect(from_name="labelz"))])
    assert "re-points it to \"bbox\"" in found[0].message


def test_pixels_given_as_percents_are_recognised(tmp_path):
    found = run(tmp_path, [image_task(rect(x=120, y=80, width=300, height=200))])
    assert found[0].severity == "error"
    assert "looks like pixels of the 640x480 image" in found[0].message


def test_float_noise_is_ignored_and_a_small_overshoot_is_a_warning(tmp_path):
    assert run(tmp_path, [image_task(rect(x=70.0000001, width=30))]) == []
    found = run(tmp_path, [image_task(rect(x=70.5, width=30))])
    assert [(d.code, d.severity) for d in found] == [("percent-out-of-range", "warning")]


def test_rle_length_mismatch_guesses_the_size_it_fits(tmp_path):
    mask = rle.encode(np.zeros((480, 600), np.uint8))
    found = run(tmp_path, [image_task({"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
                                       "value": {"rle": mask, "format": "rle", "brushlabels": ["Car"]}})])
    assert "fits a 600x480 image" in found[0].message and "1,228,800" in found[0].message


def test_task_level_problems(tmp_path):
    tasks = [
        {"image": "img/a.png", "predictions": [{"result": [rect()]}]},
        {"id": 2, "data": {"picture": "img/a.png"}},
        {"id": 3, "data": {"image": "img/none.png"}},
        {"id": 4, "data": {"image": 5}},
    ]
    found = run(tmp_path, tasks)
    assert [(d.code, d.task) for d in found] == [("no-data-wrapper", 0), ("missing-data-key", 1),
                                                 ("media-not-found", 2), ("invalid-value", 3), ("media-not-found", 3)]
    assert "none.png" in found[2].message and "looked at" in found[2].message


def test_media_is_found_under_root(tmp_path):
    make_image(tmp_path / "data" / "media" / "upload" / "3" / "abcd1234-x.png")
    found = run(tmp_path, [{"id": 1, "data": {"image": "/data/upload/3/abcd1234-x.png"}}],
                root=tmp_path / "data")
    assert found == []


def test_original_size_disagreeing_with_the_exif_rotated_image(tmp_path):
    make_image(tmp_path / "img" / "rot.jpg", (640, 480), orientation=6)
    result = {**rect(), "original_width": 640, "original_height": 480}
    found = run(tmp_path, [image_task(result, image="img/rot.jpg")])
    assert [d.code for d in found] == ["original-size-mismatch"]
    assert "480x640" in found[0].message


TEXT = "Hi 😀 there\r\nBob and Ann"


def text_task(*results):
    return {"id": 9, "data": {"text": TEXT, "html": "<div>\n  <p>Hello <b>Bob</b></p></div>",
                              "dialog": [{"author": "A", "text": "Where is 😀 Bob?"}, {"author": "B", "text": "Here"}]},
            "annotations": [{"result": list(results)}]}


def span(rid, start, end, text=None, **extra):
    value = {"start": start, "end": end, "labels": ["PER"], **extra}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels", "value": value}


def test_text_spans_in_code_points_are_clean_and_newlines_may_be_mangled(tmp_path):
    results = [span("a", 12, 15, "Bob"), span("b", 5, 10, "there"), span("c", 8, 13, "re\\n\\nB")]
    assert run(tmp_path, [text_task(*results)], TEXT_CONFIG) == []


def test_span_text_mismatch_says_when_utf16_offsets_would_fit(tmp_path):
    found = run(tmp_path, [text_task(span("a", 13, 16, "Bob"))], TEXT_CONFIG)
    assert [(d.code, d.result_id, d.source) for d in found] == [("span-text-mismatch", "a", "annotation")]
    assert "UTF-16" in found[0].message


def test_span_out_of_range(tmp_path):
    found = run(tmp_path, [text_task(span("a", 20, 24, "Ann!"))], TEXT_CONFIG)
    assert [d.code for d in found] == ["span-out-of-range"]
    assert "fit if counted as UTF-16" in found[0].message


def test_paragraph_and_hypertext_spans(tmp_path):
    paragraph = {"id": "p", "from_name": "plabels", "to_name": "dialog", "type": "paragraphlabels",
                 "value": {"start": "0", "end": "0", "startOffset": 12, "endOffset": 15, "text": "Bob",
                           "paragraphlabels": ["Question"]}}
    bad_paragraph = {**paragraph, "id": "q", "value": {**paragraph["value"], "end": "5"}}
    hyper = {"id": "h", "from_name": "hner", "to_name": "html", "type": "hypertextlabels",
             "value": {"start": "/p[1]/b[1]/text()[1]", "end": "/p[1]/b[1]/text()[1]", "startOffset": 0,
                       "endOffset": 3, "globalOffsets": {"start": 9, "end": 12}, "text": "Bob",
                       "hypertextlabels": ["PER"]}}
    found = run(tmp_path, [text_task(paragraph, bad_paragraph, hyper)], TEXT_CONFIG)
    assert codes(found) == [("span-out-of-range", "q")]


def test_inferred_config_skips_name_checks_but_keeps_geometry_checks(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks_path, _ = write_project(tmp_path, [image_task(rect(from_name="anything", x=150, width=200))], None)
    project = open_project(tasks_path)
    assert project.config.inferred
    assert [d.code for d in diagnose(project)] == ["percent-out-of-range"]


def test_config_problems_come_first_and_summary_counts(tmp_path):
    config = IMAGE_CONFIG.replace('<Rectangle name="bbox" toName="image"/>',
                                  '<Rectangle name="bbox" toName="picture"/>')
    found = run(tmp_path, [image_task(rect(labels=["Truck"]))], config)
    assert found[0].code.startswith("config-") and found[0].line is not None
    report = summary(found)
    assert report["errors"] == 1 and report["warnings"] == 1
    assert set(report["diagnostics"][1]) >= {"severity", "code", "message", "task", "task_id", "source",
                                             "source_index", "result_id"}

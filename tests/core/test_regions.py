"""Results grouped into regions as FORMAT.md 0 says, shapes decided by the keys of `value`."""

from __future__ import annotations

from viewer.core.regions import group_results
from viewer.core.shapes import (AudioSegment, Bitmask, Classification, Ellipse, HyperTextSpan, KeyPoint, Mask, Other,
                                ParagraphSpan, Polygon, Rectangle, Span, Vector)

GEOM = {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0}


def ocr_results():
    return [
        {"id": "r1", "from_name": "bbox", "to_name": "image", "type": "rectangle", "value": dict(GEOM),
         "original_width": 640, "original_height": 480},
        {"id": "r1", "from_name": "label", "to_name": "image", "type": "labels",
         "value": {**GEOM, "labels": ["Text"]}, "score": 0.91},
        {"id": "r1", "from_name": "transcription", "to_name": "image", "type": "textarea",
         "value": {**GEOM, "text": ["TOTAL"]}},
        {"id": "r2", "from_name": "bbox", "to_name": "image", "type": "rectangle",
         "value": {"x": 1, "y": 2, "width": 3, "height": 4}},
        {"from_name": "sentiment", "to_name": "image", "type": "choices", "value": {"choices": ["Receipt"]}},
        {"from_name": "rel", "type": "relation", "from_id": "r1", "to_id": "r2", "direction": "bi",
         "labels": ["total-of"]},
    ]


def test_ocr_results_sharing_an_id_become_one_region_with_labels_values_and_score():
    regions = group_results(ocr_results(), "prediction", 0)
    assert [r.id for r in regions.regions] == ["r1", "r2", "result-4"]
    first = regions.regions[0]
    assert first.shape == Rectangle(10, 20, 30, 40, 0)
    assert first.labels == ("Text",)
    assert first.label_from_name == "label"
    assert first.values == {"transcription": {"text": ["TOTAL"]}}
    assert first.types == ("rectangle", "labels", "textarea")
    assert first.score == 0.91
    assert first.result_indices == (0, 1, 2)
    assert regions.regions[1].labels == ()
    whole = regions.regions[2]
    assert isinstance(whole.shape, Classification) and whole.id_generated
    assert whole.values == {"sentiment": {"choices": ["Receipt"]}}
    assert [(r.from_id, r.to_id, r.direction, r.labels) for r in regions.relations] == [("r1", "r2", "bi",
                                                                                         ("total-of",))]
    assert regions.problems == ()


def test_same_id_on_two_objects_is_two_regions_and_results_without_id_never_merge():
    results = [
        {"id": "a", "from_name": "l", "to_name": "left", "type": "rectanglelabels",
         "value": {**GEOM, "rectanglelabels": ["Car"]}},
        {"id": "a", "from_name": "l2", "to_name": "right", "type": "rectanglelabels",
         "value": {**GEOM, "rectanglelabels": ["Car"]}},
        {"from_name": "l", "to_name": "left", "type": "rectanglelabels", "value": {**GEOM, "rectanglelabels": ["A"]}},
        {"from_name": "l", "to_name": "left", "type": "rectanglelabels", "value": {**GEOM, "rectanglelabels": ["B"]}},
    ]
    regions = group_results(results, "annotation", 2).regions
    assert [(r.id, r.to_name, r.labels) for r in regions] == [
        ("a", "left", ("Car",)), ("a", "right", ("Car",)), ("result-2", "left", ("A",)), ("result-3", "left", ("B",))]
    assert all(r.source == "annotation" and r.source_index == 2 for r in regions)


def test_shape_is_decided_by_the_keys_of_value():
    cases = [
        ({"x": 1, "y": 2, "width": 3, "height": 4, "rotation": 30}, Rectangle(1, 2, 3, 4, 30)),
        ({"x": 1, "y": 2, "radiusX": 3, "radiusY": 4}, Ellipse(1, 2, 3, 4, 0)),
        ({"x": 1, "y": 2, "width": 0.5}, KeyPoint(1, 2, 0.5)),
        ({"points": [[1, 2], [3, 4], [5, 6]], "closed": False}, Polygon(((1, 2), (3, 4), (5, 6)), False)),
        ({"points": [[1, 2], [3, 4], [5, 6]]}, Polygon(((1, 2), (3, 4), (5, 6)), True)),
        ({"format": "rle", "rle": [0, 1, 2]}, Mask((0, 1, 2))),
        ({"maskDataURL": "data:image/png;base64,AAAA"}, Mask(None, "data:image/png;base64,AAAA")),
        ({"imageDataURL": "data:image/png;base64,AAAA"}, Bitmask("data:image/png;base64,AAAA")),
        ({"vertices": [{"id": "p", "x": 1, "y": 2}], "closed": True}, Vector(({"id": "p", "x": 1, "y": 2},), True)),
        ({"choices": ["A"]}, Classification()),
    ]
    for value, expected in cases:
        region = group_results([{"id": "x", "from_name": "f", "to_name": "o", "type": "rectanglelabels",
                                 "value": value}], "prediction", 0).regions[0]
        assert region.shape == expected, value


def test_spans_by_result_type_and_object_kind():
    text = {"start": 0, "end": 3, "text": "abc", "labels": ["PER"]}
    hyper = {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0, "endOffset": 3,
             "globalOffsets": {"start": 4, "end": 7}, "hypertextlabels": ["PER"]}
    para = {"start": "2", "end": "3", "startOffset": 0, "endOffset": 5, "paragraphlabels": ["Q"]}
    audio = {"start": 1.5, "end": 3.25, "labels": ["Speech"]}

    def shape(value, rtype, kind=None):
        return group_results([{"id": "s", "from_name": "f", "to_name": "o", "type": rtype, "value": value}],
                             "prediction", 0, lambda _n: kind).regions[0].shape

    assert shape(text, "labels") == Span(0, 3, "abc")
    assert shape(hyper, "hypertextlabels") == HyperTextSpan("/p[1]/text()[1]", "/p[1]/text()[1]", 0, 3, 4, 7, None)
    assert shape(para, "paragraphlabels") == ParagraphSpan(2, 3, 0, 5, None)
    assert isinstance(shape(audio, "labels"), Other)
    # issue 18: on an <Audio> object the seconds are a segment (channel 0 unless given)
    assert shape(audio, "labels", "audio") == AudioSegment(1.5, 3.25, 0.0)
    assert shape(text, "labels", "text") == Span(0, 3, "abc")


def test_per_span_textarea_keeps_its_text_list_while_span_text_is_geometry():
    results = [
        {"id": "s", "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 3, "text": "abc", "labels": ["PER"]}},
        {"id": "s", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 3, "text": ["a person"]}},
    ]
    region = group_results(results, "prediction", 0).regions[0]
    assert region.values == {"note": {"text": ["a person"]}}
    assert region.shape == Span(0, 3, "abc")


def test_scores_readonly_hidden_origin_item_index_are_kept():
    results = [{"id": "k", "from_name": "kp", "to_name": "img", "type": "keypointlabels", "readonly": True,
                "hidden": True, "origin": "prediction-changed", "item_index": 2,
                "value": {"x": 1, "y": 1, "width": 1, "keypointlabels": ["Nose"], "score": 0.5}}]
    region = group_results(results, "prediction", 0).regions[0]
    assert (region.score, region.readonly, region.hidden, region.origin, region.item_index) == (
        0.5, True, True, "prediction-changed", 2)


def test_malformed_results_are_reported_not_raised():
    results = [
        "not an object",
        {"id": "a", "from_name": "f", "to_name": "o", "type": "rectanglelabels",
         "value": {"x": "10", "y": 0, "width": 1, "height": 1, "rectanglelabels": ["A"]}},
        {"id": "b", "from_name": "f", "to_name": "o", "type": "rectangle-labels", "value": {"choices": []}},
        {"id": "c", "from_name": "f", "to_name": "o", "type": "choices"},
        {"id": "d", "from_name": "f", "to_name": "o", "type": "polygonlabels", "origin": "model",
         "value": {"points": [[1, 2], [3]], "polygonlabels": "A"}},
        {"type": "relation", "from_id": "a"},
    ]
    regions = group_results(results, "prediction", 0)
    codes = [(p.code, p.result_id) for p in regions.problems]
    assert ("invalid-value", None) in codes
    assert ("invalid-value", "a") in codes
    assert ("unknown-type", "b") in codes
    assert ("invalid-value", "c") in codes
    messages = " | ".join(p.message for p in regions.problems)
    assert "`value.x` is a string '10', not a number" in messages
    assert "`value.points[1]`" in messages
    assert "`origin` is 'model'" in messages
    assert "`value.polygonlabels` is a string" in messages
    assert "relation needs `from_id` and `to_id`" in messages
    assert [r.id for r in regions.regions] == ["a", "b", "c", "d"]


def test_certain_kind_agrees_with_parse_shape_or_leaves_it_the_decision():
    from viewer.core.shapes import certain_kind, parse_shape

    nan = float("nan")
    plain = [({"x": 1, "y": 2, "width": 3, "height": 4}, "rectangle"),
             ({"x": 1, "y": 2, "width": 3, "height": 4, "rotation": 30.5}, "rectangle"),
             ({"x": 1, "y": 2, "width": 0.5}, "keypoint"),
             ({"points": [[1, 2], [3, 4.5], [5, 6]], "closed": False}, "polygon")]
    doubtful = [{"x": 1, "y": 2, "width": True, "height": 4}, {"x": nan, "y": 2, "width": 3},
                {"x": 1, "y": 2, "width": 3, "height": "4"}, {"x": 1, "y": 2, "width": 3, "height": 4, "rotation": nan},
                {"x": 1, "y": 2, "radiusX": 3, "radiusY": 4, "width": 5}, {"x": 1, "y": 2, "width": 3, "rle": [1]},
                {"points": [[1, 2], [3]]}, {"points": [[1, nan]]}, {"points": [[1, 2]], "closed": "yes"},
                {"points": [[1, 2]], "rle": [1]}, {"x": 1, "points": [[1, 2]]}, {"labels": ["Car"]}]
    for value, kind in plain:
        assert certain_kind(value) == kind == parse_shape(value)[0].kind
    for value in doubtful:
        assert certain_kind(value) is None, value

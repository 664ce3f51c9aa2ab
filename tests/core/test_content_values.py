"""Content values in core (viewer.core.content): one value formatter with two list separators, layer lookup."""

from __future__ import annotations

from viewer.core.content import Layer, TaskContent, split_layer, value_text
from viewer.core.regions import group_results


def test_values_read_as_one_line_with_the_callers_list_separator():
    value = {"text": ["a", "b"], "rating": 4}
    assert value_text(value) == "text: a; b, rating: 4"                 # tooltips (describe)
    assert value_text(value, ", ") == "text: a, b, rating: 4"           # the text page's span rows
    assert value_text([["x", "y"], "z"]) == "x; y; z"


def test_a_layer_is_found_by_key_and_split_like_task_content_splits_it():
    results = [{"id": "r", "from_name": "l", "to_name": "image", "type": "rectanglelabels",
                "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rectanglelabels": ["Car"]}},
               {"id": "c", "from_name": "s", "to_name": "image", "type": "choices", "value": {"choices": ["A"]}}]
    regions = group_results(results, "annotation", 0).regions
    image, classifications, others = split_layer(regions, "image", 0)
    assert ([r.id for r in image], [r.id for r in classifications], others) == (["r"], ["c"], [])
    assert split_layer(regions, "other", 0)[2] == [regions[0]]
    layer = Layer("annotation", 0, "annotation 0", None, None, tuple(image), ())
    content = TaskContent("image", None, (10, 10), "fallback", (layer,), None)
    assert content.layer(("annotation", 0)) is layer and content.layer(("prediction", 0)) is None

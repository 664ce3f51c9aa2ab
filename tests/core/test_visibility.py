"""What the reviewer hides (viewer.core.visibility): layers, labels and single regions, and the threshold."""

from __future__ import annotations

from viewer.core.content import Layer, TaskContent
from viewer.core.regions import group_results
from viewer.core.visibility import Visibility

PREDICTION = ("prediction", 0)


def rect(region_id: str, labels: list[str], **extra) -> dict:
    return {"id": region_id, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
            "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rectanglelabels": labels}, **extra}


def content(*results: dict) -> TaskContent:
    regions = group_results(list(results), *PREDICTION).regions
    layer = Layer(*PREDICTION, "prediction 0", None, None, regions, ())
    return TaskContent("image", None, (100, 100), "fallback", (layer,), None)


def region(shown: TaskContent, region_id: str):
    return next(r for _, r in shown.regions() if r.id == region_id)


def test_regions_saved_hidden_start_hidden_and_a_new_task_starts_afresh():
    visibility = Visibility()
    shown = content(rect("a", ["Car"], hidden=True), rect("b", ["Car"]))
    visibility.start_task(shown)
    assert visibility.hidden_regions == {(PREDICTION, "a")}
    assert not visibility.region_shown(PREDICTION, region(shown, "a"))
    assert visibility.region_shown(PREDICTION, region(shown, "b"))
    visibility.start_task(content(rect("b", ["Car"])))
    assert visibility.hidden_regions == set()


def test_any_hidden_label_hides_the_region_and_layers_hide_all_of_theirs():
    visibility = Visibility()
    shown = content(rect("both", ["Car", "Bus"]), rect("car", ["Car"]))
    visibility.set_label(("label", "Bus"), False)
    assert not visibility.region_shown(PREDICTION, region(shown, "both"))
    assert visibility.region_shown(PREDICTION, region(shown, "car"))
    visibility.set_label(("label", "Bus"), True)
    visibility.set_layer(PREDICTION, False)
    assert not visibility.layer_shown(PREDICTION)
    assert not any(visibility.region_shown(PREDICTION, r) for _, r in shown.regions())
    visibility.clear()
    assert all(visibility.region_shown(PREDICTION, r) for _, r in shown.regions())


def test_below_threshold_hides_what_it_names():
    visibility = Visibility()
    shown = content(rect("low", ["Car"], score=0.1), rect("high", ["Car"], score=0.9))
    visibility.below_threshold = lambda key, r: r.score is not None and r.score < 0.5
    assert not visibility.region_shown(PREDICTION, region(shown, "low"))
    assert visibility.region_shown(PREDICTION, region(shown, "high"))
    visibility.below_threshold = None
    assert visibility.region_shown(PREDICTION, region(shown, "low"))


def test_set_below_threshold_takes_the_rule_and_lets_it_go():
    visibility = Visibility()
    shown = content(rect("low", ["Car"], score=0.1))
    visibility.set_below_threshold(lambda key, r: r.score is not None and r.score < 0.5)
    assert not visibility.region_shown(PREDICTION, region(shown, "low"))
    visibility.set_below_threshold(None)
    assert visibility.region_shown(PREDICTION, region(shown, "low"))

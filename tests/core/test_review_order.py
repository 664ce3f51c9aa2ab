"""The review order of prediction regions (viewer.core.review.order): by score or by place, and stepping to the
next undecided one."""

from __future__ import annotations

from viewer.core.regions import group_results
from viewer.core.review.order import ordered, step_undecided


def rect(region_id: str, score: float | None, source: str = "prediction") -> dict:
    result = {"id": region_id, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
              "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rectanglelabels": ["Car"]}}
    return result if score is None else {**result, "score": score}


def entries(*results: dict, source: str = "prediction"):
    regions = group_results(list(results), source, 0).regions
    return [(((source, 0), region.id), region) for region in regions]


def ids(chosen) -> list[str]:
    return [key[1] for key, _ in chosen]


def test_by_score_puts_the_highest_first_and_no_score_last():
    listed = entries(rect("low", 0.2), rect("none", None), rect("high", 0.9), rect("mid", 0.5))
    assert ids(ordered(listed, "score", lambda region: region.score, lambda key: None)) == \
        ["high", "mid", "low", "none"]


def test_by_place_goes_top_to_bottom_then_left_to_right_and_no_place_last():
    listed = entries(rect("a", None), rect("b", None), rect("c", None), rect("d", None))
    places = {"a": (50.0, 10.0), "b": (10.0, 90.0), "c": None, "d": (10.0, 20.0)}
    assert ids(ordered(listed, "place", lambda region: None, lambda key: places[key[1]])) == ["d", "b", "a", "c"]


def test_ties_keep_list_order_and_only_predictions_are_ordered():
    listed = entries(rect("first", 0.5), rect("second", 0.5), rect("third", 0.5))
    listed += entries(rect("mine", 0.99), source="annotation")
    assert ids(ordered(listed, "score", lambda region: region.score, lambda key: None)) == \
        ["first", "second", "third"]
    assert ids(ordered(listed, "place", lambda region: None, lambda key: (0.0, 0.0))) == \
        ["first", "second", "third"]


def test_stepping_to_the_next_undecided_wraps_round_both_ways():
    listed = entries(rect("a", None), rect("b", None), rect("c", None), rect("d", None))
    decided = {"b"}

    def is_decided(region) -> bool:
        return region.id in decided

    def step(current: str | None, forward: bool = True) -> str | None:
        key = (("prediction", 0), current) if current is not None else None
        found = step_undecided(listed, is_decided, key, forward)
        return found[0][1] if found is not None else None

    assert step("a") == "c"                      # b is decided
    assert step("d") == "a"                      # round to the start
    assert step("a", forward=False) == "d"       # round to the end
    assert step("c", forward=False) == "a"
    assert step(None) == "a" and step(None, forward=False) == "d"
    decided.update({"a", "c", "d"})
    assert step("a") is None and step(None, forward=False) is None
    assert step_undecided([], is_decided, None) is None

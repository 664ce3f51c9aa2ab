"""The working annotation as one more layer (viewer.core.working_layer), read through a stand-in review."""

from __future__ import annotations

from viewer.core.content import Layer, TaskContent
from viewer.core.regions import RegionSet, group_results
from viewer.core.review.working import working_layer_key
from viewer.core.tasks import ResultSet, Task
from viewer.core.working_layer import (ACCEPTED, REJECTED, WORKING_TITLE, review_marks, with_working,
                                       working_layer)

PREDICTION = ("prediction", 0)


def rect(region_id: str, to_name: str = "image", **extra) -> dict:
    return {"id": region_id, "from_name": "label", "to_name": to_name, "type": "rectanglelabels",
            "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rectanglelabels": ["Car"]}, **extra}


SCENE = {"id": "c1", "from_name": "scene", "to_name": "image", "type": "choices", "value": {"choices": ["Day"]}}


class Session:
    def __init__(self, results: list | None):
        self.results = results

    def working_regions(self, task: Task) -> RegionSet:
        return group_results(self.results or [], *working_layer_key(task))


class Review:
    """What working_layer reads of the window's ReviewController (the WorkingSource protocol)."""

    def __init__(self, results: list | None, decisions: dict | None = None):
        self.session = Session(results)
        self._task = Task(0, {}, {}, [], [ResultSet("annotation", 0, {"result": []})], "tasks.json")
        self._decisions = decisions or {}

    def has_working(self, task_index: int) -> bool:
        return self.session.results is not None

    def task(self, task_index: int) -> Task:
        return self._task

    def decisions(self, task_index: int) -> dict[tuple[int, str], str]:
        return self._decisions


def shown(*layers: Layer, page: int = 0) -> TaskContent:
    return TaskContent("image", None, (100, 100), "fallback", layers, None, page, 2, True)


def prediction_layer(*results: dict) -> Layer:
    return Layer(*PREDICTION, "prediction 0", None, None, group_results(list(results), *PREDICTION).regions, ())


def test_the_working_layer_comes_after_the_tasks_annotations_and_splits_like_any_layer():
    review = Review([rect("p0"), rect("p1", item_index=1), rect("elsewhere", to_name="other"), SCENE])
    layer = working_layer(review, 0, shown())
    assert layer.key == working_layer_key(review.task(0)) == ("annotation", 1)
    assert layer.title == WORKING_TITLE
    assert [r.id for r in layer.regions] == ["p0"]                  # the page shown only
    assert [r.id for r in layer.classifications] == ["c1"]
    assert [r.id for r in layer.others] == ["elsewhere"]
    assert [r.id for r in working_layer(review, 0, shown(page=1)).regions] == ["p1"]
    assert working_layer(Review(None), 0, shown()) is None


def test_with_working_puts_the_layer_last_and_replaces_an_old_one():
    content = shown(prediction_layer(rect("a")))
    assert with_working(None, 0, content) is content
    assert with_working(Review(None), 0, content) is content        # no working annotation: as it was
    once = with_working(Review([rect("w1")]), 0, content)
    assert [layer.key for layer in once.layers] == [PREDICTION, ("annotation", 1)]
    twice = with_working(Review([rect("w2")]), 0, once)
    assert [layer.key for layer in twice.layers] == [PREDICTION, ("annotation", 1)]
    assert [r.id for r in twice.layer(("annotation", 1)).regions] == ["w2"]
    gone = with_working(Review(None), 0, twice)
    assert [layer.key for layer in gone.layers] == [PREDICTION]


def test_review_marks_show_decisions_and_where_working_regions_came_from():
    predictions = group_results([rect("yes"), rect("no"), rect("open")], *PREDICTION).regions
    working = ("annotation", 1)
    review = Review([rect("copy", origin="prediction"), rect("edited", origin="prediction-changed"),
                     rect("new", origin="manual"), rect("plain")],
                    {(0, "yes"): "accepted", (0, "no"): "rejected"})
    mine = review.session.working_regions(review.task(0)).regions
    entries = [((PREDICTION, r.id), r) for r in predictions] + [((working, r.id), r) for r in mine]
    assert review_marks(review, 0, entries) == {
        (PREDICTION, "yes"): ACCEPTED, (PREDICTION, "no"): REJECTED,
        (working, "copy"): "copy", (working, "edited"): "edited", (working, "new"): "new"}
    assert (ACCEPTED, REJECTED) == ("✓", "✗")

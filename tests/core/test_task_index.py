"""The task list's index: summaries by hand, and filter + sort over a generated 100,000-task file."""

from __future__ import annotations

import json
import random

import pytest

from tests.builders import image_task, rect
from viewer.core.regions import region_sets
from viewer.core.task_index import TaskFilter, TaskIndex, _sortable, summarize
from viewer.core.tasks import load_tasks, make_task


def test_summary_of_one_task():
    ocr = [{"id": "o", "from_name": "bbox", "to_name": "image", "type": "rectangle", "value": {"x": 1}},
           {"id": "o", "from_name": "ocr", "to_name": "image", "type": "labels", "value": {"labels": ["Text"]}}]
    raw = image_task(rect("a", score=0.9), rect("b", ["P"], score=0.3), *ocr, score=0.6)
    raw["predictions"].append({"model_version": "v2", "result": [rect("a", score=0.5)]})
    raw["annotations"] = [{"result": [rect("h", ["Truck"])]}]
    row = summarize(make_task(raw, 4, "t.json"))
    assert (row.index, row.task_id, row.model_versions) == (4, 1, ("v1", "v2"))
    # o's only geometry is x: no shape, so a whole-task result (listed in the results panel), not a region
    assert row.regions == 4 and row.results == 1 and row.annotations == 1
    assert row.labels == frozenset({"Car", "P", "Text", "Truck"})
    # o has no score of its own: the prediction's 0.6 stands in
    assert row.min_score == 0.3 and row.mean_score == pytest.approx((0.9 + 0.3 + 0.6 + 0.5) / 4)


def test_a_summary_counts_regions_as_the_canvas_groups_them():
    # ids 1 and "1" are one region; a null result score gives way to value.score; an HTML label sits under
    # hypertextlabels; a label list holding a number is no label; an object id is no id.
    results = [
        {"id": 1, "from_name": "box", "to_name": "image", "type": "rectanglelabels", "score": None,
         "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["Car"], "score": 0.2}},
        {"id": "1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "score": 0.9,
         "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["Car"]}},
        {"id": "h", "from_name": "html", "to_name": "page", "type": "htmllabels",
         "value": {"start": "/p", "end": "/p", "startOffset": 0, "endOffset": 2, "hypertextlabels": ["Name"]}},
        {"id": "n", "from_name": "box", "to_name": "image", "type": "rectanglelabels",
         "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["Bus", 7]}},
        {"id": {"odd": 1}, "from_name": "box", "to_name": "image", "type": "rectanglelabels",
         "value": {"x": 2, "y": 2, "width": 5, "height": 5, "rectanglelabels": ["Sign"], "score": 0.5}},
    ]
    task = make_task({"id": 3, "data": {"image": "a.png"}, "predictions": [{"model_version": "v1",
                                                                             "result": results}]}, 0, "t.json")
    regions = [region for _, found in region_sets(task) for region in found.regions]
    row = summarize(task)
    assert row.regions == len(regions) == 4
    assert row.labels == {label for region in regions for label in region.labels} == {"Car", "Name", "Sign"}
    scores = [region.score for region in regions if region.score is not None]
    assert row.min_score == min(scores) == 0.2


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    rng = random.Random(7)
    items = []
    for i in range(100_000):
        labels = rng.choice([["Car"], ["Person"], ["Sign"]])
        results = [rect(f"r{j}", labels, score=round(rng.random(), 3)) for j in range(rng.randint(0, 3))]
        items.append({"id": i, "data": {"image": f"img/{i}.jpg", "caption": rng.choice(["red car", "a dog", "sky"])},
                      "predictions": [{"model_version": rng.choice(["v1", "v2"]), "result": results}]})
    path = tmp_path_factory.mktemp("big") / "tasks.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return TaskIndex(load_tasks(path))


def test_filter_and_sort_100k_tasks(big):
    rows = big.rows
    assert len(rows) == 100_000
    chosen = big.select(TaskFilter(model_version="v2", label="Sign", max_score=0.2), "min_score")
    expected = [r for r in rows if "v2" in r.model_versions and "Sign" in r.labels and r.min_score is not None
                and r.min_score <= 0.2]
    assert chosen == [r.index for r in sorted(expected, key=lambda r: (r.min_score, r.index))]
    assert len(chosen) > 1000
    by_regions = big.select(TaskFilter(), "regions", descending=True)
    assert [rows[i].regions for i in by_regions[:5]] == [3] * 5 and rows[by_regions[-1]].regions == 0
    search = big.select(TaskFilter(search="DOG"))
    assert search and all("a dog" in big.tasks[i].data["caption"] for i in search)
    assert set(big.values("model_versions")) == {"v1", "v2"}
    big.update_review({index: ("accepted", True) for index in range(0, len(big.rows), 10)})
    assert len(big.select(TaskFilter(statuses=frozenset({"accepted"})))) == 10_000
    big.update_review({3: ("needs-fix", True)})          # the session's records only: the rest are not reviewed
    assert big.select(TaskFilter(statuses=frozenset({"accepted"}))) == []
    assert big.select(TaskFilter(statuses=frozenset({"needs-fix"}))) == [3] and big.rows[3].reviewed
    big.update_review({})


def test_missing_values_sort_last_both_ways(big):
    ascending = big.select(TaskFilter(), "min_score")
    descending = big.select(TaskFilter(), "min_score", descending=True)
    assert big.rows[ascending[-1]].min_score is None and big.rows[descending[-1]].min_score is None
    assert big.rows[ascending[0]].min_score == min(r.min_score for r in big.rows if r.min_score is not None)
    assert big.rows[descending[0]].min_score == max(r.min_score for r in big.rows if r.min_score is not None)


def _select_one_by_one(index: TaskIndex, rule: TaskFilter, sort_key: str | None, descending: bool) -> list[int]:
    """What select gave before it kept sorted orders: filter, then sort the rows that pass."""
    chosen = [row for row in index.rows if row.index in set(index.select(rule))]
    if sort_key is None:
        return [row.index for row in chosen]
    missing = [row for row in chosen if getattr(row, sort_key) is None]
    present = [row for row in chosen if getattr(row, sort_key) is not None]
    present.sort(key=lambda row: _sortable(getattr(row, sort_key)), reverse=descending)
    return [row.index for row in present + missing]


def test_kept_orders_match_sorting_each_time():
    rng = random.Random(3)
    ids = [1, 2, "a", "B", None, True, 2.5, {"x": 1}, [1], 0]
    raws = []
    for n in range(400):
        results = [rect(f"r{j}", [rng.choice(["Car", "P", "Sign"])], score=rng.choice([0.5, 0.25, 0.75]))
                   for j in range(rng.randint(0, 3))]
        raws.append({"id": rng.choice(ids), "data": {"image": "a.jpg", "caption": rng.choice(["red car", "dog"])},
                     "predictions": [{"model_version": rng.choice(["v1", "v2"]), "result": results}]})
    index = TaskIndex([make_task(raw, n, "t.json") for n, raw in enumerate(raws)])
    index.update_review({i: (rng.choice(["accepted", "in-progress"]), rng.random() < 0.5) for i in range(0, 400, 3)})
    rules = [TaskFilter(), TaskFilter(label="P"), TaskFilter(model_version="v2", min_score=0.3, search="dog")]
    for _ in range(2):   # the second time from the kept orders
        for attribute in ("index", "task_id", "model_versions", "regions", "min_score", "mean_score", "labels",
                          "status", "reviewed"):
            for descending in (False, True):
                for rule in rules:
                    assert index.select(rule, attribute, descending) == \
                        _select_one_by_one(index, rule, attribute, descending), (attribute, descending, rule)


def test_rows_read_later_give_the_same_answers(big):
    lazy = TaskIndex(big.tasks, summarized=False)
    assert not lazy.ready and not any(row.ready for row in lazy.rows[:100])
    # what needs no counts reads none: the file's order, a search, statuses
    assert lazy.select(TaskFilter()) == list(range(100_000))
    assert lazy.select(TaskFilter(search="DOG")) == big.select(TaskFilter(search="DOG"))
    assert lazy.select(TaskFilter(), "task_id") == big.select(TaskFilter(), "task_id")
    assert not lazy.ready
    # one row when it is shown, some in the background, all when a filter needs them
    row = lazy.ensure(lazy.rows[70_000])
    assert (row.regions, row.min_score, row.labels, row.model_versions) == (
        big.rows[70_000].regions, big.rows[70_000].min_score, big.rows[70_000].labels, big.rows[70_000].model_versions)
    lazy.ensure_some(1_000)
    assert all(r.ready for r in lazy.rows[:1_000]) and not lazy.rows[1_000].ready and not lazy.ready
    rule = TaskFilter(label="Person", min_score=0.2)
    assert lazy.select(rule, "min_score", descending=True) == big.select(rule, "min_score", descending=True)
    assert lazy.ready and all(row.ready for row in lazy.rows)
    assert lazy.values("labels") == big.values("labels")
    lazy.ensure_some(10)                                     # nothing left: a no-op
    assert [(r.regions, r.mean_score) for r in lazy.rows] == [(r.regions, r.mean_score) for r in big.rows]

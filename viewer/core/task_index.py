"""One summary row per task for the task list: counts, scores, labels, model versions; filter and sort.

Core layer, no Qt. Made in one pass over the raw results (no region objects): 100,000 tasks of five regions take
about a second, so a window may start from placeholder rows and read them later (TaskIndex(summarized=False)); the
text a search looks in is made per task when first needed. The order of every column that does not change once
the project is open is sorted once and kept.
"""

from __future__ import annotations

from operator import attrgetter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from viewer.core.jsonout import text_of
from viewer.core.numbers import preview
from viewer.core.regions import labels_value, region_key, score_of
from viewer.core.shapes import has_geometry
from viewer.core.tasks import Task


@dataclass
class TaskSummary:
    index: int
    task_id: object
    model_versions: tuple[str, ...]
    regions: int          # what has a shape on an object (regions.py's grouping)
    min_score: float | None
    mean_score: float | None
    labels: frozenset[str]
    annotations: int
    results: int = 0      # whole-task results: groups with no shape (Choices, TextArea, Rating ...)
    diagnostics: int | None = None     # filled in later by a background check
    status: str = "not-reviewed"
    reviewed: bool = False
    ready: bool = field(default=True, repr=False)     # False: a placeholder, the counts not read yet
    _search_text: str | None = field(default=None, repr=False)


def placeholder(task: Task) -> TaskSummary:
    """A row whose counts are read later (TaskIndex.ensure): index and id only."""
    return TaskSummary(task.index, task.id, (), 0, None, None, frozenset(), 0, ready=False)


_NO_VALUE: dict = {}


def summarize(task: Task) -> TaskSummary:
    """The task's row: the hot loop of opening a big file, so it reads each result once and builds little."""
    versions: dict[str, None] = {}
    regions = results = 0
    scores: list[float] = []
    labels: set[str] = set()
    for result_set in task.result_sets():
        prediction = result_set.source == "prediction"
        if prediction and result_set.is_object:
            versions[result_set.model_version or "undefined"] = None
        fallback = result_set.score if prediction else None
        counted: dict = {}      # region key (to_name, id) -> its score, None for an unscored prediction region
        seen: set = set()
        shaped: set = set()     # the keys of groups a member of which has a shape: regions; the others are results
        for number, result in enumerate(result_set.results):
            if type(result) is not dict:
                continue
            rtype = result.get("type")
            if rtype == "relation":
                continue
            value = result.get("value")
            if type(value) is not dict:
                value = _NO_VALUE
            # Grouped, scored and labelled by regions.py's rules, so the list counts what the canvas draws.
            key = region_key(result, number)
            seen.add(key)
            if key not in shaped and has_geometry(value, rtype if type(rtype) is str else None):
                shaped.add(key)
            score = score_of(result.get("score"), value.get("score"))
            if score is not None:
                if counted.get(key) is None:      # a region's score is its first member's that has one
                    counted[key] = score
            elif prediction and key not in counted:
                counted[key] = None
            found = labels_value(rtype, value)
            if type(found) is list and all(type(x) is str for x in found):
                labels.update(found)
        regions += len(shaped)
        results += len(seen) - len(shaped)
        for score in counted.values():
            if score is not None:
                scores.append(score)
            elif fallback is not None:
                scores.append(fallback)
    return TaskSummary(
        index=task.index, task_id=task.id, model_versions=tuple(versions), regions=regions,
        min_score=min(scores) if scores else None, mean_score=sum(scores) / len(scores) if scores else None,
        labels=frozenset(labels), annotations=len(task.annotations), results=results)


@dataclass(frozen=True)
class TaskFilter:
    """What the task list shows; every field left at its default lets all tasks through."""

    statuses: frozenset[str] = frozenset()
    model_version: str | None = None
    label: str | None = None
    min_score: float | None = None      # tasks whose lowest region score lies in [min_score, max_score]
    max_score: float | None = None
    diagnostics_only: bool = False
    search: str = ""


_EVERY_TASK = TaskFilter()

# What a row holds only once its task's results are read.
SUMMARY_KEYS = frozenset({"model_versions", "regions", "results", "min_score", "mean_score", "labels",
                          "annotations"})
# Columns fixed once the task file is read: their sorted order is worked out once (0.4 s for 100,000 tasks by
# min_score, measured) and reused for every filter. Status, reviewed and diagnostics change: sorted afresh.
FIXED_KEYS = SUMMARY_KEYS | {"index", "task_id"}


def needs_summaries(rule: TaskFilter, sort_key: str | None = None) -> bool:
    """Whether choosing rows by `rule` and `sort_key` reads the counts (else index, id, status, search do)."""
    return (rule.model_version is not None or rule.label is not None or rule.min_score is not None
            or rule.max_score is not None or sort_key in SUMMARY_KEYS)


class TaskIndex:
    """Summaries of every task, filtered and sorted for the task list.

    With `summarized=False` the rows start as placeholders (a second less for 100,000 tasks before a window can
    show them): a row is read when it is shown (ensure), all of them when a filter, an order or the choices need
    them (ensure_all), and a window reads the rest in the background (ensure_some).
    """

    def __init__(self, tasks: Sequence[Task], summarized: bool = True):
        self.tasks = tasks
        self.rows = [summarize(task) for task in tasks] if summarized else [placeholder(task) for task in tasks]
        self._unread = 0 if summarized else len(self.rows)
        self._cursor = 0       # rows before it are read (ensure_some goes in order)
        self._orders: dict[tuple[str, bool], list[TaskSummary]] = {}
        self._values: dict[str, list[str]] = {}

    @property
    def ready(self) -> bool:
        """Every row's counts are read."""
        return self._unread == 0

    def ensure(self, row: TaskSummary) -> TaskSummary:
        """The row with its counts read."""
        if not row.ready:
            made = summarize(self.tasks[row.index])
            row.model_versions, row.regions, row.labels = made.model_versions, made.regions, made.labels
            row.results = made.results
            row.min_score, row.mean_score, row.annotations = made.min_score, made.mean_score, made.annotations
            row.ready = True
            self._unread -= 1
        return row

    def ensure_some(self, count: int) -> None:
        """Read the next `count` rows not read yet, in order (background work in slices)."""
        rows, end = self.rows, min(self._cursor + count, len(self.rows))
        for number in range(self._cursor, end):
            self.ensure(rows[number])
        self._cursor = end

    def ensure_all(self) -> None:
        if not self.ready:
            self.ensure_some(len(self.rows))

    def update_review(self, known: Mapping[int, tuple[str, bool]]) -> None:
        """Statuses from the review session: (status, reviewed) of the tasks it holds records of, by task index;
        every other task is not reviewed."""
        for row in self.rows:
            row.status, row.reviewed = "not-reviewed", False
        for index, (status, reviewed) in known.items():
            self.rows[index].status, self.rows[index].reviewed = status, reviewed

    def search_text(self, row: TaskSummary) -> str:
        if row._search_text is None:
            task = self.tasks[row.index]
            row._search_text = text_of(task.data).lower()
        return row._search_text

    def select(self, rule: TaskFilter, sort_key: str | None = None, descending: bool = False) -> list[int]:
        """Task indices that pass the filter, in the order asked for."""
        if needs_summaries(rule, sort_key):
            self.ensure_all()
        needle = rule.search.strip().lower()

        def passes(row: TaskSummary) -> bool:
            if rule.statuses and row.status not in rule.statuses:
                return False
            if rule.model_version is not None and rule.model_version not in row.model_versions:
                return False
            if rule.label is not None and rule.label not in row.labels:
                return False
            if rule.min_score is not None and (row.min_score is None or row.min_score < rule.min_score):
                return False
            if rule.max_score is not None and (row.min_score is None or row.min_score > rule.max_score):
                return False
            if rule.diagnostics_only and not row.diagnostics:
                return False
            return not needle or needle in self.search_text(row)

        if rule == _EVERY_TASK:   # the list as it opens and after "clear": no test per row (70 ms of 100,000)
            return [row.index for row in (self.rows if sort_key is None else self._sorted(sort_key, descending))]
        if sort_key is None:
            return [row.index for row in self.rows if passes(row)]
        return [row.index for row in self._sorted(sort_key, descending) if passes(row)]

    def _sorted(self, sort_key: str, descending: bool) -> list[TaskSummary]:
        """Every row in the column's order; tasks without the value (no score, no id) go last either way."""
        cached = self._orders.get((sort_key, descending))
        if cached is not None:
            return cached
        missing = [row for row in self.rows if getattr(row, sort_key) is None]
        present = [row for row in self.rows if getattr(row, sort_key) is not None]
        ordered = _ordered(present, sort_key, descending) + missing
        if sort_key in FIXED_KEYS:
            self._orders[(sort_key, descending)] = ordered
        return ordered

    def values(self, attribute: str) -> list[str]:
        """The distinct model versions or labels over all tasks, for the filter's choices (fixed once read)."""
        if attribute not in self._values:
            self.ensure_all()
            found: set[str] = set()
            for row in self.rows:
                found.update(getattr(row, attribute))
            self._values[attribute] = sorted(found)
        return list(self._values[attribute])


def _ordered(rows: list[TaskSummary], attribute: str, descending: bool) -> list[TaskSummary]:
    """The rows sorted by _sortable of the attribute, stable both ways as list.sort is, but cheaper: by the number
    itself when every value is one, else by buckets of equal values (label sets and statuses repeat a lot)."""
    read = attrgetter(attribute)
    values = [read(row) for row in rows]
    if all(type(value) in (int, float) for value in values):
        return sorted(rows, key=read, reverse=descending)
    try:   # keyed with the type too: True and 1 are equal as dict keys but not as _sortable values
        distinct = dict.fromkeys((type(value), value) for value in values)
        for key in distinct:    # once per distinct value: label sets and statuses repeat thousands of times
            distinct[key] = _sortable(key[1])
    except TypeError:   # an id that is a JSON object or list: not hashable
        return sorted(rows, key=lambda row: _sortable(read(row)), reverse=descending)
    ranked = sorted(distinct, key=distinct.__getitem__)
    rank_of: dict[tuple, int] = {}
    rank = -1
    for number, found in enumerate(ranked):
        if number == 0 or distinct[found] != distinct[ranked[number - 1]]:
            rank += 1
        rank_of[found] = rank
    buckets: list[list[TaskSummary]] = [[] for _ in range(rank + 1)]
    for row, value in zip(rows, values):
        buckets[rank_of[(type(value), value)]].append(row)
    if descending:
        buckets.reverse()   # equal values keep the rows' own order, as a reversed stable sort does
    return [row for bucket in buckets for row in bucket]


def _sortable(value: object) -> tuple:
    """Sort keys that never compare numbers with strings (ids may be either)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    if isinstance(value, (tuple, frozenset, set)):
        return (1, ", ".join(sorted(map(str, value))))
    return (1, preview(value) if isinstance(value, (list, dict)) else str(value))  # str() of deep nesting recurses

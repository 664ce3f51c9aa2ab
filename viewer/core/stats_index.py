"""Statistics figures for big projects: StatsIndex reads every task's results once into numpy arrays and answers
`figures()` for all tasks or a filter's subset, by the rules of viewer.core.stats (the tests hold it equal to a
plain region-by-region count, tests/core/figures_reference.py).

Core layer, no Qt. What the task file says is fixed once the project is open; of the review session, only the
tasks `review_changed` names are read again.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import numpy as np

from viewer.core.project import Project
from viewer.core.regions import labels_value, region_key, score_of
from viewer.core.review.session import ReviewSession
from viewer.core.review.store import TaskRecord
from viewer.core.shapes import certain_kind, parse_shape
from viewer.core.stats import BUCKET_NAMES, BUCKETS, DECISIONS, NO_LABEL, Figures, bucket_index, label_of, outcome_of
from viewer.core.tasks import Task

SKIPPED_KINDS = frozenset({"classification", "other", "invalid"})   # regions the figures leave out
ANNOTATIONS = "annotations"                                        # the source name of a task's annotations
NO_SCORE_BUCKET = BUCKETS                                          # BUCKET_NAMES' last: "no score"
ADDED = -1                                                         # a region the reviewer drew, not a decision


class StatsIndex:
    """The figures of one project, over all tasks or a subset given by task index (position in project.tasks).

    One array row per counted region (prediction and annotation regions with geometry): its task, source
    (model version or "annotations"), label and score bucket as codes, so figures() is a few np.bincount calls.
    The session's part (status, decisions, drawn regions) is read per task once and again only for the tasks
    `review_changed` names.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.task_count = len(project.tasks)
        self.sources = _Names()               # code -> model version, or "annotations"
        self.labels = _Names()                # code -> label
        self.statuses = _Names()              # code -> review status
        rows_task: list[int] = []
        rows_source: list[int] = []
        rows_label: list[int] = []
        rows_bucket: list[int] = []
        # Each task's prediction rows, to find their decisions: task -> [(row, prediction index, region id)].
        self._predicted: dict[int, list[tuple[int, int, str]]] = {}
        for task in project.tasks:
            keys: list[tuple[int, int, str]] = []
            for result_set in task.result_sets():
                if not result_set.is_object:
                    continue
                prediction = result_set.source == "prediction"
                source = self.sources.code((result_set.model_version or "undefined") if prediction
                                    else ANNOTATIONS)
                fallback = result_set.score if prediction else None
                for region_id, label, score in counted_regions(result_set.results, project.object_kind):
                    if prediction:
                        keys.append((len(rows_task), result_set.index, region_id))
                    rows_task.append(task.index)
                    rows_source.append(source)
                    rows_label.append(self.labels.code(label))
                    rows_bucket.append(bucket_index(score if score is not None else fallback) if prediction
                                       else NO_SCORE_BUCKET)
            if keys:
                self._predicted[task.index] = keys
        self.row_task = np.asarray(rows_task, dtype=np.int64)
        self.row_source = np.asarray(rows_source, dtype=np.int64)
        self.row_label = np.asarray(rows_label, dtype=np.int64)
        self.row_bucket = np.asarray(rows_bucket, dtype=np.int64)
        self.label_colors: dict[str, str] = {}
        for control in project.config.controls.values():
            for label in control.labels:
                self.label_colors.setdefault(label.stored, label.background)
        self._session: ReviewSession | None = None
        self._stale: set[int] = set()
        self._status = np.zeros(self.task_count, dtype=np.int64)
        self._reviewed = np.zeros(self.task_count, dtype=bool)
        self._review: dict[int, list[tuple[int, int]]] = {}
        self._decision_arrays: tuple[np.ndarray, ...] | None = None

    # -- answers ---------------------------------------------------------------------------------------------

    def figures(self, session: ReviewSession | None, task_indices: Sequence[int] | None = None) -> Figures:
        """The figures of these tasks (all by default); a task listed twice counts twice."""
        result = Figures()
        result.label_colors.update(self.label_colors)
        weights = None
        if task_indices is None:
            result.tasks = self.task_count
        else:
            chosen = np.asarray(task_indices, dtype=np.int64)
            weights = np.bincount(chosen, minlength=self.task_count)   # a task listed twice counts twice
            result.tasks = len(chosen)
        self._region_figures(result, weights)
        if session is not None:
            self._read_review(session)
            self._review_figures(result, weights)
        return result

    def _region_figures(self, result: Figures, weights: np.ndarray | None) -> None:
        labels, buckets = len(self.labels), len(BUCKET_NAMES)
        codes = (self.row_source * labels + self.row_label) * buckets + self.row_bucket
        counts = _count(codes, self.row_task, weights, len(self.sources) * labels * buckets)
        annotations = self.sources.known(ANNOTATIONS)
        for code in np.flatnonzero(counts).tolist():
            rest, bucket = divmod(code, buckets)
            source, label = divmod(rest, labels)
            count = int(counts[code])
            result.regions_per_label[self.sources[source]][self.labels[label]] += count
            if source != annotations:
                result.score_histogram[self.sources[source]][self.labels[label]][BUCKET_NAMES[bucket]] += count

    def _review_figures(self, result: Figures, weights: np.ndarray | None) -> None:
        task_weights = np.ones(self.task_count, dtype=np.int64) if weights is None else weights
        statuses = np.bincount(self._status, weights=task_weights, minlength=len(self.statuses))
        for code in np.flatnonzero(statuses).tolist():
            result.status_counts[self.statuses[code]] += int(statuses[code])
        result.reviewed_tasks = int(task_weights[self._reviewed].sum())
        tasks, rows, outcomes, added_tasks, added_labels = self._decisions()
        labels, buckets = len(self.labels), len(BUCKET_NAMES)
        codes = ((self.row_source[rows] * labels + self.row_label[rows]) * buckets + self.row_bucket[rows]) \
            * len(DECISIONS) + outcomes
        counts = _count(codes, tasks, weights, len(self.sources) * labels * buckets * len(DECISIONS))
        for code in np.flatnonzero(counts).tolist():
            rest, outcome = divmod(code, len(DECISIONS))
            rest, bucket = divmod(rest, buckets)
            source, label = divmod(rest, labels)
            result.decisions[self.sources[source]][self.labels[label]][BUCKET_NAMES[bucket]][DECISIONS[outcome]] \
                += int(counts[code])
        added = _count(added_labels, added_tasks, weights, labels)
        for code in np.flatnonzero(added).tolist():
            result.added_per_label[self.labels[code]] += int(added[code])

    # -- the session's part ------------------------------------------------------------------------------------

    def review_changed(self, task_indices: Iterable[int]) -> None:
        """The session changed these tasks (decisions, edits, status); the next figures() reads them again."""
        self._stale.update(task_indices)

    def _read_review(self, session: ReviewSession) -> None:
        """Bring the review part up to date: every task for a session not seen before, else the stale ones."""
        not_reviewed = self.statuses.code("not-reviewed")
        tasks = self.project.tasks
        if session is not self._session:
            self._session = session
            self._status[:] = not_reviewed
            self._reviewed[:] = False
            self._review = {}
            self._stale = set()
            records: Iterable[tuple[int, TaskRecord]] = session.stored_records()
        elif self._stale:
            records = [(index, session.record(tasks[index])) for index in sorted(self._stale)]
            self._stale = set()
        else:
            return
        for index, record in records:   # a task without a record gets a blank one: not reviewed, nothing decided
            self._status[index] = self.statuses.code(record.status)
            self._reviewed[index] = record.reviewed
            found = self._task_review(session, tasks[index], record)
            if found:
                self._review[index] = found
            else:
                self._review.pop(index, None)
        self._decision_arrays = None

    def _task_review(self, session: ReviewSession, task: Task, record: TaskRecord) -> list[tuple[int, int]]:
        """What one task adds: (row, outcome code) per decided prediction region, (ADDED, label code) per region
        the reviewer drew; read from the session's working regions."""
        found: list[tuple[int, int]] = []
        working = {}
        if record.results is not None:
            for region in session.working_regions(task).regions:
                working[region.id] = region
                if region.origin == "manual" and region.kind not in ("classification", "other"):
                    found.append((ADDED, self.labels.code(label_of(region.labels))))
        if record.decisions:
            for row, prediction, region_id in self._predicted.get(task.index, ()):
                key = (prediction, region_id)
                decision = record.decisions.get(key)
                if decision is not None:
                    outcome = outcome_of(decision, working.get(ReviewSession.copy_id(record, key)))
                    found.append((row, DECISIONS.index(outcome)))
        return found

    def _decisions(self) -> tuple[np.ndarray, ...]:
        """(task, row, outcome) of every decision and (task, label code) of every drawn region, as arrays."""
        if self._decision_arrays is None:
            columns: tuple[list[int], ...] = ([], [], [], [], [])
            tasks, rows, outcomes, added_tasks, added_labels = columns
            for index, found in self._review.items():
                for row, value in found:
                    if row == ADDED:
                        added_tasks.append(index)
                        added_labels.append(value)
                    else:
                        tasks.append(index)
                        rows.append(row)
                        outcomes.append(value)
            self._decision_arrays = tuple(np.asarray(column, dtype=np.int64) for column in columns)
        return self._decision_arrays


def _count(codes: np.ndarray, tasks: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    """How often each code occurs, each occurrence counted as often as its task is chosen."""
    if weights is None:
        return np.bincount(codes, minlength=size)
    return np.bincount(codes, weights=weights[tasks], minlength=size).astype(np.int64)


class _Names(list):
    """Names in the order first met; a name's code is its place in the list."""

    def __init__(self) -> None:
        super().__init__()
        self._codes: dict[str, int] = {}

    def code(self, name: str) -> int:
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self)
            self.append(name)
        return found

    def known(self, name: str) -> int | None:
        return self._codes.get(name)


def counted_regions(results: list, object_kind: Callable[[str | None], str | None]
                    ) -> list[tuple[str, str, float | None]]:
    """(region id, first label, score) of each region of one result list that the figures count, grouped and
    read as regions.group_results does, without building Region values (several times faster)."""
    groups: dict[tuple, list[dict]] = {}
    for index, result in enumerate(results):
        if not isinstance(result, dict) or result.get("type") == "relation":
            continue
        groups.setdefault(region_key(result, index), []).append(result)
    found = []
    for key, members in groups.items():
        if _shape_kind(members, object_kind) in SKIPPED_KINDS:
            continue
        label = score = None
        for result in members:
            value = result.get("value")
            if type(value) is not dict:
                value = {}
            if score is None:
                score = score_of(result.get("score"), value.get("score"))
            if label is None:
                labels = labels_value(result.get("type"), value)
                if isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels):
                    label = labels[0]
        found.append((f"result-{key[1]}" if key[0] == "#no-id" else key[1], NO_LABEL if label is None else label,
                      score))
    return found


def _shape_kind(members: list[dict], object_kind: Callable[[str | None], str | None]) -> str:
    """The region's shape kind: the first member whose value has geometry decides, as in regions.py."""
    to_name = members[0].get("to_name")
    kind_of_object = object_kind(to_name if isinstance(to_name, str) else None)
    for result in members:
        value = result.get("value")
        kind = certain_kind(value) if type(value) is dict else None
        if kind is not None:
            return kind
        shape, _ = parse_shape(value, result.get("type"), kind_of_object)
        if shape is not None:
            return shape.kind
    return "classification"

"""The working annotation as one more layer of the task shown, and the review marks of the region list.

Core layer, no Qt: it builds content values (Layer, TaskContent) from a review (the window's ReviewController).
At core level rather than in core/review, because core/review must not import core.content (core.project imports
core.review).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from viewer.core.content import Layer, TaskContent, split_layer
from viewer.core.region_keys import RegionKey
from viewer.core.regions import RegionSet
from viewer.core.review.working import working_layer_key
from viewer.core.tasks import Task

WORKING_TITLE = "Review · working annotation"
ACCEPTED, REJECTED = "✓", "✗"
ORIGIN_MARKS = {"prediction": "copy", "prediction-changed": "edited", "manual": "new"}
MARK_TIPS = {ACCEPTED: "Accepted: copied into the working annotation", REJECTED: "Rejected",
             "copy": "Copied from a prediction, unchanged", "edited": "Copied from a prediction, then edited",
             "new": "Drawn by the reviewer"}


class WorkingSession(Protocol):
    def working_regions(self, task: Task) -> RegionSet: ...


class WorkingSource(Protocol):
    """What the working layer reads of a review; the Qt layer's ReviewController is one."""

    session: WorkingSession

    def has_working(self, task_index: int) -> bool: ...

    def task(self, task_index: int) -> Task: ...

    def decisions(self, task_index: int) -> dict[tuple[int, str], str]: ...


def working_layer(review: WorkingSource, task_index: int, content: TaskContent) -> Layer | None:
    """The task's working annotation split as task_content splits a layer: image regions of the page shown,
    whole-object results, and the rest (spans ...). None while the task has no working annotation."""
    if not review.has_working(task_index):
        return None
    task = review.task(task_index)
    region_set = review.session.working_regions(task)
    regions, classifications, others = split_layer(region_set.regions, content.object_name, content.page)
    # Its regions are grouped under the same (source, index), so layer key and region source agree as for
    # every other layer (the canvas editor tells working regions by it).
    source, index = working_layer_key(task)
    return Layer(source, index, WORKING_TITLE, None, None, tuple(regions), region_set.relations,
                 tuple(classifications), tuple(others))


def with_working(review: WorkingSource | None, task_index: int, content: TaskContent) -> TaskContent:
    """The content with the working layer last (replacing one it had), or as it was without a review."""
    if review is None:
        return content
    key = working_layer_key(review.task(task_index))
    layers = tuple(layer for layer in content.layers if layer.key != key)
    layer = working_layer(review, task_index, content)
    if layer is None and len(layers) == len(content.layers):
        return content
    return replace(content, layers=layers + ((layer,) if layer is not None else ()))


def review_marks(review: WorkingSource, task_index: int, entries) -> dict[RegionKey, str]:
    """The Review column of the region list: ✓ / ✗ for decided prediction regions, the origin of working ones."""
    decisions = review.decisions(task_index)
    working = working_layer_key(review.task(task_index))
    marks = {}
    for key, region in entries:
        if key[0][0] == "prediction":
            decision = decisions.get((region.source_index, region.id))
            if decision is not None:
                marks[key] = ACCEPTED if decision == "accepted" else REJECTED
        elif key[0] == working and region.origin in ORIGIN_MARKS:
            marks[key] = ORIGIN_MARKS[region.origin]
    return marks

"""The working annotation as one more layer of the task shown, and the review marks of the region list.

Qt layer by place, plain Python: it builds render-layer values (Layer, TaskContent) from the review session.
"""

from __future__ import annotations

from dataclasses import replace

from viewer.core.shapes import IMAGE_SHAPES, Classification
from viewer.core.tasks import Task
from viewer.qt.review.controller import ReviewController
from viewer.qt.visibility import LayerKey, RegionKey
from viewer.render.content import Layer, TaskContent

WORKING_TITLE = "Review · working annotation"
ACCEPTED, REJECTED = "✓", "✗"
ORIGIN_MARKS = {"prediction": "copy", "prediction-changed": "edited", "manual": "new"}
MARK_TIPS = {ACCEPTED: "Accepted: copied into the working annotation", REJECTED: "Rejected",
             "copy": "Copied from a prediction, unchanged", "edited": "Copied from a prediction, then edited",
             "new": "Drawn by the reviewer"}


def working_key(task: Task) -> LayerKey:
    """The working annotation's layer key: the annotation it becomes on export, after the task's own ones.

    Its regions are grouped under the same (source, index), so layer key and region source agree as for
    every other layer (the canvas editor tells working regions by it).
    """
    return "annotation", len(task.annotations)


def working_layer(review: ReviewController, task_index: int, content: TaskContent) -> Layer | None:
    """The task's working annotation split as task_content splits a layer: image regions of the page shown,
    whole-object results, and the rest (spans ...). None while the task has no working annotation."""
    if not review.has_working(task_index):
        return None
    task = review.task(task_index)
    region_set = review.session.working_regions(task)
    regions, classifications, others = [], [], []
    for region in region_set.regions:
        if isinstance(region.shape, Classification):
            classifications.append(region)
        elif region.to_name == content.object_name and isinstance(region.shape, IMAGE_SHAPES):
            if (region.item_index or 0) == content.page:
                regions.append(region)
        else:
            others.append(region)
    source, index = working_key(task)
    return Layer(source, index, WORKING_TITLE, None, None, tuple(regions), region_set.relations,
                 tuple(classifications), tuple(others))


def with_working(review: ReviewController | None, task_index: int, content: TaskContent) -> TaskContent:
    """The content with the working layer last (replacing one it had), or as it was without a review."""
    if review is None:
        return content
    key = working_key(review.task(task_index))
    layers = tuple(layer for layer in content.layers if layer.key != key)
    layer = working_layer(review, task_index, content)
    if layer is None and len(layers) == len(content.layers):
        return content
    return replace(content, layers=layers + ((layer,) if layer is not None else ()))


def review_marks(review: ReviewController, task_index: int, entries) -> dict[RegionKey, str]:
    """The Review column of the region list: ✓ / ✗ for decided prediction regions, the origin of working ones."""
    decisions = review.decisions(task_index)
    working = working_key(review.task(task_index))
    marks = {}
    for key, region in entries:
        if key[0][0] == "prediction":
            decision = decisions.get((region.source_index, region.id))
            if decision is not None:
                marks[key] = ACCEPTED if decision == "accepted" else REJECTED
        elif key[0] == working and region.origin in ORIGIN_MARKS:
            marks[key] = ORIGIN_MARKS[region.origin]
    return marks

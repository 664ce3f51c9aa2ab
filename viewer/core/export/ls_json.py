"""Label Studio JSON export: the tasks as they were, plus the reviewer's annotation (FORMAT.md 5.4 and 8).

Core layer, no Qt. The output is a JSON list that Label Studio imports again with the regions where the
reviewer put them: full geometry in every result, the decoded image size, no `completed_by`.
"""

from __future__ import annotations

import os
from typing import Any, TextIO

from viewer.core.atomic import write_text_atomically
from viewer.core.diagnostics.imports import annotation_id_problem
from viewer.core.export.base import ExportOptions, ExportSummary, guard_output
from viewer.core.jsonout import utf8_json
from viewer.core.outputs import InputFiles
from viewer.core.parallel import map_tasks
from viewer.core.region_kinds import IMAGE_KINDS
from viewer.core.regions import RegionSet
from viewer.core.review.session import ReviewSession
from viewer.core.tasks import Task, gc_paused


# The geometry keys every result of an image region repeats (the editor's Result.serialize starts from them).
IMAGE_GEOMETRY_KEYS = ("x", "y", "width", "height", "rotation", "radiusX", "radiusY", "points", "closed",
                       "vertices", "format", "rle", "maskDataURL", "imageDataURL")


def _results_of(session: ReviewSession, task: Task, regions: RegionSet) -> list:
    project = session.project
    out: list = []
    for region in regions.regions:
        if region.shape.kind not in IMAGE_KINDS:
            out.extend(region.results)
            continue
        source = next((r["value"] for r in region.results if isinstance(r.get("value"), dict)
                       and any(k in r["value"] for k in IMAGE_GEOMETRY_KEYS)), {})
        geometry = {k: source[k] for k in IMAGE_GEOMETRY_KEYS if k in source}
        size = project.pixel_space(task, region).size
        for result in region.results:
            # New dicts around shared leaves: nothing here is changed after it is written out.
            item = dict(result)
            value = result.get("value")
            if value is not None and not isinstance(value, dict):  # reported by validate; kept as it was
                out.append(item)
                continue
            item["value"] = {**geometry, **{k: v for k, v in (value or {}).items() if k not in IMAGE_GEOMETRY_KEYS}}
            if size is not None:
                item["original_width"], item["original_height"] = size
            item["image_rotation"] = 0
            out.append(item)
    out.extend(relation.raw for relation in regions.relations)
    return out


def _task_out(task: Task) -> dict:
    """The task as it was, with a `data` wrapper when it had none (so Label Studio keeps its results), and its
    annotations without the fields that make Label Studio refuse or drop them elsewhere (_importable).

    A shallow copy: only `annotations` is replaced (by a new list), so the loaded task is never changed.
    """
    if task.has_data_wrapper:
        out = dict(task.raw)
    else:
        kept = {k: v for k, v in task.raw.items() if k in ("predictions", "annotations", "drafts")}
        out = {"data": task.data, **kept}
    if isinstance(out.get("annotations"), list):
        out["annotations"] = [_importable(item) for item in out["annotations"]]
    return out


def _importable(annotation: Any) -> Any:
    """An annotation as another server imports it: no `completed_by` (a user of the server it came from, which
    this one refuses unless it has that member) and no `id` Label Studio cannot store as an integer."""
    if not isinstance(annotation, dict):
        return annotation
    drop = {"completed_by"} | ({"id"} if annotation_id_problem(annotation.get("id")) else set())
    if not drop & annotation.keys():
        return annotation
    return {key: value for key, value in annotation.items() if key not in drop}


def reviewer_annotation(session: ReviewSession, task: Task, regions: RegionSet | None = None) -> dict | None:
    """The annotation the reviewer made of a task, as Label Studio imports it (None: task not reviewed)."""
    record = session.record(task)
    if not record.reviewed:
        return None
    regions = regions or session.working_regions(task)
    return {
        "result": _results_of(session, task, regions),
        "ground_truth": False,
        "was_cancelled": record.status == "rejected",
        "lead_time": round(record.lead_time, 3),
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def exported_task(session: ReviewSession, task: Task, options: ExportOptions) -> tuple[str | None, int, str | None]:
    """One task as a JSON text for the list (None when the options leave it out), its reviewer's region count,
    and a warning."""
    record = session.record(task)
    if (options.only_accepted and record.status != "accepted") or (options.only_reviewed and not record.reviewed):
        return None, 0, None
    if not isinstance(task.raw, dict):
        return None, 0, f"task {task.index}: not a JSON object, left out (Label Studio would reject it)"
    item = _task_out(task)
    working = session.working_regions(task)
    annotation = reviewer_annotation(session, task, working)
    regions = -1
    if annotation is not None:
        existing = item.get("annotations")
        item["annotations"] = (list(existing) if isinstance(existing, list) else []) + [annotation]
        regions = len(working.regions)
    warning = None
    predictions = item.get("predictions")
    if isinstance(predictions, list) and any(not isinstance(p, dict) for p in predictions):
        warning = f"task {task.index}: predictions are ids only; Label Studio cannot re-import them"
    try:
        text = utf8_json(item)  # a lone surrogate as an escape: Label Studio reads it back
    except RecursionError:
        return None, 0, f"task {task.index}: nested too deeply to write (over about 1,000 levels), left out"
    return text, regions, warning


def write_ls_json(session: ReviewSession, out: str | os.PathLike, options: ExportOptions = ExportOptions()
                  ) -> ExportSummary:
    project = session.project
    # Before anything is written: not over the tasks, the config, the session or any task's media.
    target = guard_output(out, InputFiles.of_project(project, session.store.path))
    counts = {"tasks": 0, "annotations": 0, "regions": 0}
    warnings: list[str] = []

    def produce(stream: TextIO) -> None:
        # One json.dumps per task: json.dump would take the pure-Python encoder (5x slower, measured), and one
        # dumps of the whole list would hold the entire file in memory twice.
        stream.write("[")
        def one(_project, task):
            return exported_task(session, task, options)

        with gc_paused():  # many new, acyclic dicts: the collector would only slow this down
            for text, regions, warning in map_tasks(project, one, range(len(project.tasks))):
                if warning:
                    warnings.append(warning)
                if text is None:
                    continue
                stream.write(",\n" if counts["tasks"] else "\n")
                stream.write(text)
                counts["tasks"] += 1
                if regions >= 0:
                    counts["annotations"] += 1
                    counts["regions"] += regions
        stream.write("\n]\n")

    write_text_atomically(target, produce)
    return ExportSummary(str(target), counts["tasks"], counts["annotations"], counts["regions"], tuple(warnings))

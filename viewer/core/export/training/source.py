"""Which labels of a task are exported: the session's working annotation, an annotation or a prediction.

Core layer, no Qt. One result list per task, chosen by a rule that never looks at positions in the file while
anything else tells the annotations apart: the latest by `updated_at`, then `created_at`, then the larger id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from viewer.core.export.base import ExportError
from viewer.core.export.training.options import TrainingOptions
from viewer.core.regions import Region, RegionSet, group_results
from viewer.core.review import working
from viewer.core.tasks import ResultSet, Task


@dataclass(frozen=True)
class Chosen:
    """The regions to export of one task and where they came from (`described` goes to files.csv)."""

    regions: tuple[Region, ...]
    described: str
    scores: dict[str, float | None]       # region id -> score (its own, else its prediction's); predictions only
    by_position: bool = False             # nothing but the position in the file told the candidates apart
    below_score: int = 0                  # regions left out by --min-score


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def newest_key(result_set: ResultSet) -> tuple:
    """Sort key: later updated_at, then later created_at, then the larger numeric id win; missing sorts first."""
    raw = result_set.raw
    updated, created = _moment(raw.get("updated_at")), _moment(raw.get("created_at"))
    number = _number(raw.get("id"))
    return (updated is not None, updated or _NEVER, created is not None, created or _NEVER,
            number is not None, number or 0.0)


def newest(candidates: list[ResultSet]) -> tuple[ResultSet | None, bool]:
    """The newest result set and whether only the file's order told it apart from another (then: the last)."""
    if not candidates:
        return None, False
    keys = [newest_key(c) for c in candidates]
    best = max(keys)
    tied = [c for c, k in zip(candidates, keys) if k == best]
    return tied[-1], len(tied) > 1


def cancelled(result_set: ResultSet) -> bool:
    raw = result_set.raw
    return raw.get("was_cancelled") is True or raw.get("skipped") is True


def model_versions(tasks: list[Task]) -> dict[str, int]:
    """Each model version with the number of predictions of it, over all tasks."""
    found: dict[str, int] = {}
    for task in tasks:
        for prediction in task.predictions:
            if prediction.is_object:
                version = prediction.model_version or "undefined"
                found[version] = found.get(version, 0) + 1
    return found


def check_source(tasks: list[Task], options: TrainingOptions) -> str | None:
    """The model version predictions are exported of (None for the other sources); ExportError when predictions of
    several versions exist and none is named, or the named one has none."""
    if options.source != "predictions":
        return None
    versions = model_versions(tasks)
    if options.model_version is not None:
        if options.model_version not in versions:
            known = ", ".join(sorted(versions)) or "none"
            raise ExportError(f"no prediction has model_version {options.model_version!r} (the tasks have: {known})")
        return options.model_version
    if len(versions) > 1:
        listed = ", ".join(f"{v!r} ({n})" for v, n in sorted(versions.items()))
        raise ExportError(f"the predictions come from {len(versions)} model versions: {listed}; name one with "
                          "--model-version")
    if not versions:
        raise ExportError("no task has a prediction to export")
    return next(iter(versions))


def choose(session, task: Task, options: TrainingOptions, model_version: str | None) -> Chosen | None:
    """The regions of a task to export, or None when it has nothing to export (it is left out)."""
    project = session.project
    if options.source == "reviewed" and session is not None:
        record = session.record(task)
        if record.results is not None:
            if record.status == "rejected":
                return None  # the reviewer rejected it: cancelled, as Label Studio treats was_cancelled
            regions = group_results(record.results, *working.working_layer_key(task), project.object_kind,
                                    project.labels_control)
            return Chosen(regions.regions, "session", {})
    if options.source in ("reviewed", "annotations"):
        candidates = [a for a in task.annotations if a.is_object and not cancelled(a)]
        chosen, by_position = newest(candidates)
        if chosen is None:
            return None
        regions = _grouped(project, chosen)
        return Chosen(regions.regions, f"annotation {chosen.index}" + _id_part(chosen), {}, by_position)
    candidates = [p for p in task.predictions if p.is_object and (p.model_version or "undefined") == model_version]
    chosen, by_position = newest(candidates)
    if chosen is None:
        return None
    kept: list[Region] = []
    scores: dict[str, float | None] = {}
    below = 0
    for region in _grouped(project, chosen).regions:
        score = region.score if region.score is not None else chosen.score
        # A whole-object answer (choices ...) is no object to threshold; formats that use it decide.
        if options.min_score is not None and region.kind != "classification" and (
                score is None or score < options.min_score):
            below += 1
            continue
        kept.append(region)
        scores[region.id] = score
    return Chosen(tuple(kept), f"prediction {chosen.index}" + _id_part(chosen) + f" ({model_version})", scores,
                  by_position, below)


def _grouped(project, result_set: ResultSet) -> RegionSet:
    return group_results(result_set.results, result_set.source, result_set.index, project.object_kind,
                         project.labels_control)


def _id_part(result_set: ResultSet) -> str:
    raw_id = result_set.raw.get("id")
    return "" if raw_id is None else f" (id {raw_id})"

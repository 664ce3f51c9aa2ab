"""The QA figures counted the plain way, region object by region object: the oracle StatsIndex is checked against
(its fast path re-reads raw results, so every rule of viewer.core.stats must come out the same both ways)."""

from __future__ import annotations

from typing import Iterable

from viewer.core.project import Project
from viewer.core.review.session import ReviewSession
from viewer.core.stats import BUCKET_NAMES, Figures, bucket_index, label_of, outcome_of
from viewer.core.tasks import Task


def bucket_of(score: float | None) -> str:
    return BUCKET_NAMES[bucket_index(score)]


def figures(project: Project, session: ReviewSession | None = None, tasks: Iterable[Task] | None = None
            ) -> Figures:
    """The figures over `tasks` (all by default, or the current filter's)."""
    result = Figures()
    for control in project.config.controls.values():
        for label in control.labels:
            result.label_colors.setdefault(label.stored, label.background)
    for task in (project.tasks if tasks is None else tasks):
        result.tasks += 1
        record = session.record(task) if session is not None else None
        if record is not None:
            result.status_counts[record.status] += 1
            result.reviewed_tasks += record.reviewed
        working = {}
        if record is not None and record.results is not None:
            for region in session.working_regions(task).regions:
                working[region.id] = region
                if region.origin == "manual" and region.kind not in ("classification", "other"):
                    result.added_per_label[label_of(region.labels)] += 1
        for result_set, regions in project.regions(task):
            for region in regions.regions:
                if region.kind in ("classification", "other", "invalid"):
                    continue
                label = label_of(region.labels)
                if result_set.source == "annotation":
                    result.regions_per_label["annotations"][label] += 1
                    continue
                version = result_set.model_version or "undefined"
                result.regions_per_label[version][label] += 1
                score = region.score if region.score is not None else result_set.score
                bucket = bucket_of(score)
                result.score_histogram[version][label][bucket] += 1
                key = (region.source_index, region.id)
                decision = record.decisions.get(key) if record else None
                if decision is None:
                    continue
                outcome = outcome_of(decision, working.get(ReviewSession.copy_id(record, key)))
                result.decisions[version][label][bucket][outcome] += 1
    return result

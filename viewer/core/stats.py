"""The QA figures of a project and its review session: regions per label, score histograms, review decisions
and, from those, each model version's estimated precision per label at each score threshold.

Core layer, no Qt. The Figures and their rules; viewer.core.stats_index counts them, for the window's statistics
panel and `lsview report` alike.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

BUCKETS = 10                       # score buckets of 0.1: [0, 0.1), ..., [0.9, 1.0]
THRESHOLDS = tuple(i / BUCKETS for i in range(BUCKETS))
DECISIONS = ("accepted", "edited", "rejected", "added")
NO_LABEL = "(no label)"
NO_SCORE = "no score"


BUCKET_NAMES = tuple(f"{i / BUCKETS:.1f}-{(i + 1) / BUCKETS:.1f}" for i in range(BUCKETS)) + (NO_SCORE,)


def bucket_index(score: float | None) -> int:
    """The index into BUCKET_NAMES of a score. NaN and Infinity (Python's json reads both) are no score."""
    if score is None or not math.isfinite(score):
        return BUCKETS
    return min(int(min(max(score, 0.0), 1.0) * BUCKETS), BUCKETS - 1)  # clamped first: 1e308 * 10 is inf


@dataclass
class Figures:
    tasks: int = 0
    reviewed_tasks: int = 0
    # source ("v1", "annotations" ...) -> label -> count
    regions_per_label: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # model version -> label -> bucket -> count
    score_histogram: dict[str, dict[str, Counter]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    # model version -> label -> bucket -> decision -> count ("added" regions have no model and no bucket)
    decisions: dict[str, dict[str, dict[str, Counter]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(Counter))))
    added_per_label: Counter = field(default_factory=Counter)
    status_counts: Counter = field(default_factory=Counter)
    label_colors: dict[str, str] = field(default_factory=dict)   # label -> CSS colour of the config, for plots

    def precision(self) -> dict[str, dict[str, dict[float, dict]]]:
        """model version -> label -> threshold -> {precision, kept, decided}: of the decided regions scoring at
        least the threshold, the share the reviewer kept (accepted or edited). None where nothing was decided."""
        out: dict[str, dict[str, dict[float, dict]]] = {}
        for version, labels in self.decisions.items():
            for label, buckets in labels.items():
                rows = out.setdefault(version, {}).setdefault(label, {})
                for threshold in THRESHOLDS:
                    kept = decided = 0
                    for name in BUCKET_NAMES[:-1]:
                        if float(name.split("-")[0]) + 1e-9 >= threshold:
                            counts = buckets.get(name, Counter())
                            kept += counts["accepted"] + counts["edited"]
                            decided += counts["accepted"] + counts["edited"] + counts["rejected"]
                    rows[threshold] = {"precision": kept / decided if decided else None, "kept": kept,
                                       "decided": decided}
        return out

    def decisions_by_label(self, version: str | None) -> dict[str, Counter]:
        """label -> decision -> count of one model version's decided regions, over all score buckets."""
        out: dict[str, Counter] = {}
        for label, buckets in self.decisions.get(version, {}).items():
            out[label] = sum(buckets.values(), Counter())
        return out

    def decisions_by_bucket(self, version: str | None) -> dict[str, Counter]:
        """score bucket -> decision -> count of one model version's decided regions, over all labels."""
        out: dict[str, Counter] = {name: Counter() for name in BUCKET_NAMES}
        for buckets in self.decisions.get(version, {}).values():
            for name, counts in buckets.items():
                out[name].update(counts)
        return out

    def to_json(self) -> dict:
        def plain(value):
            if isinstance(value, dict):
                return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
            return value
        return {
            "tasks": self.tasks, "reviewed_tasks": self.reviewed_tasks,
            "status_counts": dict(self.status_counts),
            "regions_per_label": plain(self.regions_per_label),
            "score_histogram": plain(self.score_histogram),
            "decisions": plain(self.decisions),
            "added_per_label": dict(self.added_per_label),
            "precision": plain(self.precision()),
        }


def label_of(labels) -> str:
    """The label a region is counted under: its first."""
    return labels[0] if labels else NO_LABEL


def outcome_of(decision: str, working_region) -> str:
    """What became of a decided prediction region: kept as it was, kept after edits, or rejected."""
    if decision != "accepted" or working_region is None:
        return "rejected"
    return "edited" if working_region.origin == "prediction-changed" else "accepted"

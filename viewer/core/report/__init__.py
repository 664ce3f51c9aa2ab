"""`lsview report`: the QA figures as JSON, CSV or a self-contained HTML page with its plots as images.

Core layer, no Qt. Written whole or not at all, like every output of lsview.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Iterable, Iterator

from viewer.core.export import ExportError, guard_output
from viewer.core.atomic import write_text_atomically
from viewer.core.outputs import InputFiles
from viewer.core.stats import Figures

FORMATS = (".html", ".json", ".csv")


def rows(figures: Figures) -> Iterator[tuple]:
    """Every figure as (figure, model_version, label, bucket_or_threshold, key, value): the CSV's long format."""
    for version, labels in sorted(figures.regions_per_label.items()):
        for label, count in sorted(labels.items()):
            yield "regions", version, label, "", "count", count
    for version, labels in sorted(figures.score_histogram.items()):
        for label, buckets in sorted(labels.items()):
            for bucket, count in sorted(buckets.items()):
                yield "score_histogram", version, label, bucket, "count", count
    for version, labels in sorted(figures.decisions.items()):
        for label, buckets in sorted(labels.items()):
            for bucket, counts in sorted(buckets.items()):
                for decision, count in sorted(counts.items()):
                    yield "decisions", version, label, bucket, decision, count
    for label, count in sorted(figures.added_per_label.items()):
        yield "decisions", "", label, "", "added", count
    for version, labels in sorted(figures.precision().items()):
        for label, thresholds in sorted(labels.items()):
            for threshold, cell in thresholds.items():
                if cell["decided"]:
                    yield "precision", version, label, f"{threshold:.1f}", "precision", round(cell["precision"], 4)
    for status, count in sorted(figures.status_counts.items()):
        yield "tasks", "", "", "", status, count


def to_csv(figures: Figures) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["figure", "model_version", "label", "bucket", "key", "value"])
    writer.writerows(rows(figures))
    return buffer.getvalue()


def write_report(figures: Figures, out: str | os.PathLike, inputs: InputFiles | Iterable = ()) -> Path:
    """Write the report in the format its file name says (.html, .json or .csv); never over one of `inputs`
    (core.outputs.InputFiles, or paths)."""
    target = guard_output(out, inputs)
    suffix = target.suffix.lower()
    if suffix == ".json":
        text = json.dumps(figures.to_json(), ensure_ascii=False, indent=1) + "\n"
    elif suffix == ".csv":
        text = to_csv(figures)
    elif suffix in (".html", ".htm"):
        from viewer.core.report.html import to_html
        text = to_html(figures)
    else:
        raise ExportError(f"{target.name}: give the report a .html, .json or .csv name")
    write_text_atomically(target, lambda stream: stream.write(text))
    return target

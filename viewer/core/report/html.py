"""The HTML report: one self-contained page, tables plus SVG plots embedded as images (core layer, no Qt)."""

from __future__ import annotations

import base64
from html import escape

from viewer.core.report import svg
from viewer.core.stats import BUCKET_NAMES, DECISIONS, THRESHOLDS, Figures


def _image(svg_text: str, alt: str) -> str:
    data = base64.b64encode(svg_text.encode("utf-8")).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}">'


def _table(head: list[str], body: list[list]) -> str:
    cells = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    rows = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in body)
    return f"<table><tr>{cells}</tr>{rows}</table>"


def to_html(figures: Figures) -> str:
    parts = ["<!doctype html><meta charset='utf-8'><title>lsview report</title>",
             "<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;"
             "margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
             "th{background:#f4f4f4}</style>",
             "<h1>lsview report</h1>",
             f"<p>{figures.tasks} task(s), {figures.reviewed_tasks} reviewed.</p>"]
    if figures.status_counts:
        parts.append(_table(["status", "tasks"], sorted(figures.status_counts.items())))

    parts.append("<h2>Regions per label</h2>")
    sources = sorted(figures.regions_per_label)
    labels = sorted({label for counts in figures.regions_per_label.values() for label in counts})
    if labels:
        series = {source: [figures.regions_per_label[source][label] for label in labels] for source in sources}
        parts.append(_image(svg.bars(labels, series, "regions"), "regions per label"))
        parts.append(_table(["label"] + sources, [[label] + [figures.regions_per_label[s][label] for s in sources]
                                                  for label in labels]))

    parts.append("<h2>Score histograms</h2>")
    for version, by_label in sorted(figures.score_histogram.items()):
        series = {label: [by_label[label][b] for b in BUCKET_NAMES] for label in sorted(by_label)}
        parts.append(f"<h3>{escape(version)}</h3>")
        parts.append(_image(svg.bars(list(BUCKET_NAMES), series, "regions", figures.label_colors),
                            f"score histogram of {version}"))

    parts.append("<h2>Review decisions</h2>")
    decided = []
    for version in sorted(figures.decisions):
        for label, totals in sorted(figures.decisions_by_label(version).items()):
            decided.append([version, label] + [totals[d] for d in DECISIONS[:3]] +
                           [figures.added_per_label.get(label, 0)])
    if decided:
        parts.append(_table(["model version", "label", *DECISIONS], decided))
        for version in sorted(figures.decisions):
            by_bucket = figures.decisions_by_bucket(version)
            per_bucket = {d: [by_bucket[b][d] for b in BUCKET_NAMES] for d in DECISIONS[:3]}
            parts.append(f"<h3>{escape(version)}: decisions per score bucket</h3>")
            parts.append(_image(svg.bars(list(BUCKET_NAMES), per_bucket, "regions"), f"decisions of {version}"))
    else:
        parts.append("<p>No review decisions yet.</p>")

    parts.append("<h2>Estimated precision per label</h2>")
    parts.append("<p>Of the prediction regions the reviewer decided that score at least the threshold, the share "
                 "kept (accepted as they were or after edits).</p>")
    for version, by_label in sorted(figures.precision().items()):
        series = {label: [by_label[label][t]["precision"] for t in THRESHOLDS] for label in sorted(by_label)}
        parts.append(f"<h3>{escape(version)}</h3>")
        parts.append(_image(svg.lines(THRESHOLDS, series, "precision", figures.label_colors), f"precision of {version}"))
        parts.append(_table(["label"] + [f"≥ {t:.1f}" for t in THRESHOLDS],
                            [[label] + ["" if v is None else f"{v:.2f}" for v in values]
                             for label, values in series.items()]))
    return "".join(parts) + "\n"

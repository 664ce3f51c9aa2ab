"""Benchmark the text view on 100,000 characters with 2,000 spans (a quarter of them overlapping or nested).

Developer tool, runs offscreen. Measures placing the spans (core), laying the text out at 1000 px, the first
paint of the view, scrolling repaints, and `lsview render` of the task. Prints a table; --json the numbers.
Targets: layout < 1 s, first paint < 200 ms, scroll repaint < 16 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = ("PER", "LOC", "ORG", "DATE", "MISC")
CONFIG = ('<View><Text name="text" value="$text"/><Labels name="ner" toName="text">'
          + "".join(f'<Label value="{v}"/>' for v in LABELS) + "</Labels></View>")
WORDS = ("the", "model", "found", "Alice", "Paris", "in", "a", "report", "from", "2024", "über", "naïve", "😀",
         "and", "Bob", "wrote", "to", "ACME", "about", "its", "results")


def make_task(chars: int = 100_000, spans: int = 2_000) -> dict:
    rng = np.random.default_rng(7)
    parts, length, line = [], 0, 0
    while length < chars:
        word = WORDS[int(rng.integers(len(WORDS)))]
        sep = "\n" if line > 70 and rng.random() < 0.3 else " "
        line = 0 if sep == "\n" else line + len(word) + 1
        parts.append(word + sep)
        length += len(word) + 1
    text = "".join(parts)[:chars]
    results = []
    starts = np.sort(rng.choice(chars - 200, spans, replace=False))
    for i, start in enumerate(starts):
        start = int(start)
        end = start + int(rng.integers(3, 25)) if i % 4 else start + int(rng.integers(30, 160))  # every 4th spans wide
        results.append({"id": f"s{i}", "from_name": "ner", "to_name": "text", "type": "labels",
                        "score": float(rng.uniform(0.3, 1)),
                        "value": {"start": start, "end": end, "text": text[start:end],
                                  "labels": [LABELS[i % len(LABELS)]]}})
    return {"id": 1, "data": {"text": text}, "predictions": [{"model_version": "bench", "result": results}]}


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def bench(app, folder: Path) -> dict:
    from viewer.core.project import open_project
    from viewer.qt.widgets.text_view import TextView
    from viewer.render.text_content import text_contents
    from viewer.render.text_painter import TextPainter

    tasks, config = folder / "tasks.json", folder / "config.xml"
    tasks.write_text(json.dumps([make_task()], ensure_ascii=False), encoding="utf-8")
    config.write_text(CONFIG)
    project = open_project(tasks, config)
    task = project.tasks[0]

    start = time.perf_counter()
    content = text_contents(project, task)[0]
    model = content.model()
    place = time.perf_counter() - start
    painter = TextPainter(project.config)
    start = time.perf_counter()
    laid = painter.lay_out(model, 1000)
    layout = time.perf_counter() - start

    view = TextView()
    view.resize(1000, 800)
    view.show()
    app.processEvents()
    start = time.perf_counter()
    view.set_task(project, task)
    pane = view.panes[0]
    pane.viewport().repaint()
    first = time.perf_counter() - start
    count = pane.layout_count
    bar = pane.verticalScrollBar()
    steps = []
    for _ in range(60):
        t = time.perf_counter()
        bar.setValue(bar.value() + 3 * bar.singleStep())  # a wheel notch: scroll, paint the uncovered strip
        app.processEvents()
        steps.append(time.perf_counter() - t)
    jumps = []
    for fraction in (0.25, 0.5, 0.75, 1.0, 0.1):
        t = time.perf_counter()
        bar.setValue(round(bar.maximum() * fraction))  # a page the view has not painted yet
        pane.viewport().repaint()
        jumps.append(time.perf_counter() - t)
    relaid = pane.layout_count - count
    view.close()
    steps.sort()

    from viewer.cli import main

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["render", str(tasks), "--config", str(config), "--out", str(folder / "out")])
    render = time.perf_counter() - start
    return {"characters": len(content.document.text), "spans": len(model.spans), "lanes": model.lanes,
            "lines": len(laid.lines), "place_spans_ms": ms(place), "layout_ms": ms(layout),
            "first_paint_ms": ms(first), "scroll_repaint_median_ms": ms(statistics.median(steps)),
            "scroll_repaint_p95_ms": ms(steps[int(0.95 * len(steps))]),
            "jump_repaint_max_ms": ms(max(jumps)), "relayouts_while_scrolling": relaid,
            "render_exit": code, "render_png_ms": ms(render)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from viewer.qt.app import application

    app = application()
    with tempfile.TemporaryDirectory() as scratch:
        row = bench(app, Path(scratch))
    if args.json:
        print(json.dumps(row, indent=1))
        return 0
    targets = {"layout_ms": "< 1000", "first_paint_ms": "< 200", "scroll_repaint_median_ms": "< 16",
               "scroll_repaint_p95_ms": "< 16", "jump_repaint_max_ms": "< 16", "relayouts_while_scrolling": "0"}
    print(f"{'100,000 chars, 2,000 spans':<28}{'value':>12}{'target':>10}")
    for name, value in row.items():
        print(f"{name:<28}{value:>12}{targets.get(name, ''):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark tag placement (core.tag_layout) alone and in the window, on bench_render's 1920x1080 task with 1,000
rectangles.

Developer tool, runs offscreen. Prints a table (--json: the numbers): placing 1,000 tags apart (a 1:1 view) and
crowded (the window's fit, most of them folded), the window's first frame, the time until its tags are placed
after it, and a zoom step with its placing. Times are medians of CPU-bound runs, in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def median_time(run, times: int = 5) -> float:
    found = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        found.append(time.perf_counter() - start)
    return statistics.median(found)


def bench_layout(project) -> dict:
    from viewer.core.tag_layout import place_tags
    from viewer.render.content import task_content
    from viewer.render.painter import RegionPainter
    from viewer.render.tags import tag_measure
    from viewer.render.task_image import relation_routes  # noqa: F401 (the render path's module, loaded as there)

    content = task_content(project, project.tasks[0])
    painter = RegionPainter(project.config)
    regions = [region for _, region in content.regions()]
    rows = {}
    for name, scale in (("layout_1000_apart_ms", 1.0), ("layout_1000_crowded_ms", 0.45)):
        requests, texts = _requests(regions, painter, content.size, scale)
        measure = tag_measure(texts)
        bounds = (0.0, 0.0, content.size[0] * scale, content.size[1] * scale)
        rows[name] = ms(median_time(lambda: place_tags(requests, measure, bounds=bounds)))
        layout = place_tags(requests, measure, bounds=bounds)
        rows[name.replace("_ms", "_folded")] = len(layout.host)
    return rows


def _requests(regions, painter, size, scale):
    from viewer.core.tag_layout import TagRequest
    from viewer.render.content import tag_text
    from viewer.render.painter import tag_box

    requests, texts = [], []
    for region in regions:
        text = tag_text(region)
        bounds = painter.bounds(region, size)
        box = tag_box(text)
        requests.append(TagRequest((bounds.left() * scale, bounds.top() * scale, bounds.right() * scale,
                                    bounds.bottom() * scale), box.width(), box.height(), region.score))
        texts.append(text)
    return requests, texts


def bench_window(app, tasks: Path, config: Path, settings_file: Path) -> dict:
    from scripts.bench_render import window_on
    from viewer.qt.loader import LoadedTask
    from viewer.render.content import task_content
    from viewer.render.task_image import background

    window, project = window_on(app, tasks, config, settings_file)
    frames, placed = [], []
    for _ in range(4):
        content = task_content(project, project.tasks[0])
        image, _ = background(content)
        start = time.perf_counter()
        window._on_loader_task_loaded(LoadedTask(window.loader.generation, 0, content, image, None))
        window.view.viewport().repaint()
        frames.append(time.perf_counter() - start)
        start = time.perf_counter()
        while window.tag_placer.pending():
            app.processEvents()   # places them, and paints the tags' areas again, as the event loop would
        app.processEvents()
        placed.append(time.perf_counter() - start)
    zoom = median_time(lambda: (window.view.zoom_by(1.25), window.view.zoom_by(0.8)), 4) / 2
    window.close()
    window.deleteLater()
    app.processEvents()
    return {"first_frame_ms": ms(statistics.median(frames[1:])),
            "tags_placed_after_it_ms": ms(statistics.median(placed[1:])),
            "zoom_step_with_placing_ms": ms(zoom), **bench_layout(project)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from scripts.bench_render import make_data
    from viewer.qt.app import application

    app = application()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        tasks = make_data(folder)["1000 rectangles"]
        row = bench_window(app, tasks, folder / "config.xml", folder / "settings.ini")
    if args.json:
        print(json.dumps(row, indent=1))
        return 0
    for name, value in row.items():
        print(f"{name:<30}{value:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the viewer on a 1920x1080 image with 1,000 rectangles or 500 polygons of 20 points (issue 3 targets).

Developer tool, runs offscreen. Measures the first frame in the window once the image is decoded, repaints while
panning, a full repaint, and `lsview render` of the task (in-process and as a fresh process). Prints a table;
--json prints the numbers instead. Targets: first frame < 200 ms, pan repaint < 16 ms, render < 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

W, H = 1920, 1080
LABELS = ("Car", "Person", "Bike", "Sign", "Tree")
CONFIG = ('<View><Image name="image" value="$image"/>'
          '<RectangleLabels name="box" toName="image">' + "".join(f'<Label value="{v}"/>' for v in LABELS)
          + '</RectangleLabels><PolygonLabels name="poly" toName="image">'
          + "".join(f'<Label value="{v}"/>' for v in LABELS) + "</PolygonLabels></View>")


def rectangles(rng: np.random.Generator, count: int) -> list[dict]:
    out = []
    for i in range(count):
        w, h = rng.uniform(1, 8), rng.uniform(1, 8)
        out.append({"id": f"r{i}", "type": "rectanglelabels", "from_name": "box", "to_name": "image",
                    "original_width": W, "original_height": H, "score": float(rng.uniform(0.3, 1)),
                    "value": {"x": float(rng.uniform(0, 100 - w)), "y": float(rng.uniform(0, 100 - h)),
                              "width": w, "height": h, "rotation": float(rng.choice([0, 0, 0, 15, 350])),
                              "rectanglelabels": [LABELS[i % len(LABELS)]]}})
    return out


def polygons(rng: np.random.Generator, count: int, points: int = 20) -> list[dict]:
    out = []
    for i in range(count):
        cx, cy, r = rng.uniform(5, 95), rng.uniform(5, 95), rng.uniform(1, 4)
        angles = np.sort(rng.uniform(0, 2 * math.pi, points))
        radii = r * rng.uniform(0.6, 1.0, points)
        pts = [[float(cx + q * math.cos(a)), float(cy + q * math.sin(a) * W / H)] for a, q in zip(angles, radii)]
        out.append({"id": f"p{i}", "type": "polygonlabels", "from_name": "poly", "to_name": "image",
                    "original_width": W, "original_height": H, "score": float(rng.uniform(0.3, 1)),
                    "value": {"points": pts, "closed": True, "polygonlabels": [LABELS[i % len(LABELS)]]}})
    return out


def make_data(folder: Path) -> dict[str, Path]:
    rng = np.random.default_rng(3)
    ys, xs = np.mgrid[0:H, 0:W]
    picture = np.stack([(xs * 255 // W), (ys * 255 // H), ((xs + ys) % 256)], axis=2).astype(np.uint8)
    Image.fromarray(picture).save(folder / "scene.jpg", quality=85)
    (folder / "config.xml").write_text(CONFIG)
    files = {}
    for name, results in (("1000 rectangles", rectangles(rng, 1000)), ("500 polygons x 20", polygons(rng, 500))):
        path = folder / f"{name.split()[1]}.json"
        path.write_text(json.dumps([{"id": 1, "data": {"image": "scene.jpg"},
                                     "predictions": [{"model_version": "bench", "result": results}]}]))
        files[name] = path
    return files


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def window_on(app, tasks: Path, config: Path, settings_file: Path):
    """(a shown 1600x900 window holding the project, the project): tasks are then handed to it as the loader does."""
    from PySide6.QtCore import QSettings

    from viewer.core.project import open_project
    from viewer.qt.main_window import MainWindow
    from viewer.render.painter import RegionPainter

    window = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    project = open_project(tasks, config)
    window.project, window.painter, window.index = project, RegionPainter(project.config), 0
    return window, project


def bench_window(app, tasks: Path, config: Path, settings_file: Path) -> dict:
    from viewer.qt.loader import LoadedTask
    from viewer.render.content import task_content
    from viewer.render.task_image import background

    window, project = window_on(app, tasks, config, settings_file)

    def first_frame() -> float:
        # fresh regions each time (no cached geometry); the image is decoded before the clock starts
        content = task_content(project, project.tasks[0])
        image, _ = background(content)
        start = time.perf_counter()
        window._on_loader_task_loaded(LoadedTask(window.loader.generation, 0, content, image, None))
        window.view.viewport().repaint()
        return time.perf_counter() - start

    cold = first_frame()   # the first paint of the process also warms Qt's rasteriser and font caches
    warm = statistics.median(first_frame() for _ in range(3))  # flipping to a task in a running window

    def timed_repaint() -> float:
        t = time.perf_counter()
        window.view.viewport().repaint()
        return time.perf_counter() - t

    full = statistics.median(timed_repaint() for _ in range(5))
    window.view.actual_size()
    bar = window.view.horizontalScrollBar()
    bar.setValue(bar.minimum())
    app.processEvents()
    window.view.viewport().repaint()
    pans = []
    for _ in range(40):
        t = time.perf_counter()
        bar.setValue(bar.value() + 24)  # a drag step: the view scrolls and paints only the uncovered strip
        app.processEvents()              # ... which happens here, as the event loop would do it
        pans.append(time.perf_counter() - t)
    window.close()
    window.deleteLater()
    app.processEvents()
    pans.sort()
    return {"first_frame_cold_ms": ms(cold), "first_frame_ms": ms(warm), "full_repaint_ms": ms(full),
            "pan_repaint_median_ms": ms(statistics.median(pans)), "pan_repaint_p95_ms": ms(pans[int(0.95 * len(pans))])}


def bench_render(tasks: Path, config: Path, out: Path) -> dict:
    from viewer.cli import main

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the command prints the PNG's path
        code = main(["render", str(tasks), "--config", str(config), "--out", str(out)])
    in_process = time.perf_counter() - start
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "viewer", "render", str(tasks), "--config", str(config), "--out",
                    str(out)], check=True, env=env, capture_output=True)
    fresh = time.perf_counter() - start
    return {"render_exit": code, "render_in_process_ms": ms(in_process), "render_fresh_process_ms": ms(fresh)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from viewer.qt.app import application

    app = application()
    rows = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, tasks in make_data(folder).items():
            sys.stdout.flush()
            rows[name] = {**bench_window(app, tasks, folder / "config.xml", folder / "settings.ini"),
                          **bench_render(tasks, folder / "config.xml", folder / "out")}
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    columns = ("first_frame_cold_ms", "first_frame_ms", "pan_repaint_median_ms", "pan_repaint_p95_ms", "full_repaint_ms",
               "render_in_process_ms", "render_fresh_process_ms")
    targets = {"first_frame_ms": "< 200", "pan_repaint_median_ms": "< 16", "pan_repaint_p95_ms": "< 16",
               "render_in_process_ms": "< 1000", "render_fresh_process_ms": "< 1000"}
    print(f"{'ms, 1920x1080':<24}" + "".join(f"{name:>20}" for name in rows) + f"{'target':>10}")
    for column in columns:
        print(f"{column:<24}" + "".join(f"{rows[n][column]:>20}" for n in rows) + f"{targets.get(column, ''):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

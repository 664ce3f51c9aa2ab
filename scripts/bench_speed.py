"""Benchmark of the issue 13 speed targets: the window's first frame of a 1920x1080 task with 1,000 labelled,
scored rectangles (< 100 ms), and `lsview render` of 500 twenty-point polygons as a fresh process (< 1 s).

Developer tool. Prints a table of medians over --runs runs (or --json). The window runs on QT_QPA_PLATFORM
(offscreen unless set; `Xvfb :99 & DISPLAY=:99 QT_QPA_PLATFORM=xcb python scripts/bench_speed.py` for X11).

First frame: from the moment the loaded task (its content built and its image decoded, as the loader hands it
over) is given to the window, which sets it on the view state, to the end of the first paint of the canvas
viewport after it (every item built, the image and all regions drawn), with the event loop running in between as
it would. "cold" is the first task a fresh window process shows (one process per run); "warm" flips through
further tasks of the same size in that window (new regions, new tag texts). The canvas places its tags after that
first frame (TagPlacer); "tags frame" is the end of the first paint after they are placed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

TARGETS = {"first_frame_cold_ms": 100.0, "first_frame_warm_ms": 100.0, "render_polygons_fresh_ms": 1000.0}


def make_data(folder: Path, tasks: int) -> dict[str, Path]:
    """scene.jpg, config.xml, rectangles.json (`tasks` tasks of 1,000 rectangles) and polygons.json (one task)."""
    import numpy as np
    from PIL import Image

    from bench_render import CONFIG, H, W, polygons, rectangles

    rng = np.random.default_rng(13)
    ys, xs = np.mgrid[0:H, 0:W]
    picture = np.stack([(xs * 255 // W), (ys * 255 // H), ((xs + ys) % 256)], axis=2).astype(np.uint8)
    Image.fromarray(picture).save(folder / "scene.jpg", quality=85)
    (folder / "config.xml").write_text(CONFIG)
    files = {"rectangles": folder / "rectangles.json", "polygons": folder / "polygons.json"}
    files["rectangles"].write_text(json.dumps([
        {"id": n + 1, "data": {"image": "scene.jpg"},
         "predictions": [{"model_version": "bench", "result": rectangles(rng, 1000)}]} for n in range(tasks)]))
    files["polygons"].write_text(json.dumps([
        {"id": 1, "data": {"image": "scene.jpg"},
         "predictions": [{"model_version": "bench", "result": polygons(rng, 500)}]}]))
    return files


def first_frames(folder: Path, warm: int) -> list[tuple[float, float, float, float]]:
    """(wall, CPU) milliseconds to the first frame and to the tags frame of task 0 (cold), then of tasks 1..warm;
    run in a process of its own. CPU is the process's (every thread), which a loaded machine stretches less than the
    wall clock."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["LSVIEW_DATA_DIR"] = str(folder / "data")  # nothing of the benchmark lands in the user's folder
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from viewer.qt.app import application
    from viewer.qt.canvas.view import CanvasView
    from viewer.qt.loader import LoadedTask, OpenRequest
    from viewer.qt.main_window import MainWindow

    painted: list[tuple[float, float]] = []
    inherited = CanvasView.paintEvent

    def timed_paint(view, event) -> None:
        inherited(view, event)
        painted.append((time.perf_counter(), time.process_time()))

    CanvasView.paintEvent = timed_paint  # the end of each paint of the canvas viewport
    placed: list[float] = []
    try:
        from viewer.qt.canvas.tag_placer import TagPlacer
    except ImportError:  # before tags were placed: they are in the first frame
        TagPlacer = None
    else:
        place = TagPlacer.place

        def timed_place(placer) -> None:
            place(placer)
            placed.append(time.perf_counter())

        TagPlacer.place = timed_place
    app = application()
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1600, 900)
    window.show()
    opened: list[object] = []
    window.loader.project_opened.connect(lambda *args: opened.append(args))
    # the project opens with no task shown; the loader then prepares each task as it does when the user flips to
    # it, and what it hands over is given to the window by hand, so that no loader work runs on the clock
    window.loader.task_loaded.disconnect(window._on_loader_task_loaded)
    window.open(OpenRequest(str(folder / "rectangles.json"), str(folder / "config.xml")))
    while not opened:
        QTest.qWait(10)
    QTest.qWait(200)  # the window's own start-up work (panels, counts) settles before the first task
    handed: list[LoadedTask] = []
    window.loader.task_loaded.connect(handed.append)
    times = []
    for index in range(warm + 1):
        # its work, on its thread, off the clock
        generation = window.loader.load_task(window.project, index, window.painter)
        while not any(loaded.generation == generation for loaded in handed):
            QTest.qWait(5)
        loaded = next(loaded for loaded in handed if loaded.generation == generation)
        QTest.qWait(50)
        if window.loader.generation != generation:
            raise RuntimeError("the window loaded another task meanwhile; the benchmark needs it idle")
        painted.clear()
        placed.clear()
        start, cpu = time.perf_counter(), time.process_time()
        window._on_loader_task_loaded(loaded)
        while not painted:
            app.processEvents()
        first = painted[0]
        if TagPlacer is not None:
            while not placed or not any(wall > placed[0] for wall, _ in painted):
                app.processEvents()
        tags = next((frame for frame in painted if not placed or frame[0] > placed[0]), first)
        times.append(((first[0] - start) * 1000, (first[1] - cpu) * 1000,
                      (tags[0] - start) * 1000, (tags[1] - cpu) * 1000))
        QTest.qWait(50)
    window.close()
    return times


def _render_command(tasks: Path, config: Path, out: Path) -> tuple[list[str], dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)  # as a user runs it; render picks offscreen itself without a display
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed lsview has its bytecode compiled
    return [sys.executable, "-m", "viewer", "render", str(tasks), "--config", str(config), "--out", str(out)], env


def render_fresh(tasks: Path, config: Path, out: Path) -> tuple[float, float]:
    """(wall, CPU) milliseconds of `lsview render` as a fresh process; CPU is the child's user + system time."""
    command, env = _render_command(tasks, config, out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall * 1000, (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def render_imports_ms(tasks: Path, config: Path, out: Path) -> float:
    """What `lsview render` spends importing modules (python -X importtime: the top-level imports' totals)."""
    command, env = _render_command(tasks, config, out)
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], check=True, env=env, capture_output=True,
                          text=True, cwd=ROOT)
    total = 0
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            total += int(parts[1])
    return total / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per number; the table shows medians (default 5)")
    parser.add_argument("--warm", type=int, default=4, help="further tasks shown per window process (default 4)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--render-only", action="store_true", help="leave out the window's first frames")
    parser.add_argument("--frames-of", metavar="DIR", help=argparse.SUPPRESS)  # the child process of one window run
    args = parser.parse_args(argv)
    if args.frames_of:
        print(json.dumps(first_frames(Path(args.frames_of), args.warm)))
        return 0
    cold, warm, cold_cpu, warm_cpu, imports = [], [], [], [], []
    tags_cold, tags_warm, tags_warm_cpu = [], [], []
    fresh_polygons, fresh_polygons_cpu, fresh_rectangles = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = make_data(folder, args.warm + 1)
        render_fresh(files["polygons"], folder / "config.xml", folder / "out")  # writes the bytecode, untimed
        single = folder / "one.json"
        single.write_text(json.dumps(json.loads(files["rectangles"].read_text())[:1]))
        for _ in range(args.runs):
            if not args.render_only:
                done = subprocess.run([sys.executable, __file__, "--frames-of", str(folder), "--warm", str(args.warm)],
                                      check=True, capture_output=True, text=True, cwd=ROOT)
                frames = json.loads(done.stdout.splitlines()[-1])
                cold.append(frames[0][0])
                cold_cpu.append(frames[0][1])
                tags_cold.append(frames[0][2])
                warm.extend(frame[0] for frame in frames[1:])
                warm_cpu.extend(frame[1] for frame in frames[1:])
                tags_warm.extend(frame[2] for frame in frames[1:])
                tags_warm_cpu.extend(frame[3] for frame in frames[1:])
            wall, cpu = render_fresh(files["polygons"], folder / "config.xml", folder / "out")
            fresh_polygons.append(wall)
            fresh_polygons_cpu.append(cpu)
            fresh_rectangles.append(render_fresh(single, folder / "config.xml", folder / "out")[0])
            imports.append(render_imports_ms(files["polygons"], folder / "config.xml", folder / "out"))
    rows = {"first_frame_cold_ms": cold, "first_frame_warm_ms": warm, "first_frame_cold_cpu_ms": cold_cpu,
            "first_frame_warm_cpu_ms": warm_cpu, "tags_frame_cold_ms": tags_cold, "tags_frame_warm_ms": tags_warm,
            "tags_frame_warm_cpu_ms": tags_warm_cpu, "render_polygons_fresh_ms": fresh_polygons,
            "render_polygons_fresh_cpu_ms": fresh_polygons_cpu,
            "render_rectangles_fresh_ms": fresh_rectangles, "render_imports_ms": imports}
    table = {name: {"median": round(statistics.median(v), 1), "min": round(min(v), 1), "max": round(max(v), 1),
                    "runs": len(v), "target": TARGETS.get(name)} for name, v in rows.items() if v}
    if args.json:
        print(json.dumps({"platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "numbers": table}, indent=1))
        return 0
    print(f"platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, 1920x1080, medians of {args.runs} runs "
          f"(warm: {args.runs * args.warm} tasks)")
    print(f"{'ms':<28}{'median':>9}{'min':>9}{'max':>9}{'target':>9}")
    for name, row in table.items():
        target = f"< {row['target']:g}" if row["target"] else ""
        print(f"{name:<28}{row['median']:>9}{row['min']:>9}{row['max']:>9}{target:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

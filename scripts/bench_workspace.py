"""Benchmark of the QA workspace on a big task file (issue 6): opening to a usable window, changing the task-list
filter, and computing the statistics figures. Targets: open < 3 s, a filter change < 200 ms, figures < 1 s.

Developer tool. Generates its own project (fixed seed) in a temporary folder, or in --data (kept and reused), then
measures each part in a fresh process so one part's heap does not slow the next, with compiled bytecode kept as a
user's install keeps it (part_env). Prints a table (or --json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_validate import CONFIG, region  # noqa: E402  (a sibling script: the same kinds of regions)

OPEN_TARGET_S = 3.0
FILTER_TARGET_MS = 200.0
STATS_TARGET_S = 1.0
IMAGES = 20
REVIEWED_EVERY = 25          # one task in 25 gets review decisions: 4,000 of 100,000


# ---------------------------------------------------------------------------------------------- the project

def make_project(folder: Path, tasks: int, regions: int) -> Path:
    """A task file of `tasks` tasks with one or two model versions, 0..2*regions regions each (mean `regions`)."""
    from PIL import Image

    rng = random.Random(1)
    (folder / "img").mkdir(parents=True, exist_ok=True)
    for i in range(IMAGES):
        Image.new("RGB", (640 + i, 480), (i * 10, 90, 120)).save(folder / "img" / f"{i}.png")
    captions = ["red car", "a dog", "street at night", "two people crossing", "empty road"]
    items = []
    for t in range(tasks):
        predictions = []
        for version in rng.choice([["v1"], ["v2"], ["v1", "v2"]]):
            result = [r for n in range(rng.randint(0, 2 * regions)) for r in region(rng, n)]
            predictions.append({"model_version": version, "score": round(rng.random(), 3), "result": result})
        items.append({"id": t, "data": {"image": f"img/{t % IMAGES}.png", "caption": rng.choice(captions)},
                      "predictions": predictions})
    (folder / "config.xml").write_text(CONFIG, encoding="utf-8")
    path = folder / "tasks.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def review_some(project) -> dict:
    """A session beside the task file with decisions on every REVIEWED_EVERY-th task: accepted (one bulk step),
    then one rejection, one edit, one added region or a status on some of those."""
    from viewer.core.review.session import ReviewSession

    session = ReviewSession.open(project)
    chosen = project.tasks[::REVIEWED_EVERY]
    session.accept_where(chosen, lambda task, r, score: score is not None and score >= 0.5, "Accept")
    counts = {"accepted in bulk": len(chosen), "rejected": 0, "edited": 0, "added": 0, "status": 0}
    for n, task in enumerate(chosen):
        pending = [r for r in session.prediction_regions(task) if session.decision(task, r.source_index, r.id) is None]
        if n % 4 == 0 and pending:
            session.reject(task, pending[:1])
            counts["rejected"] += 1
        if n % 8 == 1:
            boxes = [r for r in session.working_results(task) or []
                     if r.get("type") == "rectanglelabels" and r.get("origin") == "prediction"]
            if boxes:
                box = boxes[0]
                moved = [{**box, "value": {**box["value"], "x": box["value"]["x"] + 1}}]
                session.edit_region(task, box["id"], moved, "Move rectangle")
                counts["edited"] += 1
        if n % 8 == 2:
            added = {"from_name": "box", "to_name": "image", "type": "rectanglelabels",
                     "value": {"x": 5, "y": 5, "width": 10, "height": 10, "rotation": 0,
                               "rectanglelabels": ["Car"]}}
            session.add_region(task, [added], "Draw rectangle")
            counts["added"] += 1
        if n % 4 == 3:
            session.set_status(task, "accepted" if n % 8 == 3 else "needs-fix")
            counts["status"] += 1
    session.close()
    return counts


# ---------------------------------------------------------------------------------------------- the parts

def part_stats(folder: Path) -> dict:
    """Figures over all tasks and over a filter's subset, with the reviewed session, by StatsIndex and by the
    plain region-by-region count the tests check it against (tests/core/figures_reference.py), for scale."""
    from tests.core.figures_reference import figures as plain_figures
    from viewer.core.project import open_project
    from viewer.core.review.session import ReviewSession
    from viewer.core.stats_index import StatsIndex
    from viewer.core.task_index import TaskFilter, TaskIndex

    project = open_project(folder / "tasks.json", folder / "config.xml")
    session = ReviewSession.open(project)
    subset = TaskIndex(project.tasks).select(TaskFilter(model_version="v2", min_score=0.3))
    rows = {}
    start = time.perf_counter()
    index = StatsIndex(project)
    rows["StatsIndex(project): build"] = [time.perf_counter() - start]
    for name, chosen in (("all tasks", None), (f"{len(subset):,} filtered tasks", subset)):
        times, found = [], None
        for _ in range(3):
            start = time.perf_counter()
            found = index.figures(session, chosen)
            times.append(time.perf_counter() - start)
        rows[f"StatsIndex.figures, {name}"] = times
        start = time.perf_counter()
        reference = plain_figures(project, session, None if chosen is None else [project.tasks[i] for i in chosen])
        rows[f"plain count (reference), {name}"] = [time.perf_counter() - start]
        if found.to_json() != reference.to_json():
            raise SystemExit(f"StatsIndex and the plain count disagree over {name}")
    # A decision, then the figures again: what the panel pays after each review step.
    task = project.tasks[1]
    session.reject(task, session.prediction_regions(task)[:1])
    times = []
    for _ in range(3):
        start = time.perf_counter()
        index.review_changed([task.index])
        index.figures(session)
        times.append(time.perf_counter() - start)
    rows["review_changed(1 task) + figures, all"] = times
    session.undo()
    session.close()
    return {"rows": rows}


def part_window(folder: Path, launched: float) -> tuple[dict, object]:
    """Open in the window (offscreen) until the first task is shown and the list holds every task; then filters
    and sorts through the task list's model, each with the table repainted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, Qt

    from viewer.core.task_index import TaskFilter
    from viewer.qt.app import application
    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow
    from viewer.qt.workspace.task_table import COLUMNS

    app = application()
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    model, table = window.workspace.panel.model, window.workspace.panel.table
    marks: dict[str, float] = {}
    window.loader.project_opened.connect(lambda *_: marks.setdefault("parsed", time.perf_counter()),
                                         Qt.ConnectionType.DirectConnection)
    window.task_shown.connect(lambda _: marks.setdefault("shown", time.perf_counter()))
    # Wait in an event loop, not by polling: a polling loop takes the GIL every few milliseconds and slows the
    # loader's thread several times over (43 s instead of 5 s to parse 100,000 tasks, measured).
    waiting = QEventLoop()

    def check(*_) -> None:
        if window.project is not None and model.rowCount() == len(window.project.tasks):
            marks.setdefault("listed", time.perf_counter())
        if "shown" in marks and "listed" in marks:
            waiting.quit()

    window.task_shown.connect(check)
    model.modelReset.connect(check)
    start = time.perf_counter()
    window.open(OpenRequest(str(folder / "tasks.json"), str(folder / "config.xml")))
    waiting.exec()
    usable = time.perf_counter()
    fresh = time.time() - launched
    app.processEvents()
    rows = {"open: fresh process to usable window": [fresh],
            "open: MainWindow.open to usable window": [usable - start],
            "  stage: tasks parsed (worker thread)": [marks["parsed"] - start],
            "  stage: task list filled": [marks["listed"] - start],
            "  stage: first task shown": [marks["shown"] - start]}

    def timed(change) -> float:
        begin = time.perf_counter()
        change()
        table.viewport().repaint()
        return time.perf_counter() - begin

    cleared = TaskFilter()
    # The search text is made in the background once the window is usable (a search typed before that makes
    # what is missing itself, up to half a second for 100,000 tasks): how long that takes, then the first search.
    counter = window.workspace.filler
    while not counter.search_ready:
        app.processEvents()
    rows["  background: search text ready, after usable"] = [time.perf_counter() - usable]
    rows["filter: text search, first"] = [timed(lambda: model.set_filter(TaskFilter(search="dog")))]
    rows["filter: clear"] = [timed(lambda: model.set_filter(cleared))]
    cases = [("status", TaskFilter(statuses=frozenset({"accepted", "needs-fix"}))),
             ("model version", TaskFilter(model_version="v2")),
             ("label", TaskFilter(label="Person")),
             ("score range", TaskFilter(min_score=0.2, max_score=0.5)),
             ("diagnostics only", TaskFilter(diagnostics_only=True)),
             ("text search, again", TaskFilter(search="night")),
             ("label + score + search", TaskFilter(label="Car", min_score=0.1, search="car"))]
    for _ in range(5):
        for name, rule in cases:
            rows.setdefault(f"filter: {name}", []).append(timed(lambda: model.set_filter(rule)))
            rows["filter: clear"].append(timed(lambda: model.set_filter(cleared)))
    columns = {attribute: n for n, (_, attribute) in enumerate(COLUMNS)}
    for _ in range(3):
        for name in ("min_score", "task_id", "labels", "status", "regions"):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                rows.setdefault(f"sort: {name}", []).append(timed(lambda: model.sort(columns[name], order)))
        model.sort(columns["min_score"], Qt.SortOrder.AscendingOrder)
        rows.setdefault("filter: model version, sorted by min_score", []).append(
            timed(lambda: model.set_filter(TaskFilter(model_version="v1"))))
        model.sort_key = None
        model.set_filter(cleared)
    window.loader.wait()
    return {"rows": rows}, window


# ---------------------------------------------------------------------------------------------- the table

TARGETS = (("open: fresh", OPEN_TARGET_S), ("open: MainWindow", OPEN_TARGET_S), ("filter", FILTER_TARGET_MS / 1000),
           ("sort", FILTER_TARGET_MS / 1000), ("StatsIndex.figures", STATS_TARGET_S),
           ("review_changed", STATS_TARGET_S))


def target_of(case: str) -> float | None:
    return next((target for prefix, target in TARGETS if case.startswith(prefix)), None)


def part_env(folder: Path) -> dict:
    """The parts' environment: Qt offscreen, and bytecode kept (in the data folder) even where the shell sets
    PYTHONDONTWRITEBYTECODE, so a fresh process starts as lsview does for a user after its first start (compiling
    every module from source each time adds ~0.2 s here)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_bytecode(folder: Path) -> None:
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "import viewer.qt.main_window, viewer.qt.app, viewer.core.stats_index, viewer.core.review.session")
    subprocess.run([sys.executable, "-c", code], env=part_env(folder), check=True, capture_output=True)


def run_part(name: str, folder: Path) -> dict:
    command = [sys.executable, __file__, "--part", name, "--data", str(folder), "--launched", repr(time.time())]
    done = subprocess.run(command, capture_output=True, text=True, env=part_env(folder))
    found = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not found:
        raise SystemExit(f"part {name} failed:\n{done.stderr}")
    return json.loads(found[-1])


def measure(folder: Path, tasks: int, regions: int, window_runs: int) -> dict:
    path = folder / "tasks.json"
    if not path.exists():
        make_project(folder, tasks, regions)
    for stale in folder.glob("*.lsview.sqlite*"):
        stale.unlink()
    warm_bytecode(folder)
    setup = run_part("review", folder)
    rows: dict[str, list[float]] = {}
    for _ in range(window_runs):   # opening varies by a second from run to run here: take several
        for case, times in run_part("window", folder)["rows"].items():
            rows.setdefault(case, []).extend(times)
    rows.update(run_part("stats", folder)["rows"])
    return {"file_mb": round(path.stat().st_size / 2**20, 1), "tasks": setup["tasks"], "regions": setup["regions"],
            "reviewed": setup["counts"], "cpus": os.cpu_count(),
            "rows": [{"case": case, "median_s": statistics.median(times), "max_s": max(times), "runs": len(times),
                      "target_s": target_of(case)} for case, times in rows.items()]}


def print_table(result: dict) -> None:
    print(f"{result['tasks']:,} tasks, {result['regions']:,} prediction regions, task file {result['file_mb']} MB, "
          f"{result['cpus']} CPUs; review decisions: {result['reviewed']}")
    print(f"{'case':<48} {'target':>8} {'median':>9} {'max':>9} {'runs':>5}  (ms)")
    for row in result["rows"]:
        target = f"< {row['target_s'] * 1000:g}" if row["target_s"] else ""
        flag = " !" if row["target_s"] and row["max_s"] > row["target_s"] else ""
        print(f"{row['case']:<48} {target:>8} {row['median_s'] * 1000:9.1f} {row['max_s'] * 1000:9.1f} "
              f"{row['runs']:>5}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--regions", type=int, default=4, help="mean prediction regions per model version")
    parser.add_argument("--data", type=Path, help="folder for the generated project, kept and reused "
                        "(default: a temporary folder)")
    parser.add_argument("--window-runs", type=int, default=3, help="fresh windows to open and measure (default 3)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--part", choices=("review", "window", "stats"), help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("LSVIEW_DATA_DIR", tempfile.mkdtemp(prefix="lsview-bench-"))
    if args.part == "review":
        from viewer.core.project import open_project
        from viewer.core.task_index import TaskIndex
        project = open_project(args.data / "tasks.json", args.data / "config.xml")
        regions = sum(row.regions for row in TaskIndex(project.tasks).rows)   # the file holds no annotations
        print(json.dumps({"tasks": len(project.tasks), "regions": regions, "counts": review_some(project)}))
        return
    if args.part == "stats":
        print(json.dumps(part_stats(args.data)))
        return
    if args.part == "window":
        part, window = part_window(args.data, args.launched)
        print(json.dumps(part), flush=True)  # before closing: what the window does on close is not measured
        window.close()
        return
    if args.data is not None:
        args.data.mkdir(parents=True, exist_ok=True)
        result = measure(args.data, args.tasks, args.regions, args.window_runs)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = measure(Path(tmp), args.tasks, args.regions, args.window_runs)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)


if __name__ == "__main__":
    main()

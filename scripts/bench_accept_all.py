"""Benchmark of the window's long review actions (offscreen): accept shown in listed tasks (threshold panel),
accept above a score in all tasks (Review menu), and the undo and redo of such a step, over 20,000 tasks of 5
prediction regions; and `lsview accept` over the same tasks. Developer tool.

Prints a table (or --json): seconds until the action is done, and the GUI thread's longest stall while it ran (the
largest gap between two ticks of a 1 ms timer: how long a click on Cancel or a repaint would have waited), with the
most CPU time the GUI thread spent between two ticks (the stall on an idle machine: on a busy one the first also
holds the time the system gave other processes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_review_gui import open_window  # noqa: E402  (a sibling script: the window opened the same way)
from bench_validate import make_project  # noqa: E402

TIMEOUT_S = 600.0


class Ticks:
    """A 1 ms timer's ticks while an action runs: the longest gap between two is the longest stall."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.times: list[tuple[float, float]] = []   # (wall clock, GUI thread's CPU time) at each tick
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.times.append((time.perf_counter(), time.thread_time())))

    def longest_gaps(self, start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
        """The longest gap between two ticks, in wall-clock time and in the GUI thread's CPU time."""
        marks = [start] + [t for t in self.times if start[0] < t[0] < end[0]] + [end]
        pairs = list(zip(marks, marks[1:]))
        return max(b[0] - a[0] for a, b in pairs), max(b[1] - a[1] for a, b in pairs)


def run(app, ticks: Ticks, trigger, done) -> tuple[float, float, float]:
    """Trigger the action from the event loop and turn the loop until done(); (seconds, longest stall, most CPU
    time between two ticks)."""
    from PySide6.QtCore import QTimer

    started: list[tuple[float, float]] = []
    ticks.times.clear()
    ticks.timer.start()
    QTimer.singleShot(0, lambda: (started.append((time.perf_counter(), time.thread_time())), trigger()))
    deadline = time.perf_counter() + TIMEOUT_S
    while not (started and done()):
        app.processEvents()
        time.sleep(0.0005)
        if time.perf_counter() > deadline:
            raise TimeoutError("the action did not finish")
    end = (time.perf_counter(), time.thread_time())
    ticks.timer.stop()
    return (end[0] - started[0][0], *ticks.longest_gaps(started[0], end))


def idle(window) -> bool:
    """No long action of the window under way (lsview before issue 13 ran them to the end at once)."""
    return not getattr(window.review, "busy", False)


def measure_window(app, folder: Path, tasks: Path) -> list[tuple[str, float, float, float]]:
    from PySide6.QtWidgets import QInputDialog

    window = open_window(app, folder, tasks)
    while window.workspace.filler.running:  # the task list's background reading would share the GUI thread
        app.processEvents()
    review, actions, rows = window.review, window.actions_by_name, []
    ticks = Ticks()

    def step_of(name: str, trigger, label_changed):
        before = (review.undo_label, review.redo_label)
        rows.append((name, *run(app, ticks, trigger, lambda: idle(window) and label_changed(before))))

    def accepted(before):
        return review.undo_label != before[0]

    def undone(before):
        return review.redo_label != before[1]

    def redone(before):
        return review.undo_label != before[0] and review.redo_label != before[1]

    step_of("accept shown in listed tasks", actions["accept_shown_listed"].trigger, accepted)
    step_of("undo (Ctrl+Z) of it", actions["undo"].trigger, undone)
    step_of("redo of it", actions["redo"].trigger, redone)
    step_of("undo again", actions["undo"].trigger, undone)
    asked = QInputDialog.getDouble
    QInputDialog.getDouble = staticmethod(lambda *args, **kwargs: (0.0, True))  # the score asked for: 0
    try:
        step_of("accept above score 0 in all tasks", actions["accept_above_all"].trigger, accepted)
    finally:
        QInputDialog.getDouble = asked
    window.close()
    app.processEvents()
    return rows


def measure_cli(folder: Path, tasks: Path) -> tuple[str, float, None, None]:
    session = folder / "cli.lsview-session"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "viewer", "accept", str(tasks), "--config",
                           str(folder / "config.xml"), "--session", str(session)], cwd=ROOT, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return ("lsview accept (a fresh process)", seconds, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--regions", type=int, default=5, help="prediction regions per task")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from viewer.qt.app import application

    app = application()
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as tmp:
        os.environ["LSVIEW_DATA_DIR"] = data  # nothing of the benchmark lands in the user's data folder
        folder = Path(tmp)
        tasks = make_project(folder, args.tasks, args.regions, 20)
        rows = measure_window(app, folder, tasks)
        rows.append(measure_cli(folder, tasks))
    if args.json:
        print(json.dumps([{"case": c, "seconds": s, "longest_stall_s": g, "most_cpu_between_ticks_s": u}
                          for c, s, g, u in rows]))
        return
    print(f"{args.tasks:,} tasks x {args.regions} prediction regions")
    print(f"{'case':<38} {'done in':>9} {'longest stall':>14} {'max CPU in a gap':>17}")
    for case, seconds, stall, cpu in rows:
        times = "" if stall is None else f"{stall * 1000:11.0f} ms {cpu * 1000:14.0f} ms"
        print(f"{case:<38} {seconds:8.2f}s {times}")


if __name__ == "__main__":
    main()

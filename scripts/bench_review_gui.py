"""Benchmark of review keys in the window (offscreen): A (accept) until the next undecided region is selected, X,
N and Ctrl+Z, on tasks of 20, 200 and 1,000 prediction regions. Prints a table (or --json); target: A < 30 ms.
Developer tool. "Then painted" adds the repaint the key caused; "full repaint" is the whole canvas, for scale.
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
sys.path.insert(0, str(ROOT / "scripts"))

from bench_validate import make_project  # noqa: E402  (a sibling script: the same kind of generated project)

TARGET_MS = 30.0


def open_window(app, folder: Path, tasks: Path):
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow

    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1600, 900)
    window.show()
    shown: list[int] = []
    window.task_shown.connect(shown.append)
    window.open(OpenRequest(str(tasks), str(folder / "config.xml")))
    while not shown:
        QTest.qWait(10)
    window.view.setFocus()
    app.processEvents()
    return window


def press(window, key, modifier=None, paint: bool = False) -> float:
    """Milliseconds from the key press until its handler is done (and, with paint, the canvas repainted)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    start = time.perf_counter()
    QTest.keyClick(window.view, key, modifier or Qt.KeyboardModifier.NoModifier)
    if paint:
        QApplication.processEvents()  # the update requests the key posted: the repaint of what changed
    return (time.perf_counter() - start) * 1000


def full_repaint(window) -> float:
    start = time.perf_counter()
    window.view.viewport().repaint()
    return (time.perf_counter() - start) * 1000


def measure(app, regions: int, presses: int) -> list[tuple[str, list[float]]]:
    from PySide6.QtCore import Qt

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks = make_project(folder, 3, regions, 3)
        window = open_window(app, folder, tasks)
        rows = []
        press(window, Qt.Key.Key_N)
        accept, painted, reject, step, undo = [], [], [], [], []
        for n in range(presses):
            if window.review.counts(0)[2] < 4:  # all but a few decided: undo everything, untimed, and go on
                while window.review.undo() is not None:
                    pass
                press(window, Qt.Key.Key_N)
            before = window.region_list.selected_key()
            accept.append(press(window, Qt.Key.Key_A))
            assert window.region_list.selected_key() != before, "accept did not move the selection on"
            painted.append(press(window, Qt.Key.Key_A, paint=True))
            reject.append(press(window, Qt.Key.Key_X))
            step.append(press(window, Qt.Key.Key_N))
            if n % 4 == 0:
                undo.append(press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
        rows.append((f"A: accept + next selected ({regions} regions)", accept))
        rows.append((f"A, then painted ({regions} regions)", painted))
        rows.append((f"X: reject + next selected ({regions} regions)", reject))
        rows.append((f"N: next undecided ({regions} regions)", step))
        rows.append((f"Ctrl+Z: undo, shown ({regions} regions)", undo))
        rows.append((f"full repaint, for scale ({regions} regions)", [full_repaint(window) for _ in range(5)]))
        window.close()
        app.processEvents()
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, nargs="+", default=[20, 200, 1000],
                        help="prediction regions per task, one table block each (default 20 200 1000)")
    parser.add_argument("--presses", type=int, default=25, help="rounds of A, A, X, N per block")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from viewer.qt.app import application

    app = application()
    with tempfile.TemporaryDirectory() as data:
        os.environ["LSVIEW_DATA_DIR"] = data  # nothing of the benchmark lands in the user's data folder
        rows = [row for regions in args.regions for row in measure(app, regions, args.presses)]
    table = [(case, statistics.median(times), max(times)) for case, times in rows]
    if args.json:
        print(json.dumps([{"case": c, "median_ms": m, "max_ms": x, "target_ms": TARGET_MS} for c, m, x in table]))
        return
    print(f"{'case':<46} {'median':>8} {'max':>8}   (ms; target for A: < {TARGET_MS:g})")
    for case, median, worst in table:
        print(f"{case:<46} {median:8.2f} {worst:8.2f}")


if __name__ == "__main__":
    main()

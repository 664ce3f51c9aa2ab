"""A small review project for the window's review tests: three image tasks with scored prediction rectangles and a
whole-object answer, and helpers to open it in a window and read the session file with a second connection."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.builders import make_image, rect, write_project


def scored(rid: str, x: float, y: float, score: float, label: str = "Car") -> dict:
    result = rect(rid, (label,), x=x, y=y, width=10, height=10)
    result["score"] = score
    return result


def day(rid: str = "c1") -> dict:
    return {"id": rid, "from_name": "scene", "to_name": "image", "type": "choices", "value": {"choices": ["Day"]}}


# r1 scores highest but lies right of r2; r3 is lowest on the image.
TASKS = [
    {"id": 1, "data": {"image": "img/a.png"}, "predictions": [{"model_version": "v1", "result": [
        scored("r1", 60, 10, 0.9), scored("r2", 10, 10, 0.5, "P"), scored("r3", 10, 60, 0.7), day()]}]},
    {"id": 2, "data": {"image": "img/b.png"}, "predictions": [{"model_version": "v1", "result": [
        scored("s1", 60, 10, 0.8), scored("s2", 10, 60, 0.3)]}]},
    {"id": 3, "data": {"image": "img/c.png"}, "predictions": [{"model_version": "v1", "result": [
        scored("t1", 30, 30, 0.95)]}]},
]


def make_review_project(folder: Path, tasks=TASKS) -> tuple[Path, Path]:
    for name in "abc":
        make_image(folder / "img" / f"{name}.png")
    return write_project(folder, tasks)


def read_session(path: Path) -> dict:
    """What the session file holds, read through a connection of its own: {task key: row} with decisions."""
    db = sqlite3.connect(path)
    try:
        tasks = {row[0]: {"status": row[1], "note": row[2], "lead_time": row[3],
                          "results": json.loads(row[4]) if row[4] else None, "decisions": {}}
                 for row in db.execute("SELECT key, status, note, lead_time, results FROM tasks")}
        for key, prediction, region, decision in db.execute(
                "SELECT task_key, prediction, region_id, decision FROM decisions"):
            tasks[key]["decisions"][(prediction, region)] = decision
        position = db.execute("SELECT value FROM meta WHERE key = 'position'").fetchone()
    finally:
        db.close()
    return {"tasks": tasks, "position": position[0] if position else None}


def open_window(qtbot, folder: Path, tasks: Path, config: Path | None, session: Path | None = None):
    from PySide6.QtCore import QSettings

    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow

    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(str(tasks), str(config) if config else None, None,
                                str(session) if session else None))
    window.view.setFocus()
    return window

"""Hostile task files through the window and `lsview render` (issue 11): every task shown, every region selected,
every page turned, every PNG drawn, with no exception escaping into Qt. Shared by scripts/fuzz_window.py and
tests/qt/test_fuzz_window.py; the cases are tests/fuzzing.py's mutations of real task shapes.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from tests import fuzzing

SHOWN_TIMEOUT_S = 20.0


@dataclass
class WindowOutcome:
    """Escapes by place: exceptions that reached Qt's event loop, and `render`'s internal errors."""

    window: list[str] = field(default_factory=list)
    render: list[str] = field(default_factory=list)
    tasks_shown: int = 0


def _place(kind, value, trace) -> str:
    frames = [f for f in traceback.extract_tb(trace) if "/viewer/" in f.filename.replace("\\", "/")]
    where = frames[-1] if frames else (traceback.extract_tb(trace) or [None])[-1]
    if where is None:
        return f"{kind.__name__}: {str(value)[:120]}"
    path = where.filename.replace("\\", "/")
    path = path[path.rfind("/viewer/") + 1:] if "/viewer/" in path else path
    return f"{path} {where.name}: {kind.__name__}"


class _Catcher:
    """sys.excepthook while a case runs: PySide6 hands an exception raised in a slot or an event to it."""

    def __init__(self, found: list[str]):
        self.found = found

    def __enter__(self):
        self.previous = sys.excepthook
        sys.excepthook = lambda kind, value, trace: self.found.append(_place(kind, value, trace))
        return self

    def __exit__(self, *_):
        sys.excepthook = self.previous
        return False


def _wait(app, done, timeout_s: float = SHOWN_TIMEOUT_S) -> bool:
    import time

    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            return False
        app.processEvents()
        time.sleep(0.002)
    return True


def walk_window(tasks_path: Path, config: Path, folder: Path) -> WindowOutcome:
    """Open the file in a MainWindow and visit everything a reviewer could click; what escaped, by place.

    Message boxes are answered at once (a file or task that cannot be shown says so in one: that is an answer);
    bugs of ours reach sys.excepthook, from slots and events and from the loader's thread alike."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow

    outcome = WindowOutcome()
    app = QApplication.instance() or QApplication([])
    shown: list[int] = []
    said: list[str] = []
    boxes = {name: getattr(QMessageBox, name) for name in ("warning", "information", "critical", "question")}
    for name in boxes:
        setattr(QMessageBox, name, staticmethod(lambda *args, **_kw: said.append(str(args[2:3]))
                                                or QMessageBox.StandardButton.Ok))
    window = None
    try:
        with _Catcher(outcome.window):
            window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
            window.resize(900, 600)
            window.show()
            window.task_shown.connect(shown.append)
            window.loader.failed.connect(said.append)
            window.open(OpenRequest(str(tasks_path), str(config), None, str(folder / "session.sqlite")))
            _wait(app, lambda: bool(shown or said), 30.0)
            count = len(window.project.tasks) if window.project is not None else 0
            for index in range(count):
                del shown[:], said[:]
                window.show_task(index)
                if not _wait(app, lambda: bool(shown or said)):
                    outcome.window.append(f"task {index} neither shown nor refused")
                    continue
                if shown:
                    outcome.tasks_shown += 1
                    try:  # an error in a paint or a slot called from here comes back up this stack
                        _visit_task(app, window)
                    except Exception as exc:  # noqa: BLE001 - every escape is what we hunt
                        outcome.window.append(_place(type(exc), exc, exc.__traceback__))
            window.close()
            app.processEvents()
    finally:
        for name, box in boxes.items():
            setattr(QMessageBox, name, box)
        if window is not None:
            window.loader.wait()
            window.deleteLater()
            app.processEvents()
    return outcome


def _visit_task(app, window) -> None:
    """Select every region of the list (canvas, Region panel and text view follow), turn every page, fit."""
    keys = [key for key, _region in window.region_list.entries(greyed=True)]
    for key in keys[:60]:
        window.region_list.select(key)
        window.review_desk.select(key)
        app.processEvents()
    pages = getattr(window.content, "page_count", 1) or 1
    for _ in range(min(int(pages), 5) - 1):
        window.actions_by_name["next_page"].trigger()
        app.processEvents()
    window.actions_by_name["fit"].trigger()
    window.view.viewport().grab()  # a real paint of everything drawn
    app.processEvents()


def render_case(tasks_path: Path, config: Path, out: Path) -> list[str]:
    """`lsview render` in this process: internal errors by place (none is the answer we want)."""
    code, _out, _err, place = fuzzing.run_command(["render", str(tasks_path), "--config", str(config),
                                                   "--offline", "--out", str(out)])
    return [] if place is None else [f"render: {place}"]


def check_case(tasks: list, config: Path, media: Path | None, rng, render: bool = True) -> WindowOutcome:
    """One case through `render` and the window, in a folder of its own."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if media is not None:
            (folder / "images").symlink_to(media, target_is_directory=True)
        path = folder / "tasks.json"
        path.write_bytes(fuzzing.encode(tasks, rng))
        outcome = walk_window(path, config, folder)
        if render:
            outcome.render = render_case(path, config, folder / "png")
    return outcome

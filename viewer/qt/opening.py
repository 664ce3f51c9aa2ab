"""Open a project the way core's open_project does, reporting progress and letting the GUI thread run meanwhile.

Qt layer by purpose (the window's loader runs it in a worker), Qt-free in substance. A JSON list is decoded one
task at a time, so the interpreter can switch to the GUI thread between tasks (one json.loads of a big file would
hold the GIL for its whole length); every error is left to core's readers, so messages stay core's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable

from viewer.core.config import load_config
from viewer.core.config_infer import infer_config
from viewer.core.media import MediaResolver
from viewer.core.project import Project
from viewer.core.tasks import JSON_LINES_SUFFIXES, gc_paused, make_task, read_task_items, task_files

Report = Callable[[str, int, int], None]   # (message, done, total); total 0 means "busy, no measure"
REPORT_EVERY = 500                           # tasks between progress reports
_SPACE = re.compile(r"[ \t\n\r]*")           # JSON's whitespace, nothing more


def _list_items(path: Path, report: Report) -> list[tuple[Any, int | None]] | None:
    """The items of a file holding one JSON list, decoded one by one; None when it is anything else or broken
    (core's reader then reads it and gives its own answer or error)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    position = _SPACE.match(text).end()
    if not text.startswith("[", position):
        return None
    decoder = json.JSONDecoder()
    items: list[tuple[Any, int | None]] = []
    position = _SPACE.match(text, position + 1).end()
    if text.startswith("]", position):
        return items if not text[_SPACE.match(text, position + 1).end():] else None
    total = len(text)
    while True:
        try:
            item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return None
        items.append((item, None))
        if len(items) % REPORT_EVERY == 0:
            report(f"Reading {path.name}: {len(items):,} tasks", position, total)
        position = _SPACE.match(text, position).end()
        if text.startswith(",", position):
            position = _SPACE.match(text, position + 1).end()
            continue
        if text.startswith("]", position) and not text[_SPACE.match(text, position + 1).end():]:
            return items
        return None


def load_tasks_reporting(tasks_path: str, report: Report):
    """Every task of a task file or folder, as core's load_tasks reads them, with progress along the way."""
    tasks = []
    files = task_files(tasks_path)
    with gc_paused(keep=True):
        for number, file in enumerate(files, 1):
            where = f"{file.name} ({number} / {len(files)})" if len(files) > 1 else file.name
            report(f"Reading {where} ...", 0, 0)
            items = None if file.suffix.lower() in JSON_LINES_SUFFIXES else _list_items(file, report)
            if items is None:
                items = read_task_items(file)
            for count, (raw, line) in enumerate(items, 1):
                tasks.append(make_task(raw, len(tasks), str(file), line))
                if count % REPORT_EVERY == 0:
                    report(f"Preparing {where}: {count:,} / {len(items):,} tasks", count, len(items))
    return tasks


def open_project_reporting(tasks_path: str, config_path: str | None, root: str | None,
                           report: Report) -> Project:
    """core.project.open_project with progress; raises the same errors."""
    tasks = load_tasks_reporting(tasks_path, report)
    report("Reading the labeling config ..." if config_path else "Inferring a config from the results ...", 0, 0)
    config = load_config(config_path) if config_path is not None else infer_config(tasks)
    base = Path(tasks_path)
    resolver = MediaResolver(base if base.is_dir() else base.parent, root)
    return Project(config, tasks, resolver, tasks_path)

"""DIR/lsview-project.json: which server and project a pulled folder came from, and what each task was at the pull.

Core layer, no Qt. Push reads it to tell a task changed on the server since the pull (its `updated_at`, or
annotations it did not have). It never holds the token.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.core.atomic import write_text_atomically
from viewer.core.errors import InputError

__all__ = ["LINK_NAME", "ProjectLink", "TaskState", "link_path", "load_link", "save_link", "task_states"]

LINK_NAME = "lsview-project.json"
FORMAT = 1


@dataclass(frozen=True)
class TaskState:
    """A task as the pull saw it."""

    updated_at: str | None
    annotation_ids: tuple[int, ...] = ()


@dataclass
class ProjectLink:
    server_url: str
    project_id: int
    pulled_at: str                       # ISO 8601, UTC
    title: str = ""
    method: str = ""                     # "pages" | "export": how the tasks were read
    tasks: dict[int, TaskState] = field(default_factory=dict)   # server task id -> state at the pull

    def to_json(self) -> dict[str, Any]:
        return {"lsview_project": FORMAT, "server_url": self.server_url, "project_id": self.project_id,
                "title": self.title, "pulled_at": self.pulled_at, "method": self.method,
                "tasks": {str(k): {"updated_at": v.updated_at, "annotation_ids": list(v.annotation_ids)}
                          for k, v in sorted(self.tasks.items())}}


def link_path(folder: str | os.PathLike) -> Path:
    return Path(folder) / LINK_NAME


def task_states(tasks: list[dict]) -> dict[int, TaskState]:
    """Server task dicts -> their states, for the link file."""
    out: dict[int, TaskState] = {}
    for task in tasks:
        tid = task.get("id")
        if not isinstance(tid, int):
            continue
        ids = tuple(sorted(a["id"] for a in task.get("annotations") or []
                           if isinstance(a, dict) and isinstance(a.get("id"), int)))
        out[tid] = TaskState(task.get("updated_at"), ids)
    return out


def save_link(folder: str | os.PathLike, link: ProjectLink) -> Path:
    path = link_path(folder)
    write_text_atomically(path, lambda stream: json.dump(link.to_json(), stream, indent=1, ensure_ascii=False))
    return path


def load_link(folder: str | os.PathLike) -> ProjectLink | None:
    """The link of a pulled folder; None when the folder has none; InputError naming the file when it is broken."""
    path = link_path(folder)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read it: {getattr(exc, 'strerror', None) or exc}", path=str(path)) from exc
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not JSON ({exc}); pull the project again to rewrite it", path=str(path)) from exc
    if not isinstance(raw, dict) or raw.get("lsview_project") != FORMAT:
        raise InputError(f"not an lsview project link (format {FORMAT}); pull the project again", path=str(path))
    try:
        tasks = {int(k): TaskState(v.get("updated_at"), tuple(int(i) for i in v.get("annotation_ids") or ()))
                 for k, v in (raw.get("tasks") or {}).items()}
        return ProjectLink(server_url=str(raw["server_url"]), project_id=int(raw["project_id"]),
                           pulled_at=str(raw.get("pulled_at") or ""), title=str(raw.get("title") or ""),
                           method=str(raw.get("method") or ""), tasks=tasks)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"a field is missing or malformed ({type(exc).__name__}: {exc}); pull the "
                         "project again", path=str(path)) from exc

"""How a review session names tasks so its work survives edits of the task file, and where it lives."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from viewer.core.jsonout import text_of
from viewer.core.tasks import Task

SESSION_SUFFIX = ".lsview.sqlite"


def data_hash(data: Any) -> str:
    """A stable fingerprint of task data (key order does not matter; any depth, lone surrogates too)."""
    return hashlib.sha1(text_of(data, canonical=True).encode("utf-8", "surrogatepass")).hexdigest()


def task_key(task: Task) -> str:
    """`id:<id>` when the task has an id, else `data:<hash of data>`."""
    identifier = task.id
    if identifier is not None and not isinstance(identifier, (dict, list)):
        key = f"id:{identifier}"
        return key if key.isascii() else storable(key)
    return f"data:{data_hash(task.data)}"


def storable(text: str) -> str:
    """Text the session file can keep (SQLite stores UTF-8): a lone surrogate, which a task file may hold in an
    id or a path, as its backslash escape; any other text as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def user_data_dir() -> Path:
    explicit = os.environ.get("LSVIEW_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "lsview" / "sessions"


def default_session_path(tasks_path: str | os.PathLike) -> Path:
    """`<stem>.lsview.sqlite` beside the task file (or folder); in the user's data folder when that is read-only
    and holds none (one that is there is the review's: never silently set aside for an empty one)."""
    source = Path(os.path.abspath(os.fspath(tasks_path)))
    stem = source.name if source.is_dir() else source.stem
    beside = source.parent / f"{stem}{SESSION_SUFFIX}"
    if beside.exists() or os.access(source.parent, os.W_OK):
        return beside
    # Name the fallback after the full path, so two read-only task files called tasks.json do not share one.
    digest = hashlib.sha1(os.fsencode(source)).hexdigest()[:10]
    return user_data_dir() / f"{stem}-{digest}{SESSION_SUFFIX}"

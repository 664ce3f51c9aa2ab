"""Remembered choices (QSettings): the recently opened task files with their config, media root and session; the
window's layout; the task list's last filter. (Shortcuts are kept by viewer.qt.shortcuts.)

Qt layer. Tests pass their own QSettings so a user's list is never touched.
"""

from __future__ import annotations

import json
import os
from typing import Callable

from PySide6.QtCore import QByteArray, QSettings

from viewer.core.task_index import TaskFilter
from viewer.qt.loader import OpenRequest

RECENT_KEY = "recent/projects"
RECENT_LIMIT = 10


def default_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "lsview", "lsview")


class RecentFiles:
    def __init__(self, settings: QSettings):
        self.settings = settings

    def entries(self) -> list[OpenRequest]:
        try:
            stored = json.loads(str(self.settings.value(RECENT_KEY, "[]")))
        except ValueError:
            return []
        return [OpenRequest(e["tasks"], e.get("config"), e.get("root"), e.get("session")) for e in stored
                if isinstance(e, dict) and isinstance(e.get("tasks"), str)]

    def add(self, request: OpenRequest) -> None:
        """Kept first, its paths absolute (a path relative to where lsview started does not open from elsewhere)."""
        request = request.absolute()
        entries = [e for e in self.entries() if e != request]
        entries.insert(0, request)
        self._store(entries)

    def prune(self) -> list[str]:
        """Drop the entries whose task file or folder is gone, and name the kept ones from the root (lists written
        before paths were stored absolute hold relative ones); returns the task paths dropped."""
        kept, dropped = [], []
        for entry in self.entries():
            if os.path.exists(entry.tasks):
                entry = entry.absolute()
                if entry not in kept:
                    kept.append(entry)
            else:
                dropped.append(entry.tasks)
        if kept != self.entries():
            self._store(kept)
        return dropped

    def _store(self, entries: list[OpenRequest]) -> None:
        self.settings.setValue(RECENT_KEY, json.dumps([e.__dict__ for e in entries[:RECENT_LIMIT]]))
        self.settings.sync()


class WindowLayout:
    """Where the window, its docks and tool bars were, and how big, restored at the next start."""

    GEOMETRY, STATE = "window/geometry", "window/state"

    def __init__(self, settings: QSettings):
        self.settings = settings

    def restore(self, restore_geometry: Callable[[QByteArray], bool],
                restore_state: Callable[[QByteArray], bool]) -> bool:
        """Hand what was saved to the window's restoreGeometry and restoreState; nothing saved, nothing changes.
        True when a dock layout came back."""
        geometry, state = self.settings.value(self.GEOMETRY), self.settings.value(self.STATE)
        if isinstance(geometry, QByteArray):
            restore_geometry(geometry)
        return isinstance(state, QByteArray) and restore_state(state)

    def save(self, geometry: QByteArray, state: QByteArray) -> None:
        """What the window's saveGeometry and saveState gave."""
        self.settings.setValue(self.GEOMETRY, geometry)
        self.settings.setValue(self.STATE, state)
        self.settings.sync()


FILTER_KEY = "tasks/filter"


def save_filter(settings: QSettings, rule: TaskFilter) -> None:
    settings.setValue(FILTER_KEY, json.dumps({
        "statuses": sorted(rule.statuses), "model_version": rule.model_version, "label": rule.label,
        "min_score": rule.min_score, "max_score": rule.max_score, "diagnostics_only": rule.diagnostics_only,
        "search": rule.search}))


def stored_filter(settings: QSettings) -> TaskFilter | None:
    """The task list's last filter, or None when none was kept or it cannot be read."""
    try:
        raw = json.loads(str(settings.value(FILTER_KEY, "null")))
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None

    def text(key: str) -> str | None:
        return raw[key] if isinstance(raw.get(key), str) else None

    def number(key: str) -> float | None:
        """A score bound: a number from 0 to 1, else none (a hand-edited file may hold anything)."""
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value) if 0 <= value <= 1 else None

    statuses = raw.get("statuses")
    return TaskFilter(statuses=frozenset(s for s in statuses if isinstance(s, str)) if isinstance(statuses, list)
                      else frozenset(), model_version=text("model_version"), label=text("label"),
                      min_score=number("min_score"), max_score=number("max_score"),
                      diagnostics_only=raw.get("diagnostics_only") is True, search=text("search") or "")

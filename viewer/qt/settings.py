"""Remembered choices (QSettings): the recently opened task files with their config, media root and session.

Qt layer. Tests pass their own QSettings so a user's list is never touched.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings

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
        entries = [e for e in self.entries() if e != request]
        entries.insert(0, request)
        self.settings.setValue(RECENT_KEY, json.dumps([e.__dict__ for e in entries[:RECENT_LIMIT]]))
        self.settings.sync()

"""The review session file: SQLite in WAL mode, one transaction per user action (core layer, no Qt).

A process killed at any moment loses nothing that was committed; the task file itself is never written.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from viewer.core.errors import InputError

SCHEMA_VERSION = 1
STATUSES = ("not-reviewed", "in-progress", "accepted", "needs-fix", "rejected")
STATUS_NAMES = {"not-reviewed": "Not reviewed", "in-progress": "In progress", "accepted": "Accepted",
                "needs-fix": "Needs fix", "rejected": "Rejected / skipped"}
DECISIONS = ("accepted", "rejected")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    key TEXT PRIMARY KEY,
    task_index INTEGER,
    task_id TEXT,
    data_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'not-reviewed',
    note TEXT NOT NULL DEFAULT '',
    lead_time REAL NOT NULL DEFAULT 0,
    results TEXT,
    created_at TEXT,
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS tasks_by_hash ON tasks (data_hash);
CREATE TABLE IF NOT EXISTS decisions (
    task_key TEXT NOT NULL REFERENCES tasks (key) ON DELETE CASCADE,
    prediction INTEGER NOT NULL,
    region_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    copy_id TEXT,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (task_key, prediction, region_id)
);
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class TaskRecord:
    """What the session knows of one task. `results` is the working annotation (None: none yet)."""

    key: str
    data_hash: str
    task_index: int | None = None
    task_id: str | None = None
    status: str = "not-reviewed"
    note: str = ""
    lead_time: float = 0.0
    results: list | None = None
    created_at: str | None = None
    updated_at: str | None = None
    decisions: dict[tuple[int, str], str] = field(default_factory=dict)
    # (prediction, region id) -> id of its copy in `results`: not always the prediction's own id, as two
    # predictions may use the same ids and an id-less region gets one when copied.
    copies: dict[tuple[int, str], str] = field(default_factory=dict)

    def copy(self) -> "TaskRecord":
        """A copy to change: new containers; the result dicts are shared, as they are never changed in place."""
        return TaskRecord(self.key, self.data_hash, self.task_index, self.task_id, self.status, self.note,
                          self.lead_time, None if self.results is None else list(self.results),
                          self.created_at, self.updated_at, dict(self.decisions), dict(self.copies))

    @property
    def reviewed(self) -> bool:
        return self.status != "not-reviewed" or self.results is not None or bool(self.decisions)


class SessionStore:
    """Reads and writes one session file."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun and committed here, explicitly, one per action.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed; only a power cut can lose the
            # last commits. FULL would fsync on every decision.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            version = self.meta("schema")
            if version is None:
                self.set_meta({"schema": str(SCHEMA_VERSION), "created_at": now()})
            elif int(version) > SCHEMA_VERSION:
                raise InputError(f"made by a newer lsview (session schema {version}); update lsview",
                                 path=str(self.path))
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not an lsview session file ({exc})", path=str(self.path)) from None
        except OSError as exc:
            raise InputError(f"cannot open the session file: {exc.strerror or exc}", path=str(self.path)) from None

    def close(self) -> None:
        self._db.close()

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: dict[str, str]) -> None:
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items())

    def load(self) -> dict[str, TaskRecord]:
        records: dict[str, TaskRecord] = {}
        for row in self._db.execute("SELECT key, data_hash, task_index, task_id, status, note, lead_time, "
                                    "results, created_at, updated_at FROM tasks"):
            results = json.loads(row[7]) if row[7] is not None else None
            records[row[0]] = TaskRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6], results,
                                         row[8], row[9])
        for task_key, prediction, region_id, decision, copy_id in self._db.execute(
                "SELECT task_key, prediction, region_id, decision, copy_id FROM decisions"):
            if task_key in records:
                records[task_key].decisions[(prediction, region_id)] = decision
                if copy_id is not None:
                    records[task_key].copies[(prediction, region_id)] = copy_id
        return records

    def save(self, records: Iterable[TaskRecord], meta: dict[str, str] | None = None) -> None:
        """Write whole task records (and session meta such as the position) in one transaction."""
        stamp = now()
        with self._transaction():
            for record in records:
                self._db.execute(
                    "INSERT OR REPLACE INTO tasks (key, task_index, task_id, data_hash, status, note, lead_time, "
                    "results, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (record.key, record.task_index, record.task_id, record.data_hash, record.status, record.note,
                     record.lead_time, None if record.results is None else json.dumps(record.results,
                                                                                     ensure_ascii=False),
                     record.created_at, record.updated_at))
                self._db.execute("DELETE FROM decisions WHERE task_key = ?", (record.key,))
                self._db.executemany(
                    "INSERT INTO decisions (task_key, prediction, region_id, decision, copy_id, decided_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(record.key, p, r, d, record.copies.get((p, r)), stamp)
                     for (p, r), d in record.decisions.items()])
            if meta:
                self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())

    def _transaction(self):
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False

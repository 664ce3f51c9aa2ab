"""The review session file: SQLite in WAL mode, one transaction per user action (core layer, no Qt).

A process killed at any moment loses nothing that was committed; the task file itself is never written. Several
processes may share one file: every write carries a new revision number, so each reads what the others changed.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from viewer.core.errors import InputError, SessionBusyError, SessionError
from viewer.core.jsonout import utf8_json

# 2: tasks.revision and meta "revision" (which rows changed since a process last read them). lsview before it
# refuses such a file ("made by a newer lsview"), so no writer that ignores revisions shares it.
# 3: the pushes table (review/pushes.py: what `lsview push` sent to a Label Studio server, written before it is sent).
SCHEMA_VERSION = 3
# How long an action waits for another process's transaction (an `accept` over 100,000 tasks takes seconds).
BUSY_SECONDS = 30.0
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
    updated_at TEXT,
    revision INTEGER NOT NULL DEFAULT 0
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
CREATE TABLE IF NOT EXISTS pushes (
    unique_id TEXT PRIMARY KEY,
    server TEXT NOT NULL,
    task_key TEXT NOT NULL,
    task_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    method TEXT NOT NULL,
    body TEXT NOT NULL,
    work TEXT NOT NULL,
    annotation_id INTEGER,
    requested_at TEXT NOT NULL,
    pushed_at TEXT,
    task_updated_at TEXT
);
CREATE INDEX IF NOT EXISTS pushes_by_task ON pushes (server, task_key);
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

    def same_work(self, other: "TaskRecord | None") -> bool:
        """Whether two records hold the same review work (time spent and time stamps aside)."""
        if other is None:
            return not self.reviewed
        return (self.status, self.note, self.results, self.decisions, self.copies) == \
            (other.status, other.note, other.results, other.decisions, other.copies)


class SessionStore:
    """Reads and writes one session file; `seen` is the newest revision this connection has read or written."""

    def __init__(self, path: str | os.PathLike, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self.seen = 0
        self._depth = 0                      # transactions nest: only the outermost begins and commits
        self._revision: int | None = None    # the revision the open transaction writes, once it writes
        self._caught_up = False              # whether that transaction started from `seen`: then it moves on
        self._data_version: int | None = None
        if read_only:
            self._open_read_only()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun and committed here, explicitly, one per action.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                       timeout=BUSY_SECONDS)
            deadline = time.monotonic() + BUSY_SECONDS
            while True:
                try:
                    self._set_up()
                    break
                except sqlite3.OperationalError as exc:
                    # Two processes making one new session at once: switching to WAL and creating the tables
                    # can be refused at once (SQLite's busy handler does not wait there), so wait here.
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            self.changed_elsewhere()
        except sqlite3.DatabaseError as exc:
            if not os.access(self.path.parent, os.W_OK) or not os.access(self.path, os.W_OK):
                raise InputError(f"the session file is in a read-only place ({exc}): SQLite must write beside it "
                                 "even to read it; copy it somewhere writable and pass that with --session",
                                 path=str(self.path)) from None
            raise InputError(f"not an lsview session file ({exc})", path=str(self.path)) from None
        except OSError as exc:
            raise InputError(f"cannot open the session file: {exc.strerror or exc}", path=str(self.path)) from None

    def _open_read_only(self) -> None:
        """Read an existing session and change nothing in it, not even its schema (`lsview push --dry-run`)."""
        # A file no process has open (no -wal beside it) is read as immutable: SQLite then makes no -wal and -shm
        # files either. One in use is read through the log its writers keep.
        in_use = self.path.with_name(self.path.name + "-wal").exists()
        try:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?{'mode=ro' if in_use else 'immutable=1'}",
                                       uri=True, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS)
            version = self.meta("schema")
            if version is not None and self._number("schema", version) > SCHEMA_VERSION:
                raise InputError(f"made by a newer lsview (session schema {version}); update lsview",
                                 path=str(self.path))
            self.changed_elsewhere()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot read the session file ({exc})", path=str(self.path)) from None

    def has_table(self, name: str) -> bool:
        """Whether the file holds this table (a session read without being set up may be older than it)."""
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                (name,)).fetchone() is not None

    @property
    def connection(self) -> sqlite3.Connection:
        """For the tables other modules of the review package keep in the file (pushes.py), used inside
        transaction() or reading() only."""
        return self._db

    def _set_up(self) -> None:
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives the process being killed; only a power cut can lose the last
        # commits. FULL would fsync on every decision.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)  # not inside BEGIN: executescript commits first
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._migrate()
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _migrate(self) -> None:
        version = self.meta("schema")
        if version is None:
            self._set_meta({"schema": str(SCHEMA_VERSION), "created_at": now()})
        elif self._number("schema", version) > SCHEMA_VERSION:
            raise InputError(f"made by a newer lsview (session schema {version}); update lsview",
                             path=str(self.path))
        elif self._number("schema", version) < SCHEMA_VERSION:
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(tasks)")}
            if "revision" not in columns:
                self._db.execute("ALTER TABLE tasks ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
            # The pushes table of schema 3 was made by _SCHEMA already: an old file only needs its number moved.
            self._set_meta({"schema": str(SCHEMA_VERSION)})
        self._db.execute("CREATE INDEX IF NOT EXISTS tasks_by_revision ON tasks (revision)")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def checkpoint_later(self) -> Iterator[None]:
        """Commits inside the block leave the write-ahead log as it is: SQLite's own checkpoint after a commit that
        grew it past 1,000 pages took 0.2-0.5 s after an accept over 20,000 tasks (90 MB of log). checkpoint()
        folds it into the file afterwards, from another thread."""
        pages = self._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        try:
            yield
        finally:
            self._db.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file, on a connection of its own (so on any thread). Passive: it waits
        for no reader or writer, and what they still use is folded in by a later checkpoint."""
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=0)
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                db.close()
        except sqlite3.Error:  # the file gone or locked: SQLite checkpoints at a later commit or at the last close
            pass

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: dict[str, str], wait: float = BUSY_SECONDS) -> None:
        with self.transaction(wait):
            self._set_meta(values)

    def _set_meta(self, values: dict[str, str]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items())

    def revision(self) -> int:
        """The newest revision written to the file, by any process."""
        value = self.meta("revision")
        return self._number("revision", value) if value else 0

    def _number(self, key: str, value: str) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise self._damaged(f"its {key} is {value!r}, not a number") from None

    def _damaged(self, what: str) -> InputError:
        return InputError(f"the session file is damaged: {what}; lsview will not guess what it meant (keep a copy, "
                          "and open the tasks with another --session)", path=str(self.path))

    def load(self) -> dict[str, TaskRecord]:
        """Every record, read in one snapshot."""
        with self.reading():
            self.seen = self.revision()
            return self._records("")

    def changed_since_seen(self) -> dict[str, TaskRecord]:
        """The records other processes wrote since this connection last looked (and `seen` moves on)."""
        with self.reading():
            revision = self.revision()
            if revision == self.seen:
                return {}
            records = self._records("WHERE revision > ?", (self.seen,))
            self.seen = revision
            return records

    def read(self, keys: Iterable[str]) -> dict[str, TaskRecord]:
        """The stored records of these keys (a key with no row is absent)."""
        keys = list(keys)
        found: dict[str, TaskRecord] = {}
        with self.reading():
            for start in range(0, len(keys), 500):  # SQLite limits the number of parameters of one statement
                chunk = keys[start:start + 500]
                found.update(self._records(f"WHERE key IN ({', '.join('?' * len(chunk))})", tuple(chunk)))
        return found

    def changed_elsewhere(self) -> bool:
        """A cheap check (no table is read) whether another connection committed since the last call."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        changed = version != self._data_version
        self._data_version = version
        return changed

    def _records(self, where: str, arguments: tuple = ()) -> dict[str, TaskRecord]:
        records: dict[str, TaskRecord] = {}
        for row in self._db.execute("SELECT key, data_hash, task_index, task_id, status, note, lead_time, "
                                    f"results, created_at, updated_at FROM tasks {where}", arguments):
            records[row[0]] = self._record(row)
        if not records:
            return records
        if where:
            query = ("SELECT task_key, prediction, region_id, decision, copy_id FROM decisions WHERE task_key IN "
                     f"(SELECT key FROM tasks {where})")
        else:
            query = "SELECT task_key, prediction, region_id, decision, copy_id FROM decisions"
        for task_key, prediction, region_id, decision, copy_id in self._db.execute(query, arguments):
            if not (type(prediction) is int and isinstance(region_id, str) and decision in DECISIONS
                    and (copy_id is None or isinstance(copy_id, str))):
                raise self._damaged(f"a decision of task row {task_key!r} is ({prediction!r}, {region_id!r}, "
                                    f"{decision!r})")
            if task_key in records:
                records[task_key].decisions[(prediction, region_id)] = decision
                if copy_id is not None:
                    records[task_key].copies[(prediction, region_id)] = copy_id
        return records

    def _record(self, row: tuple) -> TaskRecord:
        """A task row as a record, every field checked: a row edited by hand or by another program is refused
        with its key, never half-read."""
        key, data_hash, task_index, task_id, status, note, lead_time, results, created_at, updated_at = row
        problem = None
        if not isinstance(key, str) or not isinstance(data_hash, str):
            problem = "its key or data hash is not text"
        elif not (task_index is None or type(task_index) is int) or not (task_id is None or isinstance(task_id, str)):
            problem = f"its task index or id is {task_index!r} / {task_id!r}"
        elif status not in STATUSES:
            problem = f"its status is {status!r}, not one of {', '.join(STATUSES)}"
        elif not isinstance(note, str):
            problem = "its note is not text"
        elif type(lead_time) not in (int, float) or not math.isfinite(lead_time):
            problem = f"its time spent is {lead_time!r}, not a number of seconds"
        elif results is not None:
            try:
                results = json.loads(results) if isinstance(results, str) else None
            except (ValueError, RecursionError):
                results = None
            if not isinstance(results, list):
                problem = "its working annotation is not a JSON list of results"
        if problem:
            raise self._damaged(f"task row {key!r}: {problem}")
        return TaskRecord(key, data_hash, task_index, task_id, status, note, float(lead_time), results,
                          created_at, updated_at)

    def save(self, records: Iterable[TaskRecord], meta: dict[str, str] | None = None) -> None:
        """Write whole task records (and session meta such as the position) in one transaction, under the
        transaction's new revision."""
        stamp = now()
        with self.transaction():
            if self._revision is None:
                current = self.revision()
                self._caught_up = current == self.seen
                self._revision = current + 1
                self._set_meta({"revision": str(self._revision)})
            for record in records:
                try:
                    self._save_record(record, stamp)
                except UnicodeEncodeError:  # SQLite keeps text as UTF-8, which cannot hold a lone surrogate
                    name = f"task {record.task_index}" + (f" (id {record.task_id})" if record.task_id else "")
                    raise SessionError(f"{self.path}: {name}: a region id holds a lone surrogate (half of a UTF-16 "
                                       "pair), which the session file cannot store; nothing of this step was "
                                       "saved") from None
            if meta:
                self._set_meta(meta)

    def _save_record(self, record: TaskRecord, stamp: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO tasks (key, task_index, task_id, data_hash, status, note, lead_time, "
            "results, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.key, record.task_index, record.task_id, record.data_hash, record.status, record.note,
             record.lead_time, self._results_text(record), record.created_at, record.updated_at,
             self._revision))
        self._db.execute("DELETE FROM decisions WHERE task_key = ?", (record.key,))
        self._db.executemany(
            "INSERT INTO decisions (task_key, prediction, region_id, decision, copy_id, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(record.key, p, r, d, record.copies.get((p, r)), stamp)
             for (p, r), d in record.decisions.items()])

    def _results_text(self, record: TaskRecord) -> str | None:
        if record.results is None:
            return None
        try:
            return utf8_json(record.results)
        except RecursionError:  # results copied from a task nested past what json writes (and reads back)
            raise SessionError(f"{self.path}: task {record.task_index}: its working annotation is nested too deeply "
                               "(about 1,000 levels) to save; nothing of this step was saved") from None

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def transaction(self, wait: float = BUSY_SECONDS) -> Iterator[None]:
        """One write transaction (nested ones join it). It takes the write lock at once, so what is read inside
        it is what the transaction writes over: no other process can write in between. `wait`: how long another
        process's transaction is waited for (a best-effort write from the window waits a moment only)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            if wait != BUSY_SECONDS:
                self._db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise SessionBusyError(f"{self.path}: the session is busy: another lsview process has been "
                                       f"writing to it for {wait:g} s; nothing was saved, try again") from None
            raise
        finally:
            if wait != BUSY_SECONDS:
                self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        self._depth = 1
        try:
            yield
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:  # disk full, file gone read-only ...: the action is not saved, and says so
            self._rollback()
            raise SessionError(f"{self.path}: cannot save to the session ({exc}); nothing of this step was "
                               "saved") from None
        except UnicodeEncodeError:  # SQLite keeps text as UTF-8, which cannot hold a lone surrogate
            self._rollback()
            raise SessionError(f"{self.path}: this step holds a lone surrogate (half of a UTF-16 pair), which "
                               "the session file cannot store; nothing of it was saved") from None
        except BaseException:
            self._rollback()
            raise
        else:
            if self._revision is not None and self._caught_up:  # else rows of others are still to be read
                self.seen = self._revision
        finally:
            self._depth = 0
            self._revision = None

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads from one snapshot (inside a write transaction, that one)."""
        if self._depth:
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

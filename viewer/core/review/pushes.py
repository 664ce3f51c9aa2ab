"""The session's record of what `lsview push` sent to a Label Studio server (core layer, no Qt).

A row is written, and committed, BEFORE its request goes out, so a push killed at any point leaves a row that
says what may have reached the server; the next push settles it (same unique_id: never a second annotation).
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Iterable

from viewer.core.errors import SessionError
from viewer.core.jsonout import utf8_json
from viewer.core.review.keys import data_hash
from viewer.core.review.store import SessionStore, now

_COLUMNS = ("unique_id, server, task_key, task_id, revision, method, body, work, annotation_id, requested_at, "
            "pushed_at, task_updated_at")
_LEASE = "push_lease"  # meta key: the push under way on this file ("<host> <pid>")


@dataclass(frozen=True)
class PushRow:
    """One annotation sent, or about to be sent: `pushed_at` None means no answer was recorded (the process may
    have been killed before or after the server took it)."""

    unique_id: str
    server: str
    task_key: str
    task_id: str
    revision: int
    method: str              # "POST" (a new annotation) or "PATCH" (the same annotation, edited)
    body: dict
    work: str                # fingerprint of what the reviewer decided (result, cancelled): "edited since" if it moved
    annotation_id: int | None
    requested_at: str
    pushed_at: str | None = None
    task_updated_at: str | None = None  # the task's updated_at the server answered after this write

    @property
    def pending(self) -> bool:
        return self.pushed_at is None


def work_of(body: dict) -> str:
    """What makes two bodies the same work: their result and whether the task was cancelled. Time spent is sent
    along but does not count: the window adds some every time a task is only looked at."""
    return data_hash({"result": body.get("result"), "was_cancelled": body.get("was_cancelled")})


class PushLog:
    """The pushes of one session to one server project (`server`: "<url> project <id>")."""

    def __init__(self, store: SessionStore, server: str):
        self.store = store
        self.server = server

    def _rows(self, where: str, arguments: tuple) -> list[PushRow]:
        if not self.store.has_table("pushes"):  # an old session read without being set up (a dry run)
            return []
        rows = []
        query = f"SELECT {_COLUMNS} FROM pushes WHERE server = ? {where} ORDER BY rowid"
        for row in self.store.connection.execute(query, (self.server, *arguments)):
            try:
                body = json.loads(row[6])
            except ValueError:
                body = None
            if not isinstance(body, dict) or row[5] not in ("POST", "PATCH"):
                raise SessionError(f"{self.store.path}: the push record {row[0]!r} of task row {row[2]!r} is "
                                   "damaged; lsview will not guess what reached the server")
            rows.append(PushRow(row[0], row[1], row[2], row[3], row[4], row[5], body, row[7], row[8], row[9],
                                row[10], row[11]))
        return rows

    def history(self, keys: Iterable[str]) -> dict[str, list[PushRow]]:
        """Every push row of these tasks, oldest first, by task key (a task never pushed is absent)."""
        found: dict[str, list[PushRow]] = {}
        keys = list(keys)
        with self.store.reading():
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                for row in self._rows(f"AND task_key IN ({', '.join('?' * len(chunk))})", tuple(chunk)):
                    found.setdefault(row.task_key, []).append(row)
        return found

    def revisions(self, keys: Iterable[str]) -> dict[str, int]:
        """The revision each task row was last written under (the local revision a push is made from)."""
        keys = list(keys)
        found: dict[str, int] = {}
        with self.store.reading():
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                found.update(self.store.connection.execute(
                    f"SELECT key, revision FROM tasks WHERE key IN ({', '.join('?' * len(chunk))})", tuple(chunk)))
        return found

    def intend(self, task_key: str, task_id: str, revision: int, method: str, body: dict,
               annotation_id: int | None, after: str | None, unique_id: str | None = None) -> PushRow:
        """Record a request before it is sent (committed when this returns). `after`: the unique_id of the task's
        newest row as the caller read it; another process that pushed the task since makes this refuse."""
        row = PushRow(unique_id or str(uuid.uuid4()), self.server, task_key, task_id, revision, method, body,
                      work_of(body), annotation_id, now())
        with self.store.transaction():
            self._check_newest(task_key, after)
            self.store.connection.execute(
                f"INSERT INTO pushes ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row.unique_id, row.server, row.task_key, row.task_id, row.revision, row.method, utf8_json(body),
                 row.work, row.annotation_id, row.requested_at, None, None))
        return row

    def _check_newest(self, task_key: str, expected: str | None) -> None:
        newest = self.store.connection.execute(
            "SELECT unique_id FROM pushes WHERE server = ? AND task_key = ? ORDER BY rowid DESC LIMIT 1",
            (self.server, task_key)).fetchone()
        if (newest[0] if newest else None) != expected:
            raise SessionError(f"{self.store.path}: task row {task_key!r} was pushed by another lsview process "
                               "meanwhile; nothing was sent for it")

    def settle(self, row: PushRow, annotation_id: int, task_updated_at: str | None) -> PushRow:
        """Record the server's answer to a row's request: the annotation's id and the task's updated_at after it."""
        stamp = now()
        with self.store.transaction():
            self.store.connection.execute(
                "UPDATE pushes SET annotation_id = ?, pushed_at = ?, task_updated_at = ? WHERE unique_id = ?",
                (annotation_id, stamp, task_updated_at, row.unique_id))
        return PushRow(row.unique_id, row.server, row.task_key, row.task_id, row.revision, row.method, row.body,
                       row.work, annotation_id, row.requested_at, stamp, task_updated_at)

    def abandon(self, row: PushRow) -> None:
        """Forget a row whose request the server refused (so nothing of it exists there)."""
        with self.store.transaction():
            self.store.connection.execute("DELETE FROM pushes WHERE unique_id = ? AND pushed_at IS NULL",
                                          (row.unique_id,))

    # -- one push at a time per session file ---------------------------------------------------------------

    def take_lease(self) -> None:
        """Claim the file for this push: two pushes at once would each send tasks the other is sending. A lease
        whose process is gone (killed) is taken over."""
        me = f"{socket.gethostname()} {os.getpid()}"
        with self.store.transaction():
            holder = self.store.meta(_LEASE)
            if holder and holder != me and _alive(holder):
                raise SessionError(f"{self.store.path}: another lsview push is under way on this session "
                                   f"(process {holder.rsplit(' ', 1)[-1]}); wait for it to finish")
            self.store.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_LEASE, me))

    def drop_lease(self) -> None:
        me = f"{socket.gethostname()} {os.getpid()}"
        with self.store.transaction():
            self.store.connection.execute("DELETE FROM meta WHERE key = ? AND value = ?", (_LEASE, me))


def _alive(holder: str) -> bool:
    """Whether the process named by a lease runs (one on another machine is taken to run: it cannot be asked)."""
    host, _, pid = holder.rpartition(" ")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # another user's process
        return True
    return True

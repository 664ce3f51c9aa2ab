"""`lsview push`: each reviewed task's working annotation to the Label Studio server it was pulled from, once.

Core layer, no Qt. A slice at a time (viewer.core.steps), so the window can show progress and cancel. Every
request is recorded in the session before it is sent (review/pushes.py): a push killed anywhere and run again
settles what it had sent (same unique_id) instead of creating a second annotation. Nothing is ever deleted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Callable

from viewer.core.errors import LsviewError, SessionError
from viewer.core.export.ls_json import reviewer_annotation
from viewer.core.push import lookup
from viewer.core.push import summary as words
from viewer.core.push.summary import PushSummary, Skip
from viewer.core.review import working
from viewer.core.review.pushes import PushLog, PushRow, work_of
from viewer.core.review.session import ReviewSession
from viewer.core.review.store import TaskRecord
from viewer.core.server.http import HttpError
from viewer.core.steps import Progress, Steps
from viewer.core.tasks import Task, id_text


def annotation_body(session: ReviewSession, task: Task) -> dict:
    """What is sent for a reviewed task: its working annotation as Label Studio stores one (unique_id aside)."""
    annotation = reviewer_annotation(session, task)
    body = {"result": annotation["result"], "lead_time": annotation["lead_time"],
            "was_cancelled": annotation["was_cancelled"], "ground_truth": False}
    parent = parent_prediction(task, session.record(task))
    if parent is not None:
        body["parent_prediction"] = parent
    return body


def parent_prediction(task: Task, record: TaskRecord) -> int | None:
    """The server id of the prediction most regions of the working annotation were accepted from (the first such
    prediction on a tie); None when none was, or when that prediction has no server id."""
    present = working.region_ids(record.results or [])
    counts: dict[int, int] = {}
    for key, decision in record.decisions.items():
        if decision == "accepted" and record.copies.get(key, key[1]) in present:
            counts[key[0]] = counts.get(key[0], 0) + 1
    if not counts:
        return None
    index = max(sorted(counts), key=lambda i: counts[i])
    if not 0 <= index < len(task.predictions):
        return None
    server_id = task.predictions[index].raw.get("id") if isinstance(task.predictions[index].raw, dict) else None
    return server_id if type(server_id) is int else None


def _time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _user_id(annotation: dict) -> Any:
    """Who made an annotation: the task API gives `completed_by` as a user object, the annotation API as an id."""
    user = annotation.get("completed_by")
    return user.get("id") if isinstance(user, dict) else user


class Pusher:
    """One push of a session's reviewed tasks to the server project named by `link` (the pull's record)."""

    def __init__(self, session: ReviewSession, link, client, *, dry_run: bool = False, force: bool = False,
                 answered: Callable[[str], None] | None = None):
        self.session = session
        self.link = link
        self.client = client
        self.dry_run = dry_run
        self.force = force
        self.answered = answered or (lambda _method: None)  # after each write's answer, before it is recorded
        self.log = PushLog(session.store, f"{link.server_url} project {link.project_id}")
        self.summary = PushSummary(server=f"{link.server_url} project {link.project_id}", dry_run=dry_run)
        self._me: int | None = None

    def steps(self) -> Steps[PushSummary]:
        reviewed = sorted((index, record) for index, record in self.session.stored_records() if record.reviewed)
        yield Progress("Pushing", 0, len(reviewed))
        if not self.dry_run:
            self.log.take_lease()
        try:
            keys = [record.key for _index, record in reviewed]
            history = self.log.history(keys)
            revisions = self.log.revisions(keys)
            for done, (index, record) in enumerate(reviewed, 1):
                task = self.session.project.tasks[index]
                try:
                    self._push_one(task, record, history.get(record.key, []), revisions.get(record.key, 0))
                except LsviewError as exc:  # the server gone, a token refused ...: what was done is recorded
                    self.summary.error = exc
                    break
                yield Progress("Pushing", done, len(reviewed))
        finally:
            if not self.dry_run:
                self.log.drop_lease()
        return self.summary

    # -- one task ---------------------------------------------------------------------------------------------

    def _push_one(self, task: Task, record: TaskRecord, rows: list[PushRow], revision: int) -> None:
        task_id = id_text(task.id) if task.id is not None else None
        pulled = self.link.tasks.get(task.id) if type(task.id) is int else None
        if pulled is None:
            self.summary.skip(Skip(task.index, task_id, words.not_pulled()))
            return
        body = annotation_body(self.session, task)
        done = [row for row in rows if not row.pending]
        pending = rows[-1] if rows and rows[-1].pending else None
        if pending is None and done and done[-1].work == work_of(body):
            self.summary.unchanged += 1
            return
        server_task = self._get_task(task, task_id)
        if server_task is None:
            return
        last = rows[-1].unique_id if rows else None
        if pending is not None:
            settled = self._settle_pending(task, pending, server_task)
            if settled is not None:
                done.append(settled)
                last = settled.unique_id
                pending = None
                if settled.work == work_of(body):
                    return
        found, current = self._changes(pulled, done, server_task)
        if found and not self.force:
            self.summary.skip(Skip(task.index, task_id, "; ".join(found), forceable=True))
            return
        if current is not None:
            if pending is not None and pending.method == "PATCH" and not self.dry_run:
                # an update that did not land: this one takes its place
                self.log.abandon(pending)
                last = done[-1].unique_id
            self._patch(task, task_id, record, revision, body, current, last)
        elif pending is not None and pending.method == "POST":
            # Recorded, not found on the server: sent again as it was, under its unique_id, so that if it did land
            # after all (a result the server stored otherwise), the server answers 409 instead of making another.
            settled = self._post(task, task_id, pending.body, pending)
            if settled is not None and settled.work != work_of(body):
                self.summary.created -= 1  # the task counts once: as what this push left on the server
                self._patch(task, task_id, record, revision, body, settled.annotation_id, settled.unique_id)
        else:
            self._post(task, task_id, body, None, record, revision, last)

    def _changes(self, pulled, done: list[PushRow], server_task: dict) -> tuple[list[str], int | None]:
        """How the task changed on the server since the pull or our last write (reasons to skip it), and the id of
        our annotation there (None: none yet, or deleted there)."""
        ours = {row.annotation_id for row in done if row.annotation_id is not None}
        # The newer of the pull's time and our last write's: a pull --update after a push has seen what was there.
        pushed = done[-1].task_updated_at if done else None
        since_push = _time(pushed) is not None and (_time(pulled.updated_at) is None
                                                    or _time(pushed) > _time(pulled.updated_at))
        baseline = pushed if since_push else pulled.updated_at
        annotations = {a.get("id") for a in server_task.get("annotations") or [] if isinstance(a, dict)}
        found = []
        now = _time(server_task.get("updated_at"))
        if now is not None and _time(baseline) is not None and now > _time(baseline):
            found.append(words.updated(server_task["updated_at"], baseline, since_push=since_push))
        new = sorted(i for i in annotations if i not in ours and i not in pulled.annotation_ids)
        if new:
            found.append(words.new_annotations(new))
        current = done[-1].annotation_id if done else None
        if current is not None and current not in annotations:
            found.append(words.deleted(current))
            current = None
        elif current is not None and not found:
            # updated_at cannot tell: a pull --update moves the baseline past an edit made to our annotation
            # there, so what the server holds of it is compared with what we last sent
            mine = next(a for a in server_task.get("annotations") or []
                        if isinstance(a, dict) and a.get("id") == current)
            if work_of(mine) != done[-1].work:
                found.append(words.edited_since_push(current))
        return found, current

    def _get_task(self, task: Task, task_id: str) -> dict | None:
        try:
            return self.client.task(task.id)
        except HttpError as exc:
            if exc.status == 404:
                self.summary.skip(Skip(task.index, task_id, words.gone()))
                return None
            raise

    def _post(self, task: Task, task_id: str, body: dict, pending: PushRow | None, record: TaskRecord | None = None,
              revision: int = 0, last: str | None = None) -> PushRow | None:
        """Create the annotation (`pending`: send that recorded request again); its settled row."""
        if self.dry_run:
            self.summary.created += 1
            return None
        row = pending or self.log.intend(record.key, task_id, revision, "POST", body, None, last)
        try:
            answer = self.client.create_annotation(task.id, {**body, "unique_id": row.unique_id})
            annotation_id = answer.get("id")
        except HttpError as exc:
            if exc.status == 409:
                annotation_id = None
            elif exc.refused:
                self.log.abandon(row)
                self.summary.skip(Skip(task.index, task_id, words.refused(exc)))
                return None
            else:
                raise
        self.answered("POST")
        if annotation_id is None:
            annotation_id = self._find_created(task, row)
        self.summary.created += 1
        return self.log.settle(row, annotation_id, self._updated_at(task))

    def _patch(self, task: Task, task_id: str, record: TaskRecord, revision: int, body: dict, annotation_id: int,
               last: str | None) -> None:
        if self.dry_run:
            self.summary.updated += 1
            return
        row = self.log.intend(record.key, task_id, revision, "PATCH", body, annotation_id, last)
        try:
            self.client.update_annotation(annotation_id, body)
        except HttpError as exc:
            if exc.refused:
                self.log.abandon(row)
                self.summary.skip(Skip(task.index, task_id, words.deleted(annotation_id) if exc.status == 404
                                       else words.refused(exc)))
                return
            raise
        self.answered("PATCH")
        self.log.settle(row, annotation_id, self._updated_at(task))
        self.summary.updated += 1

    def _updated_at(self, task: Task) -> str | None:
        """The task's updated_at after our write: a later push compares with it, so our own write is no change."""
        return self.client.task(task.id).get("updated_at")

    # -- a push that was cut short ------------------------------------------------------------------------------

    def _settle_pending(self, task: Task, pending: PushRow, server_task: dict) -> PushRow | None:
        """Whether a request recorded but never answered reached the server; its settled row if it did."""
        annotations = [a for a in server_task.get("annotations") or [] if isinstance(a, dict)]
        if pending.method == "PATCH":
            mine = next((a for a in annotations if a.get("id") == pending.annotation_id), None)
            landed = pending.annotation_id if mine is not None and work_of(mine) == pending.work else None
        else:
            matches = self._matching(task, pending, annotations)
            landed = matches[0] if len(matches) == 1 else None
        if landed is None:
            return None
        if pending.method == "POST":
            self.summary.created += 1
        else:
            self.summary.updated += 1
        if self.dry_run:
            return replace(pending, annotation_id=landed, pushed_at="", task_updated_at=server_task.get("updated_at"))
        # The task's updated_at now includes our write, which is the change it must not count as someone else's.
        return self.log.settle(pending, landed, server_task.get("updated_at"))

    def _matching(self, task: Task, row: PushRow, annotations: list[dict]) -> list:
        """Ids of the task's annotations that may be the one `row` created: by us, with its result, and neither
        seen at the pull nor recorded as another of our pushes."""
        pulled = self.link.tasks[task.id]
        rows = self.log.history([row.task_key]).get(row.task_key, [])
        known = set(pulled.annotation_ids) | {r.annotation_id for r in rows if r.annotation_id is not None}
        me = self._my_id()
        return [a.get("id") for a in annotations if a.get("id") not in known and _user_id(a) == me
                and a.get("result") == row.body["result"]]

    def _find_created(self, task: Task, row: PushRow) -> int:
        """The id of the annotation the server made from `row` earlier (it answered 409 to its unique_id): the one
        of ours with its result, else the snapshot export's, the one place the server shows unique_ids."""
        annotations = [a for a in self.client.task(task.id).get("annotations") or [] if isinstance(a, dict)]
        matches = self._matching(task, row, annotations)
        if len(matches) == 1:
            return matches[0]
        found = lookup.annotation_by_unique_id(self.client, self.link.project_id, task.id, row.unique_id)
        if found is None:
            raise SessionError(f"task {task.index} (id {id_text(task.id)}): the server says annotation "
                               f"{row.unique_id} exists (HTTP 409) but shows it nowhere; nothing more was sent")
        return found

    def _my_id(self) -> int | None:
        if self._me is None:
            self._me = lookup.current_user_id(self.client.http)
        return self._me

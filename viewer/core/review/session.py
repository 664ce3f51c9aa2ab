"""A review session over a project: working annotations, decisions, statuses, undo (core layer, no Qt).

Every action is one command on one history and one transaction in the session file, so what the window showed
as done is on disk. An action reads what other processes saved before it changes anything, inside its transaction,
so it never writes a stale copy over their work. Listeners are told which tasks changed; the Qt layer adapts them
to signals.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, NamedTuple

from viewer.core.errors import SessionBusyError, SessionConflictError, SessionError
from viewer.core.outputs import check_session_path
from viewer.core.regions import Region, RegionSet, group_results
from viewer.core.review import working
from viewer.core.review.history import Command, History
from viewer.core.review.keys import data_hash, default_session_path, storable
from viewer.core.review.store import BUSY_SECONDS, STATUSES, SessionStore, TaskRecord, now
from viewer.core.steps import Progress, Steps, run_through
from viewer.core.tasks import Task, gc_paused, id_text

Listener = Callable[[set[str]], None]
BEST_EFFORT_WAIT = 0.2  # seconds the window waits for a busy file to save the position or time spent
# A long action saves its records in groups of at most this many records or results: one by one cost the command
# line 20% more time, all at once would stall the window.
SAVE_RECORDS, SAVE_RESULTS = 200, 5000


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


class Copied(NamedTuple):
    """What copying a whole prediction did: its step (None when nothing was left to copy), how many regions it
    copied, and how many it left out because they were rejected earlier."""
    command: Command | None
    copied: int
    left_out: int


class ReviewSession:
    def __init__(self, project, store: SessionStore):
        self.project = project
        self.store = store
        self.history = History()
        self.listeners: list[Listener] = []
        self._records = store.load()
        self._staged: list[Command] = []   # commands of the open transaction, on the history once it commits
        self._written: set[str] = set()    # keys the open transaction wrote
        self._touched: set[str] = set()    # those of them the listeners are told of
        self._lead_time: dict[str, tuple[Task, float]] = {}  # seconds not saved yet (the file was busy), by key
        self._keys: dict[int, str] = {}
        self._index_of: dict[str, int] = {}
        self.unmapped: list[TaskRecord] = []
        self._map_tasks()

    @classmethod
    def open(cls, project, session_path: str | os.PathLike | None = None) -> "ReviewSession":
        path = session_path or default_session_path(project.tasks_path or "tasks.json")
        check_session_path(project, path)  # it is written (and made when missing): never over an input file
        store = SessionStore(path)
        if project.tasks_path and store.meta("tasks_path") is None:
            store.set_meta({"tasks_path": storable(os.path.abspath(project.tasks_path))})  # a name need not be UTF-8
        # Reading a session is mostly decoding many small acyclic dicts that live as long as the session: the
        # collector only slows it down (4.5 s -> 1.2 s for 10,000 reviewed tasks of 20 regions, measured).
        with gc_paused(keep=True):
            return cls(project, store)

    def close(self) -> None:
        try:
            self.save_lead_time()  # what a busy file kept back, now waiting as long as an action would
        except SessionError:  # a file gone read-only or full: measured time is all that is lost, and closing goes on
            pass
        self.store.close()

    # -- which record belongs to which task -------------------------------------------------------------------

    def _map_tasks(self) -> None:
        """Match session rows to tasks by id (else data hash) first; rows left over then match by data hash.

        So work survives reordering, removed or added tasks, and ids changed by a re-import.
        """
        tasks, records = self.project.tasks, self._records
        keys = self.project.task_keys()
        if len(set(keys)) == len(keys):
            wanted = list(keys)
        else:
            # The same id (or data) twice in one file: keep the tasks apart.
            counts: dict[str, int] = {}
            wanted = []
            for task, key in zip(tasks, keys):
                counts[key] = counts.get(key, 0) + 1
                wanted.append(key if counts[key] == 1 else f"{key}#{task.index}")
        claimed = {key for key in wanted if key in records} if records else set()
        by_hash: dict[str, list[str]] = {}
        for key, record in records.items():
            if key not in claimed:
                by_hash.setdefault(record.data_hash, []).append(key)
        if by_hash:  # only then: hashing every new task's data costs 1 s for 100,000
            for position, task in enumerate(tasks):
                if wanted[position] not in records:
                    spare = by_hash.get(data_hash(task.data))
                    if spare:
                        wanted[position] = spare.pop(0)
                        claimed.add(wanted[position])
        self._keys = {task.index: key for task, key in zip(tasks, wanted)}
        self._index_of = {key: task.index for task, key in zip(tasks, wanted)}
        self.unmapped = [record for key, record in self._records.items() if key not in claimed and record.reviewed]

    def key(self, task: Task) -> str:
        return self._keys[task.index]

    def record(self, task: Task) -> TaskRecord:
        """The session's record of the task, or a blank one (not kept). A blank's data hash is worked out only
        if it is ever saved (_save): reading statuses and decisions of 100,000 tasks hashes no task data."""
        key = self.key(task)
        record = self._records.get(key)
        if record is None:
            record = TaskRecord(key, "", task.index, None if task.id is None else storable(id_text(task.id)))
        return record

    def index_of(self, key: str) -> int | None:
        """The index of the task whose work is kept under `key`; None when no task of the file has it."""
        return self._index_of.get(key)

    def stored_records(self) -> list[tuple[int, TaskRecord]]:
        """(task index, record) for every task the session holds a record of: as many as were reviewed, so a
        window reads statuses without looking at all 100,000 tasks."""
        return [(index, record) for key, record in self._records.items()
                if (index := self._index_of.get(key)) is not None]

    # -- reading ---------------------------------------------------------------------------------------------

    def working_results(self, task: Task) -> list | None:
        return self.record(task).results

    def working_regions(self, task: Task) -> RegionSet:
        return group_results(self.record(task).results or [], *working.working_layer_key(task),
                             self.project.object_kind, self.project.labels_control)

    def status(self, task: Task) -> str:
        return self.record(task).status

    def decision(self, task: Task, prediction: int, region_id: str) -> str | None:
        return self.record(task).decisions.get((prediction, region_id))

    def prediction_regions(self, task: Task, model_version: str | None = None) -> list[Region]:
        regions = []
        for result_set, region_set in self.project.regions(task):
            if result_set.source == "prediction" and (model_version is None
                                                      or result_set.model_version == model_version):
                regions.extend(region_set.regions)
        return regions

    def next_undecided(self, task: Task, order: str = "score", model_version: str | None = None) -> Region | None:
        """The prediction region to look at next: highest score first, or top-to-bottom, left-to-right."""
        pending = [r for r in self.prediction_regions(task, model_version)
                   if self.decision(task, r.source_index, r.id) is None]
        if not pending:
            return None
        if order == "score":
            return min(pending, key=lambda r: -(self.region_score(task, r) or -1.0))
        return pending[0]

    def region_score(self, task: Task, region: Region) -> float | None:
        """The region's own score, else its prediction's (how `accept --min-score` reads scores)."""
        if region.score is not None:
            return region.score
        if region.source == "prediction" and 0 <= region.source_index < len(task.predictions):
            return task.predictions[region.source_index].score
        return None

    @property
    def position(self) -> str | None:
        return self.store.meta("position")

    def set_position(self, task: Task) -> bool:
        """Remember the task shown, if the file is free within a moment (a convenience: never worth a wait while
        another process writes); False when it was not saved."""
        if self.store.in_transaction:  # a long action's: its rollback would take the position with it
            return False
        try:
            self.store.set_meta({"position": self.key(task)}, wait=BEST_EFFORT_WAIT)
        except SessionError:
            return False
        return True

    # -- what other processes did -------------------------------------------------------------------------

    def refresh(self) -> set[str]:
        """Take in what other processes saved since this one last looked; listeners hear of the tasks whose work
        changed. One pragma when nothing changed, so a window may call it every second."""
        if self.store.in_transaction or not self.store.changed_elsewhere():
            return set()
        changed = self._take_outside_changes()
        if changed:
            self._notify(changed)
        return changed

    def _take_outside_changes(self) -> set[str]:
        changed = set()
        for key, record in self.store.changed_since_seen().items():
            if not record.same_work(self._records.get(key)):
                changed.add(key)
            self._records[key] = record
        return changed

    # -- changing (every public method here is one command and one transaction) -------------------------------

    @contextmanager
    def _writing(self, wait: float = BUSY_SECONDS) -> Iterator[None]:
        """The transaction of one action. It first reads the rows other processes wrote since this one last
        looked, so the action changes what is on disk now; its commands reach the history (and the listeners
        hear of them) only once it is committed."""
        if self.store.in_transaction:  # an action inside another (copy_prediction's accept): the outer one commits
            yield
            return
        outside: set[str] = set()
        try:
            with self.store.transaction(wait):
                outside = self._take_outside_changes()
                yield
        except BaseException:
            # Nothing of the action reached the file: the records it changed in memory are read back, and the
            # listeners hear of them too (a view may have read them between two slices of a long action).
            written = self._written
            for key in written:
                self._records.pop(key, None)
            self._records.update(self.store.read(written))
            self._staged, self._written, self._touched = [], set(), set()
            if outside | written:
                self._notify(outside | written)
            raise
        staged, touched = self._staged, self._touched
        self._staged, self._written, self._touched = [], set(), set()
        for command in staged:
            self.history.push(command)
        if outside | touched:
            self._notify(outside | touched)

    def _commit(self, label: str, after: dict[str, TaskRecord]) -> Command:
        return self._stage(label, *self._save_changed(after))

    def _save_changed(self, after: dict[str, TaskRecord]) -> tuple[dict[str, TaskRecord], dict[str, TaskRecord]]:
        """Save changed records, stamped, in the open transaction; copies of them before and after, for a step."""
        before = {key: self._records[key].copy() if key in self._records else _blank_like(record)
                  for key, record in after.items()}
        stamp = now()
        for record in after.values():
            record.created_at = record.created_at or stamp
            record.updated_at = stamp
        self._save(after.values())
        return before, {key: record.copy() for key, record in after.items()}

    def _stage(self, label: str, before: dict[str, TaskRecord], after: dict[str, TaskRecord]) -> Command:
        """The step of saved records (copies), on the history once the transaction is committed."""
        command = Command(label, before, after)
        self._staged.append(command)
        return command

    def _save(self, records: Iterable[TaskRecord], shown: bool = True) -> None:
        """Write records in the open transaction; one made blank by record() gets its data hash here, at its
        first save. `shown`: the listeners are told of them once the transaction is committed."""
        records = list(records)
        for record in records:
            if not record.data_hash:
                record.data_hash = data_hash(self.project.tasks[record.task_index].data)
        self.store.save(records)
        self._records.update((record.key, record) for record in records)
        self._written.update(record.key for record in records)
        if shown:
            self._touched.update(record.key for record in records)

    def _notify(self, keys: set[str]) -> None:
        for listener in list(self.listeners):
            listener(keys)

    def _restore(self, records: dict[str, TaskRecord]) -> None:
        restored = {}
        for key, record in records.items():
            copy = record.copy()
            if key in self._records:  # time spent on a task is a measurement, not an edit: undo keeps it
                copy.lead_time = self._records[key].lead_time
            restored[key] = copy
        self._save(restored.values())

    def undo(self) -> str | None:
        return run_through(self.undo_steps())

    def redo(self) -> str | None:
        return run_through(self.redo_steps())

    def undo_steps(self) -> Steps[str | None]:
        """undo() a slice at a time (see viewer.core.steps); the step's label."""
        return self._step(undo=True)

    def redo_steps(self) -> Steps[str | None]:
        return self._step(undo=False)

    def _step(self, undo: bool) -> Steps[str | None]:
        """Undo or redo the last step, unless another process changed one of its tasks since: its work would be
        lost, so the step is dropped from the history and SessionConflictError says which task. The history moves
        only after the last task is restored: a step cancelled half way stays where it was."""
        with self._writing():
            command = self.history.undo_command if undo else self.history.redo_command
            if command is None:
                return None
            expected, wanted = (command.after, command.before) if undo else (command.before, command.after)
            doing = f"{'Undoing' if undo else 'Redoing'} \u201c{command.label}\u201d:"
            yield Progress(doing, 0, len(wanted))
            for key, record in expected.items():
                if not record.same_work(self._records.get(key)):
                    self.history.drop(command)
                    raise SessionConflictError(
                        f"cannot {'undo' if undo else 'redo'} \u201c{command.label}\u201d: {_task_name(record)} "
                        "was changed by another lsview process since; that work is kept and this step is dropped "
                        "from the history")
            done = 0
            with gc_paused(keep=True):  # as in accept_steps
                for group in _groups(wanted):
                    self._restore(group)
                    done += len(group)
                    yield Progress(doing, done, len(wanted))
            (self.history.pop_undo if undo else self.history.pop_redo)()
            return command.label

    def _editable(self, task: Task) -> TaskRecord:
        record = self.record(task).copy()
        if record.results is None:
            record.results = []
        if record.status == "not-reviewed":
            record.status = "in-progress"
        return record

    def _accept_into(self, task: Task, record: TaskRecord, regions: Iterable[Region]) -> int:
        """Copy prediction regions into the record (ids kept unless taken); how many were not accepted yet."""
        taken = working.region_ids(record.results)
        additions: list[dict] = []
        predictions: set[int] = set()
        count = 0
        for region in regions:
            key = (region.source_index, region.id)
            if record.decisions.get(key) == "accepted" and self.copy_id(record, key) in taken:
                continue
            # An id-less prediction result gets an id when copied: commands reach results by region id.
            new_id = working.new_region_id(taken) if region.id in taken or region.id_generated else None
            copy_id = new_id or region.id
            taken.add(copy_id)
            additions.extend(working.copied(region.results, "prediction", new_id))
            record.decisions[key] = "accepted"
            record.copies[key] = copy_id
            predictions.add(region.source_index)
            count += 1
        if count:
            record.results = working.insert_regions(record.results, additions)
            relations = [r for index in sorted(predictions) for r in task.predictions[index].results
                         if isinstance(r, dict) and r.get("type") == "relation"]
            record.results = working.add_relations(record.results, relations)
        return count

    @staticmethod
    def copy_id(record: TaskRecord, key: tuple[int, str]) -> str:
        """The id of a prediction region's copy in the working annotation."""
        return record.copies.get(key, key[1])

    def accept(self, task: Task, regions: Iterable[Region], label: str | None = None) -> Command | None:
        """Copy prediction regions into the working annotation (ids kept, origin `prediction`)."""
        with self._writing():
            record = self._editable(task)
            count = self._accept_into(task, record, regions)
            if not count:
                return None
            return self._commit(label or f"Accept {_plural(count, 'region')}", {record.key: record})

    def reject(self, task: Task, regions: Iterable[Region]) -> Command | None:
        with self._writing():
            record = self._editable(task)
            count = 0
            for region in regions:
                key = (region.source_index, region.id)
                # A copy the reviewer has not changed goes with the rejection; an edited one is their work: kept.
                copy_id = self.copy_id(record, key)
                if (record.decisions.get(key) == "accepted"
                        and working.origin_of(record.results, copy_id) == "prediction"):
                    record.results = working.remove_region(record.results, copy_id)
                    record.copies.pop(key, None)
                record.decisions[key] = "rejected"
                count += 1
            if not count:
                return None
            return self._commit(f"Reject {_plural(count, 'region')}", {record.key: record})

    def copy_prediction(self, task: Task, prediction: int) -> Copied:
        """Label Studio's copy button: the whole prediction, regions, whole-task results and relations, into the
        working annotation; regions rejected earlier stay rejected and are left out (a copy must not undo a
        decision the reviewer made one by one)."""
        for result_set, region_set in self.project.regions(task):
            if result_set.source == "prediction" and result_set.index == prediction:
                break
        else:
            raise IndexError(f"task {task.index} has no prediction {prediction}")
        with self._writing():
            record = self._editable(task)
            kept = [r for r in region_set.regions if record.decisions.get((r.source_index, r.id)) != "rejected"]
            left_out = len(region_set.regions) - len(kept)
            count = self._accept_into(task, record, kept)
            if not count:
                return Copied(None, 0, left_out)
            return Copied(self._commit(f"Copy prediction {prediction}", {record.key: record}), count, left_out)

    def accept_above(self, tasks: Iterable[Task], min_score: float, model_version: str | None = None
                     ) -> Command | None:
        """Accept every undecided prediction region scoring at least `min_score`, over many tasks, as one step."""
        return run_through(self.accept_above_steps(tasks, min_score, model_version))

    def accept_above_steps(self, tasks: Iterable[Task], min_score: float, model_version: str | None = None
                           ) -> Steps[Command | None]:
        """accept_above() a slice at a time (see viewer.core.steps)."""
        def keep(_task: Task, _region: Region, score: float | None) -> bool:
            return (score if score is not None else float("-inf")) >= min_score   # -inf: unscored ones too

        scoring = f" scoring {min_score:g} or more" if min_score > float("-inf") else ""
        return self.accept_steps(tasks, keep, lambda count: f"Accept {_plural(count, 'region')}{scoring}",
                                 model_version)

    def accept_where(self, tasks: Iterable[Task], keep: Callable[[Task, Region, float | None], bool],
                     label: str | Callable[[int], str], model_version: str | None = None) -> Command | None:
        """Accept every undecided prediction region (of `model_version`'s predictions, or all) that
        `keep(task, region, score)` lets through, over many tasks, as one step; `label` may be made from the number
        of regions accepted."""
        return run_through(self.accept_steps(tasks, keep, label, model_version))

    def accept_steps(self, tasks: Iterable[Task], keep: Callable[[Task, Region, float | None], bool],
                     label: str | Callable[[int], str], model_version: str | None = None
                     ) -> Steps[Command | None]:
        """accept_where() a slice at a time: progress after each task; the changed records are saved in the
        action's one transaction as it goes, a group at a time (closing the steps rolls all of it back)."""
        tasks = list(tasks)
        with self._writing():
            before: dict[str, TaskRecord] = {}
            after: dict[str, TaskRecord] = {}
            unsaved: dict[str, TaskRecord] = {}
            count = results = 0

            def save() -> None:
                saved_before, saved_after = self._save_changed(unsaved)
                before.update(saved_before)
                after.update(saved_after)
                unsaved.clear()

            yield Progress("Accepting", 0, len(tasks))
            # Many new, acyclic results that live as long as the session: the collector would only slow this down
            # (a full collection took 0.4 s between two slices), and the first one after it, over everything it
            # made, 0.3 s. So it is paused, and what was made is moved out of its sight when done.
            with gc_paused(keep=True):
                for done, task in enumerate(tasks, 1):
                    chosen = [r for r in self.prediction_regions(task, model_version)
                              if self.decision(task, r.source_index, r.id) is None
                              and keep(task, r, self.region_score(task, r))]
                    if chosen:
                        record = self._editable(task)
                        accepted = self._accept_into(task, record, chosen)
                        if accepted:
                            count += accepted
                            unsaved[record.key] = record
                            results += len(record.results)
                            if len(unsaved) >= SAVE_RECORDS or results >= SAVE_RESULTS:
                                save()
                                results = 0
                    yield Progress("Accepting", done, len(tasks))
                if unsaved:
                    save()
            if not after:
                return None
            return self._stage(label(count) if callable(label) else label, before, after)

    def edit_region(self, task: Task, region_id: str, new_results: list[dict], label: str) -> Command | None:
        """Replace a working region's results (move, resize, relabel ...); its origin follows FORMAT.md 5.3."""
        with self._writing():
            record = self._editable(task)
            old = working.results_of(record.results, region_id)
            changed = working.mark_changed(new_results, working.origin_of(record.results, region_id))
            if old == new_results or old == changed:
                return None
            record.results = working.replace_region(record.results, region_id, changed)
            return self._commit(label, {record.key: record})

    def add_region(self, task: Task, new_results: list[dict], label: str) -> tuple[Command, str]:
        """A region the model missed: a fresh id, origin `manual`."""
        with self._writing():
            record = self._editable(task)
            region_id = working.new_region_id(working.region_ids(record.results))
            record.results = working.replace_region(record.results, region_id,
                                                    working.copied(new_results, "manual", region_id))
            return self._commit(label, {record.key: record}), region_id

    def delete_region(self, task: Task, region_id: str) -> Command | None:
        with self._writing():
            record = self._editable(task)
            if not working.results_of(record.results, region_id):
                return None
            record.results = working.remove_region(record.results, region_id)
            return self._commit("Delete region", {record.key: record})

    def set_status(self, task: Task, status: str) -> Command | None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        with self._writing():
            record = self.record(task).copy()
            if record.status == status:
                return None
            record.status = status
            return self._commit(f"Mark task {status.replace('-', ' ')}", {record.key: record})

    def set_note(self, task: Task, note: str) -> Command | None:
        with self._writing():
            record = self.record(task).copy()
            if record.note == note:
                return None
            record.note = note
            return self._commit("Edit note", {record.key: record})

    def add_lead_time(self, task: Task, seconds: float) -> None:
        """Time the task was open in the window; measured, not an undoable edit (and no listener is told: nothing
        shown changes). Saved at once when the file is free within a moment, else kept and saved with the next."""
        if seconds <= 0:
            return
        key = self.key(task)
        self._lead_time[key] = (task, self._lead_time.get(key, (task, 0.0))[1] + seconds)
        self.save_lead_time(BEST_EFFORT_WAIT)

    def save_lead_time(self, wait: float = BUSY_SECONDS) -> bool:
        """Write the lead time not saved yet; False when the file stayed busy (it is kept for the next try)."""
        if not self._lead_time:
            return True
        if self.store.in_transaction:  # a long action is under way: its rollback must not take the time with it
            return False
        try:
            with self._writing(wait):
                records = []
                for task, seconds in self._lead_time.values():
                    record = self.record(task).copy()
                    record.lead_time += seconds
                    records.append(record)
                self._save(records, shown=False)
        except SessionBusyError:
            return False
        self._lead_time.clear()
        return True


def _groups(records: dict[str, TaskRecord]) -> Iterator[dict[str, TaskRecord]]:
    """The records in groups of at most SAVE_RECORDS records or SAVE_RESULTS results (one record at least)."""
    group: dict[str, TaskRecord] = {}
    results = 0
    for key, record in records.items():
        group[key] = record
        results += len(record.results or ())
        if len(group) >= SAVE_RECORDS or results >= SAVE_RESULTS:
            yield group
            group, results = {}, 0
    if group:
        yield group


def _task_name(record: TaskRecord) -> str:
    return f"task {record.task_index}" + (f" (id {record.task_id})" if record.task_id is not None else "")


def _blank_like(record: TaskRecord) -> TaskRecord:
    """What a task was before the session knew it: not reviewed, no working annotation, no decisions."""
    return TaskRecord(record.key, record.data_hash, record.task_index, record.task_id)

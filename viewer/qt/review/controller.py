"""ReviewController: the open project's review session as Qt signals, and the edit API the canvas editors call.
Qt layer over viewer.core.review; each call is one core command (one undo step, one transaction), and the
session's listeners come back as working_changed / task_changed. Work another process saves in the same session is
read within a second (and when the window is activated) and comes back the same way. The start_ calls run an
action over many tasks in slices (`long`), with progress and Cancel; no other action is taken meanwhile.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from viewer.core.errors import LsviewError
from viewer.core.export import ExportOptions, ExportSummary, formats
from viewer.core.export.training import training_formats
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.run import export_training_steps
from viewer.core.export.training.summary import TrainingSummary
from viewer.core.project import Project
from viewer.core.push.folder import pulled_link
from viewer.core.regions import Region
from viewer.core.review import working
from viewer.core.review.keys import SESSION_SUFFIX, default_session_path, user_data_dir
from viewer.core.review.session import Copied, ReviewSession
from viewer.core.server.project_link import ProjectLink
from viewer.core.steps import Steps
from viewer.core.tasks import Task
from viewer.qt.review.long_action import LongActions
from viewer.qt.task_names import task_name, window_text

POLL_MS = 1000  # how often the session file is checked for work saved by another process (one pragma)
DONE = ("accepted", "needs-fix", "rejected")  # a verdict is given: "next task not done" passes these by


def bundled(path: str | os.PathLike) -> bool:
    """Whether a file is part of the installed package (the demo): lsview never writes beside those."""
    return Path(str(resources.files("viewer"))).resolve() in Path(path).resolve().parents


def session_path(tasks: str | os.PathLike, session: str | os.PathLike | None = None) -> Path:
    """Where a task file's session lives: where asked, else the core's default (beside the task file).

    The bundled demo's goes to the user's data folder: nothing is ever written inside the installed package.
    """
    if session:
        return Path(session)
    if bundled(tasks):
        return user_data_dir() / f"demo{SESSION_SUFFIX}"
    return default_session_path(tasks)


def _pulled_link(project: Project) -> tuple[ProjectLink | None, str | None]:
    """The lsview-project.json beside the task file, and why it cannot be read when it is there but broken."""
    try:
        return pulled_link(project.tasks_path), None
    except LsviewError as exc:
        return None, window_text(str(exc))


class ReviewController(QObject):
    working_changed = Signal(object)  # the set of task indices whose review state changed (command, undo, redo)
    task_changed = Signal(int)        # each of those task indices, in order
    changed_elsewhere = Signal(object)  # task indices whose work another process saved (also in working_changed)
    failed = Signal(str)              # an action that could not be saved (busy file, conflict, disk): why

    def __init__(self, session: ReviewSession, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.project: Project = session.project
        self._predictions: dict[int, list[Region]] = {}  # predictions never change while the project is open
        self._reviewed = {index for index, record in session.stored_records() if record.reviewed}
        self.link, self.link_problem = _pulled_link(self.project)  # tasks from `lsview pull`: Push is possible
        session.listeners.append(self._on_session_changed)
        self.long = LongActions(self.failed.emit, self)
        self.closed = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._poll.start()

    @classmethod
    def open(cls, project: Project, path: str | os.PathLike | None = None,
             parent: QObject | None = None) -> "ReviewController":
        """The session at `path` (None: the task file's default); InputError when it cannot be opened."""
        session = ReviewSession.open(project, path or session_path(project.tasks_path or "tasks.json"))
        return cls(session, parent)

    def close(self) -> None:
        self.closed = True  # a dialog on its way for this session (the push's, after the keyring) is not shown
        self.long.cancel()  # a long action cut short by closing is not half saved: it is rolled back
        self._poll.stop()
        if self._on_session_changed in self.session.listeners:
            self.session.listeners.remove(self._on_session_changed)
        self.session.close()

    @property
    def path(self) -> Path:
        return self.session.store.path

    def _on_session_changed(self, keys: set[str]) -> None:
        indices = sorted(index for index in map(self.session.index_of, keys) if index is not None)
        for index in indices:
            task = self.project.tasks[index]
            (self._reviewed.add if self.session.record(task).reviewed else self._reviewed.discard)(index)
        self.working_changed.emit(set(indices))
        for index in indices:
            self.task_changed.emit(index)

    def poll(self) -> None:
        """Show what another process saved in the session since the last look."""
        try:
            keys = self.session.refresh()
        except LsviewError as exc:
            self.failed.emit(window_text(str(exc)))
            return
        indices = {index for index in map(self.session.index_of, keys) if index is not None}
        if indices:
            self.changed_elsewhere.emit(indices)

    @property
    def busy(self) -> bool:
        """A long action is under way (its transaction is open): no other action is taken until it is over."""
        return self.long.busy

    def _guarded(self, action, refused):
        """Run a session action; one that cannot be saved (a busy, full or damaged file, a conflict, a long action
        under way) is said through `failed` and gives `refused`."""
        if self.long.busy:
            self.failed.emit(f"{self.long.doing} is under way: wait for it to finish, or cancel it")
            return refused
        try:
            return action()
        except LsviewError as exc:
            self.failed.emit(window_text(str(exc)))
            return refused

    # ------------------------------------------------------------------ reading

    def task(self, task_index: int) -> Task:
        return self.project.tasks[task_index]

    def prediction_regions(self, task_index: int) -> list[Region]:
        if task_index not in self._predictions:
            self._predictions[task_index] = self.session.prediction_regions(self.task(task_index))
        return self._predictions[task_index]

    def decisions(self, task_index: int) -> dict[tuple[int, str], str]:
        """(prediction index, region id) -> "accepted" | "rejected" for the task's decided regions."""
        return self.session.record(self.task(task_index)).decisions

    def counts(self, task_index: int) -> tuple[int, int, int]:
        """How many of the task's prediction regions are accepted, rejected and undecided."""
        decisions = self.decisions(task_index)
        made = [decisions.get((r.source_index, r.id)) for r in self.prediction_regions(task_index)]
        accepted, rejected = made.count("accepted"), made.count("rejected")
        return accepted, rejected, len(made) - accepted - rejected

    def status(self, task_index: int) -> str:
        return self.session.status(self.task(task_index))

    def note(self, task_index: int) -> str:
        return self.session.record(self.task(task_index)).note

    def has_working(self, task_index: int) -> bool:
        return self.session.working_results(self.task(task_index)) is not None

    def reviewed_count(self) -> int:
        return len(self._reviewed)

    def start_index(self) -> int:
        """The task the reviewer was on when the session was last open (0 for a new session)."""
        position = self.session.position
        index = self.session.index_of(position) if position is not None else None
        return 0 if index is None else index

    def next_not_done(self, after: int) -> int | None:
        """The next task (wrapping round) whose status is neither accepted, needs fix nor rejected."""
        count = len(self.project.tasks)
        for step in range(1, count + 1):
            index = (after + step) % count
            if self.status(index) not in DONE:
                return index
        return None

    @property
    def undo_label(self) -> str | None:
        return self.session.history.undo_label

    @property
    def redo_label(self) -> str | None:
        return self.session.history.redo_label

    # ------------------------------------------------------------------ review commands

    def accept(self, task_index: int, regions: list[Region]) -> bool:
        return self._guarded(lambda: self.session.accept(self.task(task_index), regions) is not None, False)

    def reject(self, task_index: int, regions: list[Region]) -> bool:
        return self._guarded(lambda: self.session.reject(self.task(task_index), regions) is not None, False)

    def copy_prediction(self, task_index: int, prediction: int) -> Copied | None:
        """The whole prediction, but for regions rejected earlier; None when it could not be saved."""
        return self._guarded(lambda: self.session.copy_prediction(self.task(task_index), prediction), None)

    def accept_above(self, task_indices: list[int] | None, min_score: float) -> str | None:
        """Every undecided prediction region scoring at least `min_score` in these tasks (None: all), one step;
        the step's label, or None when nothing qualified."""
        command = self._guarded(lambda: self.session.accept_above(self._tasks(task_indices), min_score), None)
        return command.label if command is not None else None

    def _tasks(self, task_indices: list[int] | None) -> list[Task]:
        return self.project.tasks if task_indices is None else [self.task(i) for i in task_indices]

    # ------------------------------------------------------------------ long actions, in slices

    def start(self, steps: Steps, done: Callable[[Any], None]) -> bool:
        """Run core steps a slice at a time (LongActions); `done(result)` once finished, at once for a small action.
        False when they did not start (`failed` said why). The session file's log is folded in on a worker thread
        afterwards, not by the commit on this one."""
        def finished(result) -> None:
            QThreadPool.globalInstance().start(self.session.store.checkpoint)
            done(result)

        return self.long.start(self._checkpoint_later(steps), finished)

    def _checkpoint_later(self, steps: Steps) -> Steps:
        with self.session.store.checkpoint_later():
            return (yield from steps)

    def start_accept_above(self, task_indices: list[int] | None, min_score: float,
                           done: Callable[[str | None], None]) -> bool:
        """accept_above in slices; done gets the step's label (None: nothing qualified)."""
        return self.start(self.session.accept_above_steps(self._tasks(task_indices), min_score),
                          lambda command: done(command.label if command is not None else None))

    def start_accept_where(self, task_indices: list[int], keep, label: Callable[[int], str],
                           done: Callable[[str | None], None]) -> bool:
        """Accept what keep(task, region, score) lets through in these tasks, in slices (see
        ReviewSession.accept_where); done gets the step's label (None: nothing qualified)."""
        return self.start(self.session.accept_steps(self._tasks(task_indices), keep, label),
                          lambda command: done(command.label if command is not None else None))

    def start_undo(self, undo: bool, done: Callable[[str | None], None]) -> bool:
        """Undo (or redo) the last step in slices; done gets its label (None: there was none)."""
        return self.start(self.session.undo_steps() if undo else self.session.redo_steps(), done)

    def start_push(self, steps: Steps, done: Callable[[Any], None]) -> bool:
        """A push (viewer.core.push) whose steps hand on a thread's progress (StepsThread), in slices with
        progress and Cancel however few the tasks, even none: it waits on the network. Work another process saved
        a moment ago is pushed too."""
        self.poll()
        return self.long.start(steps, done, at_once=-1)

    def cancel(self) -> None:
        self.long.cancel()

    def set_status(self, task_index: int, status: str) -> bool:
        return self._guarded(lambda: self.session.set_status(self.task(task_index), status) is not None, False)

    def set_note(self, task_index: int, note: str) -> bool:
        return self._guarded(lambda: self.session.set_note(self.task(task_index), note) is not None, False)

    def add_lead_time(self, task_index: int, seconds: float) -> None:
        # not refused during a long action: the session keeps the time and saves it with the next write
        try:
            self.session.add_lead_time(self.task(task_index), seconds)
        except LsviewError as exc:
            self.failed.emit(window_text(str(exc)))

    def set_position(self, task_index: int) -> None:
        self.session.set_position(self.task(task_index))

    def undo(self) -> str | None:
        return self._guarded(self.session.undo, None)

    def redo(self) -> str | None:
        return self._guarded(self.session.redo, None)

    def export(self, out: str | os.PathLike, options: ExportOptions, format_name: str = "ls-json") -> ExportSummary:
        self.poll()  # what another process saved a moment ago is exported too
        return formats()[format_name](self.session, out, options)

    def start_export_training(self, out: str | os.PathLike, format_name: str, options: TrainingOptions,
                              done: Callable[[TrainingSummary], None]) -> bool:
        """A training export (COCO, YOLO ...) into the folder `out`, in slices with progress and Cancel (nothing is
        written then); done gets its summary. It only reads the session, so no checkpoint follows it."""
        self.poll()  # what another process saved a moment ago is exported too
        return self.long.start(export_training_steps(self.session, out, training_formats()[format_name], options),
                               done)

    # ------------------------------------------------------------------ the edit API of the canvas editors

    def edit_region(self, task_index: int, region_id: str, new_results: list[dict], label: str) -> bool:
        """Replace a working region's results (move, resize, relabel ...); False when nothing changed."""
        return self._guarded(lambda: self.session.edit_region(self.task(task_index), region_id, new_results, label)
                             is not None, False)

    def add_region(self, task_index: int, results: list[dict], label: str) -> str | None:
        """A new region (origin `manual`); returns its id (None: it could not be saved)."""
        added = self._guarded(lambda: self.session.add_region(self.task(task_index), results, label), None)
        return None if added is None else added[1]

    def delete_region(self, task_index: int, region_id: str) -> bool:
        return self._guarded(lambda: self.session.delete_region(self.task(task_index), region_id) is not None, False)

    def set_region_payload(self, task_index: int, region_id: str, from_name: str, result_type: str, key: str,
                           payload, label: str | None = None) -> bool:
        """One control's answer for a working region (OCR text, a per-region choice ...); payload None clears it."""
        results = working.results_of(self.session.working_results(self.task(task_index)) or [], region_id)
        if not results:
            raise KeyError(f"{task_name(task_index)} has no region {region_id!r} in its working annotation")
        to_name = next((r["to_name"] for r in results if r.get("to_name")), None)
        new = working.with_payload(results, region_id=region_id, to_name=to_name, from_name=from_name,
                                   result_type=result_type, key=key, payload=payload)
        return self.edit_region(task_index, region_id, new, label or _payload_label(from_name, payload))

    def set_classification(self, task_index: int, from_name: str, to_name: str, result_type: str, key: str,
                           payload, item_index: int | None = None, label: str | None = None) -> bool:
        """The task's whole-object answer of a control (choices, rating, textarea ...); payload None clears it.

        One command: the answer's result is the region edited (its id kept; a new answer gets a fresh id), so
        an answer copied from a prediction becomes `prediction-changed`, a new one `manual` (FORMAT.md 5.3).
        """
        results = self.session.working_results(self.task(task_index)) or []
        try:
            edit = working.classification_edit(results, from_name=from_name, to_name=to_name,
                                               result_type=result_type, key=key, payload=payload,
                                               item_index=item_index)
        except ValueError:
            # Only a region id reaches a result through the session's commands; see the report on accept().
            raise ValueError(f"the {from_name} answer of {task_name(task_index)} has no result id and cannot be "
                             f"edited") from None
        if edit is None:  # the same answer: no command
            return False
        region_id, new = edit
        return self.edit_region(task_index, region_id, new, label or _payload_label(from_name, payload))


def _payload_label(from_name: str, payload) -> str:
    return f"Clear {from_name}" if payload is None else f"Set {from_name}"

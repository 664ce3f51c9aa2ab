"""ReviewDesk, the review workflow in the main window (Qt layer, glue like TextPage): opens the project's session,
shows the working annotation as a layer that follows every command, keeps the review bar, Undo/Redo texts,
position, lead time and the progress of long actions. The window calls project_opened, task_loaded and close; the
rest is signals.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QGraphicsItem, QLabel, QMessageBox, QWidget

from viewer.core.errors import LsviewError
from viewer.core.project import Project
from viewer.core.region_keys import RegionKey
from viewer.core.regions import Region
from viewer.core.review.lead_time import LeadClock
from viewer.core.review.order import Entry, ordered
from viewer.core.review.working import working_layer_key
from viewer.core.view_state import ViewState
from viewer.core.working_layer import MARK_TIPS, REJECTED, review_marks, with_working
from viewer.qt.loader import LoadedTask, OpenRequest
from viewer.qt.review.controller import ReviewController
from viewer.qt.review.push_action import CANCELLED_TEXT as PUSH_CANCELLED, PUSHING
from viewer.qt.review.review_actions import REVIEW_ACTIONS
from viewer.qt.task_names import window_text
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.progress_dialog import ProgressDialog
from viewer.qt.widgets.review_bar import ReviewBar
from viewer.render.content import TaskContent

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from viewer.qt.widgets.region_list import RegionList
    from viewer.qt.widgets.results_panel import ResultsPanel

RESUME_MESSAGE_MS = 15_000
SESSION_MESSAGE_MS = 15_000


class Scene(Protocol):
    """What the desk asks of the RegionScene: the item drawn for a region, and which to fade."""
    items_by_key: dict[RegionKey, QGraphicsItem]

    def set_faded(self, keys: set[RegionKey]) -> None: ...


class SceneView(Protocol):
    """What the desk asks of the CanvasView: bring a chosen region's item into sight unless fitting."""
    fitting: bool

    def ensureVisible(self, item: QGraphicsItem) -> None: ...


class Reader(Protocol):
    """What the desk asks of the text page: is it shown instead of the canvas, and where a span starts."""
    @property
    def active(self) -> bool: ...

    def span_start(self, key: RegionKey) -> int | None: ...


class Player(Protocol):
    """What the desk asks of the video page: is it shown instead of the canvas, and where a track first shows."""
    @property
    def active(self) -> bool: ...

    def place(self, key: RegionKey) -> tuple[float, float] | None: ...


class ReviewDesk(QObject):
    """The window places `bar` and `session_label`, and passes its events through eventFilter (activation)."""

    def __init__(self, state: ViewState, signals: ViewSignals, *, actions: dict[str, QAction], scene: Scene,
                 view: SceneView, region_list: RegionList, results: ResultsPanel, reader: Reader,
                 player: Player, show_message: Callable[[str, int], None], parent: QWidget):
        super().__init__(parent)
        self.state = state
        self.actions_by_name = actions
        self.scene = scene
        self.view = view
        self.region_list = region_list
        self.results = results  # the whole-object results: reviewed like regions, listed there
        self.reader = reader
        self.player = player
        self.show_message = show_message
        self.parent_widget = parent  # of the message boxes
        self.base: TaskContent | None = None  # the loader's content of the task shown, without the working layer
        self.base_index = -1
        self.order = "score"
        self.clock = LeadClock()
        self.last_changed: set[int] = set()
        self._resume_message: str | None = None
        self.bar = ReviewBar(parent)
        self.session_label = QLabel("")
        self.progress = ProgressDialog(parent)  # of long actions (accept in many tasks, their undo)
        self.progress.cancel_requested.connect(self._on_progress_cancel_requested)
        for name in ("accept", "reject", "next_undecided"):
            self.bar.addAction(actions[name])
        signals.task_shown.connect(self._on_signals_task_shown)
        self.bar.status_chosen.connect(self._on_bar_status_chosen)
        self.bar.note_committed.connect(self._on_bar_note_committed)
        self.update_actions()

    @property
    def review(self) -> ReviewController | None:
        return self.state.review

    # ------------------------------------------------------------------ the window's calls

    def project_opened(self, request: OpenRequest, project: Project) -> int:
        """Open the project's session; the task to start on (where the reviewer stopped last time)."""
        self.close()
        self.base, self.base_index = None, -1
        try:
            review = ReviewController.open(project, request.session, self)
        except LsviewError as exc:
            self.session_label.setText("Review off")
            self.session_label.setToolTip(window_text(str(exc)))
            QMessageBox.warning(self.parent_widget, "lsview", f"The review session cannot be opened, so the tasks are "
                                f"shown without it.\n\n{window_text(str(exc))}")
            self.update_actions()
            return 0
        self.state.set_review(review)
        review.working_changed.connect(self._on_review_working_changed)
        review.changed_elsewhere.connect(self._on_review_changed_elsewhere)
        review.failed.connect(self._on_review_failed)
        review.long.started.connect(self._on_long_started)
        review.long.progressed.connect(self.progress.show_progress)
        review.long.finished.connect(self._on_long_finished)
        review.long.cancelled.connect(self._on_long_cancelled)
        start = review.start_index()
        reviewed = review.reviewed_count()
        self._resume_message = (f"Resumed at task {start + 1:,}: {reviewed:,} of {len(project.tasks):,} tasks "
                                f"reviewed in {review.path.name}") if reviewed else None
        self._show_session()
        self.update_actions()
        return start

    def task_loaded(self, loaded: LoadedTask) -> LoadedTask:
        """The loaded task with the working annotation as its last layer."""
        self.base, self.base_index = loaded.content, loaded.index
        content = with_working(self.review, loaded.index, loaded.content)
        return loaded if content is loaded.content else replace(loaded, content=content)

    def save_pending(self) -> None:
        """The note being typed and the lead time so far into the session (before an export reads it)."""
        self.bar.commit_note()
        self._save_lead_time(*self.clock.start(self.clock.task))

    def close(self) -> None:
        """Save what is pending (note, lead time) and close the session; the window then shows no review."""
        review = self.review
        if review is None:
            return
        review.cancel()  # a long action under way is rolled back, so the note and time can be saved
        self.bar.commit_note()
        self._save_lead_time(*self.clock.stop())
        self.state.set_review(None)
        review.close()
        review.setParent(None)
        self.bar.show_task(None)
        self.session_label.setText("")
        self.update_actions()

    # ------------------------------------------------------------------ following tasks and commands

    def _on_signals_task_shown(self, index: int) -> None:
        review = self.review
        if review is None:
            return
        if self.clock.task != index:  # another task, not another page of the same one
            self.bar.commit_note()
            self._save_lead_time(*self.clock.start(index))
            review.set_position(index)
            self.bar.show_task(index, review.status(index), review.note(index), review.counts(index))
        self.refresh_marks()
        if self._resume_message:
            self.show_message(self._resume_message, RESUME_MESSAGE_MS)
            self._resume_message = None

    def _on_review_working_changed(self, indices: set[int]) -> None:
        # the whole set, not task_changed for each: a step over 20,000 tasks would call 20,000 slots
        self.last_changed = indices
        if self.state.index in indices and self.base_index == self.state.index:
            self._show_working()
        self._show_session()
        self.update_actions()

    def _on_review_changed_elsewhere(self, indices: set[int]) -> None:
        if self.state.index in indices:
            text = (f"Task {self.state.index + 1:,} was changed by another lsview process on this session; "
                    "shown as saved there")
        else:
            text = f"{len(indices):,} task(s) changed by another lsview process on this session"
        self.show_message(text, SESSION_MESSAGE_MS)

    def _on_review_failed(self, message: str) -> None:
        self.show_message(message, SESSION_MESSAGE_MS)
        self.update_actions()  # a step dropped from the history changes Undo's text

    def _on_long_started(self, progress) -> None:
        self.progress.begin(progress)
        self.update_actions()  # no other review action while it runs

    def _on_long_finished(self) -> None:
        self.progress.end()
        self.update_actions()

    def _on_long_cancelled(self, doing: str) -> None:
        if doing == PUSHING:  # a push is not rolled back: what the server took stays, and is recorded
            self.show_message(PUSH_CANCELLED, SESSION_MESSAGE_MS)
            return
        self.show_message(f"{doing.rstrip(':')} cancelled: the session is as it was before", SESSION_MESSAGE_MS)

    def _on_progress_cancel_requested(self) -> None:
        if self.review is not None:
            self.review.cancel()

    def _show_working(self) -> None:
        """The task shown after a command: its working layer changed in the state (the views follow), then marks,
        status, note and counts."""
        review, index = self.review, self.state.index
        self.state.change_layer(with_working(review, index, self.base), working_layer_key(review.task(index)))
        self.refresh_marks()
        self.bar.set_status(review.status(index))
        self.bar.set_note(review.note(index))

    def refresh_marks(self) -> None:
        """✓ / ✗ and origins in the region list and results panel, rejected regions faded on the canvas, the bar's
        counts."""
        review, index = self.review, self.state.index
        if review is None or index < 0 or self.base_index != index:  # lists still of another task
            return
        listed = self.region_list.entries(greyed=True) + self.results.entries(hidden=True)
        marks = review_marks(review, index, listed)
        self.region_list.set_marks(marks, MARK_TIPS)
        self.results.set_marks(marks, MARK_TIPS)
        self.scene.set_faded({key for key, mark in marks.items() if mark == REJECTED})
        self.bar.set_counts(review.counts(index))

    def _show_session(self) -> None:
        review = self.review
        total = len(review.project.tasks)
        text = f"{review.path.name}: {review.reviewed_count():,} / {total:,} tasks reviewed"
        tip = f"Review session {review.path}"
        if review.session.unmapped:
            count = len(review.session.unmapped)
            text += f" · {count:,} reviewed task(s) of the session match no task"
            tip += (f"\n{count:,} reviewed task(s) in the session match no task of this file (by id or by data); "
                    f"their work is kept in the session but not shown or exported")
        self.session_label.setText(text)
        self.session_label.setToolTip(tip)

    def update_actions(self) -> None:
        a, review = self.actions_by_name, self.review
        free = review is not None and not review.busy
        for name in REVIEW_ACTIONS:
            a[name].setEnabled(free)
        a["push"].setEnabled(free and review.link is not None)  # only tasks `lsview pull` wrote have a server
        a["push"].setStatusTip(_push_tip(review))
        undo, redo = (review.undo_label, review.redo_label) if free else (None, None)
        a["undo"].setEnabled(undo is not None)
        a["undo"].setText(f"&Undo: {_menu_text(undo)}" if undo else "&Undo")
        a["redo"].setEnabled(redo is not None)
        a["redo"].setText(f"&Redo: {_menu_text(redo)}" if redo else "&Redo")

    # ------------------------------------------------------------------ lead time

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Installed on the window: its lead time counts only while it is the active window."""
        if event.type() == QEvent.Type.ActivationChange and isinstance(watched, QWidget):
            active = watched.isActiveWindow()
            self.clock.set_active(active)
            if active and self.review is not None:
                self.review.poll()  # back from a shell that ran `lsview accept`: show it at once
        return False

    def _save_lead_time(self, task: int | None, seconds: float) -> None:
        if self.review is not None and task is not None and seconds > 0:
            self.review.add_lead_time(task, seconds)

    # ------------------------------------------------------------------ selection, for the review keys

    def selected(self) -> tuple[RegionKey, Region] | None:
        """The region selected in the region list, else the whole-object result selected in the results panel
        (one selection: choosing in either clears the other)."""
        for listing in (self.region_list, self.results):
            key = listing.selected_key()
            region = listing.region(key) if key is not None else None
            if region is not None:
                return key, region
        return None

    def select(self, key: RegionKey | None) -> None:
        """Select a region everywhere (list, canvas or text, Region panel), and bring it into view."""
        self.state.select(key, again=True)
        if self.reader.active or self.player.active:
            return
        item = self.scene.items_by_key.get(key) if key is not None else None
        if item is not None and not self.view.fitting:
            self.view.ensureVisible(item)

    def review_order(self) -> list[Entry]:
        """The prediction regions and whole-object results listed (and not greyed out or hidden), in the order the
        reviewer goes through them."""
        review, task = self.review, self.state.task()
        return ordered(self.region_list.entries() + self.results.entries(), self.order,
                       lambda region: review.session.region_score(task, region), self._place)

    def _place(self, key: RegionKey) -> tuple[float, float] | None:
        if self.player.active:   # a track by its box where it first shows
            return self.player.place(key)
        if self.reader.active:
            start = self.reader.span_start(key)
            return (float(start), 0.0) if start is not None else None
        item = self.scene.items_by_key.get(key)
        if item is None:
            return None
        box = item.sceneBoundingRect()
        return box.top(), box.left()

    def _on_bar_status_chosen(self, status: str) -> None:
        if self.review is not None and self.state.index >= 0:
            self.review.set_status(self.state.index, status)

    def _on_bar_note_committed(self, index: int, note: str) -> None:
        if self.review is not None:
            self.review.set_note(index, note)


def _menu_text(label: str) -> str:
    return label.replace("&", "&&")  # a control named "R&D" must not become a mnemonic


def _push_tip(review: ReviewController | None) -> str:
    """Push's status tip: where it sends, or why it cannot."""
    if review is None:
        return "Push to Label Studio: open tasks pulled with lsview pull first"
    if review.link_problem:
        return f"Push to Label Studio is off: {review.link_problem}"
    if review.link is None:
        return ("Push to Label Studio works on tasks pulled with lsview pull (or File > Open from Label Studio): "
                "lsview-project.json beside the task file names their server")
    return f"Send each reviewed task's annotation to {review.link.server_url}, project {review.link.project_id}"

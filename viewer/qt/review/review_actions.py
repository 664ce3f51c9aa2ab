"""ReviewActions, what the review keys do (Qt layer): accept or reject the selected prediction region and move on,
copy a prediction, accept above a score, set the task's status, undo, redo, export, push to Label Studio. Each is
one core command through the ReviewController; the keys themselves are in actions.py's table.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from viewer.core.region_keys import RegionKey
from viewer.core.regions import Region
from viewer.core.review.order import Entry, step_undecided
from viewer.core.review.store import STATUS_NAMES
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.review.export_dialog import ExportDialog, run_export, summary_text
from viewer.qt.review.push_action import PushToServer
from viewer.qt.task_names import window_text
from viewer.core.content import value_text
from viewer.render.content import tag_text

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from viewer.qt.review.controller import ReviewController
    from viewer.qt.widgets.review_bar import ReviewBar

STATUS_ACTIONS = {"status_not_reviewed": "not-reviewed", "status_in_progress": "in-progress",
                  "status_accepted": "accepted", "status_needs_fix": "needs-fix", "status_rejected": "rejected"}
# Enabled while a session is open (Undo and Redo follow the history instead).
REVIEW_ACTIONS = ("export", "accept", "reject", "next_undecided", "previous_undecided", "order_by_position",
                  "copy_prediction", "accept_above_task", "accept_above_all", "next_not_done", "edit_note",
                  *STATUS_ACTIONS)
# The Review menu; None is a separator.
REVIEW_MENU = ("accept", "reject", None, "next_undecided", "previous_undecided", "order_by_position", None,
               "copy_prediction", "accept_above_task", "accept_above_all", None, *STATUS_ACTIONS, None,
               "next_not_done", "edit_note", None, "push")
MESSAGE_MS = 8_000
WARNINGS_SHOWN = 12


class Desk(Protocol):
    """What the actions ask of the ReviewDesk (which imports this module's tables, hence no import of it here)."""
    review: ReviewController | None
    base_index: int
    order: str
    last_changed: set[int]
    bar: ReviewBar

    def selected(self) -> tuple[RegionKey, Region] | None: ...

    def select(self, key: RegionKey | None) -> None: ...

    def review_order(self) -> list[Entry]: ...

    def save_pending(self) -> None: ...


def spoken_name(region) -> str:
    """How the status line names a region it decided or moves to: its tag; a whole-task result, which has no tag,
    by its answers ("scene: Street 0.94", not a bare score)."""
    if region.labels or not region.values:
        return tag_text(region) or region.kind
    answers = "; ".join(f"{name}: {value_text(list(payload.values()), ', ')}"
                        for name, payload in region.values.items())
    return f"{answers} {region.score:.2f}" if region.score is not None else answers


class ReviewActions(QObject):
    """The desk holds the session, the bar and the order; `show_task` goes to another task, `show_message` puts a
    message in the status bar, `parent` owns the dialogs."""

    def __init__(self, desk: Desk, state: ViewState, visibility: Visibility, *, actions: dict[str, QAction],
                 show_task: Callable[[int], None], show_message: Callable[[str, int], None], parent: QWidget):
        super().__init__(desk)
        self.desk = desk
        self.state = state
        self.visibility = visibility
        self.show_task = show_task
        self.show_message = show_message
        self.parent_widget = parent
        self.min_score = 0.5  # the last score asked for, offered again
        a = actions
        a["accept"].triggered.connect(lambda: self.decide("accept"))
        a["reject"].triggered.connect(lambda: self.decide("reject"))
        a["next_undecided"].triggered.connect(lambda: self.step(forward=True))
        a["previous_undecided"].triggered.connect(lambda: self.step(forward=False))
        a["order_by_position"].toggled.connect(self._on_order_toggled)
        a["copy_prediction"].triggered.connect(self.copy_prediction)
        a["accept_above_task"].triggered.connect(lambda: self.accept_above(every_task=False))
        a["accept_above_all"].triggered.connect(lambda: self.accept_above(every_task=True))
        for name, status in STATUS_ACTIONS.items():
            a[name].triggered.connect(lambda _=False, s=status: self.set_status(s))
        a["next_not_done"].triggered.connect(self.next_not_done)
        a["edit_note"].triggered.connect(self._on_edit_note_triggered)
        a["undo"].triggered.connect(lambda: self.undo_or_redo(undo=True))
        a["redo"].triggered.connect(lambda: self.undo_or_redo(undo=False))
        a["export"].triggered.connect(self.export)
        self.pushing = PushToServer(parent, self._say)
        a["push"].triggered.connect(self.push)

    def _say(self, message: str) -> None:
        self.show_message(message, MESSAGE_MS)

    def _task(self) -> int | None:
        """The task shown, when there is one and a session to change.

        None too while another task is loading: the lists still show the last one, whose regions must not be
        decided for the next.
        """
        state = self.state
        if self.desk.review is None or state.task() is None:
            return None
        return state.index if self.desk.base_index == state.index else None

    # ------------------------------------------------------------------ regions

    def decide(self, verdict: str) -> None:
        """Accept (copy) or reject the selected prediction region, then select the next undecided one."""
        index = self._task()
        if index is None:
            return
        chosen = self.desk.selected()
        if chosen is None or chosen[0][0][0] != "prediction":
            self._say("Select a prediction region or whole-task result first (N selects the next undecided one)")
            return
        key, region = chosen
        review = self.desk.review
        (review.accept if verdict == "accept" else review.reject)(index, [region])
        done = f"{'Accepted' if verdict == 'accept' else 'Rejected'} {spoken_name(region)}"
        self._move_on(key, forward=True, done=done)

    def step(self, forward: bool) -> None:
        if self._task() is not None:
            chosen = self.desk.selected()
            self._move_on(chosen[0] if chosen else None, forward, done="")

    def _move_on(self, key, forward: bool, done: str) -> None:
        review, index = self.desk.review, self.state.index
        decisions = review.decisions(index)
        entry = step_undecided(self.desk.review_order(), lambda r: (r.source_index, r.id) in decisions, key, forward)
        prefix = f"{done} · " if done else ""
        if entry is None:
            undecided = review.counts(index)[2]
            where = (f"; {undecided} more are not listed (other pages, hidden layers or labels)"
                     if undecided else "; Ctrl+Enter shows the next task not done")
            self._say(f"{prefix}every listed prediction region is decided{where}")
            return
        self.desk.select(entry[0])
        self._say(f"{prefix}next: {spoken_name(entry[1])}")

    def _on_order_toggled(self, by_position: bool) -> None:
        self.desk.order = "position" if by_position else "score"
        self._say("Regions in order of position: top to bottom, left to right" if by_position
                  else "Regions in order of score: highest first")

    def copy_prediction(self) -> None:
        """The selected region's prediction (else the first one shown), whole, into the working annotation."""
        index = self._task()
        if index is None:
            return
        chosen = self.desk.selected()
        if chosen is not None and chosen[0][0][0] == "prediction":
            prediction = chosen[0][0][1]
        else:
            prediction = next((layer.index for layer in self.state.content.layers if layer.source == "prediction"
                               and self.visibility.layer_shown(layer.key)), None)
        if prediction is None:
            self._say("This task shows no prediction to copy")
            return
        copied = self.desk.review.copy_prediction(index, prediction)
        if copied is None:  # not saved: the controller said why
            return
        left_out = (f"; {copied.left_out} rejected earlier {'was' if copied.left_out == 1 else 'were'} left out"
                    if copied.left_out else "")
        if copied.command is None:
            self._say(f"Prediction {prediction} is in the working annotation already{left_out}")
        else:
            self._say(f"Copied {_plural(copied.copied, 'region')} of prediction {prediction}{left_out}")

    def accept_above(self, every_task: bool) -> None:
        index = self._task()
        if index is None:
            return
        scope = "every task" if every_task else "this task"
        question = f"Accept every undecided prediction region of {scope}\nwhose score is at least:"
        score, ok = QInputDialog.getDouble(self.parent_widget, "Accept above score", question, self.min_score, -1e9,
                                           1e9, 3)
        if not ok:
            return
        self.min_score = score

        def done(label: str | None) -> None:
            if label is None:
                self._say(f"No undecided prediction region of {scope} scores {score:g} or more")
            else:
                tasks = len(self.desk.last_changed)
                self._say(f"{label} in {tasks:,} task(s); Ctrl+Z undoes it" if every_task else f"{label}")

        # in slices, with progress and Cancel, when it is big (ReviewController.start)
        self.desk.review.start_accept_above(None if every_task else [index], score, done)

    # ------------------------------------------------------------------ tasks

    def set_status(self, status: str) -> None:
        index = self._task()
        if index is not None and self.desk.review.set_status(index, status):
            self._say(f"Task {index + 1:,} marked {STATUS_NAMES[status].lower()}")

    def next_not_done(self) -> None:
        index = self._task()
        if index is None:
            return
        self.desk.bar.commit_note()
        following = self.desk.review.next_not_done(index)
        if following is None:
            self._say("Every task is done: accepted, needs fix or rejected")
        elif following == index:
            self._say("This is the only task not done")
        else:
            self.show_task(following)

    def _on_edit_note_triggered(self) -> None:
        note = self.desk.bar.note
        note.setFocus()
        note.selectAll()

    def undo_or_redo(self, undo: bool) -> None:
        """Undo or redo one step; when it changed one other task, show that task."""
        review = self.desk.review
        if review is None:
            return

        def done(label: str | None) -> None:
            if label is None:
                return
            changed = self.desk.last_changed
            if self.state.index not in changed and len(changed) == 1:
                self.show_task(next(iter(changed)))
            self._say(f"{'Undone' if undo else 'Redone'}: {label}")

        review.start_undo(undo, done)  # the undo of a step over many tasks goes in slices, as the step did

    def export(self) -> None:
        review = self.desk.review
        if review is None:
            return
        dialog = ExportDialog(review, self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.desk.save_pending()
        target = Path(dialog.target.text().strip()).expanduser()
        if dialog.training:
            review.start_export_training(target, dialog.format.currentText(), dialog.training_options(),
                                         lambda summary: self._exported(summary, summary.lines()[1:]))
            return
        summary = run_export(self.parent_widget, review, dialog.target.text(), dialog.options(),
                             dialog.format.currentText())
        if summary is not None:
            self._exported(summary, summary.warnings)

    def push(self) -> None:
        review = self.desk.review
        if review is None or review.link is None:
            return
        self.desk.save_pending()  # the note being typed and the time spent go with the push
        self.pushing.ask(review)

    def _exported(self, summary, lines) -> None:
        """The summary in the status line, and its details in a box (a training export's are always shown:
        instances per class, regions skipped)."""
        self._say(summary_text(summary))
        if lines:
            shown = "\n".join(map(window_text, lines[:WARNINGS_SHOWN]))
            more = len(lines) - WARNINGS_SHOWN
            QMessageBox.information(self.parent_widget, "Export", f"{summary_text(summary)}\n\n{shown}"
                                    + (f"\n... and {more:,} more" if more > 0 else ""))


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")

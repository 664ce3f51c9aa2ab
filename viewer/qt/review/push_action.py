"""Review > Push to Label Studio (Qt layer): a dialog (the server, --force, a dry run, the token when none is
stored), then core's Pusher over the session file on a thread of its own (StepsThread, its own connection: the
window's stays on the GUI thread), as a long action with progress and Cancel, then its summary. Cancel stops
after the task in flight: what was sent by then is on the server and recorded in the session. The keyring is
asked on threads too: a locked one may block or prompt.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox,
                               QVBoxLayout, QWidget)

from viewer.core.errors import LsviewError
from viewer.core.push.pusher import Pusher
from viewer.core.push.summary import PushSummary
from viewer.core.review.session import ReviewSession
from viewer.core.review.store import SessionStore
from viewer.core.server.client import LabelStudio
from viewer.core.server.credentials import find_token, remember
from viewer.core.server.http import HttpError
from viewer.core.server.project_link import ProjectLink
from viewer.core.steps import Progress, Steps
from viewer.core.steps_thread import StepsThread
from viewer.qt.task_names import window_text

if TYPE_CHECKING:
    from viewer.core.project import Project
    from viewer.qt.review.controller import ReviewController

PUSHING = "Pushing"  # the Progress doing of a push: a cancelled one keeps what it sent
CANCELLED_TEXT = "Push cancelled: the tasks sent so far are on the server and recorded in the session"
SUMMARY_LINES = 14
FORCE_TEXT = "Also push tasks changed on the server since the pull"
KEYRING_WAIT_MS = 3000  # a keyring that has not answered by then (locked, prompting) is not waited for


class PushDialog(QDialog):
    """What a push needs to know; the token field shows only when no token is found (--token's place)."""

    def __init__(self, link: ProjectLink, reviewed: int, token_needed: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Push to Label Studio")
        title = f" ({link.title})" if link.title else ""
        about = QLabel(f"Send the annotation of each of the {reviewed:,} reviewed task(s) to\n"
                       f"{link.server_url}, project {link.project_id}{title}.\n"
                       "A task pushed before is updated; nothing on the server is deleted.")
        self.force = QCheckBox(FORCE_TEXT)
        self.force.setToolTip("Their other annotations are kept (lsview push --force)")
        self.dry_run = QCheckBox("Only show what would be sent")
        self.dry_run.setToolTip("Nothing is written, on the server or in the session (lsview push --dry-run)")
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.force)
        layout.addWidget(self.dry_run)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("Personal Access Token (Account & Settings)")
        self.keep = QCheckBox("Keep it in the system keyring")
        self.keep.setChecked(True)
        if token_needed:
            form = QFormLayout()
            form.addRow("API token:", self.token)
            form.addRow("", self.keep)
            layout.addLayout(form)
        else:
            self.token.hide()
            self.keep.hide()
        self.token_needed = token_needed
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Push")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.token_needed and not self.token.text().strip():
            QMessageBox.warning(self, "Push to Label Studio", "Give an API token: the server needs one")
            return
        super().accept()


def summary_text(summary: PushSummary) -> str:
    """One line for the status bar."""
    head = "Dry run of the push (nothing written)" if summary.dry_run else "Pushed"
    stopped = "; stopped early" if summary.error is not None else ""
    return f"{head}: {summary.counts()}{stopped}"


def push_steps(project: Project, session_path: Path, link: ProjectLink, client: LabelStudio, *, dry_run: bool,
               force: bool, keep: Callable[[], None] | None = None) -> Steps[PushSummary]:
    """The push, on its thread: the window's session file opened again there (read-only for a dry run), its
    connection and the client's closed when the steps end however they end. `keep` is called once the server answered a
    request (every pushed task's first one reads it back): a token typed in the dialog is stored then."""
    try:
        session = ReviewSession(project, SessionStore(session_path, read_only=dry_run))
    except BaseException:
        client.close()
        raise
    try:
        pusher = Pusher(session, link, client, dry_run=dry_run, force=force)
        steps = pusher.steps()
        try:
            while True:
                try:
                    progress = next(steps)
                except StopIteration as stop:
                    return stop.value
                if keep is not None and client.http.requests and pusher.summary.error is None:
                    keep()
                    keep = None
                yield progress
        finally:
            steps.close()
    finally:
        client.close()
        session.close()


class _TokenLookup(QObject):
    """The token stored for a server, looked up on a daemon thread; `answered` comes back on the GUI thread."""

    answered = Signal(int, object)  # the lookup's number, the token (None: none found)

    def start(self, number: int, url: str) -> None:
        def run() -> None:
            try:
                token = find_token(url).token
            except LsviewError:
                token = None
            self.answered.emit(number, token)

        threading.Thread(target=run, name="lsview-keyring", daemon=True).start()


class PushToServer(QObject):
    """Asks (PushDialog), then runs the push on the controller's long actions; `say` puts text in the status bar."""

    token_not_kept = Signal()  # from the push's thread: no system keyring took the token typed in the dialog

    def __init__(self, parent: QWidget, say: Callable[[str], None]):
        super().__init__(parent)
        self.owner = parent
        self.say = say
        self.last: PushSummary | None = None
        self.refused: set[str] = set()  # servers that refused the token found for them: asked for another next
        self.running: StepsThread | None = None  # the last push's thread (a cancelled one finishes its task)
        self._lookup = _TokenLookup(self)
        self._lookup.answered.connect(self._on_lookup_answered)
        self.token_not_kept.connect(self._on_token_not_kept)
        self._asking: tuple[int, ReviewController] | None = None  # the lookup waited for, and for which session
        self._numbers = 0

    def ask(self, review: ReviewController) -> bool:
        """Look the token up, then the dialog, then the push; False when there is nothing to push to or a dialog
        is on its way already."""
        link = review.link
        if link is None or self._asking is not None:
            return False
        self._numbers += 1
        number = self._numbers
        self._asking = (number, review)
        if link.server_url in self.refused:
            QTimer.singleShot(0, lambda: self._on_lookup_answered(number, None))
            return True
        self._lookup.start(number, link.server_url)
        QTimer.singleShot(KEYRING_WAIT_MS, lambda: self._on_lookup_answered(number, None, late=True))
        return True

    def _on_lookup_answered(self, number: int, token: str | None, late: bool = False) -> None:
        if self._asking is None or self._asking[0] != number:
            return  # answered after the wait was given up, or the wait ended after the answer
        review = self._asking[1]
        self._asking = None
        if late:
            self.say("The system keyring did not answer: give the token")
        self._dialog(review, token)

    def _dialog(self, review: ReviewController, token: str | None) -> bool:
        link = review.link
        if link is None or review.closed:  # another file was opened while the keyring was asked
            return False
        dialog = PushDialog(link, review.reviewed_count(), token is None, self.owner)
        if link.server_url in self.refused:
            dialog.token.setPlaceholderText("The last token was refused: give another")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if token is None:
            token = dialog.token.text().strip()
        try:
            client = LabelStudio(link.server_url, token)
        except LsviewError as exc:
            self.say(window_text(str(exc)))
            return False
        keep = None
        if dialog.token_needed and dialog.keep.isChecked():
            url = link.server_url
            keep = lambda: remember(url, token) or self.token_not_kept.emit()  # noqa: E731
        # read here: the thread touches no widget, and opens the session file again on its own connection
        project, path = review.session.project, review.session.store.path
        dry_run, force = dialog.dry_run.isChecked(), dialog.force.isChecked()
        running = StepsThread(lambda: push_steps(project, path, link, client, dry_run=dry_run, force=force, keep=keep),
                              Progress(PUSHING, 0, 0), "lsview-push", after=self.running)
        started = review.start_push(running.steps(), lambda summary: self._on_push_done(link, summary))
        if started:
            self.running = running
        else:
            client.close()
        return started

    def _on_token_not_kept(self) -> None:
        self.say("No system keyring takes the token: it is used for this push only")

    def _on_push_done(self, link: ProjectLink, summary: PushSummary) -> None:
        self.last = summary
        if isinstance(summary.error, HttpError) and summary.error.status == 401:
            self.refused.add(link.server_url)
        else:
            self.refused.discard(link.server_url)
        self.say(summary_text(summary))
        # the command line's words for the dialog's check box
        lines = [line.replace("with --force", f"with \u201c{FORCE_TEXT}\u201d") for line in summary.lines()]
        if summary.error is not None:
            lines.append(f"Stopped early: {summary.error}")
        if not (summary.skipped or summary.error is not None or summary.dry_run):
            return
        shown = "\n".join(map(window_text, lines[:SUMMARY_LINES]))
        more = len(lines) - SUMMARY_LINES
        box = QMessageBox.warning if summary.error is not None else QMessageBox.information
        box(self.owner, "Push to Label Studio", shown + (f"\n... and {more:,} more" if more > 0 else ""))

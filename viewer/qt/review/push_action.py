"""Review > Push to Label Studio (Qt layer): a dialog (the server, --force, a dry run, the token when none is
stored), then core's Pusher over the open session as a long action with progress and Cancel, then its summary.
Cancel stops between two tasks: what was sent by then is on the server and recorded in the session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox,
                               QVBoxLayout, QWidget)

from viewer.core.errors import LsviewError
from viewer.core.push.pusher import Pusher
from viewer.core.push.summary import PushSummary
from viewer.core.server.client import LabelStudio
from viewer.core.server.credentials import find_token, remember
from viewer.core.server.http import HttpError
from viewer.core.server.project_link import ProjectLink
from viewer.core.steps import Steps
from viewer.qt.task_names import window_text

if TYPE_CHECKING:
    from viewer.qt.review.controller import ReviewController

PUSHING = "Pushing"  # the Progress doing of a push: a cancelled one keeps what it sent
CANCELLED_TEXT = "Push cancelled: the tasks sent so far are on the server and recorded in the session"
SUMMARY_LINES = 14
FORCE_TEXT = "Also push tasks changed on the server since the pull"


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


def push_steps(pusher: Pusher, client: LabelStudio) -> Steps[PushSummary]:
    """The push's steps, closing its connection when they end however they end (done, failed or cancelled)."""
    try:
        return (yield from pusher.steps())
    finally:
        client.close()


class PushToServer:
    """Asks (PushDialog), then runs the push on the controller's long actions; `say` puts text in the status bar."""

    def __init__(self, parent: QWidget, say: Callable[[str], None]):
        self.parent = parent
        self.say = say
        self.last: PushSummary | None = None
        self.refused: set[str] = set()  # servers that refused the token found for them: asked for another next

    def ask(self, review: ReviewController) -> bool:
        """The dialog, then the push; False when the dialog was cancelled or the push could not start."""
        link = review.link
        if link is None:
            return False
        try:
            token = find_token(link.server_url).token if link.server_url not in self.refused else None
        except LsviewError:
            token = None
        dialog = PushDialog(link, review.reviewed_count(), token is None, self.parent)
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
        if dialog.token_needed and dialog.keep.isChecked() and not remember(link.server_url, token):
            self.say("No system keyring takes the token: it is used for this push only")
        pusher = Pusher(review.session, link, client, dry_run=dialog.dry_run.isChecked(),
                        force=dialog.force.isChecked())
        return review.start_push(push_steps(pusher, client), lambda summary: self._on_push_done(link, summary))

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
        box(self.parent, "Push to Label Studio", shown + (f"\n... and {more:,} more" if more > 0 else ""))

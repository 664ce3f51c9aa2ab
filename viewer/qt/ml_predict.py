"""Review > Predict this task / Predict listed tasks: the open tasks sent to a Label Studio ML backend (its URL asked
once and remembered), as a long action with progress and Cancel; the predictions land in a predicted copy of the
task file, which opens with the same review session and the new model version set up in Compare against the
stored one.

Qt layer over viewer.core.mlbackend. Why a copy and not the session: the copy is what every command and Label Studio
read (validate, export, push-predictions see the new predictions), it is written whole and never over the open
file, and the session keeps the review of the tasks by their id or data, so nothing of the review is lost; it is
remembered in Open Recent with that session, so a restart opens it as it was.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QWidget

from viewer.core.errors import LsviewError
from viewer.core.mlbackend.client import BasicAuth
from viewer.core.mlbackend.reach import unreachable_media
from viewer.core.mlbackend.run import PredictOptions, PredictSummary, next_output, predict_steps
from viewer.core.view_state import ViewState
from viewer.qt.loader import OpenRequest
from viewer.qt.review.long_action import LongActions
from viewer.qt.task_names import window_text
from viewer.qt.widgets.progress_dialog import ProgressDialog

URL_KEY = "ml_backend/url"
USER_KEY = "ml_backend/user"
SUMMARY_LINES = 25
TITLE = "Predict"


class BackendDialog(QDialog):
    """The backend's URL and, when it wants HTTP Basic auth, the user and password (the password is kept for this
    run of lsview only, never written)."""

    def __init__(self, url: str, user: str, password: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("ML backend")
        self.url = QLineEdit(url)
        self.url.setMinimumWidth(360)
        self.url.setPlaceholderText("http://localhost:9090")
        self.user = QLineEdit(user)
        self.user.setPlaceholderText("only when the backend wants HTTP Basic auth")
        self.password = QLineEdit(password)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        note = QLabel("The backend fetches each task's media by URL itself: images on this computer reach it only "
                      "if it runs here too.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Backend URL:", self.url)
        form.addRow("User:", self.user)
        form.addRow("Password:", self.password)
        form.addRow(note)
        form.addRow(buttons)

    def accept(self) -> None:  # Qt's slot: OK
        if not self.url.text().strip().lower().startswith(("http://", "https://")):
            QMessageBox.warning(self, "ML backend", "Give the backend's URL, e.g. http://localhost:9090")
            return
        super().accept()


class Predictor(QObject):
    """Runs the predictions of the window. `current()` is the open request, `listed()` the task list's task
    indices, `open_request` opens the copy written, `compare_new` sets Compare up for the new model version."""

    def __init__(self, parent: QWidget, state: ViewState, settings: QSettings, *,
                 current: Callable[[], OpenRequest | None], listed: Callable[[], list[int]],
                 open_request: Callable[[OpenRequest], None], compare_new: Callable[[str], None],
                 show_message: Callable[[str], None]):
        super().__init__(parent)
        self._parent, self.state, self.settings = parent, state, settings
        self._current, self._listed, self._open = current, listed, open_request
        self._compare_new, self._say = compare_new, show_message
        self._password = ""
        self.long = LongActions(self._on_long_failed, self)
        self.progress = ProgressDialog(parent)
        self.long.started.connect(self.progress.begin)
        self.long.progressed.connect(self.progress.show_progress)
        self.long.finished.connect(self.progress.end)
        self.progress.cancel_requested.connect(self.long.cancel)
        self.long.cancelled.connect(self._on_long_cancelled)
        self.last: PredictSummary | None = None

    @property
    def url(self) -> str:
        return str(self.settings.value(URL_KEY, "") or "")

    def configure(self) -> bool:
        """Ask for the backend (URL remembered in the settings); False when the dialog was cancelled."""
        user = str(self.settings.value(USER_KEY, "") or "")
        dialog = BackendDialog(self.url, user, self._password, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.settings.setValue(URL_KEY, dialog.url.text().strip())
        self.settings.setValue(USER_KEY, dialog.user.text().strip())
        self._password = dialog.password.text()
        return True

    def _auth(self) -> BasicAuth | None:
        user = str(self.settings.value(USER_KEY, "") or "")
        if user:
            return BasicAuth(user, self._password)
        return BasicAuth.from_environment()

    def predict_task(self) -> bool:
        return self.start([self.state.index] if self.state.task() is not None else [])

    def predict_listed(self) -> bool:
        return self.start(list(self._listed()))

    def start(self, indices: list[int]) -> bool:
        """Predict these tasks of the open project; False when it could not start (said why)."""
        request, project = self._current(), self.state.project
        if request is None or project is None or not indices:
            self._say("Predict: open tasks first (and list some)")
            return False
        if project.config.inferred:
            QMessageBox.information(self._parent, TITLE, "Open the tasks with their labeling config to predict: "
                                    "the backend makes its results for the config's controls.")
            return False
        if not self.url and not self.configure():
            return False
        if not self._media_reachable(project, indices):
            return False
        review = self.state.review
        session = str(review.path) if review is not None else request.session
        try:
            options = PredictOptions(self.url, next_output(request.tasks), auth=self._auth())
            steps = predict_steps(project, indices, options)
        except LsviewError as exc:
            self._on_long_failed(window_text(str(exc)))
            return False
        # at_once 0: a call waits on the network, so even one task runs in slices, and Cancel answers
        return self.long.start(steps, lambda summary: self._on_predict_done(summary, request, session),
                               at_once=0)

    def _media_reachable(self, project, indices: list[int]) -> bool:
        """Said before the call: media the backend cannot fetch (it reads each image by URL itself). Whether to
        go on all the same (a backend on this computer may read absolute paths)."""
        lines = unreachable_media(project, [project.tasks[index] for index in indices]).lines()
        if not lines:
            return True
        text = "\n\n".join(map(window_text, lines)) + "\n\nSend the tasks all the same?"
        answer = QMessageBox.question(self._parent, TITLE, text)
        return answer == QMessageBox.StandardButton.Yes

    def _on_predict_done(self, summary: PredictSummary, request: OpenRequest, session: str | None) -> None:
        self.last = summary
        if summary.versions:
            self._compare_new(summary.versions.most_common(1)[0][0])
        self._open(OpenRequest(summary.path, request.config, request.root, session))
        lines = summary.lines()
        shown = "\n".join(map(window_text, lines[:SUMMARY_LINES]))
        more = len(lines) - SUMMARY_LINES
        box = QMessageBox.warning if summary.errors or summary.failed else QMessageBox.information
        box(self._parent, TITLE, shown + (f"\n... and {more:,} more" if more > 0 else ""))

    def _on_long_cancelled(self, _doing: str) -> None:
        self._say("Predict cancelled: nothing was written")

    def _on_long_failed(self, message: str) -> None:
        QMessageBox.warning(self._parent, "Predict failed", message)

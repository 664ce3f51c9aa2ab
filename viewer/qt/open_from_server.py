"""File > Open from Label Studio: a dialog (server, token, project, folder), the pull on a worker thread with
progress and Cancel, then the pulled folder opened. Qt layer over viewer.core.server. The keyring and the project
listing are asked on threads too, and nothing waits for them: a locked keyring or a silent server freezes nothing.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Callable, NamedTuple

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget)

from viewer.core.download import CancelToken
from viewer.core.errors import DownloadCancelled, LsviewError
from viewer.core.server import credentials
from viewer.core.server.project_link import load_link
from viewer.qt.loader import OpenRequest
from viewer.qt.task_names import window_text
from viewer.qt.widgets.progress_dialog import ProgressDialog

DEFAULT_URL = "http://localhost:8080"


class PullProgress(NamedTuple):
    """What ProgressDialog shows: a line of text and a bar (total 0: busy, no measure)."""
    text: str
    done: int
    total: int


class Worker(QObject):
    """Runs one job at a time on a pool thread; its outcome comes back as signals (queued to the GUI thread).

    Not LongActions: a network request cannot be cut into GUI-thread slices the way review steps are. Cancel flips
    the job's CancelToken, which the pull checks between requests; nothing is written when it stops."""

    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.busy = False

    def start(self, job: Callable[[], object]) -> None:
        self.busy = True
        self.pool.start(lambda: self._run(job))

    def _run(self, job: Callable[[], object]) -> None:
        try:
            result = job()
        except DownloadCancelled:
            self.cancelled.emit()
        except LsviewError as exc:
            self.failed.emit(window_text(str(exc)))
        except Exception as exc:  # a bug of ours must not end the thread silently
            sys.excepthook(type(exc), exc, exc.__traceback__)
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result)
        finally:
            self.busy = False
            self.finished.emit()

    def wait(self) -> None:
        self.pool.waitForDone()


def _list_projects(url: str, token: str) -> list[dict]:
    from viewer.core.server.client import LabelStudio

    with LabelStudio(url, token, retries=1) as client:
        return client.projects()


class Asking(QObject):
    """One question at a time on a daemon thread (the project listing, the stored token), its answer coming back
    as signals; abandon() drops the question under way: its thread ends on its own (a request by its timeout), its
    answer unheard, and nobody waits for it. Not Worker, whose pool a closing dialog would have to wait for."""

    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()
    _answered = Signal(int, bool, object)  # from the thread: the question's number, whether it worked, the answer

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._number = 0
        self.busy = False
        self._answered.connect(self._on_self_answered)

    def start(self, job: Callable[[], object]) -> None:
        self._number += 1
        number, answered = self._number, self._answered
        self.busy = True

        def run() -> None:
            try:
                answer, worked = job(), True
            except LsviewError as exc:
                answer, worked = window_text(str(exc)), False
            except Exception as exc:  # a bug of ours must not end the thread silently
                sys.excepthook(type(exc), exc, exc.__traceback__)
                answer, worked = f"internal error: {type(exc).__name__}: {exc}", False
            try:
                answered.emit(number, worked, answer)
            except RuntimeError:  # the dialog, and this object with it, is gone: nobody is listening
                pass

        threading.Thread(target=run, name="lsview-ask", daemon=True).start()

    def abandon(self) -> None:
        self._number += 1
        self.busy = False

    def _on_self_answered(self, number: int, worked: bool, answer: object) -> None:
        if number != self._number:
            return  # abandoned, or asked again since
        self.busy = False
        if worked:
            self.succeeded.emit(answer)
        else:
            self.failed.emit(answer)
        self.finished.emit()


class ServerDialog(QDialog):
    """Server URL, token (a password field, filled from the keyring), the project from the server's list, the
    folder to pull into."""

    def __init__(self, parent: QWidget | None = None, url: str = DEFAULT_URL, folder: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Open from Label Studio")
        self.url = QLineEdit(url)
        self.url.setMinimumWidth(380)
        self.url.setPlaceholderText("http://localhost:8080")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("Personal Access Token (Account & Settings), or a legacy token")
        self.remember = QCheckBox("Remember the token in the system keyring")
        self.remember.setChecked(True)
        self.project = QComboBox()
        self.project.setMinimumContentsLength(30)
        self.list_button = QPushButton("List projects")
        self.list_button.clicked.connect(self._on_list_button_clicked)
        self.folder = QLineEdit(folder)
        self.folder.setPlaceholderText("a new or empty folder, or one pulled before (pulled again)")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Pull and open")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Server:", self.url)
        form.addRow("Token:", self.token)
        form.addRow("", self.remember)
        row = QHBoxLayout()
        row.addWidget(self.project, 1)
        row.addWidget(self.list_button)
        form.addRow("Project:", row)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(browse)
        form.addRow("Pull into:", row)
        form.addRow(self.buttons)
        self.lister = Asking(self)
        self.lister.succeeded.connect(self._on_lister_succeeded)
        self.lister.failed.connect(self._on_lister_failed)
        self.lister.finished.connect(lambda: self.list_button.setEnabled(True))
        self.keyring = Asking(self)
        self.keyring.succeeded.connect(self._on_keyring_succeeded)
        self.url.editingFinished.connect(self._on_url_editing_finished)
        self._on_url_editing_finished()

    def _on_url_editing_finished(self) -> None:
        url = self.url.text().strip()
        if not self.token.text() and url:
            self.keyring.start(lambda: (url, credentials.known_token(url)))

    def _on_keyring_succeeded(self, answer: tuple[str, str]) -> None:
        url, stored = answer
        if stored and not self.token.text() and self.url.text().strip() == url:  # nothing typed meanwhile
            self.token.setText(stored)

    def _on_list_button_clicked(self) -> None:
        url, token = self.url.text().strip(), self.token.text().strip()
        if not url or not token:
            QMessageBox.warning(self, "Open from Label Studio", "Give the server URL and a token first.")
            return
        self.list_button.setEnabled(False)
        self.project.clear()
        self.project.addItem("Listing the projects ...", None)
        self.lister.start(lambda: _list_projects(url, token))

    def _on_lister_succeeded(self, projects: list) -> None:
        self.project.clear()
        for item in projects:
            if isinstance(item, dict) and isinstance(item.get("id"), int):
                count = item.get("task_number")
                tasks = f", {count:,} tasks" if isinstance(count, int) else ""
                self.project.addItem(f"{item.get('title') or 'untitled'} (id {item['id']}{tasks})", item["id"])
        if self.project.count() == 0:
            self.project.addItem("(no project on this server for this user)", None)

    def _on_lister_failed(self, message: str) -> None:
        self.project.clear()
        QMessageBox.warning(self, "Open from Label Studio", message)

    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Pull into", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def project_id(self) -> int | None:
        value = self.project.currentData()
        return value if isinstance(value, int) else None

    def problem(self) -> str | None:
        if not self.url.text().strip():
            return "Give the server URL."
        if not self.token.text().strip():
            return "Give a token: a Personal Access Token from the server's Account & Settings page."
        if self.project_id() is None:
            return "Pick a project (List projects asks the server)."
        if not self.folder.text().strip():
            return "Choose the folder to pull into."
        return None

    def accept(self) -> None:  # Qt's slot: the Pull and open button
        problem = self.problem()
        if problem is not None:
            QMessageBox.warning(self, "Open from Label Studio", problem)
            return
        super().accept()

    def done(self, result: int) -> None:  # any way the dialog closes: a listing under way is not waited for
        self.lister.abandon()
        self.keyring.abandon()
        super().done(result)


class ServerPuller(QObject):
    """Asks with a ServerDialog, pulls on a worker thread (progress, Cancel: nothing written), remembers the token
    once the pull worked, then opens DIR/tasks.json with DIR/config.xml through `open_request`."""

    pulled = Signal(object)   # the PullResult, before the folder is opened

    def __init__(self, parent: QWidget, open_request: Callable[[OpenRequest], None],
                 show_message: Callable[[str], None] = lambda text: None):
        super().__init__(parent)
        self._parent = parent
        self._open = open_request
        self._say = show_message
        self.worker = Worker(self)
        self.progress = ProgressDialog(parent)
        self.worker.progressed.connect(self._on_worker_progressed)
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.cancelled.connect(self._on_worker_cancelled)
        self.worker.finished.connect(self.progress.end)
        self.progress.cancel_requested.connect(self.cancel)
        self._cancel: CancelToken | None = None
        self._folder: Path | None = None
        self.last_url = DEFAULT_URL

    def ask(self) -> bool:
        dialog = ServerDialog(self._parent, self.last_url)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.start(dialog.url.text().strip(), dialog.token.text().strip(), dialog.project_id(),
                          os.path.expanduser(dialog.folder.text().strip()), dialog.remember.isChecked())

    def start(self, url: str, token: str, project_id: int, folder: str, remember: bool) -> bool:
        """Pull in the background; False when a pull is under way already or the folder cannot take it."""
        if self.worker.busy:
            self._say("A pull is under way: wait for it, or cancel it")
            return False
        try:
            link = load_link(folder)
        except LsviewError as exc:
            QMessageBox.warning(self._parent, "Open from Label Studio", window_text(str(exc)))
            return False
        # a folder pulled from this very project before is pulled again (its review session stays mapped)
        update = link is not None and link.server_url == url.rstrip("/") and link.project_id == project_id
        self.last_url = url
        self._folder = Path(folder)
        self._cancel = cancel = CancelToken()

        def job():
            from viewer.core.server.client import LabelStudio
            from viewer.core.server.pull import pull_project

            with LabelStudio(url, token) as client:
                result = pull_project(client, project_id, folder, update=update,
                                      progress=self.worker.progressed.emit, cancel=cancel)
            # the token worked: kept now, on this thread (a locked keyring may block or prompt)
            return result, not remember or credentials.remember(url, token)

        self.progress.begin(PullProgress(f"Pulling project {project_id} from {url} ...", 0, 0))
        self.worker.start(job)
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self.progress.label.setText("Cancelling after the request under way ...")

    def wait(self) -> None:
        self.worker.wait()

    def _on_worker_progressed(self, message: str, done: int, total: int) -> None:
        if self._cancel is None or not self._cancel.cancelled:
            self.progress.show_progress(PullProgress(message, done, total))

    def _on_worker_succeeded(self, answer) -> None:
        result, kept = answer
        folder = self._folder
        if not kept:
            self._say("No system keyring is available: the token was not remembered")
        self.pulled.emit(result)
        failed = f"; {len(result.media_failed):,} media not fetched" if result.media_failed else ""
        self._say(f"Pulled {result.tasks:,} tasks into {folder}{failed}")
        self._open(OpenRequest(str(folder / "tasks.json"), str(folder / "config.xml")))
        if result.media_failed:
            shown = "\n".join(window_text(m) for m in result.media_failed[:10])
            QMessageBox.warning(self._parent, "Open from Label Studio",
                                f"{len(result.media_failed):,} media could not be fetched:\n{shown}")

    def _on_worker_failed(self, message: str) -> None:
        QMessageBox.warning(self._parent, "Pull failed", message)

    def _on_worker_cancelled(self) -> None:
        self._say("Pull cancelled: nothing was written")

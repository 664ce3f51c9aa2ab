"""File > Open from Label Studio is in the File menu and asks with its dialog (the pull itself is tested against
the real server in tests/server/test_open_from_server.py)."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit


@pytest.fixture
def memory_keyring(monkeypatch):
    """The dialog looks for a stored token: in memory, never in the real keyring."""
    import keyring

    from tests.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    yield
    keyring.set_keyring(previous)


def test_the_file_menu_opens_the_server_dialog(window, monkeypatch, memory_keyring):
    from viewer.qt.open_from_server import ServerDialog

    file_menu = window.menuBar().actions()[0].menu()
    action = window.actions_by_name["open_server"]
    assert action in file_menu.actions() and action.text() == "Open from &Label Studio..."
    shown = []

    def exec_(dialog):
        shown.append((dialog.windowTitle(), dialog.url.text(), dialog.token.echoMode()))
        return QDialog.DialogCode.Rejected
    monkeypatch.setattr(ServerDialog, "exec", exec_)
    action.trigger()
    assert shown == [("Open from Label Studio", "http://localhost:8080", QLineEdit.EchoMode.Password)]
    assert window.puller is not None and not window.puller.worker.busy


def test_closing_the_dialog_does_not_wait_for_a_listing_or_the_keyring(qtbot, monkeypatch, memory_keyring):
    from viewer.core.server import credentials
    from viewer.qt import open_from_server

    silent = threading.Event()  # a server, and a locked keyring, that do not answer until the test ends
    asked = []
    monkeypatch.setattr(credentials, "stored_token", lambda url: asked.append(url) or silent.wait(5) and None)
    monkeypatch.setattr(open_from_server, "_list_projects", lambda url, token: silent.wait(5) and [])
    started = time.perf_counter()
    dialog = open_from_server.ServerDialog(None, "http://127.0.0.1:9")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: asked == ["http://127.0.0.1:9"])
    dialog.token.setText("typed")
    dialog.list_button.click()
    dialog.reject()
    seconds = time.perf_counter() - started
    silent.set()
    assert seconds < 1, f"the dialog took {seconds:.1f} s to open and close"
    assert dialog.result() == dialog.DialogCode.Rejected and not dialog.lister.busy
    qtbot.wait(100)  # the abandoned answers arrive now: heard by nobody
    assert dialog.token.text() == "typed"

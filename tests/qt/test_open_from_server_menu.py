"""File > Open from Label Studio is in the File menu and asks with its dialog (the pull itself is tested against
the real server in tests/server/test_open_from_server.py)."""

from __future__ import annotations

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

"""Review > Push to Label Studio against a real server: the pulled tasks reviewed in the window reach the server
as annotations, as a long action; a token typed in the dialog is used (and offered to the keyring)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.qt.review_project import open_window
from tests.server.test_push import accept, annotations, pulled

pytest.importorskip("pytestqt")


def test_the_window_pushes_the_reviewed_tasks(qtbot, label_studio, tmp_path, monkeypatch):
    from viewer.qt.review import push_action

    folder, _project, ids = pulled(label_studio, tmp_path, tasks=2)
    accept(folder)
    window = open_window(qtbot, tmp_path, folder / "tasks.json", folder / "config.xml")
    window.review_desk.review.set_status(1, "rejected")
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    monkeypatch.setattr(push_action, "find_token", lambda url: (_ for _ in ()).throw(push_action.LsviewError("no")))
    kept = []
    monkeypatch.setattr(push_action, "remember", lambda url, token: kept.append((url, token)) or True)

    def typed(dialog) -> int:
        dialog.token.setText(label_studio.token)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(push_action.PushDialog, "exec", typed)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    review = window.review_desk.review
    with qtbot.waitSignal(review.long.finished, timeout=60_000):
        window.actions_by_name["push"].trigger()
    assert window.review_actions.pushing.last.counts() == "created 2, updated 0, unchanged 0, skipped 0"
    assert "Pushed: created 2" in window.statusBar().currentMessage()
    assert kept == [(label_studio.url, label_studio.token)]
    assert [[a["was_cancelled"] for a in annotations(label_studio, t)] for t in ids] == [[False], [True]]
    assert window.actions_by_name["push"].isEnabled()  # the long action is over
    assert shown == []  # nothing skipped: the status bar says it all

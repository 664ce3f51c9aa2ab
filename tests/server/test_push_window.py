"""Review > Push to Label Studio against a real server: the pulled tasks reviewed in the window reach the server
as annotations, as a long action; a token typed in the dialog is used (and offered to the keyring)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as tests/qt/conftest.py: before anything imports Qt

import pytest  # noqa: E402
from PySide6.QtWidgets import QDialog, QMessageBox  # noqa: E402

from tests.qt.review_project import open_window  # noqa: E402
from tests.server.test_push import accept, annotations, pulled  # noqa: E402

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


def test_a_push_cancelled_in_the_window_keeps_what_it_sent_and_the_next_one_sends_the_rest(qtbot, label_studio,
                                                                                            tmp_path, monkeypatch):
    from viewer.qt.review import push_action

    folder, _project, ids = pulled(label_studio, tmp_path, tasks=4)
    accept(folder)
    window = open_window(qtbot, tmp_path, folder / "tasks.json", folder / "config.xml")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    monkeypatch.setattr(push_action.PushDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    review = window.review_desk.review
    with qtbot.waitSignal(review.long.progressed, timeout=60_000):
        window.actions_by_name["push"].trigger()
    with qtbot.waitSignal(review.long.cancelled, timeout=10_000):
        window.review_desk.progress.reject()  # the progress dialog's Cancel
    assert window.statusBar().currentMessage() == push_action.CANCELLED_TEXT
    sent = sum(len(annotations(label_studio, t)) for t in ids)
    assert 1 <= sent < 4
    with qtbot.waitSignal(review.long.finished, timeout=60_000):
        window.actions_by_name["push"].trigger()
    assert window.review_actions.pushing.last.counts() == f"created {4 - sent}, updated 0, unchanged {sent}, skipped 0"
    assert [len(annotations(label_studio, t)) for t in ids] == [1, 1, 1, 1]


def test_a_refused_token_is_said_and_another_is_asked_for_next_time(qtbot, label_studio, tmp_path, monkeypatch):
    from viewer.qt.review import push_action

    folder, _project, ids = pulled(label_studio, tmp_path, tasks=1)
    accept(folder)
    window = open_window(qtbot, tmp_path, folder / "tasks.json", folder / "config.xml")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "f" * 40)  # a token is found, and the server refuses it
    asked = []

    def answer(dialog) -> int:
        asked.append(dialog.token_needed)
        if dialog.token_needed:
            dialog.token.setText(label_studio.token)
            dialog.keep.setChecked(False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(push_action.PushDialog, "exec", answer)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warned.append(text))
    review = window.review_desk.review
    with qtbot.waitSignal(review.long.finished, timeout=60_000):
        window.actions_by_name["push"].trigger()
    assert len(warned) == 1 and "Stopped early" in warned[0] and "401" in warned[0]
    assert "stopped early" in window.statusBar().currentMessage()
    with qtbot.waitSignal(review.long.finished, timeout=60_000):
        window.actions_by_name["push"].trigger()
    assert asked == [False, True]
    assert window.review_actions.pushing.last.counts() == "created 1, updated 0, unchanged 0, skipped 0"
    assert len(annotations(label_studio, ids[0])) == 1

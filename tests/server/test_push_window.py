"""Review > Push to Label Studio against a real server: the pulled tasks reviewed in the window reach the server
as annotations, as a long action; a token typed in the dialog is used (and offered to the keyring)."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as tests/qt/conftest.py: before anything imports Qt

import pytest  # noqa: E402
from PySide6.QtWidgets import QDialog, QMessageBox  # noqa: E402

from tests.qt.review_project import open_window  # noqa: E402
from tests.server.test_push import accept, annotations, pulled  # noqa: E402
from viewer.core.server.project_link import load_link, save_link  # noqa: E402

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
    assert review.reviewed_count() == 4  # what `accept` did is there (a shared server under load can fail it)
    with qtbot.waitSignal(review.long.progressed, timeout=60_000, check_params_cb=lambda p: p.done >= 1):
        window.actions_by_name["push"].trigger()
    with qtbot.waitSignal(review.long.cancelled, timeout=10_000):
        window.review_desk.progress.reject()  # the progress dialog's Cancel
    assert window.statusBar().currentMessage() == push_action.CANCELLED_TEXT
    assert window.review_actions.pushing.running.join(30)  # the push's thread ends after the task in flight
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


def test_a_typed_token_is_kept_only_once_the_server_took_it(qtbot, label_studio, tmp_path, monkeypatch):
    from viewer.qt.review import push_action

    folder, _project, ids = pulled(label_studio, tmp_path, tasks=1)
    accept(folder)
    window = open_window(qtbot, tmp_path, folder / "tasks.json", folder / "config.xml")
    monkeypatch.setattr(push_action, "find_token", lambda url: (_ for _ in ()).throw(push_action.LsviewError("no")))
    kept = []
    monkeypatch.setattr(push_action, "remember", lambda url, token: kept.append(token) or True)
    typed = iter(["f" * 40, label_studio.token])

    def answer(dialog) -> int:
        dialog.token.setText(next(typed))  # "Keep it in the system keyring" stays checked
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(push_action.PushDialog, "exec", answer)
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    review = window.review_desk.review
    with qtbot.waitSignal(review.long.finished, timeout=60_000):
        window.actions_by_name["push"].trigger()
    assert "stopped early" in window.statusBar().currentMessage()
    assert kept == []  # refused (401): not kept
    with qtbot.waitSignal(review.long.finished, timeout=60_000):
        window.actions_by_name["push"].trigger()
    assert window.review_actions.pushing.last.counts() == "created 1, updated 0, unchanged 0, skipped 0"
    assert kept == [label_studio.token]


DELAY_S = 1.0  # each request through the slow proxy takes this much longer


def slow_proxy(target: str) -> ThreadingHTTPServer:
    """A server in front of `target` answering each request DELAY_S late (a slow server, a slow link)."""
    class Slow(BaseHTTPRequestHandler):
        def forward(self) -> None:
            time.sleep(DELAY_S)
            length = int(self.headers.get("Content-Length") or 0)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
            answer = httpx.request(self.command, target + self.path, headers=headers,
                                   content=self.rfile.read(length) if length else None, timeout=60)
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PATCH = forward

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_push_to_a_slow_server_leaves_the_window_responsive(qtbot, label_studio, tmp_path, monkeypatch):
    from PySide6.QtCore import QTimer

    from viewer.qt.review import push_action

    folder, _project, ids = pulled(label_studio, tmp_path, tasks=2)
    accept(folder)
    proxy = slow_proxy(label_studio.url)
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        save_link(folder, dataclasses.replace(load_link(folder), server_url=url))
        window = open_window(qtbot, tmp_path, folder / "tasks.json", folder / "config.xml")
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
        monkeypatch.setattr(push_action.PushDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
        ticks = []
        watch = QTimer()
        watch.setInterval(10)
        watch.timeout.connect(lambda: ticks.append(time.perf_counter()))
        watch.start()
        review = window.review_desk.review
        with qtbot.waitSignal(review.long.finished, timeout=60_000):
            window.actions_by_name["push"].trigger()
        watch.stop()
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert window.review_actions.pushing.last.counts() == "created 2, updated 0, unchanged 0, skipped 0"
    assert [len(annotations(label_studio, t)) for t in ids] == [1, 1]
    assert ticks[-1] - ticks[0] > 4 * DELAY_S  # the push took its time (three requests a task) ...
    stall = max(b - a for a, b in zip(ticks, ticks[1:]))
    assert stall < 0.1, f"the event loop stalled {stall:.3f} s"  # ... and the event loop went on meanwhile

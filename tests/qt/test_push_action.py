"""Review > Push to Label Studio is there only for tasks `lsview pull` wrote (lsview-project.json beside them), and
says why it is off otherwise; its dialog asks for a token only when none is found. The push itself runs against a
real server in tests/server/test_push_window.py."""

from __future__ import annotations

import json
import threading
import time

from PySide6.QtWidgets import QDialog

from tests.qt.review_project import make_review_project, open_window
from viewer.core.server.project_link import ProjectLink, save_link, task_states


def test_push_is_off_for_tasks_not_pulled_from_a_server(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    push = window.actions_by_name["push"]
    assert not push.isEnabled()
    assert "lsview pull" in push.statusTip()
    review_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Review")
    assert push in review_menu.actions()


def test_push_is_on_for_pulled_tasks_and_names_their_server(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    save_link(tmp_path, ProjectLink("http://ls.example:8080", 12, "2026-12-05T10:00:00Z", title="cars",
                                    tasks=task_states(json.loads(tasks.read_text()))))
    window = open_window(qtbot, tmp_path, tasks, config)
    push = window.actions_by_name["push"]
    assert push.isEnabled()
    assert push.statusTip().endswith("to http://ls.example:8080, project 12")


def test_a_broken_link_file_turns_push_off_and_says_why(qtbot, tmp_path):
    tasks, config = make_review_project(tmp_path)
    (tmp_path / "lsview-project.json").write_text("{not json", encoding="utf-8")
    window = open_window(qtbot, tmp_path, tasks, config)
    push = window.actions_by_name["push"]
    assert not push.isEnabled()
    assert "Push to Label Studio is off" in push.statusTip() and "lsview-project.json" in push.statusTip()


def test_the_dialog_asks_for_a_token_only_when_none_is_found(qtbot, tmp_path, monkeypatch):
    from viewer.qt.review import push_action

    tasks, config = make_review_project(tmp_path)
    save_link(tmp_path, ProjectLink("http://127.0.0.1:9", 12, "now", tasks=task_states(json.loads(tasks.read_text()))))
    window = open_window(qtbot, tmp_path, tasks, config)
    seen = []

    def cancel(dialog) -> int:
        seen.append((dialog.token_needed, dialog.token.isVisibleTo(dialog)))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(push_action.PushDialog, "exec", cancel)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "0123456789abcdef")
    window.actions_by_name["push"].trigger()  # the keyring is asked on a thread: the dialog follows its answer
    qtbot.waitUntil(lambda: len(seen) == 1)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY")
    monkeypatch.setattr(push_action, "find_token", lambda url: (_ for _ in ()).throw(push_action.LsviewError("none")))
    window.actions_by_name["push"].trigger()
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == [(False, False), (True, True)]
    assert not window.review_desk.review.busy


def test_a_keyring_that_does_not_answer_blocks_nothing_and_the_dialog_asks_for_the_token(qtbot, tmp_path,
                                                                                          monkeypatch):
    from viewer.qt.review import push_action

    tasks, config = make_review_project(tmp_path)
    save_link(tmp_path, ProjectLink("http://127.0.0.1:9", 12, "now", tasks=task_states(json.loads(tasks.read_text()))))
    window = open_window(qtbot, tmp_path, tasks, config)
    locked = threading.Event()  # a locked Secret Service, its unlock prompt not answered

    def find_token(url):
        locked.wait(10)
        raise push_action.LsviewError("the keyring is locked")

    monkeypatch.setattr(push_action, "find_token", find_token)
    monkeypatch.setattr(push_action, "KEYRING_WAIT_MS", 300)
    seen = []

    def cancel(dialog) -> int:
        seen.append(dialog.token_needed)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(push_action.PushDialog, "exec", cancel)
    started = time.perf_counter()
    window.actions_by_name["push"].trigger()
    returned = time.perf_counter() - started
    qtbot.waitUntil(lambda: seen == [True], timeout=5_000)
    locked.set()
    assert returned < 0.2, f"the push action took {returned:.1f} s to return"
    assert "keyring did not answer" in window.statusBar().currentMessage()

"""What the session file cannot hold is refused clearly, and what it can is read back exactly."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core.errors import SessionError
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession


def open_session(tmp_path, *results):
    make_image(tmp_path / "img" / "a.png")
    tasks_path, config_path = write_project(tmp_path, [])
    tasks_path.write_text(json.dumps([image_task(*results)]), encoding="ascii")  # lone surrogates as escapes
    return ReviewSession.open(open_project(tasks_path, config_path))


def reopened(session: ReviewSession) -> ReviewSession:
    session.close()
    return ReviewSession.open(session.project, session.store.path)


def test_a_lone_surrogate_in_a_results_text_is_kept_exactly(tmp_path):
    box = rect("r1")
    box["value"]["text"] = ["half \ud83d of a pair"]
    session = open_session(tmp_path, box)
    task = session.project.tasks[0]
    assert session.accept(task, session.prediction_regions(task)) is not None
    again = reopened(session)
    assert again.working_results(task)[0]["value"]["text"] == ["half \ud83d of a pair"]


def test_a_region_id_with_a_lone_surrogate_is_refused_with_nothing_saved(tmp_path):
    session = open_session(tmp_path, rect("r\udc00"))
    task = session.project.tasks[0]
    with pytest.raises(SessionError, match=r"task 0 \(id 1\): a region id holds a lone surrogate .* nothing"):
        session.accept(task, session.prediction_regions(task))
    assert session.record(task).decisions == {} and session.history.undo_label is None
    assert reopened(session).record(task).decisions == {}


def test_results_nested_too_deeply_to_save_are_refused_with_nothing_saved(tmp_path):
    box = rect("r1")
    box["value"]["extra"] = "DEEP"
    session = open_session(tmp_path, box)
    # orjson reads lists nested 1,010 deep (the file reader takes them); Python's json cannot write them back
    path = session.project.tasks_path
    Path(path).write_text(Path(path).read_text().replace('"DEEP"', "[" * 1010 + "]" * 1010))
    session.close()
    session = ReviewSession.open(open_project(path, tmp_path / "config.xml"))
    task = session.project.tasks[0]
    with pytest.raises(SessionError, match=r"task 0: its working annotation is nested too deeply"):
        session.accept(task, session.prediction_regions(task))
    assert session.working_results(task) is None and reopened(session).working_results(task) is None


def test_a_task_id_or_a_file_name_with_a_lone_surrogate_is_kept_escaped(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    _, config_path = write_project(tmp_path, [])
    tasks_path = tmp_path / "t\udce9.json"  # a Latin-1 file name as Python sees it on a UTF-8 system
    tasks_path.write_text(json.dumps([image_task(rect("r1"), task_id="half \ud800"), image_task(rect("r2"))]),
                          encoding="ascii")
    session = ReviewSession.open(open_project(tasks_path, config_path))
    command = session.accept_above(session.project.tasks, float("-inf"))
    assert command.label == "Accept 2 regions"
    again = reopened(session)
    assert [len(again.record(task).decisions) for task in again.project.tasks] == [1, 1]


@pytest.mark.parametrize("damage, said", [
    ("UPDATE meta SET value = 'abc' WHERE key = 'schema'", "its schema is 'abc', not a number"),
    ("UPDATE meta SET value = 'zz' WHERE key = 'revision'", "its revision is 'zz', not a number"),
    ("UPDATE tasks SET results = '{not json'", "task row 'id:1': its working annotation is not a JSON list"),
    ("UPDATE tasks SET lead_time = 'x'", "task row 'id:1': its time spent is 'x', not a number of seconds"),
    ("UPDATE tasks SET status = 'done?'", "task row 'id:1': its status is 'done?'"),
    ("UPDATE decisions SET decision = 'maybe'", "a decision of task row 'id:1'"),
])
def test_a_damaged_session_file_is_refused_naming_what_is_wrong(tmp_path, damage, said):
    import sqlite3

    from viewer.core.errors import InputError

    session = open_session(tmp_path, rect("r1"))
    task = session.project.tasks[0]
    session.accept(task, session.prediction_regions(task))
    session.add_lead_time(task, 2.0)
    path = session.store.path
    session.close()
    with sqlite3.connect(path) as db:
        db.execute(damage)
    with pytest.raises(InputError, match="the session file is damaged: " + re.escape(said)):
        ReviewSession.open(session.project, path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_session_beside_tasks_in_a_read_only_folder_is_used_or_refused_never_set_aside(tmp_path, monkeypatch):
    from viewer.core.errors import InputError
    from viewer.core.review.keys import default_session_path

    session = open_session(tmp_path, rect("r1"))
    task = session.project.tasks[0]
    session.accept(task, session.prediction_regions(task))
    path = session.store.path
    session.close()
    monkeypatch.setenv("LSVIEW_DATA_DIR", str(tmp_path / "elsewhere"))
    os.chmod(tmp_path, 0o555)
    try:
        assert default_session_path(session.project.tasks_path) == path
        with pytest.raises(InputError, match="read-only place .* --session"):
            ReviewSession.open(session.project)
    finally:
        os.chmod(tmp_path, 0o755)


def test_the_default_session_is_beside_the_tasks_when_it_exists_even_if_the_folder_is_read_only(tmp_path, monkeypatch):
    from viewer.core.review import keys

    tasks = tmp_path / "t\udce9.json"  # not UTF-8 either: the fallback's name still hashes
    beside = tmp_path / "t\udce9.lsview.sqlite"
    monkeypatch.setattr(keys.os, "access", lambda *_args: False)  # the folder read-only, also for root
    monkeypatch.setenv("LSVIEW_DATA_DIR", str(tmp_path / "data"))
    assert keys.default_session_path(tasks).parent == tmp_path / "data"
    beside.write_bytes(b"")
    assert keys.default_session_path(tasks) == beside

"""No output is ever written over an input: task files, config, session (and its journals), or any local media a
task references, however it is named (paths, Label Studio URLs, file:, symlinks, hard links)."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from tests.builders import image_task, make_image, rect, write_project
from viewer.core import outputs
from viewer.core.export.ls_json import write_ls_json
from viewer.core.media import MediaResolver
from viewer.core.outputs import InputFiles, OverwriteError, check_session_path
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession


def project_of(tmp_path, images: list[str], **open_options):
    tasks = [image_task(rect(), image=ref, task_id=i + 1) for i, ref in enumerate(images)]
    tasks_path, config_path = write_project(tmp_path, tasks)
    return open_project(tasks_path, config_path, **open_options)


@pytest.mark.parametrize("ref", ["img/pic.png", "/data/local-files/?d=img/pic.png", "/data/upload/img/pic.png",
                                 "http://ls.example:8080/data/local-files/?d=img%2Fpic.png", "PLACEHOLDER_FILE_URL"])
def test_export_over_a_tasks_image_is_refused_and_the_image_kept(tmp_path, ref):
    image = make_image(tmp_path / "img" / "pic.png")
    before = image.read_bytes()
    ref = image.as_uri() if ref == "PLACEHOLDER_FILE_URL" else ref
    project = project_of(tmp_path, ["img/other.png", ref], root=tmp_path, offline=True)
    session = ReviewSession.open(project)
    try:
        with pytest.raises(OverwriteError) as refused:
            write_ls_json(session, image)
    finally:
        session.close()
    assert image.read_bytes() == before
    message = str(refused.value)
    assert message.startswith(f"{image}: is an input file") and "task 1 (id 2)" in message
    assert [p.name for p in image.parent.iterdir()] == ["pic.png"]  # not even a temporary file


def test_links_count_symlinks_and_hard_links_both_ways(tmp_path):
    image = make_image(tmp_path / "img" / "pic.png")
    os.symlink(image, tmp_path / "img" / "alias.png")       # a task reads the image through a symlink
    project = project_of(tmp_path, ["img/alias.png"])
    inputs = InputFiles.of_project(project)
    os.link(image, tmp_path / "hard.png")
    os.symlink(image, tmp_path / "soft.png")
    os.symlink(tmp_path / "tasks.json", tmp_path / "tasks-link.json")
    os.symlink(tmp_path / "img", tmp_path / "img-link")
    for target in ("img/pic.png", "img/alias.png", "hard.png", "soft.png", "img-link/pic.png"):
        assert "the media of task 0 (id 1)" in inputs.what_is(tmp_path / target), target
    assert inputs.what_is(tmp_path / "tasks-link.json") == "the task file"
    assert inputs.what_is(tmp_path / "config.xml") == "the labeling config"
    make_image(tmp_path / "img" / "unused.png")
    assert inputs.what_is(tmp_path / "img" / "unused.png") is None and inputs.what_is(tmp_path / "new.json") is None


def test_the_sessions_journals_count_before_they_exist(tmp_path):
    project = project_of(tmp_path, ["img/a.png"])
    inputs = InputFiles.of_project(project, tmp_path / "s.sqlite")
    for name in ("s.sqlite", "s.sqlite-wal", "s.sqlite-shm", "s.sqlite-journal"):
        assert "review session" in inputs.what_is(tmp_path / name)


def test_every_task_file_of_a_folder_is_an_input(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    write_project(tmp_path / "tasks", [image_task(rect(), image="../img/a.png")], config=None, name="one.json")
    write_project(tmp_path / "tasks", [image_task(rect(), task_id=2)], config=None, name="two.json")
    project = open_project(tmp_path / "tasks")
    inputs = InputFiles.of_project(project)
    assert inputs.what_is(tmp_path / "tasks" / "two.json") == "a task file"
    assert "the media of task 0" in inputs.what_is(tmp_path / "img" / "a.png")


def test_the_media_walk_runs_only_for_an_existing_target_and_never_fetches(tmp_path, monkeypatch):
    make_image(tmp_path / "img" / "a.png")
    project = project_of(tmp_path, ["img/a.png", "http://127.0.0.1:9/x.png", "data:image/png;base64,AAAA"])
    monkeypatch.setattr(MediaResolver, "_fetch", lambda self, url: pytest.fail(f"fetched {url}"))
    walks = []
    real_walk = outputs._media_file_ids
    monkeypatch.setattr(outputs, "_media_file_ids", lambda p: walks.append(p) or real_walk(p))
    inputs = InputFiles.of_project(project)
    assert inputs.what_is(tmp_path / "new.json") is None and walks == []
    (tmp_path / "old.json").write_text("[]")
    assert inputs.what_is(tmp_path / "old.json") is None and len(walks) == 1
    assert inputs.what_is(tmp_path / "img" / "a.png") is not None and len(walks) == 1  # walked once


@pytest.mark.parametrize("root", [False, True])
def test_fast_candidates_are_the_resolvers_own(tmp_path, root):
    resolver = MediaResolver(tmp_path / "base", tmp_path / "root" if root else None)
    fast = outputs._Candidates(resolver)
    refs = ["img/a.png", "img/b.png", "img/c d.png", "img/%61.png", "img/1.png", "./img/2.png", "../up/3.png",
            "/abs/4.png", "~/5.png", "x.png", "/data/local-files/?d=img/6.png", "/data/local-files/?d=img/7.png",
            "/data/local-files/?d=../img/8.png", "/data/upload/3/img/9.png", "/data/upload/3/0123abcd-10.png",
            "/data/upload/3/11.png", "s3://bucket/key/12.png", "s3://bucket/key/13.png", "file:///abs/14.png",
            "http://h/data/local-files/?d=img/15.png", "http://h/16.png", "data:image/png;base64,AAAA",
            "img/a+b.png", "img/..", "img/.hidden.png", "img\\17.png", "", "   img/18.png", "img/19.png?x=1"]
    for ref in refs * 2:  # the second round runs on the folders the first one probed
        assert fast(ref) == [os.fspath(c) for c in resolver.candidates(ref)], ref


def test_a_session_path_that_is_a_tasks_image_is_refused_before_it_is_opened(tmp_path):
    image = make_image(tmp_path / "img" / "a.png")
    before = image.read_bytes()
    project = project_of(tmp_path, ["img/a.png"])
    with pytest.raises(OverwriteError, match="the media of task 0"):
        check_session_path(project, image)
    with pytest.raises(OverwriteError, match="the labeling config"):
        check_session_path(project, tmp_path / "config.xml")
    assert image.read_bytes() == before
    sqlite3.connect(tmp_path / "s.sqlite").execute("create table t (x)").connection.close()
    check_session_path(project, tmp_path / "s.sqlite")   # an SQLite file: a session, whatever its name
    check_session_path(project, tmp_path / "new.sqlite")


def test_report_refuses_the_media_too(tmp_path):
    from viewer.core.report import write_report
    from viewer.core.stats_index import StatsIndex

    image = make_image(tmp_path / "img" / "a.png")
    project = project_of(tmp_path, ["img/a.png"])
    session = ReviewSession.open(project)
    try:
        figures = StatsIndex(project).figures(session)
        inputs = InputFiles.of_project(project, session.store.path)
        with pytest.raises(OverwriteError, match="is an input file"):
            write_report(figures, tmp_path / "img" / "a.png", inputs)
        assert json.loads(write_report(figures, tmp_path / "r.json", inputs).read_text())["tasks"] == 1
    finally:
        session.close()
    assert image.read_bytes()[:4] == b"\x89PNG"

"""The server package's local half, no server needed: where the token comes from (and where it never goes), the
pulled folder's link file and its checks, the pulled media found offline, what push-predictions sends."""

from __future__ import annotations

import json

import pytest

from viewer.core.errors import InputError, LsviewError
from viewer.core.media import MediaResolver, server_media_url
from viewer.core.project import open_project
from viewer.core.server import credentials
from viewer.core.server.commands import predictions_to_push
from viewer.core.server.project_link import (ProjectLink, TaskState, load_link, save_link, task_states)
from viewer.core.server.pull import _check_folder, _write_together, media_refs

keyring = pytest.importorskip("keyring")
from tests.memory_keyring import BrokenKeyring, MemoryKeyring  # noqa: E402  (keyring is needed to import it)


@pytest.fixture
def memory_keyring(monkeypatch):
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv(credentials.ENV_VAR, raising=False)
    yield backend
    keyring.set_keyring(previous)


def test_the_token_comes_from_the_option_then_the_environment_then_the_keyring(memory_keyring, monkeypatch):
    url = "http://ls.example:8080/"
    with pytest.raises(LsviewError) as caught:
        credentials.find_token(url)
    assert "--token" in str(caught.value) and "LABEL_STUDIO_API_KEY" in str(caught.value)
    assert credentials.remember(url, "from-keyring")
    assert memory_keyring.kept == {("lsview", "http://ls.example:8080"): "from-keyring"}
    assert credentials.find_token("http://ls.example:8080").source == "keyring"
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", " from-env ")
    assert credentials.find_token(url) == credentials.Credential("from-env", "LABEL_STUDIO_API_KEY")
    assert credentials.find_token(url, "given") == credentials.Credential("given", "--token")
    assert "given" not in repr(credentials.find_token(url, "given"))
    assert credentials.forget(url) and credentials.stored_token(url) is None


def test_the_windows_dialogs_take_the_token_in_the_commands_order(memory_keyring, monkeypatch):
    url = "http://ls.example:8080"
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    assert credentials.known_token(url) == ""
    credentials.remember(url, "from-keyring")
    assert credentials.known_token(url) == "from-keyring"
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "from-env")
    assert credentials.known_token(url) == "from-env"   # as `lsview pull` without --token


def test_a_failing_keyring_is_no_error_just_no_stored_token(monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    monkeypatch.delenv(credentials.ENV_VAR, raising=False)
    try:
        assert credentials.stored_token("http://h") is None
        assert credentials.remember("http://h", "t") is False
        with pytest.raises(LsviewError):
            credentials.find_token("http://h")
    finally:
        keyring.set_keyring(previous)


def _link(**tasks) -> ProjectLink:
    return ProjectLink(server_url="http://h:8080", project_id=3, pulled_at="2026-12-05T22:00:00+00:00",
                       title="t", method="pages", tasks={int(k[1:]): v for k, v in tasks.items()})


def test_the_link_file_round_trips_and_never_holds_a_token(tmp_path):
    tasks = [{"id": 7, "updated_at": "u7", "annotations": [{"id": 31}, {"id": 30}]}, {"id": 8, "updated_at": "u8"},
             {"data": {}}]
    link = _link(**{f"t{k}": v for k, v in task_states(tasks).items()})
    assert link.tasks == {7: TaskState("u7", (30, 31)), 8: TaskState("u8", ())}
    save_link(tmp_path, link)
    assert load_link(tmp_path) == link
    raw = json.loads((tmp_path / "lsview-project.json").read_text())
    assert set(raw) == {"lsview_project", "server_url", "project_id", "title", "pulled_at", "method", "tasks"}
    assert load_link(tmp_path / "none") is None


@pytest.mark.parametrize("text, says", [("{", "not JSON"), ('{"a": 1}', "not an lsview project link"),
                                        ('{"lsview_project": 1, "project_id": 1}', "KeyError")])
def test_a_broken_link_file_is_named(tmp_path, text, says):
    (tmp_path / "lsview-project.json").write_text(text)
    with pytest.raises(InputError) as caught:
        load_link(tmp_path)
    assert str(caught.value).startswith(str(tmp_path / "lsview-project.json")) and says in str(caught.value)


def test_pull_writes_only_where_it_may(tmp_path):
    _check_folder(tmp_path / "new", False, "http://h:8080", 3)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "tasks.json").write_text("[]")
    with pytest.raises(InputError, match="did not write it"):
        _check_folder(tmp_path / "mine", False, "http://h:8080", 3)
    with pytest.raises(InputError, match="no lsview-project.json"):
        _check_folder(tmp_path / "mine", True, "http://h:8080", 3)
    save_link(tmp_path / "pulled", _link())
    with pytest.raises(InputError, match="pass --update"):
        _check_folder(tmp_path / "pulled", False, "http://h:8080", 3)
    _check_folder(tmp_path / "pulled", True, "http://h:8080/", 3)
    with pytest.raises(InputError, match="not project 4"):
        _check_folder(tmp_path / "pulled", True, "http://h:8080", 4)


def test_the_pulled_files_are_written_together_or_not_at_all(tmp_path):
    folder = tmp_path / "out"
    _write_together(folder, {"a.json": "A", "b.json": "B"})
    assert sorted(p.name for p in folder.iterdir()) == ["a.json", "b.json"]

    (folder / "b.json").unlink()
    (folder / "b.json").mkdir()             # the second file cannot be written: the first is not replaced either
    with pytest.raises(LsviewError, match="is a folder"):
        _write_together(folder, {"a.json": "A2", "b.json": "B2"})
    assert (folder / "a.json").read_text() == "A"
    assert sorted(p.name for p in folder.iterdir()) == ["a.json", "b.json"]   # no temporary left


CONFIG = """<View><Image name="img" value="$image"/><Text name="txt" value="$text"/>
<HyperText name="page" value="$page" valueType="url"/>
<RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels></View>"""


def test_media_refs_are_the_files_object_tags_show():
    from viewer.core.config import parse_config

    config = parse_config(CONFIG)
    data = {"image": "/data/upload/3/ab12cd34-car.png", "text": "http://not-a-file.example/is-the-text",
            "page": "/data/local-files/?d=pages/a.html", "other": "/data/upload/3/unused.png"}
    assert media_refs(config, data) == ["/data/upload/3/ab12cd34-car.png", "/data/local-files/?d=pages/a.html"]
    assert media_refs(config, {"image": "/home/me/car.png"}) == []   # a local path is no server file
    assert media_refs(None, {"a": "https://s3.example/x.png?X-Amz-Signature=1", "b": 3}) == [
        "https://s3.example/x.png?X-Amz-Signature=1"]


def test_a_pulled_folder_finds_its_media_in_the_cache_offline(tmp_path):
    cache = tmp_path / "cache"
    folder = tmp_path / "pulled"
    ref = "/data/upload/3/ab12cd34-car.png"
    url = server_media_url("http://h:8080", ref)
    assert url == "http://h:8080/data/upload/3/ab12cd34-car.png"
    resolver = MediaResolver(cache_dir=cache)
    target = resolver.cache_target(url, "image/png")
    target.parent.mkdir(parents=True)
    from PIL import Image
    Image.new("RGB", (4, 3), "red").save(target)
    (folder).mkdir()
    (folder / "tasks.json").write_text(json.dumps([{"id": 1, "data": {"image": ref}}]))
    (folder / "config.xml").write_text(CONFIG)
    project = open_project(folder / "tasks.json", folder / "config.xml", offline=True, cache_dir=cache)
    with pytest.raises(LsviewError):
        project.resolver.resolve(ref)    # no link file yet: not a pulled folder, the cache is not asked
    save_link(folder, _link())
    project = open_project(folder / "tasks.json", folder / "config.xml", offline=True, cache_dir=cache)
    info = project.task_image(project.tasks[0], "img")
    assert info.path == target and info.size == (4, 3)
    assert project.resolver.exists(ref)
    with pytest.raises(LsviewError) as caught:
        project.resolver.resolve("/data/upload/3/missing.png")
    assert "nor was it pulled from http://h:8080" in str(caught.value) and "--update" in str(caught.value)


def test_push_predictions_sends_what_the_server_can_match(tmp_path):
    from viewer.core.tasks import load_tasks

    tasks_file = tmp_path / "tasks.json"
    tasks_file.write_text(json.dumps([
        {"id": 5, "data": {}, "predictions": [{"model_version": "yolo", "score": 0.5, "result": [{"id": "r"}]},
                                              {"model_version": "old", "result": []}]},
        {"id": "6", "data": {}, "predictions": [{"result": []}]},
        {"data": {}, "predictions": [{"result": []}]},
        {"id": 7, "data": {}}]))
    tasks = load_tasks(tasks_file)
    bodies, notes, on_server = predictions_to_push(tasks, None)
    assert bodies == [{"task": 5, "result": [{"id": "r"}], "score": 0.5, "model_version": "yolo"},
                      {"task": 5, "result": [], "model_version": "old"}, {"task": 6, "result": []}]
    assert notes == ["task 2: no server task id; its 1 prediction(s) left out"] and on_server == 0
    bodies, _, _ = predictions_to_push(tasks, "yolo")
    assert bodies == [{"task": 5, "result": [{"id": "r"}], "score": 0.5, "model_version": "yolo"},
                      {"task": 6, "result": [], "model_version": "yolo"}]

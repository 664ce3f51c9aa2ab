"""`lsview pull` and `push-predictions` against a real Label Studio: a project with an uploaded image, a
local-files image, predictions and an annotation is pulled, opened offline, pulled again with --update (the session
stays mapped); both token kinds, and what a wrong one says."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.server.ls_projects import CONFIG, Made, box
from viewer.core.server.client import LabelStudio
from viewer.core.server.http import Http, HttpError

ROOT = Path(__file__).resolve().parents[2]


def _lsview(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "LABEL_STUDIO_API_KEY"}   # only the token a test gives
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "viewer", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def made(label_studio, tmp_path):
    project = Made(label_studio, tmp_path)
    yield project
    project.http.close()


def _pixel(png: Path, x: int, y: int) -> tuple:
    with Image.open(png) as image:
        return image.convert("RGB").getpixel((x, y))


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("latin-1") for p in folder.rglob("*") if p.is_file())


def test_pull_writes_the_folder_caches_media_and_opens_offline(made, label_studio, tmp_path):
    out = tmp_path / "pulled"
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(out), env=made.env)
    assert done.returncode == 0, done.stderr
    assert "3 tasks, 3 predictions, 1 annotations" in done.stderr and "2 media fetched" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["config.xml", "lsview-project.json", "tasks.json"]
    assert (out / "config.xml").read_text().strip() == CONFIG.strip()
    tasks = json.loads((out / "tasks.json").read_text())
    by_id = {t["id"]: t for t in tasks}
    assert sorted(by_id) == sorted([made.upload_task, *made.json_tasks])     # the server's ids
    lf = by_id[made.json_tasks[0]]
    assert lf["predictions"][0]["result"][0]["id"] == "lf1" and lf["predictions"][0]["score"] == 0.9  # full bodies
    assert lf["annotations"][0]["result"][0]["id"] == "an1" and lf["annotations"][0]["lead_time"] == 2.5
    assert by_id[made.json_tasks[1]]["meta"] == {"batch": 2}
    assert by_id[made.upload_task]["data"]["image"].startswith(f"/data/upload/{made.id}/")
    link = json.loads((out / "lsview-project.json").read_text())
    assert link["server_url"] == label_studio.url and link["project_id"] == made.id
    assert link["tasks"][str(made.json_tasks[0])]["annotation_ids"] == [lf["annotations"][0]["id"]]
    assert link["tasks"][str(made.upload_task)]["updated_at"] == by_id[made.upload_task]["updated_at"]
    for secret in (label_studio.pat, label_studio.token):
        assert secret not in _all_text(out) and secret not in _all_text(tmp_path / "cache")
        assert secret not in done.stderr + done.stdout

    # offline from here on: the window's loader and the renderer read the images from the cache
    from viewer.core.project import open_project

    project = open_project(out / "tasks.json", out / "config.xml", offline=True, cache_dir=tmp_path / "cache")
    for task in project.tasks:
        info = project.task_image(task, "image")
        assert info.error is None and info.size == (40, 30), info.error
    shown = tmp_path / "png"
    done = _lsview("render", str(out / "tasks.json"), "--config", str(out / "config.xml"), "--offline",
                   "--out", str(shown), env=made.env)
    assert done.returncode == 0, done.stderr
    pngs = {int(p.stem.split("_")[1]): p for p in shown.glob("*.png")}
    assert _pixel(pngs[made.upload_task], 2, 2) == (255, 0, 0)         # the uploaded image, not a placeholder
    assert _pixel(pngs[made.json_tasks[0]], 2, 28) == (0, 255, 0)      # the local-files image


def test_a_legacy_token_pulls_too_and_wrong_tokens_say_which_kind_failed(made, label_studio, tmp_path):
    out = tmp_path / "legacy"
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(out), "--token",
                   label_studio.token, "--method", "export", env={"LSVIEW_CACHE_DIR": made.env["LSVIEW_CACHE_DIR"]})
    assert done.returncode == 0, done.stderr
    assert len(json.loads((out / "tasks.json").read_text())) == 3
    assert json.loads((out / "lsview-project.json").read_text())["method"] == "export"

    wrong_legacy = "0" * 40
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(tmp_path / "no1"),
                   "--token", wrong_legacy)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith(f"lsview: GET /api/projects/{made.id}/: 401 Unauthorized: Invalid token.")
    assert "legacy API token" in done.stderr and "--enable-legacy-api-token" in done.stderr
    assert "Traceback" not in done.stderr and wrong_legacy not in done.stderr

    head, payload, _ = label_studio.pat.split(".")
    forged = f"{head}.{payload}.c2lnbmF0dXJl"        # a PAT's shape, not its signature
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(tmp_path / "no2"),
                   "--token", forged)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith("lsview: POST /api/token/refresh/: 401 Unauthorized")
    assert "Personal Access Token was refused" in done.stderr and forged not in done.stderr
    assert not (tmp_path / "no1").exists() and not (tmp_path / "no2").exists()

    done = _lsview("pull", "http://127.0.0.1:9", "--project", "1", "--out", str(tmp_path / "no3"), "--token", "x")
    assert done.returncode == 1 and "cannot connect to http://127.0.0.1:9" in done.stderr


def test_update_pulls_again_and_the_review_session_stays_mapped(made, label_studio, tmp_path):
    out = tmp_path / "pulled"
    assert _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(out),
                   env=made.env).returncode == 0
    done = _lsview("accept", str(out / "tasks.json"), "--config", str(out / "config.xml"), "--offline",
                   env=made.env)
    assert done.returncode == 0, done.stderr
    before = json.loads((out / "lsview-project.json").read_text())

    # meanwhile on the server: an annotation on one task, a new task first in no particular order
    target = made.json_tasks[1]
    made_annotation = made.http.post_json(f"/api/tasks/{target}/annotations/",
                                          {"result": [box(1, 1, 5, 5, "srv")], "ground_truth": False})
    new = made.http.post_json(f"/api/projects/{made.id}/import", [{"data": {"image": "/data/upload/x/none.png"}}],
                              {"commit_to_project": "true", "return_task_ids": "true"})["task_ids"][0]
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(out), env=made.env)
    assert done.returncode == 2 and "pass --update" in done.stderr
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(out), "--update",
                   env=made.env)
    assert done.returncode == 0, done.stderr
    assert "2 already cached" in done.stderr
    after = json.loads((out / "lsview-project.json").read_text())
    assert after["tasks"][str(target)]["annotation_ids"] == [made_annotation["id"]]
    assert after["tasks"][str(target)]["updated_at"] != before["tasks"][str(target)]["updated_at"]
    assert str(new) in after["tasks"]

    from viewer.core.project import open_project
    from viewer.core.review.session import ReviewSession

    project = open_project(out / "tasks.json", out / "config.xml", offline=True, cache_dir=tmp_path / "cache")
    session = ReviewSession.open(project)
    try:
        assert session.unmapped == []
        reviewed = {project.tasks[index].id for index, record in session.stored_records() if record.reviewed}
        assert reviewed == {made.upload_task, *made.json_tasks}   # every accepted task found again, by server id
        lf = next(t for t in project.tasks if t.id == made.json_tasks[0])
        assert [r["id"] for r in session.working_results(lf)] == ["lf1"]
    finally:
        session.close()


def test_pages_and_the_export_snapshot_give_the_same_tasks(made, label_studio, monkeypatch):
    with LabelStudio(label_studio.url, label_studio.pat) as client:
        paged = client.tasks(made.id, method="pages", page_size=2)
        requests = client.http.requests
        exported = client.tasks(made.id, method="export")
        assert client.method == "export"
        assert len(paged) == 3 and paged == exported
        assert requests == 1 + 2     # the refresh, then pages 1 and 2: never the 404 past the end
        assert client.tasks(made.id) == paged and client.method == "pages"   # one page holds them all
        monkeypatch.setattr("viewer.core.server.client.EXPORT_FROM", 2)   # 3 tasks are "many" from here on
        assert client.tasks(made.id, page_size=2, expected=3) == paged and client.method == "export"

        def refused(*args, **kwargs):
            raise HttpError("POST", f"/api/projects/{made.id}/exports/", 500, "database is locked")
        client.export_snapshot = refused       # a busy SQLite server's answer to a snapshot: pages stand in
        assert client.tasks(made.id, page_size=2, expected=3) == paged and client.method == "pages"
        del client.export_snapshot
        raw = client.export_snapshot(made.id)      # as the server gives it: the annotations' unique_id kept
        annotated = next(t for t in raw if t["id"] == made.json_tasks[0])
        assert len(annotated["annotations"][0]["unique_id"]) == 36


def test_push_predictions_in_batches_with_the_servers_message_for_a_refused_one(made, label_studio, tmp_path):
    tasks = [{"id": made.json_tasks[0], "data": {}, "predictions": [{"model_version": "v2", "result": []}]},
             {"id": made.json_tasks[1], "data": {}, "predictions": [{"model_version": "v2", "result": []}]},
             {"id": 987654321, "data": {}, "predictions": [{"model_version": "v2", "result": []}]}]
    file = tmp_path / "preds.json"
    file.write_text(json.dumps(tasks))
    done = _lsview("push-predictions", str(file), "--url", label_studio.url, "--project", str(made.id),
                   "--batch-size", "2", env=made.env)
    assert done.returncode == 1
    assert "pushed 2 predictions of 3" in done.stderr and "1 batch(es) refused" in done.stderr
    assert "batch 2 (tasks 987654321..987654321, 1 predictions): POST /api/projects/" in done.stderr
    assert "couldn't be retrieved" in done.stderr or "could not be retrieved" in done.stderr
    versions = made.http.get_json(f"/api/projects/{made.id}/model-versions/")
    assert versions.get("v2") == 2


def _prediction_count(made) -> int:
    return sum(made.http.get_json(f"/api/projects/{made.id}/model-versions/").values())


def test_pushing_a_pulled_file_again_sends_only_the_predictions_the_server_lacks(made, label_studio, tmp_path):
    for _ in range(120):   # a loaded server stores imported predictions a moment after it answers
        if _prediction_count(made) == 3:
            break
        time.sleep(0.25)
    out = tmp_path / "pulled"
    assert _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(out),
                   env=made.env).returncode == 0
    assert _prediction_count(made) == 3
    done = _lsview("push-predictions", str(out / "tasks.json"), "--url", label_studio.url, "--project",
                   str(made.id), env=made.env)
    assert done.returncode == 1 and "no prediction to push" in done.stderr
    assert "3 prediction(s) skipped: they carry a server id" in done.stderr
    tasks = json.loads((out / "tasks.json").read_text())
    tasks[0]["predictions"].append({"model_version": "v3", "result": [box(5, 5, 10, 10, "new")]})
    (out / "tasks.json").write_text(json.dumps(tasks))
    for _ in range(2):   # and again: the new one has no id in the file, so it is sent each time it is pushed
        done = _lsview("push-predictions", str(out / "tasks.json"), "--url", label_studio.url, "--project",
                       str(made.id), env=made.env)
        assert done.returncode == 0, done.stderr
        assert "pushed 1 predictions of 1" in done.stderr and "3 prediction(s) skipped" in done.stderr
    assert _prediction_count(made) == 5


class _AnswerLost(httpx.BaseTransport):
    """A proxy that forwards a POST to `path_part` to the real server and answers 502 or times out after it."""

    def __init__(self, path_part: str, timeout: bool = False):
        self.real = httpx.HTTPTransport()
        self.path_part = path_part
        self.timeout = timeout
        self.forwarded = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.real.handle_request(request)
        if request.method == "POST" and self.path_part in request.url.path:
            response.read()
            response.close()
            self.forwarded += 1
            if self.timeout:
                raise httpx.ReadTimeout("timed out", request=request)
            return httpx.Response(502, content=b"<html>Bad Gateway</html>", request=request)
        return response


def _behind(transport, label_studio) -> LabelStudio:
    from viewer.core.server.auth import auth_for

    http = Http(label_studio.url, auth_for(label_studio.pat, label_studio.url), backoff=0.01, transport=transport)
    return LabelStudio(label_studio.url, label_studio.pat, http=http)


@pytest.mark.parametrize("timeout", [False, True])
def test_a_prediction_batch_whose_answer_is_lost_is_never_sent_twice(made, label_studio, tmp_path, monkeypatch,
                                                                    capsys, timeout):
    from viewer.core.server import commands

    proxy = _AnswerLost("/import/predictions", timeout=timeout)
    monkeypatch.setattr(commands, "_client", lambda url, token: _behind(proxy, label_studio))
    tasks = [{"id": task, "data": {}, "predictions": [{"model_version": "v9", "result": []}]}
             for task in made.json_tasks]
    file = tmp_path / "preds.json"
    file.write_text(json.dumps(tasks))
    parser = argparse.ArgumentParser()
    commands.add_parsers(parser.add_subparsers())
    args = parser.parse_args(["push-predictions", str(file), "--url", label_studio.url, "--project", str(made.id),
                              "--batch-size", "1"])
    assert commands.run_push_predictions(args) == 1
    err = capsys.readouterr().err
    assert proxy.forwarded == 2     # each batch once, though each "failed"
    assert made.http.get_json(f"/api/projects/{made.id}/model-versions/").get("v9") == 2
    assert "pushed 0 predictions of 2" in err and "2 batch(es) unanswered" in err
    first = made.json_tasks[0]
    assert (f"batch 1 (tasks {first}..{first}, 1 predictions): POST /api/projects/{made.id}/import/predictions: "
            in err)
    assert f"may have been stored: check the project before sending them again (task ids {first})" in err


class _StoredNone(httpx.BaseTransport):
    """What Label Studio 1.23 answered three importers at once: 201, and nothing stored ("created": 0)."""

    def __init__(self):
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and "/import/predictions" in request.url.path:
            return httpx.Response(201, json={"created": 0}, request=request)
        return self.real.handle_request(request)


def test_a_batch_the_server_answers_but_does_not_store_is_said_and_not_counted(made, label_studio, tmp_path,
                                                                                monkeypatch, capsys):
    from viewer.core.server import commands

    monkeypatch.setattr(commands, "_client", lambda url, token: _behind(_StoredNone(), label_studio))
    file = tmp_path / "preds.json"
    file.write_text(json.dumps([{"id": task, "data": {}, "predictions": [{"model_version": "v8", "result": []}]}
                                for task in made.json_tasks]))
    parser = argparse.ArgumentParser()
    commands.add_parsers(parser.add_subparsers())
    args = parser.parse_args(["push-predictions", str(file), "--url", label_studio.url, "--project", str(made.id)])
    assert commands.run_push_predictions(args) == 1
    err = capsys.readouterr().err
    assert "pushed 0 predictions of 2" in err and "1 batch(es) refused" in err
    assert "the server stored 0 of 2 predictions without an error; check the project" in err


def test_an_export_snapshot_whose_answer_is_lost_is_not_asked_again_and_is_deleted(made, label_studio):
    proxy = _AnswerLost("/exports")
    with _behind(proxy, label_studio) as client:
        with pytest.raises(HttpError) as caught:
            client.export_snapshot(made.id)
    assert caught.value.status == 502 and proxy.forwarded == 1
    assert made.http.get_json(f"/api/projects/{made.id}/exports/") == []


def test_media_on_hosts_that_do_not_answer_cost_three_tries_a_host_and_no_media_fetches_none(made, label_studio,
                                                                                                tmp_path):
    tasks = [{"data": {"image": f"http://{host}/img{n}.png"}} for host in ("lsview-nowhere.invalid", "127.0.0.1:9")
             for n in range(8)]
    made.http.post_json(f"/api/projects/{made.id}/import", tasks, {"commit_to_project": "true"})
    started = time.monotonic()
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(tmp_path / "a"), env=made.env)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    # no retry for a name that does not resolve or a refused connection, and 3 tries a host (8 each, 3.6 s a URL
    # before: a minute)
    assert seconds < 20, seconds
    assert "lsview-nowhere.invalid: 5 more media not asked for after 3 failed" in done.stderr
    assert "127.0.0.1:9: 5 more media not asked for after 3 failed" in done.stderr
    assert "2 media fetched" in done.stderr and "10 not asked for" in done.stderr
    cache = tmp_path / "cache2"
    done = _lsview("pull", label_studio.url, "--project", str(made.id), "--out", str(tmp_path / "b"), "--no-media",
                   env={**made.env, "LSVIEW_CACHE_DIR": str(cache)})
    assert done.returncode == 0, done.stderr
    assert "0 media fetched" in done.stderr and "18 not asked for" in done.stderr
    assert "warning" not in done.stderr
    assert not cache.exists() or not any(p.is_file() for p in cache.rglob("*"))
    assert len(json.loads((tmp_path / "b" / "tasks.json").read_text())) == 19

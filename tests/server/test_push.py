"""`lsview push` against a real Label Studio (tests/server/conftest.py): pull, accept, push, and read the
annotations back through the API; a push killed half way and run again; edits as updates; tasks changed on the
server skipped unless --force; both credential kinds; --dry-run writes nothing."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from tests.builders import IMAGE_CONFIG, make_image, rect
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession

ROOT = Path(__file__).resolve().parents[2]
COUNTS = re.compile(r"^created (\d+), updated (\d+), unchanged (\d+), skipped (\d+)$", re.M)


def api(ls) -> httpx.Client:
    """The test's own calls, each answer checked: a shared server under load may answer 5xx, said plainly."""
    def check(response: httpx.Response) -> None:
        response.read()
        assert response.is_success, f"{response.request.method} {response.request.url}: {response.status_code} " \
                                    f"{response.text[:300]}"

    return httpx.Client(base_url=ls.url, headers={"Authorization": f"Token {ls.token}"}, timeout=60,
                        event_hooks={"response": [check]})


def lsview(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "LABEL_STUDIO_API_KEY"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, env=environment)


def counts(output: str) -> tuple[int, int, int, int]:
    found = COUNTS.search(output)
    assert found, output
    return tuple(int(n) for n in found.groups())


def server_project(ls, tasks: int = 3) -> tuple[int, list[int]]:
    """A project of `tasks` image tasks, each with one prediction of two boxes; (project id, task ids)."""
    client = api(ls)
    name = f"push-{uuid.uuid4().hex[:8]}"
    project = client.post("/api/projects/", json={"title": name, "label_config": IMAGE_CONFIG}).json()["id"]
    folder = ls.media / name
    make_image(folder / "a.png", size=(200, 100))
    client.post("/api/storages/localfiles/", json={"project": project, "path": str(folder), "title": "media",
                                                   "use_blob_urls": False})
    body = [{"data": {"image": f"/data/local-files/?d={name}/a.png"},
             "predictions": [{"model_version": "v1", "score": 0.9,
                              "result": [rect("a", x=10 + t), rect("b", x=50, labels=("Person",))]}]}
            for t in range(tasks)]
    answer = client.post(f"/api/projects/{project}/import", params={"commit_to_project": "true",
                                                                    "return_task_ids": "true"}, json=body).json()
    # Seen on a server shared by several test runs at once: an import answered 201 whose tasks had no predictions
    # (tasks 22395-22398, 2026-12-06); said here rather than as "created 0" three steps later.
    assert answer["prediction_count"] == tasks, f"Label Studio stored {answer['prediction_count']} of {tasks} " \
                                                f"predictions: {answer}"
    return project, answer["task_ids"]


def pulled(ls, tmp_path, tasks: int = 3) -> tuple[Path, int, list[int]]:
    project, ids = server_project(ls, tasks)
    out = tmp_path / "pulled"
    done = lsview("pull", ls.url, "--project", project, "--out", out, "--token", ls.token)
    assert done.returncode == 0, done.stderr
    return out, project, ids


def accept(folder: Path) -> None:
    done = lsview("accept", folder / "tasks.json", "--config", folder / "config.xml")
    assert done.returncode == 0, done.stderr


def annotations(ls, task_id: int) -> list[dict]:
    """All of the task's annotations: /api/tasks/{id}/annotations/ leaves out cancelled ones (measured)."""
    return api(ls).get(f"/api/tasks/{task_id}/").json()["annotations"]


def session_of(folder: Path) -> ReviewSession:
    return ReviewSession.open(open_project(folder / "tasks.json", folder / "config.xml"))


def test_push_creates_one_annotation_per_reviewed_task_and_then_nothing(label_studio, tmp_path):
    folder, _project, ids = pulled(label_studio, tmp_path)
    accept(folder)
    session = session_of(folder)
    session.set_status(session.project.tasks[2], "rejected")  # the reviewer skipped it: was_cancelled
    session.close()
    done = lsview("push", folder, "--token", label_studio.token)
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout) == (3, 0, 0, 0), done.stdout
    predictions = {t: api(label_studio).get(f"/api/tasks/{t}/").json()["predictions"][0]["id"] for t in ids}
    for position, task_id in enumerate(ids):
        [annotation] = annotations(label_studio, task_id)
        assert annotation["ground_truth"] is False
        assert annotation["parent_prediction"] == predictions[task_id]
        assert annotation["was_cancelled"] is (position == 2)
        assert isinstance(annotation["lead_time"], float)
        boxes = sorted((r["id"], r["value"]["x"], r["value"]["rectanglelabels"][0], r["original_width"])
                       for r in annotation["result"])
        assert boxes == [("a", 10 + position, "Car", 200), ("b", 50, "Person", 200)]
    again = lsview("push", folder, "--token", label_studio.token)
    assert counts(again.stdout) == (0, 0, 3, 0), again.stdout
    assert all(len(annotations(label_studio, t)) == 1 for t in ids)


@pytest.mark.parametrize("after", [1, 2])
def test_a_push_killed_after_the_server_answered_and_run_again_makes_no_duplicate(label_studio, tmp_path, after):
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=4)
    accept(folder)
    # Exits hard after the Nth write was answered and before the answer is recorded: the worst moment.
    killed = lsview("push", folder, "--token", label_studio.token, env={"LSVIEW_TEST_PUSH_EXIT_AFTER": str(after)})
    assert killed.returncode == 9, (killed.stdout, killed.stderr)
    assert sum(len(annotations(label_studio, t)) for t in ids) == after
    again = lsview("push", folder, "--token", label_studio.token)
    assert again.returncode == 0, again.stderr
    assert counts(again.stdout) == (4 - (after - 1), 0, after - 1, 0)  # those recorded before the kill: unchanged
    assert [len(annotations(label_studio, t)) for t in ids] == [1, 1, 1, 1]
    assert counts(lsview("push", folder, "--token", label_studio.token).stdout) == (0, 0, 4, 0)


def test_a_retried_create_the_server_already_has_is_found_by_its_unique_id(label_studio, tmp_path):
    """The server answers 409 to a unique_id it has: the annotation it made is found and recorded (here its result
    differs from what was recorded, so only the snapshot export, which shows unique_ids, can name it)."""
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=1)
    accept(folder)
    killed = lsview("push", folder, "--token", label_studio.token, env={"LSVIEW_TEST_PUSH_EXIT_AFTER": "1"})
    assert killed.returncode == 9
    [made] = annotations(label_studio, ids[0])
    api(label_studio).patch(f"/api/annotations/{made['id']}/", json={"result": made["result"][:1]})
    session = session_of(folder)
    session.delete_region(session.project.tasks[0], "a")  # an edit too: after the 409, an update
    session.close()
    done = lsview("push", folder, "--token", label_studio.token, "--force")
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout) == (0, 1, 0, 0), done.stdout
    [after] = annotations(label_studio, ids[0])
    assert after["id"] == made["id"] and [r["id"] for r in after["result"]] == ["b"]


def test_an_edited_task_is_updated_in_place(label_studio, tmp_path):
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=2)
    accept(folder)
    assert counts(lsview("push", folder, "--token", label_studio.token).stdout) == (2, 0, 0, 0)
    [first] = annotations(label_studio, ids[0])
    session = session_of(folder)
    session.delete_region(session.project.tasks[0], "b")
    session.close()
    done = lsview("push", folder, "--token", label_studio.token)
    assert counts(done.stdout) == (0, 1, 1, 0), done.stdout
    [updated] = annotations(label_studio, ids[0])
    assert updated["id"] == first["id"]
    assert [r["id"] for r in updated["result"]] == ["a"]
    # An update killed after the server took it, before it was recorded: the next push finds it done.
    session = session_of(folder)
    session.delete_region(session.project.tasks[1], "a")
    session.close()
    killed = lsview("push", folder, "--token", label_studio.token, env={"LSVIEW_TEST_PUSH_EXIT_AFTER": "1"})
    assert killed.returncode == 9
    again = lsview("push", folder, "--token", label_studio.token)
    assert counts(again.stdout) == (0, 1, 1, 0), again.stdout
    assert [[r["id"] for r in a["result"]] for t in ids for a in annotations(label_studio, t)] == [["a"], ["b"]]
    assert counts(lsview("push", folder, "--token", label_studio.token).stdout) == (0, 0, 2, 0)


def test_tasks_changed_on_the_server_are_skipped_unless_forced(label_studio, tmp_path):
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=3)
    accept(folder)
    client = api(label_studio)
    other = client.post(f"/api/tasks/{ids[0]}/annotations/", json={"result": [], "was_cancelled": True}).json()
    client.patch(f"/api/tasks/{ids[1]}/", json={"data": {"image": "/data/local-files/?d=elsewhere.png"}})
    done = lsview("push", folder, "--token", label_studio.token)
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout) == (1, 0, 0, 2)
    lines = {line.split(":")[0]: line for line in done.stdout.splitlines() if line.startswith("skipped task")}
    assert f"new annotations on the server since the pull (ids {other['id']})" in lines[f"skipped task {ids[0]}"]
    assert lines[f"skipped task {ids[1]}"].startswith(f"skipped task {ids[1]}: changed on the server since the "
                                                      "pull (updated_at ")
    assert [len(annotations(label_studio, t)) for t in ids] == [1, 0, 1]
    forced = lsview("push", folder, "--token", label_studio.token, "--force")
    assert counts(forced.stdout) == (2, 0, 1, 0), forced.stdout
    assert [len(annotations(label_studio, t)) for t in ids] == [2, 1, 1]  # nothing deleted


def test_our_own_push_is_no_change_but_an_edit_on_the_server_after_it_is(label_studio, tmp_path):
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=2)
    accept(folder)
    lsview("push", folder, "--token", label_studio.token)
    [theirs] = annotations(label_studio, ids[1])
    api(label_studio).patch(f"/api/annotations/{theirs['id']}/", json={"lead_time": 99.0})  # someone else's edit
    session = session_of(folder)
    for task in session.project.tasks:
        session.delete_region(task, "b")
    session.close()
    done = lsview("push", folder, "--token", label_studio.token)
    assert counts(done.stdout) == (0, 1, 0, 1), done.stdout
    assert f"skipped task {ids[1]}: changed on the server since the last push" in done.stdout


def test_a_colleagues_edit_of_our_annotation_survives_a_pull_update_and_is_not_overwritten(label_studio, tmp_path):
    folder, project, ids = pulled(label_studio, tmp_path, tasks=1)
    accept(folder)
    assert counts(lsview("push", folder, "--token", label_studio.token).stdout) == (1, 0, 0, 0)
    [ours] = annotations(label_studio, ids[0])
    theirs = [r for r in ours["result"] if r["id"] == "b"]  # a colleague removes box a there
    api(label_studio).patch(f"/api/annotations/{ours['id']}/", json={"result": theirs})
    update = lsview("pull", label_studio.url, "--project", project, "--out", folder, "--update", "--token",
                    label_studio.token)
    assert update.returncode == 0, update.stderr
    session = session_of(folder)
    session.delete_region(session.project.tasks[0], "b")  # our own edit, made without looking at theirs
    session.close()
    done = lsview("push", folder, "--token", label_studio.token)
    assert counts(done.stdout) == (0, 0, 0, 1), done.stdout
    assert (f"skipped task {ids[0]}: changed on the server since the last push (its annotation {ours['id']} "
            "holds another result)") in done.stdout
    assert [[r["id"] for r in a["result"]] for a in annotations(label_studio, ids[0])] == [["b"]]
    forced = lsview("push", folder, "--token", label_studio.token, "--force")
    assert counts(forced.stdout) == (0, 1, 0, 0), forced.stdout
    assert [[r["id"] for r in a["result"]] for a in annotations(label_studio, ids[0])] == [["a"]]


def test_a_personal_access_token_pushes_too(label_studio, tmp_path):
    if not label_studio.pat:
        pytest.skip("the server was started without a Personal Access Token (LSVIEW_TEST_LS_PAT)")
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=1)
    accept(folder)
    done = lsview("push", folder, env={"LABEL_STUDIO_API_KEY": label_studio.pat})
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout) == (1, 0, 0, 0)
    assert len(annotations(label_studio, ids[0])) == 1


def test_a_dry_run_writes_nothing_anywhere(label_studio, tmp_path):
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=2)
    accept(folder)
    session_file = folder / "tasks.lsview.sqlite"
    before = {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    done = lsview("push", folder, "--dry-run", "--token", label_studio.token)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("dry run, nothing was written")
    assert counts(done.stdout) == (2, 0, 0, 0)
    assert {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()} == before
    assert session_file.name in before
    assert [len(annotations(label_studio, t)) for t in ids] == [0, 0]
    assert counts(lsview("push", folder, "--token", label_studio.token).stdout) == (2, 0, 0, 0)


def test_a_refused_token_stops_the_push_and_says_so(label_studio, tmp_path):
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=1)
    accept(folder)
    done = lsview("push", folder, "--token", "0" * 40)
    assert done.returncode == 1
    assert counts(done.stdout) == (0, 0, 0, 0)
    assert "401" in done.stderr and "Traceback" not in done.stderr
    assert annotations(label_studio, ids[0]) == []
    assert counts(lsview("push", folder, "--token", label_studio.token).stdout) == (1, 0, 0, 0)


def test_a_task_deleted_on_the_server_is_skipped_and_a_folder_not_pulled_is_refused(label_studio, tmp_path):
    folder, _project, ids = pulled(label_studio, tmp_path, tasks=2)
    accept(folder)
    api(label_studio).delete(f"/api/tasks/{ids[0]}/")
    done = lsview("push", folder, "--token", label_studio.token)
    assert counts(done.stdout) == (1, 0, 0, 1), done.stdout
    assert f"skipped task {ids[0]}: not on the server any more (HTTP 404)" in done.stdout
    (folder / "lsview-project.json").unlink()
    refused = lsview("push", folder, "--token", label_studio.token)
    assert refused.returncode == 2 and "no lsview-project.json" in refused.stderr


def test_a_create_recorded_but_never_sent_is_sent_under_its_recorded_unique_id(label_studio, tmp_path):
    """A push killed between recording a request and sending it: the next one sends it, under that unique_id."""
    from viewer.core.review.pushes import PushLog
    from viewer.core.server.project_link import load_link
    from viewer.core.push.pusher import annotation_body
    from viewer.core.server.client import LabelStudio
    from viewer.core.push.lookup import annotation_by_unique_id

    folder, project, ids = pulled(label_studio, tmp_path, tasks=1)
    accept(folder)
    session = session_of(folder)
    task = session.project.tasks[0]
    link = load_link(folder)
    log = PushLog(session.store, f"{link.server_url} project {link.project_id}")
    row = log.intend(session.record(task).key, str(task.id), 1, "POST", annotation_body(session, task), None, None)
    session.close()
    done = lsview("push", folder, "--token", label_studio.token)
    assert counts(done.stdout) == (1, 0, 0, 0), done.stdout
    [made] = annotations(label_studio, ids[0])
    with LabelStudio(label_studio.url, label_studio.token) as client:
        assert annotation_by_unique_id(client, project, ids[0], row.unique_id) == made["id"]


class _NoAnswer(httpx.BaseTransport):
    """Forwards everything to the real server but answers an annotation POST with a timeout, after it was sent."""

    def __init__(self):
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.real.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/annotations/"):
            response.read()
            response.close()
            raise httpx.ReadTimeout("timed out", request=request)
        return response


def test_a_create_left_without_an_answer_stops_the_push_with_its_counts_and_the_next_push_mends_it(label_studio,
                                                                                               tmp_path):
    from viewer.core.push.pusher import Pusher
    from viewer.core.server.auth import auth_for
    from viewer.core.server.client import LabelStudio
    from viewer.core.server.http import Http, HttpError
    from viewer.core.server.project_link import load_link
    from viewer.core.steps import run_through

    folder, _project, ids = pulled(label_studio, tmp_path, tasks=2)
    accept(folder)
    session = session_of(folder)
    http = Http(label_studio.url, auth_for(label_studio.token, label_studio.url), backoff=0.01, transport=_NoAnswer())
    with LabelStudio(label_studio.url, label_studio.token, http=http) as client:
        summary = run_through(Pusher(session, load_link(folder), client).steps())
    session.close()
    # a timeout has no status: the push stops on it (no "internal error"), and says how far it got
    assert isinstance(summary.error, HttpError) and summary.error.status is None
    assert summary.created == 0
    done = lsview("push", folder, "--token", label_studio.token)
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout)[:2] == (2, 0), done.stdout
    assert all(len(annotations(label_studio, t)) == 1 for t in ids)

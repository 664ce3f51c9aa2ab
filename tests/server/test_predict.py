"""`lsview predict` against a real ML backend: label-studio-ml 1.0.9 serving tests/server/ml_backend_app.py with
HTTP Basic auth, started by scripts/ml_backend_server.sh (no mock stands in for it). Without it the tests skip and
say how to start one; where servers are required (LSVIEW_REQUIRE_SERVERS, or CI) they fail instead.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from tests.cli.test_cli import lsview
from viewer.core.mlbackend.client import BasicAuth
from viewer.core.mlbackend.protocol import PredictError
from viewer.core.mlbackend.run import PredictOptions, predict
from viewer.core.project import open_project

HOW = 'start one with: eval "$(scripts/ml_backend_server.sh start)"   (stop: scripts/ml_backend_server.sh stop)'
TEXT_CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices></View>"""
IMAGE_CONFIG = """<View><Image name="image" value="$image"/>
<RectangleLabels name="label" toName="image"><Label value="car"/><Label value="person"/></RectangleLabels></View>"""


@dataclass(frozen=True)
class Backend:
    url: str
    user: str
    password: str

    @property
    def auth(self) -> BasicAuth:
        return BasicAuth(self.user, self.password)

    @property
    def auth_text(self) -> str:
        return f"{self.user}:{self.password}"


@pytest.fixture(scope="session")
def ml_backend() -> Backend:
    url = os.environ.get("LSVIEW_TEST_ML_URL")
    if not url:
        if os.environ.get("LSVIEW_REQUIRE_SERVERS") or os.environ.get("CI"):
            pytest.fail(f"CI runs the predict tests against a real ML backend, and none is set: {HOW}")
        pytest.skip(f"no ML backend for the predict tests: {HOW}")
    return Backend(url.rstrip("/"), os.environ["LSVIEW_TEST_ML_USER"], os.environ["LSVIEW_TEST_ML_PASSWORD"])


@pytest.fixture
def media_server(tmp_path):
    """A plain http server for the test's images: the backend fetches each image by URL itself."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the test's output is for the test
        pass


def _write(tmp_path, tasks: list, config: str):
    (tmp_path / "tasks.json").write_text(json.dumps(tasks))
    (tmp_path / "config.xml").write_text(config)
    return tmp_path / "tasks.json", tmp_path / "config.xml"


def _text_tasks(count: int, **extra) -> list[dict]:
    return [{"id": 100 + number, "data": {"text": f"text {number}", **extra}} for number in range(count)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_predict_answers_in_task_order_in_batches_with_the_backends_model_version(ml_backend, tmp_path):
    stored = {"model_version": "old-model", "score": 0.5, "result": []}
    tasks = _text_tasks(7)
    tasks[2]["predictions"] = [stored]
    tasks_path, config = _write(tmp_path, tasks, TEXT_CONFIG)
    out = tmp_path / "predicted.json"
    project = open_project(tasks_path, config)
    summary = predict(project, range(7), PredictOptions(ml_backend.url, str(out), auth=ml_backend.auth,
                                                       batch_size=3))
    written = json.loads(out.read_text())
    assert [task["id"] for task in written] == [task["id"] for task in tasks]
    for task in written:
        new = task["predictions"][-1]
        # the tiny model names each result after the task it was asked for: the answers came back in order
        assert [r["id"] for r in new["result"]] == [f"t{task['id']}"]
        assert new["result"][0]["value"] == {"choices": ["Positive"]}
        assert new["score"] == 0.75
        # label-studio-ml 1.0.9 names the version beside the results ("INITIAL" before any training)
        assert new["model_version"] == "INITIAL"
    assert written[2]["predictions"][0] == stored  # what the task had is kept, first
    assert len(written[2]["predictions"]) == 2
    assert summary.requests == 2 + 3          # /health, /setup, then 7 tasks in batches of 3
    assert summary.predicted == 7 and summary.predictions == 7 and not summary.diagnostics


def test_predict_cli_with_basic_auth_model_version_and_a_version_already_stored(ml_backend, tmp_path):
    tasks = _text_tasks(2)
    tasks[0]["predictions"] = [{"model_version": "INITIAL", "result": []}]
    tasks_path, config = _write(tmp_path, tasks, TEXT_CONFIG)
    out = tmp_path / "out.json"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out,
                  "--basic-auth", ml_backend.auth_text)
    assert done.returncode == 0, done.stderr
    versions = [p["model_version"] for task in json.loads(out.read_text()) for p in task["predictions"]]
    # INITIAL is stored already: the new predictions get the run's time, to be compared with the stored ones
    assert versions[0] == "INITIAL"
    assert versions[1].startswith("INITIAL 20") and versions[1] == versions[2]
    assert "predicted 2 of 2 task(s)" in done.stdout
    given = tmp_path / "given.json"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", given,
                  "--basic-auth", ml_backend.auth_text, "--model-version", "tiny-v2")
    assert done.returncode == 0, done.stderr
    assert [t["predictions"][-1]["model_version"] for t in json.loads(given.read_text())] == ["tiny-v2"] * 2


def test_images_are_fetched_by_the_backend_and_a_local_path_is_named_before_the_call(ml_backend, tmp_path,
                                                                                     media_server):
    served, base = media_server
    sizes = [(64, 48), (30, 90), (120, 10)]
    tasks = []
    for number, size in enumerate(sizes):
        Image.new("RGB", size, (number * 60, 90, 30)).save(served / f"im{number}.png")
        tasks.append({"id": number + 1, "data": {"image": f"{base}/im{number}.png"}})
    tasks_path, config = _write(tmp_path, tasks, IMAGE_CONFIG)
    out = tmp_path / "out.json"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out,
                  "--basic-auth", ml_backend.auth_text, "--batch-size", "2")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    written = json.loads(out.read_text())
    for task, size in zip(written, sizes):
        (rectangle,) = task["predictions"][-1]["result"]
        # the model read each image's size from the image it downloaded itself
        assert (rectangle["original_width"], rectangle["original_height"]) == size
        assert rectangle["value"]["rectanglelabels"] == ["car"]
    assert "0 error(s)" not in done.stdout and "error" not in done.stdout

    Image.new("RGB", (20, 20)).save(tmp_path / "local.png")
    local = [{"id": 7, "data": {"image": "local.png"}}]
    local_path, _ = _write(tmp_path, local, IMAGE_CONFIG)
    done = lsview("predict", local_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out,
                  "--basic-auth", ml_backend.auth_text)
    assert done.returncode == 1
    warning, error = done.stderr.splitlines()[0], done.stderr.splitlines()[-1]
    assert "warning: 1 task(s) name their media by a path on this computer" in warning
    assert "task 0 (id 7): 'local.png'" in warning
    # and the backend, which cannot open it, fails: said as it said it
    assert "POST /predict: 500" in error and "The backend's model failed" in error
    assert json.loads(out.read_text()) == written  # nothing written over the earlier output by a failed run


def test_basic_auth_refused_and_backend_down_say_so_and_write_nothing(ml_backend, tmp_path):
    tasks_path, config = _write(tmp_path, _text_tasks(1), TEXT_CONFIG)
    out = tmp_path / "out.json"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out,
                  "--basic-auth", f"{ml_backend.user}:wrong")
    assert done.returncode == 1
    assert "GET /health: 401" in done.stderr and f"user '{ml_backend.user}' was refused" in done.stderr
    assert "Traceback" not in done.stderr
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out)
    assert done.returncode == 1 and "no --basic-auth was given" in done.stderr
    down = f"http://127.0.0.1:{_free_port()}"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", down, "--out", out)
    assert done.returncode == 1
    assert f"cannot connect to {down}" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("kind, said", [
    ("result", "item 1 of the answer for task 0 (id 100) to task 2 (id 102): `result` is {'not': 'a list'}, "
               "not a list of results"),
    ("short", "answered 2 item(s) for 3 task(s) (task 0 (id 100) to task 2 (id 102)): one per task in order"),
])
def test_a_backend_answering_nonsense_is_said_plainly_and_nothing_is_written(ml_backend, tmp_path, kind, said):
    tasks = _text_tasks(3)
    tasks[1]["data"]["nonsense"] = kind
    tasks_path, config = _write(tmp_path, tasks, TEXT_CONFIG)
    out = tmp_path / "out.json"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out,
                  "--basic-auth", ml_backend.auth_text, "--batch-size", "3")
    assert done.returncode == 1
    assert said in done.stderr, done.stderr
    assert not out.exists()


def test_predictions_lsview_finds_wrong_are_listed_by_task_and_result_id(ml_backend, tmp_path):
    tasks = _text_tasks(2)
    tasks[1]["data"]["nonsense"] = "name"
    tasks_path, config = _write(tmp_path, tasks, TEXT_CONFIG)
    out = tmp_path / "out.json"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out,
                  "--basic-auth", ml_backend.auth_text)
    assert done.returncode == 1
    assert "the new predictions have 1 error(s)" in done.stdout
    problem = next(line for line in done.stdout.splitlines() if line.strip().startswith("error"))
    assert "task 1 (id 101), prediction 0, result t101" in problem and "no_such_control" in problem
    # written all the same: the window and `lsview validate` show what the backend answered
    validated = lsview("validate", out, "--config", config)
    assert validated.returncode == 1 and "no_such_control" in validated.stdout


def test_the_output_is_never_the_task_file(ml_backend, tmp_path):
    tasks_path, config = _write(tmp_path, _text_tasks(1), TEXT_CONFIG)
    project = open_project(tasks_path, config)
    before = tasks_path.read_text()
    with pytest.raises(Exception, match="never writes over its inputs"):
        predict(project, [0], PredictOptions(ml_backend.url, str(tasks_path), auth=ml_backend.auth))
    assert tasks_path.read_text() == before
    with pytest.raises(PredictError, match="needs the labeling config"):
        predict(open_project(tasks_path), [0], PredictOptions(ml_backend.url, str(tmp_path / "o.json")))


def test_a_task_the_backend_fails_on_is_named_and_the_others_are_written(ml_backend, tmp_path, media_server):
    served, base = media_server
    tasks = []
    for number in range(5):
        if number != 2:   # task 2's image is not there: the backend's model fails on it, and on its whole batch
            Image.new("RGB", (40 + number, 30), (90, 90, 30)).save(served / f"im{number}.png")
        tasks.append({"id": 10 + number, "data": {"image": f"{base}/im{number}.png"}})
    tasks_path, config = _write(tmp_path, tasks, IMAGE_CONFIG)
    out = tmp_path / "out.json"
    done = lsview("predict", tasks_path, "--config", config, "--ml-backend", ml_backend.url, "--out", out,
                  "--basic-auth", ml_backend.auth_text, "--batch-size", "2")
    assert done.returncode == 1, done.stderr
    assert "predicted 4 of 5 task(s)" in done.stdout
    assert "1 task(s) failed at the backend and were written without new predictions:" in done.stdout
    failed = next(line for line in done.stdout.splitlines() if line.startswith("  task 2 (id 12): "))
    assert "POST /predict: 500" in failed
    written = json.loads(out.read_text())
    assert [len(task.get("predictions") or []) for task in written] == [1, 1, 0, 1, 1]
    assert written[3]["predictions"][0]["result"][0]["original_width"] == 43
    # /health, /setup, 3 batches, the failing one asked again task by task (2 more); a 500 is asked once more
    # (MlBackend's one retry of /predict): for the batch and for task 2 alone
    assert "9 request(s)" in done.stdout, done.stdout

"""The Label Studio ML backend protocol as lsview speaks it: request bodies and the checks of the answers.

Core layer, no Qt, no I/O (ECOSYSTEM.md 4). Bodies are what Label Studio 1.23 sends (ml/api_connector.py); answers
are read as both label-studio-ml 1.0.9 (`{"results": [...], "model_version": ...}`) and the backend of today
(`{"results": [...]}`, ModelResponse dumped to its predictions) write them: one item per task in order, each a
prediction `{"result": [...], "score", "model_version"}` or a list of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from viewer.core.errors import LsviewError
from viewer.core.numbers import finite, number_problem, preview


class PredictError(LsviewError):
    """A prediction run cannot go on: the backend is unreachable, refuses, or answers what is no prediction."""


@dataclass(frozen=True)
class BackendPrediction:
    """One prediction a backend made for one task, as it said it (model_version None: it named none)."""

    result: list
    score: float | None
    model_version: str | None

    def to_task_json(self, model_version: str) -> dict:
        prediction: dict[str, Any] = {"model_version": model_version}
        if self.score is not None:
            prediction["score"] = self.score
        prediction["result"] = self.result
        return prediction


def project_uid(project_id: int) -> str:
    """`<id>.<int>` as Label Studio sends it (there: the project's creation time); a backend keys the models it
    keeps by the part before the dot, so the id is the user's to choose (--project), and the time part is 0."""
    return f"{project_id}.0"


def setup_body(label_config: str, project: str) -> dict:
    """POST /setup. hostname and access_token tell a backend where to fetch /data/upload/... media with whose
    credentials; lsview is no Label Studio server and keeps no token, so both are empty as for a backend run by
    hand (a backend set up with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY still fetches them)."""
    return {"project": project, "schema": label_config, "hostname": "", "access_token": "", "extra_params": None}


def predict_body(tasks: list[dict], label_config: str, project: str) -> dict:
    """POST /predict. `params` as Label Studio sends them for a project without task-data credentials and a call
    that is not an interactive (smart tool) one: a backend's predict(tasks, **params) gets the same arguments."""
    return {"tasks": tasks, "project": project, "label_config": label_config,
            "params": {"login": None, "password": None, "context": None}}


def request_task(raw: Any, index: int) -> dict:
    """A task as a backend is sent it: Label Studio's fields it has (id, data, meta, annotations, predictions). A
    task without an id gets its index in the file as one: backends key caches and file names by task['id']; the
    answers are matched by their order, never by that id."""
    task = raw if isinstance(raw, dict) else {}
    sent: dict[str, Any] = {"id": task.get("id") if task.get("id") is not None else index}
    sent["data"] = task["data"] if isinstance(task.get("data"), dict) else {
        key: value for key, value in task.items() if key not in ("id", "predictions", "annotations", "drafts")}
    for key in ("meta", "annotations", "predictions"):
        if key in task:
            sent[key] = task[key]
    return sent


def check_health(answer: Any, url: str) -> None:
    """GET /health: `{"status": "UP", ...}`."""
    if not isinstance(answer, dict) or answer.get("status") != "UP":
        raise PredictError(f"{url}/health answered {preview(answer)}, not {{\"status\": \"UP\"}}: is this a Label "
                           "Studio ML backend?")


def setup_version(answer: Any, url: str) -> str | None:
    """POST /setup: `{"model_version": ...}`; the version as text, None when it names none."""
    if not isinstance(answer, dict):
        raise PredictError(f"{url}/setup answered {preview(answer)}, not {{\"model_version\": ...}}")
    return _version_text(answer.get("model_version"))


def _version_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def read_answer(answer: Any, count: int, where: str) -> tuple[list[list[BackendPrediction]] | None, str | None]:
    """POST /predict's answer for `count` tasks: each task's predictions in order, and the version the answer
    names beside them (1.0.9). (None, version) when the answer holds one item for several tasks: a backend that
    takes one task a call (Label Studio then asks again task by task). PredictError for anything else, saying
    what the answer held where a prediction should be; `where` names the tasks asked."""
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise PredictError(f"the ML backend answered {preview(answer)} for {where}, not {{\"results\": [...]}}")
    items = answer["results"]
    version = _version_text(answer.get("model_version"))
    if len(items) == 1 and count > 1:
        return None, version
    if len(items) != count:
        raise PredictError(f"the ML backend answered {len(items)} item(s) for {count} task(s) ({where}): one "
                           "per task in order is needed to know which prediction is whose (a backend that skips a "
                           "task it cannot read must answer an empty prediction for it)")
    return [_predictions(item, number, where) for number, item in enumerate(items)], version


def _predictions(item: Any, number: int, where: str) -> list[BackendPrediction]:
    listed = item if isinstance(item, list) else [item]
    return [_prediction(one, number, where) for one in listed]


def _prediction(item: Any, number: int, where: str) -> BackendPrediction:
    said = f"item {number} of the answer for {where}"
    if not isinstance(item, dict):
        raise PredictError(f"{said} is {preview(item)}, not a prediction {{\"result\": [...], \"score\": ...}}")
    result = item.get("result")
    if not isinstance(result, list):
        got = "missing" if "result" not in item else preview(result)
        raise PredictError(f"{said}: `result` is {got}, not a list of results")
    for position, one in enumerate(result):
        if not isinstance(one, dict):
            raise PredictError(f"{said}: result {position} is {preview(one)}, not a result object")
    score = item.get("score")
    if score is not None and (finite(score) is None or isinstance(score, bool)):
        problem = number_problem(score) or preview(score)
        raise PredictError(f"{said}: `score` is {problem}, not a number (Label Studio stores no prediction "
                           "whose score is no float)")
    version = item.get("model_version")
    if version not in (None, "") and _version_text(version) is None:
        raise PredictError(f"{said}: `model_version` is {preview(version)}, not a text")
    return BackendPrediction(result, None if score is None else float(score), _version_text(version))

"""The ML backend protocol without a backend: the answers of label-studio-ml 1.0.9 and of today's backend read the
same way, nonsense said plainly, tasks sent as Label Studio sends them, media a backend cannot fetch named, and the
new predictions' model version kept apart from the stored ones. The calls themselves: tests/server/test_predict.py.
"""

from __future__ import annotations

import pytest

from viewer.core.mlbackend.client import BasicAuth
from viewer.core.mlbackend.protocol import (BackendPrediction, PredictError, predict_body, read_answer,
                                            request_task, setup_body)
from viewer.core.mlbackend.reach import reference_kind, unreachable_media
from viewer.core.mlbackend.run import PredictOptions, _Versions, predict_steps
from viewer.core.config import parse_config
from viewer.core.media import MediaResolver
from viewer.core.project import Project
from viewer.core.tasks import make_task

RESULT = {"id": "a", "from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": ["x"]}}


def test_answers_of_label_studio_ml_1_0_9_and_of_todays_backend():
    # 1.0.9: the model's list beside the version of the model that made it
    old = {"results": [{"result": [RESULT], "score": 0.5}, {"result": []}], "model_version": "INITIAL"}
    predictions, version = read_answer(old, 2, "tasks 0 to 1")
    assert version == "INITIAL"
    assert predictions == [[BackendPrediction([RESULT], 0.5, None)], [BackendPrediction([], None, None)]]
    # today: ModelResponse dumped to its predictions, each with its version, or a list of them for one task
    new = {"results": [[{"result": [RESULT], "score": 1, "model_version": "v2"},
                        {"result": [], "model_version": 3}], {"result": [], "score": 0.25, "model_version": ""}]}
    predictions, version = read_answer(new, 2, "tasks 0 to 1")
    assert version is None
    assert [len(p) for p in predictions] == [2, 1]
    assert predictions[0][0] == BackendPrediction([RESULT], 1.0, "v2") and predictions[0][1].model_version == "3"
    assert predictions[1][0].model_version is None  # "" names no version


def test_one_item_for_several_tasks_means_one_task_a_call():
    assert read_answer({"results": [{"result": []}]}, 3, "tasks") == (None, None)


@pytest.mark.parametrize("answer, said", [
    ([{"result": []}], "answered [{'result': []}] for task 4, not {\"results\": [...]}"),
    ({"predictions": []}, "not {\"results\": [...]}"),
    ({"results": [{"result": []}] * 2}, "answered 2 item(s) for 3 task(s) (task 4)"),
    ({"results": [{"result": []}, {"score": 1}, {"result": []}]}, "item 1 of the answer for task 4: `result` is "
                                                                  "missing, not a list of results"),
    ({"results": [{"result": []}, {"result": "x"}, {"result": []}]}, "`result` is 'x', not a list"),
    ({"results": [{"result": []}, {"result": [3]}, {"result": []}]}, "result 0 is 3, not a result object"),
    ({"results": [{"result": []}, {"result": [], "score": float("nan")}, {"result": []}]}, "`score` is NaN"),
    ({"results": [{"result": []}, {"result": [], "score": True}, {"result": []}]}, "`score` is True"),
    ({"results": [{"result": []}, {"result": [], "model_version": {"a": 1}}, {"result": []}]},
     "`model_version` is {'a': 1}, not a text"),
    ({"results": [{"result": []}, "oops", {"result": []}]}, "item 1 of the answer for task 4 is 'oops'"),
])
def test_nonsense_answers_are_said_plainly(answer, said):
    with pytest.raises(PredictError) as caught:
        read_answer(answer, 3, "task 4")
    assert said in str(caught.value)


def test_tasks_and_bodies_as_label_studio_sends_them():
    task = {"id": 7, "data": {"text": "a"}, "meta": {"m": 1}, "predictions": [], "extra": 1}
    assert request_task(task, 0) == {"id": 7, "data": {"text": "a"}, "meta": {"m": 1}, "predictions": []}
    # no id: the index (backends key caches by it); no data wrapper: the object is the data, as LS imports it
    assert request_task({"text": "b", "predictions": []}, 3) == {"id": 3, "data": {"text": "b"}, "predictions": []}
    body = predict_body([task], "<View/>", "5.0")
    assert body["project"] == "5.0" and body["label_config"] == "<View/>"
    assert body["params"] == {"login": None, "password": None, "context": None}
    assert setup_body("<View/>", "5.0") == {"project": "5.0", "schema": "<View/>", "hostname": "",
                                            "access_token": "", "extra_params": None}


@pytest.mark.parametrize("ref, kind", [
    ("http://host/a.jpg", None), ("https://h/a.jpg?x=1", None), ("data:image/png;base64,AAAA", None),
    ("img/a.jpg", "path"), ("/home/me/a.jpg", "path"), ("C:\\pics\\a.jpg", "path"), ("file:///tmp/a.jpg", "file"),
    ("/data/upload/3/abc-a.jpg", "label-studio"), ("/data/local-files/?d=pics/a.jpg", "label-studio"),
    ("s3://bucket/a.jpg", "cloud"), ("gs://b/a.jpg", "cloud"),
])
def test_which_references_a_backend_cannot_fetch(ref, kind):
    assert reference_kind(ref) == kind


def _project(tasks, config='<View><Image name="image" value="$image"/></View>', tmp_path=None):
    loaded = [make_task(raw, index, "tasks.json") for index, raw in enumerate(tasks)]
    return Project(parse_config(config), loaded, MediaResolver(tmp_path or "."), "tasks.json")


def test_unreachable_media_names_tasks_once_per_kind_and_counts_the_rest():
    tasks = [{"id": n, "data": {"image": f"img/{n}.jpg"}} for n in range(8)]
    tasks.append({"id": 99, "data": {"image": "http://host/ok.jpg"}})
    tasks.append({"id": 100, "data": {"image": "file:///x.jpg"}})
    project = _project(tasks)
    lines = unreachable_media(project, project.tasks).lines()
    assert len(lines) == 2
    assert lines[0].startswith("8 task(s) name their media by a path on this computer")
    assert "task 0 (id 0): 'img/0.jpg'" in lines[0] and "and 3 more" in lines[0] and "id 5" not in lines[0]
    assert lines[1].startswith("1 task(s) name their media by a file:// URL") and "task 9 (id 100)" in lines[1]


def test_new_predictions_stand_apart_from_stored_ones_of_the_same_version():
    project = _project([{"data": {"image": "a"}, "predictions": [{"model_version": "0.0.1", "result": []}]}])
    said = []
    versions = _Versions(None, "setup-v", project.tasks, said.append)
    own = BackendPrediction([], None, "own")
    assert versions.name(own, "answer-v") == "own"
    assert versions.name(BackendPrediction([], None, None), "answer-v") == "answer-v"
    assert versions.name(BackendPrediction([], None, None), None) == "setup-v"
    stamped = versions.name(BackendPrediction([], None, "0.0.1"), None)
    assert stamped.startswith("0.0.1 20") and stamped.endswith("Z")
    assert not said
    given = _Versions("0.0.1", None, project.tasks, said.append)
    assert given.name(own, "answer-v") == "0.0.1"
    assert said and "is in the task file already" in said[0]


def test_checks_before_any_call(tmp_path):
    config = tmp_path / "c.xml"
    config.write_text('<View><Image name="image" value="$image"/></View>')
    tasks_file = tmp_path / "tasks.json"
    tasks_file.write_text("[]")
    project = Project(parse_config(config.read_text(), path=str(config)), [], MediaResolver(tmp_path),
                      str(tasks_file))
    # nothing listens on port 9: each refusal comes before a connection is tried
    with pytest.raises(Exception, match="never writes over its inputs"):
        next(predict_steps(project, [], PredictOptions("http://127.0.0.1:9", str(tasks_file))))
    with pytest.raises(PredictError, match="batch size is 0"):
        next(predict_steps(project, [], PredictOptions("http://127.0.0.1:9", str(tmp_path / "o.json"),
                                                       batch_size=0)))
    # raised at the call, not at the first step: the window's dialog catches them there and writes nothing
    with pytest.raises(PredictError, match="batch size is 0"):
        predict_steps(project, [], PredictOptions("http://127.0.0.1:9", str(tmp_path / "o.json"), batch_size=0))
    with pytest.raises(PredictError, match="USER:PASSWORD"):
        BasicAuth.parse("no-colon")
    assert BasicAuth.parse("me:pa:ss") == BasicAuth("me", "pa:ss")


def test_the_windows_output_is_named_after_the_original_and_never_taken(tmp_path):
    from viewer.core.mlbackend.run import next_output

    tasks = tmp_path / "tasks.json"
    tasks.write_text("[]")
    first = next_output(str(tasks))
    assert first == str(tmp_path / "tasks.predicted.json")
    (tmp_path / "tasks.predicted.json").write_text("[]")
    # predicting the predicted copy again: a new file named after the original, never the open one
    assert next_output(first) == str(tmp_path / "tasks.predicted-2.json")
    (tmp_path / "tasks.predicted-2.json").write_text("[]")
    assert next_output(str(tmp_path / "tasks.predicted-2.json")) == str(tmp_path / "tasks.predicted-3.json")
    folder = tmp_path / "many"
    folder.mkdir()
    assert next_output(str(folder) + "/") == str(tmp_path / "many.predicted.json")

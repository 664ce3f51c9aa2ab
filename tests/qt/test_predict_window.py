"""Review > Predict this task / Predict listed tasks against the real ML backend of tests/server/test_predict.py:
the predicted copy opens with the same review session, the new model version is compared with the stored one at
once, the copy is kept in Open Recent with that session (a restart opens it), and Cancel writes nothing."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.qt.review_project import open_window
from tests.server.test_predict import TEXT_CONFIG, ml_backend  # noqa: F401 (the fixture)
from viewer.qt.ml_predict import URL_KEY, USER_KEY


@pytest.fixture
def text_window(qtbot, tmp_path, monkeypatch, ml_backend):  # noqa: F811
    tasks = [{"id": 10 + n, "data": {"text": f"text {n}"},
              "predictions": [{"model_version": "old-model", "score": 0.5,
                               "result": [{"id": f"o{n}", "from_name": "sentiment", "to_name": "text",
                                           "type": "choices", "value": {"choices": ["Negative"]}}]}]}
             for n in range(3)]
    (tmp_path / "tasks.json").write_text(json.dumps(tasks))
    (tmp_path / "config.xml").write_text(TEXT_CONFIG)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append("warning: " + text))
    window = open_window(qtbot, tmp_path, tmp_path / "tasks.json", tmp_path / "config.xml")
    qtbot.waitUntil(lambda: window.workspace.task_index is not None)
    window.settings.setValue(URL_KEY, ml_backend.url)
    window.settings.setValue(USER_KEY, ml_backend.user)
    window.predictor._password = ml_backend.password
    yield window, shown
    window.loader.wait()


def _opened(qtbot, window, name: str) -> None:
    qtbot.waitUntil(lambda: window.request is not None and window.request.tasks.endswith(name)
                    and window.project is not None and window.project.tasks_path.endswith(name), timeout=20_000)
    qtbot.waitUntil(lambda: window.workspace.compare.panel.source_a.count() > 0 and window.index >= 0,
                    timeout=20_000)


def test_predict_this_task_opens_the_copy_with_the_session_and_compares_at_once(qtbot, text_window, tmp_path):
    window, shown = text_window
    session = window.review.path
    assert window.review.set_status(1, "needs-fix")
    window.show_task(1)
    qtbot.waitUntil(lambda: window.index == 1)
    window.actions_by_name["predict_task"].trigger()
    _opened(qtbot, window, "tasks.predicted.json")
    written = json.loads((tmp_path / "tasks.predicted.json").read_text())
    assert [len(task["predictions"]) for task in written] == [1, 2, 1]   # only the task shown was sent
    assert written[1]["predictions"][1]["model_version"] == "INITIAL"
    assert window.review.path == session          # the same review, tasks matched by id
    assert window.review.status(1) == "needs-fix" and window.index == 1
    panel = window.workspace.compare.panel
    assert panel.enabled.isChecked()
    assert (panel.source_a.currentData(), panel.source_b.currentData()) == ("model:INITIAL", "model:old-model")
    assert any("predicted 1 of 1 task(s)" in text for text in shown)
    # kept for the next start: Open Recent names the copy with this session
    recent = window.recent.entries()[0]
    assert recent.tasks.endswith("tasks.predicted.json") and recent.session == str(session)


def test_predict_listed_tasks_writes_a_new_copy_and_cancel_writes_nothing(qtbot, text_window, tmp_path):
    window, shown = text_window
    predictor = window.predictor
    assert predictor.predict_listed()
    predictor.long.cancel()                       # before the first answer: nothing is written
    assert not (tmp_path / "tasks.predicted.json").exists()
    assert window.statusBar().currentMessage() == "Predict cancelled: nothing was written"
    window.actions_by_name["predict_listed"].trigger()
    _opened(qtbot, window, "tasks.predicted.json")
    assert all(len(task.predictions) == 2 for task in window.project.tasks)
    # again, on the copy: another copy, named after the original; INITIAL is stored now, so the run's time is added
    window.actions_by_name["predict_listed"].trigger()
    _opened(qtbot, window, "tasks.predicted-2.json")
    versions = {task.predictions[-1].model_version for task in window.project.tasks}
    assert len(versions) == 1 and versions.pop().startswith("INITIAL 20")
    assert not [text for text in shown if text.startswith("warning")]


def test_media_the_backend_cannot_fetch_is_said_before_the_call(qtbot, text_window, tmp_path, monkeypatch):
    window, shown = text_window
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text)
                        or QMessageBox.StandardButton.No)
    # the text config's tasks carry no media: nothing to ask
    assert window.predictor.start([0]) and not asked
    _opened(qtbot, window, "tasks.predicted.json")
    image_config = tmp_path / "image.xml"
    image_config.write_text('<View><Image name="image" value="$image"/></View>')
    (tmp_path / "images.json").write_text(json.dumps([{"id": 5, "data": {"image": "pics/a.png"}}]))
    from viewer.qt.loader import OpenRequest

    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(str(tmp_path / "images.json"), str(image_config)))
    assert not window.predictor.start([0])      # answered No: nothing sent, nothing written
    # named as the window numbers tasks (from 1)
    assert "task 1 (id 5): 'pics/a.png'" in asked[0] and "a path on this computer" in asked[0]
    assert not (tmp_path / "images.predicted.json").exists()

"""Whole-object results and undrawn tasks read as plain words (FORMAT.md 4): one row per control, paths as paths."""

from __future__ import annotations

import pytest

from viewer.core.config import parse_config
from viewer.core.media import MediaResolver
from viewer.core.project import Project
from viewer.core.tasks import make_task
from viewer.render.content import task_content
from viewer.render.readable import classification_rows, data_only_note, data_only_text, value_text


@pytest.mark.parametrize("kind, value, text", [
    ("choices", ["A", "B"], "A, B"),
    ("choices", [["Animal", "Cat"], ["Plant"]], "Animal / Cat; Plant"),
    ("taxonomy", [["Root", "Child"]], "Root / Child"),
    ("textarea", ["first line", "second"], "first line\nsecond"),
    ("textarea", "a string, tolerated", "a string, tolerated"),
    ("number", 3.5, "3.5"),
    ("datetime", "2024-05-01T13:45", "2024-05-01T13:45"),
    ("pairwise", "left", "left"),
    ("ranker", {"good": ["a", "b"], "bad": ["c"]}, "good: a, b; bad: c"),
])
def test_values_in_words(kind, value, text):
    assert value_text(kind, value) == text


def project_of(config: str, tasks: list[dict], tmp_path) -> Project:
    return Project(parse_config(config), [make_task(t, i, "tasks.json") for i, t in enumerate(tasks)],
                   MediaResolver(tmp_path, offline=True, cache_dir=tmp_path / "cache"))


CLASSIFY = """<View><Image name="image" value="$image"/>
  <Choices name="scene" toName="image"><Choice value="Street"/></Choices>
  <Rating name="quality" toName="image" maxRating="10"/>
  <TextArea name="notes" toName="image"/>
  <Pairwise name="pick" toName="image,image"/>
</View>"""


def test_classification_rows_per_control_with_rating_out_of_its_maximum(tmp_path):
    results = [{"id": "c", "from_name": "scene", "to_name": "image", "type": "choices",
                "value": {"choices": ["Street"]}},
               {"id": "r", "from_name": "quality", "to_name": "image", "type": "rating", "value": {"rating": 7}},
               {"id": "t", "from_name": "notes", "to_name": "image", "type": "textarea",
                "value": {"text": ["blurry", "retake"]}},
               {"id": "p", "from_name": "pick", "to_name": "pick", "type": "pairwise", "value": {"selected": "right"}},
               {"id": "box", "from_name": "scene", "to_name": "image", "type": "choices", "item_index": 2,
                "value": {"choices": ["Street"]}}]
    project = project_of(CLASSIFY, [{"data": {"image": "x.png"}, "predictions": [{"result": results}]}], tmp_path)
    layer = task_content(project, project.tasks[0]).layers[0]
    rows = [(r.control, r.kind, r.page, r.text) for r in classification_rows(project.config, layer)]
    assert rows == [("scene", "choices", None, "Street"), ("quality", "rating", None, "7 / 10"),
                    ("notes", "textarea", None, "blurry\nretake"), ("pick", "pairwise", None, "right"),
                    ("scene", "choices", 2, "Street")]


AUDIO = """<View><Audio name="audio" value="$audio"/>
  <Labels name="kind" toName="audio"><Label value="Speech"/></Labels>
  <Choices name="mood" toName="audio"><Choice value="Calm"/></Choices></View>"""


def test_an_audio_task_reads_as_its_data_and_results(tmp_path):
    task = {"id": 9, "data": {"audio": "https://example.org/a.wav", "speaker": {"name": "Ann"}},
            "predictions": [{"model_version": "vad-2", "result": [
                {"id": "s1", "from_name": "kind", "to_name": "audio", "type": "labels",
                 "value": {"start": 1.5, "end": 3.25, "labels": ["Speech"]}, "score": 0.9},
                {"id": "m", "from_name": "mood", "to_name": "audio", "type": "choices", "value": {"choices": ["Calm"]}},
                {"type": "relation", "from_id": "s1", "to_id": "m", "direction": "bi"}]}]}
    project = project_of(AUDIO, [task], tmp_path)
    content = task_content(project, project.tasks[0])
    assert not content.is_image
    # issue 18: audio is drawn (the waveform view); a task lands here when its audio data is missing
    assert data_only_note(project.config) == ("This task's Audio data is missing or cannot be read (see `lsview "
                                              "validate`); its data and results are shown as data only.")
    text = data_only_text(project, project.tasks[0], content, "Task 1 of 1 (id 9)")
    for expected in ("Task 1 of 1 (id 9) · ", "audio: https://example.org/a.wav", 'speaker: {"name": "Ann"}',
                     "prediction 0 · vad-2", "mood [choices]: Calm",
                     "Speech 0.90 · audio-segment on audio · 1.500-3.250 s, channel 0",
                     "relation s1 ↔ m"):
        assert expected in text, expected


TEXT = """<View><Text name="text" value="$text"/><Labels name="ner" toName="text"><Label value="Person"/></Labels>
</View>"""


def test_a_text_task_shows_its_text_and_its_spans_with_what_they_cover(tmp_path):
    task = {"data": {"text": "Alice met Bob in Paris."}, "annotations": [{"result": [
        {"id": "p1", "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {"start": 10, "end": 13, "labels": ["Person"]}}]}]}
    project = project_of(TEXT, [task], tmp_path)
    content = task_content(project, project.tasks[0])
    assert "missing or not text" in data_only_note(project.config)
    text = data_only_text(project, project.tasks[0], content, "Task 1 of 1")
    assert 'TEXT "text" ($text)\nAlice met Bob in Paris.\n' in text
    assert 'Person · span on text · 10-13 "Bob"' in text


def test_a_task_without_results_says_so(tmp_path):
    project = project_of(AUDIO, [{"data": {"audio": "a.wav"}}], tmp_path)
    text = data_only_text(project, project.tasks[0], task_content(project, project.tasks[0]), "Task 1")
    assert text.rstrip().endswith("(no predictions or annotations)")

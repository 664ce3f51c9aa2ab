"""Task files of every shape: JSON list, one object, JSON Lines, folders, exports, broken files."""

from __future__ import annotations

import json

import pytest

from viewer.core.errors import TaskFileError
from viewer.core.tasks import load_tasks

TASK = {"id": 7, "data": {"image": "a.jpg"}, "predictions": [{"model_version": "m1", "score": 0.5, "result": []}],
        "annotations": [{"id": 3, "completed_by": 1, "result": [], "lead_time": 2.5}], "meta": {"k": 1},
        "unknown_field": {"kept": True}}


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_json_list_one_object_and_json_lines_read_the_same(tmp_path):
    as_list = load_tasks(write(tmp_path / "a.json", json.dumps([TASK, TASK])))
    as_object = load_tasks(write(tmp_path / "b.json", json.dumps(TASK)))
    as_lines = load_tasks(write(tmp_path / "c.jsonl", json.dumps(TASK) + "\n\n" + json.dumps(TASK) + "\n"))
    as_lines_in_json = load_tasks(write(tmp_path / "d.json", json.dumps(TASK) + "\n" + json.dumps(TASK)))
    assert len(as_list) == 2 and len(as_object) == 1 and len(as_lines) == 2 and len(as_lines_in_json) == 2
    for task in (as_list[1], as_object[0], as_lines[1]):
        assert task.id == 7 and task.data == {"image": "a.jpg"} and task.has_data_wrapper
        assert task.raw["unknown_field"] == {"kept": True} and task.meta == {"k": 1}
        assert task.predictions[0].model_version == "m1" and task.predictions[0].score == 0.5
        assert task.annotations[0].raw["completed_by"] == 1
    assert [t.index for t in as_list] == [0, 1]
    assert [t.line for t in as_lines] == [1, 3]


def test_folder_reads_every_task_file_in_order_with_global_indices(tmp_path):
    write(tmp_path / "b.json", json.dumps([TASK]))
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.jsonl", json.dumps(TASK))
    write(tmp_path / "a.json", json.dumps([TASK, TASK]))
    write(tmp_path / "notes.txt", "not a task file")
    tasks = load_tasks(tmp_path)
    assert [(t.index, t.file.rsplit("/", 1)[-1]) for t in tasks] == [(0, "a.json"), (1, "a.json"), (2, "b.json"),
                                                                     (3, "c.jsonl")]


def test_task_without_data_wrapper_keeps_its_predictions_and_says_so(tmp_path):
    raw = {"image": "x.jpg", "predictions": [{"result": []}]}
    task = load_tasks(write(tmp_path / "t.json", json.dumps([raw, {"image": "y.jpg"}])))
    assert task[0].data == {"image": "x.jpg"} and not task[0].has_data_wrapper
    assert [n.code for n in task[0].notes] == ["no-data-wrapper"]
    assert len(task[0].predictions) == 1
    assert task[1].data == {"image": "y.jpg"} and task[1].notes == []


def test_export_with_prediction_ids_only_is_noted(tmp_path):
    raw = {"id": 1, "data": {"t": "x"}, "predictions": [11, 12], "annotations": []}
    task = load_tasks(write(tmp_path / "t.json", json.dumps([raw])))[0]
    assert [n.code for n in task.notes] == ["prediction-id-only"]
    assert [p.id for p in task.predictions] == [11, 12]


def test_bad_shapes_inside_a_task_are_notes_not_failures(tmp_path):
    raws = [[1, 2], {"data": {"a": 1}, "predictions": {"result": []}},
            {"data": {"a": 1}, "annotations": [{"result": "x"}, None]}]
    tasks = load_tasks(write(tmp_path / "t.json", json.dumps(raws)))
    assert [[n.code for n in t.notes] for t in tasks] == [["invalid-value"], ["invalid-value"],
                                                          ["invalid-value", "invalid-value"]]


@pytest.mark.parametrize("text, line, column", [
    ('[{"data": {"a": 1}},\n {"data": }]', 2, 11),
    ('[{"data": {"a": 1}}', 1, 20),
])
def test_broken_json_names_file_line_and_column(tmp_path, text, line, column):
    path = write(tmp_path / "broken.json", text)
    with pytest.raises(TaskFileError) as info:
        load_tasks(path)
    assert (info.value.line, info.value.column) == (line, column)
    assert str(path) in str(info.value)


def test_broken_json_lines_names_the_line(tmp_path):
    path = write(tmp_path / "t.jsonl", json.dumps(TASK) + "\n{oops\n")
    with pytest.raises(TaskFileError) as info:
        load_tasks(path)
    assert info.value.line == 2 and "JSON Lines" in str(info.value)


def test_json_lines_keep_line_separators_inside_strings(tmp_path):
    # JSON allows U+2028, U+0085 and form feeds raw in a string (json.dumps(..., ensure_ascii=False) writes them);
    # they do not end a line of a JSON Lines file.
    first = {**TASK, "data": {**TASK["data"], "text": "one\u2028two\x85three\x0cfour"}}
    path = tmp_path / "t.jsonl"
    text = json.dumps(first, ensure_ascii=False) + "\r\n" + json.dumps(TASK) + "\r\n"
    path.write_bytes((text + "{oops\r\n").encode("utf-8"))
    with pytest.raises(TaskFileError) as info:
        load_tasks(path)
    assert info.value.line == 3
    path.write_bytes(text.encode("utf-8"))
    tasks = load_tasks(path)
    assert [t.data.get("text") for t in tasks] == ["one\u2028two\x85three\x0cfour", None]
    assert [t.line for t in tasks] == [1, 2]


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_nesting_too_deep_to_read_is_an_error_not_a_crash(tmp_path, name):
    deep = '{"data": {"x": ' + "[" * 5000 + "]" * 5000 + "}}"
    path = write(tmp_path / name, f"[{deep}]" if name.endswith(".json") else json.dumps(TASK) + "\n" + deep)
    with pytest.raises(TaskFileError, match="nested too deeply") as info:
        load_tasks(path)
    assert info.value.line == (None if name.endswith(".json") else 2)


@pytest.mark.parametrize("text, message", [("", "empty"), ("42", "holds a JSON int"), ("\xff", None)])
def test_files_that_are_not_tasks(tmp_path, text, message):
    path = tmp_path / "t.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(TaskFileError) as info:
        load_tasks(path)
    if message:
        assert message in str(info.value)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(TaskFileError, match="no such file"):
        load_tasks(tmp_path / "nope.json")
    with pytest.raises(TaskFileError, match="holds no"):
        load_tasks(tmp_path)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([TASK]).encode())
    assert load_tasks(path)[0].id == 7


def test_hostile_ids_are_shown_short_and_never_raise():
    from viewer.core.tasks import ID_SHOWN, id_text

    deep: list = []
    for _ in range(5000):  # deeper than repr() can go
        deep = [deep]
    assert id_text("abc") == "abc" and id_text(17) == "17" and id_text(-3) == "-3"
    for hostile in ("x" * 50_000_000, deep, 10 ** 100_000, {"a": [1, 2, {"b": deep}]}, 1.5e308, None):
        assert len(id_text(hostile)) <= ID_SHOWN + 40
    assert "50,000,000 characters" in id_text("x" * 50_000_000)

"""NER exports of Text spans: the tokenizer rule, first labels, overlaps (the longer kept, the other reported),
data.jsonl records in code points and CoNLL 2003 blocks."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from tests.builders import IMAGE_CONFIG, TEXT_CONFIG, image_task, rect, write_project
from viewer.core.export.base import ExportError
from viewer.core.export.training import ner, training_formats
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.run import export_training
from viewer.core.export.training.ner import SpanIn
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession


def words(text):
    return [text[start:end] for start, end in ner.tokens(text)]


def test_tokens_are_word_runs_or_single_other_characters_with_code_point_offsets():
    text = "New York. Ann's café—2.5 ok 😀x"
    assert words(text) == ["New", "York", ".", "Ann", "'", "s", "café", "—", "2", ".", "5", "ok", "😀", "x"]
    assert ner.tokens(text)[-2:] == [(28, 29), (29, 30)]  # the emoji is one code point
    assert words("a\r\n\tb__c  ") == ["a", "b__c"]


def test_each_span_takes_its_first_label_and_extra_labels_are_reported():
    found = ner.entities("Ann Lee", [SpanIn(0, 7, ("PER", "NAME"), "s1")])
    assert found.entities == (ner.Entity(0, 7, "PER", "s1"),)
    assert found.relabelled == ("span s1 has labels PER, NAME: exported as PER",) and found.dropped == ()


def test_of_overlapping_spans_the_longer_is_kept_and_the_other_reported():
    text = "New York City"
    found = ner.entities(text, [SpanIn(0, 8, ("LOC",), "short"), SpanIn(0, 13, ("CITY",), "long"),
                                SpanIn(9, 13, ("X",), "tail")])
    assert [(e.start, e.end, e.label) for e in found.entities] == [(0, 13, "CITY")]
    assert [d.detail for d in found.dropped] == [
        "span short [0, 8) LOC overlaps the longer span long [0, 13) CITY: left out",
        "span tail [9, 13) X overlaps the longer span long [0, 13) CITY: left out"]
    assert {d.reason for d in found.dropped} == {"a text span overlapping a longer one"}


def test_equal_overlapping_spans_keep_the_one_that_starts_first_then_the_earlier():
    found = ner.entities("abcdef", [SpanIn(2, 5, ("B",), "b"), SpanIn(1, 4, ("A",), "a"),
                                    SpanIn(1, 4, ("C",), "c")])
    assert [e.label for e in found.entities] == ["A"]
    assert len(found.dropped) == 2


def test_touching_spans_do_not_overlap():
    found = ner.entities("abcdef", [SpanIn(0, 3, ("A",), "a"), SpanIn(3, 6, ("B",), "b")])
    assert [e.label for e in found.entities] == ["A", "B"] and found.dropped == ()


def test_spans_outside_the_text_empty_or_unlabelled_are_skipped_and_reported():
    found = ner.entities("abc", [SpanIn(1, 9, ("A",), "far"), SpanIn(2, 2, ("A",), "empty"),
                                 SpanIn(0, 1, (), "bare")])
    assert found.entities == ()
    assert [d.detail for d in found.dropped] == [
        "span far [1, 9) is empty or does not fit the text (3 code points)",
        "span empty [2, 2) is empty or does not fit the text (3 code points)",
        "span bare [0, 1) has no label"]


def test_a_jsonl_record_holds_the_text_and_code_point_entities_in_text_order():
    text = "😀 Ann met Bob"
    found = ner.entities(text, [SpanIn(10, 13, ("PER",), "b"), SpanIn(2, 5, ("PER",), "a")])
    assert ner.ner_record(text, found) == {"text": text, "entities": [[2, 5, "PER"], [10, 13, "PER"]]}
    assert text[2:5] == "Ann" and text[10:13] == "Bob"


def test_conll_tags_b_then_i_and_o_outside():
    text = "Ann Lee lives in New York."
    found = ner.entities(text, [SpanIn(0, 7, ("PER",), "p"), SpanIn(17, 25, ("LOC",), "l")])
    assert ner.conll_block(text, found.entities) == (
        "Ann -X- _ B-PER\nLee -X- _ I-PER\nlives -X- _ O\nin -X- _ O\nNew -X- _ B-LOC\nYork -X- _ I-LOC\n"
        ". -X- _ O\n\n")


def test_adjacent_entities_of_one_label_each_begin_with_b():
    text = "Ann Bob"
    found = ner.entities(text, [SpanIn(0, 3, ("PER",), "a"), SpanIn(4, 7, ("PER",), "b")])
    assert [tag for _, tag in ner.token_tags(text, found.entities)] == ["B-PER", "B-PER"]


def test_a_span_that_cuts_a_token_tags_it_whole_and_is_reported():
    text = "NewYork is big"
    found = ner.entities(text, [SpanIn(3, 7, ("LOC",), "y"), SpanIn(7, 8, ("X",), "space")])
    assert ner.token_tags(text, found.entities)[0] == ("NewYork", "B-LOC")
    assert ner.unaligned(text, found.entities) == [
        "span y [3, 7) LOC cuts a token: the whole token is tagged in data.conll",
        "span space [7, 8) X covers no token: no tag in data.conll"]
    padded = ner.entities("a New York b", [SpanIn(1, 11, ("LOC",), "p")])
    assert ner.unaligned("a New York b", padded.entities) == []


def test_a_block_ends_with_an_empty_line_after_the_docstart_header():
    assert ner.CONLL_HEADER + ner.conll_block("Hi", ()) + ner.conll_block("Yo there", ()) == (
        "-DOCSTART- -X- -X- O\n\nHi -X- _ O\n\nYo -X- _ O\nthere -X- _ O\n\n")


# ---- the ner-jsonl and conll2003 formats on the export framework


NER_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Choices name="sentiment" toName="text"><Choice value="good"/></Choices>
</View>
"""


def span(rid, start, end, *labels):
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "labels": list(labels)}}


def annotated(task_id, text, *results, updated="2024-01-01T00:00:00Z", **extra):
    return {"id": task_id, "data": {"text": text},
            "annotations": [{"id": task_id * 10, "updated_at": updated, "result": list(results), **extra}]}


def export(tmp_path, tasks, fmt, config=NER_CONFIG, **options):
    tasks_path, config_path = write_project(tmp_path / "project", tasks, config)
    project = open_project(tasks_path, config_path)
    session = ReviewSession.open(project)
    try:
        summary = export_training(session, tmp_path / "out", training_formats()[fmt], TrainingOptions(**options))
    finally:
        session.close()
    return tmp_path / "out", summary


def ner_tasks():
    return [
        annotated(1, "😀 Ann Lee met Bob in New York.", span("a", 2, 9, "PER", "LOC"), span("b", 14, 17, "PER"),
                  span("c", 21, 29, "LOC"), span("d", 25, 29, "PER"),
                  {"id": "s", "from_name": "sentiment", "to_name": "text", "type": "choices",
                   "value": {"choices": ["good"]}}),
        {"id": 2, "data": {"text": "Nothing here"},
         "annotations": [
             {"id": 21, "updated_at": "2024-03-01T00:00:00Z", "result": []},
             {"id": 20, "updated_at": "2024-01-01T00:00:00Z", "result": [span("old", 0, 7, "PER")]}]},
        {"id": 3, "data": {"text": "No annotation"}},
    ]


def test_ner_jsonl_writes_one_record_per_task_with_code_point_entities(tmp_path):
    out, summary = export(tmp_path, ner_tasks(), "ner-jsonl")
    assert sorted(p.name for p in out.iterdir()) == ["data.jsonl", "files.csv"]
    lines = (out / "data.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    text = "😀 Ann Lee met Bob in New York."
    assert records == [{"text": text, "entities": [[2, 9, "PER"], [14, 17, "PER"], [21, 29, "LOC"]]},
                       {"text": "Nothing here", "entities": []}]   # the latest annotation of task 2 is empty
    assert text[2:9] == "Ann Lee" and text[21:29] == "New York"
    assert "😀" in lines[0]  # written as UTF-8, not escaped
    assert summary.instances == {"PER": 2, "LOC": 1}
    assert summary.skipped == {"a text span overlapping a longer one": 1}
    assert any("span d [25, 29) PER overlaps the longer span c [21, 29) LOC" in note for note in summary.notes)
    assert "1 span(s) had several labels: each exported with its first" in summary.notes
    assert summary.left_out == 1
    rows = (out / "files.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[-1] for row in rows[1:]] == ["data.jsonl", "data.jsonl", ""]


def test_conll2003_writes_one_block_per_task_after_the_docstart_line(tmp_path):
    out, summary = export(tmp_path, ner_tasks(), "conll2003")
    assert sorted(p.name for p in out.iterdir()) == ["data.conll", "files.csv"]
    assert (out / "data.conll").read_text(encoding="utf-8") == (
        "-DOCSTART- -X- -X- O\n\n"
        "😀 -X- _ O\nAnn -X- _ B-PER\nLee -X- _ I-PER\nmet -X- _ O\nBob -X- _ B-PER\nin -X- _ O\n"
        "New -X- _ B-LOC\nYork -X- _ I-LOC\n. -X- _ O\n\n"
        "Nothing -X- _ O\nhere -X- _ O\n\n")
    assert summary.tasks == 2


def test_the_two_annotations_of_a_task_give_one_block_not_two(tmp_path):
    tasks = [{"id": 1, "data": {"text": "Ann"},
              "annotations": [{"id": 1, "updated_at": "2024-01-01T00:00:00Z", "result": [span("x", 0, 3, "LOC")]},
                              {"id": 2, "updated_at": "2024-02-01T00:00:00Z", "result": [span("y", 0, 3, "PER")]}]}]
    out, _summary = export(tmp_path, tasks, "conll2003")
    assert (out / "data.conll").read_text(encoding="utf-8") == "-DOCSTART- -X- -X- O\n\nAnn -X- _ B-PER\n\n"


def test_predictions_of_a_model_version_are_exported(tmp_path):
    tasks = [{"id": 1, "data": {"text": "Ann"},
              "predictions": [{"model_version": "m1", "result": [span("p", 0, 3, "PER")]},
                              {"model_version": "m2", "result": [span("q", 0, 3, "LOC")]}]}]
    out, _summary = export(tmp_path, tasks, "ner-jsonl", source="predictions", model_version="m2")
    assert json.loads((out / "data.jsonl").read_text(encoding="utf-8")) == {"text": "Ann", "entities": [[0, 3, "LOC"]]}


def test_a_config_without_a_labelled_text_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(ExportError, match="<Text> labelled by <Labels>"):
        export(tmp_path, [image_task(rect("r1"))], "conll2003", config=IMAGE_CONFIG)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["project"]


def test_hypertext_spans_are_skipped_with_their_reason(tmp_path):
    tasks = [{"id": 1, "data": {"text": "Ann", "html": "<p>Bob</p>", "dialog": []},
              "annotations": [{"id": 1, "result": [
                  span("a", 0, 3, "PER"),
                  {"id": "h", "from_name": "hner", "to_name": "html", "type": "hypertextlabels",
                   "value": {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0,
                             "endOffset": 3, "hypertextlabels": ["PER"]}}]}]}]
    out, summary = export(tmp_path, tasks, "ner-jsonl", config=TEXT_CONFIG)
    assert json.loads((out / "data.jsonl").read_text(encoding="utf-8"))["entities"] == [[0, 3, "PER"]]
    assert summary.skipped == {"a hypertext-span (ner-jsonl takes the spans of a <Text>)": 1}


spans_strategy = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)), max_size=25)


@settings(max_examples=200, deadline=None)
@given(spans_strategy)
def test_overlaps_are_settled_as_longest_first_greedy(pairs):
    spans = [SpanIn(start, start + length, ("L",), str(i)) for i, (start, length) in enumerate(pairs)]
    found = ner.entities("x" * 50, spans)
    expected: list[SpanIn] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start, int(s.region_id))):
        if all(span.end <= k.start or k.end <= span.start for k in expected):
            expected.append(span)
    assert [e.region_id for e in found.entities] == [s.region_id for s in sorted(expected, key=lambda s: s.start)]
    assert len(found.dropped) == len(spans) - len(expected)

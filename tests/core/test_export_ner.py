"""NER exports of Text spans: the tokenizer rule, first labels, overlaps (the longer kept, the other reported),
data.jsonl records in code points and CoNLL 2003 blocks."""

from __future__ import annotations

from viewer.core.export import ner
from viewer.core.export.ner import SpanIn


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
    assert found.problems == ("span s1 has labels PER, NAME: exported as PER",)


def test_of_overlapping_spans_the_longer_is_kept_and_the_other_reported():
    text = "New York City"
    found = ner.entities(text, [SpanIn(0, 8, ("LOC",), "short"), SpanIn(0, 13, ("CITY",), "long"),
                                SpanIn(9, 13, ("X",), "tail")])
    assert [(e.start, e.end, e.label) for e in found.entities] == [(0, 13, "CITY")]
    assert found.problems == (
        "span short [0, 8) LOC overlaps the longer span long [0, 13) CITY: skipped",
        "span tail [9, 13) X overlaps the longer span long [0, 13) CITY: skipped")


def test_equal_overlapping_spans_keep_the_one_that_starts_first_then_the_earlier():
    found = ner.entities("abcdef", [SpanIn(2, 5, ("B",), "b"), SpanIn(1, 4, ("A",), "a"),
                                    SpanIn(1, 4, ("C",), "c")])
    assert [e.label for e in found.entities] == ["A"]
    assert len(found.problems) == 2


def test_touching_spans_do_not_overlap():
    found = ner.entities("abcdef", [SpanIn(0, 3, ("A",), "a"), SpanIn(3, 6, ("B",), "b")])
    assert [e.label for e in found.entities] == ["A", "B"] and found.problems == ()


def test_spans_outside_the_text_empty_or_unlabelled_are_skipped_and_reported():
    found = ner.entities("abc", [SpanIn(1, 9, ("A",), "far"), SpanIn(2, 2, ("A",), "empty"),
                                 SpanIn(0, 1, (), "bare")])
    assert found.entities == ()
    assert found.problems == ("span far [1, 9) does not fit the text (3 code points) or is empty: skipped",
                              "span empty [2, 2) does not fit the text (3 code points) or is empty: skipped",
                              "span bare has no label: skipped")


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


def test_the_conll_file_starts_with_the_docstart_line_and_an_empty_line():
    blocks = [ner.conll_block("Hi", ()), ner.conll_block("Yo there", ())]
    assert ner.conll_file(blocks) == "-DOCSTART- -X- -X- O\n\nHi -X- _ O\n\nYo -X- _ O\nthere -X- _ O\n\n"

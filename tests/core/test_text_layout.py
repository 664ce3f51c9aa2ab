"""The text layout model: spans land on the shown text exactly where Label Studio puts them (FORMAT.md 3)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import TEXT_CONFIG, write_project
from tests.conftest import load_vector
from viewer.core.html_nodes import html_text
from viewer.core.project import open_project
from viewer.core.regions import group_results
from viewer.core.shapes import HyperTextSpan, ParagraphSpan, Span
from viewer.core.text_layout import (LINE_SEPARATOR, build_document, build_layout, hypertext_document,
                                     paragraphs_document, place_spans, safe_tree, text_document, text_objects)
from viewer.core.textspans import code_points_to_utf16, span_text_agrees

LAYER = ("prediction", 0)
SAMPLES = load_vector("text_offsets.json")["samples"]


def shown(document, ranges) -> list[str]:
    return [document.text[a:b] for a, b in ranges]


def labels(start, end, text=None, rid="r1", label="PER", **extra) -> dict:
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels", "value": value, **extra}


def project_of(tmp_path, data: dict, results: list, annotations: list | None = None):
    task = {"id": 1, "data": data, "predictions": [{"model_version": "m1", "result": results}]}
    if annotations is not None:
        task["annotations"] = [{"id": 9, "result": annotations}]
    tasks, config = write_project(tmp_path, [task], TEXT_CONFIG)
    project = open_project(tasks, config)
    return project, project.tasks[0]


def layout_of(project, task, name="text"):
    layers = [((rs.source, rs.index), regions.regions) for rs, regions in project.regions(task)]
    return build_layout(project, task, name, layers)


# ---------------------------------------------------------------- Text


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["span"].encode("unicode_escape").decode() for s in SAMPLES])
def test_vector_spans_land_on_their_code_points(sample):
    document = text_document("text", sample["text"])
    placement = document.placer.place(Span(sample["codepoint_start"], sample["codepoint_end"], sample["span"]))
    assert placement.ranges == ((sample["codepoint_start"], sample["codepoint_end"]),)
    assert shown(document, placement.ranges) == [sample["span"]]
    assert span_text_agrees("span", placement.covered, sample["span"])


def test_crlf_is_one_break_on_screen_but_two_code_points_in_the_model():
    text = SAMPLES[0]["text"]  # "Hi 😀 there\r\nBob and Ann"
    document = text_document("text", text)
    assert document.text == text
    assert [(b.start, b.end) for b in document.blocks] == [(0, 10), (12, 23)]
    assert [document.text[b.start:b.end] for b in document.blocks] == ["Hi 😀 there", "Bob and Ann"]


def test_every_lone_cr_and_lf_breaks_a_line_as_in_the_editor():
    document = text_document("text", "a\rb\nc\r\n\r\nd")
    assert [document.text[b.start:b.end] for b in document.blocks] == ["a", "b", "c", "", "d"]


def test_flags_and_combining_marks_land_whole():
    text = "\U0001F1EB\U0001F1F7 Paris, cafe\u0301 and Zu\u0308rich"
    document = text_document("text", text)
    flag = document.placer.place(Span(0, 2, None))
    assert shown(document, flag.ranges) == ["\U0001F1EB\U0001F1F7"]
    start = text.index("cafe")
    accented = document.placer.place(Span(start, start + 5, None))
    assert shown(document, accented.ranges) == ["cafe\u0301"]
    start = text.index("Zu")
    assert shown(document, document.placer.place(Span(start, start + 7, None)).ranges) == ["Zu\u0308rich"]


def test_utf16_offsets_are_drawn_where_they_say_and_marked_with_the_utf16_hint(tmp_path):
    text = SAMPLES[0]["text"]
    bob = next(s for s in SAMPLES if s["span"] == "Bob")
    project, task = project_of(tmp_path, {"text": text}, [
        labels(bob["utf16_start"], bob["utf16_end"], "Bob", rid="old"),
        labels(bob["codepoint_start"], bob["codepoint_end"], "Bob", rid="good"),
    ])
    model = layout_of(project, task)
    by_id = {span.region.id: span for span in model.spans}
    assert by_id["good"].problem is None
    old = by_id["old"]
    assert old.ranges == ((bob["utf16_start"], bob["utf16_end"]),)  # by the offsets, never by `text`
    assert "UTF-16" in old.problem and "'ob '" in old.problem


def test_newline_mangled_text_of_a_crlf_span_is_not_a_mismatch(tmp_path):
    project, task = project_of(tmp_path, {"text": "ab\r\ncd"}, [labels(1, 5, "b\\n\\nc")])
    assert layout_of(project, task).spans[0].problem is None


def test_span_outside_the_text_is_not_placed_and_says_utf16_would_fit(tmp_path):
    text = "😀😀 ab"
    project, task = project_of(tmp_path, {"text": text}, [labels(4, 7, rid="far")])
    model = layout_of(project, task)
    assert model.spans == ()
    (span,) = model.unplaced
    assert span.key == (LAYER, "far")
    assert "does not fit" in span.problem and "UTF-16" in span.problem
    assert code_points_to_utf16(text, len(text)) == 7


def test_overlapping_and_nested_spans_get_lanes_so_none_hides_another(tmp_path):
    text = "Alpha Beta Gamma Delta"
    project, task = project_of(tmp_path, {"text": text}, [
        labels(0, 10, rid="outer"), labels(6, 16, rid="cross"), labels(6, 10, rid="inner"),
        labels(17, 22, rid="alone"),
    ])
    model = layout_of(project, task)
    lanes = {span.region.id: span.lane for span in model.spans}
    assert len({lanes["outer"], lanes["cross"], lanes["inner"]}) == 3
    assert lanes["alone"] == 0  # a span that overlaps nothing goes back to the first lane
    assert model.lanes == 3
    assert [s.region.id for s in model.spans] == ["outer", "cross", "inner", "alone"]


def test_per_span_values_attach_by_id(tmp_path):
    project, task = project_of(tmp_path, {"text": "Ann met Bob"}, [
        labels(0, 3, rid="a", meta={"text": "checked"}),
        {"id": "a", "from_name": "comment", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 3, "text": ["a person", "probably"]}},
        {"id": "a", "from_name": "kind", "to_name": "text", "type": "choices",
         "value": {"start": 0, "end": 3, "choices": ["Named"]}},
    ])
    (span,) = layout_of(project, task).spans
    assert dict(span.values) == {"comment": "a person, probably", "kind": "Named", "meta.text": "checked"}


def test_layers_keep_their_keys_and_ids_repeat_across_them(tmp_path):
    project, task = project_of(tmp_path, {"text": "Ann met Bob"}, [labels(0, 3, rid="x")],
                               annotations=[labels(8, 11, rid="x")])
    model = layout_of(project, task)
    assert {(s.key, s.ranges) for s in model.spans} == {((LAYER, "x"), ((0, 3),)),
                                                         ((("annotation", 0), "x"), ((8, 11),))}
    assert model.find((("annotation", 0), "x")) is not None
    assert model.find((LAYER, "nope")) is None


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\r", "\n", "😀", "\u0301", "\U0001F1EB", "é"]), max_size=40),
       st.data())
def test_any_text_span_covers_exactly_its_code_points(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    document = text_document("text", text)
    placement = document.placer.place(Span(start, end, None))
    assert placement.covered == text[start:end]
    assert placement.ranges == (((start, end),) if start < end else ())
    # blocks tile the text between the breaks
    assert re.sub(r"\r\n|\r|\n", "", text) == "".join(text[b.start:b.end] for b in document.blocks)


# ---------------------------------------------------------------- Paragraphs


DIALOG = [{"author": "Ann", "text": "😀 hi there"}, {"author": "Bob", "text": "ok\nthen"}, {"text": "no author"},
          {"author": "Eve"}]


def test_paragraphs_are_a_dialogue_with_spans_in_utf16_units_inside_each_phrase():
    document = paragraphs_document("dialog", DIALOG)
    texts = [document.text[b.start:b.end] for b in document.blocks]
    assert texts == ["Ann: 😀 hi there", f"Bob: ok{LINE_SEPARATOR}then", "no author",
                     'Eve: (phrase 3 has no "text" text)']
    assert [b.author for b in document.blocks] == ["Ann", "Bob", None, "Eve"]
    author = document.blocks[0].runs[0]
    assert document.text[author.start:author.end] == "Ann: " and "author" in author.flags
    # "hi" is UTF-16 3..5 in phrase 0 (the emoji takes two units), code points 2..4
    hi = document.placer.place(ParagraphSpan(0, 0, 3, 5, "hi"))
    assert shown(document, hi.ranges) == ["hi"]
    across = document.placer.place(ParagraphSpan(0, 1, 6, 2, "there\nok"))
    assert shown(document, across.ranges) == ["there", "ok"]
    assert span_text_agrees("paragraph-span", across.covered, "there\nok")


def test_paragraph_spans_that_do_not_fit_are_not_placed():
    document = paragraphs_document("dialog", DIALOG)
    assert "do not exist" in document.placer.place(ParagraphSpan(2, 9, 0, 1, None)).problem
    assert "UTF-16" in document.placer.place(ParagraphSpan(0, 0, 0, 40, None)).problem
    assert "no \"text\"" in document.placer.place(ParagraphSpan(3, 3, 0, 0, None)).problem


def test_paragraphs_through_the_project_use_name_and_text_keys(tmp_path):
    result = {"id": "q", "from_name": "plabels", "to_name": "dialog", "type": "paragraphlabels",
              "value": {"start": "1", "end": "1", "startOffset": 0, "endOffset": 2, "text": "ok",
                        "paragraphlabels": ["Question"]}}
    project, task = project_of(tmp_path, {"dialog": DIALOG}, [result])
    model = layout_of(project, task, "dialog")
    (span,) = model.spans
    assert shown(model.document, span.ranges) == ["ok"] and span.problem is None


# ---------------------------------------------------------------- HyperText


HTML = ('<div>\n  <h2>Title here</h2>\n  <p onclick="steal()">Hello <b>Bob</b> and <i>Ann</i>.<br/>New '
        'line</p>\n<script>document.write("EVIL")</script><style>p {color: red}</style>'
        '<ul><li>one</li><li>two <a href="http://evil.example/x">link</a></li></ul>'
        '<img src="http://evil.example/track.png" alt="logo"></div>')


def test_hypertext_shows_no_script_or_style_and_drops_handlers_and_remote_urls():
    document = hypertext_document("html", HTML)
    assert "EVIL" not in document.text and "color" not in document.text
    assert "[image not loaded: logo]" in document.text
    tree = safe_tree(HTML)
    for element in tree.iter():
        if isinstance(element.tag, str):
            assert not any(name.startswith("on") for name in element.attrib)
            assert element.get("src") is None and element.get("href") is None
    kinds = [(b.kind, document.text[b.start:b.end]) for b in document.blocks]
    assert kinds[:2] == [("heading", "Title here"), ("paragraph", f"Hello Bob and Ann.{LINE_SEPARATOR}New line")]
    assert ("item", "\u2022 one") in kinds


def test_hypertext_keeps_data_url_images_as_blocks():
    document = hypertext_document("html", '<p>a</p><img src="data:image/png;base64,AAAA"><p>b</p>')
    assert [(b.kind, b.image) for b in document.blocks] == [("paragraph", None),
                                                           ("image", "data:image/png;base64,AAAA"),
                                                           ("paragraph", None)]


def test_hypertext_spans_by_xpath_then_global_offsets():
    document = hypertext_document("html", HTML)
    global_text = html_text(HTML)
    bob = document.placer.place(HyperTextSpan("/div[1]/p[1]/b[1]/text()[1]", "/div[1]/p[1]/b[1]/text()[1]", 0, 3,
                                              None, None, "Bob"))
    assert bob.placed_by == "xpath" and shown(document, bob.ranges) == ["Bob"]
    # across nodes: from "Hello" in the p's first text node to "Ann" inside <i>
    across = document.placer.place(HyperTextSpan("/div[1]/p[1]/text()[1]", "/div[1]/p[1]/i[1]/text()[1]", 0, 3,
                                                 None, None, None))
    assert shown(document, across.ranges) == ["Hello Bob and Ann"]
    # text nodes of the p: "Hello ", " and ", ".", then "New line" after the <br>
    line = document.placer.place(HyperTextSpan("/div[1]/p[1]/text()[4]", "/div[1]/p[1]/text()[4]", 0, 3,
                                               None, None, None))
    assert shown(document, line.ranges) == ["New"]
    start = global_text.index("Title")
    fallback = document.placer.place(HyperTextSpan("/div[1]/h9[1]/text()[1]", "/x", 0, 5, start, start + 5,
                                                   "Title"))
    assert fallback.placed_by == "globalOffsets" and shown(document, fallback.ranges) == ["Title"]
    lost = document.placer.place(HyperTextSpan("/nope", "/nope", 0, 1, None, None, None))
    assert lost.ranges == () and "no globalOffsets" in lost.problem
    hidden = html_text(HTML).index("EVIL")
    script = document.placer.place(HyperTextSpan("/x", "/x", 0, 0, hidden, hidden + 4, None))
    assert script.ranges == () and "not shown" in script.problem


def test_global_offsets_count_whitespace_between_tags_like_the_editor():
    html = "<div>\n  <h2>Heading</h2>\n  <p>Text</p></div>"
    document = hypertext_document("html", html)
    start = html_text(html).index("Text")
    assert start == 13  # "\n  " + "Heading" + "\n  " before it, as the browser's text nodes are
    placed = document.placer.place(HyperTextSpan("/x", "/x", 0, 0, start, start + 4, "Text"))
    assert shown(document, placed.ranges) == ["Text"]


WORDS = st.sampled_from(["a", "bc", " ", "  ", "\n", "😀", "x\u0301", "&amp;", "\t"])
TAGS = st.sampled_from(["p", "b", "i", "div", "span", "li", "h3", "pre", "td"])  # scripts: a test of their own


@st.composite
def html_fragments(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(TAGS)
            parts.append(f"<{tag}>{draw(html_fragments(depth + 1))}</{tag}>")
        elif draw(st.integers(0, 5)) == 0:
            parts.append("<br>")
        else:
            parts.append(draw(WORDS))
    return "".join(parts)


@settings(max_examples=80, deadline=None)
@given(html_fragments())
def test_every_shown_character_maps_back_to_the_same_global_character(html):
    document = hypertext_document("html", html)
    placer = document.placer
    if placer is None:
        assert not html.strip()
        return
    global_text = placer.global_text
    assert global_text == html_text(html)
    mapping = placer.to_shown
    assert len(mapping) == len(global_text) + 1
    assert all(a <= b for a, b in zip(mapping, mapping[1:]))
    ends = placer.ends
    assert len(ends) == len(global_text) + 1
    assert all(a <= b for a, b in zip(ends, ends[1:]))
    for position, char in enumerate(global_text):
        if not char.isspace() and mapping[position] < mapping[position + 1]:
            assert document.text[mapping[position]] == char
            assert ends[position + 1] == mapping[position] + 1  # a span ending here ends right after it
    for (parent, nth), (start, length) in placer.nodes.nodes.items():
        node_text = parent.text if nth == 1 and parent.text else None
        if node_text is not None:
            assert global_text[start:start + length] == node_text


# ---------------------------------------------------------------- documents from a project


def test_text_objects_and_documents_of_a_task(tmp_path):
    project, task = project_of(tmp_path, {"text": "plain", "html": "<p>x</p>", "dialog": DIALOG}, [])
    assert text_objects(project, task) == ["text", "html", "dialog"]
    assert [build_document(project, task, n).kind for n in ("text", "html", "dialog")] == \
        ["text", "hypertext", "paragraphs"]


def test_missing_or_wrong_data_gives_an_empty_document_with_a_note(tmp_path):
    project, task = project_of(tmp_path, {"text": "plain", "dialog": "not a list"}, [])
    assert text_objects(project, task) == ["text", "dialog"]
    dialog = build_document(project, task, "dialog")
    assert dialog.text == "" and "not a list of phrases" in dialog.notes[0]
    html = build_document(project, task, "html")
    assert html.text == "" and html.notes
    regions = group_results([labels(0, 1)], "prediction", 0, lambda name: "text")
    model = place_spans(html, [(LAYER, [r for r in regions.regions])])
    assert model.spans == () and model.unplaced == ()  # the span points at "text", not at this object

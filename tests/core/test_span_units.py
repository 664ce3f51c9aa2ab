"""Spans land where Label Studio 1.23.2 draws them (issue 14): HyperText offsets inside a text node are UTF-16 units,
globalOffsets code points, and an XPath that resolves wins; the reading view, `validate`, `inspect` and the spans the
editor writes agree. Paragraphs spans with JSON-number start/end are drawn nowhere, as in the editor."""

from __future__ import annotations

import pytest

from tests.builders import TEXT_CONFIG, write_project
from viewer.core.diagnostics import diagnose
from viewer.core.html_nodes import HtmlNodes, NodeSpan, html_text
from viewer.core.project import open_project
from viewer.core.resolve import task_records
from viewer.core.shapes import HyperTextSpan
from viewer.core.text_layout import build_layout, hypertext_document, hypertext_span_value
from viewer.core.textspans import Utf16Index, utf16_slice

# the issue's example: "😀" is one code point and two UTF-16 units; &nbsp; is one of each
ISSUE_HTML = "<p>Tom &amp; Jerry&nbsp;go 😀 home<br>next line</p>"
NODE = "/p[1]/text()[1]"
DIALOG = [{"author": "A", "text": "Where is 😀 Bob?"}, {"author": "B", "text": "Here"}]


def hyper(start_offset, end_offset, global_offsets=None, text=None, path=NODE, end_path=None, rid="h"):
    value = {"start": path, "end": end_path or path, "startOffset": start_offset, "endOffset": end_offset,
             "hypertextlabels": ["PER"]}
    if global_offsets is not None:
        value["globalOffsets"] = {"start": global_offsets[0], "end": global_offsets[1]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "hner", "to_name": "html", "type": "hypertextlabels", "value": value}


def project_of(tmp_path, data: dict, results: list):
    data = {"text": "plain", "html": "<p>x</p>", "dialog": DIALOG, **data}  # every object of TEXT_CONFIG has data
    tasks, config = write_project(tmp_path, [{"id": 1, "data": data, "predictions": [{"result": results}]}],
                                  TEXT_CONFIG)
    project = open_project(tasks, config)
    return project, project.tasks[0]


def drawn(project, task, name="html") -> dict:
    """region id -> the shown text each placed span covers (None when it is not placed)."""
    layers = [((rs.source, rs.index), regions.regions) for rs, regions in project.regions(task)]
    layout = build_layout(project, task, name, layers)
    text = layout.document.text
    found = {span.region.id: "".join(text[a:b] for a, b in span.ranges) for span in layout.spans}
    found.update({span.region.id: None for span in layout.unplaced})
    return found


def inspected(project, task) -> dict:
    return {r["id"]: r["shape"] for r in task_records(project, task) if "id" in r}


def diagnosed(project) -> list[tuple[str, str, str]]:
    return [(d.code, d.result_id, d.severity) for d in diagnose(project)]


# ---------------------------------------------------------------- the issue's example, exactly


def test_the_issues_example_lands_where_label_studio_draws_it(tmp_path):
    results = [hyper(15, 21, rid="a"), hyper(15, 22, rid="b")]
    project, task = project_of(tmp_path, {"html": ISSUE_HTML}, results)
    assert drawn(project, task) == {"a": "😀 hom", "b": "😀 home"}
    shapes = inspected(project, task)
    assert (shapes["a"]["text"], shapes["a"]["placed_by"]) == ("😀 hom", "xpath")
    assert (shapes["b"]["text"], shapes["b"]["placed_by"]) == ("😀 home", "xpath")
    assert diagnosed(project) == []


def test_globalOffsets_count_code_points_and_an_xpath_that_resolves_wins(tmp_path):
    start = html_text(ISSUE_HTML).index("😀")
    assert start == 15
    results = [hyper(0, 1, (start, start + 6), "😀 home", path="/nowhere", rid="g"),   # placed by globalOffsets
               hyper(0, 3, (start, start + 6), "Tom", rid="x")]                         # its XPath wins
    project, task = project_of(tmp_path, {"html": ISSUE_HTML}, results)
    assert drawn(project, task) == {"g": "😀 home", "x": "Tom"}
    shapes = inspected(project, task)
    assert (shapes["g"]["text"], shapes["g"]["placed_by"]) == ("😀 home", "globalOffsets")
    assert (shapes["x"]["text"], shapes["x"]["placed_by"]) == ("Tom", "xpath")
    assert diagnosed(project) == []


def test_inspect_gives_the_drawn_text_without_globalOffsets_and_says_why_when_nothing_is_drawn(tmp_path):
    results = [hyper(0, 3, rid="a"), hyper(15, 23, rid="lost")]
    project, task = project_of(tmp_path, {"html": ISSUE_HTML}, results)
    shapes = inspected(project, task)
    assert shapes["a"]["text"] == "Tom" and shapes["a"]["globalOffsets"] is None
    assert shapes["lost"]["text"] is None and shapes["lost"]["placed_by"] is None
    assert "offset 23 does not fit the 22 UTF-16 units" in shapes["lost"]["error"]
    assert drawn(project, task)["lost"] is None
    found = list(diagnose(project))
    assert [(d.code, d.result_id, d.severity) for d in found] == [("span-out-of-range", "lost", "error")]
    assert "no globalOffsets" in found[0].message and "draws no highlight" in found[0].message


# ---------------------------------------------------------------- characters of every width

CASES = [
    # (HTML, the text a span should cover)
    ("<p>a 😀 b 😀 c</p>", "b 😀 c"),                                # emoji before and inside
    ("<p>ok 👍🏽 fine 👍🏽 end</p>", "fine 👍🏽"),                    # skin tone: two code points, four units
    ("<p>👩‍👩‍👧 family 🇫🇷 flag</p>", "flag"),                        # ZWJ sequence and a flag before
    ("<p>cafe\u0301 and caf\u00e9 here</p>", "caf\u00e9 here"),       # combining and precomposed accents
    ("<p>x&nbsp;😀&nbsp;y&nbsp;z</p>", "y\u00a0z"),                     # &nbsp; inside a text node
]


@pytest.mark.parametrize("html, wanted", CASES, ids=["emoji", "skin-tone", "zwj-flag", "accents", "nbsp"])
def test_offsets_made_from_a_selection_are_utf16_and_place_back_on_it(html, wanted):
    document = hypertext_document("html", html)
    start = document.text.index(wanted)
    value = hypertext_span_value(document, start, start + len(wanted))
    node = html_text(html)
    # offsets inside the text node count UTF-16 units (a DOM Range's); globalOffsets count code points
    assert utf16_slice(node, value["startOffset"], value["endOffset"]) == wanted
    assert node[value["globalOffsets"]["start"]:value["globalOffsets"]["end"]] == wanted
    assert value["text"] == wanted
    for path in (value["start"], "/gone"):
        shape = HyperTextSpan(path, path, value["startOffset"], value["endOffset"], value["globalOffsets"]["start"],
                              value["globalOffsets"]["end"], value["text"])
        placed = document.placer.place(shape)
        assert [document.text[a:b] for a, b in placed.ranges] == [wanted]


@pytest.mark.parametrize("html, wanted", CASES, ids=["emoji", "skin-tone", "zwj-flag", "accents", "nbsp"])
def test_spans_written_with_code_point_offsets_are_flagged_with_the_utf16_hint(tmp_path, html, wanted):
    node = html_text(html)
    start = node.index(wanted)
    units = Utf16Index(node)
    right = hyper(units.to_utf16(start), units.to_utf16(start + len(wanted)), text=wanted, rid="right")
    old = hyper(start, start + len(wanted), text=wanted, rid="old")   # as lsview wrote them before
    project, task = project_of(tmp_path, {"html": html}, [right, old])
    shifted = units.to_utf16(start) != start or units.to_utf16(start + len(wanted)) != start + len(wanted)
    found = [d for d in diagnose(project) if d.result_id == "old"]
    if not shifted:  # nothing astral before the span: both countings agree
        assert found == []
        return
    assert [(d.code, d.severity) for d in found] == [("span-text-mismatch", "warning")]
    assert "counted as code points" in found[0].message and "UTF-16" in found[0].message
    assert drawn(project, task)["right"] == wanted
    assert [d for d in diagnose(project) if d.result_id == "right"] == []


def test_a_text_mismatch_names_the_globalOffsets_that_lost_to_the_xpath(tmp_path):
    start = html_text(ISSUE_HTML).index("home")
    project, task = project_of(tmp_path, {"html": ISSUE_HTML}, [hyper(0, 3, (start, start + 4), "home")])
    (found,) = diagnose(project)
    assert found.code == "span-text-mismatch" and "XPath that resolves wins" in found.message
    assert "cover 'Tom'" in found.message


# ---------------------------------------------------------------- XPath details


def test_an_offset_splitting_a_surrogate_pair_covers_the_character_it_cuts():
    nodes = HtmlNodes.parse("<p>a😀b</p>")
    assert nodes.place(HyperTextSpan(NODE, NODE, 2, 2, None, None, None)) == NodeSpan(1, 2, "xpath")
    assert nodes.place(HyperTextSpan(NODE, NODE, 0, 2, None, None, None)) == NodeSpan(0, 2, "xpath")


def test_an_element_xpath_counts_the_utf16_units_of_the_text_below_it_without_breaks():
    nodes = HtmlNodes.parse("<p>😀a<br>b<i>c</i></p>")
    assert nodes.text == "😀a\nbc"
    # offset 4 in <p>: "😀a" is 3 units, then "b" (the <br> counts none)
    assert nodes.resolve("/p[1]", 4) == 4
    assert nodes.resolve("/p[1]", 5, round_up=True) == 5
    assert nodes.resolve("/p[1]", 6) is None


def test_utf16_index_maps_both_ways():
    text = "a😀b👍🏽c"
    index = Utf16Index(text)
    assert index.utf16_length == len(text.encode("utf-16-le")) // 2 == 9
    for position in range(len(text) + 1):
        units = index.to_utf16(position)
        assert utf16_slice(text, 0, units) == text[:position]
        assert index.to_code_points(units) == position


# ---------------------------------------------------------------- Paragraphs: JSON-number start/end



def paragraph(rid, start, end, start_offset, end_offset):
    return {"id": rid, "from_name": "plabels", "to_name": "dialog", "type": "paragraphlabels",
            "value": {"start": start, "end": end, "startOffset": start_offset, "endOffset": end_offset,
                      "paragraphlabels": ["Question"]}}


def test_paragraph_spans_with_number_indices_are_drawn_nowhere_and_validate_says_so(tmp_path):
    results = [paragraph("s", "0", "0", 12, 15), paragraph("n", 0, 0, 12, 15), paragraph("m", "0", 1, 0, 4)]
    project, task = project_of(tmp_path, {"dialog": DIALOG}, results)
    assert drawn(project, task, "dialog") == {"s": "Bob", "n": None, "m": None}
    shapes = inspected(project, task)
    assert shapes["s"]["text"] == "Bob" and shapes["n"]["text"] is None and "JSON numbers" in shapes["n"]["error"]
    found = list(diagnose(project))
    assert [(d.code, d.result_id, d.severity) for d in found] == [("paragraph-span-numeric", "n", "error"),
                                                                 ("paragraph-span-numeric", "m", "error")]
    assert "draws no highlight" in found[0].message and "label-only region" in found[0].message

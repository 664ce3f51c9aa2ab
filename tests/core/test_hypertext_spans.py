"""HyperText spans made from a shown-text selection: the value Label Studio stores, placed back where it was made,
with XPaths that lxml resolves in the original HTML (FORMAT.md 3.2)."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_text_layout import HTML, html_fragments
from viewer.core.shapes import HyperTextSpan
from viewer.core.text_layout import LINE_SEPARATOR, hypertext_document, hypertext_span_value, text_document
from viewer.core.textspans import utf16_slice
from viewer.core.html_nodes import html_text


def node_text(html: str, path: str) -> str:
    """The one text node a value's XPath names, looked up by lxml in the HTML as given."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    (node,) = root.xpath("." + path)
    return str(node)


def span_of(value: dict, *, xpath: bool = True) -> HyperTextSpan:
    start, end = (value["start"], value["end"]) if xpath else ("/lost", "/lost")
    return HyperTextSpan(start, end, value["startOffset"], value["endOffset"], value["globalOffsets"]["start"],
                         value["globalOffsets"]["end"], value["text"])


@pytest.mark.parametrize("first, last, start_path, end_path", [
    ("Bob", "Bob", "/div[1]/p[1]/b[1]/text()[1]", "/div[1]/p[1]/b[1]/text()[1]"),
    ("Hello", "Ann", "/div[1]/p[1]/text()[1]", "/div[1]/p[1]/i[1]/text()[1]"),
    ("Title", "here", "/div[1]/h2[1]/text()[1]", "/div[1]/h2[1]/text()[1]"),
    ("New", "line", "/div[1]/p[1]/text()[4]", "/div[1]/p[1]/text()[4]"),
    ("two", "link", "/div[1]/ul[1]/li[2]/text()[1]", "/div[1]/ul[1]/li[2]/a[1]/text()[1]"),
])
def test_a_selection_becomes_xpaths_and_offsets_that_lead_back_to_it(first, last, start_path, end_path):
    document = hypertext_document("html", HTML)
    start = document.text.index(first)
    end = document.text.index(last, start) + len(last)
    value = hypertext_span_value(document, start, end)
    assert (value["start"], value["end"]) == (start_path, end_path)
    global_text = html_text(HTML)
    assert global_text[value["globalOffsets"]["start"]:value["globalOffsets"]["end"]].startswith(first)
    assert utf16_slice(node_text(HTML, value["start"]), value["startOffset"]).startswith(first)
    assert utf16_slice(node_text(HTML, value["end"]), 0, value["endOffset"]).endswith(last)
    for xpath in (True, False):
        placed = document.placer.place(span_of(value, xpath=xpath))
        assert placed.ranges == ((start, end),)
        assert placed.placed_by == ("xpath" if xpath else "globalOffsets")


def test_the_stored_text_is_the_text_nodes_with_a_break_as_backslash_n():
    document = hypertext_document("html", HTML)
    start = document.text.index("Ann")
    value = hypertext_span_value(document, start, document.text.index("New") + 3)
    assert value["text"] == "Ann.\\nNew"
    assert document.text[start:start + 8] == f"Ann.{LINE_SEPARATOR}New"


def test_offsets_count_code_points_and_whitespace_between_tags():
    html = "<div>\n  <h2>Heading</h2>\n  <p>Say 😀 <b>x\u0301y</b></p></div>"
    document = hypertext_document("html", html)
    start = document.text.index("x")
    value = hypertext_span_value(document, start, start + 3)
    assert value["globalOffsets"] == {"start": 19, "end": 22}   # "\n  Heading\n  Say 😀 " is 19 code points
    assert (value["start"], value["startOffset"], value["endOffset"]) == ("/div[1]/p[1]/b[1]/text()[1]", 0, 3)
    assert node_text(html, value["start"]) == "x\u0301y"


def test_nothing_is_made_from_what_no_text_node_shows():
    document = hypertext_document("html", "<ul><li>one</li></ul><p>two</p>")
    assert document.text.startswith("\u2022 ")
    assert hypertext_span_value(document, 0, 2) is None          # the bullet is the viewer's, not the HTML's
    assert hypertext_span_value(document, 0, 3)["text"] == "o"  # a selection starting on it moves in
    assert hypertext_span_value(text_document("t", "plain"), 0, 2) is None


@settings(max_examples=80, deadline=None)
@given(html_fragments(), st.integers(0, 60), st.integers(1, 60))
def test_every_value_made_places_back_inside_its_selection(html, begin, size):
    document = hypertext_document("html", html)
    if document.placer is None:
        return
    start = min(begin, len(document.text))
    end = min(start + size, len(document.text))
    value = hypertext_span_value(document, start, end)
    if value is None:
        return
    for xpath in (True, False):
        (placed,) = document.placer.place(span_of(value, xpath=xpath)).ranges
        assert start <= placed[0] < placed[1] <= end
    # offsets inside a text node count UTF-16 units (a DOM Range's), globalOffsets code points
    head, tail = node_text(html, value["start"]), node_text(html, value["end"])
    covered = html_text(html)[value["globalOffsets"]["start"]:value["globalOffsets"]["end"]]
    assert covered.startswith(utf16_slice(head, value["startOffset"])[:1])
    assert covered.endswith(utf16_slice(tail, 0, value["endOffset"])[-1:])
    if value["start"] == value["end"]:
        assert utf16_slice(head, value["startOffset"], value["endOffset"]) == covered

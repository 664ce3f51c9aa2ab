"""HyperText's text nodes as Label Studio counts them: globalOffsets in code points over every text node (a <br>
counting one), offsets inside a node in UTF-16 units (DOM Range offsets), XPaths of text nodes from the root.

Core layer, no Qt (FORMAT.md 3.2). An XPath that resolves wins over globalOffsets, as in the editor; the reading view,
`validate` and `inspect` all place spans here, so they agree on what a span covers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import lxml.html
from lxml import etree

from viewer.core.shapes import HyperTextSpan
from viewer.core.textspans import Utf16Index

_STEP = re.compile(r"^(text\(\)|[A-Za-z][\w.:-]*)(?:\[(\d+)\])?$")


@dataclass(frozen=True)
class NodeSpan:
    """Where a HyperText span lands in the global text (code points), and what placed it."""

    start: int
    end: int
    placed_by: str  # "xpath" | "globalOffsets"


def parse_html(html: str) -> Any:
    """The HTML as an lxml tree under one wrapper <div>, the root every XPath starts from."""
    return lxml.html.fragment_fromstring(html, create_parent="div")


class HtmlNodes:
    """The text nodes of a parsed tree in document order: where each starts in the global text, by its parent and
    its number among the parent's text nodes (text()[n]), and the global range of every element."""

    def __init__(self, root: Any, *, walk: bool = True):
        """The nodes of the tree under root; with walk=False the tables start empty, for a caller that walks the
        tree once for its own ends too (text_layout.hypertext) and records each node here, then calls finish()."""
        self.root = root  # keeps the lxml proxies alive, so the tables stay keyed by the same objects
        self.nodes: dict[tuple[Any, int], tuple[int, int]] = {}  # (parent, n-th text node) -> start, length
        self.elements: dict[Any, tuple[int, int]] = {}           # element -> global start, end
        self.text_nodes: list[tuple[int, int, Any, int]] = []   # (start, length, parent, n) in document order
        self.length = 0
        self.text = ""
        self.node_starts: list[int] = []
        self._parts: list[str] = []
        self._indexes: dict[int, Utf16Index] = {}
        if walk:
            self._walk(root)
            self.finish()

    @staticmethod
    def parse(html: str) -> HtmlNodes | None:
        """The nodes of an HTML string; None when it is blank or cannot be parsed. `validate` and `inspect` ask
        once per span, so the last few documents are kept."""
        return _parsed(html)

    def add_text(self, parent: Any, nth: int, text: str) -> None:
        """Record the n-th text node of parent, next in document order."""
        self.nodes[(parent, nth)] = (self.length, len(text))
        self.text_nodes.append((self.length, len(text), parent, nth))
        self._parts.append(text)
        self.length += len(text)

    def add_break(self, element: Any) -> None:
        self.elements[element] = (self.length, self.length + 1)
        self._parts.append("\n")
        self.length += 1

    def add_image(self, element: Any) -> None:
        self.elements[element] = (self.length, self.length)

    def close_element(self, element: Any, start: int) -> None:
        """Record an element whose text started at global position start and ends here."""
        self.elements[element] = (start, self.length)

    def finish(self) -> None:
        self.text = "".join(self._parts)
        self._parts = []
        self.node_starts = [node[0] for node in self.text_nodes]

    def _walk(self, element: Any) -> None:
        start = self.length
        count = 0
        if element.text:
            count += 1
            self.add_text(element, count, element.text)
        for child in element:
            if isinstance(child.tag, str):
                tag = child.tag.lower()
                if tag == "br":
                    self.add_break(child)
                elif tag == "img":
                    self.add_image(child)
                else:
                    self._walk(child)
            if child.tail:
                count += 1
                self.add_text(element, count, child.tail)
        self.close_element(element, start)

    # ------------------------------------------------------------------ offsets

    def _index(self, start: int, length: int) -> Utf16Index:
        index = self._indexes.get(start)
        if index is None:
            index = self._indexes[start] = Utf16Index(self.text[start:start + length])
        return index

    def node_at(self, position: int) -> tuple[int, int, Any, int] | None:
        """The text node holding the global character at position (None for a <br>)."""
        at = bisect_right(self.node_starts, position) - 1
        if at < 0 or position >= self.text_nodes[at][0] + self.text_nodes[at][1]:
            return None
        return self.text_nodes[at]

    def dom_offset(self, node: tuple[int, int, Any, int], position: int) -> int:
        """The UTF-16 offset inside a text node of a global position in it (what a DOM Range stores)."""
        return self._index(node[0], node[1]).to_utf16(position - node[0])

    def xpath(self, parent: Any, nth: int) -> str:
        """The path of a text node from the root, as Label Studio writes it: /div[1]/p[1]/b[2]/text()[1]."""
        steps = [f"text()[{nth}]"]
        while parent is not self.root:
            tag = parent.tag.lower()
            before = sum(1 for sibling in parent.itersiblings(preceding=True)
                         if isinstance(sibling.tag, str) and sibling.tag.lower() == tag)
            steps.append(f"{tag}[{before + 1}]")
            parent = parent.getparent()
        return "/" + "/".join(reversed(steps))

    def _locate(self, path: str) -> tuple[int, int] | Any | None:
        """A text node's (start, length), or the element an XPath names; None when nothing has that path."""
        node = self.root
        steps = [step for step in path.strip().split("/") if step]
        for number, step in enumerate(steps):
            match = _STEP.match(step)
            if match is None:
                return None
            name, nth = match.group(1).lower(), int(match.group(2) or 1)
            if name == "text()":
                return self.nodes.get((node, nth)) if number == len(steps) - 1 else None
            children = [c for c in node if isinstance(c.tag, str) and c.tag.lower() == name]
            if not 0 < nth <= len(children):
                return None
            node = children[nth - 1]
        return node

    def resolve(self, path: str, offset: int, round_up: bool = False) -> int | None:
        """The global position of an XPath plus a UTF-16 offset in it; None when either does not fit.

        In a text node the offset counts that node's units; in an element it counts the units of the text nodes
        below it (a <br> counts none), as xpath-range seeks. `round_up` moves an offset that splits a surrogate
        pair past the character (a range's end), else it stays before it.
        """
        found = self._locate(path)
        if found is None or offset < 0:
            return None
        if isinstance(found, tuple):
            index = self._index(*found)
            return found[0] + index.to_code_points(offset, round_up) if offset <= index.utf16_length else None
        first, last = self.elements.get(found, (0, len(self.text)))
        for start, length, _, _ in self.text_nodes[bisect_left(self.node_starts, first):]:
            if start >= last:
                break
            index = self._index(start, length)
            if offset <= index.utf16_length:
                return start + index.to_code_points(offset, round_up)
            offset -= index.utf16_length
        return first if offset == 0 else None

    def _unresolved(self, path: str, offset: int) -> str | None:
        """Why one end's XPath and offset do not resolve, for a message; None when they do."""
        if self.resolve(path, offset) is not None:
            return None
        found = self._locate(path)
        if found is None:
            return f"nothing in this HTML has the XPath {path}"
        if isinstance(found, tuple):
            return f"offset {offset} does not fit the {self._index(*found).utf16_length} UTF-16 units of {path}"
        return f"offset {offset} does not fit the text below {path}"

    def place(self, shape: HyperTextSpan) -> NodeSpan | str:
        """Where the editor puts a span: by its XPaths and UTF-16 offsets when they resolve, else by its
        globalOffsets; a sentence saying why when neither does."""
        start = self.resolve(shape.start, shape.start_offset)
        end = self.resolve(shape.end, shape.end_offset, round_up=True)
        if start is not None and end is not None and start <= end:
            return NodeSpan(start, end, "xpath")
        length = len(self.text)
        if shape.global_start is not None and 0 <= shape.global_start <= shape.global_end <= length:
            return NodeSpan(shape.global_start, shape.global_end, "globalOffsets")
        given = "it has no globalOffsets" if shape.global_start is None else \
            f"its globalOffsets {shape.global_start}-{shape.global_end} do not fit the {length} characters of " \
            f"the HTML's text"
        why = self._unresolved(shape.start, shape.start_offset) or self._unresolved(shape.end, shape.end_offset) \
            or "its start comes after its end"
        return f"its XPath {shape.start} .. {shape.end} does not resolve in this HTML ({why}) and {given}"

    def as_code_points(self, shape: HyperTextSpan) -> str | None:
        """The text the span's XPaths would cover if startOffset/endOffset counted code points (as lsview wrote
        them before it counted UTF-16 units); None when they do not resolve that way either."""
        ends = []
        for path, offset in ((shape.start, shape.start_offset), (shape.end, shape.end_offset)):
            found = self._locate(path)
            if not isinstance(found, tuple) or not 0 <= offset <= found[1]:
                return None
            ends.append(found[0] + offset)
        return self.text[ends[0]:ends[1]] if ends[0] <= ends[1] else None


@lru_cache(maxsize=4)
def _parsed(html: str) -> HtmlNodes | None:
    if not html.strip():
        return None
    try:
        return HtmlNodes(parse_html(html))
    except (etree.ParserError, ValueError):
        return None


def html_text(html: str) -> str:
    """The concatenated text nodes of an HTML fragment in document order, `<br>` counting one ("\\n").

    Whitespace-only nodes between tags count, as they do in the browser's DOM (FORMAT.md 3.2).
    """
    if not html.strip():
        return html
    nodes = HtmlNodes.parse(html)
    return nodes.text if nodes is not None else ""

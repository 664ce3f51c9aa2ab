"""HyperText as a TextDocument: HTML parsed safely, shown as styled blocks, spans placed by XPath or globalOffsets
(html_nodes.py, as `validate` and `inspect` place them) and made from a selection of the shown text
(hypertext_span_value: UTF-16 offsets inside text nodes, code-point globalOffsets).

Core layer, no Qt. Nothing in the HTML runs or loads: scripts and styles are not shown, event handlers and every
non-data: URL are dropped before anything else sees the tree (FORMAT.md 3.2).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from itertools import repeat
from typing import Any

from lxml import etree

from viewer.core.html_nodes import HtmlNodes, NodeSpan, parse_html
from viewer.core.shapes import HyperTextSpan
from viewer.core.text_layout.model import (LINE_SEPARATOR, MAX_SHOWN_CHARACTERS, Block, Placement, Run,
                                           TextDocument, cut_document)
from viewer.core.textspans import newline_mangled

# Elements whose content a reader never sees (or that would fetch or run something); their text still counts in
# globalOffsets, as it does in the browser's DOM.
HIDDEN = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "head", "title",
                    "meta", "link", "base", "svg", "math", "canvas", "audio", "video", "source", "track", "frame",
                    "frameset", "applet", "param"})
BLOCKS = {
    **dict.fromkeys(("p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "figure",
                     "figcaption", "address", "details", "summary", "form", "fieldset", "dl", "dt", "dd", "ul",
                     "ol", "table", "thead", "tbody", "tfoot", "caption", "hr", "body", "html", "center"),
                    "paragraph"),
    **{f"h{n}": "heading" for n in range(1, 7)},
    "pre": "pre", "li": "item", "blockquote": "quote", "tr": "row",
}
INLINE_FLAGS = {
    **dict.fromkeys(("b", "strong", "th"), "bold"),
    **dict.fromkeys(("i", "em", "cite", "var", "dfn"), "italic"),
    **dict.fromkeys(("code", "kbd", "samp", "tt"), "code"),
    **dict.fromkeys(("s", "del", "strike"), "strike"),
    "a": "link",
}
URL_ATTRIBUTES = frozenset({"src", "href", "srcset", "action", "formaction", "poster", "background", "data",
                            "cite", "longdesc", "lowsrc", "dynsrc", "manifest", "codebase", "usemap", "ping",
                            "xlink:href", "profile", "archive", "classid"})
_WHITESPACE = re.compile(r"[ \t\n\f\r]+|[^ \t\n\f\r]+")
_PIECE = 1 << 16  # characters of a text node mapped at a time once the shown text nears its limit


def _is_data_url(value: str) -> bool:
    return value.strip().lower().startswith("data:")


def safe_tree(html: str) -> Any:
    """The HTML as an lxml tree under one wrapper <div>, with event handlers and non-data: URLs removed.

    The same parse as html_nodes.html_text, so text nodes and global offsets agree with `validate` and `inspect`.
    """
    root = parse_html(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            low = name.lower()
            value = element.attrib[name]
            if low.startswith("on") or (low in URL_ATTRIBUTES and not _is_data_url(value)) or \
                    (low == "style" and "url(" in value.lower()):
                del element.attrib[name]
    return root


class _Walker:
    """One pass over the tree: the shown text, and where each character of the global text (every text node,
    <br> = 1, as html_nodes counts it) shows."""

    def __init__(self, nodes: HtmlNodes, limit: int = MAX_SHOWN_CHARACTERS) -> None:
        self.nodes = nodes           # filled in the same pass: one walk over a big tree, not two
        self.limit = limit           # past this many shown characters text is only mapped, as if hidden
        self.to_shown = array("i")   # global position -> where its character shows (or the next one)
        self.ends = array("i", [0])  # global position -> shown length once the characters before it are in
        self.shown: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.block_start = 0
        self.runs: list[Run] = []
        self.after_space = True      # collapse whitespace at a block's start and after a space or break
        self.collapsed_tail = False  # the last shown character is a collapsed space, which a block end drops
        self.context = [("paragraph", 0)]
        self.list_counters: list[int | None] = []

    def show(self, text: str, flags: frozenset[str]) -> None:
        if not text:
            return
        if flags:
            last = self.runs[-1] if self.runs else None
            if last is not None and last.end == self.length and last.flags == flags:
                self.runs[-1] = Run(last.start, self.length + len(text), flags)
            else:
                self.runs.append(Run(self.length, self.length + len(text), flags))
        self.shown.append(text)
        self.length += len(text)
        self.after_space = text[-1] in (" ", LINE_SEPARATOR)
        self.collapsed_tail = False

    def text(self, text: str, hidden: bool, pre: bool, flags: frozenset[str]) -> None:
        done = 0
        while done < len(text):
            if hidden or self.length >= self.limit:
                self.unshown(len(text) - done)
                return
            # One text node may hold all 50 MB: take it in pieces that cannot show far past the limit. Pieces
            # map exactly as the whole would (a split space run still collapses, a split word still joins).
            piece = text[done:done + max(self.limit - self.length, _PIECE)]
            done += len(piece)
            if pre:
                self.to_shown.extend(range(self.length, self.length + len(piece)))
                self.ends.extend(range(self.length + 1, self.length + len(piece) + 1))
                self.show(piece.replace("\r", LINE_SEPARATOR).replace("\n", LINE_SEPARATOR), flags)
            else:
                self.flow(piece, flags)

    def flow(self, text: str, flags: frozenset[str]) -> None:
        """Text outside <pre>: runs of whitespace show as one space, or as nothing after a space or break."""
        for match in _WHITESPACE.finditer(text):
            token = match.group()
            if token[0] not in " \t\n\f\r":
                self.to_shown.extend(range(self.length, self.length + len(token)))
                self.ends.extend(range(self.length + 1, self.length + len(token) + 1))
                self.show(token, flags)
            elif self.after_space:
                self.to_shown.extend(repeat(self.length, len(token)))
                self.ends.extend(repeat(self.length, len(token)))
            else:
                # the run shows as one space: its first character is that space, the rest come after it
                self.to_shown.append(self.length)
                self.to_shown.extend(repeat(self.length + 1, len(token) - 1))
                self.ends.extend(repeat(self.length + 1, len(token)))
                self.show(" ", flags)
                self.collapsed_tail = True

    def unshown(self, count: int) -> None:
        """Map `count` characters of the global text to no shown one (hidden, or past the cut)."""
        same = array("i", [self.length]) * count  # an array repeats in C; repeat() goes value by value
        self.to_shown.extend(same)
        self.ends.extend(same)

    def line_break(self, hidden: bool) -> None:
        shows = not hidden and self.length < self.limit
        self.to_shown.append(self.length)
        self.ends.append(self.length + shows)
        if shows:
            self.show(LINE_SEPARATOR, frozenset())

    def close_block(self) -> None:
        """End the shown block (if it holds anything) and start the next one after a separating newline."""
        if self.collapsed_tail and self.length > self.block_start:
            self.shown[-1] = self.shown[-1][:-1]  # a browser drops the collapsed space at the end of a line
            self.length -= 1
            at = len(self.ends) - 1
            while at >= 0 and self.ends[at] > self.length:
                self.ends[at] = self.length
                at -= 1
        if self.length > self.block_start:
            kind, level = self.context[-1]
            runs = tuple(Run(r.start, min(r.end, self.length), r.flags) for r in self.runs
                         if r.start < self.length)
            self.blocks.append(Block(self.block_start, self.length, kind, level, runs))
            self.shown.append("\n")
            self.length += 1
        self.block_start = self.length
        self.runs = []
        self.after_space = True
        self.collapsed_tail = False

    def image(self, element: Any, hidden: bool, flags: frozenset[str]) -> None:
        if hidden or self.length >= self.limit:
            return
        src = element.get("src", "")
        alt = (element.get("alt") or "").strip()
        if _is_data_url(src):
            self.close_block()
            self.blocks.append(Block(self.length, self.length, "image", image=src))
            self.shown.append("\n")
            self.length += 1
            self.block_start = self.length
            return
        self.show(f"[image not loaded{': ' + alt if alt else ''}]", flags | {"muted"})

    def walk(self, element: Any, hidden: bool, pre: bool, flags: frozenset[str]) -> None:
        start = self.nodes.length
        tag = element.tag.lower()
        hidden = hidden or tag in HIDDEN
        pre = pre or tag in ("pre", "textarea")
        kind = BLOCKS.get(tag)
        if tag in INLINE_FLAGS:
            flags = flags | {INLINE_FLAGS[tag]}
        if kind is not None and not hidden:
            self.open_block(tag, kind)
            if kind == "heading":
                flags = flags | {"bold"}
            elif kind == "pre":
                flags = flags | {"code"}
        if tag in ("td", "th") and not hidden and self.block_start < self.length < self.limit:
            self.show("\t", frozenset())
        count = 0
        if element.text:
            count += 1
            self.nodes.add_text(element, count, element.text)
            self.text(element.text, hidden, pre, flags)
        for child in element:
            if isinstance(child.tag, str):
                child_tag = child.tag.lower()
                if child_tag == "br":
                    self.nodes.add_break(child)
                    self.line_break(hidden)
                elif child_tag == "img":
                    self.nodes.add_image(child)
                    self.image(child, hidden, flags)
                else:
                    self.walk(child, hidden, pre, flags)
            if child.tail:
                count += 1
                self.nodes.add_text(element, count, child.tail)
                self.text(child.tail, hidden, pre, flags)
        if kind is not None and not hidden:
            self.close_block()
            self.context.pop()
            if tag in ("ul", "ol"):
                self.list_counters.pop()
        self.nodes.close_element(element, start)

    def open_block(self, tag: str, kind: str) -> None:
        self.close_block()
        level = int(tag[1]) if kind == "heading" else self.context[-1][1] + (kind in ("item", "quote"))
        self.context.append((kind, level))
        if tag in ("ul", "ol"):
            self.list_counters.append(0 if tag == "ol" else None)
        elif kind == "item" and self.length < self.limit:
            counter = self.list_counters[-1] if self.list_counters else None
            if counter is None:
                self.show("\u2022 ", frozenset({"muted"}))
            else:
                self.list_counters[-1] = counter + 1
                self.show(f"{counter + 1}. ", frozenset({"muted"}))


class _HyperTextPlacer:
    def __init__(self, nodes: HtmlNodes, walker: _Walker):
        self.nodes = nodes
        self.to_shown, self.ends = walker.to_shown, walker.ends
        self.cut = walker.limit if walker.length >= walker.limit else None
        self.global_text = nodes.text

    def _shows(self, position: int) -> bool:
        # a character of a text node that takes a place in the shown text (not hidden, not a collapsed space)
        return self.ends[position + 1] == self.to_shown[position] + 1 and self.nodes.node_at(position) is not None

    def span_value(self, start: int, end: int) -> dict | None:
        """Label Studio's value for shown-text offsets start..end, trimmed to the text nodes it shows: offsets in
        a node in UTF-16 units, globalOffsets in code points."""
        first = bisect_left(self.to_shown, start)
        while first < len(self.global_text) and self.to_shown[first] < end and not self._shows(first):
            first += 1
        last = bisect_left(self.to_shown, end) - 1
        while last >= first and not self._shows(last):
            last -= 1
        if first >= len(self.global_text) or last < first:
            return None
        head, tail = self.nodes.node_at(first), self.nodes.node_at(last)
        return {"start": self.nodes.xpath(head[2], head[3]), "startOffset": self.nodes.dom_offset(head, first),
                "end": self.nodes.xpath(tail[2], tail[3]), "endOffset": self.nodes.dom_offset(tail, last + 1),
                "globalOffsets": {"start": first, "end": last + 1},
                "text": newline_mangled(self.global_text[first:last + 1])}

    def place(self, shape: Any) -> Placement:
        if not isinstance(shape, HyperTextSpan):  # one kind's rule: a HyperText object places only its own
            return Placement((), None, None, f"a {shape.kind} cannot be placed on a HyperText object")
        found = self.nodes.place(shape)
        if not isinstance(found, NodeSpan):
            return Placement((), None, None, found)
        covered = self.global_text[found.start:found.end]
        shown = (self.to_shown[found.start], self.ends[found.end])
        if self.cut is not None and shown[0] >= self.cut:
            return Placement((), covered, None, f"not shown: it lies past character {self.cut:,}, where the "
                                                f"text is cut")
        if shown[0] >= shown[1]:
            return Placement((), covered, None, "the span covers only text that is not shown (whitespace "
                                                "between tags, or a script)")
        return Placement((shown,), covered, found.placed_by)


def hypertext_document(name: str, html: str, limit: int = MAX_SHOWN_CHARACTERS) -> TextDocument:
    """The reading view of HTML: shown text, blocks, and a placer that resolves XPaths and globalOffsets.
    Only the first `limit` shown characters are laid out; the rest of the text is only mapped."""
    if not html.strip():
        return TextDocument(name, "hypertext", "", (), placer=None)
    try:
        root = safe_tree(html)
    except (etree.ParserError, ValueError) as exc:
        return TextDocument(name, "hypertext", "", (), (f"the HTML of \"{name}\" cannot be parsed: {exc}",))
    nodes = HtmlNodes(root, walk=False)
    walker = _Walker(nodes, limit)
    walker.walk(root, False, False, frozenset())
    walker.close_block()
    nodes.finish()
    walker.to_shown.append(walker.length)
    text = "".join(walker.shown)
    document = TextDocument(name, "hypertext", text, tuple(walker.blocks), placer=_HyperTextPlacer(nodes, walker))
    # cut where the walker stopped showing; the note counts the characters of the HTML's text nodes
    return cut_document(document, limit, len(nodes.text)) if walker.length >= limit else document


def hypertext_span_value(document: TextDocument, start: int, end: int) -> dict | None:
    """The `hypertextlabels` value (XPaths, offsets, globalOffsets, text) of shown-text offsets start..end.

    None when the range shows no character of a text node (FORMAT.md 3.2); `text` is the text nodes' own text.
    """
    placer = document.placer
    return placer.span_value(start, end) if isinstance(placer, _HyperTextPlacer) else None

"""Text and Paragraphs as a TextDocument: a line or a phrase per block, spans placed by their offsets.

Core layer, no Qt. Text offsets are code points; Paragraphs offsets are UTF-16 within a phrase (FORMAT.md 3).
"""

from __future__ import annotations

import re
from typing import Any

from viewer.core.shapes import ParagraphSpan, Span
from viewer.core.text_layout.model import (MAX_SHOWN_CHARACTERS, NEWLINES_TO_SEPARATORS, Block, Placement, Run,
                                           TextDocument, cut_document, cut_note)
from viewer.core.textspans import paragraph_slice, phrase_text, utf16_length, utf16_to_code_points

_BREAKS = re.compile(r"\r\n|\r|\n")
NUMERIC_PHRASES = "its start/end are JSON numbers, not the strings Label Studio writes (\"3\", not 3): Label " \
                  "Studio draws no highlight for it (a label-only region; two such on one object become one)"


class _TextPlacer:
    def __init__(self, text: str):
        self.text = text

    def place(self, shape: Any) -> Placement:
        if not isinstance(shape, Span):  # one kind's rule: a Text object places only its own spans
            return Placement((), None, None, f"a {shape.kind} cannot be placed on a Text object")
        if not 0 <= shape.start <= shape.end <= len(self.text):
            return Placement((), None, None, f"offsets {shape.start}-{shape.end} do not fit the text "
                                             f"({len(self.text)} code points)")
        covered = self.text[shape.start:shape.end]
        if shape.start == shape.end:
            return Placement((), covered, None, "the span covers no characters (start = end)")
        return Placement(((shape.start, shape.end),), covered, "offsets")


def text_document(name: str, raw: str, limit: int = MAX_SHOWN_CHARACTERS) -> TextDocument:
    """Text is shown as it is: one block per line; \\r\\n is one break on screen but stays two code points.
    Only the first `limit` characters are shown; spans are placed by the whole text."""
    shown = raw[:limit]
    blocks = []
    start = 0
    for match in _BREAKS.finditer(shown):
        blocks.append(Block(start, match.start()))
        start = match.end()
    blocks.append(Block(start, len(shown)))
    notes = (cut_note(limit, len(raw)),) if len(raw) > limit else ()
    return TextDocument(name, "text", shown, tuple(blocks), notes, placer=_TextPlacer(raw))


class _ParagraphPlacer:
    def __init__(self, phrases: list, text_key: str, texts: list[str | None], body_starts: list[int]):
        self.phrases, self.text_key, self.texts, self.body_starts = phrases, text_key, texts, body_starts

    def place(self, shape: Any) -> Placement:
        if not isinstance(shape, ParagraphSpan):  # one kind's rule: a Paragraphs object places only its own
            return Placement((), None, None, f"a {shape.kind} cannot be placed on a Paragraphs object")
        if shape.numeric:
            return Placement((), None, None, NUMERIC_PHRASES)
        count = len(self.texts)
        if not 0 <= shape.start <= shape.end < count:
            return Placement((), None, None, f"phrases {shape.start}-{shape.end} do not exist ({count} phrases)")
        first, last = self.texts[shape.start], self.texts[shape.end]
        if first is None or last is None:
            return Placement((), None, None, f"phrase {shape.start if first is None else shape.end} has no "
                                             f"\"{self.text_key}\" text")
        if not (0 <= shape.start_offset <= utf16_length(first) and 0 <= shape.end_offset <= utf16_length(last)):
            return Placement((), None, None, f"offsets {shape.start_offset}/{shape.end_offset} do not fit "
                                             f"phrases {shape.start}/{shape.end} (UTF-16 units)")
        ranges = []
        for index in range(shape.start, shape.end + 1):
            text = self.texts[index]
            if text is None:
                continue
            begin = utf16_to_code_points(text, shape.start_offset) if index == shape.start else 0
            stop = utf16_to_code_points(text, shape.end_offset) if index == shape.end else len(text)
            if begin < stop:
                ranges.append((self.body_starts[index] + begin, self.body_starts[index] + stop))
        covered = paragraph_slice(self.phrases, self.text_key, shape.start, shape.end, shape.start_offset,
                                  shape.end_offset)
        if not ranges:
            return Placement((), covered, None, "the span covers no characters")
        return Placement(tuple(ranges), covered, "offsets")


def paragraphs_document(name: str, phrases: list, name_key: str = "author", text_key: str = "text",
                        limit: int = MAX_SHOWN_CHARACTERS) -> TextDocument:
    """One block per phrase, opening with its author's name; phrase offsets stay UTF-16 (FORMAT.md 3.3).
    The first `limit` characters are shown; past them only where each phrase would start is worked out."""
    parts: list[str] = []
    blocks: list[Block] = []
    texts: list[str | None] = []
    body_starts: list[int] = []
    position = 0
    for index, phrase in enumerate(phrases):
        if index:
            parts.append("\n")
            position += 1
        author = phrase.get(name_key) if isinstance(phrase, dict) else None
        author = None if author is None else str(author)
        head = f"{author}: " if author else ""
        body = phrase_text(phrase, text_key)
        texts.append(body)
        if position >= limit:
            body_starts.append(position + len(head))
            position += len(head) + (len(body) if body is not None else len(_no_text(index, text_key)))
            continue
        shown = body.translate(NEWLINES_TO_SEPARATORS) if body is not None else _no_text(index, text_key)
        runs = [Run(position, position + len(head), frozenset({"author"}))] if head else []
        body_start = position + len(head)
        body_starts.append(body_start)
        if body is None:
            runs.append(Run(body_start, body_start + len(shown), frozenset({"muted"})))
        parts.append(head + shown)
        blocks.append(Block(position, body_start + len(shown), "phrase", runs=tuple(runs), author=author,
                            body_start=body_start))
        position = body_start + len(shown)
    document = TextDocument(name, "paragraphs", "".join(parts), tuple(blocks),
                            placer=_ParagraphPlacer(phrases, text_key, texts, body_starts))
    return cut_document(document, limit, position)


def _no_text(index: int, text_key: str) -> str:
    return f"(phrase {index} has no \"{text_key}\" text)"

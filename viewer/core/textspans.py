"""Text as Label Studio counts it: code points for Text, UTF-16 units for Paragraphs and inside HyperText's text
nodes (whose nodes are html_nodes.py's).

Core layer, no Qt (FORMAT.md 3.1-3.3).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate is one unit, as in JavaScript


def utf16_slice(text: str, start: int, end: int | None = None) -> str:
    """text[start:end] counted in UTF-16 code units (JavaScript string indices)."""
    units = text.encode("utf-16-le", "surrogatepass")
    stop = len(units) if end is None else 2 * end
    return units[2 * start:stop].decode("utf-16-le", errors="replace")


def utf16_to_code_points(text: str, offset: int) -> int:
    """The code-point index of a UTF-16 offset (a split surrogate pair rounds down)."""
    return len(utf16_slice(text, 0, offset).replace("\ufffd", "")) if offset > 0 else 0


def code_points_to_utf16(text: str, offset: int) -> int:
    return utf16_length(text[:offset])


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Index:
    """Code points <-> UTF-16 units of one string of any size; only its astral characters (two units each) are
    listed, so a 50 MB text node of plain letters costs one regex scan."""

    def __init__(self, text: str):
        self.length = len(text)
        self.astral = [match.start() for match in _ASTRAL.finditer(text)]
        self.units = [at + before for before, at in enumerate(self.astral)]  # where each starts in UTF-16

    @property
    def utf16_length(self) -> int:
        return self.length + len(self.astral)

    def to_utf16(self, position: int) -> int:
        return position + bisect_left(self.astral, position)

    def to_code_points(self, offset: int, round_up: bool = False) -> int:
        """The code-point position of a UTF-16 offset; one inside a surrogate pair takes that character's start,
        or its end with round_up (a range's end then still covers the character it cuts)."""
        before = bisect_left(self.units, offset)  # astral characters that start before the offset
        split = before > 0 and self.units[before - 1] + 1 == offset
        return offset - before + (1 if split and round_up else 0)


def phrase_text(phrase: Any, text_key: str) -> str | None:
    if isinstance(phrase, dict):
        value = phrase.get(text_key)
        return value if isinstance(value, str) else None
    return None


def paragraph_slice(phrases: list, text_key: str, start: int, end: int, start_offset: int,
                    end_offset: int) -> str | None:
    """The text a Paragraphs span covers: phrases joined by newlines, offsets in UTF-16 units."""
    if not (0 <= start <= end < len(phrases)):
        return None
    texts = [phrase_text(phrases[i], text_key) for i in range(start, end + 1)]
    if any(t is None for t in texts):
        return None
    if start == end:
        return utf16_slice(texts[0], start_offset, end_offset)
    parts = [utf16_slice(texts[0], start_offset)] + texts[1:-1] + [utf16_slice(texts[-1], 0, end_offset)]
    return "\n".join(parts)


def newline_mangled(text: str) -> str:
    """A selection as the editor stores it in `text`: each \\r and each \\n becomes backslash + n (FORMAT.md 3.1)."""
    return text.replace("\r", "\\n").replace("\n", "\\n")


def span_text_agrees(kind: str, covered: str, stored: str) -> bool:
    """Whether a span's stored `text` is what the data holds at its offsets, by the rule `validate` applies.

    `kind` is the shape kind: "span" (Text), "paragraph-span" (the editor trims newlines at the ends) or
    "hypertext-span" (surrounding whitespace is the browser's, not the data's).
    """
    if stored == covered or stored == newline_mangled(covered):
        return True
    if kind == "paragraph-span":
        return stored.strip("\n") == covered.strip("\n")
    if kind == "hypertext-span":
        return stored.strip() == covered.strip()
    return False

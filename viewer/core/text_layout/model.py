"""The text layout's data: a TextDocument (the text shown and its blocks) and the spans placed on it.

Core layer, no Qt. plain.py and hypertext.py make documents, build.py places spans on them (FORMAT.md 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from viewer.core.region_keys import LayerKey, RegionKey
from viewer.core.regions import Region
from viewer.core.shapes import HyperTextSpan, ParagraphSpan, Span

TEXT_KINDS = ("text", "hypertext", "paragraphs")
SPAN_SHAPES = (Span, HyperTextSpan, ParagraphSpan)
# A line break inside one block. It is one code point, like each \r or \n it replaces, so offsets stay aligned.
LINE_SEPARATOR = "\u2028"
NEWLINES_TO_SEPARATORS = str.maketrans({"\r": LINE_SEPARATOR, "\n": LINE_SEPARATOR})
# The reading view lays out at most this many characters: a 50 MB text took over a minute and 2.8 GB to render.
# Offsets stay those of the whole text; spans past the cut are listed as not shown.
MAX_SHOWN_CHARACTERS = 300_000

@dataclass(frozen=True)
class Run:
    """Inline formatting of part of the shown text; flags among bold, italic, code, link, strike, muted, author."""

    start: int
    end: int
    flags: frozenset[str]


@dataclass(frozen=True)
class Block:
    """A paragraph of the shown text: a line of Text, a block element of HyperText, a phrase of Paragraphs."""

    start: int
    end: int
    kind: str = "line"             # line | paragraph | heading | pre | item | quote | row | phrase | image
    level: int = 0                 # heading level, or how deeply a list item or quote is nested
    runs: tuple[Run, ...] = ()
    author: str | None = None      # Paragraphs: the phrase's author, whose name opens the block
    body_start: int | None = None  # Paragraphs: where the phrase's own text starts, after the name
    image: str | None = None       # HyperText: the data: URL of an <img>, shown as a block of its own


@dataclass(frozen=True)
class Placement:
    ranges: tuple[tuple[int, int], ...]  # in the shown text, ascending; empty when the span cannot be placed
    covered: str | None                  # the data the offsets cover, to compare with the stored `text`
    placed_by: str | None                # "offsets" | "xpath" | "globalOffsets"
    problem: str | None = None


class SpanPlacer(Protocol):
    def place(self, shape: Any) -> Placement: ...


@dataclass(frozen=True)
class TextDocument:
    """What a text object shows for one task; `text` is in code points and every block indexes into it."""

    object_name: str
    kind: str                      # "text" | "hypertext" | "paragraphs"
    text: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()    # why some of the data is not shown
    placer: SpanPlacer | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class PlacedSpan:
    key: RegionKey
    region: Region
    ranges: tuple[tuple[int, int], ...]
    lane: int                               # overlapping spans never share a lane
    values: tuple[tuple[str, str], ...]     # per-span textarea, choices, notes ... as (name, text)
    placed_by: str | None
    problem: str | None                     # why it is not placed, or how its `text` disagrees with the data

    @property
    def start(self) -> int:
        return self.ranges[0][0] if self.ranges else 0

    @property
    def end(self) -> int:
        return self.ranges[-1][1] if self.ranges else 0


@dataclass(frozen=True)
class TextLayoutModel:
    """A document with the spans of the chosen layers: placed ones by start (outer before inner), then the rest."""

    document: TextDocument
    spans: tuple[PlacedSpan, ...]
    unplaced: tuple[PlacedSpan, ...]
    lanes: int
    _by_key: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({span.key: i for i, span in enumerate(self.spans)})

    def find(self, key: RegionKey) -> int | None:
        """The index in `spans` of a region, None when it is not placed here."""
        return self._by_key.get(key)


def cut_note(limit: int, length: int) -> str:
    return f"text cut at {limit:,} of {length:,} characters: the rest is not laid out, and spans past it are " \
           f"listed as not shown"


def cut_document(document: TextDocument, limit: int = MAX_SHOWN_CHARACTERS,
                 length: int | None = None) -> TextDocument:
    """The document with only its first `limit` characters shown (blocks and runs cut there), and a note that
    says `length` characters (the document's own by default) were there."""
    length = len(document.text) if length is None else length
    if length <= limit:
        return document
    blocks = []
    for block in document.blocks:
        if block.start >= limit:
            break
        if block.end > limit:
            runs = tuple(Run(run.start, min(run.end, limit), run.flags) for run in block.runs if run.start < limit)
            body = None if block.body_start is None else min(block.body_start, limit)
            block = replace(block, end=limit, runs=runs, body_start=body)
        blocks.append(block)
    return replace(document, text=document.text[:limit], blocks=tuple(blocks),
                   notes=document.notes + (cut_note(limit, length),))

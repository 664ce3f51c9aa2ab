"""The reading view of a text object as plain data: the text shown, its blocks, and where every span lands.

Core layer, no Qt. Text, HyperText and Paragraphs become one TextDocument; place_spans puts the span regions of
chosen predictions/annotations on it in code points of the shown text, each with a lane (FORMAT.md 3).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Protocol

from viewer.core.config import lookup_data
from viewer.core.content import value_text
from viewer.core.diagnostics.model import Reporter
from viewer.core.diagnostics.shapes import check_shape
from viewer.core.errors import quoted
from viewer.core.project import Project
from viewer.core.region_keys import LayerKey, RegionKey
from viewer.core.regions import Region
from viewer.core.shapes import HyperTextSpan, ParagraphSpan, Span
from viewer.core.tasks import Task
from viewer.core.textspans import paragraph_slice, phrase_text, span_text_agrees, utf16_length, utf16_to_code_points

TEXT_KINDS = ("text", "hypertext", "paragraphs")
SPAN_SHAPES = (Span, HyperTextSpan, ParagraphSpan)
# A line break inside one block. It is one code point, like each \r or \n it replaces, so offsets stay aligned.
LINE_SEPARATOR = "\u2028"
NEWLINES_TO_SEPARATORS = str.maketrans({"\r": LINE_SEPARATOR, "\n": LINE_SEPARATOR})
_BREAKS = re.compile(r"\r\n|\r|\n")
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


class _TextPlacer:
    def __init__(self, text: str):
        self.text = text

    def place(self, shape: Any) -> Placement:
        if not isinstance(shape, Span):
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


class _ParagraphPlacer:
    def __init__(self, phrases: list, text_key: str, texts: list[str | None], body_starts: list[int]):
        self.phrases, self.text_key, self.texts, self.body_starts = phrases, text_key, texts, body_starts

    def place(self, shape: Any) -> Placement:
        if not isinstance(shape, ParagraphSpan):
            return Placement((), None, None, f"a {shape.kind} cannot be placed on a Paragraphs object")
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


def text_objects(project: Project, task: Task) -> list[str]:
    """The Text, HyperText and Paragraphs objects of the config whose data this task has, in config order."""
    names = []
    for name, tag in project.config.objects.items():
        if tag.kind in TEXT_KINDS and tag.data_path is not None:
            try:
                lookup_data(task.data, tag.data_path)
            except KeyError:
                continue
            names.append(name)
    return names


def _phrases(project: Project, task: Task, name: str) -> tuple[list | None, str | None]:
    tag = project.config.objects[name]
    try:
        value = project.object_value(task, tag)
    except KeyError as missing:
        return None, f"the task data has no {missing.args[0]} for <{tag.tag} name=\"{name}\">"
    if isinstance(value, str):  # valueType="url", or the list written as a JSON string
        text = project.text(task, name)
        try:
            value = json.loads(text) if text is not None else None
        except ValueError:
            value = None
    if not isinstance(value, list):
        return None, f"<{tag.tag} name=\"{name}\"> data is not a list of phrases"
    return value, None


def build_document(project: Project, task: Task, name: str) -> TextDocument:
    """The document a text object shows for a task; an empty one with a note when the data cannot be read."""
    from viewer.core.hypertext_layout import hypertext_document

    tag = project.config.objects.get(name)
    if tag is None or tag.kind not in TEXT_KINDS:
        return TextDocument(name, "text", "", (), (f"\"{name}\" is not a Text, HyperText or Paragraphs object",))
    if tag.kind == "paragraphs":
        phrases, note = _phrases(project, task, name)
        if phrases is None:
            return TextDocument(name, tag.kind, "", (), (note,))
        return paragraphs_document(name, phrases, tag.attrs.get("nameKey", "author"),
                                   tag.attrs.get("textKey", "text"))
    raw = project.text(task, name)
    if raw is None:
        return TextDocument(name, tag.kind, "", (), (f"no text for <{tag.tag} name=\"{name}\"> "
                                                     f"(value {tag.value}) could be read from the task",))
    return hypertext_document(name, raw) if tag.kind == "hypertext" else text_document(name, raw)


def span_values(region: Region) -> tuple[tuple[str, str], ...]:
    """The per-span results (textarea, choices, rating ...) and the region's notes, as (name, text) rows."""
    rows = []
    for from_name, values in region.values.items():
        for key, value in values.items():
            name = from_name if from_name and len(values) == 1 else ".".join(x for x in (from_name, key) if x)
            rows.append((name, value_text(value, ", ")))
    for result in region.results:
        meta = result.get("meta")
        if isinstance(meta, dict) and meta.get("text"):
            rows.append(("meta.text", value_text(meta["text"], ", ")))
            break
    return tuple(rows)


def _diagnosis(project: Project | None, task: Task | None, region: Region) -> str | None:
    """What `lsview validate` says about the span's offsets and text, word for word."""
    if project is None or task is None:
        return None
    report = Reporter()
    check_shape(project, task, region, report)
    messages = [item.message for item in report.items if item.code.startswith("span-")]
    return " ".join(messages) or None


def _problem(placement: Placement, region: Region, project: Project | None, task: Task | None) -> str | None:
    shape = region.shape
    if placement.problem is None:
        if shape.text is None or placement.covered is None or \
                span_text_agrees(shape.kind, placement.covered, shape.text):
            return None
        mine = f"its `text` is {quoted(shape.text)} but the data at its offsets is {quoted(placement.covered)}; " \
               f"drawn by the offsets, as Label Studio does"
    else:
        mine = placement.problem
    said = _diagnosis(project, task, region)
    if said is None:
        return mine
    # validate's words carry the UTF-16 hint; for HyperText ours also say what became of the XPath
    return f"{mine}. {said}" if shape.kind == "hypertext-span" else said


def _within(placement: Placement, shown: int) -> Placement:
    """A placement cut to the shown part of a cut text; no ranges (and why) when it lies wholly past it."""
    ranges = tuple((start, min(end, shown)) for start, end in placement.ranges if start < shown)
    if ranges:
        return replace(placement, ranges=ranges)
    return replace(placement, ranges=(), problem=f"not shown: it lies past character {shown:,}, where the "
                                                 f"text is cut")


def _lanes(spans: list[tuple[int, int]]) -> list[int]:
    """Greedy interval colouring: a span takes the first lane whose last span ends before it starts."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1], i))
    lane_ends: list[int] = []
    lanes = [0] * len(spans)
    for i in order:
        start, end = spans[i]
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(0)
        lane_ends[lane] = end
        lanes[i] = lane
    return lanes


def place_spans(document: TextDocument, layers: Iterable[tuple[LayerKey, Iterable[Region]]],
                project: Project | None = None, task: Task | None = None) -> TextLayoutModel:
    """Place the span regions of `layers` that point at the document's object; project/task word problems."""
    placed: list[tuple[RegionKey, Region, Placement, str | None]] = []
    unplaced: list[PlacedSpan] = []
    for layer_key, regions in layers:
        for region in regions:
            if region.to_name != document.object_name or not isinstance(region.shape, SPAN_SHAPES):
                continue
            if document.placer is None:
                placement = Placement((), None, None, "there is no text to place it on")
            else:
                placement = document.placer.place(region.shape)
            problem = _problem(placement, region, project, task)
            key = (layer_key, region.id)
            if placement.ranges and placement.ranges[-1][1] > len(document.text):
                placement = _within(placement, len(document.text))
                if not placement.ranges:
                    problem = placement.problem if problem is None else f"{placement.problem}; {problem}"
            if placement.ranges:
                placed.append((key, region, placement, problem))
            else:
                unplaced.append(PlacedSpan(key, region, (), 0, span_values(region), None, problem))
    lanes = _lanes([(p.ranges[0][0], p.ranges[-1][1]) for _, _, p, _ in placed])
    spans = [PlacedSpan(key, region, placement.ranges, lane, span_values(region), placement.placed_by, problem)
             for (key, region, placement, problem), lane in zip(placed, lanes)]
    spans.sort(key=lambda s: (s.start, -s.end, s.lane))
    return TextLayoutModel(document, tuple(spans), tuple(unplaced), max(lanes, default=-1) + 1)


def build_layout(project: Project, task: Task, name: str,
                 layers: Iterable[tuple[LayerKey, Iterable[Region]]]) -> TextLayoutModel:
    return place_spans(build_document(project, task, name), layers, project, task)

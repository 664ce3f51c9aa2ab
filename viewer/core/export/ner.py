"""Named-entity exports of Text spans: the `ner-jsonl` record and the CoNLL 2003 block of one text (core, no Qt).

Offsets are code points (Python str indices, FORMAT.md 3.1). Both formats take the same entities: each span with its
first label, and of two overlapping spans the longer (see entities()), so data.jsonl and data.conll agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

# CoNLL 2003's first line (eng.train and the rest), followed there by an empty line; the word, POS and chunk
# columns are -X- -X-, the NER column O.
CONLL_DOCSTART = "-DOCSTART- -X- -X- O"
# A token is a run of word characters (letters, digits, marks and the underscore: Python's \w), or any one
# other character that is not whitespace; whitespace only separates tokens.
TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class SpanIn:
    """A span as the exporter receives it: code points [start, end), its labels in result order, an id to name."""

    start: int
    end: int
    labels: tuple[str, ...]
    region_id: str = ""


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    region_id: str = ""


@dataclass(frozen=True)
class Tagged:
    """The entities of one text and why the other spans were not taken (one line each)."""

    entities: tuple[Entity, ...]
    problems: tuple[str, ...]


def tokens(text: str) -> list[tuple[int, int]]:
    """Each token's code-point [start, end) in text, by the TOKEN rule."""
    return [match.span() for match in TOKEN.finditer(text)]


def _span_problem(span: SpanIn, length: int) -> str | None:
    if not span.labels:
        return "has no label"
    if not 0 <= span.start < span.end <= length:
        return f"[{span.start}, {span.end}) does not fit the text ({length} code points) or is empty"
    return None


def entities(text: str, spans: Iterable[SpanIn]) -> Tagged:
    """The spans as entities: the first label of each; of overlapping spans the longer is kept (equal lengths:
    the one that starts first, then the earlier in the annotation), the others are reported."""
    problems: list[str] = []
    candidates: list[tuple[int, int, Entity]] = []
    for order, span in enumerate(spans):
        problem = _span_problem(span, len(text))
        if problem is not None:
            problems.append(f"span {span.region_id or order} {problem}: skipped")
            continue
        if len(span.labels) > 1:
            problems.append(f"span {span.region_id or order} has labels {', '.join(span.labels)}: exported as "
                            f"{span.labels[0]}")
        candidates.append((order, span.end - span.start, Entity(span.start, span.end, span.labels[0],
                                                                 span.region_id)))
    kept: list[Entity] = []
    for order, _length, entity in sorted(candidates, key=lambda c: (-c[1], c[2].start, c[0])):
        clash = next((k for k in kept if k.start < entity.end and entity.start < k.end), None)
        if clash is None:
            kept.append(entity)
        else:
            problems.append(f"span {entity.region_id or order} [{entity.start}, {entity.end}) {entity.label} "
                            f"overlaps the longer span {clash.region_id} [{clash.start}, {clash.end}) "
                            f"{clash.label}: skipped")
    kept.sort(key=lambda e: (e.start, e.end))
    return Tagged(tuple(kept), tuple(problems))


def ner_record(text: str, found: Tagged) -> dict:
    """One line of data.jsonl: the text and its entities as [start, end, label], code points."""
    return {"text": text, "entities": [[e.start, e.end, e.label] for e in found.entities]}


def token_tags(text: str, found: Sequence[Entity]) -> list[tuple[str, str]]:
    """(token, tag) for every token: B-<label> on the first token an entity shares a code point with, I-<label>
    on the next ones, O on the rest."""
    spans = sorted(found, key=lambda e: e.start)
    out: list[tuple[str, str]] = []
    at = 0
    previous: Entity | None = None
    for start, end in tokens(text):
        while at < len(spans) and spans[at].end <= start:
            at += 1
        entity = spans[at] if at < len(spans) and spans[at].start < end else None
        if entity is None:
            tag = "O"
        else:
            tag = ("I-" if entity is previous else "B-") + entity.label
        previous = entity
        out.append((text[start:end], tag))
    return out


def unaligned(text: str, found: Sequence[Entity]) -> list[str]:
    """Entities CoNLL cannot hold as they are, one line each: ends that cut a token (the token is tagged whole)
    or no token at all (whitespace only: no tag)."""
    starts, ends = set(), set()
    for start, end in tokens(text):
        starts.add(start)
        ends.add(end)
    out = []
    for entity in found:
        part = text[entity.start:entity.end]
        name = f"span {entity.region_id} [{entity.start}, {entity.end}) {entity.label}"
        if not TOKEN.search(part):
            out.append(f"{name} covers no token: no tag in data.conll")
            continue
        first = entity.start + len(part) - len(part.lstrip())
        last = entity.end - (len(part) - len(part.rstrip()))
        if first not in starts or last not in ends:
            out.append(f"{name} cuts a token: the whole token is tagged in data.conll")
    return out


def conll_block(text: str, found: Sequence[Entity]) -> str:
    """The lines of one text in data.conll, `token -X- _ tag` each, ending with the empty line after it."""
    return "".join(f"{token} -X- _ {tag}\n" for token, tag in token_tags(text, found)) + "\n"


def conll_file(blocks: Iterable[str]) -> str:
    """data.conll: the -DOCSTART- line and its empty line, then one block per task."""
    return CONLL_DOCSTART + "\n\n" + "".join(blocks)

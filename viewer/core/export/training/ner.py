"""Named-entity exports of Text spans: the `ner-jsonl` record and the CoNLL 2003 block of one text (core, no Qt).

Offsets are code points (Python str indices, FORMAT.md 3.1). Both formats take the same entities: each span with its
first label, and of two overlapping spans the longer (see entities()), so data.jsonl and data.conll agree.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Sequence

from viewer.core.export.base import ExportError
from viewer.core.export.training.items import TaskItem
from viewer.core.export.training.job import TrainingFormat
from viewer.core.region_kinds import SPAN_KINDS

# CoNLL 2003's first line (eng.train and the rest), followed there by an empty line; the word, POS and chunk
# columns are -X- -X-, the NER column O.
CONLL_DOCSTART = "-DOCSTART- -X- -X- O"
CONLL_HEADER = CONLL_DOCSTART + "\n\n"  # data.conll starts so; one block per task follows
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
class Dropped:
    """A span left out: `reason` is what the summary counts, `detail` names the span."""

    reason: str
    detail: str


@dataclass(frozen=True)
class Tagged:
    """The entities of one text, the spans left out and the spans that had more labels than the one taken."""

    entities: tuple[Entity, ...]
    dropped: tuple[Dropped, ...]
    relabelled: tuple[str, ...]


def tokens(text: str) -> list[tuple[int, int]]:
    """Each token's code-point [start, end) in text, by the TOKEN rule."""
    return [match.span() for match in TOKEN.finditer(text)]


def _span_problem(span: SpanIn, length: int) -> Dropped | None:
    name = f"span {span.region_id} [{span.start}, {span.end})"
    if not span.labels:
        return Dropped("a text span without a label", f"{name} has no label")
    if not 0 <= span.start < span.end <= length:
        return Dropped("a text span that is empty or does not fit its text",
                       f"{name} is empty or does not fit the text ({length} code points)")
    return None


def entities(text: str, spans: Iterable[SpanIn]) -> Tagged:
    """The spans as entities: the first label of each; of overlapping spans the longer is kept (equal lengths:
    the one that starts first, then the earlier in the annotation), the others are dropped."""
    dropped: list[Dropped] = []
    relabelled: list[str] = []
    candidates: list[tuple[int, Entity]] = []
    for order, span in enumerate(spans):
        problem = _span_problem(span, len(text))
        if problem is not None:
            dropped.append(problem)
            continue
        if len(span.labels) > 1:
            relabelled.append(f"span {span.region_id} has labels {', '.join(span.labels)}: exported as "
                              f"{span.labels[0]}")
        candidates.append((order, Entity(span.start, span.end, span.labels[0], span.region_id)))
    kept: list[Entity] = []   # disjoint, by start (so by end too)
    starts: list[int] = []
    for _order, entity in sorted(candidates, key=lambda c: (c[1].start - c[1].end, c[1].start, c[0])):
        # of the kept spans starting before this one ends, only the last can reach into it
        at = bisect_left(starts, entity.end)
        clash = kept[at - 1] if at and kept[at - 1].end > entity.start else None
        if clash is None:
            kept.insert(at, entity)
            starts.insert(at, entity.start)
        else:
            dropped.append(Dropped("a text span overlapping a longer one",
                                   f"span {entity.region_id} [{entity.start}, {entity.end}) {entity.label} "
                                   f"overlaps the longer span {clash.region_id} [{clash.start}, {clash.end}) "
                                   f"{clash.label}: left out"))
    return Tagged(tuple(kept), tuple(dropped), tuple(relabelled))


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


DETAILS_NOTED = 20


class _NerFormat(TrainingFormat):
    """One record per task and <Text> object labelled by <Labels>, streamed into one file."""

    needs = "text"
    file = ""
    header = ""

    @staticmethod
    def labelled_texts(config) -> list[str]:
        """The names of the <Text> objects a <Labels> control labels: what the NER formats export."""
        labelled = {name for control in config.controls.values() if control.kind == "labels"
                    for name in control.to_names}
        return [tag.name for tag in config.objects.values() if tag.kind == "text" and tag.name in labelled]

    @classmethod
    def config_problem(cls, config) -> str | None:
        if config is not None and not cls.labelled_texts(config):
            return f"{cls.name} exports the spans of a <Text> labelled by <Labels>; the config has no such <Text>"
        return None

    def begin(self) -> None:
        self.objects = self.labelled_texts(self.job.project.config)
        problem = self.config_problem(self.job.project.config)
        if problem:
            raise ExportError(problem)
        self.relabelled = 0
        self.unaligned = 0
        self.details = 0
        self.stream = self.job.folder.open_text(self.file)
        self.stream.write(self.header)

    def task(self, item: TaskItem) -> list[str]:
        summary = self.job.summary
        spans: dict[str, list[SpanIn]] = {name: [] for name in self.objects}
        for region in item.chosen.regions:
            if region.shape.kind == "span" and region.to_name in spans:
                spans[region.to_name].append(SpanIn(region.shape.start, region.shape.end, region.labels, region.id))
            elif region.shape.kind in SPAN_KINDS:
                summary.skip(f"a {region.shape.kind} ({self.name} takes the spans of a <Text>)")
        for name in self.objects:
            text = self.job.project.text(item.task, name)
            if text is None:
                summary.skip("a text span whose task has no text", len(spans[name]))
                self.detail(item, f"no text for <Text name={name!r}>: left out")
                continue
            found = entities(text, spans[name])
            for dropped in found.dropped:
                summary.skip(dropped.reason)
                self.detail(item, dropped.detail)
            self.relabelled += len(found.relabelled)
            for entity in found.entities:
                summary.count(entity.label)
            self.stream.write(self.record(item, text, found))
        return [self.file]

    def record(self, item: TaskItem, text: str, found: Tagged) -> str:
        raise NotImplementedError

    def detail(self, item: TaskItem, text: str) -> None:
        """A note naming one span; the first DETAILS_NOTED only (a big export can have thousands)."""
        self.details += 1
        if self.details <= DETAILS_NOTED:
            self.job.summary.note(f"{item.task.label()}: {text}")

    def finish(self) -> list[str]:
        self.stream.close()
        summary = self.job.summary
        if self.details > DETAILS_NOTED:
            summary.note(f"... {self.details - DETAILS_NOTED} more span note(s) like those above")
        if self.relabelled:
            summary.note(f"{self.relabelled} span(s) had several labels: each exported with its first")
        if self.unaligned:
            summary.note(f"{self.unaligned} span(s) start or end inside a token or cover none: data.conll tags "
                         "whole tokens")
        return [self.file]


class NerJsonl(_NerFormat):
    name = "ner-jsonl"
    help = 'NER JSON Lines: data.jsonl, {"text": ..., "entities": [[start, end, label], ...]} per task (code points)'
    file = "data.jsonl"

    def record(self, item: TaskItem, text: str, found: Tagged) -> str:
        return json.dumps(ner_record(text, found), ensure_ascii=False) + "\n"


class Conll2003(_NerFormat):
    name = "conll2003"
    help = "CoNLL 2003: data.conll, `token -X- _ tag` lines (B-/I- of a span's first label), a block per task"
    file = "data.conll"
    header = CONLL_HEADER

    def record(self, item: TaskItem, text: str, found: Tagged) -> str:
        for line in unaligned(text, found.entities):
            self.unaligned += 1
            self.detail(item, line)
        if not TOKEN.search(text):
            self.detail(item, "the text has no token: no block in data.conll")
            return ""
        return conll_block(text, found.entities)


FORMATS = [NerJsonl, Conll2003]

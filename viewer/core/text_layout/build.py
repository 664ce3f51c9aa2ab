"""The layout of a task's text object: its document, with the span regions of chosen layers placed in lanes.

Core layer, no Qt. Span problems are worded as `lsview validate` words them (diagnostics.shapes).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Iterable

from viewer.core.content import value_text
from viewer.core.diagnostics.model import Reporter
from viewer.core.diagnostics.shapes import check_shape
from viewer.core.errors import quoted
from viewer.core.project import Project
from viewer.core.region_kinds import SPAN_KINDS
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.core.text_layout.hypertext import hypertext_document
from viewer.core.text_layout.model import (TEXT_KINDS, LayerKey, PlacedSpan, Placement, RegionKey, TextDocument,
                                           TextLayoutModel)
from viewer.core.text_layout.plain import paragraphs_document, text_document
from viewer.core.textspans import span_text_agrees


def text_objects(project: Project, task: Task) -> list[str]:
    """The Text, HyperText and Paragraphs objects of the config whose data this task has, in config order."""
    return project.objects_with_data(task, TEXT_KINDS)


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
    # validate's words carry the UTF-16 hint and place HyperText as we do; ours add only why a placed span is not
    # shown (whitespace, past the cut)
    if shape.kind == "hypertext-span" and placement.problem is not None and not said.startswith(placement.problem):
        return f"{placement.problem}. {said}"
    return said


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
            if region.to_name != document.object_name or region.shape.kind not in SPAN_KINDS:
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

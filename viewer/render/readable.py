"""Results and task data as readable text: whole-object results for the side panel, and whole tasks lsview does
not draw (audio, video, tables, text until the text view exists) for the window's data view.

Render layer, Qt-free. FORMAT.md 4 says what each result's value holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from viewer.core.config import LabelConfig
from viewer.core.errors import quoted
from viewer.core.jsonout import text_of
from viewer.core.project import Project
from viewer.core.region_kinds import IMAGE_KINDS, KindTable
from viewer.core.regions import Region, Relation
from viewer.core.resolve import text_shape
from viewer.core.shapes import (AUDIO_OBJECT_KINDS, AudioSegment, HyperTextSpan, Other, ParagraphSpan, Span,
                                TimelineRanges, TimeSeriesRange, VideoRectangle)
from viewer.core.tasks import Task
from viewer.render.content import Layer, TaskContent

DATA_VALUE_LIMIT = 600          # characters of one data field in the data section
TEXT_LIMIT = 200_000            # characters of one text object shown whole
WORD_LIMIT = 200                # characters of one payload item that is not a string (a list, a huge number)
TEXT_KINDS = frozenset({"text", "hypertext", "paragraphs"})
ARROWS = {"right": "→", "left": "←", "bi": "↔"}


@dataclass(frozen=True)
class ResultRow:
    """One whole-object result as the side panel lists it."""

    control: str
    kind: str                    # the control's type (choices, rating ...), or the result's when unknown
    page: int | None             # item_index of a per-page result
    text: str
    region: Region | None = None  # whose result it is: a row is reviewed as its region


def _word(value: Any) -> str:
    """One item of a payload: a string as it is, anything else shortened (a list nested a thousand deep or an
    integer of a million digits would stop str())."""
    return value if isinstance(value, str) else quoted(value, WORD_LIMIT)


def _path(value: Any) -> str:
    return " / ".join(_word(v) for v in value) if isinstance(value, list) else _word(value)


def value_text(kind: str, value: Any, config_attrs=None, depth: int = 0) -> str:
    """A result payload in words: nested choices and taxonomy as paths, textarea lines one per line."""
    if kind == "textarea":
        return "\n".join(_word(v) for v in value) if isinstance(value, list) else _word(value)
    if kind == "rating" and config_attrs is not None and config_attrs.get("maxRating"):
        return f"{_word(value)} / {_word(config_attrs['maxRating'])}"
    if isinstance(value, list):
        return "; ".join(_path(v) for v in value) if any(isinstance(v, list) for v in value) \
            else ", ".join(_word(v) for v in value)
    if isinstance(value, dict):
        if depth >= 3:
            return _word(value)
        return "; ".join(f"{k}: {value_text(kind, v, depth=depth + 1)}" for k, v in value.items())
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return _word(value)


def classification_rows(config: LabelConfig, layer: Layer) -> list[ResultRow]:
    """The layer's whole-object results, one row per control, in file order."""
    rows = []
    for region in layer.classifications:
        for from_name, values in region.values.items():
            control = config.controls.get(from_name)
            for key, value in values.items():
                kind = control.kind if control is not None else _result_type(region, from_name) or key
                attrs = control.attrs if control is not None else None
                rows.append(ResultRow(from_name or "(no from_name)", kind, region.item_index,
                                      value_text(kind, value, attrs), region))
    return rows


def _result_type(region: Region, from_name: str) -> str | None:
    for result in region.results:
        if result.get("from_name") == from_name and isinstance(result.get("type"), str):
            return result["type"]
    return None


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f" ... ({len(text) - limit:,} more characters)"


def _data_lines(data: dict) -> list[str]:
    lines = []
    for key, value in data.items():
        shown = value if isinstance(value, str) else text_of(value)
        lines.append(f"  {key}: {_short(shown, DATA_VALUE_LIMIT)}")
    return lines or ["  (empty)"]


def _where(project: Project, task: Task, region: Region) -> str:
    where = WHERE.get(region.shape)
    return region.shape.kind if where is None else where(text_shape(project, task, region))


def _frame_ranges(ranges: list) -> str:
    return ", ".join(f"{start}-{end}" for start, end in ranges) or "none"


def _offsets(record: dict, span: str) -> str:
    text = record.get("text")
    return span + (f' "{_short(text, 200)}"' if text is not None else "")


# Where a region lies, from its inspect record (core.resolve.text_shape); a kind without an entry says its name.
WHERE: KindTable[Callable[[dict], str]] = KindTable("readable where", {
    Span: lambda record: _offsets(record, f"{record['start']}-{record['end']}"),
    HyperTextSpan: lambda record: _offsets(
        record, f"{record['start']}:{record['startOffset']} - {record['end']}:{record['endOffset']}"),
    ParagraphSpan: lambda record: _offsets(
        record, f"{record['start']}:{record['startOffset']} - {record['end']}:{record['endOffset']}"),
    Other: lambda record: ", ".join(f"{k} {v}" for k, v in record.get("value", {}).items()),
    TimeSeriesRange: lambda record: (f"{record['start']}" if record["instant"] else
                                     f"{record['start']} – {record['end']}")
    + (f" (rows {record['rows'][0]}-{record['rows'][1]})" if record.get("rows") else ""),
    VideoRectangle: lambda record: f"{record['keyframes']} keyframe(s), a box on frames "
                                   f"{_frame_ranges(record['lifespans'])}",
    TimelineRanges: lambda record: f"frames {_frame_ranges(record['ranges'])}",
    AudioSegment: lambda record: f"{record['start']:.3f}-{record['end']:.3f} s, channel {record['channel']}",
}, elsewhere={
    **{kind: "on an image: its kind name is the line (the canvas shows where)" for kind in IMAGE_KINDS},
    "classification": "a whole-object answer: its kind name is the line, its values follow",
    "invalid": "nothing to place: its kind name is the line (diagnostics say why)",
})


def _region_line(project: Project, task: Task, region: Region) -> str:
    labels = ", ".join(region.labels) or "(no label)"
    score = f" {region.score:.2f}" if region.score is not None else ""
    line = f"  {labels}{score} · {region.kind} on {region.to_name or '?'} · {_where(project, task, region)}"
    values = "; ".join(f"{name}: {value_text('', v)}" for name, payload in region.values.items()
                       for v in payload.values())
    return line + (f" · {values}" if values else "") + f"  [id {region.id}]"


def _relation_line(relation: Relation) -> str:
    labels = f" ({', '.join(relation.labels)})" if relation.labels else ""
    return f"  relation {relation.from_id} {ARROWS.get(relation.direction, '→')} {relation.to_id}{labels}"


def data_only_note(config: LabelConfig) -> str:
    """Why the window shows this task as data: which of its object kinds lsview does not draw."""
    kinds = sorted({tag.tag for tag in config.objects.values()})
    if not kinds:
        return "The labeling config has no object tag, so there is nothing to draw; the task is shown as data only."
    if all(tag.kind in TEXT_KINDS for tag in config.objects.values()):
        # Text objects have their reading view; a task lands here only when its text cannot be read.
        return (f"This task's {', '.join(kinds)} data is missing or not text (see `lsview validate`); its data "
                f"and results are shown as data only.")
    if all(tag.kind in TEXT_KINDS | {"timeseries"} | AUDIO_OBJECT_KINDS for tag in config.objects.values()):
        # a time series has its plot view, audio its waveform: a task lands here when its series is missing or
        # cannot be read, or its audio data is missing
        return (f"This task's {', '.join(kinds)} data is missing or cannot be read (see `lsview validate`); its "
                f"data and results are shown as data only.")
    return f"lsview does not draw {', '.join(kinds)} objects; this task is shown as data only."


def data_only_text(project: Project, task: Task, content: TaskContent, name: str) -> str:
    """The whole task as readable text under `name` (how the window names the task): its data, its text objects
    in full, then every result (the note of data_only_note goes above it)."""
    lines = [f"{name} · {task.file}", "", "DATA"]
    lines += _data_lines(task.data)
    for name, tag in project.config.objects.items():
        if tag.kind not in TEXT_KINDS:
            continue
        text = project.text(task, name)
        lines += ["", f'{tag.tag.upper()} "{name}" ({tag.value or ""})']
        lines.append(_short(text, TEXT_LIMIT) if text is not None else "  (no text in the task data)")
    lines += ["", "RESULTS"]
    if not content.layers:
        lines.append("  (no predictions or annotations)")
    for layer in content.layers:
        lines += ["", layer.title]
        for row in classification_rows(project.config, layer):
            page = f" (page {row.page + 1})" if row.page is not None else ""
            lines.append(f"  {row.control}{page} [{row.kind}]: {row.text}")
        for region in layer.regions + layer.others:
            lines.append(_region_line(project, task, region))
        lines += [_relation_line(relation) for relation in layer.relations]
        if not (layer.classifications or layer.regions or layer.others or layer.relations):
            lines.append("  (no results)")
    return "\n".join(lines) + "\n"

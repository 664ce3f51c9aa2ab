"""Region text for tooltips and tags: tag_text (with an OCR transcription, cut short) and describe.

Render layer, Qt-free. The task content (Layer, TaskContent, task_content ...) moved to viewer.core.content; its
names are re-exported here so this module's importers keep working until they switch.
"""

from __future__ import annotations

from viewer.core.content import (FALLBACK_SIZE, MAX_SPACE_SIDE, PLACEHOLDER_PIXELS, PLACEHOLDER_SIDE, Layer,
                                 TaskContent, drawn_size, image_object, page_count, task_content, usable_size,
                                 value_text)
from viewer.core.regions import Region

__all__ = ["FALLBACK_SIZE", "MAX_SPACE_SIDE", "PLACEHOLDER_PIXELS", "PLACEHOLDER_SIDE", "Layer", "TaskContent",
           "drawn_size", "image_object", "page_count", "task_content", "usable_size", "tag_text", "transcription",
           "describe"]

TRANSCRIPTION_CHARS = 24   # of a transcription in a tag; the tooltip holds all of it


def tag_text(region: Region, transcriptions: bool = True) -> str:
    """The small tag drawn by a region: its labels and, for predictions, the score; then, with `transcriptions`,
    what a per-region TextArea holds (OCR), cut short: "Text 0.93: «hello wor…»"."""
    text = ", ".join(region.labels)
    if region.score is not None:
        text = f"{text} {region.score:.2f}".strip()
    said = transcription(region) if transcriptions else None
    if said:
        if len(said) > TRANSCRIPTION_CHARS:
            said = said[:TRANSCRIPTION_CHARS - 1].rstrip() + "…"
        text = f"{text}: «{said}»" if text else f"«{said}»"
    return text


def transcription(region: Region) -> str | None:
    """What a per-region TextArea gave the region (its `text` list, lines joined by " / "), None without one.
    A span's own `text` is its covered text, not a payload, and never shows here."""
    for values in region.values.values():
        lines = values.get("text")
        if isinstance(lines, str):
            lines = [lines]
        if isinstance(lines, list):
            shown = " / ".join(" ".join(line.split()) for line in lines if isinstance(line, str) and line.strip())
            if shown:
                return shown
    return None


def describe(region: Region, layer: Layer) -> list[tuple[str, str]]:
    """(field, text) rows about a region for tooltips: labels, kind, score, source, model, id, values."""
    rows = [("labels", ", ".join(region.labels) or "(none)"), ("kind", region.kind)]
    if region.score is not None:
        rows.append(("score", f"{region.score:.3f}"))
    rows.append(("source", layer.title))
    if layer.model_version is not None:
        rows.append(("model version", layer.model_version))
    rows.append(("id", region.id))
    for from_name, values in region.values.items():
        for key, value in values.items():
            rows.append((f"{from_name}.{key}" if from_name else key, value_text(value)))
    return rows

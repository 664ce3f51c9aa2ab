"""Region text for tooltips and tags: tag_text and describe.

Render layer, Qt-free. The task content (Layer, TaskContent, task_content ...) moved to viewer.core.content; its
names are re-exported here so this module's importers keep working until they switch.
"""

from __future__ import annotations

from viewer.core.content import (FALLBACK_SIZE, MAX_SPACE_SIDE, PLACEHOLDER_PIXELS, PLACEHOLDER_SIDE, Layer,
                                 TaskContent, drawn_size, image_object, page_count, task_content, usable_size,
                                 value_text)
from viewer.core.regions import Region

__all__ = ["FALLBACK_SIZE", "MAX_SPACE_SIDE", "PLACEHOLDER_PIXELS", "PLACEHOLDER_SIDE", "Layer", "TaskContent",
           "drawn_size", "image_object", "page_count", "task_content", "usable_size", "tag_text", "describe"]


def tag_text(region: Region) -> str:
    """The small tag drawn by a region: its labels and, for predictions, the score."""
    text = ", ".join(region.labels)
    if region.score is not None:
        text = f"{text} {region.score:.2f}".strip()
    return text


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

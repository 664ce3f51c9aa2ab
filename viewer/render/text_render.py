"""A text task drawn to QImages at a fixed width: every text object's reading view, one under the other.

Render layer. `lsview render` writes these; the window's text view paints through the same TextPainter. A text
taller than MAX_HEIGHT is cut into pages between lines.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from viewer.core.project import Project
from viewer.core.tasks import Task
from viewer.core.text_layout import Block, Run, TextDocument, TextLayoutModel
from viewer.render.text_content import text_contents
from viewer.render.text_geometry import LaidOutText
from viewer.render.text_painter import BACKGROUND, TextPainter

DEFAULT_WIDTH = 1000
# QPainter's raster engine works in 16-bit device coordinates in places; taller pictures lose their bottom.
MAX_HEIGHT = 32_000


def _title(name: str, kind: str) -> TextLayoutModel:
    text = f"{kind} \u201c{name}\u201d"
    block = Block(0, len(text), "heading", 4, (Run(0, len(text), frozenset({"muted"})),))
    return TextLayoutModel(TextDocument(name, "text", text, (block,)), (), (), 0)


def lay_out_task(project: Project, task: Task, width: int, *, source: str = "all", model_version: str | None = None,
                 labels: bool = True, painter: TextPainter | None = None) -> list[LaidOutText]:
    """Each text object laid out at `width`, under a title line when the task has more than one."""
    painter = (painter or TextPainter(project.config)).with_tags(labels)
    contents = text_contents(project, task, source=source, model_version=model_version)
    parts: list[LaidOutText] = []
    for content in contents:
        if len(contents) > 1:
            parts.append(painter.lay_out(_title(content.object_name, content.document.kind), width))
        parts.append(painter.lay_out(content.model(), width))
    return parts


def _paint(parts: list[LaidOutText], tops: list[float], start: float, end: float, painter: TextPainter) -> QImage:
    width = parts[0].width if parts else 1
    image = QImage(width, max(1, math.ceil(end - start)), QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    p = QPainter(image)
    try:
        for part, top in zip(parts, tops):
            low, high = max(start, top), min(end, top + part.height)
            if low >= high:
                continue
            p.save()
            p.translate(0.0, top - start)
            p.setClipRect(QRectF(0.0, low - top, width, high - low))
            painter.paint(p, part, QRectF(0.0, low - top, width, high - low))
            p.restore()
    finally:
        p.end()
    return image


def render_text_pages(project: Project, task: Task, width: int = DEFAULT_WIDTH, *, source: str = "all",
                      model_version: str | None = None, labels: bool = True, painter: TextPainter | None = None,
                      max_height: int = MAX_HEIGHT) -> list[QImage]:
    """The whole reading view as pictures of at most `max_height` px, each ending at the bottom of a line."""
    painter = (painter or TextPainter(project.config)).with_tags(labels)
    parts = lay_out_task(project, task, width, source=source, model_version=model_version, labels=labels,
                         painter=painter)
    tops, breaks, total = [], [], 0.0
    for part in parts:
        tops.append(total)
        breaks.extend(total + line.bottom for line in part.lines)
        total += part.height
        breaks.append(total)
    breaks.sort()
    pages, start = [], 0.0
    while True:
        limit = start + max_height
        if total <= limit:
            pages.append(_paint(parts, tops, start, total, painter))
            return pages
        index = bisect_right(breaks, limit) - 1
        end = breaks[index] if index >= 0 and breaks[index] > start else limit  # one line taller than a page
        pages.append(_paint(parts, tops, start, end, painter))
        start = end


def render_text_task(project: Project, task: Task, width: int = DEFAULT_WIDTH, *, source: str = "all",
                     model_version: str | None = None, labels: bool = True,
                     painter: TextPainter | None = None) -> QImage:
    """The task's Text/HyperText/Paragraphs objects with the chosen spans (the first page of a very long text)."""
    return render_text_pages(project, task, width, source=source, model_version=model_version, labels=labels,
                             painter=painter)[0]

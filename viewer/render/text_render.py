"""A text task drawn to a QImage at a fixed width: every text object's reading view, one under the other.

Render layer. `lsview render` writes these; the window's text view paints through the same TextPainter.
"""

from __future__ import annotations

import math

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


def render_text_task(project: Project, task: Task, width: int = DEFAULT_WIDTH, *, source: str = "all",
                     model_version: str | None = None, labels: bool = True,
                     painter: TextPainter | None = None) -> QImage:
    """The task's Text/HyperText/Paragraphs objects with the chosen predictions'/annotations' spans."""
    painter = painter or TextPainter(project.config)
    painter = painter.with_tags(labels)
    contents = text_contents(project, task, source=source, model_version=model_version)
    parts: list[LaidOutText] = []
    for content in contents:
        if len(contents) > 1:
            parts.append(painter.lay_out(_title(content.object_name, content.document.kind), width))
        parts.append(painter.lay_out(content.model(), width))
    total = sum(part.height for part in parts)
    height = max(1, min(math.ceil(total), MAX_HEIGHT))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    p = QPainter(image)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        top = 0.0
        for part in parts:
            if top >= height:
                break
            p.save()
            p.translate(0.0, top)
            painter.paint(p, part, QRectF(0.0, 0.0, width, min(part.height, height - top)))
            p.restore()
            top += part.height
    finally:
        p.end()
    return image


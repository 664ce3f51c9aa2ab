"""Text positions in a laid-out document: which character a point falls on, and where a range of characters lies,
for selecting text with the mouse.

Render layer. Offsets are code points of the document's shown text; QTextLayout counts UTF-16 units, converted
here with viewer.core.textspans.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from viewer.core.textspans import code_points_to_utf16, utf16_to_code_points
from viewer.render.text_geometry import LaidOutText, LineBox


def _text_lines(laid: LaidOutText, top: float, bottom: float) -> list[LineBox]:
    """The document's lines (not notes, not images) from `top` to `bottom`."""
    return [laid.lines[i] for i in laid.visible_lines(top, bottom) if laid.lines[i].start >= 0
            and laid.lines[i].line >= 0]


def offset_at(laid: LaidOutText, pos: QPointF) -> int | None:
    """The document offset of the character boundary nearest a point: before the first line is the start of the
    document, past the last line its end, in a gap between lines the nearer line counts."""
    lines = [line for line in laid.lines if line.start >= 0 and line.line >= 0]
    if not lines:
        return None
    here = _text_lines(laid, pos.y(), pos.y() + 1.0)
    if here:
        box = here[-1]
    elif pos.y() < lines[0].top:
        box = lines[0]
    else:
        box = max((line for line in lines if line.top <= pos.y()), key=lambda line: line.top, default=lines[-1])
    layout = laid.layouts[box.layout]
    line = layout.lineAt(box.line)
    if pos.y() < box.top and box is lines[0]:
        cursor = line.textStart()
    elif pos.y() >= box.bottom and box is lines[-1]:
        cursor = line.textStart() + line.textLength()
    else:
        cursor = line.xToCursor(pos.x() - box.x)
    return box.start + utf16_to_code_points(layout.text(), cursor)


def range_rects(laid: LaidOutText, start: int, end: int, top: float, bottom: float) -> list[QRectF]:
    """Rectangles covering the document's characters start..end on the lines between `top` and `bottom`."""
    rects = []
    for box in _text_lines(laid, top, bottom):
        layout = laid.layouts[box.layout]
        text = layout.text()
        if end <= box.start or start >= box.start + len(text):
            continue
        line = layout.lineAt(box.line)
        first = code_points_to_utf16(text, max(start - box.start, 0))
        last = code_points_to_utf16(text, min(end - box.start, len(text)))
        low, high = max(first, line.textStart()), min(last, line.textStart() + line.textLength())
        if low >= high:
            continue
        x0, x1 = sorted((line.cursorToX(low)[0], line.cursorToX(high)[0]))
        rects.append(QRectF(box.x + x0, box.top, max(x1 - x0, 1.0), box.text_height))
    return rects

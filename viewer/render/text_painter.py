"""The one text painter (DESIGN rule 6): span highlights, lanes of underlines, tags and selection over the text.

Render layer. The window's text view and `lsview render` both lay out through TextPainter.lay_out and paint
through TextPainter.paint, so a PNG and the screen agree.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from viewer.core.config import LabelConfig
from viewer.core.text_layout import PlacedSpan, TextLayoutModel
from viewer.render.content import tag_text
from viewer.render.painter import draw_tag, qcolor
from viewer.render.style import SELECTED_STROKE, RegionStyle, StyleBook
from viewer.render.text_geometry import LaidOutText, LineBox, Segment, TextOptions, lay_out

BACKGROUND = QColor(255, 255, 255)
INK = QColor(20, 20, 20)
PROBLEM_INK = QColor(200, 0, 0)
HIGHLIGHT_ALPHA = 0.28    # one span tints its text; nested spans stack and read darker
EMPHASIS_ALPHA = 0.5      # the hovered or selected span
VALUE_CHARACTERS = 24     # per-span values in a tag are cut to this; hover shows them whole
UNPLACED_LINES = 50       # notes over a text cut short could otherwise be one line per span of a huge task
MARK = "\u26a0 "          # opens the tag of a span whose `text` disagrees with the data


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def unplaced_notes(model: TextLayoutModel) -> list[str]:
    """The document's notes, then one line per span not placed (at most UNPLACED_LINES, then a count)."""
    notes = list(model.document.notes)
    for span in model.unplaced[:UNPLACED_LINES]:
        labels = ", ".join(span.region.labels) or "no label"
        notes.append(f"Not placed: {span.region.id} ({labels}): {span.problem}")
    if len(model.unplaced) > UNPLACED_LINES:
        notes.append(f"... and {len(model.unplaced) - UNPLACED_LINES:,} more spans not placed")
    return notes


class TextPainter:
    """Lays out and paints text layout models of one config; label colours come from the config's StyleBook."""

    def __init__(self, config: LabelConfig | None, options: TextOptions | None = None):
        self.styles = StyleBook(config)
        self.options = options or TextOptions()

    def with_tags(self, shown: bool) -> TextPainter:
        painter = TextPainter(None, replace(self.options, tags=shown))
        painter.styles = self.styles
        return painter

    def style(self, span: PlacedSpan) -> RegionStyle:
        return self.styles.style(span.region)

    def tag(self, span: PlacedSpan) -> str:
        """Labels and score, then the per-span values (cut short), marked when the stored text disagrees."""
        text = tag_text(span.region) or "(no label)"
        values = "; ".join(value for _, value in span.values)
        if values:
            text = f"{text} \u00b7 {_cut(values, VALUE_CHARACTERS)}"
        return MARK + text if span.problem else text

    def lay_out(self, model: TextLayoutModel, width: int) -> LaidOutText:
        spans = model.spans
        return lay_out(model, width, self.options, lambda index: self.tag(spans[index]), unplaced_notes(model))

    def paint(self, p: QPainter, laid: LaidOutText, clip: QRectF, *, selected: int | None = None,
              hovered: int | None = None) -> None:
        """Paint the lines that meet `clip` (document coordinates): tints, text, lanes, tags, selection."""
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(clip, BACKGROUND)
        lines = [laid.lines[i] for i in laid.visible_lines(clip.top(), clip.bottom())]
        spans = laid.model.spans
        styles = [self.style(spans[i]) for i in range(len(spans))] if len(spans) < 64 else None
        style_of = (lambda i: styles[i]) if styles is not None else (lambda i: self.style(spans[i]))
        for line in lines:
            for segment in line.segments:
                color = qcolor(style_of(segment.span).stroke)
                color.setAlphaF(EMPHASIS_ALPHA if segment.span in (selected, hovered) else HIGHLIGHT_ALPHA)
                p.fillRect(laid.text_rect(line, segment), color)
        p.setPen(INK)
        for line in lines:
            if line.line < 0:
                image, target = laid.images[line.layout]
                p.drawImage(target, image)
            else:
                laid.layouts[line.layout].lineAt(line.line).draw(p, QPointF(line.x, 0.0))
        for line in lines:
            for segment in line.segments:
                self._lane(p, laid, line, segment, style_of(segment.span), segment.span == selected,
                           spans[segment.span].problem is not None)
        if selected is not None:
            self._outline(p, laid, lines, selected)

    def _lane(self, p: QPainter, laid: LaidOutText, line: LineBox, segment: Segment, style: RegionStyle,
              selected: bool, problem: bool) -> None:
        top = laid.lane_top(line, segment.lane)
        bar = laid.options.bar_height * (2 if selected else 1)
        p.fillRect(QRectF(segment.x0, top, max(segment.x1 - segment.x0, 1.0), bar), qcolor(style.stroke)
                   if not selected else qcolor(SELECTED_STROKE))
        if problem:
            # a dotted red rule under the glyphs: the stored `text` is not what these offsets cover; drawn
            # without antialiasing so each dot is one crisp pixel rather than a pink smear
            p.save()
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.setPen(QPen(PROBLEM_INK, 1.0, Qt.PenStyle.DotLine))
            baseline = round(line.top + line.ascent + 2.0)
            p.drawLine(QPointF(segment.x0, baseline), QPointF(segment.x1, baseline))
            p.restore()
        if segment.tag:
            anchor = QPointF(segment.tag_x, top + laid.options.bar_height + laid.tag_height)
            draw_tag(p, anchor, segment.tag, style, laid.options.tag_pixel_size)

    @staticmethod
    def _outline(p: QPainter, laid: LaidOutText, lines: list[LineBox], selected: int) -> None:
        pen = QPen(qcolor(SELECTED_STROKE), 2.0)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for line in lines:
            for segment in line.segments:
                if segment.span == selected:
                    p.drawRect(laid.text_rect(line, segment).adjusted(-1.0, -1.0, 1.0, 1.0))

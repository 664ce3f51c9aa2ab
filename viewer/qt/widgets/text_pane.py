"""TextPane: one scrollable reading view of a text layout model, painted by the shared TextPainter.

Qt layer. Lays out once per model and width (a drag of the window's edge re-wraps when it pauses) and paints
only the lines in view; hover tells a span's details, a click selects (again on the same spot: the next span),
a drag selects text (for new spans).
"""

from __future__ import annotations

import html
import math
from typing import Mapping

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip

from viewer.core.text_layout import LayerKey, PlacedSpan, RegionKey, TextLayoutModel
from viewer.render.content import Layer, describe
from viewer.render.text_geometry import LaidOutText
from viewer.render.text_hits import offset_at, range_rects
from viewer.render.text_painter import BACKGROUND, TextPainter

RELAYOUT_DELAY_MS = 80
TOOLTIP_SPANS = 4  # spans listed in one tooltip; deeper nesting is rare and the list would cover the text
SELECTION = QColor(51, 153, 255, 90)


class TextPane(QAbstractScrollArea):
    span_clicked = Signal(object)  # the RegionKey clicked, or None for a click on plain text
    text_selected = Signal(object)  # (start, end) code points of the shown text dragged over, or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model: TextLayoutModel | None = None
        self.painter: TextPainter | None = None
        self.laid: LaidOutText | None = None
        self.layers: Mapping[LayerKey, Layer] = {}
        self.selected: int | None = None
        self.hovered: int | None = None
        self.text_range: tuple[int, int] | None = None   # text selected by dragging, document code points
        self._anchor: int | None = None
        self.layout_count = 0  # how often the text was laid out: tests and the benchmark watch it
        # The scroll bar is always there, so showing it never changes the width and re-wraps the text.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(RELAYOUT_DELAY_MS)
        self._relayout_timer.timeout.connect(self._on_relayout_timer_timeout)
        self._relayout_pending = False

    def set_model(self, model: TextLayoutModel | None, painter: TextPainter, layers: Mapping[LayerKey, Layer],
                  *, keep_scroll: bool = False) -> None:
        """Show a model; the selected region stays selected when the new model places it too."""
        key = self.selected_key()
        self.model, self.painter, self.layers = model, painter, layers
        self.selected = model.find(key) if model is not None and key is not None else None
        self.hovered = None
        self.select_text(None)
        value = self.verticalScrollBar().value()
        self.relayout()
        self.verticalScrollBar().setValue(value if keep_scroll else 0)

    def set_painter(self, painter: TextPainter) -> None:
        self.painter = painter
        self.relayout()

    def _width(self) -> int:
        return max(self.viewport().width(), 120)

    def relayout(self) -> None:
        self._relayout_pending = False
        if self.model is None or self.painter is None:
            self.laid = None
        else:
            self.laid = self.painter.lay_out(self.model, self._width())
            self.layout_count += 1
        self._update_scroll_range()
        self.viewport().update()

    def _update_scroll_range(self) -> None:
        bar = self.verticalScrollBar()
        visible = self.viewport().height()
        height = math.ceil(self.laid.height) if self.laid is not None else 0
        bar.setRange(0, max(0, height - visible))
        bar.setPageStep(max(visible, 1))
        bar.setSingleStep(max(self.fontMetrics().height() * 2, 1))

    def selected_key(self) -> RegionKey | None:
        if self.model is None or self.selected is None:
            return None
        return self.model.spans[self.selected].key

    def select_key(self, key: RegionKey | None) -> bool:
        """Select a region (no signal) and scroll it into view; False when this pane does not show it."""
        index = self.model.find(key) if self.model is not None and key is not None else None
        self.selected = index
        self.viewport().update()
        if index is not None:
            self.scroll_to(index)
        return index is not None

    def scroll_to(self, index: int) -> None:
        rect = self.laid.span_rect(index) if self.laid is not None else None
        if rect is None:
            return
        bar = self.verticalScrollBar()
        top, visible = bar.value(), self.viewport().height()
        if rect.top() < top or rect.bottom() > top + visible:
            bar.setValue(round(rect.center().y() - visible / 2))

    def span_key(self, index: int) -> RegionKey:
        return self.model.spans[index].key

    # ------------------------------------------------------------------ Qt events

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.laid is not None and self.laid.width != self._width():
            # A single resize (a splitter opening, the window maximised) re-wraps at once; during a drag the
            # next ones wait until the resizing pauses, so a long text is not laid out on every pixel.
            if self._relayout_timer.isActive():
                self._relayout_pending = True
            else:
                self.relayout()
            self._relayout_timer.start()
        self._update_scroll_range()

    def _on_relayout_timer_timeout(self) -> None:
        if self._relayout_pending and self.laid is not None and self.laid.width != self._width():
            self.relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(dx, dy)  # move what is painted; only the uncovered strip is painted anew

    def paintEvent(self, event) -> None:
        offset = self.verticalScrollBar().value()
        p = QPainter(self.viewport())
        try:
            rect = QRectF(event.rect()).translated(0.0, offset)
            p.translate(0.0, -offset)
            if self.laid is None or self.painter is None:
                p.fillRect(rect, BACKGROUND)
                return
            self.painter.paint(p, self.laid, rect, selected=self.selected, hovered=self.hovered)
            if self.text_range is not None:
                for box in range_rects(self.laid, *self.text_range, rect.top(), rect.bottom()):
                    p.fillRect(box, SELECTION)
        finally:
            p.end()

    def _hits(self, pos) -> list[int]:
        if self.laid is None:
            return []
        return self.laid.spans_at(QPointF(pos.x(), pos.y() + self.verticalScrollBar().value()))

    def _offset(self, pos) -> int | None:
        if self.laid is None:
            return None
        return offset_at(self.laid, QPointF(pos.x(), pos.y() + self.verticalScrollBar().value()))

    def select_text(self, text_range: tuple[int, int] | None) -> None:
        """Show a range of the text as selected (None: none); says so with text_selected."""
        if text_range is not None and text_range[0] >= text_range[1]:
            text_range = None
        if text_range != self.text_range:
            self.text_range = text_range
            self.viewport().update()
            self.text_selected.emit(text_range)

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self._anchor is not None:
            cursor = self._offset(event.position())
            if cursor is not None:
                self.select_text((min(self._anchor, cursor), max(self._anchor, cursor)))
            return
        hits = self._hits(event.position())
        hovered = hits[0] if hits else None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if hits else Qt.CursorShape.IBeamCursor)
        if hovered != self.hovered:
            self.hovered = hovered
            self.viewport().update()

    def leaveEvent(self, event) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.viewport().update()
        super().leaveEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        hits = self._hits(event.position())
        if not hits:
            index = None
        elif self.selected in hits:  # clicking the same spot again walks through the spans stacked there
            index = hits[(hits.index(self.selected) + 1) % len(hits)]
        else:
            index = hits[0]
        self.selected = index
        self.viewport().update()
        self._anchor = self._offset(event.position())
        self.select_text(None)
        self.span_clicked.emit(None if index is None else self.span_key(index))

    def mouseReleaseEvent(self, event) -> None:
        self._anchor = None
        super().mouseReleaseEvent(event)

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            hits = self._hits(event.pos())
            if hits:
                QToolTip.showText(event.globalPos(), self.details(hits), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def details(self, hits: list[int]) -> str:
        """Rich text about the spans under the pointer: labels, score, source, model, id, values, problems."""
        parts = [self._describe(self.model.spans[i]) for i in hits[:TOOLTIP_SPANS]]
        if len(hits) > TOOLTIP_SPANS:
            parts.append(f"<i>and {len(hits) - TOOLTIP_SPANS} more spans here</i>")
        return "<hr>".join(parts)

    def _describe(self, span: PlacedSpan) -> str:
        layer = self.layers.get(span.key[0])
        if layer is None:
            layer = Layer(span.key[0][0], span.key[0][1], f"{span.key[0][0]} {span.key[0][1]}", None, None, (), ())
        rows = [row for row in describe(span.region, layer) if row[0] != "kind"]
        rows.extend(row for row in span.values if row[0] == "meta.text")  # describe() lists the others
        rows.append(("placed by", span.placed_by or "-"))
        text = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows)
        if span.problem:
            text += f"<tr><td colspan=2><font color='#c00000'>{html.escape(span.problem)}</font></td></tr>"
        return f"<table>{text}</table>"

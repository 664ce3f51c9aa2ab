"""A TextLayoutModel laid out at one width with QTextLayout: lines, span segments in lanes, tags, hit tests.

Render layer. Built once per model, width and options; painting (text_painter.py) only reads it, so a repaint
of a 100,000-character text shapes nothing and touches only the lines in view.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Callable

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QTextCharFormat, QTextLayout, QTextOption

from viewer.core.colors import label_background, parse_color
from viewer.core.resolve import data_url_bytes
from viewer.core.text_layout import Block, Run, TextLayoutModel
from viewer.render.painter import tag_box

HEADING_SCALE = {1: 1.6, 2: 1.4, 3: 1.25, 4: 1.1, 5: 1.0, 6: 0.9}
BLOCK_GAP = {"line": 0.0, "item": 2.0, "row": 2.0, "phrase": 10.0}  # other kinds: a paragraph's gap
MUTED = QColor(110, 110, 110)
LINK = QColor(20, 80, 200)
MAX_IMAGE_HEIGHT = 400.0


@dataclass(frozen=True)
class TextOptions:
    font_pixel_size: int = 15
    tag_pixel_size: int = 10
    margin: float = 12.0
    indent: float = 22.0         # per list or quote level
    tags: bool = True
    bar_height: float = 2.0      # the underline each span draws in its lane
    break_width: float = 6.0     # the box a span draws where it covers a line break
    line_gap: float = 2.0
    paragraph_gap: float = 6.0


@dataclass
class Segment:
    """The part of one span on one line: text from x0 to x1, an underline in `lane`, maybe the span's tag."""

    span: int
    x0: float
    x1: float
    lane: int = 0
    tag: str = ""
    tag_x: float = 0.0
    tag_width: float = 0.0


@dataclass
class LineBox:
    top: float
    text_height: float
    ascent: float
    bottom: float
    layout: int                  # index into LaidOutText.layouts, or into .images when `line` is -1
    line: int
    x: float
    start: int = -1              # where the layout's text starts in the document; -1: a note, not the document
    segments: list[Segment] = field(default_factory=list)

    @property
    def lanes_top(self) -> float:
        return self.top + self.text_height + 1.0


def _utf16_prefix(text: str) -> list[int] | None:
    """UTF-16 index of every code-point position, or None when both counts agree (no astral characters)."""
    if len(text.encode("utf-16-le")) == 2 * len(text):
        return None
    return [0, *accumulate(2 if ord(ch) > 0xFFFF else 1 for ch in text)]


class LaidOutText:
    """Lines top to bottom with their span segments; everything painting and hit tests need."""

    def __init__(self, model: TextLayoutModel, width: int, options: TextOptions):
        self.model = model
        self.width = width
        self.options = options
        self.lines: list[LineBox] = []
        self.layouts: list[QTextLayout] = []
        self.images: list[tuple[QImage, QRectF]] = []
        self.span_lines: dict[int, list[int]] = {}
        self.tag_height = tag_box("Ag", options.tag_pixel_size).height() if options.tags else 0.0
        self.lane_height = options.bar_height + (self.tag_height + 2.0 if options.tags else 2.0)
        self.height = 0.0
        self._tops: list[float] = []

    def visible_lines(self, top: float, bottom: float) -> range:
        first = max(bisect_right(self._tops, top) - 1, 0)
        return range(first, bisect_left(self._tops, bottom, lo=first))

    def text_rect(self, line: LineBox, segment: Segment) -> QRectF:
        return QRectF(segment.x0, line.top, max(segment.x1 - segment.x0, 1.0), line.text_height)

    def lane_top(self, line: LineBox, lane: int) -> float:
        return line.lanes_top + lane * self.lane_height

    def spans_at(self, pos: QPointF) -> list[int]:
        """Spans under a point: on the text innermost first; on a lane, the one span drawn there."""
        index = bisect_right(self._tops, pos.y()) - 1
        if index < 0 or pos.y() >= self.lines[index].bottom:
            return []
        line, x = self.lines[index], pos.x()
        if pos.y() < line.top + line.text_height:
            hits = [s.span for s in line.segments if s.x0 <= x < max(s.x1, s.x0 + 1.0)]
            spans = self.model.spans
            hits.sort(key=lambda i: (spans[i].end - spans[i].start, -spans[i].lane))
            return list(dict.fromkeys(hits))
        lane = int((pos.y() - line.lanes_top) // self.lane_height)
        return [s.span for s in line.segments if s.lane == lane and
                (s.x0 <= x <= s.x1 or (s.tag and s.tag_x <= x <= s.tag_x + s.tag_width))][:1]

    def span_rect(self, span: int) -> QRectF | None:
        """Where a span's text and underlines are, in document coordinates."""
        rect = None
        for index in self.span_lines.get(span, ()):
            line = self.lines[index]
            for segment in line.segments:
                if segment.span == span:
                    lane = QRectF(segment.x0, self.lane_top(line, segment.lane), 1.0, self.lane_height)
                    if segment.tag:
                        lane = lane.united(QRectF(segment.tag_x, lane.top(), segment.tag_width, lane.height()))
                    part = self.text_rect(line, segment).united(lane)
                    rect = part if rect is None else rect.united(part)
        return rect


class _Builder:
    def __init__(self, laid: LaidOutText, tag_of: Callable[[int], str]):
        self.laid = laid
        self.options = laid.options
        self.tag_of = tag_of
        self.tagged: set[int] = set()
        self.left = self.options.margin
        self.right = max(laid.width - self.options.margin, self.left + 40.0)
        self.base = QFont()
        self.base.setPixelSize(self.options.font_pixel_size)

    def font(self, block: Block) -> QFont:
        font = QFont(self.base)
        if block.kind == "heading":
            font.setPixelSize(round(self.options.font_pixel_size * HEADING_SCALE.get(block.level, 1.0)))
            font.setBold(True)
        elif block.kind == "pre":
            font.setFamily("monospace")
            font.setStyleHint(QFont.StyleHint.TypeWriter)
        return font

    def formats(self, block: Block, text: str, prefix: list[int] | None) -> list:
        ranges = []
        for run in block.runs:
            start, end = max(run.start, block.start) - block.start, min(run.end, block.end) - block.start
            if start >= end:
                continue
            char = QTextCharFormat()
            flags = run.flags
            if "bold" in flags or "author" in flags:
                char.setFontWeight(QFont.Weight.Bold)
            if "italic" in flags:
                char.setFontItalic(True)
            if "strike" in flags:
                char.setFontStrikeOut(True)
            if "code" in flags:
                char.setFontFamilies(["monospace"])
                char.setFontStyleHint(QFont.StyleHint.TypeWriter)
            if "muted" in flags:
                char.setForeground(MUTED)
            elif "link" in flags:
                char.setForeground(LINK)
            elif "author" in flags and block.author:
                r, g, b, _ = parse_color(label_background(block.author, None))
                char.setForeground(QColor(r, g, b).darker(160))
            item = QTextLayout.FormatRange()
            item.start = prefix[start] if prefix else start
            item.length = (prefix[end] if prefix else end) - item.start
            item.format = char
            ranges.append(item)
        return ranges

    def add_text(self, text: str, block: Block, top: float, x: float, active: list[tuple[int, int, int]],
                 break_end: int, text_start: int = -1) -> float:
        prefix = _utf16_prefix(text)
        layout = QTextLayout(text, self.font(block))
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.setFormats(self.formats(block, text, prefix))
        width = max(self.right - x, 40.0)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
        layout.endLayout()
        number = len(self.laid.layouts)
        self.laid.layouts.append(layout)
        count = layout.lineCount()
        starts = [layout.lineAt(i).textStart() for i in range(count)]  # UTF-16
        boxes = [LineBox(0.0, layout.lineAt(i).height(), layout.lineAt(i).ascent(), 0.0, number, i, x, text_start)
                 for i in range(count)]
        for span, start, end in active:
            self.add_segments(span, start, end, block, break_end, layout, boxes, starts, prefix, x)
        for i, box in enumerate(boxes):
            box.top = top
            layout.lineAt(i).setPosition(QPointF(0.0, top))
            lanes = self.assign_lanes(box.segments)
            box.bottom = top + box.text_height + (lanes * self.laid.lane_height + 1.0 if lanes else 0.0) + \
                self.options.line_gap
            top = box.bottom
            self.push(box)
        return top

    def add_segments(self, span: int, start: int, end: int, block: Block, break_end: int, layout: QTextLayout,
                     boxes: list[LineBox], starts: list[int], prefix: list[int] | None, x: float) -> None:
        local_start = min(max(start, block.start), block.end) - block.start  # may start in the break after
        local_end = min(end, block.end) - block.start
        u_start = prefix[local_start] if prefix else local_start
        u_end = prefix[local_end] if prefix else local_end
        covers_break = end > block.end and start < break_end
        first = max(bisect_right(starts, u_start) - 1, 0)
        last = len(boxes) - 1 if covers_break else max(bisect_left(starts, u_end) - 1, first)
        for i in range(first, last + 1):
            line = layout.lineAt(i)
            line_end = line.textStart() + line.textLength()
            a, b = max(u_start, line.textStart()), min(u_end, line_end)
            x0 = x1 = None
            if a < b:
                x0, x1 = sorted((line.cursorToX(a)[0], line.cursorToX(b)[0]))
            if covers_break and i == len(boxes) - 1:
                tail = line.cursorToX(line_end)[0]
                x0 = tail if x0 is None else x0
                x1 = tail + self.options.break_width
            if x0 is None:
                continue
            segment = Segment(span, x + x0, x + x1)
            if span not in self.tagged and self.options.tags:
                self.tagged.add(span)
                segment.tag = self.tag_of(span)
                segment.tag_width = tag_box(segment.tag, self.options.tag_pixel_size).width()
                segment.tag_x = max(min(segment.x0, self.right - segment.tag_width), self.left)
            boxes[i].segments.append(segment)

    def assign_lanes(self, segments: list[Segment]) -> int:
        """Lanes in pixels: a segment (with its tag) takes the first lane where it overlaps nothing."""
        spans = self.laid.model.spans
        segments.sort(key=lambda s: (spans[s.span].lane, s.x0))
        lanes: list[list[tuple[float, float]]] = []
        for segment in segments:
            low, high = segment.x0, segment.x1
            if segment.tag:
                low, high = min(low, segment.tag_x), max(high, segment.tag_x + segment.tag_width)
            high += 3.0
            for number, taken in enumerate(lanes):
                if all(high <= a or low >= b for a, b in taken):
                    break
            else:
                number = len(lanes)
                lanes.append([])
            lanes[number].append((low, high))
            segment.lane = number
        return len(lanes)

    def add_image(self, block: Block, top: float) -> float:
        image = QImage()
        try:
            image.loadFromData(data_url_bytes(block.image or ""))
        except ValueError:
            pass
        if image.isNull():
            note = Block(0, 0, "paragraph", runs=())
            return self.add_text("[an inline image that cannot be decoded]", note, top, self.left, [], 0)
        width = min(float(image.width()), self.right - self.left)
        height = image.height() * width / max(image.width(), 1)
        if height > MAX_IMAGE_HEIGHT:
            width, height = width * MAX_IMAGE_HEIGHT / height, MAX_IMAGE_HEIGHT
        self.laid.images.append((image, QRectF(self.left, top, width, height)))
        self.push(LineBox(top, height, height, top + height + self.options.line_gap, len(self.laid.images) - 1, -1,
                          self.left))
        return top + height + self.options.line_gap

    def push(self, box: LineBox) -> None:
        number = len(self.laid.lines)
        self.laid.lines.append(box)
        for segment in box.segments:
            lines = self.laid.span_lines.setdefault(segment.span, [])
            if not lines or lines[-1] != number:
                lines.append(number)


def lay_out(model: TextLayoutModel, width: int, options: TextOptions, tag_of: Callable[[int], str],
            notes: list[str]) -> LaidOutText:
    """Lay the whole model out at `width`; `notes` (muted lines) go on top, `tag_of(span)` words each tag."""
    laid = LaidOutText(model, width, options)
    builder = _Builder(laid, tag_of)
    top = options.margin
    for note in notes:
        note_block = Block(0, len(note), "paragraph", runs=(Run(0, len(note), frozenset({"muted", "italic"})),))
        top = builder.add_text(note, note_block, top, builder.left, [], 0)
    if notes:
        top += options.paragraph_gap
    document = model.document
    ranges = sorted((start, end, index) for index, span in enumerate(model.spans) for start, end in span.ranges)
    pending, active = 0, []
    blocks = document.blocks
    for number, block in enumerate(blocks):
        if number:
            top += BLOCK_GAP.get(block.kind, options.paragraph_gap)
        if block.kind == "image":
            top = builder.add_image(block, top)
            continue
        break_end = blocks[number + 1].start if number + 1 < len(blocks) else len(document.text)
        while pending < len(ranges) and ranges[pending][0] < break_end:
            active.append(ranges[pending])
            pending += 1
        active = [r for r in active if r[1] > block.start]
        here = [(index, start, end) for start, end, index in active]
        x = builder.left + options.indent * (block.level if block.kind in ("item", "quote") else 0)
        top = builder.add_text(document.text[block.start:block.end], block, top, x, here, break_end, block.start)
    laid.height = top + options.margin
    laid._tops = [line.top for line in laid.lines]
    return laid


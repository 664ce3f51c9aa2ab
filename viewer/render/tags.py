"""Region tags that do not overlap: core.tag_layout's places, measured with the painter's tag font.

Render layer. `lsview render` lays out and draws a PNG's tags here (in the painter's units); the window's
TagPlacer measures its tags with tag_measure, so both fold a crowded tag into the same "Road 0.89 +2".
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from viewer.core.regions import Region
from viewer.core.tag_layout import Box, TagLayout, TagRequest, folded_text, place_tags
from viewer.render.content import tag_text
from viewer.render.painter import TAG_PADDING, TAG_PIXEL_SIZE, RegionPainter, draw_tag, tag_box


def tag_measure(texts: Sequence[str], pixel_size: int = TAG_PIXEL_SIZE,
                box: Callable[[str, int], QRectF] = tag_box) -> Callable[[int, int], float]:
    """measure(i, n) for place_tags: the width of tag i with n others folded into it."""
    return lambda i, n: box(folded_text(texts[i], n), pixel_size).width()


def blank_tag_box(text: str, pixel_size: int) -> QRectF:
    """A tag's box sized from its length instead of a font, like tag_box: for pictures that must not depend on
    the machine's fonts (golden images)."""
    width = len(text) * pixel_size * 0.6 + 2 * TAG_PADDING
    height = pixel_size * 1.25 + 2 * TAG_PADDING
    return QRectF(0.0, -height, width, height)


def group_of(region: Region) -> str:
    """What a folded tag counts alike: its labels."""
    return ", ".join(region.labels)


def box_of(rect: QRectF) -> Box:
    return (rect.left(), rect.top(), rect.right(), rect.bottom())


def layout_tags(p: QPainter, regions: Sequence[tuple[Region, QRectF]], painter: RegionPainter, size: tuple[int, int],
                pixel_size: int, *, obstacles: Sequence[QRectF] = (), words: bool = True,
                transcriptions: bool = True) -> TagLayout:
    """Place and draw the tags of `regions` ((region, its drawn box) in drawing order) on a picture of the region
    space `size`, clear of `obstacles` (relation labels). `words=False` draws each tag as its blank box
    (blank_tag_box); `transcriptions` puts a per-region TextArea's text in the tag (tag_text). Returns the layout,
    whose request i is the i-th region with a tag."""
    measure_box = tag_box if words else blank_tag_box
    shown = [(region, anchor, text) for region, anchor in regions if (text := tag_text(region, transcriptions))]
    texts = [text for _, _, text in shown]
    requests = []
    for region, anchor, text in shown:
        box = measure_box(text, pixel_size)
        requests.append(TagRequest(box_of(anchor), box.width(), box.height(), region.score, group=group_of(region)))
    layout = place_tags(requests, tag_measure(texts, pixel_size, measure_box),
                        bounds=(0.0, 0.0, float(size[0]), float(size[1])), obstacles=[box_of(r) for r in obstacles])
    draw_layout(p, layout, [region for region, _, _ in shown], texts, painter, pixel_size, words)
    return layout


def draw_layout(p: QPainter, layout: TagLayout, regions: Sequence[Region], texts: Sequence[str],
                painter: RegionPainter, pixel_size: int, words: bool = True) -> None:
    for tag in layout.placed:
        style = painter.style(regions[tag.index])
        if words:
            # draw_tag's anchor is the tag's bottom-left corner
            draw_tag(p, QPointF(tag.x, tag.y + tag.height), folded_text(texts[tag.index], len(tag.folded)), style,
                     pixel_size)
        else:
            # the tag's colour inside an outline in its ink, so tags that touch still read as two
            r, g, b, _ = style.stroke
            ink = QPen(QColor(0, 0, 0) if 0.299 * r + 0.587 * g + 0.114 * b > 150 else QColor(255, 255, 255))
            ink.setCosmetic(True)
            p.setPen(ink)
            p.setBrush(QColor(r, g, b, 220))
            p.drawRect(QRectF(tag.x + 0.5, tag.y + 0.5, tag.width - 1.0, tag.height - 1.0))

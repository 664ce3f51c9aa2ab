"""A whole task drawn to a QImage at the image's own resolution: the image (or a placeholder), regions, tags.

Render layer. `lsview render` writes these; the window draws the same regions through the same RegionPainter.
"""

from __future__ import annotations

import warnings

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from viewer.core.errors import MediaError
from viewer.core.images import load_image
from viewer.core.region_kinds import MASK_KINDS
from viewer.core.regions import Region, Relation
from viewer.core.shapes import KeyPoint
from viewer.render import relations
from viewer.render.content import TaskContent, drawn_size
from viewer.render.painter import TAG_PIXEL_SIZE, RegionPainter, keypoint_radius
from viewer.render.tags import layout_tags

PLACEHOLDER_FILL = QColor(200, 200, 200)
PLACEHOLDER_INK = QColor(70, 70, 70)


def to_qimage(image: Image.Image) -> QImage:
    """A Pillow RGB/RGBA image as a QImage that owns its pixels."""
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    fmt = QImage.Format.Format_RGBA8888 if image.mode == "RGBA" else QImage.Format.Format_RGB888
    channels = 4 if image.mode == "RGBA" else 3
    data = image.tobytes()
    return QImage(data, image.width, image.height, image.width * channels, fmt).copy()


def load_qimage(path) -> QImage:
    """The decoded image as the browser shows it (EXIF orientation applied); MediaError when unreadable."""
    with warnings.catch_warnings():
        # Pillow warns above 89 M pixels and refuses (MediaError) above 179 M; in between the image is shown.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return to_qimage(load_image(path))


def placeholder(size: tuple[int, int], reason: str, *, text: bool = True) -> QImage:
    """A neutral image of the region space with the reason the real image is missing written across it
    (`text=False` leaves the words out, for pictures that must not depend on the machine's fonts)."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(PLACEHOLDER_FILL)
    if text:
        p = QPainter(image)
        try:
            draw_placeholder_text(p, QRectF(0, 0, size[0], size[1]), reason)
        finally:
            p.end()
    return image


def draw_placeholder_text(p: QPainter, area: QRectF, reason: str) -> None:
    font = QFont()
    font.setPixelSize(max(12, round(min(area.width(), area.height()) / 28)))
    p.setFont(font)
    p.setPen(QPen(PLACEHOLDER_INK))
    margin = area.width() * 0.08
    p.drawText(area.adjusted(margin, margin, -margin, -margin),
               int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), f"Image not shown\n\n{reason}")


def background(content: TaskContent) -> tuple[QImage, str | None]:
    """The task's image, or a placeholder (at most PLACEHOLDER_PIXELS, region space scaled onto it) and the
    reason; never raises for a bad image file."""
    info = content.image
    reason = content.problem or "no image"
    if info is not None and info.path is not None and content.problem is None:
        try:
            return load_qimage(info.path), None
        except MediaError as exc:
            reason = str(exc)
    size = drawn_size(content.size)
    if size != content.size:
        reason += f"; placeholder drawn at {size[0]}x{size[1]}, the {content.size[0]}x{content.size[1]} " \
                  f"region space scaled onto it"
    return placeholder(size, reason), reason


def tag_pixel_size(size: tuple[int, int]) -> int:
    """Tags in a PNG grow with the image so they stay readable when the picture is viewed whole."""
    return max(11, round(max(size) / 90))


def render_task(content: TaskContent, painter: RegionPainter, *, labels: bool = True,
                image: QImage | None = None, tag_words: bool = True, transcriptions: bool = True) -> QImage:
    """The task's page at the image's own resolution, every region drawn over it (masks first, then shapes, tags
    and relations, as the editor stacks them). Regions saved with `hidden: true` are left out, as the window
    starts them hidden. Tags do not overlap each other or relation labels (render.tags); `tag_words=False` draws
    them as blank boxes and leaves relation labels out, for pictures that must not depend on fonts.
    `transcriptions`: tags say what a per-region TextArea holds (OCR), as the window's do."""
    base = image if image is not None else background(content)[0]
    # an opaque photo stays opaque (smaller, faster PNG); one with transparency keeps it
    out = base.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied if base.hasAlphaChannel()
                               else QImage.Format.Format_RGB32)
    if (out.width(), out.height()) not in (content.size, drawn_size(content.size)):
        # Percentages are of the decoded image; a differing file means the content was measured elsewhere.
        out = out.scaled(*drawn_size(content.size))
    # A bounded placeholder is smaller than the region space: regions keep their numbers, drawn scaled onto it.
    scale = out.width() / content.size[0]
    p = QPainter(out)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if (out.width(), out.height()) != content.size:
            p.scale(scale, out.height() / content.size[1])
        regions = [r for r in content.regions() if not r[1].hidden]
        ordered = [r for r in regions if r[1].kind in MASK_KINDS] + [r for r in regions if r[1].kind not in MASK_KINDS]
        for _, region in ordered:
            painter.paint(p, region, content.size, keypoint_scale=scale)
        pixel_size = tag_pixel_size(content.size)
        unit = pixel_size / TAG_PIXEL_SIZE
        routes = relation_routes(content, painter, unit, scale)
        relation_labels = labels and tag_words
        if labels:
            # placed so that none overlaps another or a relation's label, kept inside the picture
            texts = [(route, relations.label_text(relation)) for relation, route in routes] if relation_labels else []
            drawn = [(region, drawn_box(region, painter, content.size, scale)) for _, region in ordered]
            # keypoint dots too: a tag over a dot would hide it
            obstacles = [relations.label_box(text, route.label_at, unit) for route, text in texts if text] + \
                [box for region, box in drawn if region.kind == "keypoint"]
            layout_tags(p, drawn, painter, content.size, pixel_size, words=tag_words, obstacles=obstacles,
                        transcriptions=transcriptions)
        for relation, route in routes:
            relations.draw(p, route, relation.direction, relations.label_text(relation) if relation_labels else "",
                           unit)
    finally:
        p.end()
    return out


def relation_routes(content: TaskContent, painter: RegionPainter, unit: float,
                    scale: float = 1.0) -> list[tuple[Relation, relations.Route]]:
    """Where each layer's relations between its drawn regions run; `unit` grows them with the tags on large
    images, `scale` is the painter's (below 1 on a bounded placeholder)."""
    found = []
    for layer in content.layers:
        shown = {region.id: region for region in layer.regions if not region.hidden}
        for relation, start, end in relations.drawable(layer.relations, shown):
            route = relations.route(drawn_box(start, painter, content.size, scale),
                                    drawn_box(end, painter, content.size, scale), unit)
            found.append((relation, route))
    return found


def drawn_box(region: Region, painter: RegionPainter, size: tuple[int, int], scale: float = 1.0) -> QRectF:
    """A region's extent in painter units, a keypoint's dot included (its radius is in output pixels, so it is
    divided by `scale`): what relations join and tags are placed around."""
    radius = keypoint_radius(region.shape, size, scale) / scale if isinstance(region.shape, KeyPoint) else 0.0
    return relations.region_box(region, painter.bounds(region, size), radius)

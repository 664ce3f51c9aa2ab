"""A whole task drawn to a QImage at the image's own resolution: the image (or a placeholder), regions, tags.

Render layer. `lsview render` writes these; the window draws the same regions through the same RegionPainter.
"""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from viewer.core.errors import MediaError
from viewer.core.images import load_image
from viewer.core.shapes import Bitmask, Mask
from viewer.render.content import TaskContent, tag_text
from viewer.render.painter import RegionPainter, draw_tag, tag_box

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
    return to_qimage(load_image(path))


def placeholder(size: tuple[int, int], reason: str) -> QImage:
    """A neutral image of the region space with the reason the real image is missing written across it."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(PLACEHOLDER_FILL)
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
    """The task's image, or a placeholder and the reason; never raises for a bad image file."""
    info = content.image
    if info is not None and info.path is not None and content.problem is None:
        try:
            return load_qimage(info.path), None
        except MediaError as exc:
            return placeholder(content.size, str(exc)), str(exc)
    reason = content.problem or "no image"
    return placeholder(content.size, reason), reason


def tag_pixel_size(size: tuple[int, int]) -> int:
    """Tags in a PNG grow with the image so they stay readable when the picture is viewed whole."""
    return max(11, round(max(size) / 90))


def render_task(content: TaskContent, painter: RegionPainter, *, labels: bool = True,
                image: QImage | None = None) -> QImage:
    """The task at the image's own resolution, every region drawn over it (masks first, tags last)."""
    base = image if image is not None else background(content)[0]
    # an opaque photo stays opaque (smaller, faster PNG); one with transparency keeps it
    out = base.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied if base.hasAlphaChannel()
                               else QImage.Format.Format_RGB32)
    if out.size().width() != content.size[0] or out.size().height() != content.size[1]:
        # Percentages are of the decoded image; a differing file means the content was measured elsewhere.
        out = out.scaled(content.size[0], content.size[1])
    p = QPainter(out)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        regions = content.regions()
        ordered = [r for r in regions if isinstance(r[1].shape, (Mask, Bitmask))] + \
                  [r for r in regions if not isinstance(r[1].shape, (Mask, Bitmask))]
        for _, region in ordered:
            painter.paint(p, region, content.size)
        if labels:
            pixel_size = tag_pixel_size(content.size)
            for _, region in ordered:
                text = tag_text(region)
                if text:
                    box = painter.bounds(region, content.size)
                    # a region touching the top edge gets its tag just inside the picture, not cut off above it
                    top = max(box.top(), tag_box(text, pixel_size).height())
                    draw_tag(p, QPointF(max(box.left(), 0.0), top), text, painter.style(region), pixel_size)
    finally:
        p.end()
    return out

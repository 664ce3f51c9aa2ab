"""Brush and eraser: paint round strokes into a mask of the working annotation; on release the mask is encoded
back to Label Studio RLE (W x H x 4 words, FORMAT.md 2.3) as one edit, or one new region.

Qt layer, a tool of the CanvasEditor; the pixel work is numpy on the mask's alpha plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage

from viewer.core import rle
from viewer.core.editing import results as made
from viewer.core.editing.drags import Point
from viewer.core.errors import RleError
from viewer.core.regions import Region
from viewer.core.review import working
from viewer.core.shapes import Mask
from viewer.qt.canvas.editing.host import ToolHost
from viewer.qt.canvas.editing.overlay import MaskPreview
from viewer.qt.canvas.editing.tool import Pointer, Tool
from viewer.qt.canvas.items import RegionItem
from viewer.render.masks import alpha_plane
from viewer.render.style import MASK_OPACITY

Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), image pixels


def stamp(plane: np.ndarray, a: Point, b: Point, radius: float, value: int) -> Box | None:
    """Set every pixel whose centre lies within `radius` of the segment a-b (a disk when a == b) to `value`;
    returns the box that was looked at, None when the stroke misses the image."""
    height, width = plane.shape
    left = max(math.floor(min(a[0], b[0]) - radius), 0)
    right = min(math.ceil(max(a[0], b[0]) + radius) + 1, width)
    top = max(math.floor(min(a[1], b[1]) - radius), 0)
    bottom = min(math.ceil(max(a[1], b[1]) + radius) + 1, height)
    if left >= right or top >= bottom:
        return None
    ys, xs = np.mgrid[top:bottom, left:right]
    px, py = xs + 0.5, ys + 0.5
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = np.zeros_like(px) if length == 0 else np.clip(((px - a[0]) * dx + (py - a[1]) * dy) / length, 0.0, 1.0)
    near = (px - a[0] - t * dx) ** 2 + (py - a[1] - t * dy) ** 2 <= radius * radius
    plane[top:bottom, left:right][near] = value
    return left, top, right, bottom


def colorize(pixels: np.ndarray, plane: np.ndarray, box: Box, rgb: tuple[int, int, int]) -> None:
    """Premultiplied BGRA of the mask in `box`, as viewer.render.masks colours masks (alpha x 0.6)."""
    left, top, right, bottom = box
    alpha = (plane[top:bottom, left:right].astype(np.uint32) * round(MASK_OPACITY * 255) + 127) // 255
    out = pixels[top:bottom, left:right]
    for channel, value in zip((2, 1, 0), rgb):
        out[:, :, channel] = (alpha * value + 127) // 255
    out[:, :, 3] = alpha


@dataclass
class Stroke:
    region: Region | None      # the mask painted into; None: a new region on release
    item: RegionItem | None
    before: np.ndarray
    plane: np.ndarray
    pixels: np.ndarray         # the preview, premultiplied BGRA, shared with the QImage shown
    rgb: tuple[int, int, int]
    last: Point


class BrushTool(Tool):
    draws = "brush"

    def __init__(self, editor: ToolHost, erase: bool):
        super().__init__(editor)
        self.erase = erase
        self.name = "eraser" if erase else "brush"
        self.title = "Erase mask" if erase else "Paint mask"
        self.stroke: Stroke | None = None

    def available(self) -> bool:
        content = self.editor.content
        return made.tool_available(self.editor.config, content.object_name if content else None, "brush")

    def radius(self) -> float:
        return self.editor.brush_size / 2

    def activate(self) -> None:
        self.editor.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.editor.overlay.show(handles=[], active_vertex=None)

    def deactivate(self) -> None:
        self.cancel()
        self.editor.overlay.show(brush=None)
        self.editor.view.viewport().setCursor(Qt.CursorShape.OpenHandCursor)

    def refresh(self) -> None:
        brush = self.editor.overlay.brush
        self.editor.overlay.show(handles=[], brush=(brush[0], self.radius()) if brush else None)

    def _mask_item(self) -> RegionItem | None:
        item = self.editor.selected_item()
        return item if item is not None and isinstance(item.region.shape, Mask) else None

    def press(self, pointer: Pointer) -> bool:
        if not pointer.left:
            return False
        item = self._mask_item()
        if item is None and self.erase:
            self.editor.message("Select a brush region of the working annotation to erase from")
            return True
        size = self.editor.size()
        painter = self.editor.painter()
        if item is not None:
            try:
                before = alpha_plane(item.region.shape, size)
            except (RleError, ValueError) as exc:
                self.editor.message(f"This mask cannot be painted: {exc}")
                return True
            rgb = painter.style(item.region).mask_rgb
        else:
            before = np.zeros((size[1], size[0]), dtype=np.uint8)
            rgb = painter.style(self.editor.preview_region(self.editor.new_results("brush", {"rle": []}))).mask_rgb
        pixels = np.zeros((size[1], size[0], 4), dtype=np.uint8)
        stroke = Stroke(item.region if item else None, item, before, before.copy(), pixels, rgb, pointer.at)
        colorize(pixels, stroke.plane, (0, 0, size[0], size[1]), rgb)
        self.stroke = stroke
        self.editor.dim(item, 0.0)  # the preview shows the whole mask as it becomes
        self._paint(pointer.at, QRectF(0, 0, *size))
        return True

    def move(self, pointer: Pointer) -> bool:
        self.editor.overlay.show(brush=(pointer.at, self.radius()))
        if self.stroke is None:
            return False
        self._paint(pointer.at)
        return True

    def leave(self) -> None:
        if self.stroke is None:
            self.editor.overlay.show(brush=None)

    def _paint(self, at: Point, dirty: QRectF | None = None) -> None:
        stroke = self.stroke
        box = stamp(stroke.plane, stroke.last, at, self.radius(), 0 if self.erase else 255)
        stroke.last = at
        if box is not None:
            colorize(stroke.pixels, stroke.plane, box, stroke.rgb)
            changed = QRectF(box[0], box[1], box[2] - box[0], box[3] - box[1])
            dirty = changed if dirty is None else dirty.united(changed)
        height, width = stroke.plane.shape
        # a new wrapper each time: the image's cache key changes with the pixels under it
        image = QImage(stroke.pixels.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
        self.editor.overlay.show(mask=MaskPreview(image, QRectF(0, 0, width, height)), brush=(at, self.radius()),
                                 dirty=dirty)

    def release(self, pointer: Pointer) -> bool:
        stroke = self.stroke
        if stroke is None or not pointer.left:
            return stroke is not None
        self.cancel()
        if np.array_equal(stroke.plane, stroke.before):
            return True
        geometry = {"format": "rle", "rle": rle.encode(stroke.plane)}
        if stroke.region is None:
            self.editor.add_region("brush", geometry, "Paint mask")
        else:
            results = working.with_geometry([dict(r) for r in stroke.region.results], geometry)
            self.editor.commit_results(stroke.region, results, self.title)
        return True

    def key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        if key == Qt.Key.Key_Escape and self.stroke is not None:
            self.cancel()
            return True
        return False

    def claims_key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        return key == Qt.Key.Key_Escape and self.stroke is not None

    def cancel(self) -> None:
        if self.stroke is not None:
            height, width = self.stroke.plane.shape
            self.stroke = None
            self.editor.dim(None)
            self.editor.overlay.show(mask=None, dirty=QRectF(0, 0, width, height))

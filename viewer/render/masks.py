"""Brush and bitmask regions as ready-to-draw QImages, decoded once and cached (FORMAT.md 1.6, 2.4).

Render layer. A mask is the label colour with the mask's per-pixel alpha times the editor's layer opacity 0.6,
cropped to its on-pixels so a small mask on a large photo costs a small image.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from viewer.core.errors import RleError
from viewer.core.shapes import Bitmask, Mask
from viewer.render import qtgeom
from viewer.render.style import MASK_OPACITY

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class MaskImage:
    """A decoded mask: the image (None when empty or broken), where it goes in image pixels, and why not."""

    image: QImage | None
    target: QRectF
    error: str | None = None


def alpha_plane(shape: Mask | Bitmask, size: tuple[int, int]) -> np.ndarray:
    """The mask's alpha, (rows, columns) uint8; RleError or ValueError when it cannot be read.

    Brush RLE is exactly the image's pixel grid; PNG masks are whatever size they were saved at and get scaled.
    """
    # numpy and the decoders load with the first mask: a task without any (`lsview render` of boxes and
    # polygons) does without their 100 ms of imports
    import numpy as np

    from viewer.core import rle
    from viewer.core.resolve import png_mask

    if isinstance(shape, Bitmask):
        return png_mask(shape.image_data_url, 3)
    if shape.rle is not None:
        return rle.decode(shape.rle, size[0], size[1])
    # maskDataURL: "on" where the red channel is set, painted opaque (LS setMaskPixelColors).
    red = png_mask(shape.mask_data_url or "", 0)
    return np.where(red > 0, np.uint8(255), np.uint8(0))


def colored(alpha: np.ndarray, rgb: tuple[int, int, int]) -> QImage:
    """Premultiplied ARGB of one colour with alpha x 0.6 (the editor's layer opacity)."""
    import numpy as np

    a = (alpha.astype(np.uint32) * round(MASK_OPACITY * 255) + 127) // 255
    rows, cols = alpha.shape
    pixels = np.empty((rows, cols, 4), dtype=np.uint8)
    # Format_ARGB32_Premultiplied is B, G, R, A in memory on little-endian machines (every Qt target today).
    for channel, value in zip((2, 1, 0), rgb):
        pixels[:, :, channel] = (a * value + 127) // 255
    pixels[:, :, 3] = a
    image = QImage(pixels.data, cols, rows, cols * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()  # detach from the numpy buffer, which goes away with this frame


def make_mask_image(shape: Mask | Bitmask, size: tuple[int, int], rgb: tuple[int, int, int]) -> MaskImage:
    import numpy as np

    full = qtgeom.image_rect(size)
    try:
        alpha = alpha_plane(shape, size)
    except (RleError, ValueError) as exc:
        return MaskImage(None, full, str(exc))
    rows, cols = alpha.shape
    used_rows = np.flatnonzero(alpha.any(axis=1))
    if used_rows.size == 0:
        return MaskImage(None, full)
    used_cols = np.flatnonzero(alpha.any(axis=0))
    top, bottom = int(used_rows[0]), int(used_rows[-1]) + 1
    left, right = int(used_cols[0]), int(used_cols[-1]) + 1
    scale_x, scale_y = size[0] / cols, size[1] / rows
    target = qtgeom.rect(left * scale_x, top * scale_y, (right - left) * scale_x, (bottom - top) * scale_y)
    return MaskImage(colored(alpha[top:bottom, left:right], rgb), target)


class MaskCache:
    """Decoded masks keyed by shape identity, image size and colour; repaints never decode again.

    Shapes are immutable values, so the same object always means the same pixels. The entry keeps the shape
    alive, which keeps its id from being reused by another shape while the entry exists.
    """

    def __init__(self, limit: int = 512):
        self.limit = limit
        self.decodes = 0
        self._entries: OrderedDict[tuple, tuple[object, MaskImage]] = OrderedDict()
        self._lock = threading.Lock()  # the window decodes in a worker thread and paints in the GUI thread

    def get(self, shape: Mask | Bitmask, size: tuple[int, int], rgb: tuple[int, int, int]) -> MaskImage:
        key = (id(shape), size, rgb)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is shape:
                self._entries.move_to_end(key)
                return entry[1]
        made = make_mask_image(shape, size, rgb)
        with self._lock:
            self.decodes += 1
            self._entries[key] = (shape, made)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)
        return made

"""Images as the browser shows them: size and pixels with the EXIF orientation applied (FORMAT.md 1.7).

Core layer, no Qt: Pillow and numpy only. Sizes are read from the header and cached, never by decoding pixels.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from PIL import Image

from viewer.core.errors import MediaError

__all__ = ["image_size", "load_image"]

# EXIF orientation -> the transposition that makes the image upright (same table as
# PIL.ImageOps.exif_transpose); 5-8 swap width and height.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_SIZE_CACHE: OrderedDict[tuple[str, int, int], tuple[int, int]] = OrderedDict()
_SIZE_CACHE_MAX = 65536
_SIZE_LOCK = threading.Lock()


def _orientation(im: Image.Image) -> int:
    # Image.getexif of the base class reads only what the header parse found; PNG's override
    # would decode the whole image to look for an eXIf chunk after the pixel data. Both
    # image_size and load_image use this one reading, so they can never disagree.
    try:
        value = Image.Image.getexif(im).get(0x0112, 1)
    except Exception:  # a broken EXIF block is ignored, as browsers do
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE else 1


def image_size(path: Path | str) -> tuple[int, int]:
    """(width, height) as displayed, EXIF orientation applied, read from the header only."""
    p = os.path.abspath(os.fspath(path))
    try:
        st = os.stat(p)
    except OSError as exc:
        raise MediaError(f"image {p}: cannot read: {exc.strerror or exc}") from exc
    key = (p, st.st_mtime_ns, st.st_size)
    with _SIZE_LOCK:
        hit = _SIZE_CACHE.get(key)
        if hit is not None:
            _SIZE_CACHE.move_to_end(key)
            return hit
    try:
        with Image.open(p) as im:
            w, h = im.size
            if _orientation(im) >= 5:
                w, h = h, w
    except Exception as exc:  # Pillow's plugins raise many types for corrupt files
        raise MediaError(f"image {p}: not a readable image: {exc}") from exc
    with _SIZE_LOCK:
        _SIZE_CACHE[key] = (w, h)
        if len(_SIZE_CACHE) > _SIZE_CACHE_MAX:
            _SIZE_CACHE.popitem(last=False)
    return w, h


def load_image(path: Path | str) -> Image.Image:
    """The decoded image, EXIF orientation applied, in mode RGBA (if it has transparency) or RGB."""
    p = os.fspath(path)
    try:
        with Image.open(p) as im:
            orientation = _orientation(im)
            im.load()
            out = _to_display_mode(im)
            if orientation in _TRANSPOSE:
                out = out.transpose(_TRANSPOSE[orientation])
            elif out is im:
                out = im.copy()  # detach from the file that the with-block closes
    except MediaError:
        raise
    except Exception as exc:
        raise MediaError(f"image {p}: cannot decode: {exc}") from exc
    return out


def _to_display_mode(im: Image.Image) -> Image.Image:
    if im.mode in ("RGB", "RGBA"):
        return im
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        # Pillow would clip these to 255 (a white image); browsers show 16-bit data by its
        # high byte, so scale 0..65535 down to 0..255.
        import numpy as np  # here: most images never need it, and every command that opens a project imports us

        arr = np.asarray(im)
        if im.mode == "F":
            arr8 = np.clip(arr, 0, 255).astype(np.uint8)
        else:
            arr8 = (np.clip(arr.astype(np.int64), 0, 65535) >> 8).astype(np.uint8)
        return Image.fromarray(arr8, "L").convert("RGB")
    has_alpha = im.mode in ("LA", "La", "PA", "RGBa") or "transparency" in im.info
    return im.convert("RGBA" if has_alpha else "RGB")

"""The `masks` export's files: class and instance maps as indexed PNGs, and Pascal VOC's labelmap.txt (core, no Qt).

Pixel values: SegmentationClass 0 = background, class id + 1; SegmentationObject 0 = background, then the image's
regions numbered 1, 2 ... in the order drawn, later regions over earlier ones. Colours are Pascal VOC's palette.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from PIL import Image

from viewer.core.export.raster import Coverage

# One byte a pixel holds class id + 1, so the highest class id an indexed PNG can hold is 254.
MAX_CLASS_ID = 254
LABELMAP_HEADER = "# label:color_rgb:parts:actions"


@dataclass(frozen=True)
class Painted:
    """One region to paint: its class id, where it came from (named in the summary) and its pixels."""

    class_id: int
    name: str
    coverage: Coverage


@dataclass(frozen=True)
class Maps:
    classes: np.ndarray     # uint8 (height, width): 0 = background, else class id + 1
    instances: np.ndarray   # uint8, or uint16 past 255 instances: 0 = background, else 1 + index in the list
    problems: tuple[str, ...]


def voc_colour(index: int) -> tuple[int, int, int]:
    """Pascal VOC's colour of a palette index (the devkit's labelcolormap: bits of the index spread over R, G, B)."""
    r = g = b = 0
    for bit in range(8):
        r |= ((index >> 3 * bit) & 1) << (7 - bit)
        g |= ((index >> (3 * bit + 1)) & 1) << (7 - bit)
        b |= ((index >> (3 * bit + 2)) & 1) << (7 - bit)
    return r, g, b


VOC_PALETTE = [channel for index in range(256) for channel in voc_colour(index)]


def paint(width: int, height: int, regions: Sequence[Painted]) -> Maps:
    """The class and instance maps of one image; regions that end up with no visible pixel are reported."""
    classes = np.zeros((height, width), np.uint8)
    instances = np.zeros((height, width), np.uint8 if len(regions) <= 255 else np.uint16)
    problems = []
    for number, region in enumerate(regions, 1):
        if not 0 <= region.class_id <= MAX_CLASS_ID:
            raise ValueError(f"class id {region.class_id} of {region.name} does not fit a mask (0..{MAX_CLASS_ID})")
        cover = region.coverage
        if cover.count == 0:
            problems.append(f"{region.name} covers no pixel centre: not in the masks")
            continue
        rows = slice(cover.top, cover.top + cover.pixels.shape[0])
        columns = slice(cover.left, cover.left + cover.pixels.shape[1])
        classes[rows, columns][cover.pixels] = region.class_id + 1
        instances[rows, columns][cover.pixels] = number
    shown = np.bincount(instances.ravel(), minlength=len(regions) + 1)
    for number, region in enumerate(regions, 1):
        if not shown[number] and region.coverage.count:
            problems.append(f"{region.name} is covered whole by later regions: not in the masks")
    return Maps(classes, instances, tuple(problems))


def png(values: np.ndarray) -> bytes:
    """An indexed PNG with VOC's palette (a 16-bit grey PNG when values pass 255: too many instances)."""
    height, width = values.shape
    if values.dtype == np.uint8:
        image = Image.frombytes("P", (width, height), values.tobytes())
        image.putpalette(VOC_PALETTE)
    else:
        image = Image.frombytes("I;16", (width, height), values.astype("<u2").tobytes())
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def labelmap(names: Sequence[str]) -> str:
    """labelmap.txt: `background`, then the class names by id (line k + 1 = class id k, the value k + 1 in
    SegmentationClass; readers take the classes by line), each with its palette colour."""
    lines = [LABELMAP_HEADER, "background:0,0,0::"]
    for class_id, name in enumerate(names):
        r, g, b = voc_colour(class_id + 1)
        lines.append(f"{name}:{r},{g},{b}::")
    return "\n".join(lines) + "\n"


def labelmap_problems(names: Iterable[str]) -> list[str]:
    """Label names labelmap.txt cannot hold (its fields are split at ':'), one line each."""
    return [f"label {name!r} holds a ':' or a line break, which labelmap.txt cannot hold" for name in names
            if ":" in name or "\n" in name or "\r" in name]

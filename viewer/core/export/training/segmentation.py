"""The `masks` export: class and instance maps as indexed PNGs, and Pascal VOC's labelmap.txt (core, no Qt).

Pixel values: SegmentationClass 0 = background, class id + 1; SegmentationObject 0 = background, then the image's
regions numbered 1, 2 ... in the order drawn, later regions over earlier ones. Colours are Pascal VOC's palette.
Which pixels a region covers: raster.py (pixel centres inside).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from PIL import Image

from viewer.core import geometry
from viewer.core.export.base import ExportError
from viewer.core.export.training import raster
from viewer.core.export.training.items import ImageItem, Instance, TaskItem
from viewer.core.export.training.job import TrainingFormat
from viewer.core.export.training.raster import Coverage

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
    empty: tuple[int, ...]  # indices of the regions that cover no pixel centre
    hidden: tuple[int, ...]  # indices of the regions later regions cover whole


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
    """The class and instance maps of one image, and which regions ended up with no visible pixel."""
    classes = np.zeros((height, width), np.uint8)
    instances = np.zeros((height, width), np.uint8 if len(regions) <= 255 else np.uint16)
    empty = []
    for number, region in enumerate(regions, 1):
        if not 0 <= region.class_id <= MAX_CLASS_ID:
            raise ValueError(f"class id {region.class_id} of {region.name} does not fit a mask (0..{MAX_CLASS_ID})")
        cover = region.coverage
        if cover.count == 0:
            empty.append(number - 1)
            continue
        rows = slice(cover.top, cover.top + cover.pixels.shape[0])
        columns = slice(cover.left, cover.left + cover.pixels.shape[1])
        classes[rows, columns][cover.pixels] = region.class_id + 1
        instances[rows, columns][cover.pixels] = number
    shown = np.bincount(instances.ravel(), minlength=len(regions) + 1)
    hidden = [number - 1 for number in range(1, len(regions) + 1) if not shown[number] and number - 1 not in empty]
    return Maps(classes, instances, tuple(empty), tuple(hidden))


def png(values: np.ndarray) -> bytes:
    """An indexed PNG with VOC's palette (a 16-bit grey PNG when values pass 255: too many instances)."""
    height, width = values.shape
    if values.dtype == np.uint8:
        image = Image.frombytes("P", (width, height), values.tobytes())
        image.putpalette(VOC_PALETTE)
    else:
        image = Image.frombytes("I;16", (width, height), values.astype("<u2").tobytes())
    out = io.BytesIO()
    # zlib level 3, not Pillow's 6: a 1920x1080 map of 20 regions in 4 ms, not 25, for 28 KB instead of 20
    image.save(out, format="PNG", compress_level=3)
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


def coverage(instance: Instance, width: int, height: int) -> Coverage:
    """The pixels of an instance, from the region's own geometry (not the clamped outline, whose moved corners
    would bend the edges that cross the image border); a brush from its decoded mask."""
    shape, kind = instance.region.shape, instance.kind
    if kind == "rectangle":
        return raster.rectangle(geometry.rectangle_corners(shape, width, height), width, height)
    if kind == "polygon":
        return raster.polygon(geometry.polygon_px(shape, width, height), width, height)
    if kind == "ellipse":
        centre, radii, rotation = geometry.ellipse_px(shape, width, height)
        return raster.ellipse(centre, radii, rotation, width, height)
    return raster.mask(instance.shape.mask)


# Regions named in the summary's notes (the count of them all is in its skipped lines).
HIDDEN_NOTED = 20


class Masks(TrainingFormat):
    name = "masks"
    help = ("masks: SegmentationClass/<stem>.png (0 = background, class id + 1) and SegmentationObject/<stem>.png "
            "(instances), indexed PNGs with VOC's palette; labelmap.txt")

    def begin(self) -> None:
        self.hidden = 0  # regions covered whole by later ones, so far

    def task(self, item: TaskItem) -> list[str]:
        written = []
        for image in item.images:
            maps = self.maps(image)
            written.append(self.job.folder.write_bytes(f"SegmentationClass/{image.stem}.png", png(maps.classes)))
            written.append(self.job.folder.write_bytes(f"SegmentationObject/{image.stem}.png",
                                                       png(maps.instances)))
        return written

    def maps(self, image: ImageItem) -> Maps:
        summary = self.job.summary
        width, height = image.size
        regions: list[Painted] = []
        labels: list[str] = []
        painted: set[int] = set()
        for instance in image.instances:
            if instance.kind == "keypoint":
                summary.skip("a keypoint (masks hold areas)")
                continue
            if instance.kind == "polygon" and not instance.region.shape.closed:
                summary.skip("an open polygon (drawn as a line: masks hold areas)")
                continue
            if id(instance.region) in painted:
                summary.skip("a second label of a region (a mask pixel has one class: the first is painted)")
                continue
            painted.add(id(instance.region))
            if instance.class_id > MAX_CLASS_ID:
                raise ExportError(f"label {instance.label!r} has class id {instance.class_id}; a mask holds class "
                                  f"ids 0..{MAX_CLASS_ID} (pin smaller ids with --classes)")
            regions.append(Painted(instance.class_id, f"region {instance.region.id}",
                                   coverage(instance, width, height)))
            labels.append(instance.label)
        maps = paint(width, height, regions)
        summary.skip("covers no pixel centre (masks)", len(maps.empty))
        summary.skip("covered whole by later regions (masks)", len(maps.hidden))
        for index in maps.hidden[:max(0, HIDDEN_NOTED - self.hidden)]:
            summary.note(f"{image.name}: {regions[index].name} is covered whole by later regions")
        self.hidden += len(maps.hidden)
        if maps.instances.dtype != np.uint8:
            summary.note(f"{image.name}: more than 255 regions, SegmentationObject/{image.stem}.png is a 16-bit "
                         "grey PNG")
        unseen = set(maps.empty) | set(maps.hidden)
        for index, label in enumerate(labels):
            if index not in unseen:
                summary.count(label)
        return maps

    def finish(self) -> list[str]:
        names = self.job.classes.names()
        problems = labelmap_problems(names)
        if problems:
            raise ExportError("; ".join(problems))
        return [self.job.folder.write_text("labelmap.txt", labelmap(names))]


FORMATS = [Masks]

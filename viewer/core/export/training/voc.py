"""Pascal VOC annotation files: `Annotations/<stem>.xml`, one per image (core layer, no Qt).

Boxes follow the VOC devkit: 1-based pixel indices, xmin..xmax the first and last column covered. A region's
axis-aligned hull (pixel edges, 0 .. width) covers the columns whose centres it holds, so xmin = round(left) + 1
and xmax = round(right) (rounded, not truncated); every box covers at least one pixel. `truncated` is 1 when the
region reached outside the image (clamped).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, replace
from typing import Sequence

from PIL import Image

from viewer.core.export.training.items import TaskItem
from viewer.core.export.training.job import TrainingFormat


@dataclass(frozen=True)
class VocBox:
    xmin: int
    ymin: int
    xmax: int
    ymax: int
    clamped: bool  # the hull reached past the image: VOC's `truncated`


@dataclass(frozen=True)
class VocObject:
    name: str
    box: VocBox


def _round(value: float) -> int:
    return math.floor(value + 0.5)  # halves up, the same way on both sides (round() takes halves to even)


def voc_box(left: float, top: float, right: float, bottom: float, width: int, height: int) -> VocBox:
    """The devkit box of a hull in pixel coordinates, clamped to the image."""
    clamped = left < 0 or top < 0 or right > width or bottom > height
    left, right = min(max(left, 0.0), width), min(max(right, 0.0), width)
    top, bottom = min(max(top, 0.0), height), min(max(bottom, 0.0), height)
    xmin = min(_round(left), width - 1) + 1
    ymin = min(_round(top), height - 1) + 1
    return VocBox(xmin, ymin, max(_round(right), xmin), max(_round(bottom), ymin), clamped)


def _add(parent: ElementTree.Element, tag: str, text: object) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag)
    element.text = str(text)
    return element


def voc_xml(folder: str, filename: str, width: int, height: int, depth: int, objects: Sequence[VocObject]) -> bytes:
    """The annotation file of one image, UTF-8 with an XML declaration."""
    root = ElementTree.Element("annotation")
    _add(root, "folder", folder)
    _add(root, "filename", filename)
    source = ElementTree.SubElement(root, "source")
    _add(source, "database", "Unknown")
    _add(source, "annotation", "lsview")
    size = ElementTree.SubElement(root, "size")
    _add(size, "width", width)
    _add(size, "height", height)
    _add(size, "depth", depth)
    _add(root, "segmented", 0)
    for item in objects:
        element = ElementTree.SubElement(root, "object")
        _add(element, "name", item.name)
        _add(element, "pose", "Unspecified")
        _add(element, "truncated", int(item.box.clamped))
        _add(element, "difficult", 0)
        box = ElementTree.SubElement(element, "bndbox")
        for tag in ("xmin", "ymin", "xmax", "ymax"):
            _add(box, tag, getattr(item.box, tag))
    ElementTree.indent(root, space="  ")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def image_depth(mode: str) -> int:
    """VOC's `depth` of an image of a Pillow mode: its channel count (a palette image shows as RGB)."""
    return {"1": 1, "L": 1, "I": 1, "I;16": 1, "F": 1, "LA": 2, "P": 3, "RGB": 3, "YCbCr": 3, "LAB": 3,
            "HSV": 3, "RGBA": 4, "CMYK": 4}.get(mode, 3)


class Voc(TrainingFormat):
    name = "voc"
    help = "Pascal VOC: Annotations/<stem>.xml, boxes 1-based and rounded (a region's axis-aligned hull)"

    def task(self, item: TaskItem) -> list[str]:
        written = []
        for image in item.images:
            width, height = image.size
            objects = []
            for instance in image.instances:
                if instance.kind == "keypoint":
                    self.job.summary.skip("a keypoint (VOC holds boxes)")
                    continue
                box = voc_box(*instance.shape.box, width, height)
                objects.append(VocObject(instance.label, replace(box, clamped=box.clamped or instance.shape.clamped)))
                self.job.summary.count(instance.label)
            data = voc_xml("images", image.name, width, height, _depth(image.path), objects)
            written.append(self.job.folder.write_bytes(f"Annotations/{image.stem}.xml", data))
        return written


def _depth(path: str | None) -> int:
    if path is None:
        return 3
    try:
        with Image.open(path) as opened:
            return image_depth(opened.mode)
    except Exception:  # the size came from the header already; a file Pillow cannot reopen is shown as RGB
        return 3


FORMATS = [Voc]

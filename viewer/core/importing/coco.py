"""COCO import: a dataset JSON (images, annotations, categories), or a results list with --coco-images.

Core layer, no Qt. One region per annotation, never a box and a polygon of the same object: its segmentation
where the config offers the label a polygon or brush control (polygons rasterised for brushes, RLE traced to
polygons for polygons), else its box; a segmentation of one ring of 4 corners at right angles (how lsview
exports a rectangle) is a rectangle where a rectangle control offers the label. Keypoints (with the category's
keypoint names) become <KeyPointLabels> results whose parentID is the box. RLE, compressed or not, is decoded
here (no pycocotools). Sizes are the JSON's `width`/`height` (the image file's header when missing).
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterator

import numpy as np

from viewer.core.errors import InputError
from viewer.core.importing.base import PredictionImportError
from viewer.core.importing.detections import (
    Box, Detection, ImageDetections, KeyPoint, Mask, Polygon, box_shaped, rasterize,
)
from viewer.core.importing.image_files import ImageFolder, decoded_size
from viewer.core.importing.job import ImportFormat


def rle_counts(counts: str) -> list[int]:
    """The run lengths of COCO's compressed RLE string (maskApi.c rleFrString)."""
    out: list[int] = []
    position = 0
    while position < len(counts):
        value, shift, more = 0, 0, True
        while more:
            chunk = ord(counts[position]) - 48
            value |= (chunk & 0x1F) << shift
            more = bool(chunk & 0x20)
            position += 1
            shift += 5
            if not more and chunk & 0x10:
                value |= -1 << shift
        if len(out) > 2:
            value += out[-2]
        out.append(value)
    return out


def decode_coco_rle(segmentation: dict) -> np.ndarray:
    """A COCO RLE (`size` [height, width], `counts` a string or a list) as a bool mask, height x width. Runs go
    down the columns, zeros first. ValueError when the runs do not fill the mask."""
    height, width = (int(v) for v in segmentation["size"])
    counts = segmentation["counts"]
    if isinstance(counts, bytes):
        counts = counts.decode("ascii")
    runs = rle_counts(counts) if isinstance(counts, str) else [int(c) for c in counts]
    if any(run < 0 for run in runs) or sum(runs) != width * height:
        raise ValueError(f"its runs cover {sum(runs)} pixels, the mask {width}x{height} = {width * height}")
    values = np.zeros(len(runs), dtype=bool)
    values[1::2] = True
    return np.repeat(values, runs).reshape(width, height).T


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class CocoImport(ImportFormat):
    name = "coco"
    help = "COCO: a dataset JSON, or a results list with --coco-images (bbox, polygon or RLE segmentation, keypoints)"

    def _load(self, path: str) -> Any:
        try:
            with open(path, "rb") as stream:
                return json.loads(stream.read())
        except OSError as exc:
            raise InputError(f"cannot read it: {exc.strerror or exc}", path=path) from None
        except ValueError as exc:
            raise InputError(f"not JSON: {exc}", path=path) from None

    def check(self) -> None:
        document = self._load(self.job.src)
        dataset_path = self.job.src
        if isinstance(document, list):
            if not self.job.options.coco_images:
                raise PredictionImportError(f"{self.job.src} is a COCO results list: give --coco-images, the "
                                            "dataset JSON that names its images (file_name, width, height)")
            dataset_path = self.job.options.coco_images
            dataset = self._load(dataset_path)
            annotations = document
        elif isinstance(document, dict) and isinstance(document.get("images"), list):
            dataset = document
            annotations = document.get("annotations") or []
        else:
            raise InputError("neither a COCO dataset (an object with images, annotations, categories) nor a results "
                             "list", path=self.job.src)
        if not isinstance(dataset, dict) or not isinstance(dataset.get("images"), list):
            raise InputError("not a COCO dataset: no `images` list", path=dataset_path)
        self.categories: dict[Any, dict] = {}
        for category in dataset.get("categories") or []:
            if isinstance(category, dict) and "id" in category:
                self.categories[category["id"]] = category
        self.images_list = [image for image in dataset["images"] if isinstance(image, dict) and "id" in image]
        self.by_image: dict[Any, list[dict]] = {}
        for annotation in annotations:
            if isinstance(annotation, dict):
                self.by_image.setdefault(annotation.get("image_id"), []).append(annotation)
        known = {image["id"] for image in self.images_list}
        stray = sum(len(found) for key, found in self.by_image.items() if key not in known)
        if stray:
            self.job.summary.skip("annotation(s) whose image_id names no image of the dataset", stray)
        folder = self.job.options.images or os.path.dirname(os.path.abspath(dataset_path))
        self.folder = ImageFolder(folder)

    def total(self) -> int:
        return len(self.images_list)

    def _label(self, category_id: Any) -> str | None:
        if self.job.classes is not None and isinstance(category_id, int) and category_id in self.job.classes:
            return self.job.classes[category_id]
        category = self.categories.get(category_id)
        return None if category is None else str(category.get("name", category_id))

    def images(self) -> Iterator[ImageDetections]:
        for record in self.images_list:
            name = str(record.get("file_name") or record["id"])
            path = self.folder.find(name)
            width, height = _number(record.get("width")), _number(record.get("height"))
            image = ImageDetections(name, path, (int(width), int(height)) if width and height else None)
            if path is not None:
                size = decoded_size(path)
                if image.size is None:
                    image.size = None if isinstance(size, str) else size
                elif not isinstance(size, str) and size != image.size:
                    self.job.summary.note(f"{name}: the JSON says {image.size[0]}x{image.size[1]}, the image "
                                          f"decodes to {size[0]}x{size[1]} (EXIF orientation applied); its "
                                          "coordinates are read as the JSON's")
            if image.size is None:
                image.skip("annotation(s) of an image of unknown size", len(self.by_image.get(record["id"], [])))
            else:
                for annotation in self.by_image.get(record["id"], []):
                    self._annotation(image, annotation)
            yield image

    def _annotation(self, image: ImageDetections, annotation: dict) -> None:
        label = self._label(annotation.get("category_id"))
        if label is None:
            image.skip(f"an annotation of category_id {annotation.get('category_id')!r}, which no category names")
            return
        score = _number(annotation.get("score"))
        box = None
        bbox = annotation.get("bbox")
        if isinstance(bbox, list) and len(bbox) == 4 and all(_number(v) is not None for v in bbox):
            box = Box.from_xywh(*(float(v) for v in bbox))
        mapped = self.job.chooser.mapped(label)
        if mapped is None:
            image.detections.append(Detection(box or Box(0, 0, 1, 1), label, score))  # the maker counts it out
            return
        keypoints = annotation.get("keypoints")
        if isinstance(keypoints, list) and keypoints and self.job.keypoint_names:
            self._pose(image, annotation, label, score, box, keypoints)
            return
        shape = self._segmentation(image, annotation.get("segmentation"), mapped)
        if isinstance(shape, str):
            image.skip(shape)
            return
        shapes = shape or ([box] if box is not None else [])
        if not shapes:
            image.skip("an annotation with neither a bbox nor a segmentation")
            return
        if len(shapes) > 1:
            self.job.summary.mention("segmentation(s) of several polygons written as one polygon region each")
        for found in shapes:
            image.detections.append(Detection(found, label, score))

    def _segmentation(self, image: ImageDetections, segmentation: Any, label: str) -> list | str | None:
        """The shapes of a segmentation as the config wants them; None: use the box."""
        chooser = self.job.chooser
        width, height = image.size
        if isinstance(segmentation, dict) and "counts" in segmentation and "size" in segmentation:
            if chooser.find(("brush", "polygon"), label) is None:
                return None
            try:
                mask = decode_coco_rle(segmentation)
            except (ValueError, TypeError, KeyError) as exc:
                return f"an RLE segmentation that cannot be decoded ({exc})"
            if mask.shape != (height, width):
                return f"an RLE segmentation of {mask.shape[1]}x{mask.shape[0]} on an image of {width}x{height}"
            return [Mask(mask)]
        if not isinstance(segmentation, list) or not segmentation:
            return None
        rings = []
        for ring in segmentation:
            if isinstance(ring, list) and len(ring) >= 6 and all(_number(v) is not None for v in ring):
                rings.append(tuple((float(ring[i]), float(ring[i + 1])) for i in range(0, len(ring) - 1, 2)))
        if not rings:
            return "a segmentation with no polygon of 3 points or more"
        if len(rings) == 1:
            box = box_shaped(rings[0])
            if box is not None and chooser.find(("rectangle",), label) is not None:
                return [box]
        target = chooser.find(("polygon", "brush"), label)
        if target is None:
            return None
        if target.kind == "polygon":
            return [Polygon(ring) for ring in rings]
        mask = np.zeros((height, width), dtype=bool)
        for ring in rings:
            mask |= rasterize(ring, width, height)
        return [Mask(mask)]

    def _pose(self, image: ImageDetections, annotation: dict, label: str, score: float | None, box: Box | None,
              keypoints: list) -> None:
        category = self.categories.get(annotation.get("category_id")) or {}
        names = category.get("keypoints") or self.job.keypoint_names
        if box is None:
            image.skip("an annotation with keypoints but no bbox")
            return
        detection = Detection(box, label, score)
        for index in range(min(len(keypoints) // 3, len(names))):
            x, y, visible = keypoints[3 * index: 3 * index + 3]
            if _number(visible) and visible > 0 and _number(x) is not None and _number(y) is not None:
                detection.keypoints.append(KeyPoint(float(x), float(y), str(names[index])))
        image.detections.append(detection)


FORMATS = [CocoImport]

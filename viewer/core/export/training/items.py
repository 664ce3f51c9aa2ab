"""One task as the formats see it: its images (stem, size, source file) with their labelled instances in pixels.

Core layer, no Qt. Regions are found by shape, whatever control made them: a <Rectangle>, <Polygon>, <Ellipse> or
<KeyPoint> with a <Labels> counts like a *Labels control. One instance per label of a region (Label Studio
writes a multi-label region once per label too); keypoints with a `parentID` are attached to that rectangle.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from viewer.core.export.training.pixels import PixelShape, Point, pixel_shape
from viewer.core.export.training.source import Chosen
from viewer.core.region_kinds import IMAGE_KINDS
from viewer.core.regions import Region
from viewer.core.tasks import Task


@dataclass
class Instance:
    """One labelled object: a region's shape with one of its labels."""

    region: Region
    label: str
    class_id: int
    shape: PixelShape
    score: float | None = None
    parent: str | None = None                     # a keypoint's parentID
    keypoints: dict[str, Point] = field(default_factory=dict)   # a rectangle's child keypoints by label

    @property
    def kind(self) -> str:
        return self.shape.kind


@dataclass
class ImageItem:
    """One image of a task. `name` is unique in the export (`stem` + the source's suffix); `size` is W x H of the
    decoded image, or the results' original_width/height when the image cannot be read."""

    object_name: str
    item_index: int | None
    ref: Any
    path: str | None
    name: str
    stem: str
    size: tuple[int, int]
    instances: list[Instance] = field(default_factory=list)


@dataclass
class TaskItem:
    """What a format is given for one task: the chosen regions (all kinds, for text formats) and the images."""

    task: Task
    chosen: Chosen
    images: list[ImageItem]


_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


def file_name_of(ref: Any, fallback: str) -> tuple[str, str]:
    """(stem, suffix) of an image reference: the last path part of a path or URL (a `?d=` local-files path
    included), unsafe characters replaced; `fallback` for data: URIs and anything without a name."""
    if not isinstance(ref, str) or ref.startswith("data:"):
        return fallback, ""
    parts = urlsplit(ref)
    path = parts.path
    if "d=" in parts.query and path.rstrip("/").endswith("local-files"):
        path = parts.query.split("d=", 1)[1].split("&", 1)[0]
    name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    stem, suffix = os.path.splitext(name)
    stem = _UNSAFE.sub("_", stem).strip(" .")[:200]
    if not stem:
        return fallback, ""
    return stem, suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix) else ""


class Names:
    """Unique image stems over one export: case folded (two files may differ only in case on Windows or macOS);
    the second `a` becomes `a_2`, the third `a_3`."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def unique(self, stem: str) -> str:
        candidate, number = stem, 1
        while candidate.casefold() in self._taken:
            number += 1
            candidate = f"{stem}_{number}"
        self._taken.add(candidate.casefold())
        return candidate


def parent_id(region: Region) -> str | None:
    for result in region.results:
        parent = result.get("parentID")
        if isinstance(parent, (str, int)) and not isinstance(parent, bool) and str(parent):
            return str(parent)
    return None


def image_items(job, task: Task, chosen: Chosen) -> list[ImageItem]:
    """The task's images in config order (each ref of a valueList is one), with the chosen regions on each.

    Regions on no image of the task, or without a label, are reported as skipped in the job's summary."""
    project = job.project
    items: list[ImageItem] = []
    by_place: dict[tuple[str, int], ImageItem] = {}
    image_tags = [tag for tag in project.config.objects.values() if tag.kind == "image"]
    regions_on = {}
    for region in chosen.regions:
        regions_on.setdefault((region.to_name, region.item_index or 0), []).append(region)
    for tag in image_tags:
        try:
            refs = project.image_refs(task, tag)
        except (KeyError, TypeError, ValueError, IndexError):
            refs = []
        for index, ref in enumerate(refs):
            regions = regions_on.get((tag.name, index), [])
            info = project.image(ref)
            size = info.size or _original_size(regions)
            if size is None:
                job.summary.skip_image(task, ref, info.error or "its size is unknown", len(regions))
                continue
            stem, suffix = file_name_of(ref, f"task{task.index}")
            if info.path is not None and not suffix:
                suffix = info.path.suffix.lower()
            stem = job.names.unique(stem)
            item = ImageItem(tag.name, index if tag.value_list else None, ref,
                             None if info.path is None else os.fspath(info.path), stem + suffix, stem, size)
            if info.size is None:
                job.summary.note(f"{stem}: image not readable, its size taken from the results' original_width/"
                                 "original_height")
            items.append(item)
            by_place[(tag.name, index)] = item
    for place, regions in regions_on.items():
        item = by_place.get(place)
        for region in regions:
            if item is None:
                if region.kind in IMAGE_KINDS:
                    job.summary.skip("on no image of the task that can be exported")
                continue
            _add_instances(job, chosen, item, region)
    for item in items:
        _attach_keypoints(item)
    return items


def _original_size(regions: list[Region]) -> tuple[int, int] | None:
    for region in regions:
        for result in region.results:
            width, height = result.get("original_width"), result.get("original_height")
            if isinstance(width, (int, float)) and isinstance(height, (int, float)) and width > 0 and height > 0 \
                    and not isinstance(width, bool) and not isinstance(height, bool):
                return int(width), int(height)
    return None


def _add_instances(job, chosen: Chosen, item: ImageItem, region: Region) -> None:
    if region.kind not in IMAGE_KINDS:
        return  # a classification or a span: not an object on the image
    if not region.labels:
        job.summary.skip(f"a {region.kind} without a label")
        return
    shape = pixel_shape(region.shape, *item.size)
    if isinstance(shape, str):
        job.summary.skip(f"a {region.kind}: {shape}")
        return
    if shape.clamped:
        job.summary.clamped += 1
    keypoint = region.kind == "keypoint"
    for label in region.labels:
        # A keypoint is a part of its parent's instance, not a class: it takes no class id (-1).
        instance = Instance(region, label, -1 if keypoint else job.classes.id_of(label), shape,
                            chosen.scores.get(region.id), parent_id(region) if keypoint else None)
        item.instances.append(instance)


def _attach_keypoints(item: ImageItem) -> None:
    rectangles: dict[str, list[Instance]] = {}
    for instance in item.instances:
        if instance.kind == "rectangle":
            rectangles.setdefault(instance.region.id, []).append(instance)
    for instance in item.instances:
        if instance.kind == "keypoint":
            for parent in rectangles.get(instance.parent or "", ()):
                parent.keypoints.setdefault(instance.label, instance.shape.point)

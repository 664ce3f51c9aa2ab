"""What one task shows on its image: the image, its pixel space, and the regions of each prediction/annotation.

Core layer, no Qt; shared by `lsview render` and the window so both pick the same image, size and layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol, Sequence

from viewer.core.config import parse_data_path
from viewer.core.project import ImageInfo, Project, repeat_length
from viewer.core.region_keys import LayerKey
from viewer.core.region_kinds import IMAGE_KINDS
from viewer.core.regions import Region, Relation
from viewer.core.shapes import Classification
from viewer.core.tasks import Task

# The stand-in pixel space when neither the image nor any result says how big it is.
FALLBACK_SIZE = (1024, 768)
# Beyond this a declared original_width/height is no picture anyone labelled (2**24 is also where float32,
# used inside Qt's rasteriser, stops counting whole pixels); regions then go on the stand-in.
MAX_SPACE_SIDE = 2 ** 24
# A placeholder is drawn at most this big, whatever the region space (40000x40000 took 12.6 GB unbounded).
PLACEHOLDER_PIXELS = 4096 * 4096
PLACEHOLDER_SIDE = 8192


def drawn_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size a placeholder for this region space is drawn at: the space itself, or scaled down evenly to
    PLACEHOLDER_PIXELS and PLACEHOLDER_SIDE (each side at least 1)."""
    w, h = size
    scale = min(1.0, (PLACEHOLDER_PIXELS / (w * h)) ** 0.5, PLACEHOLDER_SIDE / max(w, h))
    if scale == 1.0:
        return w, h
    return max(1, int(w * scale)), max(1, int(h * scale))


def usable_size(size: tuple[int, int] | None) -> bool:
    """Whether a region space can be drawn: whole numbers from 1 to MAX_SPACE_SIDE."""
    return size is not None and all(type(side) is int and 1 <= side <= MAX_SPACE_SIDE for side in size)


@dataclass(frozen=True)
class Layer:
    """One prediction or annotation of a task: its image regions on the page shown, its relations, and its
    whole-object results (choices, textarea ... of every object and page)."""

    source: str
    index: int
    title: str
    model_version: str | None
    score: float | None
    regions: tuple[Region, ...]
    relations: tuple[Relation, ...]
    classifications: tuple[Region, ...] = ()
    others: tuple[Region, ...] = ()     # regions on objects lsview does not draw on this canvas (spans, audio ...)

    @property
    def key(self) -> LayerKey:
        return self.source, self.index


@dataclass(frozen=True)
class TaskContent:
    """The image object a task is drawn on, the W x H its regions are measured in, and why the image is absent."""

    object_name: str | None
    image: ImageInfo | None
    size: tuple[int, int]
    size_origin: str              # "image" | "original" (from original_width/height) | "fallback"
    layers: tuple[Layer, ...]
    problem: str | None           # why the image is not drawn; None when it is there
    page: int = 0                 # the item_index shown of a multi-image (valueList) object, or the copy shown of
    page_count: int = 1           # an Image a <Repeater> repeats (one page per copy the task's list makes)
    multi_page: bool = False      # valueList or Repeater: pages are named even when there is one

    @property
    def is_image(self) -> bool:
        return self.object_name is not None

    def regions(self) -> list[tuple[Layer, Region]]:
        return [(layer, region) for layer in self.layers for region in layer.regions]

    def layer(self, key: LayerKey) -> Layer | None:
        return next((layer for layer in self.layers if layer.key == key), None)


class ShownContent(Protocol):
    """What the canvas (TaskContent) and the text page (TextContent) both show: layers of regions."""

    @property
    def layers(self) -> Sequence[Layer]: ...

    def regions(self) -> list[tuple[Layer, Region]]: ...

    def layer(self, key: LayerKey) -> Layer | None: ...


def split_layer(regions: Iterable[Region], object_name: str | None,
                page: int) -> tuple[list[Region], list[Region], list[Region]]:
    """A layer's regions as the canvas splits them: image regions on `object_name`'s page shown, whole-object
    results (classifications of every object and page), and the rest (spans, audio ...)."""
    image_regions, classifications, others = [], [], []
    for region in regions:
        if isinstance(region.shape, Classification):  # one kind's rule: the results panel lists these
            classifications.append(region)
        elif region.to_name == object_name and region.shape.kind in IMAGE_KINDS:
            if (region.item_index or 0) == page:
                image_regions.append(region)
        else:
            others.append(region)
    return image_regions, classifications, others


def _layer_title(source: str, index: int, raw: Any, model_version: str | None, score: float | None) -> str:
    if source == "prediction":
        title = f"prediction {index} · {model_version}"
        return title + (f" · score {score:.2f}" if score is not None else "")
    title = f"annotation {index}"
    if isinstance(raw, dict) and raw.get("id") is not None:
        title += f" (id {raw['id']})"
    return title


def image_object(project: Project, task: Task, region_sets) -> str | None:
    """The Image tag a task is drawn on: the first one its regions point at, else the config's first Image."""
    images = [name for name, tag in project.config.objects.items() if tag.kind == "image"]
    for _, region_set in region_sets:
        for region in region_set.regions:
            if region.to_name in images and region.shape.kind in IMAGE_KINDS:
                return region.to_name
    return images[0] if images else None


def page_count(project: Project, task: Task, name: str | None) -> tuple[int, bool]:
    """How many pages an Image object has for a task (the images of its valueList, at least one), and whether it
    is a multi-image object at all. A region whose item_index is past the last image is on no page: Label Studio
    draws it nowhere, and `validate` says so (item-index-out-of-range)."""
    tag = project.config.objects.get(name) if name is not None else None
    if tag is None or tag.value_list is None:
        return 1, False
    try:
        count = len(project.image_refs(task, tag))
    except KeyError:
        count = 0
    return max(count, 1), True


def repeated_images(project: Project, task: Task, name: str | None) -> list[str]:
    """The copies a <Repeater> made of the Image `name` is one of, that this task's list makes, by index (the
    editor makes as many as the task's list has items); empty for an Image no Repeater made."""
    tag = project.config.objects.get(name) if name is not None else None
    if tag is None or tag.repeat is None:
        return []
    on, _, template = tag.repeat
    length = repeat_length(task.data, parse_data_path(on))
    copies = {other.repeat[1]: other.name for other in project.config.objects.values()
              if other.kind == "image" and other.repeat is not None and other.repeat[0] == on
              and other.repeat[2] == template and other.repeat[1] < length}
    return [copies[index] for index in sorted(copies)]


def task_content(project: Project, task: Task, *, source: str = "all", model_version: str | None = None,
                 page: int = 0) -> TaskContent:
    """The task as drawn: `source` is prediction, annotation or all; `model_version` keeps one model's predictions;
    `page` is the item_index shown of a multi-image object (clamped to the pages there are)."""
    region_sets = project.regions(task)
    name = image_object(project, task, region_sets)
    copies = repeated_images(project, task, name)
    if copies:
        pages, multi = len(copies), True
        page = min(max(page, 0), pages - 1)
        name, item = copies[page], 0
    else:
        pages, multi = page_count(project, task, name)
        page = item = min(max(page, 0), pages - 1)
    layers = []
    size = origin = unusable = None
    for result_set, region_set in region_sets:
        if source != "all" and result_set.source != source:
            continue
        if model_version is not None and result_set.source == "prediction" \
                and result_set.model_version != model_version:
            continue
        regions, classifications, others = split_layer(region_set.regions, name, item)
        for region in regions:
            if size is None:
                space = project.pixel_space(task, region)
                if usable_size(space.size):
                    size, origin = space.size, space.origin
                elif space.size is not None and unusable is None:
                    unusable = space.size
        layers.append(Layer(result_set.source, result_set.index,
                            _layer_title(result_set.source, result_set.index, result_set.raw,
                                         result_set.model_version, result_set.score),
                            result_set.model_version, result_set.score, tuple(regions), region_set.relations,
                            tuple(classifications), tuple(others)))
    info = project.task_image(task, name, item if multi and not copies else None) if name is not None else None
    if info is not None and usable_size(info.size):
        size, origin = info.size, "image"
    problem = None
    if info is None or info.size is None:
        problem = info.error if info is not None and info.error else "the task has no image for this config"
        if info is None and multi:
            problem = f"the task's image list has no page {page + 1}"
    if size is None:
        size, origin = FALLBACK_SIZE, "fallback"
        given = "no usable original_width/height either" if unusable is None else \
            f"original_width/height {_side(unusable[0])}x{_side(unusable[1])} is no usable size (1 to " \
            f"{MAX_SPACE_SIDE:,} a side)"
        problem = (problem or "") + f"; {given}, regions placed on a {FALLBACK_SIZE[0]}x{FALLBACK_SIZE[1]} stand-in"
    return TaskContent(name, info, size, origin, tuple(layers), problem, page, pages, multi)


def _side(value: Any) -> str:
    # str() of an integer past 4,300 digits raises; such a side is only ever "huge"
    return str(value) if not isinstance(value, int) or value.bit_length() <= 128 else "(huge)"


def value_text(value: Any, list_sep: str = "; ") -> str:
    """A result value as one line: lists joined by `list_sep` (tooltips use "; ", the text page ", "), dicts as
    "key: value" pairs."""
    if isinstance(value, list):
        return list_sep.join(value_text(v, list_sep) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v, list_sep)}" for k, v in value.items())
    return str(value)

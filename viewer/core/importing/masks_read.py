"""Segmentation masks read back as regions: class maps, instance maps and one-PNG-per-class masks (core, no Qt).

Layouts of SRC, looked at in this order:
- SRC/SegmentationClass/<stem>.png (and SRC/SegmentationObject/<stem>.png when present), as `lsview export
  --format masks` and Pascal VOC write them: a pixel holds 0 = background or class id + 1 (indexed or grey; an
  RGB map is read by the labelmap's colours);
- SRC/<stem>_<class>.png: one binary mask per class (non-zero, or alpha when the PNG has it, is on), the class a
  name the classes list;
- SRC/<stem>.png: class maps as in the first layout.
Class names by pixel value: labelmap.txt (line k after the header is value k, `background` first), else
--classes (class id k is value k + 1). With an instance map each instance is one region, of the class most of its
pixels hold; without, each class of an image is one region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from viewer.core.errors import InputError

CLASS_DIR, OBJECT_DIR, LABELMAP = "SegmentationClass", "SegmentationObject", "labelmap.txt"


@dataclass(frozen=True)
class LabelMap:
    """Class names by pixel value (index 0 is the background) and their colours when the file gives them."""

    names: tuple[str, ...]
    colours: tuple[tuple[int, int, int] | None, ...] = ()

    def name_of(self, value: int) -> str | None:
        return self.names[value] if 0 < value < len(self.names) else None

    @classmethod
    def from_classes(cls, names: Sequence[str]) -> "LabelMap":
        """Class id k -> value k + 1 (the export's rule)."""
        return cls(("background", *names))


@dataclass(frozen=True, eq=False)
class MaskRegion:
    label: str
    mask: np.ndarray  # bool, height x width


@dataclass
class MaskImage:
    """The regions of one image; `size` (width, height) is that of its masks; `files` the PNGs read."""

    stem: str
    size: tuple[int, int]
    regions: list[MaskRegion] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count


def read_labelmap(path: str | Path) -> LabelMap:
    """Pascal VOC's labelmap.txt (`label:color_rgb:parts:actions`, `#` comments): names and colours by line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the label map: {getattr(exc, 'strerror', None) or exc}",
                         path=str(path)) from None
    names: list[str] = []
    colours: list[tuple[int, int, int] | None] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, rest = line.partition(":")
        colour_text = rest.split(":", 1)[0].strip()
        colour = None
        if colour_text:
            try:
                r, g, b = (int(part) for part in colour_text.split(","))
            except ValueError:
                raise InputError(f"colour {colour_text!r} is not `r,g,b`", path=str(path), line=number) from None
            colour = (r, g, b)
        names.append(name.strip())
        colours.append(colour)
    if not names:
        raise InputError("no labels in the label map", path=str(path))
    return LabelMap(tuple(names), tuple(colours))


def read_png(path: str | Path, labelmap: LabelMap | None = None) -> np.ndarray:
    """The pixel values of a class or instance map: indices of an indexed PNG, grey levels, 16-bit values; an RGB
    map through the label map's colours (a colour it lacks is value -1)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            mode = image.mode
            if mode in ("P", "L", "1"):  # kept as bytes: comparing 2 million of them per region is 4x faster
                return np.asarray(image if mode != "1" else image.convert("L"), dtype=np.uint8)
            if mode.startswith("I"):
                return np.asarray(image, dtype=np.int32)
            rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    except OSError as exc:
        raise InputError(f"not a readable PNG: {exc}", path=str(path)) from None
    if labelmap is None or not any(labelmap.colours):
        raise InputError("an RGB mask needs labelmap.txt with colours to tell its classes", path=str(path))
    packed = (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
    values = np.full(packed.shape, -1, np.int32)
    for value, colour in enumerate(labelmap.colours):
        if colour is not None:
            values[packed == (colour[0] << 16 | colour[1] << 8 | colour[2])] = value
    return values


def read_binary(path: str | Path) -> np.ndarray:
    """A one-class mask: alpha > 0 when the PNG has an alpha channel that is not all opaque, else any non-zero."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                alpha = np.asarray(image.convert("RGBA"), dtype=np.uint8)[..., 3]
                if alpha.min() < 255:
                    return alpha > 0
            if image.mode.startswith("I"):
                return np.asarray(image) != 0
            return np.asarray(image.convert("L"), dtype=np.uint8) > 0
    except OSError as exc:
        raise InputError(f"not a readable PNG: {exc}", path=str(path)) from None


def class_regions(image: MaskImage, classes: np.ndarray, instances: np.ndarray | None, labelmap: LabelMap) -> None:
    """Add the regions of one image's maps to `image`: one per instance with an instance map, else one per class."""
    present = _values(classes)
    for value in present:
        if value >= len(labelmap.names):
            image.skip(f"pixel value {value} names no class (labelmap.txt or --classes)")
    if classes.dtype != np.uint8 and (classes < 0).any():
        image.skip("a colour the label map does not list")
    if instances is None:
        for value in present:
            name = labelmap.name_of(value)
            if name is not None:
                image.regions.append(MaskRegion(name, classes == value))
        return
    if instances.shape != classes.shape:
        image.skip("an instance map of another size than its class map")
        return
    # The class of an instance: the most common class value under it (the export paints both maps with the same
    # regions, so there is one), from one bincount of (instance, class) pairs.
    on = (instances > 0) & (classes > 0)
    width = int(classes.max()) + 1 if classes.size else 1
    pairs = np.bincount(instances[on].astype(np.int64) * width + classes[on], minlength=width)
    for number in _values(instances):
        row = pairs[number * width:(number + 1) * width]
        if row.size == 0 or not row.any():
            image.skip("an instance on background pixels only")
            continue
        name = labelmap.name_of(int(row.argmax()))
        if name is not None:
            image.regions.append(MaskRegion(name, instances == number))


def _values(values: np.ndarray) -> list[int]:
    """The non-zero values a map holds, ascending. A few values are looked for one by one: comparing 2 million
    bytes takes 0.3 ms, where np.unique or a bincount (which widens them to int64 first) take 10 to 15 ms."""
    if not values.size:
        return []
    top = int(values.max())
    if values.dtype == np.uint8 and top <= 32:
        return [value for value in range(1, top + 1) if (values == value).any()]
    flat = values[values > 0]
    return [int(value) for value in np.flatnonzero(np.bincount(flat))] if flat.size else []


def _stem_and_class(path: Path, names: Sequence[str]) -> tuple[str, str] | None:
    """(image stem, class) of `<stem>_<class>.png` for a class in names (the longest that fits), else None."""
    stem = path.stem
    best = None
    for name in names:
        if name and stem.endswith("_" + name) and len(stem) > len(name) + 1:
            if best is None or len(name) > len(best):
                best = name
    return None if best is None else (stem[:-len(best) - 1], best)


def _pngs(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.suffix.lower() == ".png" and path.is_file())


def mask_layout(src: str | Path) -> str:
    """"voc" (SegmentationClass/...) or "flat" (PNGs in SRC)."""
    return "voc" if (Path(src) / CLASS_DIR).is_dir() else "flat"


def find_labelmap(src: str | Path, classes: Sequence[str] | None) -> LabelMap | None:
    """--classes wins (class id k is value k + 1); else SRC/labelmap.txt; None when neither says."""
    if classes is not None:
        return LabelMap.from_classes(classes)
    path = Path(src) / LABELMAP
    return read_labelmap(path) if path.is_file() else None


def mask_images(src: str | Path, labelmap: LabelMap | None, class_names: Sequence[str] = (),
                per_instance: bool = True) -> Iterator[MaskImage]:
    """Each image's regions from SRC (layouts in the module docstring), in stem order. `class_names`: the names a
    `<stem>_<class>.png` may end with (the label map's and the config's labels). Without `per_instance` an
    instance map is not read (one region per class)."""
    src = Path(src)
    if mask_layout(src) == "voc":
        objects = src / OBJECT_DIR
        for path in _pngs(src / CLASS_DIR):
            yield _maps_image(path, objects / path.name if per_instance and (objects / path.name).is_file()
                              else None, _need(labelmap, path))
        return
    names = list(dict.fromkeys([*(labelmap.names[1:] if labelmap else ()), *class_names]))
    binary: dict[str, list[tuple[str, Path]]] = {}
    maps: list[Path] = []
    for path in _pngs(src):
        found = _stem_and_class(path, names)
        if found is None:
            maps.append(path)
        else:
            binary.setdefault(found[0], []).append((found[1], path))
    singles = {path.stem: path for path in maps}
    for stem in sorted(set(binary) | set(singles)):
        if stem in singles:
            image = _maps_image(singles[stem], None, _need(labelmap, singles[stem]))
            if stem in binary:
                image.skip("a class map and one-class masks for one image: the class map is read", len(binary[stem]))
            yield image
            continue
        yield _binary_image(stem, binary[stem])


def _need(labelmap: LabelMap | None, path: Path) -> LabelMap:
    if labelmap is None:
        raise InputError("a class map needs class names: give --classes, or put labelmap.txt in the source "
                         "folder", path=str(path))
    return labelmap


def _maps_image(path: Path, instances_path: Path | None, labelmap: LabelMap) -> MaskImage:
    classes = read_png(path, labelmap)
    height, width = classes.shape
    image = MaskImage(path.stem, (width, height), files=[str(path)])
    instances = None
    if instances_path is not None:
        instances = read_png(instances_path)
        image.files.append(str(instances_path))
    class_regions(image, classes, instances, labelmap)
    return image


def _binary_image(stem: str, files: list[tuple[str, Path]]) -> MaskImage:
    image: MaskImage | None = None
    for name, path in sorted(files):
        mask = read_binary(path)
        height, width = mask.shape
        if image is None:
            image = MaskImage(stem, (width, height))
        image.files.append(str(path))
        if (width, height) != image.size:
            image.skip("a one-class mask of another size than the image's other masks")
            continue
        if mask.any():
            image.regions.append(MaskRegion(name, mask))
        else:
            image.skip("a one-class mask with no pixel on")
    assert image is not None
    return image

"""Pascal VOC annotation files read back: `<annotation>` XML -> boxes in the pixels of the image (core, no Qt).

VOC's bndbox holds 1-based pixel indices, xmin..xmax the first and last column covered (the devkit's rule, and
what `lsview export --format voc` writes), so the box's pixel edges are xmin - 1 .. xmax: a box on whole pixels
comes back exactly. Values written as decimals (some tools do) are read the same way. An optional <score> or
<confidence> in an <object> is its score; VOC has none of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from viewer.core.errors import InputError
from viewer.core.numbers import finite_text

MAX_VOC_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class VocObject:
    """One <object>: its class name and its box as pixel edges (x0, y0 top-left, x1, y1 bottom-right)."""

    name: str
    box: tuple[float, float, float, float]
    score: float | None = None
    difficult: bool = False
    truncated: bool = False


@dataclass
class VocFile:
    """One annotation file: the image it names, the size it gives (None when absent or 0) and its objects;
    `skipped`: reason -> count of the objects that could not be read."""

    path: str
    filename: str
    folder: str | None
    size: tuple[int, int] | None
    objects: list[VocObject] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _parser() -> etree.XMLParser:
    # no DTD, no entities, no network: annotation files come from anywhere
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _text(element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    return found.text.strip()


def _number(element, tag: str) -> float | None:
    return finite_text(_text(element, tag))


def read_voc(path: str | Path) -> VocFile:
    """The annotation file at `path`; InputError when it is not a VOC <annotation>."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    if len(data) > MAX_VOC_BYTES:
        raise InputError(f"{len(data)} bytes is too large for a VOC annotation file", path=str(path))
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise InputError("DOCTYPE/entities are not allowed in an annotation file", path=str(path))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg}", path=str(path), line=exc.lineno) from None
    if root.tag != "annotation":
        raise InputError(f"the root is <{root.tag}>, not a Pascal VOC <annotation>", path=str(path))
    size = root.find("size")
    width = _number(size, "width") if size is not None else None
    height = _number(size, "height") if size is not None else None
    known = (int(width), int(height)) if width and height and width > 0 and height > 0 else None
    found = VocFile(str(path), _text(root, "filename") or "", _text(root, "folder"), known)
    for element in root.iter("object"):
        name = _text(element, "name")
        if not name:
            found.skip("an <object> with no <name>")
            continue
        box = element.find("bndbox")
        if box is None:
            found.skip("an <object> with no <bndbox>")
            continue
        edges = [_number(box, tag) for tag in ("xmin", "ymin", "xmax", "ymax")]
        if any(value is None for value in edges):
            found.skip("a <bndbox> without numbers for xmin, ymin, xmax and ymax")
            continue
        xmin, ymin, xmax, ymax = edges
        if xmax < xmin or ymax < ymin:
            found.skip("a <bndbox> whose max is less than its min")
            continue
        score = _number(element, "score")
        if score is None:
            score = _number(element, "confidence")
        found.objects.append(VocObject(name, (xmin - 1, ymin - 1, xmax, ymax), score,
                                       _text(element, "difficult") == "1", _text(element, "truncated") == "1"))
    return found


def voc_files(src: str | Path) -> list[Path]:
    """The annotation files of SRC: SRC/Annotations/*.xml as VOC lays them out, else SRC/*.xml, or SRC itself."""
    src = Path(src)
    if src.is_file():
        return [src]
    folder = src / "Annotations" if (src / "Annotations").is_dir() else src
    return sorted(path for path in folder.iterdir() if path.suffix.lower() == ".xml" and path.is_file())

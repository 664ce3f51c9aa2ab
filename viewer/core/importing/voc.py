"""`lsview import voc`: a folder of Pascal VOC annotation files -> rectangles (core layer, no Qt).

SRC is a folder holding Annotations/*.xml (or the *.xml themselves), or one file. Each file's <filename> names its
image, found under --images (default SRC/JPEGImages, SRC/images, else SRC), else by the file's own stem. Boxes
are read as voc_read says (1-based pixel indices back to pixel edges). The image's size comes from its header
(EXIF applied); a file whose <size> says otherwise is left out (its boxes were drawn on another picture).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from viewer.core.errors import InputError
from viewer.core.importing.detections import Box, Detection, ImageDetections
from viewer.core.importing.image_files import ImageFolder, decoded_size
from viewer.core.importing.job import ImportFormat
from viewer.core.importing.voc_read import read_voc, voc_files


def images_folder(src: Path, given: str | None) -> ImageFolder:
    """--images, else SRC/JPEGImages or SRC/images as datasets lay them out, else SRC."""
    if given is not None:
        return ImageFolder(given)
    base = src if src.is_dir() else src.parent
    for name in ("JPEGImages", "images"):
        if (base / name).is_dir():
            return ImageFolder(base / name)
    return ImageFolder(base)


class VocImport(ImportFormat):
    name = "voc"
    help = "Pascal VOC: SRC/Annotations/*.xml (or SRC/*.xml), boxes 1-based; images in SRC/JPEGImages or --images"

    def check(self) -> None:
        src = Path(self.job.src)
        if not src.exists():
            raise InputError("no such file or folder", path=str(src))
        self.files = voc_files(src)
        if not self.files:
            raise InputError("no Pascal VOC annotation files (*.xml) here", path=str(src))
        self.folder = images_folder(src, self.job.options.images)

    def total(self) -> int:
        return len(self.files)

    def images(self) -> Iterator[ImageDetections]:
        for path in self.files:
            found = read_voc(path)
            name = found.filename or path.stem
            image_path = self.folder.find(name) if found.filename else None
            if image_path is None:
                image_path = self.folder.find(path.stem)
            image = ImageDetections(name, image_path)
            for reason, count in found.skipped.items():
                image.skip(reason, count)
            if image_path is not None:
                size = decoded_size(image_path)
                if isinstance(size, str):
                    yield image  # the run leaves it out and says why
                    continue
                if found.size is not None and found.size != size:
                    self.job.summary.skip("VOC file(s) whose <size> is not their image's decoded size")
                    self.job.summary.note(f"{path.name}: <size> {found.size[0]}x{found.size[1]}, but {image_path} "
                                          f"is {size[0]}x{size[1]} as decoded (EXIF applied): left out")
                    continue
                image.size = size
            for item in found.objects:
                image.detections.append(Detection(Box(*item.box), item.name, item.score))
            yield image


FORMATS = [VocImport]

"""`lsview import masks`: segmentation masks -> brush regions, or polygons where the config wants them (core, no Qt).

SRC layouts and class names: masks_read. One region per instance where SRC/SegmentationObject holds the image's
instance map, else one per class of the image. Images are found by the mask's stem under --images (default
SRC/JPEGImages, SRC/images); a mask must be the size of its image as decoded, else the image is left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from viewer.core.errors import InputError
from viewer.core.importing.detections import Detection, ImageDetections, Mask
from viewer.core.importing.image_files import ImageFolder, decoded_size
from viewer.core.importing.job import ImportFormat
from viewer.core.importing.masks_read import CLASS_DIR, LabelMap, find_labelmap, mask_images, mask_layout


class MasksImport(ImportFormat):
    name = "masks"
    help = ("masks: SRC/SegmentationClass/<stem>.png (+ SegmentationObject/) as --format masks writes them, or "
            "<stem>_<class>.png one-class masks; names from labelmap.txt or --classes")

    def check(self) -> None:
        src = Path(self.job.src)
        if not src.is_dir():
            raise InputError("not a folder; masks takes a folder of PNG masks", path=str(src))
        self.layout = mask_layout(src)
        classes = self.job.classes
        names = None if classes is None else [classes.get(i, f"class{i}") for i in range(max(classes, default=-1) + 1)]
        self.labelmap: LabelMap | None = find_labelmap(src, names)
        if self.labelmap is not None and names is None:
            self.job.summary.note(f"class names from {src / 'labelmap.txt'}")
        self.class_names = sorted({label.stored for control in self.job.config.controls.values()
                                   for label in control.labels})
        given = self.job.options.images
        base = [Path(given)] if given is not None else [src / "JPEGImages", src / "images"]
        folder = next((path for path in base if path.is_dir()), None)
        if folder is None:
            raise InputError("where are the images? give --images DIR (SRC/JPEGImages or SRC/images are looked "
                             "at by default)", path=str(src))
        self.folder = ImageFolder(folder)

    def total(self) -> int:
        if self.layout == "voc":
            return sum(1 for path in (Path(self.job.src) / CLASS_DIR).iterdir() if path.suffix.lower() == ".png")
        return 0

    def images(self) -> Iterator[ImageDetections]:
        for found in mask_images(self.job.src, self.labelmap, self.class_names):
            image_path = self.folder.find(found.stem)
            image = ImageDetections(found.stem, image_path)
            for reason, count in found.skipped.items():
                image.skip(reason, count)
            if image_path is None:
                yield image  # the run leaves it out: no image of that name
                continue
            size = decoded_size(image_path)
            if isinstance(size, str):
                yield image
                continue
            if size != found.size:
                self.job.summary.skip("mask(s) of another size than their image as decoded", len(found.files))
                self.job.summary.note(f"{found.files[0]}: {found.size[0]}x{found.size[1]}, but {image_path} is "
                                      f"{size[0]}x{size[1]} as decoded (EXIF applied): left out")
                continue
            image.size = size
            image.detections.extend(Detection(Mask(region.mask), region.label) for region in found.regions)
            yield image


FORMATS = [MasksImport]

"""YOLO import (Ultralytics layout): labels/<stem>.txt beside images/, data.yaml or classes.txt for the names.

Core layer, no Qt. Each line is `class` and numbers normalised to the image; how a line is read, by its count of
numbers N:
- 4 or 5: a box `xc yc w h [conf]`, in every task;
- pose (--task yolo-pose, or a `kpt_shape: [K, D]` in data.yaml): `xc yc w h` then K keypoints of D (2 or 3)
  numbers `x y [v]` and an optional conf; v 0 (or x = y = 0 with D 2) is an absent keypoint;
- 8 or 9: an OBB `x1 y1 ... x4 y4 [conf]` or a 4-point polygon: --task yolo-obb or yolo-seg says which; without
  it, a folder whose other lines of 6+ numbers are polygons is a seg folder, else lsview asks for --task;
- otherwise 6 or more: a polygon `x1 y1 x2 y2 ...`; an odd N means the last number is the conf.
A polygon of 4 corners at right angles (how lsview exports a rectangle) is a rectangle where a rectangle control
offers its label.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from viewer.core.errors import InputError
from viewer.core.export.training.classes import read_classes
from viewer.core.importing.base import PredictionImportError
from viewer.core.importing.detections import (
    Box, Detection, ImageDetections, KeyPoint, Polygon, RotatedBox, box_shaped,
)
from viewer.core.importing.image_files import ImageFolder, decoded_size
from viewer.core.importing.job import ImportFormat

TASKS = ("yolo-detect", "yolo-seg", "yolo-obb", "yolo-pose")


def _kpt_shape(text: str) -> tuple[int, int] | None:
    match = re.search(r"^kpt_shape\s*:\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]", text, re.MULTILINE)
    return (int(match.group(1)), int(match.group(2))) if match else None


class YoloImport(ImportFormat):
    name = "yolo"
    help = "YOLO: SRC/labels/<stem>.txt (detect, seg, obb or pose lines), SRC/images/, data.yaml or classes.txt"

    def check(self) -> None:
        src = Path(self.job.src)
        if not src.is_dir():
            raise InputError("not a folder; yolo takes a folder holding labels/ (or the label files)",
                             path=str(src))
        labels = src / "labels" if (src / "labels").is_dir() else src
        self.labels_dir = labels
        self.files = sorted((p for p in labels.rglob("*.txt") if p.name != "classes.txt"),
                            key=lambda p: p.relative_to(labels).as_posix())
        if not self.files:
            raise InputError(f"no label files (*.txt) in {labels}", path=str(src))
        images = self.job.options.images
        if images is None:
            images = src / "images" if (src / "images").is_dir() else src
        self.images_dir = ImageFolder(images)
        self.names = self._class_names(src)
        self.pose = self._pose_shape(src)

    def _class_names(self, src: Path) -> dict[int, str] | None:
        if self.job.classes is not None:
            return self.job.classes
        for name in ("data.yaml", "data.yml", "dataset.yaml", "classes.txt"):
            if (src / name).is_file():
                self.job.summary.note(f"class names from {src / name}")
                return read_classes(str(src / name)).by_id()
        self.job.summary.note("no data.yaml, classes.txt or --classes: classes are named by their ids")
        return None

    def _pose_shape(self, src: Path) -> tuple[int, int] | None:
        shape = None
        for name in ("data.yaml", "data.yml", "dataset.yaml"):
            if (src / name).is_file():
                shape = _kpt_shape((src / name).read_text(encoding="utf-8-sig", errors="replace"))
                break
        if self.job.options.task == "yolo-pose" and shape is None:
            count = len(self.job.keypoint_names)
            if not count:
                raise PredictionImportError("--task yolo-pose needs a kpt_shape in data.yaml or <KeyPointLabels> "
                                            "in the config naming the keypoints")
            return count, 0  # D from each line's count: 3 when it fits, else 2
        if shape is not None and self.job.options.task not in (None, "yolo-pose"):
            return None
        return shape

    def total(self) -> int:
        return len(self.files)

    def _label(self, class_id: int) -> str:
        if self.names is None:
            return str(class_id)
        found = self.names.get(class_id)
        if found is None:
            raise PredictionImportError(f"class id {class_id} has no name in the class names "
                                        f"({len(self.names)} of them); give --classes")
        return found

    def _read_lines(self, path: Path) -> list[list[str]]:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read it: {getattr(exc, 'strerror', None) or exc}", path=str(path)) from None
        return [line.split() for line in text.splitlines() if line.strip()]

    def _quad_task(self) -> str:
        """How 8- and 9-number lines are read when no --task says it: seg if the folder has longer polygons."""
        if self.job.options.task is not None:
            return self.job.options.task
        quads = longer = 0
        for path in self.files:
            for words in self._read_lines(path):
                count = len(words) - 1
                if count in (8, 9):
                    quads += 1
                elif count >= 6:
                    longer += 1
            if quads and longer:
                break
        if quads and not longer:
            raise PredictionImportError(
                f"{quads} line(s) of 8 or 9 numbers could be oriented boxes (x1 y1 ... x4 y4 [conf]) or 4-point "
                "polygons, and no line says which: give --task yolo-obb or --task yolo-seg")
        return "yolo-seg"

    def images(self) -> Iterator[ImageDetections]:
        quads = "yolo-seg" if self.pose is not None else self._quad_task()
        for path in self.files:
            relative = path.relative_to(self.labels_dir).with_suffix("").as_posix()
            image_path = self.images_dir.find(relative)
            lines = self._read_lines(path)
            image = ImageDetections(relative, image_path)
            size = decoded_size(image_path) if image_path is not None else None
            if size is None or isinstance(size, str):
                image.skip("line(s) of an image not found or not readable", len(lines))
                yield image  # the run leaves it out: its size is unknown
                continue
            image.size = size
            for words in lines:
                self._line(image, words, quads)
            yield image

    def _line(self, image: ImageDetections, words: list[str], quads: str) -> None:
        try:
            class_id = int(words[0])
            numbers = [float(word) for word in words[1:]]
        except ValueError:
            image.skip("a line that is not a class id and numbers")
            return
        width, height = image.size
        task = self.job.options.task
        count = len(numbers)
        score = None
        if count in (4, 5):
            if count == 5:
                score = numbers.pop()
            xc, yc, w, h = numbers
            shape = Box.from_center(xc * width, yc * height, w * width, h * height)
            image.detections.append(Detection(shape, self._label(class_id), score))
            return
        if self.pose is not None:
            self._pose(image, class_id, numbers)
            return
        if task == "yolo-detect":
            image.skip(f"a line of {count} numbers with --task yolo-detect (boxes have 4, or 5 with a conf)")
            return
        if count in (8, 9) and quads == "yolo-obb":
            if count == 9:
                score = numbers.pop()
            points = [(numbers[i] * width, numbers[i + 1] * height) for i in range(0, 8, 2)]
            image.detections.append(Detection(RotatedBox(tuple(points)), self._label(class_id), score))
            return
        if task == "yolo-obb":
            image.skip(f"a line of {count} numbers with --task yolo-obb (boxes have 8, or 9 with a conf)")
            return
        if count % 2:
            score = numbers.pop()
        if len(numbers) < 6:
            image.skip("a polygon of fewer than 3 points")
            return
        points = tuple((numbers[i] * width, numbers[i + 1] * height) for i in range(0, len(numbers), 2))
        label = self._label(class_id)
        box = box_shaped(points)
        shape = Polygon(points)
        if box is not None:
            mapped = self.job.chooser.mapped(label)
            if mapped is not None and self.job.chooser.find(("rectangle",), mapped) is not None:
                shape = box
        image.detections.append(Detection(shape, label, score))

    def _pose(self, image: ImageDetections, class_id: int, numbers: list[float]) -> None:
        keypoints, dims = self.pose
        count = len(numbers) - 4
        choices = [dims] if dims else [3, 2]
        for d in choices:
            if count in (keypoints * d, keypoints * d + 1):
                break
        else:
            image.skip(f"a pose line of {len(numbers)} numbers (expected 4 + {keypoints} keypoints x "
                       f"{' or '.join(map(str, choices))}, and an optional conf)")
            return
        score = numbers.pop() if count == keypoints * d + 1 else None
        names = self.job.keypoint_names
        if len(names) < keypoints:
            raise PredictionImportError(f"pose lines hold {keypoints} keypoints, but the config's <KeyPointLabels> "
                                        f"name {len(names)}")
        width, height = image.size
        xc, yc, w, h = numbers[:4]
        detection = Detection(Box.from_center(xc * width, yc * height, w * width, h * height),
                              self._label(class_id), score)
        for index in range(keypoints):
            values = numbers[4 + index * d: 4 + (index + 1) * d]
            x, y = values[0], values[1]
            visible = values[2] if d == 3 else (0.0 if x == 0 and y == 0 else 2.0)
            if visible > 0:
                detection.keypoints.append(KeyPoint(x * width, y * height, names[index]))
        image.detections.append(detection)


FORMATS = [YoloImport]

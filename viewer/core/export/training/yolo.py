"""YOLO exports (Ultralytics layout): detect, segment, oriented boxes and pose.

Core layer, no Qt. Files: data.yaml (`names` by id, `nc`, `kpt_shape` for pose), classes.txt (line i = class
i), labels/<image stem>.txt with one line per instance, coordinates normalised to the image, 6 decimals. Boxes
are the axis-aligned hull of the pixel geometry (a rotated rectangle's four corners); `--with-scores` adds the
score as a last column.
"""

from __future__ import annotations

import json

from viewer.core.export.training.items import ImageItem, Instance, TaskItem
from viewer.core.export.training.job import TrainingFormat


def _n(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def yaml_string(text: str) -> str:
    """A YAML scalar that reads back as `text` whatever it holds (a JSON string is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class YoloDetect(TrainingFormat):
    name = "yolo"
    help = "YOLO detect: labels/<stem>.txt `class xc yc w h` (axis-aligned hull), data.yaml, classes.txt"
    kinds = ("rectangle", "polygon", "ellipse", "mask")

    def task(self, item: TaskItem) -> list[str]:
        written = []
        for image in item.images:
            lines = []
            for instance in image.instances:
                line = self.line(image, instance)
                if line is None:
                    continue
                if self.job.options.with_scores:
                    line += " " + ("" if instance.score is None else _n(instance.score))
                    line = line.rstrip()
                lines.append(line)
                self.job.summary.count(instance.label)
            written.append(self.job.folder.write_text(f"labels/{image.stem}.txt", "".join(f"{l}\n" for l in lines)))
        return written

    def skip(self, instance: Instance, why: str) -> None:
        self.job.summary.skip(why)

    def line(self, image: ImageItem, instance: Instance) -> str | None:
        if instance.kind == "keypoint":
            self.skip(instance, "a keypoint (only yolo-pose and coco export keypoints)")
            return None
        width, height = image.size
        x0, y0, x1, y1 = instance.shape.box
        return (f"{instance.class_id} {_n((x0 + x1) / 2 / width)} {_n((y0 + y1) / 2 / height)} "
                f"{_n((x1 - x0) / width)} {_n((y1 - y0) / height)}")

    def finish(self) -> list[str]:
        names = self.job.classes.names()
        gaps = self.job.classes.gaps()
        if gaps:
            self.job.summary.note(f"class id(s) {', '.join(map(str, gaps))} have no label; classes.txt and "
                                  "data.yaml name them class<N>")
        lines = ["# written by lsview", "path: .", "train: images", "val: images", f"nc: {len(names)}", "names:"]
        lines.extend(f"  {i}: {yaml_string(name)}" for i, name in enumerate(names))
        lines.extend(self.yaml_extra())
        return [self.job.folder.write_text("data.yaml", "\n".join(lines) + "\n"),
                self.job.folder.write_text("classes.txt", "".join(f"{name}\n" for name in names))]

    def yaml_extra(self) -> list[str]:
        return []


FORMATS = [YoloDetect]

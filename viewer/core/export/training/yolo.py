"""YOLO exports (Ultralytics layout): detect, segment, oriented boxes and pose.

Core layer, no Qt. Files: data.yaml (`names` by id, `nc`, `kpt_shape` for pose), classes.txt (line i = class
i), labels/<image stem>.txt with one line per instance, coordinates normalised to the image, 6 decimals. Boxes
are the axis-aligned hull of the pixel geometry (a rotated rectangle's four corners); `--with-scores` adds the
score as a last column.
"""

from __future__ import annotations

import json
import math

from viewer.core import geometry
from viewer.core.export.base import ExportError
from viewer.core.export.training.items import ImageItem, Instance, TaskItem
from viewer.core.export.training.job import TrainingFormat
from viewer.core.export.training.masks import has_holes, outer_boundary, parts


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
                found = self.line(image, instance)
                if found is None:
                    continue
                for line in found if isinstance(found, list) else [found]:
                    if self.job.options.with_scores and instance.score is not None:
                        line += " " + _n(instance.score)
                    lines.append(line)
                self.job.summary.count(instance.label)
            written.append(self.job.folder.write_text(f"labels/{image.stem}.txt", "".join(f"{l}\n" for l in lines)))
        return written

    def skip(self, instance: Instance, why: str) -> None:
        self.job.summary.skip(why)

    def line(self, image: ImageItem, instance: Instance) -> str | None | list:
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
        if self.job.options.images == "none":
            # said where the user looks: the images folder is filled only on request
            lines[1:1] = ["# images/ is filled by lsview export --copy-images or --link-images; without them, put",
                          "# the images there (labels/<stem>.txt belongs to images/<stem>.<ext>)"]
        lines.extend(f"  {i}: {yaml_string(name)}" for i, name in enumerate(names))
        lines.extend(self.yaml_extra())
        return [self.job.folder.write_text("data.yaml", "\n".join(lines) + "\n"),
                self.job.folder.write_text("classes.txt", "".join(f"{name}\n" for name in names))]

    def yaml_extra(self) -> list[str]:
        return []


def _points(image: ImageItem, points) -> str:
    width, height = image.size
    return " ".join(f"{_n(x / width)} {_n(y / height)}" for x, y in points)


class YoloSegment(YoloDetect):
    name = "yolo-seg"
    help = ("YOLO segment: `class x1 y1 x2 y2 ...` polygons (rotated rectangles by their corners, ellipses as "
            "polygons, brush masks traced to their outer boundaries)")

    def line(self, image: ImageItem, instance: Instance) -> str | list | None:
        if instance.kind == "keypoint":
            self.skip(instance, "a keypoint (only yolo-pose and coco export keypoints)")
            return None
        if instance.shape.mask is None:
            return f"{instance.class_id} {_points(image, instance.shape.outline)}"
        lines = []
        holes = False
        found = parts(instance.shape.mask)
        for part in found:
            boundary = outer_boundary(part)
            holes = holes or has_holes(part, boundary)
            lines.append(f"{instance.class_id} {_points(image, boundary)}")
        if len(found) > 1:
            self.job.summary.mention("brush region(s) of several parts, written as one polygon a part")
        if holes:
            self.job.summary.mention("brush region(s) with holes: yolo-seg polygons are their outer boundaries")
        return lines


class YoloObb(YoloDetect):
    name = "yolo-obb"
    help = ("YOLO oriented boxes: `class x1 y1 ... x4 y4`, a rectangle's corners (rotation 0 when missing), "
            "ellipses' boxes")

    def line(self, image: ImageItem, instance: Instance) -> str | None:
        if instance.kind == "rectangle":   # four corners, each clamped: the clipped outline may have more
            return f"{instance.class_id} {_points(image, instance.shape.corners or instance.shape.outline)}"
        if instance.kind == "ellipse":
            return f"{instance.class_id} {_points(image, self.ellipse_box(image, instance))}"
        self.skip(instance, f"a {instance.kind} (yolo-obb holds rectangles and ellipses' boxes)")
        return None

    def ellipse_box(self, image: ImageItem, instance: Instance) -> list[tuple[float, float]]:
        """The ellipse's own oriented box: centre +- each radius along its turned axes, clamped."""
        (cx, cy), (rx, ry), rotation = geometry.ellipse_px(instance.region.shape, *image.size)
        cos, sin = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
        width, height = image.size
        corners = []
        for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            x = cx + sx * rx * cos - sy * ry * sin
            y = cy + sx * rx * sin + sy * ry * cos
            corners.append((min(max(x, 0.0), width), min(max(y, 0.0), height)))
        return corners


class YoloPose(YoloDetect):
    name = "yolo-pose"
    help = ("YOLO pose: one line per rectangle, `class xc yc w h` then `x y v` for each keypoint of it "
            "(parentID), in model_index or config order; `0 0 0` when absent")

    def begin(self) -> None:
        if not self.job.keypoint_names:
            raise ExportError("yolo-pose needs <KeyPointLabels> in the labeling config (its labels name the "
                              "keypoints, in model_index or config order)")

    def line(self, image: ImageItem, instance: Instance) -> str | None:
        if instance.kind == "keypoint":
            if instance.parent is None:
                self.skip(instance, "a keypoint with no parent rectangle (parentID)")
            return None
        if instance.kind != "rectangle":
            self.skip(instance, f"a {instance.kind} (yolo-pose writes rectangles with their keypoints)")
            return None
        width, height = image.size
        values = []
        for name in self.job.keypoint_names:
            point = instance.keypoints.get(name)
            values.append("0 0 0" if point is None else f"{_n(point[0] / width)} {_n(point[1] / height)} 2")
        unknown = set(instance.keypoints) - set(self.job.keypoint_names)
        if unknown:
            self.job.summary.skip("a keypoint whose label is not a <KeyPointLabels> label", len(unknown))
        return f"{super().line(image, instance)} {' '.join(values)}"

    def yaml_extra(self) -> list[str]:
        names = self.job.keypoint_names
        return [f"kpt_shape: [{len(names)}, 3]", "# keypoints in order: " + ", ".join(names)]


FORMATS = [YoloDetect, YoloSegment, YoloObb, YoloPose]

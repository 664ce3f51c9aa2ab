"""COCO export: annotations.json with images, annotations and categories (core layer, no Qt).

One annotation per instance, in image pixels: `bbox` the axis-aligned hull, `segmentation` the polygon (a
rectangle's four rotated corners, an ellipse's polygon), a brush mask as compressed RLE with `iscrowd` 0 and
`area` its pixel count (holes kept). In a config with <KeyPointLabels>, every rectangle carries its child
keypoints (parentID) as `keypoints` [x, y, v] in the categories' keypoint order, v=0 for an absent one. `score`
when exporting predictions. Category ids are the export's class ids; image and annotation ids count from 1.
"""

from __future__ import annotations

import json

from viewer.core.export.training.items import Instance, TaskItem
from viewer.core.export.training.job import TrainingFormat
from viewer.core.export.training.masks import coco_rle


def _r(value: float) -> float:
    return round(value, 3)


class CocoFormat(TrainingFormat):
    name = "coco"
    help = "COCO: annotations.json (boxes, polygons, rotated boxes and ellipses as polygons, brush as RLE, keypoints)"

    def begin(self) -> None:
        self.images: list[dict] = []
        self.annotations: list[dict] = []
        self.with_keypoints: set[int] = set()    # category ids of rectangles (given `keypoints` in a pose config)

    def task(self, item: TaskItem) -> list[str]:
        for image in item.images:
            image_id = len(self.images) + 1
            self.images.append({"id": image_id, "file_name": image.name, "width": image.size[0],
                                "height": image.size[1]})
            for instance in image.instances:
                record = self.annotation(instance)
                if record is None:
                    continue
                record["id"] = len(self.annotations) + 1
                record["image_id"] = image_id
                self.annotations.append(record)
                self.job.summary.count(instance.label)
        return []  # annotations.json holds every task: files.csv names it for none

    def annotation(self, instance: Instance) -> dict | None:
        shape = instance.shape
        if instance.kind == "keypoint":
            if instance.parent is None:
                self.job.summary.skip("a keypoint with no parent rectangle (parentID)")
            return None  # written with its rectangle
        x0, y0, x1, y1 = shape.box
        record = {"category_id": instance.class_id, "bbox": [_r(x0), _r(y0), _r(x1 - x0), _r(y1 - y0)],
                  "area": _r(shape.area), "iscrowd": 0}
        if shape.mask is not None:
            record["segmentation"] = coco_rle(shape.mask)
        else:
            record["segmentation"] = [[round(v, 3) for point in shape.outline for v in point]]
        names = self.job.keypoint_names
        if instance.kind == "rectangle" and names:  # a pose config: every box is an instance with keypoints
            self.with_keypoints.add(instance.class_id)
            values: list[float] = []
            for name in names:
                point = instance.keypoints.get(name)
                values.extend([0, 0, 0] if point is None else [_r(point[0]), _r(point[1]), 2])
            record["keypoints"] = values
            record["num_keypoints"] = sum(1 for name in names if name in instance.keypoints)
            unknown = set(instance.keypoints) - set(names)
            if unknown:
                self.job.summary.skip("a keypoint whose label is not a <KeyPointLabels> label", len(unknown))
        if self.job.scored and instance.score is not None:
            record["score"] = instance.score
        return record

    def finish(self) -> list[str]:
        names = self.job.classes.names()
        used = set(self.job.classes.ids.values())
        categories = []
        for class_id, name in enumerate(names):
            if class_id not in used:
                continue
            category = {"id": class_id, "name": name, "supercategory": ""}
            if class_id in self.with_keypoints:
                category["keypoints"] = list(self.job.keypoint_names)
                category["skeleton"] = []
            categories.append(category)
        document = {"info": {"description": "exported by lsview", "version": "1.0"},
                    "images": self.images, "annotations": self.annotations, "categories": categories}
        return [self.job.folder.write_text("annotations.json", json.dumps(document, ensure_ascii=False,
                                                                          separators=(",", ":")) + "\n")]


FORMATS = [CocoFormat]

"""`lsview import`: the written file passes `lsview validate`, and a round trip through each training export
(export, import back) gives the same regions within 0.5 px, as `lsview inspect` resolves them, with the same
scores. The image carries an EXIF rotation, so the percent must be of the image as decoded."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import lsview
from tests.core.export_training_helpers import POSE_CONFIG, box, make, result
from tests.core.test_import_formats import CONFIG  # the same boxes, polygons and brushes config



def _brush(rid: str, label: str, score: float):
    import numpy as np

    from viewer.core import rle

    mask = np.zeros((1200, 500), dtype=bool)
    mask[300:420, 40:200] = True
    mask[600:640, 100:300] = True
    return result(rid, {"format": "rle", "rle": rle.encode(mask), "brushlabels": [label]}, "brushlabels", "brush",
                  score=score)


def _project(tmp_path, rotated: bool = True, extra: bool = True):
    regions = [box("r1", "car", 20, 5, 30, 10, rotation=30 if rotated else 0, score=0.875),
               box("r2", "person", 50, 40, 20, 25, rotation=0, score=0.0),
               box("r3", "car", 5, 70, 40, 8, rotation=345 if rotated else 0, score=0.5)]
    if extra:
        regions.append(result("p1", {"points": [[10, 50], [60, 45], [70, 65], [30, 68], [12, 60]],
                                     "polygonlabels": ["road"]}, "polygonlabels", "poly", score=0.25))
        regions.append(_brush("b1", "sky", 0.625))
    for region in regions:
        region.update(original_width=500, original_height=1200)
    tasks = [{"id": 1, "data": {"image": "a.png"}, "predictions": [{"model_version": "m1", "result": regions}]}]
    folder = make(tmp_path, tasks, CONFIG, size=(1200, 500), orientation=8)
    return folder


def _inspect(tasks, config):
    done = lsview("inspect", tasks, "--config", config)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _points(shape):
    if shape["kind"] == "keypoint":
        return [shape["center"]]
    return shape.get("corners") or shape.get("points")


def _same(before, after, kinds=("rectangle", "polygon", "keypoint", "mask")):
    def order(regions):  # a pose's keypoints come back in the pose's order (model_index), not as written
        return sorted((r for r in regions if r["shape"]["kind"] in kinds), key=lambda r: (r["shape"]["kind"],
                                                                                          r["labels"]))

    before, after = order(before), order(after)
    assert [(r["shape"]["kind"], r["labels"]) for r in after] == [(r["shape"]["kind"], r["labels"]) for r in before]
    for old, new in zip(before, after):
        assert new["score"] == pytest.approx(old["score"], abs=1e-6)
        assert new["image_size"] == old["image_size"]
        if old["shape"]["kind"] == "mask":
            assert new["shape"]["pixels"] == old["shape"]["pixels"] and new["shape"]["bbox"] == old["shape"]["bbox"]
            continue
        old_points, new_points = _points(old["shape"]), _points(new["shape"])
        assert len(old_points) == len(new_points)
        for point in old_points:  # the same corners (a rectangle may start at another one)
            assert min(abs(point[0] - p[0]) + abs(point[1] - p[1]) for p in new_points) < 0.5, (old, new)


def _round_trip(folder, fmt, config, *extra, source="predictions"):
    tasks, xml = folder / "tasks.json", folder / "config.xml"
    out = folder / f"export-{fmt}"
    done = lsview("export", tasks, "--config", xml, "--session", folder / "s.db", "--format", fmt, "--out", out,
                  "--source", source, "--model-version", "m1", "--with-scores")
    assert done.returncode == 0, done.stderr
    src = out / "annotations.json" if fmt == "coco" else out
    back = folder / f"back-{fmt}.json"
    done = lsview("import", "coco" if fmt == "coco" else "yolo", src, "--config", xml, "--out", back,
                  "--images", folder, "--model-version", "m1", *extra)
    assert done.returncode == 0, done.stderr
    assert "region(s)" in done.stdout
    checked = lsview("validate", back, "--config", xml)
    assert checked.returncode == 0 and "0 error(s)" in checked.stdout, checked.stdout
    return _inspect(tasks, xml), _inspect(back, xml)


def test_coco_round_trip(tmp_path):
    before, after = _round_trip(_project(tmp_path), "coco", CONFIG)
    _same(before, after)


def test_yolo_seg_round_trip(tmp_path):
    before, after = _round_trip(_project(tmp_path), "yolo-seg", CONFIG)
    _same(before, after, kinds=("rectangle", "polygon"))  # a brush comes back traced and filled again


def test_yolo_obb_round_trip(tmp_path):
    before, after = _round_trip(_project(tmp_path, extra=False), "yolo-obb", CONFIG, "--task", "yolo-obb")
    _same(before, after)


def test_yolo_detect_round_trip(tmp_path):
    before, after = _round_trip(_project(tmp_path, rotated=False, extra=False), "yolo", CONFIG)
    _same(before, after)


@pytest.mark.parametrize("fmt", ["yolo-pose", "coco"])
def test_pose_round_trip(tmp_path, fmt):
    person = box("p", "person", 20, 20, 50, 40, score=0.75)
    nose = result("k1", {"x": 30, "y": 30, "width": 0.5, "keypointlabels": ["nose"]}, "keypointlabels", "kp",
                  parentID="p", score=0.75)
    eye = result("k2", {"x": 40, "y": 35, "width": 0.5, "keypointlabels": ["eye"]}, "keypointlabels", "kp",
                 parentID="p", score=0.75)
    tasks = [{"id": 1, "data": {"image": "a.png"}, "predictions": [{"model_version": "m1",
                                                                      "result": [person, nose, eye]}]}]
    folder = make(tmp_path, tasks, POSE_CONFIG, size=(800, 600))
    before, after = _round_trip(folder, fmt, POSE_CONFIG)
    _same(before, after)
    keypoints = [r for r in after if r["shape"]["kind"] == "keypoint"]
    assert sorted(r["labels"][0] for r in keypoints) == ["eye", "nose"]


def test_usage_errors_exit_codes(tmp_path):
    folder = _project(tmp_path)
    done = lsview("import", "yolo", folder / "nowhere", "--config", folder / "config.xml", "--out", folder / "o.json",
                  "--model-version", "m1")
    assert done.returncode == 2 and "not a folder" in done.stderr
    assert not (folder / "o.json").exists()

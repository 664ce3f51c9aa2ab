"""`lsview export --format coco|yolo... --out DIR`: the summary printed, usage errors, and YOLO labels that land
where `lsview inspect` puts the regions (within 0.5 px) on a wide image with EXIF rotation."""

from __future__ import annotations

import json
import random

from tests.cli.test_cli import lsview
from tests.core.export_training_helpers import box, make, result
from viewer.core.export.training.pixels import clip_polygon


def _project(tmp_path):
    rng = random.Random(4)
    results = []
    for number in range(12):
        x, y = rng.uniform(-5, 80), rng.uniform(-5, 80)
        results.append(box(f"r{number}", rng.choice(["alpha", "beta", "zeta"]), x, y, rng.uniform(2, 30),
                           rng.uniform(2, 30), rotation=rng.choice([0, 17, 90, 200, 333])))
    results.append(result("p", {"points": [[10, 10], [60, 15], [40, 70], [5, 50]], "closed": True}, "polygon",
                          "poly"))
    results.append(result("p", {"points": [[10, 10], [60, 15], [40, 70], [5, 50]], "labels": ["car"]}, "labels",
                          "lab"))
    tasks = [{"id": 1, "data": {"image": "a.png"}, "annotations": [{"id": 5, "result": results}],
              "predictions": [{"model_version": "m1", "result": results[:2]},
                              {"model_version": "m2", "result": results[:1]}]}]
    return make(tmp_path, tasks, size=(1200, 500), orientation=8)


def _reaches_in(shape, width, height):
    points = shape.get("corners") or shape.get("points")
    xs = [min(max(x, 0), width) for x, _ in points]
    ys = [min(max(y, 0), height) for _, y in points]
    return max(xs) > min(xs) and max(ys) > min(ys)


def _in_image(points, width, height):
    return all(0 <= x <= width and 0 <= y <= height for x, y in points)


def test_yolo_labels_reprojected_match_inspect(tmp_path):
    folder = _project(tmp_path)
    args = (str(folder / "tasks.json"), "--config", str(folder / "config.xml"), "--session", str(folder / "s.db"))
    shown = [json.loads(line) for line in lsview("inspect", *args[:3]).stdout.splitlines()]
    regions = [r for r in shown if r.get("source") == "annotation"]
    width, height = regions[0]["image_size"]
    assert (width, height) == (500, 1200)  # orientation 8 turns the 1200 x 500 file
    for fmt in ("yolo", "yolo-seg", "yolo-obb"):
        done = lsview("export", *args, "--format", fmt, "--out", str(folder / fmt))
        assert done.returncode == 0, done.stderr
        lines = (folder / fmt / "labels" / "a.txt").read_text().splitlines()
        by_region = [r for r in regions if (fmt != "yolo-obb" or r["shape"]["kind"] == "rectangle")
                     and _reaches_in(r["shape"], width, height)]
        assert len(lines) == len(by_region)
        for line, region in zip(lines, by_region):
            values = [float(v) for v in line.split()[1:]]
            points = [(x * width, y * height) for x, y in zip(values[0::2], values[1::2])]
            shape = region["shape"]
            expected = shape.get("corners") or shape.get("points")
            if fmt == "yolo":
                xs, ys = [p[0] for p in expected], [p[1] for p in expected]
                cx, cy, w, h = values[0] * width, values[1] * height, values[2] * width, values[3] * height
                box_seen = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                clamp = (max(min(xs), 0), max(min(ys), 0), min(max(xs), width), min(max(ys), height))
                assert all(abs(a - b) < 0.5 for a, b in zip(box_seen, clamp)), (line, region["id"])
            else:
                if _in_image(expected, width, height):
                    assert all(abs(a - b) < 0.5 for p, q in zip(points, expected) for a, b in zip(p, q)), region["id"]
                else:   # yolo-seg: the part inside (edges keep their slopes); yolo-obb: four corners, each clamped
                    inside = (clip_polygon(expected, width, height) if fmt == "yolo-seg" else
                              [(min(max(x, 0), width), min(max(y, 0), height)) for x, y in expected])
                    assert _in_image(points, width, height) and len(points) == len(inside)
                    assert all(abs(a - b) < 0.5 for p, q in zip(points, inside) for a, b in zip(p, q)), region["id"]


def test_the_summary_and_usage_errors(tmp_path):
    folder = _project(tmp_path)
    args = (str(folder / "tasks.json"), "--config", str(folder / "config.xml"), "--session", str(folder / "s.db"))
    done = lsview("export", *args, "--format", "coco", "--out", str(folder / "c"))
    assert done.returncode == 0 and done.stdout.startswith(f"wrote coco of 1 task(s), 1 image(s) to {folder / 'c'}")
    assert "  car: 1\n" in done.stdout and "were clamped to it" in done.stdout
    done = lsview("export", *args, "--format", "coco", "--source", "predictions", "--out", str(folder / "p"))
    assert done.returncode == 1 and "2 model versions: 'm1' (1), 'm2' (1)" in done.stderr
    assert not (folder / "p").exists()
    done = lsview("export", *args, "--format", "yolo", "--source", "predictions", "--model-version", "m1",
                  "--with-scores", "--copy-images", "--out", str(folder / "p"))
    assert done.returncode == 0 and (folder / "p" / "images" / "a.png").exists()
    done = lsview("export", *args, "--format", "yolo", "--model-version", "m1", "--out", str(folder / "q"))
    assert done.returncode == 2 and "need --source predictions" in done.stderr
    done = lsview("export", *args, "--format", "yolo", "--only-reviewed", "--out", str(folder / "q"))
    assert done.returncode == 2 and "are for ls-json" in done.stderr
    done = lsview("export", *args, "--format", "pascal", "--out", str(folder / "q"))
    assert done.returncode == 2 and "invalid choice: 'pascal'" in done.stderr
    done = lsview("export", *args, "--format", "yolo", "--out", str(folder / "c"))
    assert done.returncode == 1 and "not empty" in done.stderr

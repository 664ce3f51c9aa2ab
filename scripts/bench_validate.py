"""Benchmark: `lsview validate` and `lsview inspect` on a generated 10,000-task file with 20 regions a task.

Prints a table (or --json). The issue's target is under 5 s for each command, end to end.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image">
    <Label value="Car" background="#ff0000"/><Label value="Person"/><Label value="Sign"/>
  </RectangleLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Road"/><Label value="Sky"/></PolygonLabels>
  <KeyPointLabels name="kp" toName="image"><Label value="Nose"/></KeyPointLabels>
  <Labels name="label" toName="image"><Label value="Text"/></Labels>
  <Rectangle name="bbox" toName="image"/>
  <TextArea name="transcription" toName="image" perRegion="true"/>
  <Choices name="scene" toName="image"><Choice value="Day"/><Choice value="Night"/></Choices>
</View>
"""


def region(rng: random.Random, n: int) -> list[dict]:
    rid = f"r{n}"
    x, y = rng.uniform(0, 80), rng.uniform(0, 80)
    kind = n % 4
    if kind == 0:
        return [{"id": rid, "from_name": "box", "to_name": "image", "type": "rectanglelabels", "score": rng.random(),
                 "value": {"x": x, "y": y, "width": 10, "height": 10, "rotation": rng.choice([0, 15]),
                           "rectanglelabels": [rng.choice(["Car", "Person", "Sign", "Truck"])]}}]
    if kind == 1:
        points = [[x + 5 * rng.random(), y + 5 * rng.random()] for _ in range(8)]
        return [{"id": rid, "from_name": "poly", "to_name": "image", "type": "polygonlabels",
                 "value": {"points": points, "closed": True, "polygonlabels": ["Road"]}}]
    if kind == 2:
        return [{"id": rid, "from_name": "kp", "to_name": "image", "type": "keypointlabels",
                 "value": {"x": x, "y": y, "width": 0.5, "keypointlabels": ["Nose"]}}]
    geom = {"x": x, "y": y, "width": 10, "height": 5, "rotation": 0}
    return [{"id": rid, "from_name": "bbox", "to_name": "image", "type": "rectangle", "value": dict(geom)},
            {"id": rid, "from_name": "label", "to_name": "image", "type": "labels",
             "value": {**geom, "labels": ["Text"]}},
            {"id": rid, "from_name": "transcription", "to_name": "image", "type": "textarea",
             "value": {**geom, "text": ["TOTAL 12.50"]}}]


def make_project(folder: Path, tasks: int, regions: int, images: int) -> Path:
    rng = random.Random(1)
    (folder / "img").mkdir()
    for i in range(images):
        Image.new("RGB", (640 + i, 480), (i % 255, 90, 120)).save(folder / "img" / f"{i}.png")
    items = []
    for t in range(tasks):
        result = [r for n in range(regions) for r in region(rng, n)]
        result.append({"from_name": "scene", "to_name": "image", "type": "choices", "value": {"choices": ["Day"]}})
        items.append({"id": t, "data": {"image": f"img/{t % images}.png"},
                      "predictions": [{"model_version": "v1", "score": 0.8, "result": result}]})
    (folder / "config.xml").write_text(CONFIG, encoding="utf-8")
    path = folder / "tasks.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def timed(command: list[str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    return elapsed, done.returncode, done.stdout.count("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks = make_project(folder, args.tasks, args.regions, args.images)
        size_mb = tasks.stat().st_size / 2**20
        base = [sys.executable, "-m", "viewer"]
        config = ["--config", str(folder / "config.xml")]
        for name, command in [
            ("validate", base + ["validate", str(tasks)] + config),
            ("validate --json", base + ["validate", str(tasks), "--json"] + config),
            ("inspect", base + ["inspect", str(tasks)] + config),
            ("inspect (inferred config)", base + ["inspect", str(tasks)]),
        ]:
            elapsed, code, lines = timed(command)
            rows.append({"command": name, "seconds": round(elapsed, 3), "exit": code, "output_lines": lines})
    if args.json:
        print(json.dumps({"tasks": args.tasks, "regions_per_task": args.regions, "file_mb": round(size_mb, 1),
                          "rows": rows}))
        return
    print(f"{args.tasks} tasks x {args.regions} regions, task file {size_mb:.1f} MB, {args.images} images")
    print(f"{'command':<28} {'seconds':>8} {'exit':>5} {'lines':>8}")
    for row in rows:
        print(f"{row['command']:<28} {row['seconds']:>8.3f} {row['exit']:>5} {row['output_lines']:>8}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

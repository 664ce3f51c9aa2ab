"""Benchmark of the training exports: N tasks x R regions (rectangles, a third rotated, and polygons) to coco and
yolo with lsview, and the same tasks through label-studio-sdk's converter when it is installed (it is not a
dependency: without it the row says so). Each task has its own image file (hard links of one 1000 x 500 PNG), so
the image sizes are read from files as in real use. Prints a table (or --json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.bench_outputs import timed  # noqa: E402  (wall and CPU seconds: the machine may be shared)
from viewer.core.export.training import training_formats  # noqa: E402
from viewer.core.export.training.options import TrainingOptions  # noqa: E402
from viewer.core.export.training.run import export_training  # noqa: E402
from viewer.core.project import open_project  # noqa: E402
from viewer.core.review.session import ReviewSession  # noqa: E402

CONFIG = """<View><Image name="image" value="$image"/>
<RectangleLabels name="box" toName="image"><Label value="car"/><Label value="person"/><Label value="bike"/>
</RectangleLabels>
<PolygonLabels name="poly" toName="image"><Label value="road"/></PolygonLabels></View>"""


def make_project(folder: Path, tasks: int, regions: int) -> Path:
    rng = random.Random(15)
    (folder / "img").mkdir()
    first = folder / "img" / "0.png"
    Image.new("RGB", (1000, 500), (40, 50, 60)).save(first)
    items = []
    for t in range(tasks):
        if t:
            os.link(first, folder / "img" / f"{t}.png")
        results = []
        for r in range(regions):
            base = {"id": f"t{t}r{r}", "to_name": "image", "original_width": 1000, "original_height": 500}
            if r % 4 == 3:
                x, y = rng.uniform(5, 80), rng.uniform(5, 80)
                points = [[x, y], [x + 10, y], [x + 12, y + 9], [x + 2, y + 12]]
                results.append({**base, "from_name": "poly", "type": "polygonlabels",
                                "value": {"points": points, "polygonlabels": ["road"]}})
            else:
                results.append({**base, "from_name": "box", "type": "rectanglelabels", "value": {
                    "x": rng.uniform(0, 80), "y": rng.uniform(0, 80), "width": rng.uniform(2, 20),
                    "height": rng.uniform(2, 20), "rotation": rng.choice([0, 0, 30]),
                    "rectanglelabels": [rng.choice(["car", "person", "bike"])]}})
        items.append({"id": t + 1, "data": {"image": f"img/{t}.png"}, "annotations": [
            {"id": t + 1, "updated_at": "2026-01-01T00:00:00Z", "created_at": "2026-01-01T00:00:00Z",
             "result": results}]})
    (folder / "config.xml").write_text(CONFIG, encoding="utf-8")
    path = folder / "tasks.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def lsview_export(folder: Path, tasks_path: Path, fmt: str) -> tuple[float, float]:
    def run():
        project = open_project(tasks_path, folder / "config.xml", offline=True)
        session = ReviewSession.open(project, folder / "bench.lsview.sqlite")
        try:
            return export_training(session, folder / f"out-{fmt}", training_formats()[fmt],
                                   TrainingOptions(source="annotations"))
        finally:
            session.close()

    seconds, _summary = timed(run)
    return seconds


SDK_RUN = """
import json, sys, time
from label_studio_sdk.converter import Converter
config, folder, tasks, out, fmt = sys.argv[1:6]
converter = Converter(config=open(config).read(), project_dir=folder, download_resources=False)
convert = {"coco": converter.convert_to_coco, "yolo": converter.convert_to_yolo}[fmt]
start, cpu = time.perf_counter(), time.process_time()
convert(tasks, out, is_dir=False)
print(json.dumps([time.perf_counter() - start, time.process_time() - cpu]))
"""


def sdk_export(folder: Path, tasks_path: Path, fmt: str, python: str | None) -> tuple[float, float] | str:
    """The converter's own time (its imports not counted), in this interpreter when it has label-studio-sdk,
    else in `python` (another virtualenv's) when given."""
    if python is None:
        try:
            import label_studio_sdk.converter  # noqa: F401
        except ImportError:
            return "label-studio-sdk not installed (pip install label-studio-sdk, or --sdk-python PATH)"
        python = sys.executable
    done = subprocess.run([python, "-c", SDK_RUN, str(folder / "config.xml"), str(folder), str(tasks_path),
                           str(folder / f"sdk-{fmt}"), fmt], capture_output=True, text=True)
    if done.returncode:
        return f"label-studio-sdk failed: {done.stderr.strip().splitlines()[-1:]}"
    wall, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--sdk-python", metavar="PATH", help="a Python with label-studio-sdk installed, when this "
                        "one has not")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks_path = make_project(folder, args.tasks, args.regions)
        for fmt in ("coco", "yolo"):
            rows.append({"format": fmt, "lsview_s": lsview_export(folder, tasks_path, fmt),
                         "label_studio_sdk_s": sdk_export(folder, tasks_path, fmt, args.sdk_python)})
    if args.json:
        print(json.dumps({"tasks": args.tasks, "regions": args.regions, "rows": rows}))
        return
    print(f"{args.tasks:,} tasks x {args.regions} regions")
    print(f"{'format':<8} {'lsview wall / CPU':>20} {'label-studio-sdk wall / CPU':>30}")
    for row in rows:
        sdk = row["label_studio_sdk_s"]
        wall, cpu = row["lsview_s"]
        sdk_text = f"{sdk[0]:>8.2f}s / {sdk[1]:.2f}s" if isinstance(sdk, tuple) else sdk
        print(f"{row['format']:<8} {wall:>9.2f}s / {cpu:6.2f}s     {sdk_text}")


if __name__ == "__main__":
    main()

"""Benchmark of `lsview import`: 10,000 images' YOLO labels of 20 scored boxes each, and 1,000 1920x1080 mask PNGs
(class and instance maps of 10 instances of 3 classes each, as `lsview export --format masks` writes them) -> one
task file each.

Developer tool. Prints a table of medians over --runs runs (or --json). The images are hard links of one
1920x1080 JPEG under 10,000 names, so every size is read from a header of its own (the size cache is by path).
Timed: the whole command as a fresh process (wall and CPU time), and the core run alone in this process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONFIG = """<View><Image name="image" value="$image"/>
<RectangleLabels name="label" toName="image">{labels}</RectangleLabels></View>"""
CLASSES = [f"class{n}" for n in range(20)]


def make_data(folder: Path, images: int, boxes: int) -> None:
    import random

    from PIL import Image

    random.seed(16)
    (folder / "src" / "images").mkdir(parents=True)
    (folder / "src" / "labels").mkdir()
    first = folder / "src" / "images" / "img00000.jpg"
    Image.new("RGB", (1920, 1080), (90, 120, 150)).save(first, quality=80)
    for number in range(images):
        if number:
            os.link(first, folder / "src" / "images" / f"img{number:05d}.jpg")
        lines = []
        for _ in range(boxes):
            w, h = random.uniform(0.02, 0.3), random.uniform(0.02, 0.3)
            lines.append(f"{random.randrange(len(CLASSES))} {random.uniform(w / 2, 1 - w / 2):.6f} "
                         f"{random.uniform(h / 2, 1 - h / 2):.6f} {w:.6f} {h:.6f} {random.random():.4f}")
        (folder / "src" / "labels" / f"img{number:05d}.txt").write_text("\n".join(lines) + "\n")
    (folder / "src" / "classes.txt").write_text("\n".join(CLASSES) + "\n")
    (folder / "config.xml").write_text(CONFIG.format(labels="".join(f'<Label value="{c}"/>' for c in CLASSES)))


MASK_CONFIG = """<View><Image name="image" value="$image"/>
<BrushLabels name="paint" toName="image"><Label value="Sky"/><Label value="Road"/><Label value="Car"/></BrushLabels>
</View>"""


def make_masks(folder: Path, images: int, instances: int = 10) -> None:
    """SegmentationClass/ and SegmentationObject/ indexed PNGs, labelmap.txt, and images/ (links of one JPEG)."""
    import random

    import numpy as np
    from PIL import Image

    from viewer.core.export.training.segmentation import VOC_PALETTE

    random.seed(16)
    src = folder / "src"
    for name in ("images", "SegmentationClass", "SegmentationObject"):
        (src / name).mkdir(parents=True)
    first = src / "images" / "m00000.jpg"
    Image.new("RGB", (1920, 1080), (90, 120, 150)).save(first, quality=80)
    for number in range(images):
        if number:
            os.link(first, src / "images" / f"m{number:05d}.jpg")
        classes = np.zeros((1080, 1920), np.uint8)
        objects = np.zeros((1080, 1920), np.uint8)
        for instance in range(1, instances + 1):
            w, h = random.randint(40, 400), random.randint(40, 300)
            x, y = random.randint(0, 1920 - w), random.randint(0, 1080 - h)
            classes[y:y + h, x:x + w] = random.randint(1, 3)
            objects[y:y + h, x:x + w] = instance
        for values, where in ((classes, "SegmentationClass"), (objects, "SegmentationObject")):
            image = Image.frombytes("P", (1920, 1080), values.tobytes())
            image.putpalette(VOC_PALETTE)
            image.save(src / where / f"m{number:05d}.png", compress_level=3)
    (src / "labelmap.txt").write_text("# label:color_rgb:parts:actions\nbackground:0,0,0::\nSky:128,0,0::\n"
                                      "Road:0,128,0::\nCar:128,128,0::\n")
    (folder / "config.xml").write_text(MASK_CONFIG)


def run_command(folder: Path, fmt: str = "yolo") -> tuple[float, float]:
    """(wall, CPU) seconds of `lsview import FMT` as a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "viewer", "import", fmt, str(folder / "src"), "--config",
                           str(folder / "config.xml"), "--out", str(folder / "out.json"), "--model-version", "bench"],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(done.stderr)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_core(folder: Path, fmt: str = "yolo") -> float:
    from viewer.core import images
    from viewer.core.importing import import_format
    from viewer.core.importing.base import ImportOptions
    from viewer.core.importing.run import import_predictions

    images._SIZE_CACHE.clear()  # every run reads the headers again, as a fresh process does
    start = time.perf_counter()
    import_predictions(import_format(fmt), str(folder / "src"),
                       ImportOptions(str(folder / "config.xml"), str(folder / "core.json"), model_version="bench"))
    return time.perf_counter() - start


def bench_yolo(args) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        make_data(folder, args.images, args.boxes)
        made = time.perf_counter() - start
        command = [run_command(folder) for _ in range(args.runs)]
        core = [run_core(folder) for _ in range(args.runs)]
        size = (folder / "out.json").stat().st_size
        tasks = json.loads((folder / "out.json").read_text())
        assert len(tasks) == args.images
        assert sum(len(t["predictions"][0]["result"]) for t in tasks) == args.images * args.boxes
    return {
        "images": args.images, "boxes": args.images * args.boxes, "runs": args.runs,
        "command_wall_s": statistics.median(w for w, _ in command),
        "command_cpu_s": statistics.median(c for _, c in command),
        "core_run_s": statistics.median(core),
        "per_image_ms": statistics.median(core) / args.images * 1000,
        "output_mb": size / 1e6, "data_made_s": made,
    }


def bench_masks(args) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        make_masks(folder, args.masks)
        made = time.perf_counter() - start
        command = [run_command(folder, "masks") for _ in range(args.runs)]
        core = [run_core(folder, "masks") for _ in range(args.runs)]
        size = (folder / "out.json").stat().st_size
        tasks = json.loads((folder / "out.json").read_text())
        assert len(tasks) == args.masks
        regions = sum(len(t["predictions"][0]["result"]) for t in tasks)
    return {
        "images": args.masks, "regions": regions, "runs": args.runs,
        "command_wall_s": statistics.median(w for w, _ in command),
        "command_cpu_s": statistics.median(c for _, c in command),
        "core_run_s": statistics.median(core),
        "per_image_ms": statistics.median(core) / args.masks * 1000,
        "output_mb": size / 1e6, "data_made_s": made,
    }


def _table(title: str, figures: dict) -> None:
    print(title)
    print(f"  {'command, fresh process (wall)':<36} {figures['command_wall_s']:8.2f} s")
    print(f"  {'command, fresh process (CPU)':<36} {figures['command_cpu_s']:8.2f} s")
    print(f"  {'core run in process':<36} {figures['core_run_s']:8.2f} s")
    print(f"  {'per image (core run)':<36} {figures['per_image_ms']:8.3f} ms")
    print(f"  {'task file written':<36} {figures['output_mb']:8.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000, help="YOLO label files")
    parser.add_argument("--boxes", type=int, default=20)
    parser.add_argument("--masks", type=int, default=1_000, help="images of 1920x1080 class and instance maps")
    parser.add_argument("--only", choices=["yolo", "masks"], help="run one of the two benchmarks")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = {}
    if args.only in (None, "yolo"):
        figures["yolo"] = bench_yolo(args)
    if args.only in (None, "masks"):
        figures["masks"] = bench_masks(args)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    if "yolo" in figures:
        _table(f"lsview import yolo: {args.images:,} images x {args.boxes} boxes, median of {args.runs}",
               figures["yolo"])
    if "masks" in figures:
        _table(f"lsview import masks: {args.masks:,} images of 1920x1080 maps, {figures['masks']['regions']:,} "
               f"regions, median of {args.runs}", figures["masks"])


if __name__ == "__main__":
    main()

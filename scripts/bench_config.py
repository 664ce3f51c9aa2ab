"""Benchmark: parse a labeling config with many labels, compute their default colours, validate a task with it.

Prints a table of seconds per label count (1k, 10k, 100k; --huge adds 1.6M). Issue 11's target: well under
two seconds for 100,000 labels. `validate` runs the real command in a subprocess, end to end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from viewer.core import colors
from viewer.core.config import parse_config

ROOT = Path(__file__).resolve().parents[1]


def make_config(count: int) -> str:
    labels = "".join(f'<Label value="label_{i}"/>' for i in range(count))
    return (f'<View><Image name="image" value="$image"/>'
            f'<RectangleLabels name="box" toName="image">{labels}</RectangleLabels></View>')


def make_tasks(folder: Path) -> Path:
    result = {"id": "r1", "from_name": "box", "to_name": "image", "type": "rectanglelabels",
              "original_width": 100, "original_height": 100,
              "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["label_0"]}}
    path = folder / "tasks.json"
    path.write_text(json.dumps([{"id": 1, "data": {"image": "missing.png"}, "predictions": [{"result": [result]}]}]))
    return path


def time_colours(values: list[str]) -> float:
    # Older trees have only the one-at-a-time function; the table then shows what it costs.
    batch = getattr(colors, "default_label_colors", None)
    start = time.perf_counter()
    if batch is not None:
        batch(values)
    else:
        for value in values:
            colors.default_label_color(value)
    return time.perf_counter() - start


def measure(count: int, folder: Path, tasks: Path) -> dict:
    text = make_config(count)
    config_path = folder / f"config_{count}.xml"
    config_path.write_text(text)
    start = time.perf_counter()
    parse_config(text)
    parse = time.perf_counter() - start
    colours = time_colours([f"label_{i}" for i in range(count)])
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "viewer", "validate", "--offline", "--config", str(config_path),
                    str(tasks)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    validate = time.perf_counter() - start
    return {"labels": count, "parse_s": round(parse, 3), "colours_s": round(colours, 3),
            "validate_s": round(validate, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="also run 1,600,000 labels (takes minutes before issue 11)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    counts = [1_000, 10_000, 100_000] + ([1_600_000] if args.huge else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks = make_tasks(folder)
        rows = [measure(count, folder, tasks) for count in counts]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'labels':>10}  {'parse s':>8}  {'colours s':>9}  {'validate s':>10}")
    for row in rows:
        print(f"{row['labels']:>10,}  {row['parse_s']:>8.3f}  {row['colours_s']:>9.3f}  {row['validate_s']:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time viewer.core.rle decode and encode on 1920x1080 brush masks, next to the converter's timings (FORMAT.md 2.5).

Usage: python scripts/bench_rle.py [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core import rle

ANCHOR = ROOT / "tests" / "data" / "vectors" / "rle_1920x1080_perf_anchor.json"
WIDTH, HEIGHT = 1920, 1080
SEED = 20240601


def blobs(fill: float, rng: np.random.Generator) -> np.ndarray:
    """Irregular blobs: a coarse random field, bilinearly enlarged, cut at the level that covers `fill`."""
    coarse = rng.random((HEIGHT // 48 + 2, WIDTH // 48 + 2))
    ys = np.linspace(0, coarse.shape[0] - 1, HEIGHT)
    xs = np.linspace(0, coarse.shape[1] - 1, WIDTH)
    y0 = np.minimum(ys.astype(int), coarse.shape[0] - 2)
    x0 = np.minimum(xs.astype(int), coarse.shape[1] - 2)
    fy, fx = (ys - y0)[:, None], xs - x0
    upper = coarse[y0][:, x0] * (1 - fx) + coarse[y0][:, x0 + 1] * fx
    lower = coarse[y0 + 1][:, x0] * (1 - fx) + coarse[y0 + 1][:, x0 + 1] * fx
    field = upper * (1 - fy) + lower * fy
    return np.where(field > np.quantile(field, 1 - fill), 255, 0).astype(np.uint8)


def cases() -> list[tuple[str, list[int], np.ndarray, float | None]]:
    """(name, rle list, mask, converter decode seconds from the vector file or None)."""
    anchor = json.loads(ANCHOR.read_text(encoding="utf-8"))
    measured = anchor["timing"]["other_1920x1080_masks_measured_same_machine"]
    rng = np.random.default_rng(SEED)
    masks = [
        ("empty", np.zeros((HEIGHT, WIDTH), np.uint8), measured["empty"]["decode_s"]),
        ("full", np.full((HEIGHT, WIDTH), 255, np.uint8), measured["full"]["decode_s"]),
        ("blobs 37%", blobs(0.37, rng), measured["irregular_blobs_37pct_fill"]["decode_s"]),
        ("noise 50%", np.where(rng.random((HEIGHT, WIDTH)) < 0.5, 255, 0).astype(np.uint8),
         measured["pixel_noise_50pct_fill_worst_case"]["decode_s"]),
    ]
    anchor_case = ("perf anchor (vector)", anchor["rle"], rle.decode(anchor["rle"], WIDTH, HEIGHT),
                   min(anchor["timing"]["converter_decode_rle_seconds"]))
    return [anchor_case] + [(name, rle.encode(mask), mask, reference) for name, mask, reference in masks]


def best_ms(repeat: int, function, *args) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per timing; the best is reported")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    rows = []
    for name, data, mask, reference_s in cases():
        if not np.array_equal(rle.decode(data, WIDTH, HEIGHT), mask):
            raise SystemExit(f"{name}: decode does not give the mask back")
        rows.append({
            "case": name,
            "rle_bytes": len(data),
            "decode_ms": round(best_ms(args.repeat, rle.decode, data, WIDTH, HEIGHT), 2),
            "encode_ms": round(best_ms(args.repeat, rle.encode, mask), 2),
            "converter_decode_ms": None if reference_s is None else round(reference_s * 1000, 1),
        })

    if args.json:
        print(json.dumps({"repeat": args.repeat, "numpy": np.__version__, "cases": rows}, indent=2))
        return 0
    print(f"1920x1080 masks, best of {args.repeat} (numpy {np.__version__}); converter column from FORMAT.md 2.5")
    print(f"{'case':<22} {'rle bytes':>10} {'decode ms':>10} {'encode ms':>10} {'converter decode ms':>20}")
    for row in rows:
        print(f"{row['case']:<22} {row['rle_bytes']:>10,} {row['decode_ms']:>10.2f} {row['encode_ms']:>10.2f} "
              f"{row['converter_decode_ms']:>20,.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

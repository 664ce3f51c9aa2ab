"""Fuzz `lsview validate` and `lsview inspect` with mutated real task shapes, in this process (issue 11).

Each file is one or two tasks of a seed (the bundled demo, tests/data/fuzz/seeds) with hostile edits (see
tests/fuzzing.py). Prints a table: files tried, internal errors per place, outputs that are not strict JSON.
Failing inputs are kept under --keep (default: a temporary folder) to become regression cases in tests/data/fuzz.

    python scripts/fuzz_tasks.py --count 10000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import fuzzing  # noqa: E402 - after the path is set


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="mutated files to try (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed tries the same files")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--big-mb", type=float, default=0.02,
                        help="longest big string in MB (default 0.02; the issue's 50 MB case: --big-mb 50)")
    parser.add_argument("--review", action="store_true", help="also run accept, report and export on each file "
                        "(the review session, statistics and export code; about three times slower)")
    parser.add_argument("--keep", metavar="DIR", help="copy failing task files (and their config) here")
    parser.add_argument("--shrink", metavar="DIR", help="instead of fuzzing: shrink the failing files kept in DIR "
                        "(by --keep) to small ones that fail the same way, written to DIR/shrunk")
    args = parser.parse_args()
    if args.shrink:
        return shrink_kept(Path(args.shrink))

    rng = random.Random(args.seed)
    seeds = fuzzing.seeds()
    big = max(1, int(args.big_mb * 1_000_000))
    places: Counter[str] = Counter()
    non_strict: Counter[str] = Counter()
    failing_files = strict_files = 0
    examples: dict[str, str] = {}
    keep = Path(args.keep) if args.keep else None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lsview-fuzz-") as scratch:
        folders = {}
        for number in range(args.count):
            seed = rng.choice(seeds)
            folder = folders.setdefault(seed.media, Path(scratch) / f"media{len(folders)}")
            folder.mkdir(exist_ok=True)
            tasks = fuzzing.make_case(rng, seed, big)
            path = fuzzing.write_case(folder, f"case{number}", tasks, rng, seed)
            outcome = fuzzing.check_file(path, seed.config, args.review)
            for place in outcome.internal:
                places[place] += 1
                examples.setdefault(place, f"case{number}")
            for problem in outcome.non_strict:
                non_strict[problem.split(":")[0]] += 1
            failing_files += bool(outcome.internal)
            strict_files += bool(outcome.non_strict)
            if keep is not None and (outcome.internal or outcome.non_strict):
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, keep / path.name)
                (keep / f"{path.stem}.config").write_text(str(seed.config.relative_to(ROOT)) + "\n")
                (keep / f"{path.stem}.why").write_text("\n".join(outcome.internal + outcome.non_strict) + "\n")
            for made in folder.glob(f"{path.stem}.*"):
                made.unlink()
    seconds = time.perf_counter() - started
    report = {"files": args.count, "seed": args.seed, "seconds": round(seconds, 1),
              "files_with_internal_errors": failing_files, "internal_errors": sum(places.values()),
              "places": dict(places.most_common()), "examples": examples,
              "files_with_non_strict_json": strict_files, "non_strict_json": dict(non_strict)}
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"files tried: {args.count} (seed {args.seed}, {seconds:.0f} s)")
        print(f"files with internal errors: {failing_files}; internal errors: {report['internal_errors']}")
        for place, count in places.most_common():
            print(f"  {count:6}  {place}  (e.g. {examples[place]})")
        print(f"files with non-strict JSON output: {strict_files}")
        for what, count in non_strict.most_common():
            print(f"  {count:6}  {what}")
    return 1 if failing_files or strict_files else 0


def shrink_kept(folder: Path) -> int:
    """Shrink every kept case of `folder` that still fails with this code; print what each became."""
    out = folder / "shrunk"
    out.mkdir(exist_ok=True)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)  # to read and copy cases nested 1,000 deep (the commands under test do neither)
    with tempfile.TemporaryDirectory(prefix="lsview-shrink-") as scratch:
        work = Path(scratch)
        (work / "images").symlink_to(fuzzing.DEMO / "images", target_is_directory=True)
        for path in sorted(folder.glob("case*.json"), key=lambda p: int(p.stem[4:])):
            config = ROOT / (folder / f"{path.stem}.config").read_text().strip()
            blob = path.read_bytes()
            try:
                tasks = fuzzing.decode(blob)
            except (ValueError, RecursionError):
                print(f"{path.name}: kept whole (not readable as JSON here)")
                continue
            ascii_only = blob.isascii()
            why = (folder / f"{path.stem}.why").read_text()
            review = any(f"{command}:" in why for command in ("accept", "report", "export"))
            candidate_path = work / "candidate.json"

            def fails(candidate, target=None) -> set[str]:
                for made in work.glob("candidate.*"):  # a session left by the last try would change this one
                    made.unlink()
                candidate_path.write_bytes(fuzzing.encode(candidate, ascii_only=ascii_only))
                sys.setrecursionlimit(limit)  # the commands run with the limit a user's process has
                try:
                    return fuzzing.signature(fuzzing.check_file(candidate_path, config, review))
                finally:
                    sys.setrecursionlimit(20_000)

            found = fails(tasks)
            if not found:
                print(f"{path.name}: no longer fails")
                continue
            target = sorted(found)[0]
            try:
                small = fuzzing.shrink(tasks, lambda candidate: target in fails(candidate))
            except RecursionError:  # nested too deeply for copying: small enough as it is (a few KB)
                small = tasks
                shutil.copy(path, out / path.name)
            if small is not tasks:
                (out / path.name).write_bytes(fuzzing.encode(small, ascii_only=ascii_only))
            (out / f"{path.stem}.config").write_text(str(config.relative_to(ROOT)) + "\n")
            (out / f"{path.stem}.why").write_text(target + "\n" + ("review\n" if review else ""))
            print(f"{path.name}: {len(blob)} -> {(out / path.name).stat().st_size} bytes; {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

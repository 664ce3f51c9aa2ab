"""Fuzz the window and `lsview render` with mutated real task shapes, in this process (issue 11).

Each case (tests/fuzzing.py's mutations of the bundled demo and other seeds) is opened in a MainWindow (offscreen):
every task shown, every region selected, every page turned, the canvas painted; then rendered to PNG. Prints a
table: cases tried, tasks shown, exceptions that reached Qt and render's internal errors, by place.

    python scripts/fuzz_window.py --count 500 --seed 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests import fuzzing, window_fuzz  # noqa: E402 - after the path is set


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="mutated files to try (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed tries the same files")
    parser.add_argument("--no-render", action="store_true", help="the window only")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 - the window needs one
    warnings: Counter[str] = Counter()
    # the offscreen plugin's own notes (pyproject's qt_log_ignore) are not about lsview
    ignored = ("This plugin does not support propagateSizeHints", "This plugin does not support raise")
    qInstallMessageHandler(lambda _kind, _context, text: None if text.startswith(ignored)
                           else warnings.update([text[:100]]))
    rng = random.Random(args.seed)
    seeds = fuzzing.seeds()
    places: Counter[str] = Counter()
    examples: dict[str, str] = {}
    shown = failing = 0
    started = time.monotonic()
    for number in range(args.count):
        seed = rng.choice(seeds)
        tasks = fuzzing.make_case(rng, seed, big=2_000)
        outcome = window_fuzz.check_case(tasks, seed.config, seed.media, rng, render=not args.no_render)
        shown += outcome.tasks_shown
        found = outcome.window + outcome.render
        failing += bool(found)
        for place in found:
            places[place] += 1
            examples.setdefault(place, f"case {number} of seed {args.seed} ({seed.name})")
    seconds = time.monotonic() - started
    if args.json:
        print(json.dumps({"cases": args.count, "seed": args.seed, "tasks_shown": shown, "failing_cases": failing,
                          "escapes": dict(places), "qt_messages": dict(warnings), "seconds": round(seconds, 1)}))
        return 1 if failing else 0
    print(f"{'cases':<28} {args.count:>8}")
    print(f"{'tasks shown':<28} {shown:>8}")
    print(f"{'cases with an escape':<28} {failing:>8}")
    print(f"{'seconds':<28} {seconds:>8.1f}")
    for place, count in places.most_common():
        print(f"  {count:>6}  {place}   (first: {examples[place]})")
    print(f"{'Qt messages':<28} {sum(warnings.values()):>8}")
    for text, count in warnings.most_common(10):
        print(f"  {count:>6}  {text}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())

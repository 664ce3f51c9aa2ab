"""Benchmark of review work: accept a region and move on, one saved decision, export of 10,000 reviewed tasks.

Prints a table (or --json). Targets (issue 5): accept + next under 30 ms, one decision's transaction under
5 ms, export of 10,000 reviewed tasks under 5 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_validate import make_project  # noqa: E402  (a sibling script: the same generated project)

from viewer.core.export.ls_json import write_ls_json  # noqa: E402
from viewer.core.project import open_project  # noqa: E402
from viewer.core.review.session import ReviewSession  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks_path = make_project(folder, args.tasks, 20, 50)
        project = open_project(tasks_path, folder / "config.xml")
        session = ReviewSession.open(project)

        accept_ms = []
        for i in range(args.actions):
            task = project.tasks[i % 50]
            start = time.perf_counter()
            region = session.next_undecided(task)
            if region is not None:
                session.accept(task, [region])
            session.next_undecided(task)
            accept_ms.append((time.perf_counter() - start) * 1000)
        rows.append(("accept region + next undecided", statistics.median(accept_ms), max(accept_ms), "ms"))

        save_ms = []
        record = session.record(project.tasks[0])
        for _ in range(args.actions):
            start = time.perf_counter()
            session.store.save([record])
            save_ms.append((time.perf_counter() - start) * 1000)
        rows.append(("save one decision (one transaction)", statistics.median(save_ms), max(save_ms), "ms"))

        start = time.perf_counter()
        session.accept_above(project.tasks, 0.0)
        rows.append(("accept all regions of all tasks", time.perf_counter() - start, None, "s"))

        start = time.perf_counter()
        summary = write_ls_json(session, folder / "export.json")
        rows.append((f"export {summary.tasks} reviewed tasks (ls-json)", time.perf_counter() - start, None, "s"))
        session.close()
    if args.json:
        print(json.dumps([{"case": c, "median": m, "max": x, "unit": u} for c, m, x, u in rows]))
        return
    print(f"{'case':<40} {'median':>9} {'max':>9}")
    for case, median, worst, unit in rows:
        worst_text = f"{worst:9.2f}" if worst is not None else " " * 9
        print(f"{case:<40} {median:9.2f} {worst_text} {unit}")


if __name__ == "__main__":
    main()

"""Benchmark of `lsview pull` against a running Label Studio: a project of N tasks (default 10,000), each with one
3-region prediction, is made through the REST API, then pulled each way: pages of /api/tasks/ (two page sizes), the
export snapshot, and the `auto` choice the command makes. Developer tool.

Prints a table (or --json): seconds and HTTP requests per pull, and tasks per second. The tasks' images are local
paths, so no media is fetched: this measures the task transfer. The project is deleted afterwards unless --keep.
Needs LSVIEW_TEST_LS_URL and LSVIEW_TEST_LS_PAT (or --url/--token), as `source /work/lsw/env.sh` sets them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core.server.client import LabelStudio  # noqa: E402
from viewer.core.server.pull import pull_project  # noqa: E402

CONFIG = ('<View><Image name="image" value="$image"/><RectangleLabels name="label" toName="image">'
          '<Label value="Car"/><Label value="Person"/></RectangleLabels></View>')
IMPORT_BATCH = 2500


def _task(n: int) -> dict:
    regions = [{"id": f"r{n}_{k}", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
                "original_width": 640, "original_height": 480, "score": 0.5 + k / 10,
                "value": {"x": 10 * k + 5, "y": 20, "width": 8, "height": 12, "rotation": 0,
                          "rectanglelabels": ["Car" if k % 2 else "Person"]}} for k in range(3)]
    return {"data": {"image": f"images/{n:06d}.jpg"}, "meta": {"n": n},
            "predictions": [{"model_version": "bench", "score": 0.7, "result": regions}]}


def make_project(client: LabelStudio, count: int) -> int:
    project = client.http.post_json("/api/projects/", {"title": f"bench pull {count}", "label_config": CONFIG})
    for start in range(0, count, IMPORT_BATCH):
        client.http.post_json(f"/api/projects/{project['id']}/import",
                              [_task(n) for n in range(start, min(count, start + IMPORT_BATCH))],
                              {"commit_to_project": "true"})
    return project["id"]


def measure(client: LabelStudio, project_id: int, label: str, run) -> dict:
    before = client.http.requests
    started = time.perf_counter()
    tasks = run()
    seconds = time.perf_counter() - started
    return {"how": label, "tasks": tasks, "seconds": round(seconds, 2), "requests": client.http.requests - before,
            "tasks_per_s": round(tasks / seconds) if seconds else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("LSVIEW_TEST_LS_URL"))
    parser.add_argument("--token", default=os.environ.get("LSVIEW_TEST_LS_PAT"))
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--project", type=int, help="pull this existing project instead of making one")
    parser.add_argument("--keep", action="store_true", help="leave the made project on the server")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.url or not args.token:
        parser.error("give --url and --token (or source /work/lsw/env.sh)")
    rows = []
    with LabelStudio(args.url, args.token, deadline=900) as client:
        started = time.perf_counter()
        project_id = args.project or make_project(client, args.tasks)
        made_s = time.perf_counter() - started
        try:
            for size in (100, 1000):
                rows.append(measure(client, project_id, f"pages of {size}", lambda size=size: len(
                    client.tasks(project_id, method="pages", page_size=size))))
            rows.append(measure(client, project_id, "export snapshot",
                                lambda: len(client.tasks(project_id, method="export"))))
            with tempfile.TemporaryDirectory() as folder:
                def pull() -> int:
                    result = pull_project(client, project_id, Path(folder) / "pulled", cache_dir=Path(folder) / "c")
                    return result.tasks
                rows.append(measure(client, project_id, "lsview pull (auto, files written)", pull))
                rows[-1]["how"] += f": {client.method}"
        finally:
            if not args.project and not args.keep:
                client.http.delete(f"/api/projects/{project_id}/")
    if args.json:
        print(json.dumps({"project_made_s": round(made_s, 1), "rows": rows}, indent=1))
        return 0
    if not args.project:
        print(f"made a project of {args.tasks:,} tasks (1 prediction of 3 regions each) in {made_s:.1f} s")
    print(f"{'pull':<44} {'tasks':>7} {'seconds':>8} {'requests':>9} {'tasks/s':>8}")
    for row in rows:
        print(f"{row['how']:<44} {row['tasks']:>7,} {row['seconds']:>8.2f} {row['requests']:>9,} "
              f"{row['tasks_per_s'] or 0:>8,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the output guard (core/outputs.py) against the export it protects, on one generated project.

Every task names its own image (the worst case: one stat per distinct reference); a third of the images exist,
references alternate plain paths, /data/local-files/?d= and /data/upload/ URLs. Prints a table (or --json).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core.export.ls_json import write_ls_json  # noqa: E402
from viewer.core.outputs import InputFiles  # noqa: E402
from viewer.core.project import open_project  # noqa: E402
from viewer.core.review.session import ReviewSession  # noqa: E402

CONFIG = """<View><Image name="image" value="$image"/>
<RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels></View>"""


def make_project(folder: Path, tasks: int) -> Path:
    (folder / "img").mkdir()
    refs = []
    for t in range(tasks):
        if t % 3 == 0:
            (folder / "img" / f"{t}.png").write_bytes(b"")
        refs.append([f"img/{t}.png", f"/data/local-files/?d=img/{t}.png", f"/data/upload/1/img/{t}.png"][t % 3])
    items = [{"id": t, "data": {"image": ref}, "predictions": [{"model_version": "v1", "result": [
        {"id": "r1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 640,
         "original_height": 480, "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rectanglelabels": ["Car"]}}]}]}
        for t, ref in enumerate(refs)]
    (folder / "config.xml").write_text(CONFIG, encoding="utf-8")
    path = folder / "tasks.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def timed(function) -> tuple[tuple[float, float], object]:
    """((wall seconds, CPU seconds of this process: the export's workers not counted), the function's value)"""
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    return (time.perf_counter() - start, time.process_time() - cpu), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks_path = make_project(folder, args.tasks)
        project = open_project(tasks_path, folder / "config.xml", offline=True)
        session = ReviewSession.open(project)
        out = folder / "export.json"
        seconds, inputs = timed(lambda: InputFiles.of_project(project, session.store.path))
        rows.append(("inputs named (task file, config, session)", seconds))
        rows.append(("check a new output (no media walk)", timed(lambda: inputs.check(out))[0]))
        rows.append(("export to a new file", timed(lambda: write_ls_json(session, out))[0]))
        fresh = InputFiles.of_project(project, session.store.path)
        rows.append(("check an existing output (media walk)", timed(lambda: fresh.check(out))[0]))
        rows.append(("export over the last export", timed(lambda: write_ls_json(session, out))[0]))
        session.close()
    if args.json:
        print(json.dumps({"tasks": args.tasks, "rows": [{"step": s, "seconds": round(t, 3), "cpu": round(c, 3)}
                                                        for s, (t, c) in rows]}))
        return
    print(f"{args.tasks} tasks, one image reference each")
    print(f"{'step':<44} {'seconds':>8} {'cpu':>8}")
    for step, (seconds, cpu) in rows:
        print(f"{step:<44} {seconds:>8.3f} {cpu:>8.3f}")


if __name__ == "__main__":
    main()

"""Benchmark of a 1,000,000-row time series (a generated CSV: time plus two channels, one range): reading the CSV as
the editor does, the min/max decimation per pixel column, and the first draw of the plot (read + decimate + paint
to a 1000 px QImage, offscreen), then a redraw zoomed in to a tenth. Developer tool.

Prints a table of median and worst seconds over --repeat runs (or --json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CONFIG = """<View><TimeSeries name="ts" value="$csv" valueType="url" timeColumn="time">
<Channel column="a"/><Channel column="b"/></TimeSeries>
<TimeSeriesLabels name="label" toName="ts"><Label value="Event" background="#ff0000"/></TimeSeriesLabels></View>"""


def make_files(folder: Path, rows: int) -> Path:
    import numpy as np

    rng = np.random.default_rng(0)
    times = np.arange(rows) * 0.01
    a = np.cumsum(rng.normal(size=rows))
    b = np.sin(times) + rng.normal(scale=0.1, size=rows)
    table = np.column_stack([times, a, b])
    with open(folder / "series.csv", "w", encoding="utf-8") as out:
        out.write("time,a,b\n")
        np.savetxt(out, table, fmt=("%.2f", "%.4f", "%.4f"), delimiter=",")
    task = {"id": 1, "data": {"csv": "series.csv"}, "predictions": [{"model_version": "bench", "result": [
        {"id": "r1", "from_name": "label", "to_name": "ts", "type": "timeserieslabels",
         "value": {"start": rows * 0.002, "end": rows * 0.004, "instant": False, "timeserieslabels": ["Event"]}}]}]}
    (folder / "config.xml").write_text(CONFIG, encoding="utf-8")
    (folder / "tasks.json").write_text(json.dumps([task]), encoding="utf-8")
    return folder


def measure(folder: Path, width: int) -> dict[str, float]:
    from PySide6.QtGui import QImage, QPainter

    from viewer.core.project import open_project
    from viewer.core.timeseries.plot import full_range, lay_out, plot_regions, trace
    from viewer.render.plot_painter import PlotPainter

    project = open_project(folder / "tasks.json", folder / "config.xml", offline=True)
    task = project.tasks[0]
    regions = [r for _, rs in project.regions(task) for r in rs.regions]
    painter = PlotPainter(project.config)
    times: dict[str, float] = {}

    start = time.perf_counter()
    loaded = project.series(task, "ts")
    times["read CSV"] = time.perf_counter() - start
    spec, data = project.series_spec("ts"), loaded.data

    def draw(t0: float, t1: float) -> float:
        began = time.perf_counter()
        layout = lay_out(spec, data, width, t0, t1)
        image = QImage(layout.width, layout.height, QImage.Format.Format_RGB32)
        p = QPainter(image)
        painter.paint(p, layout, spec, data, plot_regions(spec, regions))
        p.end()
        return time.perf_counter() - began

    t0, t1 = full_range(data)
    began = time.perf_counter()
    layout = lay_out(spec, data, width, t0, t1)
    for row in layout.rows:
        trace(layout, row, data)
    times["decimate 2 channels"] = time.perf_counter() - began
    times["paint (decimate + draw)"] = draw(t0, t1)
    times["first draw (read + paint)"] = times["read CSV"] + times["paint (decimate + draw)"]
    times["redraw zoomed to 1/10"] = draw(t0 + (t1 - t0) * 0.45, t0 + (t1 - t0) * 0.55)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (fonts need it while painting)
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_files(Path(tmp), args.rows)
        size = (folder / "series.csv").stat().st_size
        runs = [measure(folder, args.width) for _ in range(args.repeat)]
    rows = {name: (statistics.median(run[name] for run in runs), max(run[name] for run in runs)) for name in runs[0]}
    if args.json:
        print(json.dumps({"rows": args.rows, "csv_bytes": size, "width": args.width,
                          "seconds": {name: {"median": m, "worst": w} for name, (m, w) in rows.items()}}))
        return 0
    print(f"{args.rows:,} rows, CSV of {size / 2**20:.1f} MB, plot {args.width} px wide, {args.repeat} runs")
    print(f"{'step':<28} {'median s':>9} {'worst s':>9}")
    for name, (median, worst) in rows.items():
        print(f"{name:<28} {median:>9.3f} {worst:>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

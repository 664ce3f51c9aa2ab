"""Benchmark of the task list's first fill on a project of video tasks (issue 18): the filler reads every row's
counts and search text and checks every task's diagnostics on the GUI thread, in slices of about 20 ms; a video's
check needs the file's length. Prints the whole fill's time and the longest slice (the longest the window could not
answer input), or --json.

Developer tool. Generates its own media (one H.264 clip copied to a file per task, so each is a file of its own) in
a temporary folder, or in --data (kept and reused). Runs offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONFIG = """<View>
  <Video name="video" value="$video" framerate="25"/>
  <VideoRectangle name="box" toName="video"/>
  <Labels name="videoLabels" toName="video"><Label value="Car"/><Label value="Person"/></Labels>
</View>
"""


def make_project(folder: Path, tasks: int, frames: int) -> tuple[Path, Path]:
    from viewer.core.video.synth import write_video

    folder.mkdir(parents=True, exist_ok=True)
    clip = folder / "clip.mp4"
    if not clip.exists():
        write_video(clip, frames, 160, 120, fps=25, gop=50)
    items = []
    for n in range(tasks):
        name = f"video_{n:03d}.mp4"
        if not (folder / name).exists():
            shutil.copyfile(clip, folder / name)
        sequence = [{"frame": f, "enabled": True, "x": 10 + f % 50, "y": 20, "width": 20, "height": 30,
                     "rotation": 0, "time": f / 25} for f in (1, frames // 2, frames)]
        items.append({"id": n + 1, "data": {"video": name}, "predictions": [{"model_version": "tracker", "result": [
            {"id": f"t{n}", "from_name": "box", "to_name": "video", "type": "videorectangle",
             "value": {"framesCount": frames, "duration": frames / 25, "sequence": sequence, "labels": ["Car"]}}]}]})
    (folder / "tasks.json").write_text(json.dumps(items), encoding="utf-8")
    (folder / "config.xml").write_text(CONFIG, encoding="utf-8")
    return folder / "tasks.json", folder / "config.xml"


def fill(tasks_path: Path, config_path: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from viewer.qt.loader import Loader, OpenRequest
    from viewer.qt.workspace.task_panel import TaskListFiller

    app = QApplication.instance() or QApplication([])
    loader, opened = Loader(), []   # opened as the window opens it: on the loader's thread
    loader.project_opened.connect(lambda _request, project: opened.append(project))
    loader.open_project(OpenRequest(str(tasks_path), str(config_path)))
    while not opened:
        app.processEvents()
    project = opened[0]
    filler = TaskListFiller()
    slices: list[float] = []
    timed = filler._on_timer_timeout

    def slice_timed() -> None:
        start = time.perf_counter()
        timed()
        slices.append(time.perf_counter() - start)

    filler._timer.timeout.disconnect()
    filler._timer.timeout.connect(slice_timed)
    done = []
    filler.finished.connect(lambda: done.append(time.perf_counter()))
    start = time.perf_counter()
    filler.start(project, project.task_index())
    while not done:
        app.processEvents()
    return {"tasks": len(project.tasks), "fill_ms": (done[0] - start) * 1000, "slices": len(slices),
            "longest_slice_ms": max(slices) * 1000, "diagnostics": len(filler.found)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--frames", type=int, default=1500, help="frames of each task's video (60 s at 25 fps)")
    parser.add_argument("--data", type=Path, help="a folder for the media and task file, kept and reused")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="lsview_bench_video_tasklist_"))
    try:
        figures = fill(*make_project(folder, args.tasks, args.frames))
    finally:
        if args.data is None:
            shutil.rmtree(folder, ignore_errors=True)
    figures["load_average"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{figures['tasks']} video tasks of {args.frames} frames (load average {figures['load_average']:.1f})")
    print(f"task list filled in {figures['fill_ms']:.0f} ms over {figures['slices']} slices; "
          f"longest slice {figures['longest_slice_ms']:.0f} ms; {figures['diagnostics']} diagnostic(s)")


if __name__ == "__main__":
    main()

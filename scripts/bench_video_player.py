"""Benchmark of the window's video player (offscreen) on a generated H.264 video (1080p by default): what the GUI
thread spends on a frame key, how long until the frame's picture is on screen (a step, a step of ten, a seek to
anywhere), the longest the event loop went unserved meanwhile, and playing at the video's rate (frames shown,
frames skipped). Prints a table (or --json). Developer tool; the video is made with PyAV, never downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONFIG = """<View>
  <Labels name="labels" toName="video"><Label value="Car" background="#ff0000"/></Labels>
  <Video name="video" value="$video" framerate="{fps}"/>
  <VideoRectangle name="box" toName="video"/>
</View>"""


def make_project(folder: Path, frames: int, width: int, height: int, fps: int, tracks: int) -> Path:
    from viewer.core.video.synth import write_video

    write_video(folder / "clip.mp4", frames, width, height, fps=fps, gop=2 * fps)
    results = []
    for t in range(tracks):
        sequence = [{"frame": f, "enabled": True, "x": (5 + 7 * t + f / 10) % 80, "y": (10 + 11 * t) % 80,
                     "width": 10, "height": 10, "rotation": 0, "time": f / fps} for f in range(1, frames + 1, 15)]
        results.append({"id": f"t{t}", "from_name": "box", "to_name": "video", "type": "videorectangle",
                        "value": {"framesCount": frames, "labels": ["Car"], "sequence": sequence}})
    tasks = [{"id": 1, "data": {"video": "clip.mp4"}, "predictions": [{"model_version": "m", "result": results}]}]
    (folder / "tasks.json").write_text(json.dumps(tasks))
    (folder / "config.xml").write_text(CONFIG.format(fps=fps))
    return folder / "tasks.json"


class LoopWatch:
    """The longest gap between turns of the event loop, seen by a 2 ms timer: how long the GUI stalled."""

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start(2)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0


def wait(app, condition, limit: float = 30.0) -> None:
    end = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("the player did not get there")
        app.processEvents()
        time.sleep(0.0005)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=240)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--tracks", type=int, default=20)
    parser.add_argument("--seeks", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    width, height = (int(side) for side in args.size.split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        started = time.perf_counter()
        tasks = make_project(folder, args.frames, width, height, args.fps, args.tracks)
        made = time.perf_counter() - started
        main_window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        main_window.resize(1600, 900)
        main_window.show()
        main_window.open(OpenRequest(str(tasks), str(folder / "config.xml")))
        player = main_window.video_page.player
        started = time.perf_counter()
        wait(app, lambda: player.facts is not None and player._shown_image == player.frame)
        rows.append(("open: first frame on screen (index built)", (time.perf_counter() - started) * 1000, "ms"))
        watch = LoopWatch()

        def timed(frame: int) -> tuple[float, float]:
            """(GUI thread ms for the call, ms until the picture shows)."""
            start = time.perf_counter()
            player.seek(frame)
            called = time.perf_counter()
            wait(app, lambda: player._shown_image == frame)
            return (called - start) * 1000, (time.perf_counter() - start) * 1000

        def measure(name: str, frames: list[int]) -> None:
            watch.reset()
            results = [timed(frame) for frame in frames]
            calls, shown = [r[0] for r in results], [r[1] for r in results]
            rows.append((f"{name}: GUI thread per key, median", statistics.median(calls), "ms"))
            rows.append((f"{name}: picture on screen, median", statistics.median(shown), "ms"))
            rows.append((f"{name}: picture on screen, worst", max(shown), "ms"))
            rows.append((f"{name}: longest event-loop stall", watch.longest * 1000, "ms"))

        player.seek(1)
        wait(app, lambda: player._shown_image == 1)
        time.sleep(0.3)  # the frames decoded ahead of it
        measure("step +1", list(range(2, min(args.frames, 40))))
        measure("step +10", list(range(50, args.frames, 10))[:15])
        order = random.Random(18).sample(range(1, args.frames + 1), min(args.seeks, args.frames))
        measure("seek anywhere", order)

        player.seek(1)
        wait(app, lambda: player._shown_image == 1)
        watch.reset()
        seconds = min(args.frames / args.fps, 5.0)
        started = time.perf_counter()
        player.play()
        wait(app, lambda: time.perf_counter() - started > seconds or not player.playing, seconds + 10)
        player.pause()
        due = int((time.perf_counter() - started) * args.fps)
        rows.append((f"play {seconds:.1f} s at {args.fps} fps: frames due", due, "frames"))
        rows.append(("play: frames shown", player.played, "frames"))
        rows.append(("play: frames skipped (picture not ready)", player.dropped, "frames"))
        rows.append(("play: longest event-loop stall", watch.longest * 1000, "ms"))
        decode = player.frames.decode_seconds
        if decode:
            rows.append(("decode + to QImage per frame, median (decoding thread)",
                         statistics.median(decode) * 1000, "ms"))
        main_window.close()
    rows.insert(0, (f"video made: {args.frames} frames {width}x{height} H.264, {args.tracks} tracks", made, "s"))
    if args.json:
        print(json.dumps([{"what": what, "value": round(value, 2), "unit": unit} for what, value, unit in rows],
                         indent=1))
        return
    for what, value, unit in rows:
        print(f"{what:<58} {value:>9.1f} {unit}")


if __name__ == "__main__":
    main()

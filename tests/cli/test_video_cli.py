"""`lsview inspect --frame N` on a video task, through the command line: the JSON Lines record per region with
its box at each frame, and usage errors for frames that are not frame numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.builders import VIDEO_CONFIG, keyframe, video_box, video_task, write_project
from viewer.core.video.synth import write_video

ROOT = Path(__file__).resolve().parents[2]


def lsview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_inspect_frames(tmp_path):
    write_video(tmp_path / "clip.mp4", 24, 200, 100, fps=24, gop=12)
    timeline = {"id": "t", "from_name": "events", "to_name": "video", "type": "timelinelabels",
                "value": {"ranges": [{"start": 3, "end": 9}], "timelinelabels": ["Braking"]}}
    tasks, config = write_project(tmp_path, [video_task(
        video_box("car", keyframe(2, x=10.0, y=10.0, width=20.0, height=50.0, rotation=350.0),
                  keyframe(6, x=10.0, y=10.0, width=20.0, height=50.0, rotation=10.0)), timeline, task_id=3)],
        VIDEO_CONFIG)
    done = lsview("inspect", tasks, "--config", config, "--frame", "1", "--frame", "4")
    assert done.returncode == 0 and done.stderr == ""
    car, events = [json.loads(line) for line in done.stdout.splitlines()]
    assert car["labels"] == ["Car"] and car["shape"]["kind"] == "videorectangle"
    assert car["frames"][0] == {"frame": 1, "visible": False}
    four = car["frames"][1]
    assert four["rotation"] == 0.0 and four["corners"] == [[20.0, 10.0], [60.0, 10.0], [60.0, 60.0], [20.0, 60.0]]
    assert events["shape"]["ranges"] == [[3, 9]]
    assert events["frames"] == [{"frame": 1, "visible": False}, {"frame": 4, "visible": True}]
    bad = lsview("inspect", tasks, "--config", config, "--frame", "0")
    assert bad.returncode == 2 and "frames are counted from 1" in bad.stderr and "Traceback" not in bad.stderr


def test_a_frame_past_the_videos_frames_is_not_visible_and_says_why(tmp_path):
    # 60 pictures at 30 a second last 2 s: Label Studio counts 48 frames at the config's framerate 24
    write_video(tmp_path / "clip.mp4", 60, 200, 100, fps=30, gop=15)
    timeline = {"id": "t", "from_name": "events", "to_name": "video", "type": "timelinelabels",
                "value": {"ranges": [{"start": 40, "end": 60}], "timelinelabels": ["Braking"]}}
    tasks, config = write_project(tmp_path, [video_task(video_box("car", keyframe(2), keyframe(40)), timeline,
                                                        task_id=3)], VIDEO_CONFIG)
    done = lsview("inspect", tasks, "--config", config, "--frame", "48", "--frame", "50")
    assert done.returncode == 0 and done.stderr == ""
    car, events = [json.loads(line) for line in done.stdout.splitlines()]
    assert car["shape"]["lifespans"] == [[2, 48]]
    assert car["shape"]["video"]["labelStudioFrames"] == 48 and car["shape"]["video"]["frames"] == 60
    assert car["frames"][0]["visible"] is True
    past = {"frame": 50, "visible": False, "reason": "frame 50 is past the video's 48 frames at framerate 24"}
    assert car["frames"][1] == past
    assert events["frames"] == [{"frame": 48, "visible": True}, past]

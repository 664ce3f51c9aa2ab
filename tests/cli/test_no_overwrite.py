"""Every command that writes refuses, with exit code 2 and the file named, an output that is one of its inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.builders import image_task, make_image, rect, write_project

ROOT = Path(__file__).resolve().parents[2]


def lsview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_report_and_session_refuse_a_tasks_image(tmp_path):
    image = make_image(tmp_path / "pic.png")
    tasks, config = write_project(tmp_path, [image_task(rect(), image="pic.png", task_id=5)])
    session = tmp_path / "s.sqlite"
    assert lsview("accept", tasks, "--config", config, "--session", session).returncode == 0
    before = snapshot(tmp_path)
    said = []
    for command in (["export", tasks, "--config", config, "--session", session, "--out", image],
                    ["report", tasks, "--config", config, "--session", session, "--out", image],
                    ["export", tasks, "--config", config, "--session", image, "--out", tmp_path / "x.json"],
                    ["accept", tasks, "--config", config, "--session", config]):
        done = lsview(*command)
        assert done.returncode == 2, (command, done.stderr)
        assert "is an input file" in done.stderr and "Traceback" not in done.stderr
        named = config if command[0] == "accept" else image
        assert done.stderr.startswith(f"lsview: {named}: is an input file"), done.stderr
        assert snapshot(tmp_path) == before
        said.append(done.stderr)
    assert all("(the media of task 0 (id 5)" in message for message in said[:3]) and "labeling config" in said[3]


def test_render_refuses_before_any_png_when_another_tasks_image_has_an_output_name(tmp_path):
    out = tmp_path / "out"
    make_image(out / "0_1.png", (40, 30))       # task 1's image, named like task 0's render
    make_image(tmp_path / "a.png", (40, 30))
    tasks, config = write_project(tmp_path, [image_task(rect(), image="a.png", task_id=1),
                                             image_task(rect(), image="out/0_1.png", task_id=2)])
    before = snapshot(tmp_path)
    done = lsview("render", tasks, "--config", config, "--out", out)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"lsview: {out / '0_1.png'}: is an input file (the media of task 1 (id 2)")
    assert snapshot(tmp_path) == before and done.stdout == ""  # not even task 1's own PNG was written
    done = lsview("render", tasks, "--config", config, "--out", tmp_path / "elsewhere")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["0_1.png", "1_2.png"]


def test_export_to_a_new_file_beside_the_inputs_still_works(tmp_path):
    make_image(tmp_path / "pic.png")
    tasks, config = write_project(tmp_path, [image_task(rect(), image="pic.png", task_id=5)])
    out = tmp_path / "export.json"
    for _ in range(2):  # a new file, then over the previous export
        done = lsview("export", tasks, "--config", config, "--out", out)
        assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())[0]["id"] == 5

"""Builders for the training-export tests: a project of image tasks made on the spot, exported through the core."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import make_image
from viewer.core.export.training import training_formats
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.run import export_training
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="zeta" category="2"/><Label value="beta"/>
    <Label value="alpha"/></RectangleLabels>
  <Polygon name="poly" toName="img"/><Ellipse name="ell" toName="img"/><Rectangle name="rect" toName="img"/>
  <Labels name="lab" toName="img"><Label value="car"/></Labels>
  <BrushLabels name="brush" toName="img"><Label value="road"/></BrushLabels>
</View>"""

POSE_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="person"/></RectangleLabels>
  <KeyPointLabels name="kp" toName="img"><Label value="nose" model_index="1"/><Label value="eye" model_index="0"/>
    <Label value="ear" model_index="2"/></KeyPointLabels>
</View>"""


def result(rid: str, value: dict, rtype: str = "rectanglelabels", from_name: str = "box", **extra) -> dict:
    return {"id": rid, "from_name": from_name, "to_name": "img", "type": rtype, "value": value, **extra}


def box(rid: str, label: str, x: float, y: float, w: float, h: float, **value) -> dict:
    return result(rid, {"x": x, "y": y, "width": w, "height": h, **value, "rectanglelabels": [label]})


def make(tmp_path: Path, tasks: list, config: str = CONFIG, size=(1000, 500), images=("a.png",),
         orientation=None) -> Path:
    for name in images:
        make_image(tmp_path / name, size, orientation)
    (tmp_path / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    (tmp_path / "config.xml").write_text(config, encoding="utf-8")
    return tmp_path


def run(folder: Path, fmt: str, out: str = "out", session_region: dict | None = None, **options):
    """Export `folder`'s project as `fmt` into folder/out; `session_results` {task index: results} are put in
    the session first (the reviewer's working annotation). Returns (summary, out path)."""
    project = open_project(folder / "tasks.json", folder / "config.xml", offline=True)
    session = ReviewSession.open(project, folder / "s.sqlite")
    try:
        for index, results in (session_region or {}).items():
            session.add_region(project.tasks[index], results, "add")
        summary = export_training(session, folder / out, training_formats()[fmt], TrainingOptions(**options))
    finally:
        session.close()
    return summary, folder / out


def label_lines(out: Path, stem: str = "a") -> list[list[float]]:
    return [[float(v) for v in line.split()] for line in (out / "labels" / f"{stem}.txt").read_text().splitlines()]


def coco(out: Path) -> dict:
    return json.loads((out / "annotations.json").read_text(encoding="utf-8"))

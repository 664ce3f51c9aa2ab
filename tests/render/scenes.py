"""The golden-image scenes: small fixed tasks drawn by the shared painter, with no text (fonts differ by machine).

Imported by tests/render/test_golden.py and scripts/update_golden.py, so both draw exactly the same thing. The
demo scenes and "crowded" show the placed tags as blank boxes (render_task's tag_words=False).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

GOLDEN = Path(__file__).parent / "golden"
DEMO = Path(__file__).resolve().parents[2] / "viewer" / "resources" / "demo"
SIZE = (320, 240)
# A pixel "differs" beyond this channel difference; a scene may have this share of differing pixels (antialiasing
# can move by a step between Qt builds) and this mean difference before it fails.
PIXEL_TOLERANCE, SHARE_TOLERANCE, MEAN_TOLERANCE = 24, 0.004, 2.0

CONFIG = """<View><Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car" background="#1f77b4"/></RectangleLabels>
  <EllipseLabels name="round" toName="image" opacity="0.4"><Label value="Sun" background="#e6b800"/></EllipseLabels>
  <PolygonLabels name="area" toName="image"><Label value="Lake" background="#17becf"/></PolygonLabels>
  <KeyPointLabels name="point" toName="image"><Label value="Head" background="#d62728"/></KeyPointLabels>
  <BrushLabels name="paint" toName="image"><Label value="Grass" background="#38761d"/></BrushLabels>
  <Polygon name="outline" toName="image" strokeColor="#9467bd" strokeWidth="3"/>
  <Rectangle name="plain" toName="image"/>
  <Relations><Relation value="near"/></Relations>
</View>"""


def _result(rid: str, rtype: str, from_name: str, value: dict) -> dict:
    return {"id": rid, "type": rtype, "from_name": from_name, "to_name": "image", "value": value,
            "original_width": SIZE[0], "original_height": SIZE[1]}


def _mask() -> list[int]:
    from viewer.core import rle

    alpha = np.zeros((SIZE[1], SIZE[0]), dtype=np.uint8)
    alpha[180:230, 20:140] = 255
    alpha[200:230, 140:200] = 128  # half-strength brush: lighter, as alpha x 0.6 says
    return rle.encode(alpha)


def shapes_results() -> list[dict]:
    """Every shape kind plus relations in all three directions."""
    return [
        _result("car", "rectanglelabels", "box",
                {"x": 10, "y": 12, "width": 25, "height": 20, "rotation": 20, "rectanglelabels": ["Car"]}),
        _result("sun", "ellipselabels", "round",
                {"x": 78, "y": 22, "radiusX": 12, "radiusY": 8, "rotation": 30, "ellipselabels": ["Sun"]}),
        _result("lake", "polygonlabels", "area",
                {"points": [[45, 45], [70, 40], [80, 60], [60, 72], [42, 62]], "polygonlabels": ["Lake"]}),
        _result("head", "keypointlabels", "point", {"x": 90, "y": 70, "width": 1.5, "keypointlabels": ["Head"]}),
        _result("grass", "brushlabels", "paint", {"format": "rle", "rle": _mask(), "brushlabels": ["Grass"]}),
        {"type": "relation", "from_id": "car", "to_id": "sun", "direction": "right", "labels": ["near"]},
        {"type": "relation", "from_id": "lake", "to_id": "head", "direction": "bi"},
        {"type": "relation", "from_id": "grass", "to_id": "lake", "direction": "left"},
    ]


def placeholder_results() -> list[dict]:
    """Regions on the grey stand-in of a missing image: control colours, an open polygon, a hidden region."""
    return [
        _result("frame", "rectangle", "plain", {"x": 5, "y": 5, "width": 40, "height": 30}),
        _result("trail", "polygon", "outline",
                {"points": [[55, 20], [70, 50], [85, 30], [95, 80]], "closed": False}),
        _result("shape", "polygon", "outline", {"points": [[10, 60], [40, 55], [35, 90], [12, 85]]}),
        {**_result("gone", "rectanglelabels", "box",
                   {"x": 50, "y": 60, "width": 30, "height": 30, "rectanglelabels": ["Car"]}), "hidden": True},
    ]


def crowded_results() -> list[dict]:
    """120 small boxes, most of them too close together for their tags: tags move, stack and fold."""
    rng = np.random.default_rng(13)
    out = []
    for i in range(120):
        x, y = float(rng.uniform(0, 94)), float(rng.uniform(4, 94))
        out.append({**_result(f"c{i}", "rectanglelabels", "box",
                              {"x": x, "y": y, "width": float(rng.uniform(2, 6)), "height": float(rng.uniform(2, 6)),
                               "rectanglelabels": ["Car"]}), "score": round(float(rng.uniform(0.3, 1.0)), 2)})
    return out


# the bundled demo's picture tasks: (task index, page)
DEMO_TASKS = {"demo-street": (0, 0), "demo-park": (1, 0), "demo-document": (2, 0), "demo-form": (4, 0)}


def scene(name: str):
    """(content, painter, base image, whether tags are drawn) of a scene (a QGuiApplication must exist)."""
    from PySide6.QtGui import QColor, QImage

    from viewer.core.config import parse_config
    from viewer.core.regions import group_results
    from viewer.render.content import Layer, TaskContent
    from viewer.render.painter import RegionPainter
    from viewer.render.task_image import background, placeholder

    if name in DEMO_TASKS:
        from viewer.core.project import open_project
        from viewer.render.content import task_content

        project = open_project(DEMO / "tasks.json", DEMO / "config.xml")
        index, page = DEMO_TASKS[name]
        content = task_content(project, project.tasks[index], page=page)
        return content, RegionPainter(project.config), background(content)[0], True
    config = parse_config(CONFIG)
    results = {"shapes": shapes_results, "placeholder": placeholder_results, "crowded": crowded_results}[name]()
    region_set = group_results(results, "prediction", 0, lambda _: "image")
    layer = Layer("prediction", 0, "prediction 0", "golden", None, region_set.regions, region_set.relations)
    content = TaskContent("image", None, SIZE, "original", (layer,), None)
    if name == "placeholder":
        base = placeholder(SIZE, "missing", text=False)
    else:
        base = QImage(SIZE[0], SIZE[1], QImage.Format.Format_RGB32)
        base.fill(QColor(250, 250, 245))
    return content, RegionPainter(config), base, name == "crowded"


def render(name: str):
    """The scene as a QImage (a QGuiApplication must exist)."""
    from viewer.render.task_image import render_task

    content, painter, base, tags = scene(name)
    return render_task(content, painter, labels=tags, image=base, tag_words=False)


SCENES = ("shapes", "placeholder", *DEMO_TASKS, "crowded")


def pixels(image) -> np.ndarray:
    """A QImage as an (h, w, 3) int array."""
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    return raw.reshape(rgb.height(), rgb.bytesPerLine())[:, : rgb.width() * 3].reshape(
        rgb.height(), rgb.width(), 3).astype(int)


def difference(actual: np.ndarray, expected: np.ndarray) -> str | None:
    """Why two renderings differ beyond the tolerance, or None when they match."""
    if actual.shape != expected.shape:
        return f"size {actual.shape[1]}x{actual.shape[0]}, golden {expected.shape[1]}x{expected.shape[0]}"
    delta = np.abs(actual - expected).max(axis=2)
    share = float((delta > PIXEL_TOLERANCE).mean())
    mean = float(delta.mean())
    if share > SHARE_TOLERANCE or mean > MEAN_TOLERANCE:
        return f"{share:.2%} of pixels differ by more than {PIXEL_TOLERANCE}, mean difference {mean:.2f}"
    return None

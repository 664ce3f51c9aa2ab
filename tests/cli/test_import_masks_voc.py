"""`lsview import masks|voc`: what is written passes `lsview validate`, and export -> import gives back the regions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.builders import make_image
from viewer.core import rle

ROOT = Path(__file__).resolve().parents[2]
CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Person"/></RectangleLabels>
  <BrushLabels name="paint" toName="img"><Label value="Sky"/><Label value="Road"/></BrushLabels>
</View>"""
POLYGONS = """<View>
  <Image name="img" value="$image"/>
  <PolygonLabels name="area" toName="img"><Label value="Sky"/><Label value="Road"/></PolygonLabels>
</View>"""
PALETTE = [0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0] + [0] * 756


def lsview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def _inspect(tasks: Path, config: Path) -> list[dict]:
    done = lsview("inspect", tasks, "--config", config)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _validate_clean(tasks: Path, config: Path) -> None:
    done = lsview("validate", tasks, "--config", config)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("0 error(s), 0 warning(s)"), done.stdout


def _indexed(path: Path, values: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.fromarray(values.astype(np.uint8), "P")
    image.putpalette(PALETTE)
    image.save(path)


@pytest.fixture
def masks_src(tmp_path):
    make_image(tmp_path / "src" / "images" / "a.jpg", (80, 60))
    classes, instances = np.zeros((60, 80), np.uint8), np.zeros((60, 80), np.uint8)
    classes[5:20, 5:30], instances[5:20, 5:30] = 1, 1
    classes[30:50, 40:70], instances[30:50, 40:70] = 1, 2
    classes[40:60, 0:20], instances[40:60, 0:20] = 2, 3
    _indexed(tmp_path / "src" / "SegmentationClass" / "a.png", classes)
    _indexed(tmp_path / "src" / "SegmentationObject" / "a.png", instances)
    (tmp_path / "src" / "labelmap.txt").write_text("# label:color_rgb:parts:actions\nbackground:0,0,0::\n"
                                                   "Sky:128,0,0::\nRoad:0,128,0::\n")
    (tmp_path / "config.xml").write_text(CONFIG)
    (tmp_path / "polygons.xml").write_text(POLYGONS)
    return tmp_path, instances


def test_masks_become_brush_regions_per_instance_with_alpha_255(masks_src):
    tmp_path, instances = masks_src
    out = tmp_path / "tasks.json"
    done = lsview("import", "masks", tmp_path / "src", "--config", tmp_path / "config.xml", "--out", out,
                  "--model-version", "seg-1")
    assert done.returncode == 0, done.stderr
    assert "Sky: 2" in done.stdout and "Road: 1" in done.stdout
    _validate_clean(out, tmp_path / "config.xml")
    (task,) = json.loads(out.read_text())
    assert task["data"]["image"] == "src/images/a.jpg"
    prediction = task["predictions"][0]
    assert prediction["model_version"] == "seg-1"
    results = prediction["result"]
    assert [r["value"]["brushlabels"] for r in results] == [["Sky"], ["Sky"], ["Road"]]
    for number, item in enumerate(results, 1):
        alpha = rle.decode(item["value"]["rle"], 80, 60)
        assert set(np.unique(alpha).tolist()) == {0, 255}
        assert np.array_equal(alpha == 255, instances == number)


def test_masks_to_a_polygon_config_and_without_instances_one_region_per_class(masks_src):
    tmp_path, _ = masks_src
    for path in (tmp_path / "src" / "SegmentationObject").iterdir():
        path.unlink()
    out = tmp_path / "tasks.json"
    done = lsview("import", "masks", tmp_path / "src", "--config", tmp_path / "polygons.xml", "--out", out,
                  "--model-version", "seg-1")
    assert done.returncode == 0, done.stderr
    _validate_clean(out, tmp_path / "polygons.xml")
    (task,) = json.loads(out.read_text())
    labels = [r["value"]["polygonlabels"] for r in task["predictions"][0]["result"]]
    assert labels.count(["Sky"]) == 2 and labels.count(["Road"]) == 1   # the Sky class's two parts are traced


def test_a_mask_of_another_size_than_its_image_is_left_out(masks_src):
    tmp_path, _ = masks_src
    make_image(tmp_path / "src" / "images" / "a.jpg", (60, 80))
    out = tmp_path / "tasks.json"
    done = lsview("import", "masks", tmp_path / "src", "--config", tmp_path / "config.xml", "--out", out,
                  "--model-version", "seg-1")
    assert done.returncode == 0, done.stderr
    assert "another size than their image" in done.stdout
    assert json.loads(out.read_text()) == []


VOC = """<annotation><filename>a.jpg</filename><size><width>80</width><height>60</height><depth>3</depth></size>
<object><name>Car</name><bndbox><xmin>11</xmin><ymin>21</ymin><xmax>30</xmax><ymax>40</ymax></bndbox></object>
<object><name>Person</name><score>0</score>
  <bndbox><xmin>41</xmin><ymin>1</ymin><xmax>80</xmax><ymax>60</ymax></bndbox></object>
</annotation>"""


def test_voc_boxes_become_rectangles_on_their_pixels(tmp_path):
    make_image(tmp_path / "src" / "JPEGImages" / "a.jpg", (80, 60))
    (tmp_path / "src" / "Annotations").mkdir()
    (tmp_path / "src" / "Annotations" / "a.xml").write_text(VOC)
    (tmp_path / "config.xml").write_text(CONFIG)
    out = tmp_path / "tasks.json"
    done = lsview("import", "voc", tmp_path / "src", "--config", tmp_path / "config.xml", "--out", out,
                  "--model-version", "det-1")
    assert done.returncode == 0, done.stderr
    _validate_clean(out, tmp_path / "config.xml")
    car, person = _inspect(out, tmp_path / "config.xml")
    assert car["labels"] == ["Car"] and car["shape"]["corners"][0] == pytest.approx([10, 20])
    assert car["shape"]["corners"][2] == pytest.approx([30, 40])
    assert person["score"] == 0.0 and person["shape"]["corners"][2] == pytest.approx([80, 60])


def test_voc_size_that_is_not_the_decoded_size_is_left_out(tmp_path):
    make_image(tmp_path / "src" / "JPEGImages" / "a.jpg", (60, 80))
    (tmp_path / "src" / "Annotations").mkdir()
    (tmp_path / "src" / "Annotations" / "a.xml").write_text(VOC)
    (tmp_path / "config.xml").write_text(CONFIG)
    done = lsview("import", "voc", tmp_path / "src", "--config", tmp_path / "config.xml", "--out",
                  tmp_path / "tasks.json", "--model-version", "det-1")
    assert done.returncode == 0, done.stderr
    assert "<size> is not their image's decoded size" in done.stdout


# ----------------------------------------------------------------------------- round trips with the export


def _project(tmp_path: Path, types=("rectanglelabels", "brushlabels")) -> tuple[Path, Path, list[dict]]:
    """Tasks whose predictions are boxes on whole pixels and brush masks (of `types`), on a 80x60 image."""
    make_image(tmp_path / "img" / "a.png", (80, 60))
    sky = np.zeros((60, 80), bool)
    sky[2:20, 3:40] = True
    road = np.zeros((60, 80), bool)
    road[30:58, 10:70] = True
    road[40:50, 30:35] = False   # a hole
    results = [
        {"id": "b1", "type": "rectanglelabels", "from_name": "box", "to_name": "img", "score": 0.75,
         "value": {"x": 12.5, "y": 10, "width": 25, "height": 50, "rotation": 0, "rectanglelabels": ["Car"]}},
        {"id": "b2", "type": "rectanglelabels", "from_name": "box", "to_name": "img", "score": 0.0,
         "value": {"x": 50, "y": 5, "width": 48.75, "height": 95, "rotation": 0, "rectanglelabels": ["Person"]}},
        {"id": "m1", "type": "brushlabels", "from_name": "paint", "to_name": "img", "original_width": 80,
         "original_height": 60, "value": {"format": "rle", "rle": rle.encode(sky), "brushlabels": ["Sky"]}},
        {"id": "m2", "type": "brushlabels", "from_name": "paint", "to_name": "img", "original_width": 80,
         "original_height": 60, "value": {"format": "rle", "rle": rle.encode(road), "brushlabels": ["Road"]}},
    ]
    results = [item for item in results if item["type"] in types]
    tasks = [{"data": {"image": "img/a.png"}, "predictions": [{"model_version": "m", "result": results}]}]
    (tmp_path / "tasks.json").write_text(json.dumps(tasks))
    (tmp_path / "config.xml").write_text(CONFIG)
    return tmp_path / "tasks.json", tmp_path / "config.xml", results


def _export(tasks: Path, config: Path, fmt: str, out: Path) -> None:
    done = lsview("export", tasks, "--config", config, "--format", fmt, "--source", "predictions", "--out", out,
                  "--session", tasks.parent / "s.sqlite")
    assert done.returncode == 0, done.stderr + done.stdout


def test_round_trip_voc(tmp_path):
    pytest.importorskip("viewer.core.export.training.voc")
    tasks, config, _ = _project(tmp_path)
    _export(tasks, config, "voc", tmp_path / "voc")
    back = tmp_path / "back.json"
    done = lsview("import", "voc", tmp_path / "voc", "--config", config, "--out", back, "--images",
                  tmp_path / "img", "--model-version", "m")
    assert done.returncode == 0, done.stderr
    _validate_clean(back, config)
    before = [r for r in _inspect(tasks, config) if r["types"] == ["rectanglelabels"]]
    # the brushes went out as their boxes; Sky and Road come back as box-shaped brushes (no rectangle offers them)
    after = [r for r in _inspect(back, config) if r["types"] == ["rectanglelabels"]]
    assert [r["labels"] for r in after] == [r["labels"] for r in before]
    assert [r["score"] for r in after] == [None, None]  # VOC holds no score: the export writes none
    for old, new in zip(before, after):
        assert np.allclose(old["shape"]["corners"], new["shape"]["corners"], atol=0.5)


def test_round_trip_masks(tmp_path):
    pytest.importorskip("viewer.core.export.training.segmentation")
    tasks, config, results = _project(tmp_path, ("brushlabels",))  # a box would come back as a mask
    _export(tasks, config, "masks", tmp_path / "masks")
    back = tmp_path / "back.json"
    done = lsview("import", "masks", tmp_path / "masks", "--config", config, "--out", back, "--images",
                  tmp_path / "img", "--model-version", "m")
    assert done.returncode == 0, done.stderr
    _validate_clean(back, config)
    (task,) = json.loads(back.read_text())
    brushes = [r for r in task["predictions"][0]["result"] if r["type"] == "brushlabels"]
    painted = {}
    for item in brushes:
        alpha = rle.decode(item["value"]["rle"], 80, 60) == 255
        painted[item["value"]["brushlabels"][0], int(alpha.sum())] = alpha
    for original in results:
        if original["type"] != "brushlabels":
            continue
        mask = rle.decode(original["value"]["rle"], 80, 60) == 255
        key = (original["value"]["brushlabels"][0], int(mask.sum()))
        assert key in painted and np.array_equal(painted[key], mask)

"""`lsview example`'s core: a task with data for every $variable and an example result for every control."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from viewer.core.config import load_config
from viewer.core.diagnostics import diagnose_config, diagnose_task
from viewer.core.errors import ConfigError
from viewer.core.example import make_example
from viewer.core.project import open_project
from viewer.core.regions import RESULT_TYPES

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted((ROOT / "tests" / "data" / "configs").glob("*.xml")) + [ROOT / "viewer/resources/demo/config.xml"]


def _loadable(path: Path):
    try:
        return load_config(path)
    except ConfigError:
        return None


def _diagnose(tmp_path: Path, config_path: Path, task: dict):
    tasks = tmp_path / "example.json"
    tasks.write_text(json.dumps([task]))
    project = open_project(tasks, config_path)
    return diagnose_config(project.config), diagnose_task(project, project.tasks[0])


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_example_validates_with_no_error_for_every_config(tmp_path, path):
    config = _loadable(path)
    if config is None:
        pytest.skip("Label Studio refuses this config too")
    example = make_example(config)
    config_found, task_found = _diagnose(tmp_path, path, example.task)
    assert [d for d in task_found if d.severity == "error"] == [], [d.describe() for d in task_found]
    if not [d for d in config_found if d.severity == "error"]:
        assert [d.describe() for d in task_found if d.severity == "warning"] == []


def test_every_control_has_a_result(tmp_path):
    config = load_config(ROOT / "tests/data/configs/all_controls.xml")
    example = make_example(config)
    result = example.task["predictions"][0]["result"]
    written = {item["from_name"] for item in result if "from_name" in item}
    skipped = dict(example.skipped)
    for control in config.controls.values():
        if control.kind == "relations":
            assert any(item["type"] == "relation" for item in result)
        elif control.kind in RESULT_TYPES and control.kind != "magicwand":
            assert control.name in written, control.name
        else:
            assert control.name in skipped and control.name not in written, control.name
    kinds = {item["type"] for item in result}
    assert {"rectangle", "rectanglelabels", "polygonlabels", "ellipselabels", "keypointlabels", "brushlabels",
            "bitmasklabels", "vectorlabels", "labels", "hypertextlabels", "paragraphlabels", "choices", "textarea",
            "rating", "number", "datetime", "taxonomy", "pairwise", "ranker", "relation"} <= kinds
    ids = [item["id"] for item in result if "id" in item]
    assert len(ids) == len(set(ids))


def test_per_region_controls_share_the_region_id_and_geometry():
    config = load_config(ROOT / "viewer/resources/demo/config.xml")
    result = make_example(config).task["predictions"][0]["result"]
    by_id: dict[str, list[dict]] = {}
    for item in result:
        by_id.setdefault(item.get("id"), []).append(item)
    transcription = next(item for item in result if item["from_name"] == "transcription")
    region = by_id[transcription["id"]]
    assert {item["from_name"] for item in region} == {"bbox", "ocr", "transcription"}  # the OCR template's three
    geometry = {k: v for k, v in region[0]["value"].items() if k in ("x", "y", "width", "height", "rotation")}
    assert all({k: item["value"][k] for k in geometry} == geometry for item in region)
    assert transcription["value"]["text"] == ["Example text"]


def test_per_region_control_goes_to_a_region_with_its_label():
    config = load_config(ROOT / "tests/data/configs/per_region.xml")
    result = make_example(config).task["predictions"][0]["result"]
    colour = next(item for item in result if item["from_name"] == "car_color")
    region = next(item for item in result if item["id"] == colour["id"] and item["type"] == "rectanglelabels")
    assert "Car" in region["value"]["rectanglelabels"]


def test_brush_is_label_studio_rle_with_alpha_255():
    from viewer.core import rle

    config = load_config(ROOT / "viewer/resources/demo/config.xml")
    result = make_example(config).task["predictions"][0]["result"]
    brush = next(item for item in result if item["type"] == "brushlabels")
    mask = rle.decode(brush["value"]["rle"], brush["original_width"], brush["original_height"])
    assert set(np.unique(mask).tolist()) == {0, 255}  # the alpha plane


def test_given_data_is_used_and_a_local_image_gives_its_size(tmp_path):
    from tests.builders import make_image

    image = make_image(tmp_path / "photo.png", size=(300, 200))
    config = load_config(ROOT / "viewer/resources/demo/config.xml")
    task = make_example(config, {"image": str(image)}).task
    assert task["data"]["image"] == str(image)
    boxes = [item for item in task["predictions"][0]["result"] 
             if item.get("to_name") == "image" and "original_width" in item]
    assert boxes and all((item["original_width"], item["original_height"]) == (300, 200) for item in boxes)
    assert len(task["data"]["pages"]) == 2 and task["data"]["pages"][0].startswith("data:image/png;base64,")


def test_nested_and_header_variables_are_filled():
    config = load_config(ROOT / "tests/data/configs/data_paths.xml")
    task = make_example(config).task
    project_paths = config.data_paths()
    from viewer.core.config import lookup_data

    for name, path in project_paths.items():
        assert lookup_data(task["data"], path) is not None, name

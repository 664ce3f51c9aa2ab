"""`lsview import` through the core: YOLO and COCO sources, tasks new or --into, and each converter defect of
issue 16 done right (seg/OBB lines not read as boxes, score 0 kept, model version set, one region per COCO
instance, COCO RLE decoded)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.builders import make_image
from viewer.core import rle
from viewer.core.export.training.masks import coco_rle
from viewer.core.importing import import_format
from viewer.core.importing.base import ImportOptions, PredictionImportError
from viewer.core.importing.run import import_predictions
from viewer.core.outputs import OverwriteError

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="car"/><Label value="person"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="road"/></PolygonLabels>
  <BrushLabels name="brush" toName="img"><Label value="sky"/></BrushLabels>
</View>"""
POSE = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="person"/></RectangleLabels>
  <KeyPointLabels name="kp" toName="img"><Label value="nose"/><Label value="tail"/></KeyPointLabels>
</View>"""


def yolo_folder(tmp_path: Path, labels: dict[str, str], names=("car", "person", "road", "sky"), size=(1000, 500),
                yaml_extra: str = "") -> Path:
    src = tmp_path / "src"
    for stem in labels:
        make_image(src / "images" / f"{stem}.jpg", size)
        (src / "labels").mkdir(parents=True, exist_ok=True)
        (src / "labels" / f"{stem}.txt").write_text(labels[stem], encoding="utf-8")
    lines = ["names:"] + [f"  {i}: {name}" for i, name in enumerate(names)]
    (src / "data.yaml").write_text("\n".join(lines) + "\n" + yaml_extra, encoding="utf-8")
    return src


def run(tmp_path: Path, fmt: str, src: Path, config: str = CONFIG, **options):
    (tmp_path / "config.xml").write_text(config, encoding="utf-8")
    options.setdefault("model_version", "m1")
    out = options.pop("out", tmp_path / "out.json")
    summary = import_predictions(import_format(fmt), str(src), ImportOptions(str(tmp_path / "config.xml"),
                                                                             str(out), **options))
    return summary, json.loads(Path(out).read_text(encoding="utf-8"))


def only_results(tasks):
    (task,) = tasks
    (prediction,) = task["predictions"]
    return prediction["result"]


def test_yolo_seg_lines_are_polygons_not_boxes_and_conf_is_the_score(tmp_path):
    # a seg line with an odd count of numbers: the last one is the conf (here 0: kept)
    src = yolo_folder(tmp_path, {"a": "2 0.1 0.1 0.5 0.1 0.5 0.4 0.1 0.6 0.2 0.5 0\n0 0.5 0.5 0.2 0.2 0.75\n"})
    summary, tasks = run(tmp_path, "yolo", src)
    road, car = only_results(tasks)
    assert road["type"] == "polygonlabels" and len(road["value"]["points"]) == 5 and road["score"] == 0.0
    assert car["type"] == "rectanglelabels" and car["score"] == 0.75
    assert tasks[0]["predictions"][0]["model_version"] == "m1"
    assert tasks[0]["predictions"][0]["score"] == pytest.approx(0.375)
    assert tasks[0]["data"] == {"image": "src/images/a.jpg"}
    assert summary.regions == {"road": 1, "car": 1}


def test_yolo_obb_lines_need_task_and_keep_their_corners(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.1 0.1 0.3 0.2 0.275 0.4 0.075 0.3 0.5\n"})
    with pytest.raises(PredictionImportError, match="--task yolo-obb"):
        run(tmp_path, "yolo", src)
    assert not (tmp_path / "out.json").exists()
    _summary, tasks = run(tmp_path, "yolo", src, task="yolo-obb")
    (car,) = only_results(tasks)
    value = car["value"]
    assert car["type"] == "rectanglelabels" and car["score"] == 0.5
    assert (value["x"], value["y"]) == pytest.approx((10.0, 10.0))
    assert value["rotation"] == pytest.approx(14.036243, abs=1e-5)  # atan2(50 px, 200 px): (100,50) -> (300,100)
    assert value["width"] == pytest.approx(206.155281 / 10) and value["height"] == pytest.approx(103.077641 / 5)


def test_yolo_quads_in_a_folder_of_polygons_are_polygons(tmp_path):
    src = yolo_folder(tmp_path, {"a": "2 0.1 0.1 0.3 0.1 0.35 0.3 0.1 0.3\n2 0.1 0.1 0.3 0.1 0.3 0.3 0.2 0.4 0.1 0.3\n"})
    _summary, tasks = run(tmp_path, "yolo", src)
    assert [r["type"] for r in only_results(tasks)] == ["polygonlabels", "polygonlabels"]


def test_yolo_pose_from_kpt_shape(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.5 0.5 0.4 0.6 0.5 0.3 2 0 0 0 0.9\n"}, names=("person",),
                      yaml_extra="kpt_shape: [2, 3]\n")
    _summary, tasks = run(tmp_path, "yolo", src, config=POSE)
    box, nose = only_results(tasks)
    assert box["score"] == nose["score"] == 0.9 and nose["parentID"] == box["id"]
    assert nose["value"]["keypointlabels"] == ["nose"] and (nose["value"]["x"], nose["value"]["y"]) == (50.0, 30.0)


def test_a_class_no_control_offers_is_an_error_and_nothing_is_written(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.5 0.5 0.2 0.2\n"}, names=("truck",))
    with pytest.raises(PredictionImportError, match="'truck'"):
        run(tmp_path, "yolo", src)
    assert not (tmp_path / "out.json").exists()
    (tmp_path / "map.txt").write_text("truck=car\n", encoding="utf-8")
    _summary, tasks = run(tmp_path, "yolo", src, label_map=str(tmp_path / "map.txt"))
    assert only_results(tasks)[0]["value"]["rectanglelabels"] == ["car"]


def test_model_version_is_required(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.5 0.5 0.2 0.2\n"})
    with pytest.raises(PredictionImportError, match="--model-version"):
        run(tmp_path, "yolo", src, model_version=None)


def test_into_matches_by_path_then_name_keeps_predictions_and_lists_the_rest(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.5 0.5 0.2 0.2 0.5\n", "b": "1 0.5 0.5 0.2 0.2\n",
                                 "c": "1 0.5 0.5 0.2 0.2\n"})
    old = {"model_version": "old", "result": [{"id": "x", "type": "choices", "value": {"choices": ["a"]},
                                               "from_name": "c", "to_name": "img"}]}
    into = [{"id": 7, "data": {"image": "src/images/a.jpg"}, "predictions": [old]},
            {"id": 8, "data": {"image": "https://example.com/photos/b.jpg"}}]
    (tmp_path / "tasks.json").write_text(json.dumps(into), encoding="utf-8")
    summary, tasks = run(tmp_path, "yolo", src, into=str(tmp_path / "tasks.json"))
    assert [t["id"] for t in tasks] == [7, 8]
    assert [p["model_version"] for p in tasks[0]["predictions"]] == ["old", "m1"]
    assert tasks[1]["predictions"][0]["result"][0]["value"]["rectanglelabels"] == ["person"]
    assert summary.unmatched == ["c"] and summary.tasks_matched == 2
    with pytest.raises(OverwriteError):
        run(tmp_path, "yolo", src, into=str(tmp_path / "tasks.json"), out=tmp_path / "tasks.json")


def test_into_writes_its_tasks_back_as_they_were_a_lone_surrogate_and_nan_too(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.5 0.5 0.2 0.2\n"})
    # half of a UTF-16 pair and a NaN, as task files may hold: orjson refused the first (the write crashed with
    # an internal error) and turned the second into null
    (tmp_path / "tasks.json").write_text('[{"id": 7, "data": {"image": "src/images/a.jpg", "note": "x\\ud800y", '
                                         '"w": NaN}}]', encoding="utf-8")
    summary, _ = run(tmp_path, "yolo", src, into=str(tmp_path / "tasks.json"))
    assert summary.tasks_matched == 1
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert '"x\\ud800y"' in text and '"w": NaN' in text


def test_ls_root_makes_local_files_urls(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.5 0.5 0.2 0.2\n"})
    _summary, tasks = run(tmp_path, "yolo", src, ls_root=str(tmp_path))
    assert tasks[0]["data"]["image"] == "/data/local-files/?d=src/images/a.jpg"


def coco_dataset(tmp_path: Path, annotations: list, categories=None, size=(1000, 500)) -> Path:
    make_image(tmp_path / "imgs" / "a.png", size)
    document = {"images": [{"id": 3, "file_name": "a.png", "width": size[0], "height": size[1]}],
                "annotations": annotations,
                "categories": categories or [{"id": 1, "name": "car"}, {"id": 2, "name": "road"},
                                             {"id": 5, "name": "sky"}]}
    path = tmp_path / "imgs" / "coco.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_coco_instance_is_one_region_not_a_box_and_a_polygon(tmp_path):
    ring = [100, 100, 300, 120, 250, 300, 90, 260]
    src = coco_dataset(tmp_path, [{"id": 1, "image_id": 3, "category_id": 2, "bbox": [90, 100, 210, 200],
                                   "segmentation": [ring], "score": 0},
                                  {"id": 2, "image_id": 3, "category_id": 1, "bbox": [10, 20, 30, 40],
                                   "segmentation": [ring]}])
    summary, tasks = run(tmp_path, "coco", src)
    road, car = only_results(tasks)
    assert road["type"] == "polygonlabels" and road["value"]["points"][0] == [10.0, 20.0] and road["score"] == 0
    # car: no polygon control offers it, so its box
    assert car["type"] == "rectanglelabels" and car["value"]["x"] == 1.0 and car["value"]["height"] == 8.0
    assert sum(summary.regions.values()) == 2


@pytest.mark.parametrize("compressed", [True, False])
def test_coco_rle_decoded_to_brush(tmp_path, compressed):
    mask = np.zeros((500, 1000), dtype=bool)
    mask[50:120, 200:400] = True
    mask[300:310, 5:900] = True
    segmentation = coco_rle(mask)
    if not compressed:
        flat = mask.ravel(order="F")
        changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
        segmentation = {"size": [500, 1000], "counts": np.diff(np.concatenate(([0], changes, [flat.size]))).tolist()}
    src = coco_dataset(tmp_path, [{"id": 1, "image_id": 3, "category_id": 5, "bbox": [5, 50, 895, 260],
                                   "segmentation": segmentation, "iscrowd": 1, "score": 0.3}])
    _summary, tasks = run(tmp_path, "coco", src)
    (sky,) = only_results(tasks)
    assert sky["type"] == "brushlabels" and sky["score"] == 0.3
    assert np.array_equal(rle.decode(sky["value"]["rle"], 1000, 500) > 0, mask)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pycocotools on numpy 2 (its __array__ copy keyword)
def test_coco_rle_matches_pycocotools(tmp_path):
    mask_util = pytest.importorskip("pycocotools.mask")
    from viewer.core.importing.coco import decode_coco_rle

    rng = np.random.default_rng(3)
    mask = rng.random((37, 53)) > 0.6
    encoded = mask_util.encode(np.asfortranarray(mask.astype(np.uint8)))
    encoded["counts"] = encoded["counts"].decode("ascii")
    assert np.array_equal(decode_coco_rle(encoded), mask_util.decode(encoded).astype(bool))


def test_coco_results_list_with_coco_images(tmp_path):
    dataset = coco_dataset(tmp_path, [])
    results = tmp_path / "results.json"
    results.write_text(json.dumps([{"image_id": 3, "category_id": 1, "bbox": [100, 50, 200, 100], "score": 0.0}]),
                       encoding="utf-8")
    with pytest.raises(PredictionImportError, match="--coco-images"):
        run(tmp_path, "coco", results)
    _summary, tasks = run(tmp_path, "coco", results, coco_images=str(dataset))
    (car,) = only_results(tasks)
    assert car["score"] == 0.0 and car["value"]["width"] == 20.0
    assert tasks[0]["data"]["image"] == "imgs/a.png"


def test_coco_keypoints_take_the_categorys_keypoint_names(tmp_path):
    src = coco_dataset(tmp_path, [{"id": 1, "image_id": 3, "category_id": 1, "bbox": [100, 100, 200, 200],
                                   "keypoints": [0, 0, 0, 150, 120, 2], "num_keypoints": 1}],
                       categories=[{"id": 1, "name": "person", "keypoints": ["tail", "nose"]}])
    _summary, tasks = run(tmp_path, "coco", src, config=POSE)
    box, nose = only_results(tasks)
    assert nose["value"]["keypointlabels"] == ["nose"] and nose["parentID"] == box["id"]


def test_an_image_not_found_is_left_out_and_said(tmp_path):
    src = yolo_folder(tmp_path, {"a": "0 0.5 0.5 0.2 0.2\n", "b": "0 0.5 0.5 0.2 0.2\n0 0.1 0.1 0.1 0.1\n"})
    (src / "images" / "b.jpg").unlink()
    summary, tasks = run(tmp_path, "yolo", src)
    assert len(tasks) == 1 and summary.images == 1
    assert summary.skipped["line(s) of an image not found or not readable"] == 2
    assert any(line.startswith("b: left out") for line in summary.notes)
    assert any("2 line(s) of an image not found" in line for line in summary.lines())

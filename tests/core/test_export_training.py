"""Training exports (COCO, YOLO): which labels, pixel geometry, class ids, the output folder, the summary, and each
defect of Label Studio's converter named in issue 15 done right."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from tests.core.export_training_helpers import CONFIG, POSE_CONFIG, box, coco, label_lines, make, result, run
from viewer.core import rle
from viewer.core.export.base import ExportError
from viewer.core.export.training.classes import label_studio_ids, read_classes
from viewer.core.export.training.pixels import ELLIPSE_SIDES, ellipse_polygon, polygon_area
from viewer.core.config import parse_config
from viewer.core.errors import OutputError
from viewer.core.outputs import OverwriteError
from viewer.core.shapes import Ellipse

ROTATED = {"x": 30, "y": 20, "w": 30, "h": 20, "rotation": 90}


def annotation(aid, results, updated=None, created=None, **extra):
    item = {"id": aid, "result": results, **extra}
    if updated:
        item["updated_at"] = updated
    if created:
        item["created_at"] = created
    return item


def task(*annotations, image="a.png", tid=1, predictions=()):
    return {"id": tid, "data": {"image": image}, "annotations": list(annotations), "predictions": list(predictions)}


# -- which labels ------------------------------------------------------------------------------------------------

def test_annotations_source_takes_the_latest_by_updated_at_not_the_file_order(tmp_path):
    newer = annotation(11, [box("n", "alpha", 10, 10, 10, 10)], "2024-02-01T00:00:00Z")
    older = annotation(10, [box("o", "beta", 50, 50, 10, 10)], "2024-01-01T00:00:00Z")
    cancelled = annotation(12, [box("c", "zeta", 0, 0, 5, 5)], "2024-03-01T00:00:00Z", was_cancelled=True)
    for order in ([newer, older, cancelled], [cancelled, older, newer]):
        folder = make(tmp_path / str(order[0]["id"]), [task(*order)])
        summary, out = run(folder, "yolo", source="annotations")
        assert label_lines(out) == [[0, 0.15, 0.15, 0.1, 0.1]]  # alpha = 0 of annotation 11
        assert dict(summary.instances) == {"alpha": 1}


def test_created_at_then_the_id_break_ties_and_only_position_is_said(tmp_path):
    a = annotation(7, [box("a", "alpha", 10, 10, 10, 10)], created="2024-01-02T00:00:00+00:00")
    b = annotation(9, [box("b", "beta", 10, 10, 10, 10)], created="2024-01-01T00:00:00Z")
    summary, out = run(make(tmp_path / "t1", [task(b, a)]), "yolo", source="annotations")
    assert label_lines(out)[0][0] == 0 and not summary.notes
    c, d = annotation(3, [box("c", "alpha", 10, 10, 10, 10)]), annotation(4, [box("d", "beta", 10, 10, 10, 10)])
    summary, out = run(make(tmp_path / "t2", [task(d, c)]), "yolo", source="annotations")
    assert label_lines(out)[0][0] == 1  # id 4 is the larger
    e, f = annotation(None, [box("e", "alpha", 10, 10, 10, 10)]), annotation(None, [box("f", "beta", 1, 1, 1, 1)])
    summary, out = run(make(tmp_path / "t3", [task(e, f)]), "yolo", source="annotations")
    assert label_lines(out)[0][0] == 1 and "the last of them in the file was taken" in summary.notes[0]


def test_reviewed_source_prefers_the_sessions_working_annotation(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("o", "beta", 50, 50, 10, 10)])),
                             task(annotation(2, [box("p", "beta", 50, 50, 10, 10)]), tid=2, image="a.png")])
    summary, out = run(folder, "coco", session_region={0: [box("x", "zeta", 0, 0, 10, 10)]})
    doc = coco(out)
    assert [a["category_id"] for a in doc["annotations"]] == [2, 1]  # the session's zeta, then task 2's beta
    rows = list(csv.DictReader((out / "files.csv").open()))
    assert [r["labels_from"] for r in rows] == ["session", "annotation 0 (id 2)"]


def test_a_task_rejected_in_review_or_without_annotation_is_left_out(tmp_path):
    folder = make(tmp_path, [task(tid=1), task(annotation(2, []), tid=2)])
    summary, out = run(folder, "yolo")
    assert summary.left_out == 1 and summary.tasks == 1
    assert (out / "labels" / "a.txt").read_text() == ""  # task 2: reviewed, no regions: a negative image
    rows = list(csv.DictReader((out / "files.csv").open()))
    assert [(r["task_id"], r["file"]) for r in rows] == [("1", ""), ("2", "labels/a.txt")]


def test_predictions_need_one_model_version_and_keep_scores(tmp_path):
    preds = [{"model_version": "v1", "score": 0.4, "result": [box("a", "alpha", 10, 10, 10, 10),
                                                             {**box("b", "beta", 40, 40, 10, 10), "score": 0.9}]},
             {"model_version": "v2", "result": [box("c", "zeta", 10, 10, 10, 10)]}]
    folder = make(tmp_path, [task(predictions=preds)])
    with pytest.raises(ExportError, match=r"2 model versions: 'v1' \(1\), 'v2' \(1\); name one"):
        run(folder, "coco", source="predictions")
    with pytest.raises(ExportError, match="no prediction has model_version 'v3'"):
        run(folder, "coco", source="predictions", model_version="v3")
    assert not (folder / "out").exists()
    summary, out = run(folder, "coco", source="predictions", model_version="v1")
    assert [a["score"] for a in coco(out)["annotations"]] == [0.4, 0.9]  # region's own score, else the prediction's
    summary, out = run(folder, "yolo", "out2", source="predictions", model_version="v1", min_score=0.5,
                       with_scores=True)
    assert label_lines(out) == [[1, 0.45, 0.45, 0.1, 0.1, 0.9]]
    assert summary.skipped["below --min-score"] == 1


# -- geometry ----------------------------------------------------------------------------------------------------

def test_rotated_rectangle_in_pixels_on_a_wide_image(tmp_path):
    """The converter's COCO gives [100,100,200,150] for this (percent space) and its YOLO ignores the rotation."""
    folder = make(tmp_path, [task(annotation(1, [box("r", "zeta", **ROTATED)]))])
    _, out = run(folder, "coco")
    ann = coco(out)["annotations"][0]
    assert ann["bbox"] == [200, 100, 100, 300]
    assert ann["segmentation"] == [[300, 100, 300, 400, 200, 400, 200, 100]] and ann["area"] == 30000
    _, out = run(folder, "yolo", "yolo")
    assert label_lines(out) == [[2, 0.25, 0.5, 0.1, 0.6]]
    _, out = run(folder, "yolo-obb", "obb")
    assert label_lines(out) == [[2, 0.3, 0.2, 0.3, 0.8, 0.2, 0.8, 0.2, 0.2]]


def test_obb_writes_a_rectangle_without_rotation_key(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 10, 20, 30, 40)]))])
    summary, out = run(folder, "yolo-obb")
    assert label_lines(out) == [[0, 0.1, 0.2, 0.4, 0.2, 0.4, 0.6, 0.1, 0.6]] and not summary.skipped


def test_exif_orientation_gives_the_decoded_size(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 0, 0, 50, 50)]))], size=(1000, 500),
                  orientation=6)
    _, out = run(folder, "coco")
    doc = coco(out)
    assert (doc["images"][0]["width"], doc["images"][0]["height"]) == (500, 1000)
    assert doc["annotations"][0]["bbox"] == [0, 0, 250, 500]


def test_ellipse_polygon_area_is_within_half_a_percent():
    ellipse = Ellipse(50, 50, 30, 10, 33)
    for width, height in ((1000, 500), (37, 900)):
        true_area = math.pi * 0.3 * width * 0.1 * height
        assert abs(polygon_area(ellipse_polygon(ellipse, width, height)) / true_area - 1) < 0.005
    assert ELLIPSE_SIDES * math.sin(2 * math.pi / ELLIPSE_SIDES) / (2 * math.pi) > 0.995


def test_regions_are_found_by_shape_whatever_control_made_them(tmp_path):
    """Polygon / Ellipse / Rectangle + Labels: the converter drops the first two silently."""
    poly = [result("p", {"points": [[10, 10], [50, 10], [50, 50]], "closed": True}, "polygon", "poly"),
            result("p", {"points": [[10, 10], [50, 10], [50, 50]], "labels": ["car"]}, "labels", "lab")]
    ell = [result("e", {"x": 50, "y": 50, "radiusX": 10, "radiusY": 20, "rotation": 0}, "ellipse", "ell"),
           result("e", {"x": 50, "y": 50, "radiusX": 10, "radiusY": 20, "labels": ["car"]}, "labels", "lab")]
    rect = [result("r", {"x": 0, "y": 0, "width": 10, "height": 10}, "rectangle", "rect"),
            result("r", {"x": 0, "y": 0, "width": 10, "height": 10, "labels": ["car"]}, "labels", "lab")]
    folder = make(tmp_path, [task(annotation(1, poly + ell + rect))])
    summary, out = run(folder, "coco")
    anns = coco(out)["annotations"]
    assert [a["category_id"] for a in anns] == [3, 3, 3] and summary.instances["car"] == 3
    assert anns[1]["bbox"] == pytest.approx([400, 150, 200, 200], abs=1e-3)  # the ellipse's hull
    assert len(anns[1]["segmentation"][0]) == 2 * ELLIPSE_SIDES
    assert abs(anns[1]["area"] / (math.pi * 100 * 100) - 1) < 0.005
    _, out = run(folder, "yolo-seg", "seg")
    lines = label_lines(out)
    assert lines[0] == [3, 0.1, 0.1, 0.5, 0.1, 0.5, 0.5] and len(lines[1]) == 1 + 2 * ELLIPSE_SIDES


def test_coordinates_outside_the_image_are_clamped_and_counted(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 90, 90, 20, 20),
                                                 box("s", "alpha", 120, 10, 5, 5)]))])
    summary, out = run(folder, "yolo")
    assert label_lines(out) == [[0, 0.95, 0.95, 0.1, 0.1]]
    assert summary.clamped == 1
    assert summary.skipped["a rectangle: outside the image (nothing left after clamping)"] == 1
    text = "\n".join(summary.lines())
    assert "1 region(s) reached outside the image and were clamped to it" in text


# -- class ids ---------------------------------------------------------------------------------------------------

def test_class_ids_follow_label_studios_rule_and_classes_txt_is_by_id(tmp_path):
    """category="N" first, the rest alphabetical into the lowest free ids (the converter writes classes.txt in
    list order: zeta, beta, alpha)."""
    assert label_studio_ids(parse_config(CONFIG)) == {"zeta": 2, "alpha": 0, "beta": 1, "car": 3, "road": 4}
    folder = make(tmp_path, [task(annotation(1, [box("r", "zeta", 10, 10, 10, 10)]))])
    _, out = run(folder, "yolo")
    assert (out / "classes.txt").read_text().splitlines() == ["alpha", "beta", "zeta", "car", "road"]
    yaml = (out / "data.yaml").read_text()
    assert "nc: 5\n" in yaml and '  2: "zeta"\n' in yaml and "train: images\n" in yaml


def test_yolo_without_its_images_says_where_data_yaml_expects_them(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "zeta", 10, 10, 10, 10)]))])
    _, out = run(folder, "yolo")
    assert "# images/ is filled by lsview export --copy-images" in (out / "data.yaml").read_text()
    doc_cats = coco(run(folder, "coco", "c")[1])["categories"]
    assert [(c["id"], c["name"]) for c in doc_cats] == [(0, "alpha"), (1, "beta"), (2, "zeta"), (3, "car"),
                                                          (4, "road")]


def test_a_label_outside_the_config_takes_the_next_free_id_and_is_said(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "truck", 10, 10, 10, 10)]))])
    summary, out = run(folder, "yolo")
    assert label_lines(out)[0][0] == 5 and "truck=5" in summary.notes[-1]


def test_classes_file_pins_the_ids_and_a_missing_label_is_an_error(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "zeta", 10, 10, 10, 10),
                                                 box("s", "beta", 10, 10, 10, 10)]))])
    (tmp_path / "classes.txt").write_text("beta\nzeta\n")
    _, out = run(folder, "yolo", classes=str(tmp_path / "classes.txt"))
    assert [line[0] for line in label_lines(out)] == [1, 0]
    assert (out / "classes.txt").read_text() == "beta\nzeta\n"
    (tmp_path / "data.yaml").write_text("path: .\nnames:\n  0: zeta\n")
    with pytest.raises(ExportError, match=r"label 'beta' is not in .*data.yaml"):
        run(folder, "yolo", "out2", classes=str(tmp_path / "data.yaml"))
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize("text", ["names: [zeta, 'be ta']\n", "names:\n  - zeta\n  - \"be ta\"\nnc: 2\n",
                                  "nc: 2\nnames:\n  0: zeta\n  1: be ta  # comment\n",
                                  "names: {0: zeta, 1: 'be ta'}\n"])
def test_data_yaml_names_in_each_usual_spelling(tmp_path, text):
    (tmp_path / "data.yaml").write_text(text)
    assert read_classes(str(tmp_path / "data.yaml")).ids == {"zeta": 0, "be ta": 1}


# -- output folder -----------------------------------------------------------------------------------------------

def test_the_folder_is_new_or_empty_and_never_an_input(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 10, 10, 10, 10)]))])
    (folder / "out").mkdir()
    (folder / "out" / "old.txt").write_text("x")
    with pytest.raises(ExportError, match="is a folder that is not empty"):
        run(folder, "yolo")
    (folder / "out" / "old.txt").unlink()
    summary, out = run(folder, "yolo")  # an empty folder is taken
    assert (out / "labels" / "a.txt").exists()
    with pytest.raises(OverwriteError, match="is an input file"):
        run(folder, "yolo", "tasks.json")
    with pytest.raises(ExportError, match="is a file"):
        (folder / "note.txt").write_text("x")
        run(folder, "yolo", "note.txt")


def test_an_error_half_way_leaves_nothing(tmp_path, monkeypatch):
    from viewer.core.export.training import yolo

    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 10, 10, 10, 10)])),
                             task(annotation(2, [box("s", "alpha", 10, 10, 10, 10)]), tid=2)])
    calls = []

    def failing(self, item):
        calls.append(item)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, item)

    original = yolo.YoloDetect.task
    monkeypatch.setattr(yolo.YoloDetect, "task", failing)
    with pytest.raises(OutputError, match="No space left on device; nothing was written"):
        run(folder, "yolo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "config.xml", "s.sqlite", "tasks.json"]


def test_a_folder_a_killed_export_left_goes_with_the_next_export(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 10, 10, 10, 10)]))])
    left = folder / ".out.999999999.abcd_123.part"
    (left / "labels").mkdir(parents=True)
    (left / "labels" / "a.txt").write_text("0 0.5 0.5 1 1\n")
    run(folder, "yolo")
    assert not left.exists() and (folder / "out" / "labels" / "a.txt").exists()


def test_copied_images_with_equal_stems_get_unique_names_and_files_csv_maps_them(tmp_path):
    (tmp_path / "x").mkdir()
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 10, 10, 10, 10)])),
                             task(annotation(2, [box("s", "beta", 10, 10, 10, 10)]), tid=2, image="x/A.png")],
                  images=("a.png", "x/A.png"))
    summary, out = run(folder, "yolo", images="copy")
    assert sorted(p.name for p in (out / "images").iterdir()) == ["A_2.png", "a.png"]
    assert sorted(p.name for p in (out / "labels").iterdir()) == ["A_2.txt", "a.txt"]
    rows = [(r["task_id"], r["image"], r["file"]) for r in csv.DictReader((out / "files.csv").open())]
    assert rows == [("1", "a.png", "labels/a.txt"), ("1", "a.png", "images/a.png"),
                    ("2", "x/A.png", "labels/A_2.txt"), ("2", "x/A.png", "images/A_2.png")]
    _, linked = run(folder, "coco", "linked", images="link")
    assert (linked / "images" / "A_2.png").is_symlink()
    assert (linked / "images" / "A_2.png").read_bytes() == (tmp_path / "x" / "A.png").read_bytes()
    assert [i["file_name"] for i in coco(linked)["images"]] == ["a.png", "A_2.png"]


def test_the_summary_counts_images_instances_skips_and_clamps(tmp_path):
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 10, 10, 10, 10), box("s", "alpha", 95, 0, 10, 5),
                                                 result("u", {"x": 1, "y": 1, "width": 1, "height": 1}, "rectangle",
                                                        "rect")]))])
    summary, _ = run(folder, "yolo")
    assert (summary.images, dict(summary.instances), summary.clamped) == (1, {"alpha": 2}, 1)
    assert dict(summary.skipped) == {"a rectangle without a label": 1}


# -- masks and keypoints -----------------------------------------------------------------------------------------

def _brush(mask: np.ndarray, rid="m") -> dict:
    return result(rid, {"format": "rle", "rle": rle.encode(mask), "brushlabels": ["road"]}, "brushlabels", "brush")


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # pycocotools with numpy 2
def test_brush_to_coco_is_one_rle_per_region_with_holes_and_pixel_area(tmp_path):
    pycocotools = pytest.importorskip("pycocotools.coco")
    mask = np.zeros((500, 1000), dtype=bool)
    mask[100:200, 100:300] = True
    mask[140:160, 150:180] = False          # a hole
    mask[300:310, 600:605] = True           # a second part of the same region
    six = np.zeros((500, 1000), dtype=bool)
    six[1:3, 2:5] = True                    # the converter's 6-pixel mask: area 2 there
    folder = make(tmp_path, [task(annotation(1, [_brush(mask), _brush(six, "six")]))])
    _, out = run(folder, "coco")
    api = pycocotools.COCO(str(out / "annotations.json"))
    anns = api.loadAnns(api.getAnnIds())
    assert len(anns) == 2 and all(a["iscrowd"] == 0 for a in anns)
    assert np.array_equal(api.annToMask(anns[0]).astype(bool), mask)
    assert np.array_equal(api.annToMask(anns[1]).astype(bool), six)
    assert anns[0]["area"] == mask.sum() and anns[1]["area"] == 6
    assert anns[1]["bbox"] == [2, 1, 3, 2] and anns[0]["bbox"] == [100, 100, 505, 210]


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # pycocotools with numpy 2
def test_coco_polygons_load_in_pycocotools(tmp_path):
    pycocotools = pytest.importorskip("pycocotools.coco")
    folder = make(tmp_path, [task(annotation(1, [box("r", "zeta", **ROTATED)]))])
    _, out = run(folder, "coco")
    api = pycocotools.COCO(str(out / "annotations.json"))
    drawn = api.annToMask(api.loadAnns(api.getAnnIds())[0])
    assert drawn.shape == (500, 1000) and abs(int(drawn.sum()) - 30000) < 1000
    ys, xs = np.nonzero(drawn)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (200, 299, 100, 399)


def test_yolo_seg_traces_outer_boundaries_and_notes_holes(tmp_path):
    mask = np.zeros((500, 1000), dtype=bool)
    mask[100:200, 100:300] = True
    mask[140:160, 150:180] = False
    folder = make(tmp_path, [task(annotation(1, [_brush(mask)]))])
    summary, out = run(folder, "yolo-seg")
    (line,) = label_lines(out)
    points = [(x * 1000, y * 500) for x, y in zip(line[1::2], line[2::2])]
    assert line[0] == 4 and sorted(points) == sorted([(100, 100), (300, 100), (300, 200), (100, 200)])
    assert summary.mentions["brush region(s) with holes: yolo-seg polygons are their outer boundaries"] == 1


def _pose_task():
    person = box("p1", "person", 10, 10, 40, 40)
    other = box("p2", "person", 60, 10, 20, 20)
    kps = [result("k1", {"x": 20, "y": 20, "width": 1, "keypointlabels": ["nose"]}, "keypointlabels", "kp",
                  parentID="p1"),
           result("k2", {"x": 30, "y": 30, "width": 1, "keypointlabels": ["ear"]}, "keypointlabels", "kp",
                  parentID="p1"),
           result("k3", {"x": 70, "y": 15, "width": 1, "keypointlabels": ["eye"]}, "keypointlabels", "kp",
                  parentID="p2"),
           result("k4", {"x": 5, "y": 5, "width": 1, "keypointlabels": ["eye"]}, "keypointlabels", "kp")]
    return task(annotation(1, [person, other, *kps]))


def test_coco_keypoints_one_instance_per_parent_rectangle_in_model_index_order(tmp_path):
    folder = make(tmp_path, [_pose_task()], POSE_CONFIG)
    summary, out = run(folder, "coco")
    doc = coco(out)
    assert doc["categories"][0]["keypoints"] == ["eye", "nose", "ear"]
    first, second = doc["annotations"]
    assert first["keypoints"] == [0, 0, 0, 200, 100, 2, 300, 150, 2] and first["num_keypoints"] == 2
    assert second["keypoints"] == [700, 75, 2, 0, 0, 0, 0, 0, 0] and second["bbox"] == [600, 50, 200, 100]
    assert summary.skipped["a keypoint with no parent rectangle (parentID)"] == 1


def test_yolo_pose_lines_and_kpt_shape(tmp_path):
    folder = make(tmp_path, [_pose_task()], POSE_CONFIG)
    _, out = run(folder, "yolo-pose")
    assert label_lines(out) == [[0, 0.3, 0.3, 0.4, 0.4, 0, 0, 0, 0.2, 0.2, 2, 0.3, 0.3, 2],
                                [0, 0.7, 0.2, 0.2, 0.2, 0.7, 0.15, 2, 0, 0, 0, 0, 0, 0]]
    assert "kpt_shape: [3, 3]\n" in (out / "data.yaml").read_text()
    with pytest.raises(ExportError, match="yolo-pose needs <KeyPointLabels>"):
        run(make(tmp_path / "plain", [_pose_task()], CONFIG), "yolo-pose")


# -- the converter's defects, each done right ----------------------------------------------------------------------

def test_two_annotations_give_one_image_and_the_newest_labels(tmp_path):
    """The converter: COCO adds an images[] entry per annotation, YOLO keeps the oldest (label-studio#5421)."""
    jan = annotation(10, [box("a", "alpha", 10, 10, 10, 10)], "2024-01-01T00:00:00Z")
    feb = annotation(11, [box("b", "beta", 10, 10, 10, 10)], "2024-02-01T00:00:00Z")
    folder = make(tmp_path, [task(jan, feb)])
    _, out = run(folder, "coco", source="annotations")
    doc = coco(out)
    assert len(doc["images"]) == 1 and [a["category_id"] for a in doc["annotations"]] == [1]
    _, out = run(folder, "yolo", "y", source="annotations")
    assert label_lines(out) == [[1, 0.15, 0.15, 0.1, 0.1]]


def test_predictions_are_exported(tmp_path):
    """The converter never exports predictions."""
    folder = make(tmp_path, [task(predictions=[{"model_version": "m", "result": [box("a", "alpha", 1, 1, 1, 1)]}])])
    summary, _ = run(folder, "yolo", source="predictions")
    assert dict(summary.instances) == {"alpha": 1}


def test_a_text_format_gets_each_tasks_regions_and_no_images(tmp_path):
    """The framework's side for the NER formats (issue15-export2): needs = "text" gives the chosen regions."""
    from viewer.core.export.training.job import TrainingFormat
    from viewer.core.export.training.options import TrainingOptions
    from viewer.core.export.training.run import export_training
    from viewer.core.project import open_project
    from viewer.core.review.session import ReviewSession

    class Spans(TrainingFormat):
        name, needs = "spans", "text"

        def task(self, item):
            assert item.images == []
            text = self.job.project.text(item.task, "text")
            lines = [f"{r.shape.start} {r.shape.end} {r.labels[0]} {text[r.shape.start:r.shape.end]}"
                     for r in item.chosen.regions]
            return [self.job.folder.write_text(f"{item.task.id}.txt", "\n".join(lines))]

    span = {"id": "s", "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}}
    config = ('<View><Text name="text" value="$text"/><Labels name="ner" toName="text"><Label value="PER"/>'
              '</Labels></View>')
    folder = make(tmp_path, [{"id": 7, "data": {"text": "Alice went"}, "annotations": [annotation(1, [span])]}],
                  config, images=())
    project = open_project(folder / "tasks.json", folder / "config.xml", offline=True)
    session = ReviewSession.open(project, folder / "s.sqlite")
    try:
        summary = export_training(session, folder / "out", Spans, TrainingOptions())
    finally:
        session.close()
    assert (folder / "out" / "7.txt").read_text() == "0 5 PER Alice" and summary.images == 0
    assert (folder / "out" / "files.csv").read_text().splitlines()[1] == "0,7,annotation 0 (id 1),,7.txt"


def test_an_image_format_on_a_config_without_an_image_is_refused_before_anything_is_written(tmp_path):
    from viewer.core.export.base import ExportError
    from viewer.core.export.training import training_formats
    from viewer.core.export.training.run import export_training
    from viewer.core.project import open_project
    from viewer.core.review.session import ReviewSession

    config = ('<View><Text name="text" value="$text"/><Labels name="ner" toName="text"><Label value="PER"/></Labels>'
              '</View>')
    folder = make(tmp_path, [{"id": 7, "data": {"text": "Alice went"}}], config, images=())
    project = open_project(folder / "tasks.json", folder / "config.xml", offline=True)
    session = ReviewSession.open(project, folder / "s.sqlite")
    try:
        with pytest.raises(ExportError, match="the config has no <Image>"):
            export_training(session, tmp_path / "out", training_formats()["coco"])
    finally:
        session.close()
    assert not (tmp_path / "out").exists()
    assert training_formats()["conll2003"].config_problem(project.config) is None


def test_a_polygon_crossing_the_border_is_clipped_not_clamped():
    from viewer.core.export.training.pixels import clip_polygon, polygon_area
    # a triangle whose tip pokes 50 px out of a 100 x 100 image: its edges keep their slopes
    triangle = [(50.0, 20.0), (150.0, 50.0), (50.0, 80.0)]
    inside = clip_polygon(triangle, 100, 100)
    assert inside == [(50.0, 20.0), (100.0, 35.0), (100.0, 65.0), (50.0, 80.0)]
    assert polygon_area(inside) == 50 * (60 + 30) / 2          # clamping the tip to x=100 gave 1500, not 2250
    assert clip_polygon([(200, 200), (300, 200), (250, 300)], 100, 100) == []
    assert clip_polygon([(10, 10), (90, 10), (50, 90)], 100, 100) == [(10, 10), (90, 10), (50, 90)]


def test_coco_segmentation_and_area_of_a_rotated_box_crossing_the_border_are_its_part_inside(tmp_path):
    # 1000 x 500 image (make's default): a 45-degree box whose far corner leaves the image on the right
    folder = make(tmp_path, [task(annotation(1, [box("r", "alpha", 95, 40, 10, 10, rotation=45)]))])
    _, out = run(folder, "coco")
    ann = coco(out)["annotations"][0]
    points = list(zip(ann["segmentation"][0][0::2], ann["segmentation"][0][1::2]))
    assert all(0 <= x <= 1000 and 0 <= y <= 500 for x, y in points) and len(points) > 4
    assert ann["area"] == pytest.approx(polygon_area_of(points), abs=0.1)   # its points are rounded to 3 places
    assert ann["bbox"][0] + ann["bbox"][2] == pytest.approx(1000, abs=0.01)


def polygon_area_of(points):
    from viewer.core.export.training.pixels import polygon_area
    return polygon_area(points)

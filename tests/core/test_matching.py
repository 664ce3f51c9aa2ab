"""Matching by overlap on hand-computed cases: IoU edges, rotated boxes, concave polygons, masks, spans."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import make_image, rect, write_project
from viewer.core import rle
from viewer.core.matching import (LABEL_DIFFERS, MATCHED, ONLY_A, ONLY_B, Outline, compare, iou, outline,
                                  span_overlap)
from viewer.core.project import open_project
from viewer.core.regions import group_results

SIZE = (100, 100)  # percent == pixels, so hand computations stay readable


def region_of(shape_value, rtype="rectanglelabels", labels=("Car",), rid="r"):
    value = {**shape_value, rtype: list(labels)}
    return group_results([{"id": rid, "from_name": "f", "to_name": "image", "type": rtype, "value": value}],
                         "prediction", 0).regions[0]


def box(x, y, w, h, rotation=0):
    return outline(region_of({"x": x, "y": y, "width": w, "height": h, "rotation": rotation}), SIZE)


@pytest.mark.parametrize("a, b, expected", [
    (box(0, 0, 10, 10), box(0, 0, 10, 10), 1.0),
    (box(0, 0, 10, 10), box(5, 0, 10, 10), 50 / 150),
    (box(0, 0, 10, 10), box(10, 0, 10, 10), 0.0),          # touching edges share no area
    (box(0, 0, 10, 10), box(20, 20, 5, 5), 0.0),
    (box(0, 0, 10, 10), box(2, 2, 5, 5), 25 / 100),         # one inside the other
    (box(10, 10, 10, 10, 90), box(0, 10, 10, 10), 1.0),     # turned 90 degrees about its top-left corner
    (box(10, 10, 10, 10, 180), box(0, 0, 10, 10), 1.0),
    (box(10, 10, 10, 10, 90), box(10, 10, 10, 10), 0.0),
])
def test_rectangle_iou_hand_computed(a, b, expected):
    assert iou(a, b) == pytest.approx(expected, abs=1e-9)
    assert iou(b, a) == pytest.approx(expected, abs=1e-9)


def test_rotated_square_against_its_own_diamond_area():
    diamond = box(50, 40, 10 * 2 ** 0.5, 10 * 2 ** 0.5, 45)  # a 45-degree square of area 200
    square = Outline([(40, 40), (60, 40), (60, 60), (40, 60)])
    # the diamond's top corner is at (50, 40); its area 200 lies inside the 20x20 square, minus nothing
    assert diamond.area == pytest.approx(200)
    assert iou(diamond, square) == pytest.approx(200 / 400, abs=1e-9)


def test_ellipse_and_concave_polygon():
    circle = outline(region_of({"x": 50, "y": 50, "radiusX": 10, "radiusY": 10}, "ellipselabels"), SIZE)
    assert circle.area == pytest.approx(np.pi * 100, rel=0.003)
    l_shape = Outline([(0, 0), (20, 0), (20, 10), (10, 10), (10, 20), (0, 20)])  # area 300, concave
    other_l = Outline([(0, 0), (20, 0), (20, 10), (10, 10), (10, 20), (0, 20)])
    assert iou(l_shape, other_l) == pytest.approx(1.0, abs=0.01)
    notch = Outline([(10, 10), (20, 10), (20, 20), (10, 20)])  # exactly the missing corner
    assert iou(l_shape, notch) == pytest.approx(0.0, abs=0.01)
    half = Outline([(0, 0), (20, 0), (20, 10), (0, 10)])  # area 200, overlaps the L in 200
    assert iou(l_shape, half) == pytest.approx(200 / 300, abs=0.01)


def test_masks_are_compared_pixel_by_pixel_and_against_outlines():
    a = np.zeros((100, 100), bool)
    a[0:10, 0:10] = True
    b = np.zeros((100, 100), bool)
    b[5:15, 0:10] = True
    assert iou(Outline(mask=a), Outline(mask=b)) == pytest.approx(50 / 150)
    assert iou(Outline(mask=a), box(0, 0, 10, 10)) == pytest.approx(1.0)
    assert iou(Outline(mask=a), box(0, 0, 10, 5)) == pytest.approx(0.5)


def test_span_overlap():
    assert span_overlap((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert span_overlap((0, 10), (10, 20)) == 0.0
    assert span_overlap((3, 7), (3, 7)) == 1.0


def test_compare_pairs_regions_and_names_the_disagreements(tmp_path):
    make_image(tmp_path / "img" / "a.png", (200, 100))
    mask = np.zeros((100, 200), np.uint8)
    mask[10:30, 10:50] = 255
    brush = {"from_name": "brush", "to_name": "image", "type": "brushlabels",
             "value": {"format": "rle", "rle": rle.encode(mask), "brushlabels": ["Car"]}}
    prediction = [rect("p1", x=0, y=0, width=10, height=10), rect("p2", ["P"], x=50, y=50, width=10, height=10),
                  rect("p3", x=80, y=80, width=5, height=5), {**brush, "id": "pm"}]
    annotation = [rect("a1", x=1, y=0, width=10, height=10), rect("a2", x=50, y=50, width=10, height=10),
                  rect("a4", x=30, y=0, width=5, height=5), {**brush, "id": "am"}]
    task = {"id": 1, "data": {"image": "img/a.png"}, "predictions": [{"result": prediction}],
            "annotations": [{"result": annotation}]}
    tasks_path, config_path = write_project(tmp_path, [task])
    project = open_project(tasks_path, config_path)
    (pred_set, pred), (ann_set, ann) = project.regions(project.tasks[0])
    rows = compare(project, project.tasks[0], pred.regions, ann.regions, threshold=0.5)
    by_status = {(row.status, row.a.id if row.a else None, row.b.id if row.b else None) for row in rows}
    assert by_status == {(MATCHED, "p1", "a1"), (LABEL_DIFFERS, "p2", "a2"), (MATCHED, "pm", "am"),
                         (ONLY_A, "p3", None), (ONLY_B, None, "a4")}
    overlap = {row.a.id: row.overlap for row in rows if row.a and row.b}
    assert overlap["p1"] == pytest.approx(180 / 220) and overlap["pm"] == pytest.approx(1.0)
    strict = compare(project, project.tasks[0], pred.regions, ann.regions, threshold=0.9)
    assert (ONLY_A, "p1") in {(row.status, row.a.id if row.a else None) for row in strict}

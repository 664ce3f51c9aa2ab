"""The Python API of imports (viewer.core.importing.api): pixels in, Label Studio results out."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.core import geometry, rle
from viewer.core.config import parse_config
from viewer.core.importing.api import (
    IdMaker, box_results, keypoint_results, make_prediction, mask_results, polygon_results, rotated_box_results,
)
from viewer.core.importing.base import PredictionImportError
from viewer.core.shapes import Rectangle

CONFIG = parse_config("""<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="car"/><Label value="person"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="road"/></PolygonLabels>
  <BrushLabels name="brush" toName="img"><Label value="sky"/></BrushLabels>
  <Rectangle name="rect" toName="img"/><Labels name="tag" toName="img"><Label value="sign"/></Labels>
  <KeyPointLabels name="kp" toName="img"><Label value="nose"/><Label value="tail"/></KeyPointLabels>
</View>""")
SIZE = (1000, 500)


def test_boxes_become_percent_of_the_image_with_its_size_and_scores():
    for box, fmt in (([100, 50, 300, 150], "xyxy"), ([100, 50, 200, 100], "xywh"), ([200, 100, 200, 100], "cxcywh")):
        (result,) = box_results(CONFIG, [box], ["car"], [0.0], image_size=SIZE, box_format=fmt)
        assert result["type"] == "rectanglelabels" and result["from_name"] == "box" and result["to_name"] == "img"
        assert result["value"] == {"x": 10.0, "y": 10.0, "width": 20.0, "height": 20.0, "rotation": 0.0,
                                   "rectanglelabels": ["car"]}
        assert (result["original_width"], result["original_height"], result["image_rotation"]) == (1000, 500, 0)
        assert result["score"] == 0.0  # a score of 0 is a score (the SDK converter drops it)


def test_prediction_score_is_the_mean_of_its_regions_unless_given():
    results = box_results(CONFIG, [[0, 0, 10, 10], [0, 0, 20, 20], [5, 5, 9, 9]], ["car", "car", "person"],
                          [0.0, 0.5, None], image_size=SIZE)
    prediction = make_prediction(results, "m1")
    assert prediction["model_version"] == "m1" and prediction["score"] == pytest.approx(0.25)
    assert make_prediction(results, "m1", score=0.9)["score"] == 0.9
    assert "score" not in make_prediction(box_results(CONFIG, [[0, 0, 1, 1]], ["car"], image_size=SIZE), "m1")


def test_class_ids_with_names_and_a_class_no_control_offers():
    (result,) = box_results(CONFIG, [[0, 0, 10, 10]], [1], image_size=SIZE, names=["car", "person"])
    assert result["value"]["rectanglelabels"] == ["person"]
    with pytest.raises(PredictionImportError, match="'truck'.*--label-map"):
        box_results(CONFIG, [[0, 0, 10, 10]], ["truck"], image_size=SIZE)
    (mapped,) = box_results(CONFIG, [[0, 0, 10, 10]], ["truck"], image_size=SIZE, label_map={"truck": "car"})
    assert mapped["value"]["rectanglelabels"] == ["car"]
    assert box_results(CONFIG, [[0, 0, 10, 10]], ["truck"], image_size=SIZE, label_map={"truck": None}) == []


def test_a_tool_and_labels_pair_is_two_results_sharing_one_id():
    tool, labels = box_results(CONFIG, [[100, 50, 300, 150]], ["sign"], [0.7], image_size=SIZE)
    assert (tool["type"], tool["from_name"], labels["type"], labels["from_name"]) == \
        ("rectangle", "rect", "labels", "tag")
    assert tool["id"] == labels["id"] and tool["score"] == labels["score"] == 0.7
    assert labels["value"] == {**tool["value"], "labels": ["sign"]}


@pytest.mark.parametrize("angle", [0, 17, 90, 135, 200, 333])
@pytest.mark.parametrize("clockwise", [True, False])
def test_rotated_box_corners_come_back_within_half_a_pixel(angle, clockwise):
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    x, y, w, h = 400.0, 200.0, 220.0, 90.0
    corners = [(x, y), (x + w * cos, y + w * sin), (x + w * cos - h * sin, y + w * sin + h * cos),
               (x - h * sin, y + h * cos)]
    given = corners if clockwise else [corners[0], *corners[:0:-1]]
    (result,) = rotated_box_results(CONFIG, [given], ["car"], image_size=SIZE)
    value = result["value"]
    back = geometry.rectangle_corners(Rectangle(value["x"], value["y"], value["width"], value["height"],
                                                value["rotation"]), *SIZE)
    assert back[0] == pytest.approx(given[0], abs=0.5)  # the first corner is the pivot
    for point in given:
        assert min(math.dist(point, other) for other in back) < 0.5
    assert 0 <= value["rotation"] < 360


def test_masks_are_brush_rle_with_alpha_255():
    mask = np.zeros((500, 1000), dtype=np.uint8)
    mask[100:200, 300:450] = 1  # a 0/1 mask: the SDK's mask2rle would write alpha 1, nearly invisible
    (result,) = mask_results(CONFIG, [mask], ["sky"], [0.4])
    assert result["type"] == "brushlabels" and result["value"]["format"] == "rle"
    alpha = rle.decode(result["value"]["rle"], 1000, 500)
    assert set(np.unique(alpha).tolist()) == {0, 255}
    assert np.array_equal(alpha > 0, mask > 0)


def test_shapes_go_to_the_kind_the_config_offers_their_class():
    mask = np.zeros((500, 1000), dtype=bool)
    mask[10:20, 10:30] = True
    mask[100:110, 100:130] = True
    polygons = mask_results(CONFIG, [mask], ["road"])  # a polygon config: one polygon per part
    assert [r["type"] for r in polygons] == ["polygonlabels", "polygonlabels"]
    assert polygons[0]["value"]["points"][0] == [10.0, 20.0]  # the larger part first, from its top-left corner
    (brush,) = polygon_results(CONFIG, [[10, 10, 50, 10, 50, 40, 10, 40]], ["sky"], image_size=SIZE)
    alpha = rle.decode(brush["value"]["rle"], 1000, 500)
    assert 1000 <= np.count_nonzero(alpha) <= 1400  # 40 x 30 px, edges aside


def test_pose_keypoints_point_at_their_box():
    results = box_results(CONFIG, [[100, 100, 300, 400]], ["person"], [0.8], image_size=SIZE,
                          keypoints=[[[150, 120, 2], [0, 0, 0]]])
    box, nose = results
    assert nose["type"] == "keypointlabels" and nose["value"]["keypointlabels"] == ["nose"]
    assert nose["parentID"] == box["id"] and nose["value"]["x"] == 15.0 and nose["value"]["y"] == 24.0
    (lone,) = keypoint_results(CONFIG, [[500, 250]], ["tail"], image_size=SIZE)
    assert lone["value"]["x"] == 50.0 and "parentID" not in lone


def test_ids_are_unique_and_pass_over_taken_ones():
    maker = IdMaker("m1")
    first = maker.next()
    again = IdMaker("m1", taken={first})
    assert again.next() != first
    results = box_results(CONFIG, [[0, 0, 5, 5]] * 50, ["car"] * 50, image_size=SIZE, ids=IdMaker("m1"))
    assert len({r["id"] for r in results}) == 50

"""The editing tools' rules in core (viewer.core.editing): drag maths in pixels and the results of new and
relabelled regions, checked without Qt."""

from __future__ import annotations

import pytest

from viewer.core import geometry
from viewer.core.config import parse_config
from viewer.core.editing import drags
from viewer.core.editing import results as made
from viewer.core.regions import group_results
from viewer.core.shapes import Ellipse, Polygon, Rectangle

SIZE = (640, 480)


def px_corners(rect: Rectangle):
    return [tuple(round(c, 4) + 0.0 for c in corner) for corner in geometry.rectangle_corners(rect, *SIZE)]


@pytest.mark.parametrize("rect", [Rectangle(10, 20, 30, 40, 0), Rectangle(10, 20, 30, 40, 30),
                                  Rectangle(50, 50, -20, 10, 200)])
def test_a_frame_round_trip_keeps_the_corners(rect):
    back = drags.frame_rectangle(drags.rectangle_frame(rect, SIZE), SIZE)
    assert sorted(px_corners(back)) == sorted(px_corners(rect))


def test_resizing_a_rotated_rectangle_moves_only_the_dragged_sides_along_its_own_axes():
    rect = Rectangle(10, 20, 30, 40, 30)
    frame = drags.rectangle_frame(rect, SIZE)
    corner = frame.to_world(frame.right, frame.bottom)
    (ux, uy), (vx, vy) = frame.axes()
    pointer = (corner[0] + 10 * ux + 5 * vx, corner[1] + 10 * uy + 5 * vy)   # 10 px wider, 5 px taller
    after = drags.frame_rectangle(drags.resize_frame(frame, "bottom-right", pointer), SIZE)
    assert (after.x, after.y, after.rotation) == pytest.approx((rect.x, rect.y, 30))
    assert after.width == pytest.approx(30 + 10 / 640 * 100) and after.height == pytest.approx(40 + 5 / 480 * 100)
    squeezed = drags.resize_frame(frame, "left", frame.to_world(frame.right + 50, 0))   # past the right side
    assert squeezed.right - squeezed.left == pytest.approx(drags.MIN_SIDE)


def test_rotating_keeps_the_centre_and_stores_top_left_plus_a_normalised_angle():
    rect = Rectangle(10, 20, 30, 40, 350)
    frame = drags.rectangle_frame(rect, SIZE)
    cx, cy = frame.centre()
    turned = drags.rotate_frame(frame, (cx, cy - 100), (cx + 100, cy))       # a quarter turn clockwise
    after = drags.frame_rectangle(turned, SIZE)
    assert after.rotation == pytest.approx(80.0)
    assert drags.rectangle_frame(after, SIZE).centre() == pytest.approx((cx, cy))
    assert px_corners(after)[0] != px_corners(rect)[0]                       # the stored corner moved
    snapped = drags.rotate_frame(frame, (cx, cy - 100), (cx + 100, cy - 90), snap=True)
    assert snapped.angle % drags.ROTATE_SNAP == pytest.approx(0.0)


def test_an_ellipse_resizes_from_the_opposite_side_and_its_handles_sit_on_its_axes():
    ellipse = Ellipse(50, 50, 10, 10, 90)
    frame = drags.ellipse_frame(ellipse, SIZE)
    handles = {h.name: h.at for h in drags.box_handles(frame, 20)}
    # turned a quarter, the x radius (64 px) runs down the screen
    assert handles["right"] == pytest.approx((320, 240 + 64))
    assert handles["rotate"] == pytest.approx((320 + 48 + 20, 240))
    after = drags.frame_ellipse(drags.resize_frame(frame, "right", (320, 240 + 96)), SIZE)
    assert (after.radius_x, after.radius_y, after.rotation) == pytest.approx((12.5, 10, 90))
    assert (after.x, after.y) == pytest.approx((50, 50 + 16 / 480 * 100))


def test_polygon_vertices_edges_and_the_three_that_stay():
    polygon = Polygon(((10, 10), (20, 10), (20, 20)), True)
    points = geometry.polygon_px(polygon, *SIZE)                             # (64, 48) (128, 48) (128, 96)
    edge, foot, distance = drags.nearest_edge(points, True, (100, 75))       # on the closing edge
    assert (edge, foot, distance) == (2, pytest.approx((100, 75)), pytest.approx(0))
    edge, foot, distance = drags.nearest_edge(points, True, (90, 40))
    assert (edge, foot, distance) == (0, pytest.approx((90, 48)), pytest.approx(8))
    grown = drags.with_inserted_vertex(polygon, SIZE, 0, (96, 48))
    assert grown.points[1] == pytest.approx((15, 10))
    assert drags.without_vertex(grown, 1) == polygon
    assert drags.without_vertex(polygon, 0) is None
    corner = [(0, 0), (10, 0), (10, 10)]
    assert drags.nearest_edge(corner, True, (2, 9))[0] == 2
    assert drags.nearest_edge(corner, False, (2, 9))[0] == 1                 # no closing edge when open


def test_a_moved_keypoint_keeps_its_size():
    from viewer.core.shapes import KeyPoint
    point = drags.moved(KeyPoint(10, 10, 1.5), SIZE, 64, 48)
    assert (point.x, point.y, point.width) == pytest.approx((20, 20, 1.5))


CONFIG = parse_config("""<View><Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image" choice="multiple"><Label value="Car"/><Label value="Person"
    alias="P" hotkey="shift+p"/></RectangleLabels>
  <Labels name="ocr" toName="image"><Label value="Text" hotkey="ctrl+alt+t"/></Labels>
  <Rectangle name="bbox" toName="image"/>
  <Choices name="colour" toName="image" perRegion="true" whenLabelValue="Car,Bus"><Choice value="Red"/></Choices>
  <TextArea name="note" toName="image" perRegion="true"/>
  <Choices name="scene" toName="image"><Choice value="Day"/></Choices></View>""")


def test_new_region_results_follow_the_chosen_control():
    geometry_value = {"x": 1, "y": 2, "width": 3, "height": 4, "rotation": 0}
    person, text = made.label_choices(CONFIG, "image", "rectangle")[1], made.label_choices(CONFIG, "image",
                                                                                            "rectangle")[2]
    (one,) = made.new_region_results(CONFIG, "image", "rectangle", geometry_value, person, {"original_width": 640})
    assert (one["type"], one["value"]["rectanglelabels"], one["original_width"]) == ("rectanglelabels", ["P"], 640)
    tool, labels = made.new_region_results(CONFIG, "image", "rectangle", geometry_value, text)
    assert (tool["type"], tool["from_name"], labels["type"], labels["value"]["labels"]) == \
        ("rectangle", "bbox", "labels", ["Text"])
    with pytest.raises(ValueError):
        made.new_region_results(CONFIG, "image", "polygon", {"points": []}, None)
    assert not made.tool_available(CONFIG, "image", "polygon") and made.tool_available(CONFIG, "image", "rectangle")


def test_relabelling_replaces_or_toggles_and_per_region_controls_follow_the_labels():
    region = group_results([{"id": "a", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
                             "original_width": 640, "value": {"x": 1, "y": 2, "width": 3, "height": 4,
                                                              "rectanglelabels": ["Car"]}}],
                           "annotation", 0).regions[0]
    car, person, text = made.region_label_choices(CONFIG, region)
    assert made.labels_after(["Car"], person) == ["Car", "P"] and made.labels_after(["Car", "P"], car) == ["P"]
    relabelled = made.relabelled(region, text)
    assert [r["type"] for r in relabelled] == ["rectanglelabels", "labels"]
    assert relabelled[1]["value"] == {"x": 1, "y": 2, "width": 3, "height": 4, "labels": ["Text"]}
    assert relabelled[1]["original_width"] == 640                           # like its sibling
    assert [c.name for c in made.per_region_controls(CONFIG, region)] == ["colour", "note"]
    bus = group_results([{"id": "b", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
                          "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rectanglelabels": ["P"]}}],
                        "annotation", 0).regions[0]
    assert [c.name for c in made.per_region_controls(CONFIG, bus)] == ["note"]
    assert [c.name for c in made.whole_object_controls(CONFIG, ["image"])] == ["scene"]

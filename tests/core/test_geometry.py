"""Percent -> pixel conversions against the vectors (to 1e-6) and by hand."""

from __future__ import annotations

import math

import pytest

from tests.conftest import load_vector
from viewer.core import geometry
from viewer.core.shapes import Ellipse, KeyPoint, Polygon, Rectangle

VECTORS = load_vector("geometry_vectors.json")


@pytest.mark.parametrize("case", VECTORS["rectangles"], ids=lambda c: f"{c['image_w']}x{c['image_h']}-rot{c['value']['rotation']}")
def test_rectangle_corners_match_vectors(case):
    v = case["value"]
    rect = Rectangle(v["x"], v["y"], v["width"], v["height"], v["rotation"])
    corners = geometry.rectangle_corners(rect, case["image_w"], case["image_h"])
    for got, want in zip(corners, case["corners_px_TL_TR_BR_BL"]):
        assert got == pytest.approx(want, abs=1e-6)


@pytest.mark.parametrize("case", VECTORS["ellipses"], ids=lambda c: f"rot{c['value']['rotation']}")
def test_ellipse_centre_radii_and_boundary_match_vectors(case):
    v = case["value"]
    ellipse = Ellipse(v["x"], v["y"], v["radiusX"], v["radiusY"], v["rotation"])
    centre, radii, rotation = geometry.ellipse_px(ellipse, case["image_w"], case["image_h"])
    assert centre == pytest.approx(case["centre_px"], abs=1e-6)
    assert radii == pytest.approx(case["radii_px"], abs=1e-6)
    assert rotation == v["rotation"]
    for angle, want in zip((0, 90, 180, 270), case["boundary_points_at_param_0_90_180_270deg"]):
        assert geometry.ellipse_point(ellipse, case["image_w"], case["image_h"], angle) == pytest.approx(want, abs=1e-6)


def test_rotation_is_done_in_pixels_so_a_rotated_rectangle_stays_rectangular_on_a_wide_image():
    corners = geometry.rectangle_corners(Rectangle(10, 10, 20, 40, 33), 1000, 200)
    (tlx, tly), (trx, try_), (brx, bry), (blx, bly) = corners
    top = (trx - tlx, try_ - tly)
    left = (blx - tlx, bly - tly)
    assert top[0] * left[0] + top[1] * left[1] == pytest.approx(0, abs=1e-9)
    assert math.hypot(*top) == pytest.approx(200)
    assert math.hypot(*left) == pytest.approx(80)


def test_keypoint_radius_is_percent_of_width():
    centre, radius = geometry.keypoint_px(KeyPoint(50, 25, 0.5), 800, 600)
    assert centre == (400, 150)
    assert radius == 4


def test_polygon_points_and_round_trip_to_percent():
    points = geometry.polygon_px(Polygon(((0, 0), (50, 100), (12.5, 33.3))), 640, 480)
    assert points == [(0, 0), (320, 480), (80, pytest.approx(159.84))]
    assert geometry.to_percent(*points[2], 640, 480) == pytest.approx((12.5, 33.3))


def test_ellipse_bounds_of_a_rotated_ellipse():
    x0, y0, x1, y1 = geometry.ellipse_bounds(Ellipse(50, 50, 10, 10, 0), 100, 100)
    assert (x0, y0, x1, y1) == (40, 40, 60, 60)
    x0, y0, x1, y1 = geometry.ellipse_bounds(Ellipse(50, 50, 20, 10, 90), 100, 100)
    assert (x0, x1) == (pytest.approx(40), pytest.approx(60))
    assert (y0, y1) == (pytest.approx(30), pytest.approx(70))


def test_pixels_back_to_percent_and_value_round_trip():
    from viewer.core.shapes import parse_shape, to_value

    rect = geometry.rectangle_from_px(64, 96, 192, 192, 390, 640, 480)
    assert rect == Rectangle(10, 20, 30, 40, 30)
    assert geometry.rectangle_corners(rect, 640, 480)[2] == pytest.approx((134.276878, 358.276878))
    assert geometry.ellipse_from_px(320, 240, 64, 96, -30, 640, 480) == Ellipse(50, 50, 10, 20, 330)
    assert geometry.polygon_from_px([(64, 48), (320, 240)], False, 640, 480) == Polygon(((10, 10), (50, 50)), False)
    assert geometry.keypoint_from_px(320, 240, 3.2, 640, 480) == KeyPoint(50, 50, 0.5)
    for shape in (rect, Ellipse(1, 2, 3, 4, 5), Polygon(((1, 2), (3, 4), (5, 6)), True), KeyPoint(1, 2, 0.5)):
        assert parse_shape(to_value(shape))[0] == shape

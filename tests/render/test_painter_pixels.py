"""The painter puts strokes where geometry says, within 1 px, and touches nothing well away from the shape."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from viewer.core import geometry, rle
from viewer.core.shapes import Ellipse

VECTORS = json.loads((Path(__file__).parents[1] / "data" / "vectors" / "geometry_vectors.json").read_text())
# A red stroke and no fill, so every changed pixel is the stroke's.
OUTLINE_ONLY = ('<RectangleLabels name="tool" toName="image" fillOpacity="0"><Label value="A" background="#ff0000"/>'
                '</RectangleLabels>')
FAR = 3.0  # px: beyond this from the outline nothing may change


def _samples(points, closed, per_edge=24):
    edges = list(zip(points, points[1:])) + ([(points[-1], points[0])] if closed else [])
    for (ax, ay), (bx, by) in edges:
        for k in range(per_edge + 1):
            t = k / per_edge
            yield ax + t * (bx - ax), ay + t * (by - ay)


def _inside(points, size):
    """Pixels inside a closed outline (Pillow's rasteriser; the FAR margin absorbs its edge rules)."""
    area = Image.new("L", size, 0)
    ImageDraw.Draw(area).polygon([tuple(p) for p in points], fill=1)
    return np.asarray(area).astype(bool)


def _check_outline(pixels, px, points, closed, size, filled=False):
    hits = px.touched(pixels)
    inside = [(x, y) for x, y in _samples(points, closed) if 1 <= x < size[0] - 1 and 1 <= y < size[1] - 1]
    assert inside, "the test shape must cross the image"
    missing = [(round(x, 1), round(y, 1)) for x, y in inside if not px.stroke_near(hits, x, y)]
    assert missing == []
    far = px.distance_to_path(pixels.shape[:2], points, closed) > FAR
    if filled:
        far &= ~_inside(points, size)
    assert not hits[far].any(), f"{int(hits[far].sum())} pixels drawn more than {FAR} px from the outline"


@pytest.mark.parametrize("case", VECTORS["rectangles"], ids=lambda c: f"{c['image_w']}x{c['image_h']}-"
                         f"rot{c['value']['rotation']}")
def test_rectangle_stroke_follows_the_rotated_corners(draw, px, case):
    size = (case["image_w"], case["image_h"])
    value = {**case["value"], "rectanglelabels": ["A"]}
    pixels, _ = draw(OUTLINE_ONLY, [px.result("rectanglelabels", value, size=size)], size)
    corners = [tuple(c) for c in case["corners_px_TL_TR_BR_BL"]]
    _check_outline(pixels, px, corners, True, size)


@pytest.mark.parametrize("case", VECTORS["ellipses"], ids=lambda c: f"rot{c['value']['rotation']}")
def test_ellipse_stroke_passes_the_boundary_points(draw, px, case):
    size = (case["image_w"], case["image_h"])
    body = OUTLINE_ONLY.replace("RectangleLabels", "EllipseLabels")
    value = {**case["value"], "ellipselabels": ["A"]}
    pixels, _ = draw(body, [px.result("ellipselabels", value, size=size)], size)
    hits = px.touched(pixels)
    for x, y in case["boundary_points_at_param_0_90_180_270deg"]:
        assert px.stroke_near(hits, x, y), (x, y)
    v = case["value"]
    shape = Ellipse(v["x"], v["y"], v["radiusX"], v["radiusY"], v.get("rotation", 0))
    outline = [geometry.ellipse_point(shape, size[0], size[1], a) for a in range(0, 360, 2)]
    _check_outline(pixels, px, outline, True, size)


POLYGON = [[10, 10], [60, 12], [55, 70], [15, 60]]


def _polygon(draw, px, closed):
    body = ('<PolygonLabels name="tool" toName="image" opacity="0.5"><Label value="A" background="#0000ff"/>'
            '</PolygonLabels>')
    value = {"points": POLYGON, "closed": closed, "polygonlabels": ["A"]}
    return draw(body, [px.result("polygonlabels", value, size=(400, 300))], (400, 300))[0]


def test_closed_polygon_has_its_closing_edge_and_fill(draw, px):
    pixels = _polygon(draw, px, True)
    points = [geometry.to_px(x, y, 400, 300) for x, y in POLYGON]
    _check_outline(pixels, px, points, True, (400, 300), filled=True)
    closing_mid = ((points[-1][0] + points[0][0]) / 2, (points[-1][1] + points[0][1]) / 2)
    assert px.stroke_near(px.touched(pixels), *closing_mid)
    centre = pixels[int(sum(p[1] for p in points) / 4), int(sum(p[0] for p in points) / 4)]
    # fill = the stroke colour darkened (chroma darken 0.3: #0000ff -> rgb(0,0,239)) at opacity 0.5 over white
    assert np.allclose(centre[:3], [127, 127, 247], atol=2)


def test_open_polygon_has_no_closing_edge_and_no_fill(draw, px):
    pixels = _polygon(draw, px, False)
    points = [geometry.to_px(x, y, 400, 300) for x, y in POLYGON]
    hits = px.touched(pixels)
    _check_outline(pixels, px, points, False, (400, 300))
    distance = px.distance_to_path(pixels.shape[:2], points, False)
    assert not hits[distance > FAR].any()  # the interior too: nothing is filled
    closing_mid = ((points[-1][0] + points[0][0]) / 2, (points[-1][1] + points[0][1]) / 2)
    assert not px.stroke_near(hits, *closing_mid, within=2.0)


@pytest.mark.parametrize("width_percent, radius_px", [(1.0, 4.0), (0.1, 2.0)], ids=["4px", "minimum-2px"])
def test_keypoint_radius_is_width_percent_of_image_width_at_least_2px(draw, px, width_percent, radius_px):
    body = ('<KeyPointLabels name="tool" toName="image" fillOpacity="0" strokeWidth="1">'
            '<Label value="A" background="#ff0000"/></KeyPointLabels>')
    value = {"x": 50, "y": 50, "width": width_percent, "keypointlabels": ["A"]}
    pixels, _ = draw(body, [px.result("keypointlabels", value, size=(400, 300))], (400, 300))
    hits = px.touched(pixels)
    for angle in range(0, 360, 30):
        x = 200 + radius_px * math.cos(math.radians(angle))
        y = 150 + radius_px * math.sin(math.radians(angle))
        assert px.stroke_near(hits, x, y), angle
    ys, xs = np.nonzero(hits)
    assert np.hypot(xs + 0.5 - 200, ys + 0.5 - 150).max() <= radius_px + 1.5


def test_brush_mask_is_label_colour_with_alpha_times_0_6(draw, px):
    mask = np.zeros((30, 40), dtype=np.uint8)
    mask[5:15, 5:20] = 255
    mask[20:25, 25:35] = 128
    body = '<BrushLabels name="tool" toName="image"><Label value="A" background="#00ff00"/></BrushLabels>'
    value = {"format": "rle", "rle": rle.encode(mask), "brushlabels": ["A"]}
    pixels, _ = draw(body, [px.result("brushlabels", value, size=(40, 30))], (40, 30))
    full, half = 0.6, 128 / 255 * 0.6
    assert np.allclose(pixels[10, 10, :3], [255 * (1 - full), 255, 255 * (1 - full)], atol=2)
    assert np.allclose(pixels[22, 30, :3], [255 * (1 - half), 255, 255 * (1 - half)], atol=2)
    assert not px.touched(pixels)[mask == 0].any()


def test_masks_decode_once_however_often_they_are_painted(qapp, px):
    from PySide6.QtGui import QImage, QPainter

    from viewer.render.painter import RegionPainter

    mask = np.zeros((30, 40), dtype=np.uint8)
    mask[2:8, 2:8] = 255
    results = [px.result("brush", {"format": "rle", "rle": rle.encode(mask)}, size=(40, 30))]
    region = px.content_of(results, (40, 30), None).layers[0].regions[0]
    painter = RegionPainter(None)
    target = QImage(40, 30, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(target)
    for selected in (False, True, False, True, False):  # repaints, as the canvas does on hover and selection
        painter.paint(p, region, (40, 30), selected=selected)
    p.end()
    assert painter.masks.decodes == 1


def test_vector_edges_follow_prev_point_links(draw, px):
    body = ('<VectorLabels name="tool" toName="image"><Label value="A" background="#ff0000"/>'
            '</VectorLabels>')
    vertices = [{"id": "a", "x": 10, "y": 10}, {"id": "b", "x": 50, "y": 10, "prevPointId": "a"},
                {"id": "c", "x": 50, "y": 60, "prevPointId": "b"}]
    value = {"vertices": vertices, "closed": False, "vectorlabels": ["A"]}
    pixels, _ = draw(body, [px.result("vectorlabels", value, size=(400, 300))], (400, 300))
    points = [geometry.to_px(v["x"], v["y"], 400, 300) for v in vertices]
    _check_outline(pixels, px, points, False, (400, 300))


def test_prepared_geometry_is_what_painting_and_items_use(qapp, px):
    from viewer.render.painter import RegionPainter

    results = [px.result("rectangle", {"x": 10, "y": 10, "width": 20, "height": 20}, rid="box"),
               px.result("polygon", {"points": [[1, 1], [50, 5], [20, 40]], "closed": True}, rid="poly"),
               px.result("keypoint", {"x": 50, "y": 50, "width": 1}, rid="dot")]
    regions = px.content_of(results, (640, 480), None).layers[0].regions
    painter = RegionPainter(None)
    painter.prepare(regions, (640, 480))  # a keypoint has no outline geometry: passed over, not an error
    made = {region.id: painter.qt_geometry(region.shape, (640, 480))
            for region in regions if region.kind != "keypoint"}
    painter.prepare(regions, (640, 480))
    assert all(painter.qt_geometry(r.shape, (640, 480)) is made[r.id] for r in regions if r.kind != "keypoint")
    assert len(painter._geometry) == 2

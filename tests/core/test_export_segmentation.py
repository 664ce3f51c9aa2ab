"""The masks export's pixels: which pixels a region covers (centres inside), the class and instance maps, the PNG
files and labelmap.txt, checked on hand-made cases and against a brute-force winding number."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

from tests.builders import IMAGE_CONFIG, image_task, make_image, rect, write_project
from viewer.core import rle
from viewer.core.export.base import ExportError
from viewer.core.export.training import raster, segmentation, training_formats
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.run import export_training
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession
from viewer.core.geometry import rectangle_corners
from viewer.core.shapes import Rectangle


def full(cover: raster.Coverage, width: int, height: int) -> np.ndarray:
    out = np.zeros((height, width), bool)
    out[cover.top:cover.top + cover.pixels.shape[0], cover.left:cover.left + cover.pixels.shape[1]] = cover.pixels
    return out


def winding_at(points, x: float, y: float) -> int:
    """The winding number of a closed polygon about (x, y), edge by edge (half-open in y, as the rule says)."""
    total = 0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        if min(y0, y1) <= y < max(y0, y1):
            crossing = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            if crossing <= x:
                total += 1 if y1 > y0 else -1
    return total


def test_a_square_on_pixel_edges_covers_exactly_its_pixels():
    cover = full(raster.polygon([(1, 1), (3, 1), (3, 4), (1, 4)], 5, 5), 5, 5)
    expected = np.zeros((5, 5), bool)
    expected[1:4, 1:3] = True
    assert (cover == expected).all()


def test_centres_on_the_left_and_top_edges_are_in_on_the_right_and_bottom_out():
    # edges through the centres of columns 1 and 3, rows 1 and 3
    cover = full(raster.polygon([(1.5, 1.5), (3.5, 1.5), (3.5, 3.5), (1.5, 3.5)], 5, 5), 5, 5)
    expected = np.zeros((5, 5), bool)
    expected[1:3, 1:3] = True
    assert (cover == expected).all()


def test_two_polygons_sharing_an_edge_share_no_pixel_and_leave_no_gap():
    left = full(raster.polygon([(0, 0), (2.5, 0), (3.7, 6), (0, 6)], 6, 6), 6, 6)
    right = full(raster.polygon([(2.5, 0), (6, 0), (6, 6), (3.7, 6)], 6, 6), 6, 6)
    assert not (left & right).any()
    assert (left | right).all()


def test_a_thin_sliver_between_centres_covers_nothing():
    assert raster.polygon([(1.6, 0), (2.4, 0), (2.4, 5), (1.6, 5)], 5, 5).count == 0


def test_a_polygon_past_the_image_is_clipped_and_one_outside_covers_nothing():
    cover = full(raster.polygon([(-10, -10), (2, -10), (2, 2), (-10, 2)], 4, 4), 4, 4)
    assert cover[:2, :2].all() and cover.sum() == 4
    assert raster.polygon([(5, 5), (9, 5), (9, 9)], 4, 4).count == 0


def test_a_pentagram_fills_its_centre_by_non_zero_winding():
    star = [(50 + 40 * math.sin(math.radians(144 * k)), 50 - 40 * math.cos(math.radians(144 * k))) for k in range(5)]
    cover = full(raster.polygon(star, 100, 100), 100, 100)
    assert cover[50, 50]  # even-odd would leave the middle pentagon empty


def test_a_rotated_rectangle_by_its_corners():
    # 90 degrees about the top-left corner (4, 1): a 3 x 2 box turns to lie left of and below the pivot
    corners = rectangle_corners(Rectangle(40, 10, 30, 20, 90), 10, 10)
    cover = full(raster.rectangle(corners, 10, 10), 10, 10)
    expected = np.zeros((10, 10), bool)
    expected[1:4, 2:4] = True
    assert (cover == expected).all()


def test_an_ellipse_covers_the_centres_inside_or_on_it():
    cover = full(raster.ellipse((3, 3), (2, 1), 0, 6, 6), 6, 6)
    expected = np.zeros((6, 6), bool)
    expected[2:4, 1:5] = True   # (x-3)^2/4 + (y-3)^2 <= 1 at centres x .5 .. 4.5, y 2.5 and 3.5
    assert (cover == expected).all()
    turned = full(raster.ellipse((3, 3), (2, 1), 90, 6, 6), 6, 6)
    assert (turned == expected.T).all()


def test_an_ellipse_covers_about_its_area():
    cover = raster.ellipse((500.3, 400.7), (300, 120), 30, 1000, 800)
    assert cover.count == pytest.approx(math.pi * 300 * 120, rel=0.002)


def test_a_brush_mask_covers_its_pixels_with_alpha():
    alpha = np.zeros((4, 6), np.uint8)
    alpha[1, 2], alpha[2, 3] = 255, 1
    cover = raster.mask(rle.decode(rle.encode(alpha), 6, 4))
    assert cover.count == 2 and cover.pixels[1, 2] and cover.pixels[2, 3]


corner = st.tuples(st.floats(-3, 13, allow_nan=False), st.floats(-3, 13, allow_nan=False))


@settings(max_examples=150, deadline=None)
@given(st.lists(corner, min_size=3, max_size=8))
def test_any_polygon_covers_the_centres_with_a_non_zero_winding_number(points):
    cover = full(raster.polygon(points, 10, 10), 10, 10)
    for row in range(10):
        for column in range(10):
            assert cover[row, column] == (winding_at(points, column + 0.5, row + 0.5) != 0)


def painted(class_id, name, points, size=(4, 4)):
    return segmentation.Painted(class_id, name, raster.polygon(points, *size))


def test_later_regions_are_painted_over_earlier_ones():
    maps = segmentation.paint(4, 4, [painted(0, "a", [(0, 0), (3, 0), (3, 3), (0, 3)]),
                              painted(2, "b", [(1, 1), (4, 1), (4, 4), (1, 4)])])
    assert maps.classes.tolist() == [[1, 1, 1, 0], [1, 3, 3, 3], [1, 3, 3, 3], [0, 3, 3, 3]]
    assert maps.instances.tolist() == [[1, 1, 1, 0], [1, 2, 2, 2], [1, 2, 2, 2], [0, 2, 2, 2]]
    assert maps.empty == () and maps.hidden == ()


def test_regions_with_no_pixel_left_are_reported():
    maps = segmentation.paint(4, 4, [painted(0, "hidden", [(1, 1), (2, 1), (2, 2), (1, 2)]),
                              painted(1, "sliver", [(0.6, 0), (1.4, 0), (1.4, 4)]),
                              painted(1, "cover", [(0, 0), (4, 0), (4, 4), (0, 4)])])
    assert maps.empty == (1,) and maps.hidden == (0,)


def test_a_class_id_past_254_is_refused():
    with pytest.raises(ValueError, match="255"):
        segmentation.paint(4, 4, [painted(255, "x", [(0, 0), (1, 0), (1, 1)])])


def test_the_maps_are_indexed_pngs_with_vocs_palette():
    maps = segmentation.paint(4, 4, [painted(0, "a", [(0, 0), (2, 0), (2, 2), (0, 2)]),
                              painted(14, "b", [(2, 2), (4, 2), (4, 4), (2, 4)])])
    image = Image.open(io.BytesIO(segmentation.png(maps.classes)))
    assert image.mode == "P" and image.size == (4, 4)
    assert np.array_equal(np.asarray(image), maps.classes)
    palette = image.getpalette()
    assert palette[:6] == [0, 0, 0, 128, 0, 0]             # background black, class 0 VOC's aeroplane red
    assert palette[15 * 3:16 * 3] == [192, 128, 128]       # value 15: VOC's person
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(segmentation.png(maps.instances)))), maps.instances)


def test_more_than_255_instances_make_a_16_bit_instance_map():
    regions = [painted(0, f"r{i}", [(i, 0), (i + 1, 0), (i + 1, 1), (i, 1)], (300, 1)) for i in range(300)]
    maps = segmentation.paint(300, 1, regions)
    assert maps.instances.dtype == np.uint16 and maps.instances[0, 299] == 300
    image = Image.open(io.BytesIO(segmentation.png(maps.instances)))
    assert np.array_equal(np.asarray(image).astype(np.int64), maps.instances.astype(np.int64))


def test_labelmap_lists_classes_by_id_with_their_palette_colours():
    assert segmentation.labelmap(["cat", "class1", "dog"]) == (
        "# label:color_rgb:parts:actions\n"
        "background:0,0,0::\n"
        "cat:128,0,0::\n"
        "class1:0,128,0::\n"
        "dog:128,128,0::\n")
    assert segmentation.labelmap_problems(["ok", "a:b"]) == ["label 'a:b' holds a ':' or a line break, which "
                                                      "labelmap.txt cannot hold"]


def test_vocs_palette_is_the_devkits():
    assert [segmentation.voc_colour(i) for i in (0, 1, 2, 3, 15, 255)] == [
        (0, 0, 0), (128, 0, 0), (0, 128, 0), (128, 128, 0), (192, 128, 128), (224, 224, 192)]


# ---- the masks format on the export framework


def export(tmp_path, tasks, fmt="masks", config=IMAGE_CONFIG, **options):
    tasks_path, config_path = write_project(tmp_path / "project", tasks, config)
    project = open_project(tasks_path, config_path)
    session = ReviewSession.open(project)
    try:
        summary = export_training(session, tmp_path / "out", training_formats()[fmt], TrainingOptions(**options))
    finally:
        session.close()
    return tmp_path / "out", summary


def class_values(out):
    """label -> pixel value in SegmentationClass, read back from labelmap.txt (line k + 2 is value k + 1)."""
    lines = (out / "labelmap.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# label:color_rgb:parts:actions", "background:0,0,0::"]
    return {line.split(":")[0]: value for value, line in enumerate(lines[1:])}


def read_png(path):
    image = Image.open(path)
    return image.mode, np.asarray(image)


def test_masks_paint_every_shape_later_over_earlier_by_pixel_centres(tmp_path):
    make_image(tmp_path / "project" / "img" / "a.png", (20, 10))
    alpha = np.zeros((10, 20), np.uint8)
    alpha[0:2, 15:20] = 255
    results = [
        rect("car", ("Car",), x=10, y=20, width=50, height=60),                  # px x 2..12, y 2..8
        {"id": "road", "from_name": "poly", "to_name": "image", "type": "polygonlabels",    # past the left edge
         "value": {"points": [[-100, 0], [50, 0], [50, 100]], "polygonlabels": ["Road"]}},
        {"id": "ball", "from_name": "ell", "to_name": "image", "type": "ellipselabels",
         "value": {"x": 75, "y": 70, "radiusX": 10, "radiusY": 20, "rotation": 0, "ellipselabels": ["Ball"]}},
        {"id": "m", "from_name": "brush", "to_name": "image", "type": "brushlabels",
         "value": {"format": "rle", "rle": rle.encode(alpha), "brushlabels": ["Car"]}},
        {"id": "k", "from_name": "kp", "to_name": "image", "type": "keypointlabels",
         "value": {"x": 50, "y": 50, "width": 1, "keypointlabels": ["Nose"]}},
        {"id": "t", "from_name": "bbox", "to_name": "image", "type": "rectangle",
         "value": {"x": 0, "y": 90, "width": 10, "height": 10, "rotation": 0}},
        {"id": "t", "from_name": "ocr", "to_name": "image", "type": "labels", "value": {"labels": ["Text"]}},
    ]
    out, summary = export(tmp_path, [image_task(*results, image="img/a.png", source="annotations")])
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "SegmentationClass/a.png", "SegmentationObject/a.png", "files.csv", "labelmap.txt"]
    values = class_values(out)
    mode, classes = read_png(out / "SegmentationClass" / "a.png")
    assert mode == "P" and classes.shape == (10, 20)
    _, instances = read_png(out / "SegmentationObject" / "a.png")

    expected = np.zeros((10, 20), np.uint8)
    objects = np.zeros((10, 20), np.uint8)
    expected[2:8, 2:12], objects[2:8, 2:12] = values["Car"], 1
    road = [(-20, 0), (10, 0), (10, 10)]  # unclamped: its long edge meets the image's left side at y = 6.67
    for row in range(10):
        for column in range(20):
            if winding_at(road, column + 0.5, row + 0.5):
                expected[row, column], objects[row, column] = values["Road"], 2
    ball = full(raster.ellipse((15, 7), (2, 2), 0, 20, 10), 20, 10)
    expected[ball], objects[ball] = values["Ball"], 3
    expected[0:2, 15:20], objects[0:2, 15:20] = values["Car"], 4
    expected[9, 0:2], objects[9, 0:2] = values["Text"], 5
    assert (classes == expected).all()
    assert (instances == objects).all()
    # the clamped triangle (0, 0) (10, 0) (10, 10) would cover only the pixels above its diagonal
    assert objects[6, 0] == 2 and objects[7, 0] == 0
    assert summary.instances == {"Car": 2, "Road": 1, "Ball": 1, "Text": 1}
    assert summary.skipped == {"a keypoint (masks hold areas)": 1}


def test_an_open_polygon_is_a_line_and_paints_nothing(tmp_path):
    make_image(tmp_path / "project" / "img" / "a.png", (10, 10))
    line = {"id": "p", "from_name": "poly", "to_name": "image", "type": "polygonlabels",
            "value": {"points": [[0, 0], [100, 0], [100, 100]], "closed": False, "polygonlabels": ["Road"]}}
    out, summary = export(tmp_path, [image_task(line, image="img/a.png", source="annotations")])
    assert not read_png(out / "SegmentationClass" / "a.png")[1].any()
    assert summary.skipped == {"an open polygon (drawn as a line: masks hold areas)": 1}


def test_an_image_without_regions_gets_background_maps(tmp_path):
    make_image(tmp_path / "project" / "img" / "a.png", (8, 6))
    tasks = [image_task(rect("r", ("Car",)), image="img/a.png", source="annotations", task_id=1),
             {"id": 2, "data": {"image": "img/a.png"}, "annotations": [{"id": 5, "result": []}]}]
    out, summary = export(tmp_path, tasks)
    assert sorted(p.name for p in (out / "SegmentationClass").iterdir()) == ["a.png", "a_2.png"]
    assert not read_png(out / "SegmentationClass" / "a_2.png")[1].any()
    assert summary.images == 2


def test_a_second_label_and_hidden_regions_are_reported(tmp_path):
    make_image(tmp_path / "project" / "img" / "a.png", (10, 10))
    results = [rect("small", ("Car",), x=20, y=20, width=20, height=20),
               rect("two", ("Person", "Car"), x=0, y=0, width=100, height=100)]
    config = IMAGE_CONFIG.replace('alias="P"', "")
    out, summary = export(tmp_path, [image_task(*results, image="img/a.png", source="annotations")], config=config)
    values = class_values(out)
    assert (read_png(out / "SegmentationClass" / "a.png")[1] == values["Person"]).all()
    assert (read_png(out / "SegmentationObject" / "a.png")[1] == 2).all()
    assert summary.skipped == {"covered whole by later regions (masks)": 1,
                               "a second label of a region (a mask pixel has one class: the first is painted)": 1}
    assert summary.instances == {"Person": 1}


def test_a_label_labelmap_cannot_hold_stops_the_export(tmp_path):
    make_image(tmp_path / "project" / "img" / "a.png", (10, 10))
    config = IMAGE_CONFIG.replace('value="Car" background', 'value="Car:red" background')
    with pytest.raises(ExportError, match="'Car:red' holds a ':'"):
        export(tmp_path, [image_task(rect("r", ("Car:red",)), image="img/a.png", source="annotations")],
               config=config)
    assert not (tmp_path / "out").exists()

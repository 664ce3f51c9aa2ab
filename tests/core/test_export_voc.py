"""Pascal VOC boxes: 1-based devkit indices, rounded not truncated, clamped with `truncated`, and the XML layout."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from tests.builders import IMAGE_CONFIG, image_task, make_image, rect, write_project
from viewer.core.export.training import training_formats
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.run import export_training
from viewer.core.export.training.voc import VocBox, VocObject, image_depth, voc_box, voc_xml
from viewer.core.geometry import bounds, rectangle_corners
from viewer.core.project import open_project
from viewer.core.review.session import ReviewSession
from viewer.core.shapes import Rectangle


def test_a_box_on_pixel_edges_names_its_first_and_last_pixel_1_based():
    # pixels 0..9 wide and 5..6 high (0-based) are 1..10 and 6..7 in the devkit
    assert voc_box(0, 5, 10, 7, 20, 20) == VocBox(1, 6, 10, 7, False)


def test_coordinates_are_rounded_not_truncated():
    # Label Studio writes int(): 2.9 -> 2 and 7.8 -> 7; the pixels whose centres the box holds are 3..7 (0-based)
    assert voc_box(2.9, 2.5, 7.8, 7.49, 20, 20) == VocBox(4, 4, 8, 7, False)


def test_a_box_past_the_image_is_clamped_and_marked_truncated():
    assert voc_box(-5, -1, 30, 12, 20, 10) == VocBox(1, 1, 20, 10, True)


def test_a_box_thinner_than_a_pixel_still_covers_one():
    assert voc_box(3.2, 4.0, 3.3, 4.1, 20, 20) == VocBox(4, 5, 4, 5, False)
    assert voc_box(25, 25, 30, 30, 20, 20) == VocBox(20, 20, 20, 20, True)


def test_a_rotated_rectangle_uses_its_axis_aligned_hull():
    # the case: 1000 x 500, x=30 y=20 w=30 h=20 rotation=90 is the pixel box [200, 100, 100, 300]
    hull = bounds(rectangle_corners(Rectangle(30, 20, 30, 20, 90), 1000, 500))
    assert voc_box(*hull, 1000, 500) == VocBox(201, 101, 300, 400, False)


def test_the_xml_has_vocs_layout():
    data = voc_xml("images", "a b.jpg", 640, 480, 3, [VocObject("cat & dog", VocBox(1, 2, 30, 40, True))])
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<annotation>")
    root = ElementTree.fromstring(data)
    assert [child.tag for child in root] == ["folder", "filename", "source", "size", "segmented", "object"]
    assert root.findtext("filename") == "a b.jpg"
    assert [root.findtext(f"size/{k}") for k in ("width", "height", "depth")] == ["640", "480", "3"]
    item = root.find("object")
    assert [child.tag for child in item] == ["name", "pose", "truncated", "difficult", "bndbox"]
    assert item.findtext("name") == "cat & dog" and item.findtext("truncated") == "1"
    assert [item.findtext(f"bndbox/{k}") for k in ("xmin", "ymin", "xmax", "ymax")] == ["1", "2", "30", "40"]


def test_depth_is_the_images_channel_count():
    assert [image_depth(mode) for mode in ("L", "RGB", "RGBA", "P", "weird")] == [1, 3, 4, 3, 3]


# ---- the voc format on the export framework


def export(tmp_path, tasks, config=IMAGE_CONFIG, **options):
    tasks_path, config_path = write_project(tmp_path / "project", tasks, config)
    project = open_project(tasks_path, config_path)
    session = ReviewSession.open(project)
    try:
        summary = export_training(session, tmp_path / "out", training_formats()["voc"], TrainingOptions(**options))
    finally:
        session.close()
    return tmp_path / "out", summary


def boxes(path):
    root = ElementTree.parse(path).getroot()
    return [(item.findtext("name"), *(int(item.findtext(f"bndbox/{k}")) for k in ("xmin", "ymin", "xmax", "ymax")),
             int(item.findtext("truncated"))) for item in root.iter("object")]


def test_voc_writes_hulls_of_every_labelled_shape_from_the_newest_annotation(tmp_path):
    make_image(tmp_path / "project" / "img" / "wide.jpg", (1000, 500))
    newest = [
        rect("r", ("Car",), x=30, y=20, width=30, height=20, rotation=90),
        {"id": "p", "from_name": "poly", "to_name": "image", "type": "polygonlabels",
         "value": {"points": [[10, 10], [20.05, 10], [15, 30.1]], "polygonlabels": ["Road"]}},
        {"id": "e", "from_name": "ell", "to_name": "image", "type": "ellipselabels",
         "value": {"x": 95, "y": 50, "radiusX": 10, "radiusY": 10, "ellipselabels": ["Ball"]}},
        {"id": "k", "from_name": "kp", "to_name": "image", "type": "keypointlabels",
         "value": {"x": 50, "y": 50, "width": 1, "keypointlabels": ["Nose"]}},
        {"id": "t", "from_name": "bbox", "to_name": "image", "type": "rectangle",
         "value": {"x": 1, "y": 2, "width": 3, "height": 4}},                       # no rotation key: 0
        {"id": "t", "from_name": "ocr", "to_name": "image", "type": "labels", "value": {"labels": ["Text"]}},
    ]
    task = {"id": 7, "data": {"image": "img/wide.jpg"}, "annotations": [
        {"id": 2, "updated_at": "2024-05-01T00:00:00Z", "result": newest},
        {"id": 1, "updated_at": "2024-01-01T00:00:00Z", "result": [rect("old", ("Car",))]}]}
    out, summary = export(tmp_path, [task])
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "Annotations/wide.xml", "files.csv"]
    root = ElementTree.parse(out / "Annotations" / "wide.xml").getroot()
    assert root.findtext("filename") == "wide.jpg" and root.findtext("folder") == "images"
    assert [root.findtext(f"size/{k}") for k in ("width", "height", "depth")] == ["1000", "500", "3"]
    assert boxes(out / "Annotations" / "wide.xml") == [
        ("Car", 201, 101, 300, 400, 0),       # the rotated box [200, 100, 100, 300]; LS: 300 100 600 200
        ("Road", 101, 51, 201, 151, 0),       # 200.5 and 150.5 round up; Label Studio truncates
        ("Ball", 851, 201, 1000, 300, 1),     # reaches past the right edge: clamped, truncated
        ("Text", 11, 11, 40, 30, 0),          # <Rectangle> + <Labels>, found by shape
    ]
    assert summary.instances == {"Car": 1, "Road": 1, "Ball": 1, "Text": 1}
    assert summary.skipped == {"a keypoint (VOC holds boxes)": 1}
    assert summary.clamped == 1


def test_voc_names_files_by_unique_stems_and_copies_images(tmp_path):
    make_image(tmp_path / "project" / "a" / "x.png", (10, 10))
    make_image(tmp_path / "project" / "b" / "x.png", (20, 10))
    tasks = [image_task(rect("r", ("Car",)), image="a/x.png", source="annotations", task_id=1),
             image_task(rect("r", ("Car",)), image="b/x.png", source="annotations", task_id=2)]
    out, _summary = export(tmp_path, tasks, images="copy")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "Annotations/x.xml", "Annotations/x_2.xml", "files.csv", "images/x.png", "images/x_2.png"]
    second = ElementTree.parse(out / "Annotations" / "x_2.xml").getroot()
    assert second.findtext("filename") == "x_2.png" and second.findtext("size/width") == "20"

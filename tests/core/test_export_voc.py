"""Pascal VOC boxes: 1-based devkit indices, rounded not truncated, clamped with `truncated`, and the XML layout."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from viewer.core.export.voc import VocBox, VocObject, image_depth, voc_box, voc_xml
from viewer.core.geometry import bounds, rectangle_corners
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

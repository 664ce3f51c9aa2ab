"""The masks and voc readers of `lsview import`: files -> class names and pixel geometry (no config, no tasks)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.core.errors import InputError
from viewer.core.importing.masks_read import (LabelMap, find_labelmap, mask_images, read_binary, read_labelmap,
                                              read_png)
from viewer.core.importing.voc_read import read_voc, voc_files

VOC = """<?xml version='1.0' encoding='utf-8'?>
<annotation>
  <folder>images</folder>
  <filename>a.jpg</filename>
  <size><width>640</width><height>480</height><depth>3</depth></size>
  <object><name>Car</name><truncated>1</truncated><difficult>0</difficult>
    <bndbox><xmin>11</xmin><ymin>21</ymin><xmax>110</xmax><ymax>220</ymax></bndbox></object>
  <object><name>Person</name><score>0</score>
    <bndbox><xmin>1.5</xmin><ymin>1</ymin><xmax>40.5</xmax><ymax>80</ymax></bndbox></object>
  <object><name>NoBox</name></object>
  <object><name>Bad</name><bndbox><xmin>50</xmin><ymin>1</ymin><xmax>10</xmax><ymax>8</ymax></bndbox></object>
</annotation>
"""


def test_voc_boxes_are_one_based_pixel_indices(tmp_path):
    path = tmp_path / "Annotations" / "a.xml"
    path.parent.mkdir()
    path.write_text(VOC)
    found = read_voc(path)
    assert (found.filename, found.folder, found.size) == ("a.jpg", "images", (640, 480))
    car, person = found.objects
    # columns 11..110 (1-based) are the pixel edges 10..110
    assert (car.name, car.box, car.score, car.truncated) == ("Car", (10, 20, 110, 220), None, True)
    assert person.box == (0.5, 0, 40.5, 80) and person.score == 0.0  # a score of 0 is kept
    assert found.skipped == {"an <object> with no <bndbox>": 1, "a <bndbox> whose max is less than its min": 1}
    assert voc_files(tmp_path) == [path]


def test_voc_refuses_entities_and_other_xml(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><annotation>&e;</annotation>')
    with pytest.raises(InputError, match="DOCTYPE"):
        read_voc(path)
    path.write_text("<coco/>")
    with pytest.raises(InputError, match="not a Pascal VOC"):
        read_voc(path)
    path.write_text("<annotation>")
    with pytest.raises(InputError, match="well-formed"):
        read_voc(path)


def _indexed(path: Path, values: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.fromarray(values.astype(np.uint8), "P")
    image.putpalette([0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0] + [0] * 756)
    image.save(path)
    return path


def _maps():
    classes = np.zeros((6, 8), np.uint8)
    instances = np.zeros((6, 8), np.uint8)
    classes[0:2, 0:3], instances[0:2, 0:3] = 1, 1      # a Car
    classes[3:5, 0:2], instances[3:5, 0:2] = 1, 2      # another Car
    classes[2:6, 5:8], instances[2:6, 5:8] = 3, 3      # a Tree (class id 2)
    return classes, instances


def test_labelmap_names_values_by_line(tmp_path):
    path = tmp_path / "labelmap.txt"
    path.write_text("# label:color_rgb:parts:actions\nbackground:0,0,0::\nCar:128,0,0::\nPerson:0,128,0::\n"
                    "Tree:128,128,0::\n")
    found = read_labelmap(path)
    assert found.names == ("background", "Car", "Person", "Tree")
    assert found.colours[3] == (128, 128, 0) and found.name_of(0) is None and found.name_of(2) == "Person"
    assert find_labelmap(tmp_path, ["A", "B"]).name_of(1) == "A"  # --classes wins: id 0 is value 1


def test_instance_maps_give_one_region_per_instance_else_per_class(tmp_path):
    classes, instances = _maps()
    _indexed(tmp_path / "SegmentationClass" / "a.png", classes)
    _indexed(tmp_path / "SegmentationObject" / "a.png", instances)
    labels = LabelMap.from_classes(["Car", "Person", "Tree"])
    (image,) = mask_images(tmp_path, labels)
    assert image.size == (8, 6) and image.stem == "a"
    assert [region.label for region in image.regions] == ["Car", "Car", "Tree"]
    assert [int(region.mask.sum()) for region in image.regions] == [6, 4, 12]
    assert np.array_equal(image.regions[2].mask, classes == 3)
    (image,) = mask_images(tmp_path, labels, per_instance=False)
    assert [(region.label, int(region.mask.sum())) for region in image.regions] == [("Car", 10), ("Tree", 12)]


def test_flat_folder_of_class_maps_and_of_one_class_masks(tmp_path):
    classes, _ = _maps()
    _indexed(tmp_path / "a.png", classes)
    Image.fromarray(((classes == 1) * 255).astype(np.uint8), "L").save(tmp_path / "b_photo_Car.png")
    rgba = np.zeros((6, 8, 4), np.uint8)
    rgba[0:1, 0:1] = (0, 0, 0, 255)  # black but opaque: alpha tells
    Image.fromarray(rgba, "RGBA").save(tmp_path / "b_photo_Tree.png")
    Image.fromarray(np.zeros((6, 8), np.uint8), "L").save(tmp_path / "b_photo_Person.png")
    images = list(mask_images(tmp_path, LabelMap.from_classes(["Car", "Person", "Tree"])))
    assert [image.stem for image in images] == ["a", "b_photo"]
    assert [region.label for region in images[0].regions] == ["Car", "Tree"]
    b = images[1]
    assert [(region.label, int(region.mask.sum())) for region in b.regions] == [("Car", 10), ("Tree", 1)]
    assert b.skipped == {"a one-class mask with no pixel on": 1}


def test_one_class_masks_need_no_label_map_when_the_config_names_the_classes(tmp_path):
    Image.fromarray(np.full((4, 4), 1, np.uint8), "L").save(tmp_path / "x_Sky.png")
    (image,) = mask_images(tmp_path, None, class_names=["Sky"])
    assert [region.label for region in image.regions] == ["Sky"]
    Image.fromarray(np.full((4, 4), 1, np.uint8), "L").save(tmp_path / "y.png")
    with pytest.raises(InputError, match="labelmap.txt"):
        list(mask_images(tmp_path, None, class_names=["Sky"]))


def test_unknown_values_and_rgb_maps(tmp_path):
    values = np.array([[0, 1, 9]], np.uint8)
    _indexed(tmp_path / "SegmentationClass" / "a.png", values)
    (image,) = mask_images(tmp_path, LabelMap.from_classes(["Car"]))
    assert [region.label for region in image.regions] == ["Car"]
    assert image.skipped == {"pixel value 9 names no class (labelmap.txt or --classes)": 1}
    rgb = np.array([[[0, 0, 0], [128, 0, 0], [1, 2, 3]]], np.uint8)
    Image.fromarray(rgb, "RGB").save(tmp_path / "rgb.png")
    labels = LabelMap(("background", "Car"), ((0, 0, 0), (128, 0, 0)))
    assert read_png(tmp_path / "rgb.png", labels).tolist() == [[0, 1, -1]]
    with pytest.raises(InputError, match="RGB mask needs labelmap"):
        read_png(tmp_path / "rgb.png", LabelMap.from_classes(["Car"]))
    assert read_binary(tmp_path / "rgb.png").tolist() == [[False, True, True]]

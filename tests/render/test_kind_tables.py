"""Every per-kind table of the render and Qt layers covers every region kind: an entry, or a reason it is elsewhere."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from tests.core.test_region_kinds import check_covers_every_kind
from viewer.core import rle
from viewer.core.region_kinds import IMAGE_KINDS, MASK_KINDS, SHAPES, SPAN_KINDS, TABLES
from viewer.core.regions import Region
from viewer.core.shapes import IMAGE_SHAPES, Bitmask, Ellipse, KeyPoint, Mask, Polygon, Rectangle, Vector
from viewer.core.text_layout import SPAN_SHAPES

# Importing the modules registers their tables.
import viewer.qt.canvas.editing.select_tool  # noqa: F401
import viewer.qt.canvas.items  # noqa: F401
import viewer.render.readable  # noqa: F401
from viewer.render.painter import RegionPainter

EXPECTED = {"painter geometry", "paint", "bounds", "outline", "outlines", "canvas items", "handles", "box frames",
            "moves", "readable where"}
SIZE = (40, 30)


def _png_data_url() -> str:
    alpha = np.zeros((SIZE[1], SIZE[0]), dtype=np.uint8)
    alpha[5:20, 5:25] = 255
    rgba = np.dstack([np.zeros_like(alpha)] * 3 + [alpha])
    out = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _plane() -> np.ndarray:
    plane = np.zeros((SIZE[1], SIZE[0]), dtype=np.uint8)
    plane[5:20, 5:25] = 255
    return plane


SAMPLES = {
    "rectangle": Rectangle(10.0, 10.0, 50.0, 40.0, 30.0),
    "ellipse": Ellipse(50.0, 50.0, 20.0, 10.0),
    "polygon": Polygon(((10.0, 10.0), (80.0, 20.0), (40.0, 90.0))),
    "keypoint": KeyPoint(50.0, 50.0, 2.0),
    "mask": Mask(tuple(rle.encode(_plane()))),
    "bitmask": Bitmask(_png_data_url()),
    "vector": Vector(({"id": "a", "x": 10.0, "y": 10.0}, {"id": "b", "x": 90.0, "y": 60.0, "prevPointId": "a"}),
                     False),
}


def test_the_kind_sets_agree_with_the_shape_groups():
    assert IMAGE_KINDS == {shape.kind for shape in IMAGE_SHAPES}
    assert SPAN_KINDS == {shape.kind for shape in SPAN_SHAPES}
    assert MASK_KINDS <= IMAGE_KINDS and not IMAGE_KINDS & SPAN_KINDS
    assert set(SAMPLES) == IMAGE_KINDS


def test_every_table_is_registered():
    assert EXPECTED <= set(TABLES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_table_handles_each_kind_or_says_where_it_is_handled(name):
    check_covers_every_kind(name)


def test_a_missing_entry_names_the_table_and_the_kind():
    from viewer.core.shapes import Classification
    from viewer.render.painter import QT_GEOMETRY

    with pytest.raises(KeyError, match="painter geometry.*classification"):
        QT_GEOMETRY.of(Classification())


@pytest.mark.parametrize("kind", sorted(IMAGE_KINDS))
def test_each_image_kind_paints_bounds_and_outlines(kind):
    from PySide6.QtGui import QImage, QPainter

    from viewer.qt.canvas.items import ITEMS

    shape = SAMPLES[kind]
    region = Region(f"{kind}-1", "image", "prediction", 0, shape, (), ())
    painter = RegionPainter(None)
    image = QImage(SIZE[0], SIZE[1], QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    p = QPainter(image)
    try:
        painter.paint(p, region, SIZE)
        painter.paint(p, region, SIZE, selected=True)
    finally:
        p.end()
    drawn = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    assert drawn.any(), f"nothing painted for a {kind}"
    assert not painter.bounds(region, SIZE).isNull() or kind == "keypoint"
    assert not painter.outline(region, SIZE).isEmpty()
    assert ITEMS.of(shape) is not None

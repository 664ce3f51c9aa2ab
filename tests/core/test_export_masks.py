"""The export's mask helpers: COCO compressed RLE byte-identical to pycocotools, 4-connected parts, and outer
boundaries along pixel edges that enclose exactly the part with its holes filled."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.core.export.training.masks import coco_rle, has_holes, outer_boundary, parts
from viewer.core.export.training.pixels import polygon_area


def _random_masks(count=150, seed=3):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        height, width = rng.integers(1, 25, 2)
        yield rng.random((height, width)) < rng.random()


def test_coco_rle_equals_pycocotools_encode():
    mask_api = pytest.importorskip("pycocotools.mask")
    for mask in _random_masks():
        expected = mask_api.encode(np.asfortranarray(mask.astype(np.uint8)))
        assert coco_rle(mask) == {"size": list(mask.shape), "counts": expected["counts"].decode()}


def _inside(points, x, y) -> bool:
    crossing = False
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            crossing = not crossing
    return crossing


def test_parts_are_4_connected_and_boundaries_enclose_them():
    for mask in _random_masks():
        found = parts(mask)
        assert sum(int(p.sum()) for p in found) == int(mask.sum())
        for part in found:
            boundary = outer_boundary(part)
            enclosed = np.array([[_inside(boundary, c + 0.5, r + 0.5) for c in range(mask.shape[1])]
                                 for r in range(mask.shape[0])])
            assert not (part & ~enclosed).any()                      # every pixel of the part is inside
            assert int(enclosed.sum()) == polygon_area(boundary)      # pixel-edge polygon: area = pixels inside
            assert has_holes(part, boundary) == (int(enclosed.sum()) > int(part.sum()))


def test_diagonal_neighbours_are_two_parts():
    mask = np.array([[1, 0], [0, 1]], dtype=bool)
    assert len(parts(mask)) == 2
    assert outer_boundary(parts(mask)[0]) in ([(0, 0), (1, 0), (1, 1), (0, 1)], [(1, 1), (2, 1), (2, 2), (1, 2)])

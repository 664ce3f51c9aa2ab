"""Relations are drawn where the editor draws them: a connector over (or beside) the two regions, arrowheads by
direction, the label on it; never for a relation whose region is missing or hidden."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.core.regions import Relation
from viewer.render.relations import drawable

BOXES = ('<RectangleLabels name="tool" toName="image" fillOpacity="0"><Label value="A" background="#0000ff"/>'
         '</RectangleLabels><Relations><Relation value="near"/></Relations>')
SIZE = (400, 300)
CONNECTOR = np.array([252, 152, 119])   # #fa541c at 60 % over white
LABEL = np.array([170, 0, 170])


def box(px, rid, x, y, w=10, h=10, **extra):
    return {**px.result("rectanglelabels", {"x": x, "y": y, "width": w, "height": h, "rectanglelabels": ["A"]},
                        rid=rid, size=SIZE), **extra}


def relation(from_id="a", to_id="b", direction="right", labels=()):
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": direction, "labels": list(labels)}


def connector(pixels) -> np.ndarray:
    return np.abs(pixels[:, :, :3].astype(int) - CONNECTOR).max(axis=2) < 30


def near(mask, x, y, within=1) -> bool:
    return bool(mask[y - within: y + within + 1, x - within: x + within + 1].any())


# Boxes side by side at 40..80 and 240..280 px, top 150: padded by 3 px, the connector runs 15 px higher.
LEVEL, A_CENTRE, B_CENTRE, TOP = 132, 60, 260, 147


def test_side_by_side_regions_are_joined_over_their_tops(draw, px):
    pixels, _ = draw(BOXES, [box(px, "a", 10, 50), box(px, "b", 60, 50), relation()], SIZE)
    line = connector(pixels)
    for x in range(A_CENTRE + 10, B_CENTRE - 10, 20):
        assert near(line, x, LEVEL), x
    for y in range(LEVEL + 6, TOP - 9, 2):
        assert near(line, A_CENTRE, y) and near(line, B_CENTRE, y), y
    ys, _ = np.nonzero(line)
    assert ys.min() >= LEVEL - 2 and ys.max() <= TOP + 1  # nothing below the box tops, nothing far above


@pytest.mark.parametrize("direction, at_start, at_end", [("right", False, True), ("left", True, False),
                                                         ("bi", True, True)])
def test_arrowheads_follow_the_direction(draw, px, direction, at_start, at_end):
    pixels, _ = draw(BOXES, [box(px, "a", 10, 50), box(px, "b", 60, 50), relation(direction=direction)], SIZE)
    line = connector(pixels)

    def arrowhead(x):  # 7 px above the tip the head is 7 px wide; the bare line is 2 px wide
        return bool(line[TOP - 7, x - 3]) and bool(line[TOP - 7, x + 2])

    assert arrowhead(A_CENTRE) == at_start
    assert arrowhead(B_CENTRE) == at_end


def test_regions_one_above_the_other_are_joined_down_their_left_sides(draw, px):
    # a at 100..140 x 60..90, b at 120..160 x 180..210: their columns overlap, so the connector goes beside them
    pixels, _ = draw(BOXES, [box(px, "a", 25, 20), box(px, "b", 30, 60), relation()], SIZE)
    line = connector(pixels)
    side = 100 - 3 - 15
    for y in range(90, 180, 10):
        assert near(line, side, y), y
    xs = np.nonzero(line)[1]
    assert xs.min() >= side - 2 and xs.max() <= 122


def test_the_label_sits_on_the_connector_and_goes_with_the_tags(draw, px):
    results = [box(px, "a", 10, 50), box(px, "b", 60, 50), relation(labels=["near"])]
    with_labels, _ = draw(BOXES, results, SIZE, labels=True)
    without, _ = draw(BOXES, results, SIZE, labels=False)
    magenta = np.abs(with_labels[:, :, :3].astype(int) - LABEL).max(axis=2) < 10
    ys, xs = np.nonzero(magenta)
    assert len(xs) > 100
    assert abs((xs.min() + xs.max()) / 2 - (A_CENTRE + B_CENTRE) / 2) < 3 and ys.min() < LEVEL < ys.max()
    assert not (np.abs(without[:, :, :3].astype(int) - LABEL).max(axis=2) < 10).any()


@pytest.mark.parametrize("case", ["missing end", "hidden end", "self"])
def test_no_connector_without_two_shown_regions(draw, px, case):
    regions = [box(px, "a", 10, 50), box(px, "b", 60, 50, **({"hidden": True} if case == "hidden end" else {}))]
    target = {"missing end": "nowhere", "hidden end": "b", "self": "a"}[case]
    pixels, _ = draw(BOXES, regions + [relation(to_id=target)], SIZE)
    assert not connector(pixels).any()


def test_a_repeated_pair_is_drawn_once_and_the_reverse_pair_is_its_own():
    regions = {"a": object(), "b": object()}

    def rel(f, t, index):
        return Relation(f, t, "right", (), index, {})

    kept = drawable((rel("a", "b", 0), rel("a", "b", 1), rel("b", "a", 2), rel("a", "x", 3)), regions)
    assert [r.result_index for r, _, _ in kept] == [0, 2]

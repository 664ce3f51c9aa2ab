"""core.tag_layout: no two placed tags overlap, every tag is placed or counted in exactly one fold, the selected
tag stays itself, relation labels are kept clear of, and the same boxes always give the same places."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.tag_layout import TagRequest, candidates, folded_text, overlaps, place_tags

CHAR = 6.0  # a made-up font: every character 6 px wide


def width_of(text: str) -> float:
    return len(text) * CHAR + 4


def requests_of(specs, texts=None, selected=None):
    texts = texts or [f"Tag {score:.2f}" if score is not None else "Tag" for *_, score in specs]
    return [TagRequest((x, y, x + w, y + h), width_of(text), 15.0, score, i == selected)
            for i, ((x, y, w, h, score), text) in enumerate(zip(specs, texts))], texts


def measure_of(texts):
    return lambda i, n: width_of(folded_text(texts[i], n))


def first_spot(request, bounds=None):
    x, y = candidates(request)[0]
    if bounds is not None:
        x = max(bounds[0], min(x, bounds[2] - request.width))
        y = max(bounds[1], min(y, bounds[3] - request.height))
    return x, y


def check(layout, requests, texts, selected=None, obstacles=(), bounds=None):
    boxes = [tag.box for tag in layout.placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (a, b)
        for b in obstacles:
            assert not overlaps(a, b), (a, b)
    counted = [index for tag in layout.placed for index in tag.folded]
    shown = [tag.index for tag in layout.placed]
    assert sorted(shown + counted) == list(range(len(requests)))  # each once: placed or in one fold
    assert {i: host for i, host in layout.host.items()} == {i: t.index for t in layout.placed for i in t.folded}
    for tag in layout.placed:
        assert tag.width >= width_of(folded_text(texts[tag.index], len(tag.folded))) - 1e-9
        assert tag.height == requests[tag.index].height
    if selected is not None:
        tag = layout.at(selected)
        assert tag is not None and tag.folded == ()
        assert (tag.x, tag.y) == first_spot(requests[selected], bounds)


BOUNDS = (0, 0, 640, 400)
region = st.tuples(st.floats(-50, 600), st.floats(-50, 400), st.floats(0, 300), st.floats(0, 200),
                   st.one_of(st.none(), st.floats(0, 1)))


@settings(max_examples=150, deadline=None)
@given(st.lists(region, max_size=60), st.data())
def test_no_two_tags_overlap_and_every_tag_is_placed_or_counted(specs, data):
    selected = data.draw(st.one_of(st.none(), st.integers(0, len(specs) - 1))) if specs else None
    obstacles = data.draw(st.lists(st.tuples(st.floats(0, 500), st.floats(0, 300)), max_size=3))
    obstacles = [(x, y, x + 50, y + 20) for x, y in obstacles]
    requests, texts = requests_of(specs, selected=selected)
    if selected is not None:
        # the selected tag's first spot is free of relation labels in the window too: it is placed first
        x, y = first_spot(requests[selected], BOUNDS)
        first = (x, y, x + requests[selected].width, y + requests[selected].height)
        obstacles = [b for b in obstacles if not overlaps(b, first)]
    layout = place_tags(requests, measure_of(texts), bounds=BOUNDS, obstacles=obstacles)
    check(layout, requests, texts, selected, obstacles, BOUNDS)


@settings(max_examples=60, deadline=None)
@given(st.lists(region, max_size=40))
def test_the_same_boxes_give_the_same_places(specs):
    requests, texts = requests_of(specs)
    first = place_tags(requests, measure_of(texts), bounds=(0, 0, 640, 400))
    again = place_tags(list(requests), measure_of(texts), bounds=(0, 0, 640, 400))
    assert first == again


def test_a_lone_tag_sits_above_its_regions_top_left_corner():
    requests, texts = requests_of([(100, 100, 80, 40, 0.9)])
    tag = place_tags(requests, measure_of(texts)).placed[0]
    assert (tag.x, tag.y, tag.folded) == (100, 85, ())


def test_tags_of_regions_on_top_of_each_other_read_as_a_list():
    # two models found the same road: the better score keeps the usual spot, the other goes just inside
    requests, texts = requests_of([(10, 100, 300, 50, 0.73), (10, 100, 300, 50, 0.89)])
    layout = place_tags(requests, measure_of(texts))
    assert (layout.at(1).x, layout.at(1).y) == (10, 85)
    assert (layout.at(0).x, layout.at(0).y) == (10, 100)


def test_a_region_at_the_top_edge_gets_its_tag_inside_the_bounds():
    requests, texts = requests_of([(30, 0, 100, 60, 0.5)])
    tag = place_tags(requests, measure_of(texts), bounds=(0, 0, 640, 400)).placed[0]
    assert (tag.x, tag.y) == (30, 0)


def test_a_crowd_is_folded_into_one_tag_with_a_count():
    # ten identical boxes too small to hold their tags: some stack, the rest are counted in the best one
    requests, texts = requests_of([(200, 200, 4, 4, 0.5 + i / 100) for i in range(10)])
    layout = place_tags(requests, measure_of(texts), bounds=(0, 0, 640, 400))
    check(layout, requests, texts)
    hosts = [tag for tag in layout.placed if tag.folded]
    assert len(hosts) == 1 and hosts[0].index == 9  # the highest score shows, "Tag 0.59 +n"
    assert len(layout.placed) + len(hosts[0].folded) == 10


def test_the_selected_tag_is_placed_first_and_never_folded():
    specs = [(200, 200, 4, 4, 0.9 - i / 100) for i in range(10)]
    requests, texts = requests_of(specs, selected=7)
    layout = place_tags(requests, measure_of(texts), bounds=(0, 0, 640, 400))
    check(layout, requests, texts, selected=7, bounds=(0, 0, 640, 400))
    assert all(7 not in tag.folded for tag in layout.placed)


def test_no_score_ranks_as_certain_and_ties_keep_the_drawing_order():
    requests, texts = requests_of([(10, 100, 5, 5, 0.99), (10, 100, 5, 5, None), (10, 100, 5, 5, None)])
    layout = place_tags(requests, measure_of(texts))
    assert (layout.at(1).x, layout.at(1).y) == (10, 85)  # the annotation's tag, first of the two unscored


def test_relation_labels_are_kept_clear_of():
    requests, texts = requests_of([(100, 100, 80, 40, 0.9)])
    label = (90, 80, 200, 100)
    tag = place_tags(requests, measure_of(texts), obstacles=[label]).placed[0]
    assert not overlaps(tag.box, label)


def test_a_thousand_crowded_tags_do_not_overlap():
    rng = random.Random(5)
    specs = []
    for _ in range(1000):
        w, h = rng.uniform(5, 100), rng.uniform(5, 100)
        specs.append((rng.uniform(0, 1300 - w), rng.uniform(0, 730 - h), w, h, rng.uniform(0.3, 1)))
    requests, texts = requests_of(specs)
    layout = place_tags(requests, measure_of(texts), bounds=(0, 0, 1300, 730))
    boxes = sorted(tag.box for tag in layout.placed)
    # a sweep over x instead of all pairs
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[0] >= a[2]:
                break
            assert not overlaps(a, b)
    assert len(layout.placed) + len(layout.host) == 1000

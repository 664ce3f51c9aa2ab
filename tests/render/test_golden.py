"""Golden images: each scene drawn now matches tests/render/golden/<scene>.png within a small tolerance.

After a deliberate drawing change, redraw them with `python scripts/update_golden.py` and look at them.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.render import scenes


def golden(name: str) -> np.ndarray:
    with Image.open(scenes.GOLDEN / f"{name}.png") as image:
        return np.asarray(image.convert("RGB")).astype(int)


@pytest.mark.parametrize("name", scenes.SCENES)
def test_scene_matches_its_golden_image(qapp, name):
    problem = scenes.difference(scenes.pixels(scenes.render(name)), golden(name))
    assert problem is None, f"{name}: {problem}; if the change is meant, run python scripts/update_golden.py"


@pytest.mark.parametrize("name", [*scenes.DEMO_TASKS, "crowded"])
def test_no_two_tags_of_a_scene_overlap_and_each_is_shown_or_counted(qapp, name):
    from PySide6.QtGui import QPainter

    from viewer.core.tag_layout import overlaps
    from viewer.render.content import tag_text
    from viewer.render.tags import layout_tags
    from viewer.render.task_image import drawn_box, tag_pixel_size

    content, painter, base, _ = scenes.scene(name)
    regions = [region for _, region in content.regions() if not region.hidden]
    p = QPainter(base)
    try:
        layout = layout_tags(p, [(r, drawn_box(r, painter, content.size)) for r in regions], painter, content.size,
                             tag_pixel_size(content.size), words=False)
    finally:
        p.end()
    boxes = [tag.box for tag in layout.placed]
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert len(boxes) + len(layout.host) == sum(1 for region in regions if tag_text(region))
    assert all(0 <= tag.x and 0 <= tag.y and tag.y + tag.height <= content.size[1] for tag in layout.placed)
    if name == "crowded":
        assert layout.host  # the crowd does not fit: some tags are counted in others


def test_the_comparison_catches_a_region_moved_by_three_pixels(qapp, monkeypatch):
    moved = scenes.shapes_results()
    moved[0]["value"] = {**moved[0]["value"], "x": moved[0]["value"]["x"] + 1.0}  # 3.2 px at 320 px
    monkeypatch.setattr(scenes, "shapes_results", lambda: moved)
    assert scenes.difference(scenes.pixels(scenes.render("shapes")), golden("shapes")) is not None


def test_the_comparison_forgives_rounding_and_a_few_edge_pixels(qapp):
    drawn = scenes.pixels(scenes.render("shapes"))
    rng = np.random.default_rng(7)
    noisy = drawn + rng.integers(-2, 3, drawn.shape)          # blending rounded another way
    edges = rng.random(drawn.shape[:2]) < 0.002                # antialiasing a step off here and there
    noisy[edges] += 60
    assert scenes.difference(np.clip(noisy, 0, 255), golden("shapes")) is None


def test_hidden_regions_are_left_out_of_the_placeholder_scene(qapp):
    # "gone" is saved with hidden: true; its area of the grey stand-in must stay untouched
    area = scenes.pixels(scenes.render("placeholder"))[150:215, 165:250]
    assert (area == [200, 200, 200]).all()

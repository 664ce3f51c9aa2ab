"""`lsview render` draws a region in the style of the control Label Studio 1.23.2 takes it from (issue 13 item 10).

Each region's edge lies on pixel centres, so a 1 px stroke covers exactly one pixel column and a wider one more.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from viewer.cli import main

SIZE = (200, 100)
WHITE = (255, 255, 255)


@pytest.fixture
def render(tmp_path, qapp):
    def run(config: str, results: list[dict]) -> np.ndarray:
        Image.new("RGB", SIZE, WHITE).save(tmp_path / "white.png")
        (tmp_path / "config.xml").write_text(f'<View><Image name="image" value="$image"/>{config}</View>')
        for result in results:
            result.update(to_name="image", original_width=SIZE[0], original_height=SIZE[1])
        task = {"id": 1, "data": {"image": "white.png"}, "annotations": [{"id": 1, "result": results}]}
        (tmp_path / "tasks.json").write_text(json.dumps([task]))
        out = tmp_path / "out"
        assert main(["render", str(tmp_path / "tasks.json"), "--config", str(tmp_path / "config.xml"),
                     "--out", str(out), "--no-labels"]) == 0
        with Image.open(out / "0_1.png") as image:
            return np.asarray(image.convert("RGB")).astype(int)
    return run


def over_white(rgb: tuple[int, int, int], alpha: float) -> np.ndarray:
    return np.array([255 + alpha * (c - 255) for c in rgb])


def close(pixel: np.ndarray, expected, tolerance: float = 2.0) -> bool:
    return bool(np.abs(pixel - np.asarray(expected)).max() <= tolerance)


def coverage(pixel: np.ndarray, stroke, under) -> np.ndarray:
    """How much of `stroke` over `under` each channel of an anti-aliased pixel shows (channels that differ)."""
    stroke, under = np.asarray(stroke, float), np.asarray(under, float)
    apart = np.abs(stroke - under) > 40
    return (pixel[apart] - under[apart]) / (stroke[apart] - under[apart])


def test_a_keypoint_of_a_rectangle_control_is_drawn_in_the_rectangles_orange_1_px_wide(render):
    # centre (50.5, 50.5) px, radius 5% of 200 = 10 px: on row 50 the ring's left edge is the centre of pixel 40
    keypoint = {"x": 25.25, "y": 50.5, "width": 5}
    pixels = render('<Rectangle name="rect" toName="image"/><KeyPoint name="kp" toName="image"/>',
                    [{"id": "k", "type": "keypoint", "from_name": "rect", "value": keypoint}])
    row, fill = pixels[50], over_white((227, 124, 52), 0.2)
    assert close(row[50], fill)                                    # fill rgba(227,124,52,0.2)
    # the ring pixel is stroke rgb(244,138,66) over that fill (Qt anti-aliases the circle), not KeyPoint green
    shown = coverage(row[40], (244, 138, 66), fill)
    assert shown.min() > 0.5 and shown.max() - shown.min() < 0.05, shown
    assert close(row[39], WHITE) and close(row[41], fill)          # 1 px wide


def test_a_rectangle_with_stroke_width_3_labelled_by_labels_is_drawn_1_px_wide_in_the_label_colour(render):
    # the OCR template: <Rectangle strokeWidth="3"> beside <Labels>; the left edge at x = 20.5 px
    box = {"x": 10.25, "y": 20.5, "width": 50, "height": 60, "rotation": 0}
    config = ('<Labels name="label" toName="image"><Label value="Text" background="green"/></Labels>'
              '<Rectangle name="bbox" toName="image" strokeWidth="3"/>'
              '<TextArea name="transcription" toName="image" editable="true" perRegion="true"/>')
    pixels = render(config, [
        {"id": "b", "type": "rectangle", "from_name": "bbox", "value": box},
        {"id": "b", "type": "labels", "from_name": "label", "value": {**box, "labels": ["Text"]}},
        {"id": "b", "type": "textarea", "from_name": "transcription", "value": {**box, "text": ["hello"]}},
    ])
    row = pixels[50]
    assert close(row[20], (0, 128, 0))                             # the label's green
    assert close(row[19], WHITE) and not close(row[21], (0, 128, 0), 40)  # 1 px, not 3
    assert close(row[60], row[21], 0)                              # the pixel beside the edge is plain fill

"""Region styles follow the editor's rules (FORMAT.md 1.8): label colours, control attributes, code defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from viewer.core.colors import parse_color, to_css
from viewer.core.config import parse_config
from viewer.core.regions import group_results
from viewer.render.style import SELECTED_STROKE, StyleBook

STYLES = json.loads((Path(__file__).parents[1] / "data" / "vectors" / "label_style_vectors.json").read_text())


def style_of(body: str, rtype: str, value: dict, from_name: str = "tool", selected=False):
    config = parse_config(f'<View><Image name="image" value="$image"/>{body}</View>')
    result = {"id": "r", "type": rtype, "from_name": from_name, "to_name": "image", "value": value}
    region = group_results([result], "prediction", 0, lambda name: "image").regions[0]
    style = StyleBook(config).style(region)
    return style.selected(region.kind) if selected else style


RECT = {"x": 1, "y": 2, "width": 3, "height": 4}


def test_rectangle_defaults_width_1_opacity_0_2_and_label_background():
    style = style_of('<RectangleLabels name="tool" toName="image"><Label value="Car" background="#FF0000"/>'
                     '</RectangleLabels>', "rectanglelabels", {**RECT, "rectanglelabels": ["Car"]})
    assert style.width == 1.0
    assert to_css(style.stroke) == "rgb(255,0,0)"
    assert to_css(style.fill) == "rgba(237,0,0,0.2)"


@pytest.mark.parametrize("label, colour", sorted(STYLES["default_label_backgrounds"].items())[:5])
def test_label_without_background_gets_the_generated_colour(label, colour):
    style = style_of(f'<RectangleLabels name="tool" toName="image"><Label value="{label}"/></RectangleLabels>',
                     "rectanglelabels", {**RECT, "rectanglelabels": [label]})
    assert style.color == colour


@pytest.mark.parametrize("case", STYLES["fill_examples"], ids=lambda c: f"{c['color']}@{c['opacity']}")
def test_fill_is_the_darkened_colour_at_the_opacity(case):
    body = (f'<RectangleLabels name="tool" toName="image" opacity="{case["opacity"]}">'
            f'<Label value="A" background="{case["color"]}"/></RectangleLabels>')
    style = style_of(body, "rectanglelabels", {**RECT, "rectanglelabels": ["A"]})
    assert to_css(style.stroke) == case["stroke_css"]
    assert to_css(style.fill) == case["fill_css"]


def test_fill_opacity_wins_over_opacity_and_stroke_width_is_read():
    body = ('<PolygonLabels name="tool" toName="image" opacity="0.9" fillOpacity="0.1" strokeWidth="5">'
            '<Label value="A" background="#0000ff"/></PolygonLabels>')
    style = style_of(body, "polygonlabels", {"points": [[1, 1], [5, 1], [5, 5]], "polygonlabels": ["A"]})
    assert style.width == 5.0
    assert style.fill[3] == pytest.approx(0.1)


@pytest.mark.parametrize("tag, rtype, value, width, opacity", [
    ("Polygon", "polygon", {"points": [[1, 1], [5, 1], [5, 5]]}, 2.0, 0.2),
    ("Ellipse", "ellipse", {"x": 5, "y": 5, "radiusX": 2, "radiusY": 3}, 1.0, 0.2),
    ("KeyPoint", "keypoint", {"x": 5, "y": 5, "width": 1}, 2.0, 0.9),
])
def test_tool_defaults_per_kind(tag, rtype, value, width, opacity):
    style = style_of(f'<{tag} name="tool" toName="image"/>', rtype, value)
    assert style.width == width
    assert style.fill[3] == pytest.approx(opacity)


def test_keypoint_default_colour_and_selection_keeps_its_width():
    style = style_of('<KeyPoint name="tool" toName="image" strokeWidth="3"/>', "keypoint",
                     {"x": 5, "y": 5, "width": 1}, selected=True)
    assert style.stroke == SELECTED_STROKE and style.width == 3.0
    assert style.color == "#8bad00"


def test_selected_region_is_red_width_2():
    style = style_of('<RectangleLabels name="tool" toName="image" strokeWidth="5"><Label value="A"/>'
                     '</RectangleLabels>', "rectanglelabels", {**RECT, "rectanglelabels": ["A"]}, selected=True)
    assert (style.stroke, style.width) == (SELECTED_STROKE, 2.0)


def test_label_missing_from_config_uses_the_control_colours():
    body = ('<RectangleLabels name="tool" toName="image" strokeColor="#123456" fillColor="#654321">'
            '<Label value="A" background="#ff0000"/></RectangleLabels>')
    style = style_of(body, "rectanglelabels", {**RECT, "rectanglelabels": ["Unknown"]})
    assert style.stroke == parse_color("#123456")
    assert to_css(style.fill) != to_css(style.stroke)


def test_polygon_fills_from_its_stroke_colour():
    body = ('<Polygon name="tool" toName="image" strokeColor="#0000ff" fillColor="#00ff00"/>')
    style = style_of(body, "polygon", {"points": [[1, 1], [5, 1], [5, 5]]})
    assert to_css(style.fill) == "rgba(0,0,239,0.2)"


def test_unknown_control_falls_back_to_the_default_colour():
    style = style_of("", "rectangle", RECT, from_name="nowhere")
    assert style.color == "#f48a42" and style.width == 1.0


@pytest.mark.parametrize("width", ["1e400", "inf", "nan", "-2", "100000"])
def test_a_hostile_stroke_width_or_opacity_is_the_default(width):
    style = style_of(f'<RectangleLabels name="tool" toName="image" strokeWidth="{width}" opacity="{width}">'
                     '<Label value="Car" background="#FF0000"/></RectangleLabels>', "rectanglelabels",
                     {**RECT, "rectanglelabels": ["Car"]})
    assert style.width == 1.0 and to_css(style.fill) == "rgba(237,0,0,0.2)"

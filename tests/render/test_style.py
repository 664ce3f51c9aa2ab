"""Region styles follow the editor's rules (FORMAT.md 1.8): label colours, control attributes, code defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from viewer.core.colors import fill_color, parse_color, to_css
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


# Which control's style a region takes (StyleBook's docstring has the rule and where LS says it).
KP = {"x": 5, "y": 5, "width": 1}
POLY = {"points": [[1, 1], [5, 1], [5, 5]]}
MASK = {"format": "rle", "rle": [0, 0, 0, 0]}
LABEL_GREEN = '<Labels name="label" toName="image"><Label value="T" background="#00ff00"/></Labels>'
GREEN, ORANGE, GREY = "rgb(0,255,0)", "rgb(244,138,66)", "rgb(102,102,102)"


def fill_css(css: str, alpha: float) -> str:
    return to_css(fill_color(css, alpha))


RULE = [
    # (case, config body, results [(type, from_name, value)], stroke, width, fill)
    ("keypoint of a <Rectangle>: the Rectangle's look (issue 13)", '<Rectangle name="rect" toName="image"/>'
     '<KeyPoint name="kp" toName="image"/>', [("keypoint", "rect", KP)], ORANGE, 1.0, "rgba(227,124,52,0.2)"),
    ("<Rectangle strokeWidth=3> + <Labels>: the label's colour, Labels' width 1 (issue 13)",
     LABEL_GREEN + '<Rectangle name="box" toName="image" strokeWidth="3"/>',
     [("rectangle", "box", RECT), ("labels", "label", {**RECT, "labels": ["T"]})], GREEN, 1.0,
     fill_css("#00ff00", 0.2)),
    ("the labels result listed first: the same", LABEL_GREEN + '<Rectangle name="box" toName="image" '
     'strokeWidth="3"/>', [("labels", "label", {**RECT, "labels": ["T"]}), ("rectangle", "box", RECT)], GREEN,
     1.0, fill_css("#00ff00", 0.2)),
    ("<Labels strokeWidth opacity> set: they apply", LABEL_GREEN.replace('toName="image"', 'toName="image" '
     'strokeWidth="4" opacity="0.5"') + '<Rectangle name="box" toName="image" strokeWidth="3"/>',
     [("rectangle", "box", RECT), ("labels", "label", {**RECT, "labels": ["T"]})], GREEN, 4.0,
     fill_css("#00ff00", 0.5)),
    ("<Rectangle> + <Labels>, label not in the config: the Rectangle's look",
     LABEL_GREEN + '<Rectangle name="box" toName="image" strokeColor="#0000ff" strokeWidth="3"/>',
     [("rectangle", "box", RECT), ("labels", "label", {**RECT, "labels": ["Other"]})], "rgb(0,0,255)", 3.0,
     fill_css("#f48a42", 0.2)),
    ("<Polygon strokeWidth=5> + <Labels>: Labels' width, filled from the stroke",
     LABEL_GREEN + '<Polygon name="poly" toName="image" strokeWidth="5"/>',
     [("polygon", "poly", POLY), ("labels", "label", {**POLY, "labels": ["T"]})], GREEN, 1.0,
     fill_css("#00ff00", 0.2)),
    ("<PolygonLabels>: the polygon's width 2", '<PolygonLabels name="pl" toName="image"><Label value="T" '
     'background="#00ff00"/></PolygonLabels>', [("polygonlabels", "pl", {**POLY, "polygonlabels": ["T"]})],
     GREEN, 2.0, fill_css("#00ff00", 0.2)),
    ("<Ellipse strokeWidth=4> + <Labels>", LABEL_GREEN + '<Ellipse name="el" toName="image" strokeWidth="4"/>',
     [("ellipse", "el", {"x": 5, "y": 5, "radiusX": 2, "radiusY": 3}),
      ("labels", "label", {"x": 5, "y": 5, "radiusX": 2, "radiusY": 3, "labels": ["T"]})], GREEN, 1.0,
     fill_css("#00ff00", 0.2)),
    ("<KeyPoint strokeWidth=4> + <Labels>: Labels' width and opacity", LABEL_GREEN +
     '<KeyPoint name="kp" toName="image" strokeWidth="4"/>',
     [("keypoint", "kp", KP), ("labels", "label", {**KP, "labels": ["T"]})], GREEN, 1.0, fill_css("#00ff00", 0.2)),
    ("<KeyPointLabels>: the keypoint's width 2 and opacity 0.9", '<KeyPointLabels name="kl" toName="image">'
     '<Label value="T" background="#00ff00"/></KeyPointLabels>', [("keypointlabels", "kl",
                                                                   {**KP, "keypointlabels": ["T"]})],
     GREEN, 2.0, fill_css("#00ff00", 0.9)),
    ("rectangle of a <Polygon>: the Polygon's look", '<Polygon name="poly" toName="image" strokeWidth="5" '
     'fillColor="#0000ff"/>', [("rectangle", "poly", RECT)], ORANGE, 5.0, fill_css("#0000ff", 0.2)),
    ("rectanglelabels of a <PolygonLabels>: its label, its width", '<PolygonLabels name="pl" toName="image">'
     '<Label value="T" background="#00ff00"/></PolygonLabels>', [("rectanglelabels", "pl",
                                                                  {**RECT, "polygonlabels": ["T"]})],
     GREEN, 2.0, fill_css("#00ff00", 0.2)),
    ("allowEmpty and no label: #666", '<RectangleLabels name="rl" toName="image" allowEmpty="true" '
     'strokeWidth="2"><Label value="T"/></RectangleLabels>', [("rectanglelabels", "rl",
                                                                {**RECT, "rectanglelabels": []})],
     GREY, 2.0, fill_css("#666", 0.2)),
    ("no label and no tool to hand it to: the editor's grey", '<RectangleLabels name="rl" toName="image">'
     '<Label value="T"/></RectangleLabels>', [("rectanglelabels", "rl", {**RECT, "rectanglelabels": []})],
     GREY, 1.0, fill_css("#666", 0.2)),
    ("no label, a <Rectangle> beside: handed to it", '<RectangleLabels name="rl" toName="image"><Label value="T"/>'
     '</RectangleLabels><Rectangle name="box" toName="image" strokeColor="#0000ff"/>',
     [("rectanglelabels", "rl", {**RECT, "rectanglelabels": []})], "rgb(0,0,255)", 1.0, fill_css("#f48a42", 0.2)),
    ("a keypoint nothing styles: white stroke, black fill", '<Rectangle name="rect" toName="image"/>',
     [("rectangle", "rect", KP)], "rgb(255,255,255)", 1.0, "rgb(0,0,0)"),
]


@pytest.mark.parametrize("case, body, results, stroke, width, fill", RULE, ids=[row[0] for row in RULE])
def test_which_control_styles_a_region(case, body, results, stroke, width, fill):
    config = parse_config(f'<View><Image name="image" value="$image"/>{body}</View>')
    made = [{"id": "r", "type": rtype, "from_name": name, "to_name": "image", "value": value}
            for rtype, name, value in results]
    region = group_results(made, "prediction", 0, lambda name: "image").regions[0]
    style = StyleBook(config).style(region)
    assert (to_css(style.stroke), style.width, to_css(style.fill)) == (stroke, width, fill)


@pytest.mark.parametrize("body, results, rgb", [
    (LABEL_GREEN + '<Brush name="brush" toName="image"/>',
     [("brush", "brush", MASK), ("labels", "label", {**MASK, "labels": ["T"]})], (0, 255, 0)),
    # BrushRegion.jsx colorParts: a <Brush> has no strokeColor, and colorToRGBAArray(undefined) is black
    ('<Brush name="brush" toName="image"/>', [("brush", "brush", MASK)], (0, 0, 0)),
    ('<BrushLabels name="bl" toName="image"><Label value="T" background="#0000ff"/></BrushLabels>',
     [("brushlabels", "bl", {**MASK, "brushlabels": ["T"]})], (0, 0, 255)),
])
def test_mask_colour_follows_the_same_rule(body, results, rgb):
    config = parse_config(f'<View><Image name="image" value="$image"/>{body}</View>')
    made = [{"id": "r", "type": rtype, "from_name": name, "to_name": "image", "value": value}
            for rtype, name, value in results]
    region = group_results(made, "prediction", 0, lambda name: "image").regions[0]
    assert StyleBook(config).style(region).mask_rgb == rgb


def test_legend_colour_of_a_label_missing_from_the_config_is_the_controls_stroke():
    config = parse_config('<View><Image name="image" value="$image"/><KeyPointLabels name="kl" toName="image">'
                          '<Label value="T"/></KeyPointLabels><Labels name="l" toName="image"><Label value="A"/>'
                          '</Labels></View>')
    book = StyleBook(config)
    assert (book.label_color("kl", "Other"), book.label_color("l", "Other")) == ("#8bad00", "#f48a42")

"""Tests for viewer.core.colors against the Label Studio style vectors and CSS edge cases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.core.colors import (
    DEFAULT_LABEL_BACKGROUND,
    darken,
    default_label_color,
    default_label_colors,
    fill_color,
    label_background,
    parse_color,
    to_css,
    to_hex,
)

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "vectors" / "label_style_vectors.json").read_text("utf-8")
)
LABEL_CASES = sorted(VECTORS["default_label_backgrounds"].items())
FILL_CASES = VECTORS["fill_examples"]
# Colours of 1,812 values (label_0 .. label_999, edge cases, random Unicode) from the one-at-a-time code
# as it was before the batch version (issue 11).
REFERENCE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "vectors" / "label_colors_reference.json").read_text("utf-8")
)["colors"]


def _fill_id(case: dict) -> str:
    return f"{case['color']}@{case['opacity']}"


# ---------------------------------------------------------------- vectors

@pytest.mark.parametrize(("value", "expected"), LABEL_CASES, ids=[v for v, _ in LABEL_CASES])
def test_default_label_color_matches_vectors(value, expected):
    assert default_label_color(value) == expected


@pytest.mark.parametrize("case", FILL_CASES, ids=_fill_id)
def test_fill_css_matches_vectors(case):
    assert to_css(fill_color(case["color"], case["opacity"])) == case["fill_css"]


@pytest.mark.parametrize("case", FILL_CASES, ids=_fill_id)
def test_stroke_css_matches_vectors(case):
    assert to_css(parse_color(case["color"])) == case["stroke_css"]


def test_vectors_are_all_there():
    # A truncated vector file would otherwise pass silently with fewer parametrized cases.
    assert len(LABEL_CASES) >= 15
    assert len(FILL_CASES) >= 6


# ---------------------------------------------------------------- default label colours

def test_default_label_color_format():
    for value in ("Car", "x" * 500, "日本語", "\ud83d"):
        colour = default_label_color(value)
        assert len(colour) == 7 and colour.startswith("#")
        assert colour == colour.lower()
        int(colour[1:], 16)


def test_default_label_color_is_deterministic_and_case_sensitive():
    assert default_label_color("car") == default_label_color("car")
    assert default_label_color("Car") == "#72bfb9"
    assert default_label_color("Car") != default_label_color("car")


def test_empty_seed_follows_javascript_semantics():
    # Checked by running the same steps in node: JS's NaN key bytes still give a colour.
    assert default_label_color("") == "#7cbf72"


def test_colours_are_the_ones_computed_before_the_batch_version():
    values = [value for value, _ in REFERENCE]
    batch = default_label_colors(values)
    assert len(REFERENCE) == 1812
    assert [batch[value] for value in values] == [colour for _, colour in REFERENCE]
    assert [default_label_color(value) for value in values] == [colour for _, colour in REFERENCE]


def test_batch_colours_cover_every_value_once_across_blocks(monkeypatch):
    # Small blocks so one length group spans several numpy passes and the last one is partial; numpy for any count.
    monkeypatch.setattr("viewer.core.colors._BLOCK", 7)
    monkeypatch.setattr("viewer.core.colors._VECTOR_FROM", 0)
    values = [f"v{i}" for i in range(40)] + ["v3", "", "\ud83d", "日本"]
    batch = default_label_colors(iter(values))
    assert set(batch) == set(values)
    assert all(batch[value] == default_label_color(value) for value in values)


def test_a_few_values_are_seeded_one_by_one_without_numpy():
    code = ("import sys; from viewer.core.colors import default_label_colors, default_label_color; "
            "values = ['Car', 'Person', '', 'Car']; colours = default_label_colors(values); "
            "assert colours == {v: default_label_color(v) for v in values}, colours; "
            "assert 'numpy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_label_background_decision():
    generated = default_label_color("Car")
    assert DEFAULT_LABEL_BACKGROUND == "#DA935D"
    assert label_background("Car", None) == generated
    assert label_background("Car", "#DA935D") == generated
    # LS compares with ===, so only the exact constant string is replaced.
    assert label_background("Car", "#da935d") == "#da935d"
    assert label_background("Car", "red") == "red"
    assert label_background("Car", "#36B37E") == "#36B37E"


# ---------------------------------------------------------------- parse_color

@pytest.mark.parametrize(("css", "expected"), [
    ("#f00", (255, 0, 0, 1.0)),
    ("#F00", (255, 0, 0, 1.0)),
    ("#FF0000", (255, 0, 0, 1.0)),
    ("  #72bfb9\n", (114, 191, 185, 1.0)),
    ("#ff000080", (255, 0, 0, 0.5)),     # chroma keeps two decimals: 128/255 -> 0.5
    ("#ff0000ff", (255, 0, 0, 1.0)),
    ("#f008", (255, 0, 0, 0.53)),
    ("rgb(1,2,3)", (1, 2, 3, 1.0)),
    ("RGB( 1 , 2 , 3 )", (1, 2, 3, 1.0)),
    ("rgba(255, 0, 0, 0.7)", (255, 0, 0, 0.7)),
    ("rgba(255,0,0,.5)", (255, 0, 0, 0.5)),
    ("rgba(255,0,0,50%)", (255, 0, 0, 0.5)),
    ("rgb(300, -5, 0)", (255, 0, 0, 1.0)),
    ("rgba(1,2,3,1.5)", (1, 2, 3, 1.0)),
    ("rgb(100%, 0%, 0%)", (255, 0, 0, 1.0)),
    ("rgb(50%, 50%, 50%)", (127, 127, 127, 1.0)),  # chroma: round(50 * 2.55) = 127
    ("rgba(100%,0%,0%,0.25)", (255, 0, 0, 0.25)),
    ("rgb(255 0 0)", (255, 0, 0, 1.0)),
    ("rgb(255 0 0 / 40%)", (255, 0, 0, 0.4)),
    ("rgba(255 0 0 / 0.4)", (255, 0, 0, 0.4)),
    ("rgb(1,2,3,0.5)", (1, 2, 3, 0.5)),
    ("rgb(12.5, 0, 0)", (13, 0, 0, 1.0)),
    ("hsl(0, 100%, 50%)", (255, 0, 0, 1.0)),
    ("hsl(120, 100%, 25%)", (0, 128, 0, 1.0)),
    ("hsl(240deg 100% 50%)", (0, 0, 255, 1.0)),
    ("hsl(0.5turn, 100%, 50%)", (0, 255, 255, 1.0)),
    ("hsl(480, 100%, 25%)", (0, 128, 0, 1.0)),
    ("hsl(-240, 100%, 25%)", (0, 128, 0, 1.0)),
    ("hsla(0, 100%, 50%, 0.3)", (255, 0, 0, 0.3)),
    ("hsl(0, 0%, 50%)", (128, 128, 128, 1.0)),
    ("red", (255, 0, 0, 1.0)),
    ("Green", (0, 128, 0, 1.0)),
    ("rebeccapurple", (102, 51, 153, 1.0)),
    ("transparent", (0, 0, 0, 0.0)),
])
def test_parse_color(css, expected):
    got = parse_color(css)
    assert got == expected
    assert all(isinstance(c, int) for c in got[:3])
    assert isinstance(got[3], float)


@pytest.mark.parametrize(("css", "fragment"), [
    ("", "empty colour"),
    ("   ", "empty colour"),
    ("nope", "not a CSS colour: 'nope'"),
    ("#12", "expected 3, 4, 6 or 8 hex digits"),
    ("#12345", "expected 3, 4, 6 or 8 hex digits"),
    ("#1234567", "expected 3, 4, 6 or 8 hex digits"),
    ("#ggg", "only 0-9 and a-f"),
    ("#", "only 0-9 and a-f"),
    ("ff0000", "not a CSS colour"),
    ("rgb(1,2)", "rgb() takes 3 values"),
    ("rgb(1,2,3,4,5)", "rgb() takes 3 values"),
    ("rgb(1,,3)", "rgb() takes 3 values"),
    ("rgb()", "rgb() takes 3 values"),
    ("rgb(1, 2, x)", "'x' is not a valid value"),
    ("rgb(1deg, 2, 3)", "'1deg' is not a valid value"),
    ("rgb(1 2 3 /)", "one alpha value after '/'"),
    ("rgb(1, 2, 3 / 0.5)", "'/' cannot be mixed with commas"),
    ("hsl(1%, 2%, 3%)", "'1%' is not a valid value"),
    ("rgb(1,2,3", "not a CSS colour"),
    ("cmyk(1,2,3,4)", "not a CSS colour"),
])
def test_parse_color_rejects_garbage(css, fragment):
    with pytest.raises(ValueError) as caught:
        parse_color(css)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("bad", [None, 123, b"#fff"])
def test_parse_color_rejects_non_strings(bad):
    with pytest.raises(ValueError, match="must be a string"):
        parse_color(bad)


# ---------------------------------------------------------------- printing

@pytest.mark.parametrize(("rgba", "expected"), [
    ((1, 2, 3, 1.0), "rgb(1,2,3)"),
    ((1, 2, 3, 1), "rgb(1,2,3)"),
    ((1, 2, 3, 0.5), "rgba(1,2,3,0.5)"),
    ((1, 2, 3, 0.2), "rgba(1,2,3,0.2)"),
    ((1, 2, 3, 0.0), "rgba(1,2,3,0)"),
    ((1, 2, 3, 0.00001), "rgba(1,2,3,0.00001)"),
    ((1, 2, 3, 1e-7), "rgba(1,2,3,1e-7)"),
    ((1, 2, 3, 0.123456789), "rgba(1,2,3,0.123456789)"),
    ((254.5, 0.4, 300, 1.0), "rgb(255,0,255)"),
])
def test_to_css(rgba, expected):
    assert to_css(rgba) == expected


def test_to_hex():
    assert to_hex((255, 0, 0, 1.0)) == "#ff0000"
    assert to_hex((114, 191, 185, 0.2)) == "#72bfb9"
    assert to_hex((0, 0, 0, 0.0)) == "#000000"


@pytest.mark.parametrize("css", [
    "rgb(255,0,0)", "rgba(255,0,0,0.7)", "rgba(0,0,0,0)", "rgb(114,191,185)", "rgba(12,34,56,0.125)",
])
def test_to_css_round_trip_is_identity_on_canonical_text(css):
    assert to_css(parse_color(css)) == css


@given(
    st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
    st.floats(0.0, 1.0, allow_nan=False),
)
def test_round_trip_through_css(r, g, b, a):
    rgba = (r, g, b, a)
    assert parse_color(to_css(rgba)) == rgba


@given(st.integers(0, 0xFFFFFF))
def test_hex_round_trip(n):
    hexa = f"#{n:06x}"
    assert to_hex(parse_color(hexa)) == hexa


# ---------------------------------------------------------------- darken

@pytest.mark.parametrize(("amount", "expected"), [
    # chroma.js's documented examples for color.darken / color.brighten.
    (1.0, "#c93384"),
    (2.0, "#930058"),
    (2.6, "#74003f"),
    (-1.0, "#ff9ce6"),
    (-2.0, "#ffd1ff"),
    (-3.0, "#ffffff"),
])
def test_darken_matches_chroma_docs(amount, expected):
    assert to_hex(darken(parse_color("hotpink"), amount)) == expected


def test_darken_keeps_alpha_and_defaults_to_one_step():
    assert darken((255, 105, 180, 0.4)) == (201, 51, 132, 0.4)
    assert darken((255, 0, 0, 1.0), 0.3) == (237, 0, 0, 1.0)


def test_darken_black_and_white():
    assert darken((0, 0, 0, 1.0), 0.3) == (0, 0, 0, 1.0)
    assert darken((255, 255, 255, 1.0), -1) == (255, 255, 255, 1.0)


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))
def test_darken_by_zero_is_identity(r, g, b):
    assert darken((r, g, b, 1.0), 0) == (r, g, b, 1.0)


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))
def test_darken_never_brightens(r, g, b):
    dr, dg, db, _ = darken((r, g, b, 1.0), 0.3)
    assert dr + dg + db <= r + g + b


# ---------------------------------------------------------------- fill_color

def test_fill_color_replaces_alpha():
    assert fill_color("rgba(255, 0, 0, 0.7)", 0.2) == (237, 0, 0, 0.2)
    assert fill_color("#f48a42", 0.2) == (227, 124, 52, 0.2)
    assert fill_color("red", 1.0) == (237, 0, 0, 1.0)
    assert to_css(fill_color("red", 1.0)) == "rgb(237,0,0)"


def test_fill_color_clamps_opacity():
    assert fill_color("red", 1.7)[3] == 1.0
    assert fill_color("red", -0.1)[3] == 0.0


def test_fill_color_rejects_garbage():
    with pytest.raises(ValueError):
        fill_color("not-a-colour", 0.2)

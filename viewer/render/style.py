"""Region colours and stroke widths exactly as the Label Studio editor picks them (FORMAT.md 1.8).

Render layer, but Qt-free: colours are RGBA tuples from viewer.core.colors; painter.py turns them into pens.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from viewer.core.colors import RGBA, fill_color, label_background, parse_color
from viewer.core.config import ControlTag, LabelConfig
from viewer.core.regions import Region

DEFAULT_COLOR = "#f48a42"
KEYPOINT_COLOR = "#8bad00"
SELECTED_STROKE: RGBA = (255, 0, 0, 1.0)
SELECTED_WIDTH = 2.0
MASK_OPACITY = 0.6


@dataclass(frozen=True)
class KindDefaults:
    opacity: float
    stroke_width: float
    color: str


# The editor's code defaults (its docs give other numbers); vectors and masks borrow the polygon's.
KIND_DEFAULTS = {
    "rectangle": KindDefaults(0.2, 1.0, DEFAULT_COLOR),
    "polygon": KindDefaults(0.2, 2.0, DEFAULT_COLOR),
    "ellipse": KindDefaults(0.2, 1.0, DEFAULT_COLOR),
    "keypoint": KindDefaults(0.9, 2.0, KEYPOINT_COLOR),
    "vector": KindDefaults(0.2, 2.0, DEFAULT_COLOR),
    "mask": KindDefaults(MASK_OPACITY, 2.0, DEFAULT_COLOR),
    "bitmask": KindDefaults(MASK_OPACITY, 2.0, DEFAULT_COLOR),
}
_FALLBACK = KIND_DEFAULTS["rectangle"]

# Which control types draw which shape: the tool itself and its *Labels twin.
_TOOL_KINDS = {
    "rectangle": ("rectangle", "rectanglelabels"),
    "polygon": ("polygon", "polygonlabels"),
    "ellipse": ("ellipse", "ellipselabels"),
    "keypoint": ("keypoint", "keypointlabels"),
    "vector": ("vector", "vectorlabels"),
    "mask": ("brush", "brushlabels", "magicwand"),
    "bitmask": ("bitmask", "bitmasklabels"),
}


@dataclass(frozen=True)
class RegionStyle:
    """How one region is drawn: stroke colour and width (screen pixels), fill or None, mask colour."""

    stroke: RGBA
    width: float
    fill: RGBA | None
    mask_rgb: tuple[int, int, int]
    color: str                      # the CSS colour the style came from, for legends and tags

    def selected(self, kind: str) -> RegionStyle:
        """The highlighted look: red stroke, width 2 (keypoints keep their own width)."""
        width = self.width if kind == "keypoint" else SELECTED_WIDTH
        return RegionStyle(SELECTED_STROKE, width, self.fill, self.mask_rgb, self.color)


MAX_NUMBER = 1000.0  # a stroke width or opacity beyond this is a typo, not a style


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    # NaN, Infinity and absurd widths (1e400 reads as Infinity) are no value: Qt refuses such pens with a warning
    return value if 0 <= value <= MAX_NUMBER else None


def _color(text: str | None, fallback: str) -> tuple[str, RGBA]:
    for css in (text, fallback):
        if css:
            try:
                return css, parse_color(css)
            except ValueError:
                continue
    return DEFAULT_COLOR, parse_color(DEFAULT_COLOR)


class StyleBook:
    """Styles of one config, cached by what decides them, so a thousand regions cost a handful of lookups."""

    def __init__(self, config: LabelConfig | None):
        self.config = config
        self._cached = lru_cache(maxsize=4096)(self._compute)

    def style(self, region: Region) -> RegionStyle:
        first_label = region.labels[0] if region.labels else None
        return self._cached(region.kind, region.label_from_name, first_label, region.from_names)

    def _control(self, name: str | None) -> ControlTag | None:
        if self.config is None or name is None:
            return None
        return self.config.controls.get(name)

    def _tool(self, kind: str, from_names: tuple[str, ...]) -> ControlTag | None:
        wanted = _TOOL_KINDS.get(kind, ())
        for name in from_names:
            control = self._control(name)
            if control is not None and control.kind in wanted:
                return control
        return None

    def _compute(self, kind: str, label_from: str | None, first_label: str | None,
                 from_names: tuple[str, ...]) -> RegionStyle:
        defaults = KIND_DEFAULTS.get(kind, _FALLBACK)
        labels_control = self._control(label_from) if first_label is not None else None
        tool = self._tool(kind, from_names)
        # Attributes come from the Labels control when the region has one, then the tool, then code defaults.
        controls = [c for c in (labels_control, tool) if c is not None]

        def attribute(name: str) -> str | None:
            for control in controls:
                value = getattr(control, name)
                if value is not None:
                    return value
            return None

        background = None
        if labels_control is not None:
            label = labels_control.find_label(first_label)
            if label is not None:
                background = label.background
            elif labels_control.dynamic_labels:
                background = label_background(first_label, None)
        if background is not None:
            stroke_css, stroke = _color(background, defaults.color)
            fill_css = stroke_css
        else:
            stroke_css, stroke = _color(attribute("stroke_color"), defaults.color)
            fill_css, _ = _color(attribute("fill_color"), defaults.color)
        if kind == "polygon":
            fill_css = stroke_css  # the editor fills polygons from the stroke colour
        width = _number(attribute("stroke_width"))
        opacity = _number(attribute("opacity"))
        fill_opacity = _number(attribute("fill_opacity"))
        alpha = fill_opacity if fill_opacity is not None else opacity if opacity is not None else defaults.opacity
        fill = fill_color(fill_css, min(alpha, 1.0))
        return RegionStyle(stroke, defaults.stroke_width if width is None else width, fill, stroke[:3],
                           stroke_css)

    def label_color(self, control_name: str | None, stored: str) -> str:
        """The CSS colour regions with this label get, for legends: the label's background, the seeded colour of
        a dynamic label, else the control's own stroke colour (labels missing from the config draw in it)."""
        control = self._control(control_name)
        if control is None:
            return DEFAULT_COLOR
        label = control.find_label(stored)
        if label is not None:
            return _color(label.background, DEFAULT_COLOR)[0]
        if control.dynamic_labels:
            return label_background(stored, None)
        kind = next((k for k, types in _TOOL_KINDS.items() if control.kind in types), "rectangle")
        return _color(control.stroke_color, KIND_DEFAULTS[kind].color)[0]

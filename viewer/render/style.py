"""Region colours and stroke widths exactly as the Label Studio 1.23.2 editor picks them (FORMAT.md 1.8).

Render layer, but Qt-free: colours are RGBA tuples from viewer.core.colors; painter.py turns them into pens.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from viewer.core.colors import RGBA, fill_color, label_background, parse_color
from viewer.core.config import ControlTag, LabelConfig
from viewer.core.numbers import finite_text
from viewer.core.regions import Region

DEFAULT_COLOR = "#f48a42"
KEYPOINT_COLOR = "#8bad00"
UNSTYLED_COLOR = "#666"   # LS core/Constants.ts defaultStyle: a region no control styles, and allowEmpty's label
SELECTED_STROKE: RGBA = (255, 0, 0, 1.0)
SELECTED_WIDTH = 2.0
MASK_OPACITY = 0.6


@dataclass(frozen=True)
class Look:
    """A control model's style attributes (LS tags/control/*.js TagAttrs): None where the model has none, so
    the config's attribute is ignored there. fill_opacity says whether the model has fillOpacity (default null)."""

    stroke_color: str | None
    fill_color: str | None
    stroke_width: str | None
    opacity: str | None
    fill_opacity: bool = True


# The editor's code defaults (its docs give other numbers). A *Labels model composes LabelsModel first and the
# tool's model last (e.g. RectangleLabels.jsx), so the tool's defaults win and Labels' fillOpacity stays.
_LABELS = Look(DEFAULT_COLOR, DEFAULT_COLOR, "1", "0.2")                   # Labels/Labels.jsx
CONTROL_LOOKS: Mapping[str, Look] = {
    "labels": _LABELS,
    "rectangle": _LABELS, "rectanglelabels": _LABELS,                         # Rectangle.js
    "ellipse": _LABELS, "ellipselabels": _LABELS,                             # Ellipse.js
    "polygon": Look(DEFAULT_COLOR, DEFAULT_COLOR, "2", "0.2", False),         # Polygon.js: no fillOpacity
    "polygonlabels": Look(DEFAULT_COLOR, DEFAULT_COLOR, "2", "0.2"),
    "vector": Look(DEFAULT_COLOR, DEFAULT_COLOR, "2", "0.2", False),          # Vector.js
    "vectorlabels": Look(DEFAULT_COLOR, DEFAULT_COLOR, "2", "0.2"),
    "keypoint": Look(KEYPOINT_COLOR, KEYPOINT_COLOR, "2", "0.9", False),      # KeyPoint.js
    "keypointlabels": Look(KEYPOINT_COLOR, KEYPOINT_COLOR, "2", "0.9"),
    "brush": Look(None, None, "15", None, False),                             # Brush.js: only the brush size
    "brushlabels": Look(DEFAULT_COLOR, DEFAULT_COLOR, "15", "0.2"),
    "magicwand": Look(None, None, None, "0.6", False),                        # MagicWand.js
}
_NO_LOOK = Look(None, None, None, None, False)  # Choices, TextArea ...: no style attributes at all


def control_look(kind: str) -> Look:
    """Other *Labels (HyperTextLabels, BitmaskLabels ...) and Bitmask are taken as Labels (Bitmask.js unread)."""
    look = CONTROL_LOOKS.get(kind)
    if look is not None:
        return look
    return _LABELS if kind.endswith("labels") or kind == "bitmask" else _NO_LOOK


# The result `type` that styles a region from its own control (AreaMixin.style: `self.type.startsWith(r.type)`,
# region types rectangleregion, brushregion ...); lsview's shape kind -> that type.
TOOL_TYPES = {
    "rectangle": "rectangle", "polygon": "polygon", "ellipse": "ellipse", "keypoint": "keypoint",
    "vector": "vector", "mask": "brush", "bitmask": "bitmask",
}


@dataclass(frozen=True)
class KindDefaults:
    opacity: float
    stroke_width: float
    color: str


# For a region none of whose results names a control of the config: LS drops such results and draws nothing;
# lsview draws them in the kind's tool defaults.
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
    # NaN, Infinity and absurd widths (1e400 reads as Infinity) are no value: Qt refuses such pens with a warning
    value = finite_text(text)
    return value if value is not None and 0 <= value <= MAX_NUMBER else None


def _valid_color(text: str | None) -> str | None:
    if not text:
        return None
    try:
        parse_color(text)
    except ValueError:
        return None
    return text


def _color(text: str | None, fallback: str) -> tuple[str, RGBA]:
    for css in (text, fallback):
        if css:
            try:
                return css, parse_color(css)
            except ValueError:
                continue
    return DEFAULT_COLOR, parse_color(DEFAULT_COLOR)


@dataclass(frozen=True)
class Resolved:
    """A style as Result.style / controlStyle hand it to useRegionStyles: CSS strings and numbers, None unset."""

    stroke: str | None
    fill: str | None
    width: float | None
    opacity: float | None
    fill_opacity: float | None


# One result as far as styling goes: (type, control name, first label or None, holds labels).
Entry = tuple[str, str, str | None, bool]


class StyleBook:
    """Styles of one config, cached by what decides them, so a thousand regions cost a handful of lookups.

    The rule, read in label-studio's web/libs/editor/src (develop; the 1.23.2 measurements in issue 13 agree):
    mixins/AreaMixin.js `get style()` (l. 114 at 078e900), regions/Result.js `get style()`, `emptyStyle`,
    `controlStyle` (l. 220, 237, 256 at 014c626), hooks/useRegionColor.ts l. 43 `region.style || region.tag`
    (24fb8f7). Over the region's results in file order:
    1. the first result of a *Labels control whose first label is one of its <Label>s: stroke and fill are the
       label's background; width, opacity and fillOpacity are that Labels control's (its own defaults when
       unset: a <Rectangle strokeWidth="3"> beside <Labels> draws 1 px wide, as LS does);
    2. else the first result of a Labels control with allowEmpty: #666, the control's width and opacity;
    3. else the first result whose `type` is the region's tool type (rectangle for a box, keypoint for a dot):
       that result's control's attributes, whatever control it is (a keypoint of a <Rectangle> is orange);
    4. else the first result of a Labels control holding labels (labels missing from the config): that control;
    5. else the editor's defaults: #666, opacity 0.2, width 1 (keypoints: black fill, white stroke, opacity 1).
    """

    def __init__(self, config: LabelConfig | None):
        self.config = config
        self._cached = lru_cache(maxsize=4096)(self._compute)
        self._looks: dict[str, Resolved] = {}

    def style(self, region: Region) -> RegionStyle:
        return self._cached(region.kind, self._entries(region))

    def _control(self, name: Any) -> ControlTag | None:
        if self.config is None or not isinstance(name, str):
            return None
        return self.config.controls.get(name)

    def _entries(self, region: Region) -> tuple[Entry, ...]:
        entries = []
        for result in region.results:
            entry = self._entry(result, region.to_name)
            if entry is not None:
                entries.append(entry)
        return tuple(entries)

    def _entry(self, result: Mapping[str, Any], to_name: str | None) -> Entry | None:
        rtype = result.get("type")
        if not isinstance(rtype, str):
            return None
        value = result.get("value")
        value = value if isinstance(value, dict) else {}
        control = self._control(result.get("from_name"))
        if rtype.endswith("labels"):
            held = value.get(rtype)
            if control is None or (isinstance(held, list) and not held and not control.allow_empty):
                # Annotation.js fixBrokenAnnotation: an unknown control or no labels drops the labels and hands
                # the result to the object's first control of the tool's type, the same type, or Labels.
                control = self._redirect(rtype, to_name)
                if control is None:
                    return None
                return control.kind, control.name, None, False
        held = value.get("labels")
        if rtype == "videorectangle" and isinstance(held, list) and held and isinstance(held[0], str):
            # A video box keeps its labels in value.labels; the <Labels> on the same video holds their colours
            labels_control = self._redirect("labels", to_name)
            if labels_control is not None:
                return "labels", labels_control.name, held[0], True
        if control is None:
            return None  # LS drops a result whose control is not in the config
        labels = value.get(control.value_key) if control.kind.endswith("labels") else None
        if not isinstance(labels, list) or not labels:
            return rtype, control.name, None, False
        first = labels[0]
        return rtype, control.name, first if isinstance(first, str) else None, True

    def _redirect(self, rtype: str, to_name: str | None) -> ControlTag | None:
        if self.config is None or to_name is None:
            return None
        states = self.config.controls_for(to_name)
        for wanted in (rtype[: -len("labels")], rtype, "labels"):  # as diagnostics/names.py _redirect_target
            for control in states:
                if control.kind == wanted:
                    return control
        return None

    def look(self, control: ControlTag) -> Resolved:
        """A control's own style: the config's attributes where its model has them, else the model defaults."""
        found = self._looks.get(control.name)
        if found is None:
            model = control_look(control.kind)
            width = _number(control.stroke_width) if model.stroke_width is not None else None
            opacity = _number(control.opacity) if model.opacity is not None else None
            found = Resolved(
                stroke=(_valid_color(control.stroke_color) or model.stroke_color) if model.stroke_color else None,
                fill=(_valid_color(control.fill_color) or model.fill_color) if model.fill_color else None,
                width=width if width is not None else _number(model.stroke_width),
                opacity=opacity if opacity is not None else _number(model.opacity),
                fill_opacity=_number(control.fill_opacity) if model.fill_opacity else None)
            self._looks[control.name] = found
        return found

    def _label_look(self, control: ControlTag, first: str) -> Resolved | None:
        label = control.find_label(first)
        if label is not None:
            background = _valid_color(label.background)
        elif control.dynamic_labels:
            background = label_background(first, None)  # labels from task data become <Label>s in LS
        else:
            return None
        own = self.look(control)
        # Result.style: stroke = background || strokeColor, fill = background || fillColor
        return Resolved(background or own.stroke, background or own.fill, own.width, own.opacity, own.fill_opacity)

    def _resolve(self, kind: str, entries: tuple[Entry, ...]) -> Resolved | None:
        controls = [(rtype, self._control(name), first, held) for rtype, name, first, held in entries]
        for _, control, first, _ in controls:
            if first is not None and control.kind.endswith("labels"):
                found = self._label_look(control, first)
                if found is not None:
                    return found
        for _, control, _, _ in controls:
            if control.allow_empty and control.kind.endswith("labels"):
                own = self.look(control)
                return Resolved(UNSTYLED_COLOR, UNSTYLED_COLOR, own.width, own.opacity, own.fill_opacity)
        tool_type = TOOL_TYPES.get(kind)
        for rtype, control, _, _ in controls:
            if rtype == tool_type:
                return self.look(control)
        for _, control, _, held in controls:
            if held and control.kind.endswith("labels"):
                return self.look(control)
        return None

    def _compute(self, kind: str, entries: tuple[Entry, ...]) -> RegionStyle:
        if not entries:
            return self._unknown(kind)
        found = self._resolve(kind, entries)
        keypoint = kind == "keypoint"
        look = found or Resolved(None, None, None, None, None)
        stroke_css, stroke = _color(look.stroke, "#fff" if keypoint else UNSTYLED_COLOR)
        # useRegionStyles: polygons and vectors fill from the stroke colour (useStrokeAsFill)
        fill_source = look.stroke if kind in ("polygon", "vector") else look.fill
        fill_css, _ = _color(fill_source, "#000" if keypoint else UNSTYLED_COLOR)
        default_opacity = (0.6 if found else 1.0) if keypoint else 0.2  # KeyPointRegion.jsx defaultOpacity
        alpha = next(a for a in (look.fill_opacity, look.opacity, default_opacity) if a is not None)
        width = look.width if look.width is not None else 1.0
        if keypoint:
            width = max(1.0, width)  # KeyPointRegion.jsx: Math.max(1, strokeWidth)
        if found is not None and look.stroke is None:
            mask_rgb = (0, 0, 0)  # BrushRegion.jsx colorParts: a control without strokeColor paints black
        else:
            mask_rgb = stroke[:3]
        return RegionStyle(stroke, width, fill_color(fill_css, min(alpha, 1.0)), mask_rgb, stroke_css)

    def _unknown(self, kind: str) -> RegionStyle:
        defaults = KIND_DEFAULTS.get(kind, _FALLBACK)
        stroke = parse_color(defaults.color)
        return RegionStyle(stroke, defaults.stroke_width, fill_color(defaults.color, defaults.opacity), stroke[:3],
                           defaults.color)

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
        return self.look(control).stroke or UNSTYLED_COLOR

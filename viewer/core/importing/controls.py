"""Which control of the labeling config takes a detection: by its shape and its label (core layer, no Qt).

A `<Kind>Labels` control offering the label wins; else a `<Kind>` tool beside a `<Labels>` offering it (Label
Studio writes that pair as two results sharing one id). A shape may go to a second kind when the config has no
control for the first (a polygon to a brush, a mask to polygons). A label no control offers is an error naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from viewer.core.config import ControlTag, LabelConfig
from viewer.core.errors import InputError
from viewer.core.importing.base import PredictionImportError

# Region kinds an import writes, by the Label Studio result type of the geometry.
KINDS = ("rectangle", "polygon", "brush", "keypoint")


@dataclass(frozen=True)
class Target:
    """Where one region goes: `control` writes its geometry (a *labels control, or a tool whose label is written
    by `labels_control`); `label` is the label as the config stores it."""

    kind: str
    control: ControlTag
    labels_control: ControlTag | None
    label: str


def _offers(control: ControlTag, label: str) -> bool:
    return control.dynamic_labels or control.find_label(label) is not None


def read_label_map(path: str) -> dict[str, str | None]:
    """--label-map: a JSON object {"source class": "config label"} (null: leave that class out, counted), or
    lines `source class=config label` (blank lines and lines starting with # ignored)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the label map: {getattr(exc, 'strerror', None) or exc}", path=path) from None
    if text.lstrip().startswith("{"):
        try:
            found = json.loads(text)
        except ValueError as exc:
            raise InputError(f"not a JSON object: {exc}", path=path) from None
        bad = [key for key, value in found.items() if value is not None and not isinstance(value, str)]
        if bad:
            raise InputError(f"the label of {bad[0]!r} is not a string (or null)", path=path)
        return found
    mapping: dict[str, str | None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        source, equals, label = line.partition("=")
        if not equals:
            raise InputError("not `source class=config label`", path=path, line=number)
        mapping[source.strip()] = label.strip() or None
    return mapping


class ControlChooser:
    """The targets of one image object of a config, chosen once per (kinds, label) and kept."""

    def __init__(self, config: LabelConfig, to_name: str | None = None,
                 label_map: dict[str, str | None] | None = None):
        images = [tag.name for tag in config.objects.values() if tag.kind == "image"]
        if to_name is None:
            if not images:
                raise PredictionImportError("the labeling config has no <Image>: predictions of images need one")
            to_name = images[0]
        elif to_name not in config.objects:
            raise PredictionImportError(f"the labeling config has no object named {to_name!r}")
        self.config = config
        self.to_name = to_name
        self.label_map = dict(label_map or {})
        self._controls = config.controls_for(to_name)
        self._found: dict[tuple[tuple[str, ...], str], Target] = {}

    def mapped(self, label: str) -> str | None:
        """The config label a source class is imported as (itself unless --label-map says otherwise)."""
        return self.label_map.get(label, label)

    def _of_kind(self, kind: str, label: str) -> Target | None:
        for control in self._controls:
            if control.kind == f"{kind}labels" and _offers(control, label):
                return Target(kind, control, None, _stored(control, label))
        tools = [control for control in self._controls if control.kind == kind]
        if tools:
            for control in self._controls:
                if control.kind == "labels" and _offers(control, label):
                    return Target(kind, tools[0], control, _stored(control, label))
        return None

    def find(self, kinds: tuple[str, ...], label: str) -> Target | None:
        """The first of `kinds` the config offers `label` for, or None (a format choosing between shapes)."""
        for kind in kinds:
            found = self._of_kind(kind, label)
            if found is not None:
                return found
        return None

    def target(self, kinds: tuple[str, ...], label: str) -> Target:
        """The first of `kinds` the config offers `label` for; PredictionImportError naming the label if none."""
        key = (kinds, label)
        found = self._found.get(key)
        if found is None:
            found = self.find(kinds, label)
            if found is None:
                raise PredictionImportError(self._missing(kinds, label))
            self._found[key] = found
        return found

    def _missing(self, kinds: tuple[str, ...], label: str) -> str:
        wanted = " or ".join(f"<{kind.capitalize()}Labels>" for kind in kinds)
        offered = [f"{control.name} ({control.tag}: {', '.join(l.stored for l in control.labels[:12])}"
                   f"{' ...' if len(control.labels) > 12 else ''})"
                   for control in self._controls if control.kind.endswith("labels")]
        return (f"class {label!r}: no {wanted} (or tool with <Labels>) on {self.to_name!r} offers it"
                + (f"; the config has {'; '.join(offered)}" if offered else "")
                + ". Add it to the config or map it with --label-map")

    def keypoint_part(self, name: str) -> Target:
        """The <KeyPointLabels> (or <KeyPoint> + <Labels>) target of a pose's part."""
        return self.target(("keypoint",), name)


def _stored(control: ControlTag, label: str) -> str:
    found = control.find_label(label)
    return label if found is None else found.stored

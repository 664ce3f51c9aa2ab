"""Whether a per-region control shows for the selected region under its visibleWhen (FORMAT.md 4.2, 7.2), as the
editor's Visibility mixin decides; hidden controls' results are dropped on save, so they are not offered.

Core layer, no Qt; a helper of the Region panel. `chosen` maps a Choices or Taxonomy control's name to what is
selected now: the region's own answer for a per-region control, the working annotation's for a whole-task one.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from viewer.core.config import ControlTag, LabelConfig
from viewer.core.regions import Region

CHOICE_KINDS = ("choices", "taxonomy")


def flat_selection(payload: Any) -> list[str]:
    """A choices list, or taxonomy paths flattened as the editor flattens them, as plain strings."""
    if not isinstance(payload, list):
        return []
    out: list[str] = []
    for item in payload:
        out.extend(v for v in (item if isinstance(item, list) else [item]) if isinstance(v, str))
    return out


def _values(text: str | None) -> list[str]:
    return [v.strip() for v in (text or "").split(",") if v.strip()]


def choice_selected(config: LabelConfig, tag_name: str | None, wanted: str | None,
                    chosen: Mapping[str, Sequence[str]]) -> bool:
    if not tag_name:
        return any(chosen.get(c.name) for c in config.controls.values() if c.kind == "choices")
    tag = config.controls.get(tag_name)
    selected = chosen.get(tag_name, ())
    if tag is None:
        return False
    if not wanted:
        return bool(selected)
    # a wanted value may name a choice by its value or its alias; results store the alias when there is one
    return any(value in selected or any(c.stored in selected for c in tag.labels if value in (c.value, c.alias))
               for value in _values(wanted))


def shows_for(config: LabelConfig, control: ControlTag, region: Region, chosen: Mapping[str, Sequence[str]]) -> bool:
    when = control.visible_when
    if when == "region-selected":
        return not control.when_tag_name or region.label_from_name == control.when_tag_name
    if when == "no-region-selected":
        return False
    if when in ("choice-selected", "choice-unselected"):
        hit = choice_selected(config, control.when_tag_name, control.when_choice_value, chosen)
        return hit if when == "choice-selected" else not hit
    if not when and control.when_choice_value:
        return any(control.when_choice_value in selected for selected in chosen.values())
    return True

"""Which config controls a tool writes with, and the results of new and relabelled regions, as Label Studio
writes them (FORMAT.md 1.0-1.7, 4.2).

Core layer, no Qt; helpers of the editing tools: plain dicts in, plain dicts out; ids are the session's to give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from viewer.core.config import ControlTag, Label, LabelConfig
from viewer.core.editing.control_visibility import shows_for
from viewer.core.regions import Region
from viewer.core.review import working

# Drawing tool -> the result type of its tool control; its *Labels twin is that plus "labels".
TOOL_KINDS = ("rectangle", "ellipse", "polygon", "keypoint", "brush")
# Region kind (core shapes) -> the tool that draws it
TOOL_OF_KIND = {"rectangle": "rectangle", "ellipse": "ellipse", "polygon": "polygon", "keypoint": "keypoint",
                "mask": "brush"}
# Span kinds (and audio segments, which <Labels> writes too) -> the labels control type that writes them
# (FORMAT.md 3)
SPAN_LABELS = {"span": "labels", "hypertext-span": "hypertextlabels", "paragraph-span": "paragraphlabels",
               "audio-segment": "labels"}
# Region kind -> the result type that keeps the region's labels in its own value.labels (the editor's objects with
# mergeLabelsAndResults: a Video's track takes its <Labels>' labels into the videorectangle result).
MERGED_LABELS = {"videorectangle": "videorectangle"}
IMAGE_FIELDS = ("original_width", "original_height", "image_rotation")
PER_REGION_KINDS = ("textarea", "choices", "rating", "number", "datetime", "taxonomy")
WHOLE_OBJECT_KINDS = ("choices", "textarea", "rating", "number", "datetime", "taxonomy")


@dataclass(frozen=True)
class LabelChoice:
    """One label of one labels control: what a new region gets, or what a relabel sets."""

    control: ControlTag
    label: Label

    @property
    def text(self) -> str:
        return f"{self.label.value}  ({self.control.name})"


def _tool_controls(config: LabelConfig, object_name: str, tool: str) -> list[ControlTag]:
    return [c for c in config.controls_for(object_name) if c.kind == tool]


def tool_available(config: LabelConfig, object_name: str | None, tool: str) -> bool:
    """Whether the config lets this object be drawn on with the tool (a tool control or its *Labels twin)."""
    if object_name is None:
        return False
    return any(c.kind in (tool, tool + "labels") for c in config.controls_for(object_name))


def label_choices(config: LabelConfig, object_name: str | None, tool: str) -> list[LabelChoice]:
    """The labels a new region of this tool can get: its *Labels controls', then plain <Labels> that go with the
    tool control (the OCR layout, FORMAT.md 1.6), in config order."""
    if object_name is None:
        return []
    has_tool = bool(_tool_controls(config, object_name, tool))
    return [LabelChoice(control, label) for control in config.controls_for(object_name)
            if control.kind == tool + "labels" or (control.kind == "labels" and has_tool)
            for label in control.labels]


def region_label_choices(config: LabelConfig, region: Region) -> list[LabelChoice]:
    """The labels a region may be given: its own labels control's first, then the others that fit its kind."""
    if region.to_name is None:
        return []
    span_type = SPAN_LABELS.get(region.kind)
    if region.kind in MERGED_LABELS:
        wanted = {"labels"}   # a track is labelled by the <Labels> on its Video (FORMAT.md, ECOSYSTEM 5.1)
    elif span_type is not None:
        wanted = {span_type, "labels"} if span_type == "labels" else {span_type}
    else:
        tool = TOOL_OF_KIND.get(region.kind)
        if tool is None:
            return []
        wanted = {tool + "labels"}
        if _tool_controls(config, region.to_name, tool) or "labels" in region.types:
            wanted.add("labels")
    controls = [c for c in config.controls_for(region.to_name) if c.kind in wanted]
    controls.sort(key=lambda c: c.name != region.label_from_name)
    return [LabelChoice(c, label) for c in controls for label in c.labels]


def image_fields(size: Sequence[int], page: int | None) -> dict:
    fields = {"original_width": size[0], "original_height": size[1], "image_rotation": 0}
    if page is not None:
        fields["item_index"] = page
    return fields


def new_region_results(config: LabelConfig, object_name: str, tool: str, geometry: Mapping,
                       choice: LabelChoice | None, extra: Mapping | None = None) -> list[dict]:
    """The results of a new region: one `<tool>labels` result, or a tool result plus a `labels` result sharing the
    region's id (the OCR layout), or a bare tool result when there is no label. `extra` holds the image fields."""
    extra = dict(extra or {})

    def result(from_name: str, result_type: str, payload: Mapping | None = None) -> dict:
        return {"from_name": from_name, "to_name": object_name, "type": result_type,
                "value": {**geometry, **(payload or {})}, **extra}

    if choice is not None and choice.control.kind == tool + "labels":
        return [result(choice.control.name, choice.control.kind, {choice.control.value_key: [choice.label.stored]})]
    tools = _tool_controls(config, object_name, tool)
    out = [result(tools[0].name, tool)] if tools else []
    if choice is not None:
        out.append(result(choice.control.name, choice.control.kind, {choice.control.value_key: [choice.label.stored]}))
    if not out:
        raise ValueError(f"the config has no control to draw a {tool} on \"{object_name}\"")
    return out


def labels_after(current: Sequence[str], choice: LabelChoice) -> list[str]:
    """A control's label list after choosing a label: replaced, or toggled when the control takes several."""
    stored = choice.label.stored
    if choice.control.choice != "multiple":
        return [stored]
    return [x for x in current if x != stored] if stored in current else [*current, stored]


def with_fields_of_siblings(results: list[dict]) -> list[dict]:
    """Results of one region where a result made new (a first per-region value, a first label) gets the image
    fields its siblings carry, so every result of the region says what image size it was measured on."""
    known = next(({k: r[k] for k in IMAGE_FIELDS + ("item_index",) if k in r} for r in results
                  if "original_width" in r), None)
    if not known:
        return results
    return [r if "original_width" in r else {**r, **known} for r in results]


def relabelled(region: Region, choice: LabelChoice) -> list[dict]:
    """The region's results with the chosen label set in its control's result (made when missing); a track's in
    its videorectangle result's value.labels, where the editor keeps them."""
    if region.kind in MERGED_LABELS:
        return _merged_relabelled(region, choice, MERGED_LABELS[region.kind])
    control = choice.control
    current = []
    for result in region.results:
        if result.get("from_name") == control.name and isinstance(result.get("value"), dict):
            found = result["value"].get(control.value_key)
            current = list(found) if isinstance(found, list) else []
    results = working.with_payload([dict(r) for r in region.results], region_id=region.id,
                                   to_name=region.to_name or "", from_name=control.name, result_type=control.kind,
                                   key=control.value_key, payload=labels_after(current, choice))
    return with_fields_of_siblings(results)


def _merged_relabelled(region: Region, choice: LabelChoice, result_type: str) -> list[dict]:
    """value.labels of the region's `result_type` result after the choice: the chosen control's labels replaced
    (or toggled), labels of the object's other controls kept, as a relabel of one control's result keeps the
    others'."""
    results = [dict(r) for r in region.results]
    index = next((i for i, r in enumerate(results) if r.get("type") == result_type
                  and isinstance(r.get("value"), dict)), None)
    if index is None:
        raise ValueError(f"region {region.id!r} has no {result_type} result to hold its labels")
    value = dict(results[index]["value"])
    given = value.get("labels")
    given = [x for x in given if isinstance(x, str)] if isinstance(given, list) else []
    control = choice.control
    mine = [x for x in given if control.find_label(x) is not None]
    after = labels_after(mine, choice)
    others = [x for x in given if control.find_label(x) is None]
    value["labels"] = after + others if not mine else [*_replace_in_place(given, mine, after)]
    results[index] = {**results[index], "value": value}
    return results


def _replace_in_place(given: list[str], mine: list[str], after: list[str]):
    """The labels in their order with the control's own swapped for `after` where the first of them stood."""
    placed = False
    for label in given:
        if label not in mine:
            yield label
        elif not placed:
            placed = True
            yield from after


def applies_to(control: ControlTag, region: Region) -> bool:
    """Whether a perRegion control shows for a region: it targets the region's object and, with whenLabelValue,
    the region carries one of those labels (FORMAT.md 4.2)."""
    if not control.per_region or control.kind not in PER_REGION_KINDS or region.to_name not in control.to_names:
        return False
    if not control.when_label_value:
        return True
    wanted = {v.strip() for v in control.when_label_value.split(",")}
    return any(label in wanted for label in region.labels)


def per_region_controls(config: LabelConfig, region: Region,
                        chosen: Mapping[str, Sequence[str]] | None = None) -> list[ControlTag]:
    """The per-region controls shown for a region, given what Choices and Taxonomy controls have selected."""
    return [c for c in config.controls.values() if applies_to(c, region)
            and shows_for(config, c, region, chosen or {})]


def whole_object_controls(config: LabelConfig, object_names: Sequence[str]) -> list[ControlTag]:
    """Controls answering about a whole object shown (not per region), in config order."""
    return [c for c in config.controls.values() if c.kind in WHOLE_OBJECT_KINDS and not c.per_region
            and any(name in object_names for name in c.to_names)]


def hotkey_choices(config: LabelConfig) -> list[tuple[str, LabelChoice]]:
    """(hotkey as written in the config, label) for every label that has one, in config order."""
    return [(label.hotkey, LabelChoice(control, label)) for control in config.controls.values()
            if control.kind.endswith("labels") for label in control.labels if label.hotkey]

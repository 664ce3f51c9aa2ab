"""Checks of a result against the labeling config: from_name, to_name, type and labels (FORMAT.md 7.3-7.4)."""

from __future__ import annotations

from typing import Any, Iterator

from viewer.core.config import ControlTag, LabelConfig
from viewer.core.diagnostics.model import Reporter
from viewer.core.numbers import preview
from viewer.core.region_kinds import IMAGE_KINDS, SERIES_KINDS, SPAN_KINDS
from viewer.core.regions import RESULT_TYPES, Region

# Tool result types and the `*labels` type that may stand for them (FORMAT.md 7.4 redirect order).
_TOOL_OF = {
    "rectanglelabels": "rectangle", "polygonlabels": "polygon", "ellipselabels": "ellipse",
    "keypointlabels": "keypoint", "brushlabels": "brush", "bitmasklabels": "bitmask", "vectorlabels": "vector",
}
_CHOICE_KINDS = ("choices",)


def _redirect_target(config: LabelConfig, result_type: str, to_name: str) -> ControlTag | None:
    """The control Label Studio re-points an unknown-from_name `*labels` result to, if any."""
    for kind in (_TOOL_OF.get(result_type), result_type, "labels"):
        for control in config.controls_for(to_name):
            if kind and control.kind == kind:
                return control
    return None


def _same_type(result_type: str, control_kind: str) -> bool:
    if result_type == control_kind:
        return True
    # htmllabels is the old name of hypertextlabels; the editor renames it on load.
    return {result_type, control_kind} == {"htmllabels", "hypertextlabels"}


def check_names(config: LabelConfig, region: Region, report: Reporter) -> None:
    rid = region.id if not region.id_generated else None
    kept = [result for result in region.results if _kept_by_editor(config, result)]
    for result, index in zip(region.results, region.result_indices):
        for code, message, severity in _result_name_problems(config, region, result, kept):
            report.add(code, message, severity=severity, result_id=rid, result_index=index)


def _kept_by_editor(config: LabelConfig, result: dict) -> bool:
    """Whether the editor keeps a result on load: both its names are names of the config (fixBrokenAnnotation)."""
    names = (result.get("from_name"), result.get("to_name"))
    return all(isinstance(name, str) and config.has_name(name) for name in names)


def _result_name_problems(config: LabelConfig, region: Region, result: dict,
                          kept: list) -> Iterator[tuple[str, str, str | None]]:
    from_name, to_name, rtype = result.get("from_name"), result.get("to_name"), result.get("type")
    if not isinstance(rtype, str) or rtype not in RESULT_TYPES:
        return  # reported as invalid-value / unknown-type when grouping
    control = config.controls.get(from_name) if isinstance(from_name, str) else None
    if control is None:
        message, drawn = _unknown_from_name(config, region, result, kept)
        yield "unknown-from-name", message, "warning" if drawn else None
    elif isinstance(to_name, str) and to_name not in config.objects and config.has_name(to_name) \
            and not (control.kind == "pairwise" and to_name == control.name):  # its own name is right (4.7)
        yield "annotation-fails-to-load", _to_name_not_object(config, to_name), None
    elif not isinstance(to_name, str) or not _to_name_ok(config, control, to_name):
        yield "unknown-to-name", _bad_to_name(config, control, to_name), None
    elif not _same_type(rtype, control.kind):
        message, drawn = _type_mismatch(config, region, control, result)
        yield "type-mismatch", message, "warning" if drawn else None
    elif rtype == "videorectangle":
        yield from ((code, message, None) for code, message in _track_label_problems(config, to_name, result))
    else:
        yield from ((code, message, None) for code, message in _label_problems(control, result))


def _type_mismatch(config: LabelConfig, region: Region, control: ControlTag, result: dict) -> tuple[str, bool]:
    """The message, and whether the editor still draws the region: it picks a region's kind from the object and
    the keys of `value` (regions/Area.js), not from `type`, and styles it by the from_name control."""
    rtype = result["type"]
    head = (f"`type` is \"{rtype}\" but from_name \"{control.name}\" is a <{control.tag}>, which writes "
            f"\"{control.kind}\"")
    obj = config.objects.get(result.get("to_name"))
    if obj is None or obj.kind != "image" or region.kind not in IMAGE_KINDS:
        return f"{head}; Label Studio's editor does not show the result", False
    value = result.get("value")
    reads = control.value_key
    unlabelled = (reads is None or not isinstance(value, dict) or reads not in value) and rtype.endswith("labels")
    label_note = (f", without its labels (<{control.tag}> reads `value.{reads}`, which the result lacks)"
                  if unlabelled else "")
    return (f"{head}; Label Studio shows the {region.kind} all the same (its kind comes from the keys of "
            f"`value`), in the style of <{control.tag} name=\"{control.name}\">{label_note}"), True


def _to_name_not_object(config: LabelConfig, to_name: str) -> str:
    objects = ", ".join(f"\"{n}\"" for n in config.objects) or "none"
    return (f"to_name \"{to_name}\" names a tag of the config that is not an object tag (objects: {objects}); "
            f"the editor keeps the result but cannot resolve its object, so Label Studio's editor fails to load "
            f"this whole prediction or annotation (\"Failed to resolve reference\"): none of its regions show")


def _to_name_ok(config: LabelConfig, control: ControlTag, to_name: str) -> bool:
    if control.kind == "pairwise":
        # Pairwise results point at the Pairwise tag itself (FORMAT.md 4.7).
        return to_name == control.name
    return to_name in config.objects and to_name in control.to_names


def _unknown_from_name(config: LabelConfig, region: Region, result: dict, kept: list) -> tuple[str, bool]:
    """The message, and whether Label Studio still shows the region (re-pointed, or drawn by another result)."""
    from_name, to_name, rtype = result.get("from_name"), result.get("to_name"), result["type"]
    names = ", ".join(f"\"{n}\"" for n in config.controls) or "none"
    target = _redirect_target(config, rtype, to_name) if rtype.endswith("labels") and isinstance(to_name, str) \
        else None
    others = [other for other in kept if other is not result]
    if target is not None:
        fate = (f"Label Studio shows the region unlabelled: it re-points it to \"{target.name}\" "
                f"(<{target.tag}>) and drops its labels")
    elif others and region.kind in IMAGE_KINDS | SPAN_KINDS | SERIES_KINDS:
        also = ", ".join(sorted({_name(other.get("from_name")) for other in others}))
        fate = (f"Label Studio shows the {region.kind} all the same, drawn from the result of {also} with the "
                f"same id (this result is dropped)")
    else:
        fate = "Label Studio's editor does not show the result (it drops it on load)"
    drawn = target is not None or bool(others and region.kind in IMAGE_KINDS | SPAN_KINDS | SERIES_KINDS)
    return f"from_name {_name(from_name)} is not a control tag of the config (controls: {names}); {fate}", drawn


def _name(item: Any) -> str:
    """A name as messages quote it; a list or object (Label Studio takes neither) by a bounded preview."""
    return f"\"{item}\"" if isinstance(item, str) else preview(item)


def _bad_to_name(config: LabelConfig, control: ControlTag, to_name: Any) -> str:
    bound = ", ".join(f"\"{n}\"" for n in control.to_names) or "nothing"
    if control.kind == "pairwise":
        detail = (f"a <Pairwise> result must have to_name \"{control.name}\" (its own name), not "
                  f"{_name(to_name)}")
    elif not isinstance(to_name, str) or to_name not in config.objects:
        objects = ", ".join(f"\"{n}\"" for n in config.objects) or "none"
        detail = f"to_name {_name(to_name)} is not an object tag of the config (objects: {objects})"
    else:
        detail = f"control \"{control.name}\" is bound to {bound}, not to \"{to_name}\""
    return f"{detail}; Label Studio's editor does not show the result (it drops it on load)"


def _track_label_problems(config: LabelConfig, to_name: str, result: dict) -> Iterator[tuple[str, str]]:
    """A track's value.labels against the *labels controls on its Video: the editor gives them to the first one
    holding the first label (Project.labels_control), so a label none of them holds belongs to no control."""
    value = result.get("value")
    items = value.get("labels") if isinstance(value, dict) else None
    if not isinstance(items, list):
        return  # a non-list is reported as invalid-value when grouping
    controls = [c for c in config.controls_for(to_name) if c.kind.endswith("labels")]
    if any(control.dynamic_labels for control in controls):
        return
    for item in items:
        if isinstance(item, str) and not any(control.find_label(item) is not None for control in controls):
            yield "unknown-label", (f"label \"{item}\" is in no labels control on \"{to_name}\" "
                                    f"({_labels_of(controls)}); Label Studio's editor gives a track's labels "
                                    f"to the first of them holding its first label; none holds this one, so "
                                    f"the reviewer cannot pick it")


def _labels_of(controls: list[ControlTag]) -> str:
    """The labels controls and their first labels, as a message lists them."""
    if not controls:
        return "it has none"
    parts = []
    for control in controls:
        known = ", ".join(f"\"{label.stored}\"" for label in control.labels[:12])
        more = " ..." if len(control.labels) > 12 else ""
        parts.append(f"<{control.tag} name=\"{control.name}\">: {known}{more}")
    return "; ".join(parts)


def _label_problems(control: ControlTag, result: dict) -> Iterator[tuple[str, str]]:
    value = result.get("value")
    if not isinstance(value, dict) or control.value_key is None:
        return
    key = control.value_key
    items = value.get(key)
    if items is None and key == "hypertextlabels":
        items = value.get("htmllabels")
    if not isinstance(items, list):
        return
    is_labels = control.kind.endswith("labels")
    if is_labels and not items and not control.allow_empty:
        yield "empty-labels", (f"`value.{key}` is empty and <{control.tag} name=\"{control.name}\"> has no "
                               f"allowEmpty; Label Studio shows the region unlabelled (it removes the labels)")
        return
    if control.dynamic_labels or not (is_labels or control.kind in _CHOICE_KINDS) or not control.labels:
        return
    for item in items:
        if isinstance(item, list):
            # nested choices: a path from the root, check its last step
            item = item[-1] if item else None
        if isinstance(item, str) and control.find_label(item) is None:
            known = ", ".join(f"\"{label.stored}\"" for label in control.labels[:12])
            more = " ..." if len(control.labels) > 12 else ""
            what = "label" if is_labels else "choice"
            yield "unknown-label", (f"{what} \"{item}\" is not in <{control.tag} name=\"{control.name}\"> "
                                    f"({known}{more}); Label Studio shows it, but in the control's own colour, "
                                    f"and the reviewer cannot pick it")

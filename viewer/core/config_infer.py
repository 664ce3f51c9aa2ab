"""A labeling config guessed from the results themselves, for when the user gives no --config.

Core layer, no Qt. Controls come from (from_name, type), objects from to_name and the data keys, labels from the
values seen. The guess is marked `inferred`, so checks that need the real config are skipped.
"""

from __future__ import annotations

from typing import Iterable

from viewer.core.colors import label_background
from viewer.core.config import VALUE_KEYS, ControlTag, Label, LabelConfig, ObjectTag
from viewer.core.tasks import Task

_TAGS = {
    "image": "Image", "text": "Text", "hypertext": "HyperText", "paragraphs": "Paragraphs", "audio": "Audio",
    "timeseries": "TimeSeries", "video": "Video",
}
_CONTROL_TAGS = {
    "rectanglelabels": "RectangleLabels", "polygonlabels": "PolygonLabels", "ellipselabels": "EllipseLabels",
    "keypointlabels": "KeyPointLabels", "brushlabels": "BrushLabels", "bitmasklabels": "BitmaskLabels",
    "vectorlabels": "VectorLabels", "hypertextlabels": "HyperTextLabels", "paragraphlabels": "ParagraphLabels",
    "timeserieslabels": "TimeSeriesLabels", "textarea": "TextArea", "keypoint": "KeyPoint",
    "datetime": "DateTime", "videorectangle": "VideoRectangle", "magicwand": "MagicWand",
}
_TYPE_OBJECTS = {"hypertextlabels": "hypertext", "htmllabels": "hypertext", "paragraphlabels": "paragraphs",
                 "timeserieslabels": "timeseries", "videorectangle": "video", "timelinelabels": "video"}
_IMAGE_KEYS = ("x", "points", "rle", "maskDataURL", "imageDataURL", "vertices")
# When the results of one object hint at several kinds, the first in this order wins.
_KIND_ORDER = ("image", "paragraphs", "hypertext", "text", "timeseries", "video", "audio")


def _object_hint(value: dict, result_type: str) -> str | None:
    """What kind of object a result's value points at, judged from its type and keys (None: no hint)."""
    if result_type in _TYPE_OBJECTS:
        return _TYPE_OBJECTS[result_type]
    if any(key in value for key in _IMAGE_KEYS):
        return "image"
    if "start" in value and "end" in value:
        if "startOffset" in value:
            start = value["start"]
            return "hypertext" if isinstance(start, str) and start.startswith("/") else "paragraphs"
        offsets = (value["start"], value["end"])
        return "text" if all(type(o) is int for o in offsets) else "audio"
    return None


def _object_kind(hints: set[str]) -> str:
    return next((kind for kind in _KIND_ORDER if kind in hints), "unknown")


_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff")


def _looks_like_image(value: object) -> bool:
    return isinstance(value, str) and (value.lower().split("?")[0].endswith(_IMAGE_SUFFIXES)
                                       or value.startswith("data:image/"))


def _data_key(name: str, kind: str, data_keys: dict[str, object], taken: set[str]) -> str | None:
    """The data field an object most likely shows: its own name, else the one field of a fitting kind."""
    if name in data_keys:
        return name
    free = [k for k in data_keys if k not in taken]
    if kind == "image":
        images = [k for k in free if _looks_like_image(data_keys[k])]
        if images:
            return images[0]
    if kind in ("text", "hypertext"):
        texts = [k for k in free if isinstance(data_keys[k], str)]
        if texts:
            return max(texts, key=lambda k: len(data_keys[k]))
    if kind == "paragraphs":
        lists = [k for k in free if isinstance(data_keys[k], list)]
        if lists:
            return lists[0]
    return free[0] if kind == "unknown" and len(free) == 1 else None


def infer_config(tasks: Iterable[Task]) -> LabelConfig:
    """Build a LabelConfig that fits the results of the given tasks."""
    controls: dict[str, dict] = {}
    objects: dict[str, set[str]] = {}
    data_keys: dict[str, object] = {}
    for task in tasks:
        for key, value in task.data.items():
            data_keys.setdefault(key, value)
        for result_set in task.result_sets():
            for result in result_set.results:
                if not isinstance(result, dict):
                    continue
                name, rtype, to_name = result.get("from_name"), result.get("type"), result.get("to_name")
                if not isinstance(rtype, str) or rtype == "relation":
                    continue
                value = result.get("value") if isinstance(result.get("value"), dict) else {}
                if isinstance(to_name, str):
                    hints = objects.setdefault(to_name, set())
                    hint = _object_hint(value, rtype)
                    if hint:
                        hints.add(hint)
                if not isinstance(name, str):
                    continue
                entry = controls.setdefault(name, {"type": rtype, "to": {}, "labels": {}})
                if isinstance(to_name, str):
                    entry["to"][to_name] = None
                key = VALUE_KEYS.get(rtype)
                items = value.get(key) if key and rtype != "textarea" else None
                if isinstance(items, list):
                    for item in items:
                        if isinstance(item, str):
                            entry["labels"][item] = None
    taken: set[str] = set()
    object_tags = {}
    for name, hints in objects.items():
        if not name:
            continue
        kind = _object_kind(hints)
        key = _data_key(name, kind, data_keys, taken)
        if key is not None:
            taken.add(key)
        tag = _TAGS.get(kind, kind.capitalize())
        object_tags[name] = ObjectTag(tag=tag, kind=kind, name=name, value=f"${key}" if key else None,
                                      data_path=(key,) if key else None, value_list=None, attrs={}, line=None)
    control_tags = {}
    for name, entry in controls.items():
        rtype = entry["type"]
        labels = tuple(Label(value=v, alias=None, background=label_background(v, None), background_given=False,
                             hotkey=None, attrs={}) for v in entry["labels"])
        control_tags[name] = ControlTag(
            tag=_CONTROL_TAGS.get(rtype, rtype.capitalize()), kind=rtype, name=name, to_names=tuple(entry["to"]),
            labels=labels, attrs={}, line=None, value_key=VALUE_KEYS.get(rtype), per_region=False,
            dynamic_labels=False, allow_empty=True, choice="multiple",
            stroke_width=None, opacity=None, fill_opacity=None, stroke_color=None, fill_color=None,
            visible_when=None, when_tag_name=None, when_label_value=None, when_choice_value=None)
    return LabelConfig(objects=object_tags, controls=control_tags, headers=(), problems=(), path=None,
                       inferred=True)


def describe_inferred(config: LabelConfig) -> str:
    """One line for stderr saying what was guessed."""
    objects = ", ".join(f"{tag.name} ({tag.kind} <- {tag.value or 'no data field found'})"
                        for tag in config.objects.values()) or "none"
    controls = ", ".join(f"{c.name} ({c.kind}, {_count(len(c.labels), 'label')})" if c.labels
                         else f"{c.name} ({c.kind})" for c in config.controls.values()) or "none"
    return (f"no --config given: inferred a labeling config from the results; objects: {objects}; controls: "
            f"{controls}. Checks of names, types and labels need the real config (--config XML).")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")

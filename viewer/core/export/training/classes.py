"""Class ids of a training export: Label Studio's rule, or a mapping pinned by a classes.txt / data.yaml.

Core layer, no Qt. Label Studio's rule (label-studio-sdk converter `_get_labels`): every option of every control
with a toName (<Label>s and <Choice>s; the alias when set) is a class, <KeyPointLabels> aside (they name the
keypoints of a pose); those with `category="N"` take N, the rest take the lowest unused ids in alphabetical
order. A label found in the results but not in the config takes the next unused id when first met (Label Studio
appends it too). With a pinned mapping a missing label is an error.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from viewer.core.export.base import ExportError


class ClassMap:
    """label -> class id, and the names by id for classes.txt and data.yaml."""

    def __init__(self, ids: dict[str, int], pinned_from: str | None = None):
        self.ids = dict(ids)
        self.pinned_from = pinned_from        # the file the mapping came from; None: Label Studio's rule
        self.added: list[str] = []            # labels met in the results that the config does not list

    def id_of(self, label: str) -> int:
        found = self.ids.get(label)
        if found is not None:
            return found
        if self.pinned_from is not None:
            raise ExportError(f"label {label!r} is not in {self.pinned_from} (its classes: "
                              f"{', '.join(self.names())}); add it there or leave --classes out")
        used = set(self.ids.values())
        found = next(i for i in itertools.count() if i not in used)
        self.ids[label] = found
        self.added.append(label)
        return found

    def by_id(self) -> dict[int, str]:
        """Class id -> label, as a model's output names its classes."""
        return {number: label for label, number in self.ids.items()}

    def names(self) -> list[str]:
        """Names by id, 0..max; an id no label has is `class<N>` (YOLO reads names by line)."""
        if not self.ids:
            return []
        by_id = {i: name for name, i in self.ids.items()}
        return [by_id.get(i, f"class{i}") for i in range(max(by_id) + 1)]

    def gaps(self) -> list[int]:
        by_id = set(self.ids.values())
        return [i for i in range(max(by_id) + 1) if i not in by_id] if by_id else []


def label_studio_ids(config) -> dict[str, int]:
    """Label Studio's class ids for a labeling config (see the module docstring)."""
    labels: set[str] = set()
    pinned: dict[str, int] = {}
    for control in config.controls.values():
        if not control.attrs.get("toName"):
            continue  # Label Studio's parse_config lists only controls with a name and a toName (not <Relations>)
        if control.kind == "keypointlabels":
            continue  # they name the parts of a pose, not classes (Label Studio's pose export leaves them out too)
        for label in control.labels:
            name = label.stored
            if not name:
                continue
            labels.add(name)
            raw = label.attrs.get("category")
            if raw is None:
                continue
            try:
                pinned[name] = int(raw)
            except (TypeError, ValueError):
                continue  # Label Studio logs a warning and gives it an id of the rest
    rest = sorted(labels - set(pinned))
    used = set(pinned.values())
    free = (i for i in itertools.count() if i not in used)
    return {**pinned, **dict(zip(rest, free))}


def read_classes(path: str) -> ClassMap:
    """A classes.txt (line i = class i) or a data.yaml (`names:` as a list, a flow list or a mapping id: name)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"cannot read --classes {path}: {getattr(exc, 'strerror', None) or exc}") from None
    names = _yaml_names(text) if Path(path).suffix.lower() in (".yaml", ".yml") else _txt_names(text)
    if not names:
        raise ExportError(f"--classes {path}: no class names found")
    ids: dict[str, int] = {}
    for index, name in names.items():
        if name in ids:
            raise ExportError(f"--classes {path}: {name!r} is class {ids[name]} and class {index}")
        ids[name] = index
    return ClassMap(ids, path)


def _txt_names(text: str) -> dict[int, str]:
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return {i: line.strip() for i, line in enumerate(lines)}


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        inner = text[1:-1]
        return inner.replace("''", "'") if text[0] == "'" else inner.replace('\\"', '"')
    return text.split(" #", 1)[0].strip()


def _flow_items(text: str) -> list[str]:
    items, current, quote = [], "", None
    for char in text:
        if quote:
            current += char
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            current += char
        elif char == ",":
            items.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        items.append(current)
    return [_scalar(item) for item in items]


def _yaml_names(text: str) -> dict[int, str]:
    """The `names:` of an Ultralytics data.yaml, in its three usual spellings (no YAML library needed)."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        match = re.match(r"names\s*:\s*(.*)$", line)
        if not match:
            continue
        rest = match.group(1).split(" #", 1)[0].strip()
        if rest.startswith("["):
            return dict(enumerate(_flow_items(rest.strip("[]"))))
        if rest.startswith("{"):
            found = {}
            for item in _flow_items(rest.strip("{}")):
                key, _, name = item.partition(":")
                found[int(key)] = _scalar(name)
            return found
        found: dict[int, str] = {}
        for entry in lines[number + 1:]:
            if not entry.strip() or entry.lstrip().startswith("#"):
                continue
            if not entry[:1].isspace():
                break
            body = entry.strip()
            if body.startswith("- "):
                found[len(found)] = _scalar(body[2:])
            elif re.match(r"\d+\s*:", body):
                key, _, name = body.partition(":")
                found[int(key)] = _scalar(name)
        return found
    return {}


def keypoint_names(config) -> list[str]:
    """Keypoint names in pose order: the labels' `model_index` when any has one (those first, by it), else the
    order of the config's <KeyPointLabels>."""
    labels = [label for control in config.controls.values() if control.kind == "keypointlabels"
              for label in control.labels]
    names = list(dict.fromkeys(label.stored for label in labels))
    indices: dict[str, int] = {}
    for label in labels:
        try:
            indices.setdefault(label.stored, int(label.attrs.get("model_index")))
        except (TypeError, ValueError):
            continue
    if indices:
        position = {name: number for number, name in enumerate(names)}
        names.sort(key=lambda name: (name not in indices, indices.get(name, 0), position[name]))
    return names

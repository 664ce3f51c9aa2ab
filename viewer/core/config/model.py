"""The labeling config as immutable values: object tags, control tags, their labels, and what is wrong.

Core layer, no Qt. Built by parse_config, or directly (config inference builds one from results).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from viewer.core.colors import label_background
from viewer.core.config.datapath import DataPath, data_vars, parse_data_path
from viewer.core.config.kinds import SELF_TARGET_KINDS, VALUE_KEYS

_MISSING = object()


class Attrs(Mapping[str, str]):
    """Tag attributes exactly as written, looked up without regard to case (the editor lower-cases names)."""

    __slots__ = ("_items", "_folded")

    def __init__(self, items: Mapping[str, str] | Any = ()):
        self._items: dict[str, str] = dict(items)
        # later spellings win, as when the editor copies attributes into its lower-case props
        self._folded = {key.lower(): value for key, value in self._items.items()}

    def __getitem__(self, key: str) -> str:
        try:
            return self._items[key]
        except KeyError:
            return self._folded[key.lower()]

    def get(self, key: str, default: Any = None) -> Any:
        # Mapping.get goes through a KeyError per missing attribute; a config can have a million labels.
        value = self._items.get(key, _MISSING)
        return self._folded.get(key.lower(), default) if value is _MISSING else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"Attrs({self._items!r})"

    def flag(self, key: str) -> bool:
        """A boolean attribute: LS reads the string "true" as true and anything else as false."""
        return self.get(key, "").strip().lower() == "true"


def _attrs(value: Mapping[str, str] | None) -> Attrs:
    return value if isinstance(value, Attrs) else Attrs(value or {})


@dataclass(frozen=True)
class Label:
    """A <Label>, <Choice> or <Relation>: one option of a control."""

    value: str
    alias: str | None = None
    background: str = ""          # empty means "as LS would choose": filled in from the value
    background_given: bool = False
    hotkey: str | None = None
    attrs: Mapping[str, str] = field(default_factory=Attrs)
    parents: tuple[str, ...] = ()  # Taxonomy: the stored values of the <Choice>s this one is nested in

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", _attrs(self.attrs))
        object.__setattr__(self, "parents", tuple(self.parents))
        if not self.background:
            object.__setattr__(self, "background", label_background(self.value, None))

    @property
    def stored(self) -> str:
        """The string results contain for this label: the alias if set, else the value."""
        return self.alias if self.alias else self.value

    @property
    def path(self) -> list[str]:
        """The option as a Taxonomy result stores it: the stored values from the root down to this one."""
        return [*self.parents, self.stored]


@dataclass(frozen=True)
class ObjectTag:
    """A tag that shows task data (Image, Text, ...); results point at it by name."""

    tag: str
    kind: str
    name: str
    value: str | None = None
    data_path: DataPath | None = None
    value_list: DataPath | None = None
    attrs: Mapping[str, str] = field(default_factory=Attrs)
    line: int | None = None
    # made by a <Repeater>: its `on`, this copy's index, and the name the Repeater's template tag has
    repeat: tuple[str, int, str] | None = None
    # the attributes of each <Channel> inside a <TimeSeries> (MultiChannel ones too), in document order
    channels: tuple[Mapping[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", _attrs(self.attrs))
        object.__setattr__(self, "channels", tuple(_attrs(channel) for channel in self.channels))
        if self.data_path is None and self.value:
            object.__setattr__(self, "data_path", parse_data_path(self.value))
        if self.value_list is None and self.attrs.get("valueList"):
            object.__setattr__(self, "value_list", parse_data_path(self.attrs["valueList"]))


@dataclass(frozen=True)
class ControlTag:
    """A tag that writes results (RectangleLabels, Choices, TextArea ...); `kind` is the result `type`."""

    tag: str
    kind: str
    name: str
    to_names: tuple[str, ...] = ()
    labels: tuple[Label, ...] = ()
    attrs: Mapping[str, str] = field(default_factory=Attrs)
    line: int | None = None
    value_key: str | None = None          # filled in from VALUE_KEYS when not given
    per_region: bool = False
    dynamic_labels: bool = False
    allow_empty: bool = False
    choice: str = "single"
    stroke_width: str | None = None
    opacity: str | None = None
    fill_opacity: str | None = None
    stroke_color: str | None = None
    fill_color: str | None = None
    visible_when: str | None = None
    when_tag_name: str | None = None
    when_label_value: str | None = None
    when_choice_value: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", _attrs(self.attrs))
        object.__setattr__(self, "to_names", tuple(self.to_names))
        object.__setattr__(self, "labels", tuple(self.labels))
        if self.value_key is None:
            object.__setattr__(self, "value_key", VALUE_KEYS.get(self.kind))

    def find_label(self, stored: str) -> Label | None:
        """The first label whose alias or value is `stored` (LS SelectedModel.findLabel)."""
        index = self.__dict__.get("_label_index")
        if index is None:
            # Built on first use: a scan per result label was quadratic in configs of 100,000 labels.
            index = {}
            for label in self.labels:
                if label.alias is not None:
                    index.setdefault(label.alias, label)
                index.setdefault(label.value, label)
            object.__setattr__(self, "_label_index", index)
        return index.get(stored) if isinstance(stored, str) else None


@dataclass(frozen=True)
class ConfigProblem:
    """Something in the config LS would refuse or treat in a way the user may not expect."""

    code: str
    message: str
    line: int | None = None
    tag_name: str | None = None


@dataclass(frozen=True)
class LabelConfig:
    """A whole labeling config: object and control tags by name (document order), headers, problems."""

    objects: Mapping[str, ObjectTag]
    controls: Mapping[str, ControlTag]
    headers: tuple[tuple[str, tuple[DataPath, ...]], ...] = ()
    problems: tuple[ConfigProblem, ...] = ()
    path: str | None = None
    inferred: bool = False
    other_names: frozenset[str] = frozenset()    # named tags that are neither objects nor controls (View ...)
    repeaters: tuple[str, ...] = ()              # the `on` of each <Repeater> expanded, in document order

    def __post_init__(self) -> None:
        object.__setattr__(self, "other_names", frozenset(self.other_names))
        object.__setattr__(self, "repeaters", tuple(self.repeaters))
        object.__setattr__(self, "objects", MappingProxyType(dict(self.objects)))
        object.__setattr__(self, "controls", MappingProxyType(dict(self.controls)))
        object.__setattr__(self, "headers", tuple(self.headers))
        object.__setattr__(self, "problems", tuple(self.problems))

    def has_name(self, name: str) -> bool:
        """Whether some tag of the config has this name: the editor keeps a result only when both its names do."""
        return name in self.objects or name in self.controls or name in self.other_names

    def controls_for(self, to_name: str) -> list[ControlTag]:
        """Controls that write results with this `to_name`, in document order.

        A Pairwise control is included for its own name, which is what its results carry (FORMAT.md 4.7).
        """
        return [control for control in self.controls.values()
                if to_name in control.to_names
                or (control.kind in SELF_TARGET_KINDS and control.name == to_name)]

    def data_paths(self) -> dict[str, DataPath]:
        """Object name -> the data path it shows; Header variables are keyed by their `$expression`."""
        paths: dict[str, DataPath] = {}
        for name, tag in self.objects.items():
            path = tag.data_path if tag.data_path is not None else tag.value_list
            if path is not None:
                paths[name] = path
        for text, header_paths in self.headers:
            for expr, path in zip(data_vars(text), header_paths):
                paths.setdefault(expr, path)
        return paths

"""Reads a labeling config the way Label Studio does: tags in any case, names found at any depth.

Core layer (lxml through safexml). What LS would object to becomes a ConfigProblem, never an exception;
only unreadable or unsafe input raises ConfigError.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from viewer.core.colors import DEFAULT_LABEL_BACKGROUND, default_label_colors
from viewer.core.config.datapath import DataPath, data_vars, parse_data_path
from viewer.core.config.kinds import (
    CONTROL_KINDS, DYNAMIC_KINDS, KNOWN_KINDS, LABEL_KINDS, LS_AUTOBIND_KINDS, OBJECT_KINDS,
    UNBOUND_CONTROL_KINDS,
)
from viewer.core.config.model import Attrs, ConfigProblem, ControlTag, Label, LabelConfig, ObjectTag
from viewer.core.config.safexml import parse_xml
from viewer.core.errors import ConfigError

# Real configs are a few kilobytes; anything this large is not one and is not worth holding in memory.
MAX_CONFIG_BYTES = 32 * 1024 * 1024
# Tags the server's config schema requires `toName` on, when every tag above them is a <View> (as written: the
# schema matches tag names by case). label_config_schema.json; "'toName' is a required property".
TO_NAME_REQUIRED = ("Choices", "Labels", "TextArea")
DEFAULT_INDEX_FLAG = "{{idx}}"
RepeatCount = Callable[[str], int]   # a <Repeater>'s `on` -> how many times to repeat its tags

_DEFAULT_CHOICE = {"relations": "multiple", "taxonomy": "multiple"}
_OWNER_KINDS = {
    "label": "a labels control (Labels, RectangleLabels, ...)",
    "choice": "<Choices> or <Taxonomy>",
    "relation": "<Relations>",
}


def parse_config(text: str | bytes, path: str | None = None, repeat_count: RepeatCount | None = None) -> LabelConfig:
    """A LabelConfig from XML text; ConfigError if the text is empty, not XML, or carries a DOCTYPE.

    A <Repeater> is expanded as the editor expands it for a task: `repeat_count(on)` times (the length of the task
    data's list), once when no count is given (a config read without its tasks).
    """
    root = parse_xml(text, path)
    kind = etree.QName(root).localname.lower()
    if kind not in KNOWN_KINDS:
        raise ConfigError(f"the root element <{etree.QName(root).localname}> is not a Label Studio tag; "
                          f"a labeling config is a <View> element", path=path, line=root.sourceline)
    reader = _Reader(repeat_count or (lambda on: 1))
    reader.visit(root, None, etree.QName(root).localname == "View")
    return reader.finish(path)


def load_config(path: str | os.PathLike[str], repeat_count: RepeatCount | None = None) -> LabelConfig:
    """Read and parse a config file; ConfigError naming the file when it cannot be read."""
    where = os.fspath(path)
    try:
        with open(where, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the labeling config: {exc.strerror or exc}", path=where) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"the file is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MiB, too large to be a "
                          f"labeling config", path=where)
    return parse_config(data, path=where, repeat_count=repeat_count)


def _local_name(el: etree._Element) -> str:
    """The tag without its namespace, as etree.QName(el).localname gives it at a fraction of the cost."""
    return el.tag.rpartition("}")[2]


def _inline_text(el: etree._Element) -> str | None:
    """The text of a tag that holds text and no child tags; LS lets it stand in for `value`."""
    if any(isinstance(child.tag, str) for child in el):
        return None
    parts = [el.text or ""] + [child.tail or "" for child in el]
    text = "".join(parts).strip()
    return text or None


@dataclass
class _Pending:
    """A control tag seen but not finished: its toName is settled once every object is known."""

    tag: str
    kind: str
    name: str
    attrs: Attrs
    line: int | None
    keep: bool
    to_name_required: bool = False
    label_fields: list[dict] = field(default_factory=list)  # made into labels once colours are known
    labels: list[Label] = field(default_factory=list)


class _Reader:
    def __init__(self, repeat_count: RepeatCount) -> None:
        self.repeat_count = repeat_count
        self.repeaters: list[str] = []
        self.repeat: tuple[str, int] | None = None   # the <Repeater> `on` and index of the tags being read
        self.templates: dict[etree._Element, str] = {}  # a repeated tag -> its name as the <Repeater> holds it
        self.problems: list[ConfigProblem] = []
        self.objects: dict[str, ObjectTag] = {}
        self.pending: list[_Pending] = []
        self.names: dict[str, tuple[str, str, int | None]] = {}     # name -> (tag, kind, line)
        self.headers: list[tuple[str, tuple[DataPath, ...]]] = []
        self.unknown: dict[str, list] = {}                        # kind -> [tag, first line, count]
        self.ls_objects: list[str] = []
        self.relations_seen = False

    def problem(self, code: str, message: str, line: int | None, name: str | None = None) -> None:
        self.problems.append(ConfigProblem(code, message, line, name))

    # -------------------------------------------------------------- walking the tree

    def visit(self, el: etree._Element, owner: _Pending | None, in_views: bool = False,
              replaces: dict[str, str] | None = None) -> None:
        """Read one tag and what it holds; `in_views`: every tag above it is a <View> as written."""
        if not isinstance(el.tag, str):
            return  # comments and processing instructions
        tag = _local_name(el)
        kind = tag.lower()
        attrs = Attrs(el.attrib if not replaces else _replaced(el.attrib, replaces))
        line = el.sourceline
        name = attrs.get("name") or None
        unique = self.register_name(name, tag, kind, line) if name else True
        if kind not in KNOWN_KINDS:
            self.note_unknown(tag, kind, line)
        if kind in OBJECT_KINDS:
            repeat = None if self.repeat is None else (*self.repeat, self.templates.get(el, ""))
            channels = tuple(Attrs(child.attrib) for child in el.iter()
                             if isinstance(child.tag, str) and _local_name(child).lower() == "channel") \
                if kind == "timeseries" else ()
            self.add_object(tag, kind, name, attrs, line, unique, repeat, channels)
        elif kind in CONTROL_KINDS:
            owner = self.add_control(tag, kind, name, attrs, line, unique)
            owner.to_name_required = in_views and tag in TO_NAME_REQUIRED
        elif kind in LABEL_KINDS:
            self.add_label(el, tag, kind, attrs, line, owner)
        elif kind == "header":
            self.add_header(el, attrs)
        elif kind == "repeater":
            self.expand(el, owner, attrs, replaces)
            return
        if name and kind in LS_AUTOBIND_KINDS:
            self.ls_objects.append(name)
        if kind == "hypertext" and (len(el) or (el.text or "").strip()):
            return  # HyperText holds inline HTML; LS takes it as markup, not as tags
        for child in el:
            self.visit(child, owner, in_views and tag == "View")

    def expand(self, el: etree._Element, owner: _Pending | None, attrs: Attrs,
               replaces: dict[str, str] | None) -> None:
        """A <Repeater> as the editor's Tree.tsx expands it: its tags once per item of `on`, each attribute's first
        `indexFlag` (default {{idx}}) replaced by the index in every copied tag, and once more in the top ones."""
        on = attrs.get("on") or ""
        flag = attrs.get("indexFlag")
        flag = DEFAULT_INDEX_FLAG if flag is None else flag
        self.repeaters.append(on)
        outer = self.repeat
        for index in range(max(0, self.repeat_count(on))):
            self.repeat = (on, index)
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                clone = copy.deepcopy(child)
                for node, template in zip(clone.iter(), child.iter()):
                    if isinstance(node.tag, str):
                        self.templates[node] = template.get("name") or ""
                        for key, value in node.attrib.items():
                            node.set(key, value.replace(flag, str(index), 1))
                self.visit(clone, owner, False, {**(replaces or {}), flag: str(index)})
        self.repeat = outer

    def register_name(self, name: str, tag: str, kind: str, line: int | None) -> bool:
        first = self.names.get(name)
        if first is None:
            self.names[name] = (tag, kind, line)
            return True
        where = f" on line {first[2]}" if first[2] else ""
        self.problem("config-duplicate-name", f"name \"{name}\" is used by <{first[0]}>{where} and again by "
                     f"<{tag}>; Label Studio refuses this config (names must be unique), lsview keeps the first",
                     line, name)
        return False

    def note_unknown(self, tag: str, kind: str, line: int | None) -> None:
        seen = self.unknown.get(kind)
        if seen is None:
            self.unknown[kind] = [tag, line, 1]
        else:
            seen[2] += 1

    def add_object(self, tag: str, kind: str, name: str | None, attrs: Attrs,
                   line: int | None, unique: bool, repeat: tuple[str, int, str] | None = None,
                   channels: tuple[Attrs, ...] = ()) -> None:
        if not name:
            if kind != "hypertext":  # a nameless HyperText is plain markup, which LS allows
                self.problem("config-missing-name", f"<{tag}> has no name; Label Studio refuses this config "
                             f"(name is required) and no result can point at it", line)
            return
        if unique:
            self.objects[name] = ObjectTag(tag, kind, name, attrs.get("value"), attrs=attrs, line=line,
                                           repeat=repeat, channels=channels)

    def add_control(self, tag: str, kind: str, name: str | None, attrs: Attrs, line: int | None,
                    unique: bool) -> _Pending:
        keep = unique
        if not name:
            if kind in UNBOUND_CONTROL_KINDS:
                keep = not self.relations_seen
                if self.relations_seen:
                    self.problem("config-duplicate-relations", f"a second <{tag}>; Label Studio shows one set "
                                 f"of relation labels, lsview keeps the first", line)
                self.relations_seen = True
            else:
                keep = False
                self.problem("config-missing-name", f"<{tag}> has no name; Label Studio refuses this config "
                             f"(name is required) and results cannot name it in from_name", line)
        pending = _Pending(tag, kind, name or "", attrs, line, keep)
        self.pending.append(pending)
        return pending

    def add_label(self, el: etree._Element, tag: str, kind: str, attrs: Attrs, line: int | None,
                  owner: _Pending | None) -> None:
        # the text inside <Label>Car</Label> replaces the value attribute, as in the editor
        value = _inline_text(el) or attrs.get("value") or ""
        given = attrs.get("background")
        parents = [a.get("alias") or a.get("value") or "" for a in el.iterancestors()
                   if _local_name(a).lower() == kind]
        if owner is None:
            self.problem("config-orphan-label", f"<{tag} value=\"{value}\"> is not inside "
                         f"{_OWNER_KINDS[kind]}; Label Studio shows no such option there and lsview ignores it", line)
            return
        owner.label_fields.append({"value": value, "alias": attrs.get("alias"), "background": given,
                             "background_given": given is not None, "hotkey": attrs.get("hotkey"),
                             "attrs": attrs, "parents": tuple(reversed(parents))})

    def add_header(self, el: etree._Element, attrs: Attrs) -> None:
        text = _inline_text(el) or attrs.get("value") or ""
        exprs = data_vars(text)
        if exprs:
            self.headers.append((text, tuple(parse_data_path(expr) for expr in exprs)))

    # -------------------------------------------------------------- settling toName

    def finish(self, path: str | None) -> LabelConfig:
        controls: dict[str, ControlTag] = {}
        self.make_labels()
        for pending in self.pending:
            to_names = self.settle_to_names(pending)
            if pending.keep:
                controls[pending.name] = _control(pending, to_names)
        for kind, (tag, line, count) in self.unknown.items():
            more = f" (and {count - 1} more)" if count > 1 else ""
            self.problem("config-unknown-tag", f"<{tag}>{more} is not a Label Studio tag; Label Studio refuses this "
                         f"config: its editor stops at it (\"Not expecting tag: {kind}\"); lsview ignores it", line)
        if not self.objects:
            self.problem("config-no-objects", "the config has no object tag (Image, Text, HyperText, Audio ...) "
                         "with a name; Label Studio's editor shows nothing to label", None)
        problems = sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))
        others = frozenset(name for name in self.names if name not in self.objects and name not in controls)
        return LabelConfig(objects=self.objects, controls=controls, headers=tuple(self.headers),
                           problems=tuple(problems), path=path, other_names=others,
                           repeaters=tuple(dict.fromkeys(self.repeaters)))

    def make_labels(self) -> None:
        """Labels from their fields, every generated colour worked out in one batch (one at a time took 16 s
        for 100,000 labels); a background is generated when label_background would generate it."""
        generated = (None, DEFAULT_LABEL_BACKGROUND)
        palette = default_label_colors(fields["value"] for pending in self.pending
                                       for fields in pending.label_fields if fields["background"] in generated)
        for pending in self.pending:
            for fields in pending.label_fields:
                if fields["background"] in generated:
                    fields["background"] = palette[fields["value"]]
            pending.labels = [Label(**fields) for fields in pending.label_fields]
            pending.label_fields = []

    def settle_to_names(self, pending: _Pending) -> tuple[str, ...]:
        raw = pending.attrs.get("toName")
        if raw is not None and raw.strip():
            to_names = tuple(part.strip() for part in raw.split(",") if part.strip())
            self.check_to_names(pending, to_names)
            return to_names
        if pending.to_name_required and "toName" not in pending.attrs.keys():
            label = f"<{pending.tag} name=\"{pending.name}\">" if pending.name else f"<{pending.tag}>"
            self.problem("config-to-name-required", f"{label} has no toName; Label Studio refuses this config "
                         f"(\"Validation failed on : 'toName' is a required property\"; its schema requires "
                         f"toName on <Choices>, <Labels> and <TextArea>)", pending.line, pending.name or None)
            # lsview still binds it as the editor would, so the results can be looked at
            return self.infer_to_name(pending, noted=True) if pending.keep else ()
        if pending.kind in UNBOUND_CONTROL_KINDS or not pending.keep:
            return ()
        return self.infer_to_name(pending)

    def infer_to_name(self, pending: _Pending, noted: bool = False) -> tuple[str, ...]:
        label = f"<{pending.tag} name=\"{pending.name}\">"
        # the editor fills in toName only from its own notion of objects (LS_AUTOBIND_KINDS); follow it
        if len(self.ls_objects) == 1 and pending.kind not in LS_AUTOBIND_KINDS:
            return (self.ls_objects[0],)
        shown = [name for name, tag in self.objects.items()
                 if tag.data_path is not None or tag.value_list is not None]
        if len(shown) == 1:
            if noted:
                return (shown[0],)
            self.problem("config-to-name-inferred", f"{label} has no toName; lsview binds it to \"{shown[0]}\", "
                         f"the only object tag showing task data, but Label Studio's editor does not show its "
                         f"results: it fills in a missing toName only for a lone Image, Audio, Video, Paragraphs, "
                         f"Table, TimeSeries, List or Pdf tag and leaves this one unbound", pending.line, pending.name)
            return (shown[0],)
        if noted:
            return ()
        self.problem("config-missing-to-name", f"{label} has no toName and the config has {len(self.objects)} "
                     f"object tags; Label Studio's editor does not show its results (it cannot tell which "
                     f"object it labels and leaves it unbound)",
                     pending.line, pending.name)
        return ()

    def check_to_names(self, pending: _Pending, to_names: tuple[str, ...]) -> None:
        label = f"<{pending.tag} name=\"{pending.name}\">" if pending.name else f"<{pending.tag}>"
        for to_name in to_names:
            target = self.names.get(to_name)
            if target is None:
                self.problem("config-unknown-to-name", f"{label} has toName=\"{to_name}\" but no tag is named "
                             f"\"{to_name}\"; Label Studio refuses this config, and results for it have no "
                             f"object to be drawn on", pending.line, pending.name or None)
            elif target[1] not in OBJECT_KINDS and target[1] not in LS_AUTOBIND_KINDS:
                self.problem("config-to-name-not-object", f"{label} has toName=\"{to_name}\", which names a "
                             f"<{target[0]}>, not an object tag; Label Studio's editor does not show its results",
                             pending.line, pending.name or None)


def _control(pending: _Pending, to_names: tuple[str, ...]) -> ControlTag:
    attrs, kind = pending.attrs, pending.kind
    choice = (attrs.get("choice") or _DEFAULT_CHOICE.get(kind, "single")).strip().lower()
    return ControlTag(
        tag=pending.tag, kind=kind, name=pending.name, to_names=to_names, labels=tuple(pending.labels),
        attrs=attrs, line=pending.line,
        per_region=attrs.flag("perRegion"),
        dynamic_labels=kind in DYNAMIC_KINDS and (attrs.get("value") or "").strip().startswith("$"),
        allow_empty=attrs.flag("allowEmpty"),
        choice="multiple" if choice == "multiple" else "single",
        stroke_width=attrs.get("strokeWidth"), opacity=attrs.get("opacity"),
        fill_opacity=attrs.get("fillOpacity"), stroke_color=attrs.get("strokeColor"),
        fill_color=attrs.get("fillColor"), visible_when=attrs.get("visibleWhen"),
        when_tag_name=attrs.get("whenTagName"), when_label_value=attrs.get("whenLabelValue"),
        when_choice_value=attrs.get("whenChoiceValue"),
    )


def _replaced(attrib, replaces: dict[str, str]) -> dict[str, str]:
    """A repeated tag's attributes with each index flag's first occurrence replaced (the editor's attrsToProps)."""
    out = {}
    for key, value in attrib.items():
        for flag, index in replaces.items():
            value = value.replace(flag, index, 1)
        out[key] = value
    return out

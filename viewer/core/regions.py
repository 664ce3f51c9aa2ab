"""Results grouped into regions exactly as Label Studio groups them (FORMAT.md 0), as immutable values.

Core layer, no Qt. One region per (to_name, id) inside one prediction or annotation; geometry from the first
result that has geometry keys, labels from the `*labels` results, everything else per-region values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from viewer.core.numbers import finite, non_finite_paths, number_problem
from viewer.core.region_kinds import SPAN_KINDS
from viewer.core.shapes import GEOMETRY_KEYS, Classification, Shape, json_type, parse_shape
from viewer.core.tasks import ResultSet, Source, Task

# Every `type` the Label Studio editor can create a model for (FORMAT.md 0); anything else makes it throw.
RESULT_TYPES = frozenset({
    "rectangle", "rectanglelabels", "polygon", "polygonlabels", "ellipse", "ellipselabels", "keypoint",
    "keypointlabels", "brush", "brushlabels", "bitmask", "bitmasklabels", "vector", "vectorlabels", "magicwand",
    "labels", "hypertextlabels", "htmllabels", "paragraphlabels", "timeserieslabels", "timelinelabels", "choices",
    "textarea", "rating", "number", "datetime", "taxonomy", "pairwise", "ranker", "videorectangle", "relation",
})
ORIGINS = frozenset({"manual", "prediction", "prediction-changed"})
RELATION_DIRECTIONS = frozenset({"right", "left", "bi"})

# NaN, Infinity and integers past a float's range: Label Studio's API reads strict JSON (Django REST framework's
# STRICT_JSON) and refuses NaN and Infinity; its editor reads a huge integer as Infinity.
NOT_A_JSON_NUMBER = ("Label Studio refuses this file (its API reads strict JSON), or its editor cannot use the "
                     "number")


@dataclass(frozen=True)
class ResultProblem:
    """A result that is malformed whatever the config says (wrong field types, unknown type ...)."""

    code: str
    message: str
    result_index: int
    result_id: str | None
    severity: str | None = None   # None: the code's own (diagnostics.model.VERDICTS)


@dataclass(frozen=True)
class Relation:
    from_id: str
    to_id: str
    direction: str
    labels: tuple[str, ...]
    result_index: int
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Region:
    """One region of one prediction or annotation, with the verbatim results it was made from."""

    id: str
    to_name: str | None
    source: Source
    source_index: int
    shape: Shape
    results: tuple[Mapping[str, Any], ...]
    result_indices: tuple[int, ...]
    labels: tuple[str, ...] = ()
    label_from_name: str | None = None
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    score: float | None = None
    readonly: bool = False
    hidden: bool = False
    origin: str | None = None
    item_index: int | None = None
    id_generated: bool = False

    @classmethod
    def _build(cls, **fields: Any) -> "Region":
        # The grouper makes hundreds of thousands of regions for a big task file; a frozen dataclass's __init__
        # sets each field through object.__setattr__ (3.4 us a region, measured) where filling the instance
        # dict directly takes 0.5 us. Every field is passed, so the value is the same as Region(**fields).
        region = object.__new__(cls)
        region.__dict__.update(fields)
        return region

    @property
    def kind(self) -> str:
        return self.shape.kind

    @property
    def types(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for result in self.results:
            if isinstance(result.get("type"), str):
                seen.setdefault(result["type"], None)
        return tuple(seen)

    @property
    def from_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r["from_name"] for r in self.results if isinstance(r.get("from_name"), str)))


@dataclass(frozen=True)
class RegionSet:
    """Everything one prediction or annotation holds, grouped."""

    source: Source
    source_index: int
    regions: tuple[Region, ...]
    relations: tuple[Relation, ...]
    problems: tuple[ResultProblem, ...]

    def by_id(self) -> dict[str, Region]:
        return {region.id: region for region in self.regions}


# Geometry and score are the region's; `text` is geometry only for spans (a textarea's `text` is its payload).
_NOT_PAYLOAD = (GEOMETRY_KEYS - {"text"}) | {"score"}
CLASSIFICATION = Classification()
_NUMBERS = (int, float)  # exact types, so JSON booleans are not taken for numbers

ObjectKindOf = Callable[[str | None], str | None]
# (to_name, first label) -> the <*Labels> control on that object holding the label, for labels a region result
# keeps in its own value (a videorectangle's value.labels): the editor attaches them to that control.
LabelsControlOf = Callable[[str | None, str], str | None]


def _no_kinds(_name: str | None) -> str | None:
    return None


def _no_labels_control(_to_name: str | None, _label: str) -> str | None:
    return None


def labels_key(result_type: str) -> str:
    """The value key a result keeps its labels under, as messages name it (labels_value reads it)."""
    if result_type == "videorectangle":  # a VideoRectangle with Labels keeps them in value.labels
        return "labels"
    return "hypertextlabels" if result_type == "htmllabels" else result_type


def result_id_of(result: Mapping[str, Any]) -> str | None:
    rid = result.get("id")
    if rid is None or isinstance(rid, (dict, list, bool)):
        return None
    return str(rid)


def region_key(result: Mapping[str, Any], index: int) -> tuple:
    """What the results of one region share: (to_name, id); a result without a usable id is a region alone, and
    so is one whose to_name is a list or object (Label Studio cannot load it; it cannot be a dict key either)."""
    rid = result_id_of(result)
    if rid is None:
        return ("#no-id", index)
    to_name = result.get("to_name")
    return (("#unhashable", index), rid) if isinstance(to_name, (list, dict)) else (to_name, rid)


def labels_value(result_type: Any, value: Mapping[str, Any]) -> Any:
    """What a labels result holds as its labels (value.<type>; HTML labels under hypertextlabels), unchecked;
    None for a result of no labels type or one holding none."""
    if result_type == "videorectangle":  # a VideoRectangle with Labels keeps them in value.labels
        return value.get("labels")
    if not (isinstance(result_type, str) and result_type.endswith("labels")):
        return None
    return value.get(labels_key(result_type), value.get(result_type))


class _Grouper:
    def __init__(self, source: Source, source_index: int, object_kind: ObjectKindOf,
                 labels_control: LabelsControlOf = _no_labels_control):
        self.source = source
        self.source_index = source_index
        self.object_kind = object_kind
        self.labels_control = labels_control
        self.groups: dict[tuple, list[tuple[int, dict]]] = {}
        self.relations: list[Relation] = []
        self.problems: list[ResultProblem] = []

    def problem(self, code: str, message: str, index: int, result: Any, severity: str | None = None) -> None:
        rid = result_id_of(result) if isinstance(result, dict) else None
        self.problems.append(ResultProblem(code, message, index, rid, severity))

    def add(self, index: int, result: Any) -> None:
        if not isinstance(result, dict):
            self.problem("invalid-value", f"result {index} is {json_type(result)}, not an object; Label Studio's "
                         f"editor fails to load the whole {self.source}", index, result)
            return
        rtype = result.get("type")
        if rtype == "relation":
            self.add_relation(index, result)
            return
        if not isinstance(rtype, str):
            self.problem("invalid-value", f"`type` is {json_type(rtype)}; Label Studio's editor fails to load the "
                         f"whole {self.source} (it cannot make a region of it)", index, result)
        elif rtype not in RESULT_TYPES:
            self.problem("unknown-type", f"`type` \"{rtype}\" is not a Label Studio result type; Label Studio's "
                         f"editor fails to load the {self.source} past it (it throws, loads the results before it and "
                         f"shows an error banner)",
                         index, result)
        if "value" not in result:
            self.problem("invalid-value", f"the result has no `value`; Label Studio's editor does not show the "
                         f"image nor any region of this {self.source}", index, result)
        elif not isinstance(result["value"], dict):
            self.problem("invalid-value", f"`value` is {json_type(result['value'])}, not an object; Label Studio's "
                         f"editor fails to load the {self.source}", index, result)
        self.check_fields(index, result)
        self.groups.setdefault(region_key(result, index), []).append((index, result))

    def check_fields(self, index: int, result: dict) -> None:
        origin = result.get("origin")
        if origin is not None and not (isinstance(origin, str) and origin in ORIGINS):
            self.problem("invalid-value", f"`origin` is {_quoted(origin)}; only manual, prediction and "
                         f"prediction-changed load: Label Studio's editor fails to load the {self.source}", index, result)
        for key in ("readonly", "hidden"):
            flag = result.get(key)
            if flag is not None and type(flag) is not bool:
                self.problem("invalid-value", f"`{key}` is {json_type(flag)}, not true/false; Label Studio's "
                             f"editor fails to load the {self.source}", index, result)
        value = result.get("value")
        for where, score in (("score", result.get("score")),
                             ("value.score", value.get("score") if type(value) is dict else None)):
            if score is not None and type(score) not in _NUMBERS:
                self.problem("invalid-value", f"`{where}` is {json_type(score)}, not a number; Label Studio "
                             f"shows the region without a score", index, result, "warning")
            elif number_problem(score) is not None:
                self.problem("invalid-value", f"`{where}` is {number_problem(score)}, not a finite number; "
                             f"{NOT_A_JSON_NUMBER} (null in `lsview inspect`)", index, result)
        for key in ("original_width", "original_height", "image_rotation"):
            problem = number_problem(result.get(key))
            if problem is not None:
                self.problem("invalid-value", f"`{key}` is {problem}, not a finite number; lsview ignores it "
                             f"(null in `lsview inspect`); {NOT_A_JSON_NUMBER}", index, result)
        item_index = result.get("item_index")
        if item_index is not None and type(item_index) is not int:
            self.problem("invalid-value", f"`item_index` is {json_type(item_index)}, not an integer page "
                         f"index; Label Studio's editor finds no page to draw the region on", index, result)

    def add_relation(self, index: int, result: dict) -> None:
        ids = (result.get("from_id"), result.get("to_id"))
        if not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in ids):
            self.problem("invalid-value", "a relation needs `from_id` and `to_id` region ids; Label Studio's "
                         "editor does not show it", index, result)
            return
        direction = result.get("direction", "right")
        if not (isinstance(direction, str) and direction in RELATION_DIRECTIONS):
            self.problem("invalid-value", f"relation `direction` is {_quoted(direction)}, not right, left or bi; "
                         f"Label Studio's editor fails to load the {self.source}", index, result)
            direction = "right"
        labels = result.get("labels") or []
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            self.problem("invalid-value", "relation `labels` is not a list of strings; Label Studio's editor "
                         "cannot load the relation", index, result)
            labels = []
        self.relations.append(Relation(str(ids[0]), str(ids[1]), direction, tuple(labels), index, result))

    def label_control(self, rtype: Any, to_name: str | None, labels: list[str]) -> str | None:
        """Where labels kept in a region result's own value belong: the editor (Annotation
        deserializeSingleResult, objects with mergeLabelsAndResults such as Video) gives them to the first
        *labels control on the object that has the first label; a *labels result's are its own control's."""
        if not labels or (isinstance(rtype, str) and rtype.endswith("labels")):
            return None
        return self.labels_control(to_name, labels[0])

    def region(self, key: tuple, members: list[tuple[int, dict]]) -> Region:
        to_name = members[0][1].get("to_name")
        to_name = to_name if isinstance(to_name, str) else None
        kind_of_object = self.object_kind(to_name)
        shape = None
        for index, result in members:
            shape, problem = parse_shape(result.get("value"), result.get("type"), kind_of_object)
            if problem:
                self.problem("invalid-value", f"{problem}; Label Studio's editor does not show this region", index, result)
            if shape is not None:
                break
        else:
            shape = CLASSIFICATION
        labels: list[str] = []
        label_from = None
        values: dict[str, dict] = {}
        score = origin = item_index = None
        readonly = hidden = False
        is_span = shape.kind in SPAN_KINDS
        for index, result in members:
            value = result.get("value")
            if type(value) is not dict:
                value = {}
            rtype = result.get("type")
            if score is None:
                score = score_of(result.get("score"), value.get("score"))
            if result.get("readonly") is True:
                readonly = True
            if result.get("hidden") is True:
                hidden = True
            if origin is None and isinstance(result.get("origin"), str):
                origin = result["origin"]
            if item_index is None and type(result.get("item_index")) is int:
                item_index = result["item_index"]
            from_name = result.get("from_name")
            from_name = from_name if isinstance(from_name, str) else ""
            found = labels_value(rtype, value)
            if found is not None:
                if isinstance(found, list) and all(isinstance(x, str) for x in found):
                    labels.extend(x for x in found if x not in labels)
                    label_from = label_from or self.label_control(rtype, to_name, found) or from_name
                else:
                    self.problem("invalid-value", f"`value.{labels_key(rtype)}` is {json_type(found)}, not a list "
                                 f"of label strings; Label Studio's editor fails to load the {self.source}", index, result)
                continue
            payload = {k: v for k, v in value.items() if k not in _NOT_PAYLOAD
                       and not (k == "text" and is_span and not isinstance(v, list))}
            if payload:
                for where, problem in non_finite_paths(payload, "value"):
                    self.problem("invalid-value", f"`{where}` is {problem}, not a finite number "
                                 f"(null in `lsview inspect`); {NOT_A_JSON_NUMBER}", index, result)
                values.setdefault(from_name, {}).update(payload)
        generated = key[0] == "#no-id"
        return Region._build(
            id=f"result-{key[1]}" if generated else key[1], to_name=to_name, source=self.source,
            source_index=self.source_index, shape=shape, results=tuple(r for _, r in members),
            result_indices=tuple(i for i, _ in members), labels=tuple(labels), label_from_name=label_from,
            values=values, score=score, readonly=readonly, hidden=hidden, origin=origin, item_index=item_index,
            id_generated=generated,
        )


def score_of(result_score: Any, value_score: Any) -> float | None:
    for score in (result_score, value_score):
        number = finite(score)  # NaN, Infinity and integers too large for a float are no score
        if number is not None:
            return number
    return None


def _quoted(item: Any) -> str:
    """A string field's wrong value for a message: the string quoted, anything else by its JSON type."""
    return repr(item) if isinstance(item, str) else json_type(item)


def group_results(results: list, source: Source, source_index: int,
                  object_kind: ObjectKindOf = _no_kinds,
                  labels_control: LabelsControlOf = _no_labels_control) -> RegionSet:
    """Group one `result` list into regions and relations; `object_kind(to_name)` tells spans apart,
    `labels_control(to_name, label)` which control a track's own labels belong to (Project.labels_control)."""
    grouper = _Grouper(source, source_index, object_kind, labels_control)
    for index, result in enumerate(results):
        grouper.add(index, result)
    regions = tuple(grouper.region(key, members) for key, members in grouper.groups.items())
    return RegionSet(source, source_index, regions, tuple(grouper.relations), tuple(grouper.problems))


def region_sets(task: Task, object_kind: ObjectKindOf = _no_kinds,
                labels_control: LabelsControlOf = _no_labels_control) -> list[tuple[ResultSet, RegionSet]]:
    """Every prediction and annotation of a task with its regions."""
    return [(rs, group_results(rs.results, rs.source, rs.index, object_kind, labels_control))
            for rs in task.result_sets() if rs.is_object]



"""Edits of a working annotation's result list: copy, replace and remove regions the way Label Studio does.

Core layer, no Qt. Pure functions: they return new lists and never change what they are given (FORMAT.md 5.3).
Results are treated as immutable values everywhere, so a copy only needs new dicts where a key changes.
"""

from __future__ import annotations

import secrets
import string
from typing import TYPE_CHECKING, Iterable

from viewer.core.region_keys import LayerKey

if TYPE_CHECKING:
    from viewer.core.tasks import Task

_ID_ALPHABET = string.ascii_letters + string.digits + "_-"


def working_layer_key(task: Task) -> LayerKey:
    """The working annotation's layer: it comes after the task's saved annotations, as Label Studio adds one."""
    return "annotation", len(task.annotations)


def new_region_id(taken: Iterable[str] = ()) -> str:
    """A 10-character id in Label Studio's nanoid style, unused in `taken`."""
    used = set(taken)
    while True:
        candidate = "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))
        if candidate not in used:
            return candidate


def region_ids(results: list) -> set[str]:
    return {str(r["id"]) for r in results if isinstance(r, dict) and r.get("id") is not None}


def results_of(results: list, region_id: str) -> list[dict]:
    return [r for r in results if isinstance(r, dict) and str(r.get("id")) == region_id and r.get("type") != "relation"]


def origin_of(results: list, region_id: str) -> str | None:
    return next((r.get("origin") for r in results_of(results, region_id) if r.get("origin")), None)


def copied(results: Iterable[dict], origin: str, region_id: str | None = None) -> list[dict]:
    """The region's results with `origin` set (and the id replaced when given), as new dicts."""
    changes = {"origin": origin} if region_id is None else {"origin": origin, "id": region_id}
    return [{**result, **changes} for result in results]


def replace_region(results: list, region_id: str, new: list[dict]) -> list:
    """The list with the region's results replaced by `new`, kept where the region stood (appended if new)."""
    out: list = []
    placed = False
    for result in results:
        if isinstance(result, dict) and str(result.get("id")) == region_id and result.get("type") != "relation":
            if not placed:
                out.extend(new)
                placed = True
            continue
        out.append(result)
    return out if placed else insert_regions(out, new)


def insert_regions(results: list, new: list[dict]) -> list:
    """The list with new regions' results added before the relations (which Label Studio writes last)."""
    cut = next((i for i, r in enumerate(results) if isinstance(r, dict) and r.get("type") == "relation"),
               len(results))
    return results[:cut] + new + results[cut:]


def remove_region(results: list, region_id: str) -> list:
    """The list without the region and without relations that pointed at it (Label Studio drops those)."""
    return [r for r in results if not (isinstance(r, dict) and (
        (str(r.get("id")) == region_id and r.get("type") != "relation")
        or (r.get("type") == "relation" and region_id in (str(r.get("from_id")), str(r.get("to_id"))))))]


def add_relations(results: list, relations: Iterable[dict]) -> list:
    """Append the relations whose two ends are present and that are not there yet."""
    present = region_ids(results)
    existing = {(str(r.get("from_id")), str(r.get("to_id"))) for r in results
                if isinstance(r, dict) and r.get("type") == "relation"}
    out = list(results)
    for relation in relations:
        ends = (str(relation.get("from_id")), str(relation.get("to_id")))
        if ends[0] in present and ends[1] in present and ends not in existing:
            out.append(dict(relation))
            existing.add(ends)
    return out


def mark_changed(new: list[dict], old_origin: str | None) -> list[dict]:
    """Results of an edited region: copies of a prediction become `prediction-changed`, others `manual`."""
    origin = "prediction-changed" if old_origin in ("prediction", "prediction-changed") else "manual"
    return [{**r, "origin": origin} for r in new]


# The keys of `value` that are a region's geometry (spans included); everything else is a control's payload.
GEOMETRY_KEYS = ("x", "y", "width", "height", "rotation", "radiusX", "radiusY", "points", "closed", "vertices",
                 "format", "rle", "maskDataURL", "imageDataURL", "start", "end", "startOffset", "endOffset",
                 "globalOffsets", "instant", "channel")


def geometry_of(results: list[dict]) -> dict:
    """The geometry part of a region's value (taken from the first result that has any)."""
    for result in results:
        value = result.get("value")
        if isinstance(value, dict):
            geometry = {k: value[k] for k in GEOMETRY_KEYS if k in value}
            if geometry:
                if "text" in value and "start" in value and isinstance(value["text"], str):
                    geometry["text"] = value["text"]
                return geometry
    return {}


def with_geometry(results: list[dict], geometry: dict) -> list[dict]:
    """A region's results with new geometry in every result (Label Studio repeats it in each)."""
    out = []
    for result in results:
        value = result.get("value") if isinstance(result.get("value"), dict) else {}
        payload = {k: v for k, v in value.items() if k not in GEOMETRY_KEYS
                   and not (k == "text" and isinstance(v, str) and "start" in geometry)}
        out.append({**result, "value": {**geometry, **payload}})
    return out


def with_payload(results: list[dict], *, region_id: str, to_name: str, from_name: str, result_type: str,
                 key: str, payload) -> list[dict]:
    """A region's results with one control's payload set (labels, OCR text, a per-region choice ...).

    The control's result is replaced, created (carrying the region's geometry) or, with payload None, removed.
    """
    out = [r for r in results if r.get("from_name") != from_name]
    if payload is None:
        return out
    existing = next((r for r in results if r.get("from_name") == from_name), None)
    value = {**geometry_of(results), key: payload}
    if existing is not None:
        index = results.index(existing)
        out.insert(index, {**existing, "type": result_type, "value": {**(existing.get("value") or {}), key: payload}})
        return out
    out.append({"id": region_id, "from_name": from_name, "to_name": to_name, "type": result_type, "value": value})
    return out


def set_classification(results: list, *, from_name: str, to_name: str, result_type: str, key: str, payload,
                       item_index: int | None = None) -> list:
    """The working results with a whole-object answer (choices, rating, textarea ...) set or, with None, removed.

    Label Studio keeps one such result per control and object (and page); the last one wins (FORMAT.md 4.1).
    """
    existing = next((r for r in results if _answers(r, from_name, to_name, item_index)), None)
    out = [r for r in results if not _answers(r, from_name, to_name, item_index)]
    if payload is None:
        return out
    new = {"id": existing.get("id") if existing else new_region_id(region_ids(results)), "from_name": from_name,
           "to_name": to_name, "type": result_type, "value": {key: payload}}
    if item_index is not None:
        new["item_index"] = item_index
    return insert_regions(out, [new])


def classification_edit(results: list, *, from_name: str, to_name: str, result_type: str, key: str, payload,
                        item_index: int | None = None) -> tuple[str, list[dict]] | None:
    """Setting a whole-object answer as one region edit: (region id, the region's new results), or None when the
    answer stays the same. The answer's result is the region edited (its id kept; a new answer gets a fresh id).

    ValueError when the old answer has no result id: only a region id reaches a result through the session's
    commands.
    """
    wanted = set_classification(results, from_name=from_name, to_name=to_name, result_type=result_type, key=key,
                                payload=payload, item_index=item_index)
    old = [r for r in results if _answers(r, from_name, to_name, item_index)]
    new = [r for r in wanted if _answers(r, from_name, to_name, item_index)]
    if _without_origin(old) == _without_origin(new):
        return None
    if any(r.get("id") is None for r in old):
        raise ValueError(f"the {from_name} answer has no result id and cannot be edited")
    region_id = str((old or new)[0]["id"])
    kept = [r for r in results_of(results, region_id) if not _answers(r, from_name, to_name, item_index)]
    return region_id, kept + new


def _answers(result, from_name: str, to_name: str, item_index: int | None) -> bool:
    """A whole-object result of this control and object (and page): one per control, object and page."""
    return (isinstance(result, dict) and result.get("from_name") == from_name and result.get("to_name") == to_name
            and result.get("item_index") == item_index and not geometry_of([result]))


def _without_origin(results: list[dict]) -> list[dict]:
    return [{k: v for k, v in result.items() if k != "origin"} for result in results]

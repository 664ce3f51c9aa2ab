"""Edits of a working annotation's result list: copy, replace and remove regions the way Label Studio does.

Core layer, no Qt. Pure functions: they return new lists and never change what they are given (FORMAT.md 5.3).
Results are treated as immutable values everywhere, so a copy only needs new dicts where a key changes.
"""

from __future__ import annotations

import secrets
import string
from typing import Iterable

_ID_ALPHABET = string.ascii_letters + string.digits + "_-"


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

"""KindTable: one layer's entry per region kind, and the registry of every table (TABLES).

Core layer, no Qt, and imports nothing of viewer: core.shapes keeps its own table (to_value) with it, and
core.region_kinds imports core.shapes, so the class lives in this leaf.
"""

from __future__ import annotations

from typing import Generic, Mapping, TypeVar

T = TypeVar("T")

TABLES: dict[str, KindTable] = {}


class KindTable(Generic[T]):
    """One layer's entry per region kind. `elsewhere` names each kind the layer leaves alone, and why.

    Lookups use the exact class of the shape: shapes are frozen dataclasses that nothing subclasses.
    """

    def __init__(self, name: str, entries: Mapping[type, T], elsewhere: Mapping[str, str]):
        self.name = name
        self.entries: dict[type, T] = dict(entries)
        self.elsewhere: dict[str, str] = dict(elsewhere)
        TABLES[name] = self

    def get(self, shape: object, default: T | None = None) -> T | None:
        return self.entries.get(type(shape), default)

    def of(self, shape: object) -> T:
        try:
            return self.entries[type(shape)]
        except KeyError:
            kind = getattr(shape, "kind", type(shape).__name__)
            why = self.elsewhere.get(kind, "no entry")
            raise KeyError(f"the {self.name} table has no {kind!r} ({why})") from None

    def kinds(self) -> set[str]:
        """The kinds with an entry."""
        return {shape.kind for shape in self.entries}

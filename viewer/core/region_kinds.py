"""Region kinds by name, and the tables each layer keeps per kind (one entry, or a reason it is handled elsewhere).

Core layer, no Qt. A new kind of region is one class in core.shapes, its name here, and one line in every table
of TABLES; tests/render/test_kind_tables.py fails until each table has it.
"""

from __future__ import annotations

from typing import Generic, Mapping, TypeVar

from viewer.core.shapes import (Bitmask, Classification, Ellipse, HyperTextSpan, Invalid, KeyPoint, Mask, Other,
                                ParagraphSpan, Polygon, Rectangle, Span, Vector)

SHAPES: dict[str, type] = {shape.kind: shape for shape in (
    Rectangle, Ellipse, Polygon, KeyPoint, Mask, Bitmask, Vector, Span, HyperTextSpan, ParagraphSpan,
    Classification, Invalid, Other)}
IMAGE_KINDS = frozenset({"rectangle", "ellipse", "polygon", "keypoint", "mask", "bitmask", "vector"})
SPAN_KINDS = frozenset({"span", "hypertext-span", "paragraph-span"})
MASK_KINDS = frozenset({"mask", "bitmask"})  # drawn under the outlined kinds, so outlines stay visible

# Why a table about drawing on an image has no entry for the kinds that are not drawn on one.
NOT_ON_IMAGE: dict[str, str] = {
    **{kind: "a text span: the text view lays it out (core.text_layout)" for kind in SPAN_KINDS},
    "classification": "a whole-object answer with no geometry: listed in the results panel",
    "invalid": "geometry with fields of the wrong type: reported by diagnostics, never drawn",
    "other": "an object kind lsview does not draw yet: kept as given and written back verbatim",
}

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

"""Region kinds by name, and a ratchet on isinstance dispatches over shape classes (the tables replace them)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

# Importing the modules registers their tables.
import viewer.core.diagnostics.shapes  # noqa: F401
import viewer.core.export.training.pixels  # noqa: F401
import viewer.core.matching  # noqa: F401
import viewer.core.resolve  # noqa: F401
from viewer.core import shapes
from viewer.core.region_kinds import IMAGE_KINDS, MASK_KINDS, SHAPES, SPAN_KINDS, TABLES, KindTable

VIEWER = Path(__file__).resolve().parents[2] / "viewer"
SHAPE_NAMES = {cls.__name__ for cls in SHAPES.values()} | {"IMAGE_SHAPES", "SPAN_SHAPES", "MOVABLE"}
# isinstance(x, <a shape class or group>) per module, at most. Lower a number when you remove one; a new kind-specific
# behaviour goes into a table (core.region_kinds.KindTable), not a new branch. What is left is one kind's own rule
# (each says why beside it), not a dispatch over kinds.
CEILINGS = {
    "core/content.py": 1,               # classifications go to the results panel
    "core/matching.py": 1,              # only a brush's RLE is decoded for its IoU
    "core/diagnostics/regions.py": 2,   # duplicate and orphan rules of whole-object answers
    "core/text_layout/plain.py": 2,     # a Text / Paragraphs object places only its own span kind
    "core/text_layout/hypertext.py": 1,  # a HyperText object places only its own span kind
    "render/masks.py": 1,           # Bitmask vs Mask: two ways to read one mask
    "render/text_content.py": 1,
    "render/relations.py": 1,       # the keypoint dot
    "render/task_image.py": 1,      # the keypoint dot
    "qt/canvas/editing/brush.py": 1,  # the brush paints masks only
}


def _dispatches(path: Path) -> int:
    count = 0
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance" and len(node.args) == 2:
            if {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)} & SHAPE_NAMES:
                count += 1
    return count


def test_shapes_covers_every_shape_class_in_core_shapes():
    classes = {cls for _, cls in inspect.getmembers(shapes, inspect.isclass)
               if cls.__module__ == shapes.__name__ and isinstance(getattr(cls, "kind", None), str)}
    assert set(SHAPES.values()) == classes
    assert all(SHAPES[cls.kind] is cls for cls in classes)


def test_the_kind_sets_are_kinds():
    assert IMAGE_KINDS | SPAN_KINDS <= set(SHAPES)
    assert MASK_KINDS <= IMAGE_KINDS
    assert not IMAGE_KINDS & SPAN_KINDS


def test_a_table_looks_up_the_exact_class_and_names_what_is_missing():
    table = KindTable("test moves", {shapes.Rectangle: "box"}, elsewhere={"keypoint": "a dot"})
    del TABLES["test moves"]  # a table registers itself; this one is not part of any layer
    assert table.get(shapes.Rectangle(0, 0, 1, 1)) == "box"
    assert table.get(shapes.KeyPoint(0, 0, 1)) is None
    assert table.get(shapes.KeyPoint(0, 0, 1), "none") == "none"
    assert table.kinds() == {"rectangle"}
    with pytest.raises(KeyError, match="test moves.*'keypoint'.*a dot"):
        table.of(shapes.KeyPoint(0, 0, 1))


CORE_TABLES = {"parse", "to_value", "inspect pixels", "inspect text", "matching outlines", "matching span ranges",
               "matching over frames", "percent fields", "geometry checks"}


def test_every_core_table_is_registered():
    assert CORE_TABLES <= set(TABLES)


def check_covers_every_kind(name: str) -> None:
    """A kind table has an entry or a written reason for every region kind, never both (shared with the render and
    Qt layers' tables in tests/render/test_kind_tables.py)."""
    table = TABLES[name]
    assert set(table.entries) <= set(SHAPES.values()), "an entry for a class that is not a region kind"
    handled = table.kinds()
    assert handled | set(table.elsewhere) == set(SHAPES), f"{name}: kinds with neither an entry nor a reason"
    assert not handled & set(table.elsewhere), f"{name}: kinds both handled and elsewhere"
    assert all(why.strip() for why in table.elsewhere.values())


@pytest.mark.parametrize("name", sorted(CORE_TABLES))
def test_a_core_table_handles_each_kind_or_says_where_it_is_handled(name):
    check_covers_every_kind(name)


def test_isinstance_dispatches_on_shape_classes_stay_under_their_ceilings():
    over = {}
    for path in sorted(VIEWER.rglob("*.py")):
        name = path.relative_to(VIEWER).as_posix()
        found = _dispatches(path)
        if found > CEILINGS.get(name, 0):
            over[name] = (found, CEILINGS.get(name, 0))
    assert over == {}, "isinstance on shape classes (found, allowed); use a kind table instead"

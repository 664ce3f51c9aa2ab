"""Numbers read from task files: a JSON value as a finite float, or why it is not one; and a safe preview and the
JSON type name of any task-file value for messages (core layer, no Qt).

Task files may hold NaN, Infinity (Python's json reads them) and integers of any size; every place where such
a value meets arithmetic goes through here, so a bad number is a diagnostic, never an exception.
"""

from __future__ import annotations

import math

from typing import Any

from viewer.core.errors import quoted


def finite(value: Any) -> float | None:
    """The value as a finite float; None for a non-number (JSON true/false included), NaN, +-Infinity, or an
    integer too large for a float."""
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is int:
        try:
            return float(value)
        except OverflowError:
            return None
    return None


def finite_text(text: str | None) -> float | None:
    """A number written as text (an XML attribute or element) as a finite float; None for no text, text that is
    not a number, NaN or +-Infinity."""
    if text is None:
        return None
    try:
        return finite(float(text))
    except ValueError:
        return None


def number_problem(value: Any) -> str | None:
    """Why a number is not a finite float, for messages ("NaN", "Infinity", "an integer of 401 digits (too large
    for a float)"); None when it is finite or is no number at all (the caller names wrong types itself)."""
    kind = type(value)
    if kind is float and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if kind is int and finite(value) is None:
        digits = len(str(abs(value))) if value.bit_length() < 14_000 else "over 4,000"  # str() stops at 4,300 digits
        return f"an integer of {digits} digits (too large for a float)"
    return None


def non_finite_paths(tree: Any, path: str = "", limit: int = 3) -> list[tuple[str, str]]:
    """(path, what) for the first few numbers in a JSON tree that are not finite floats (NaN, Infinity, huge
    integers), e.g. ("value.text[2]", "NaN"); the tree is walked without recursion, so any depth is safe."""
    found: list[tuple[str, str]] = []
    stack = [(path, tree)]
    while stack and len(found) < limit:
        where, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((f"{where}.{key}" if where else str(key), value) for key, value in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", value) for i, value in reversed(list(enumerate(item))))
        else:
            problem = number_problem(item)
            if problem is not None:
                found.append((where, problem))
    return found


PREVIEW_LIMIT = 30  # characters of a value quoted inside a longer message


def json_type(item: Any) -> str:
    """The JSON name of a Python value's type, for messages: "a number", "a string", "null" ..."""
    if item is None:
        return "null"
    if isinstance(item, bool):
        return "a boolean"
    if isinstance(item, (int, float)):
        return "a number"
    if isinstance(item, str):
        return "a string"
    if isinstance(item, list):
        return "a list"
    if isinstance(item, dict):
        return "an object"
    return type(item).__name__


def preview(item: Any) -> str:
    """A short repr of any task-file value for messages (errors.quoted, kept short): bounded in depth and length,
    so a list nested 900 levels deep or a 50 MB string costs nothing and cannot exhaust the stack."""
    return quoted(item, PREVIEW_LIMIT)

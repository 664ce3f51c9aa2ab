"""`$variable` references of a labeling config and how they reach into task data, as lodash `get` does.

Core layer, stdlib only. The editor resolves `value="$a.b[0]"` with lodash.get; these functions mirror it.
"""

from __future__ import annotations

import re
from typing import Any, Union

DataPath = tuple[Union[str, int], ...]

# The editor's variable pattern (utils/data.js parseValue). JavaScript's \w has no Unicode flag there, so
# only ASCII letters, digits and "_" take part.
VAR_RE = re.compile(r"\$[A-Za-z0-9_\[\].{}]+")
_INDEX_RE = re.compile(r"-?\d+")


def _split_path(path: str) -> DataPath:
    """lodash stringToPath: dots separate keys, [n] is an index, [key] a key, empty segments are kept."""
    parts: list[str | int] = []
    if path.startswith("."):
        parts.append("")
    i, n = 0, len(path)
    while i < n:
        ch = path[i]
        if ch == "[":
            end = path.find("]", i + 1)
            if end < 0:
                # lodash reads an unclosed bracket's text as plain keys
                parts.extend(p for p in re.split(r"[.\[\]]", path[i + 1:]) if p)
                break
            inner = path[i + 1:end]
            if _INDEX_RE.fullmatch(inner):
                parts.append(int(inner))
            elif inner:
                parts.append(inner)
            i = end + 1
            continue
        if ch == ".":
            # "a..b" and a trailing dot give empty keys in lodash
            if i + 1 >= n or path[i + 1] in ".":
                parts.append("")
            i += 1
            continue
        end = i
        while end < n and path[end] not in ".[]":
            end += 1
        if end == i:
            i += 1
            continue
        parts.append(path[i:end])
        i = end
    return tuple(parts)


def parse_data_path(expr: str | None) -> DataPath | None:
    """`"$a.b[0]"` -> `("a", "b", 0)`; None unless the whole expression is one `$variable`."""
    if not isinstance(expr, str):
        return None
    expr = expr.strip()
    if not VAR_RE.fullmatch(expr) or len(expr) < 2:
        return None
    return _split_path(expr[1:])


def data_vars(text: str | None) -> tuple[str, ...]:
    """Every `$variable` inside a text such as a Header value, in order, repeats removed."""
    if not text:
        return ()
    return tuple(dict.fromkeys(m.group(0) for m in VAR_RE.finditer(text)))


def format_data_path(path: DataPath) -> str:
    """`("a", "b", 0)` -> `"a.b[0]"`, the way a user writes it after the `$`."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + step
    return out


def _step(current: Any, key: str | int) -> Any:
    if isinstance(current, dict):
        if key in current:
            return current[key]
        # JavaScript object keys are strings: obj[0] is obj["0"]
        alt = str(key) if isinstance(key, int) else None
        if alt is not None and alt in current:
            return current[alt]
        raise LookupError
    if isinstance(current, list):
        index = key if isinstance(key, int) else (int(key) if key.isascii() and key.isdigit() else None)
        if index is None or index < 0 or index >= len(current):
            raise LookupError
        return current[index]
    raise LookupError


def lookup_data(data: Any, path: DataPath | str) -> Any:
    """Follow a data path into task data; KeyError naming the path up to the first missing step.

    `path` is a parsed tuple, or a `$expr` / `expr` string; a string that is itself a key of the data is
    taken whole first, as lodash does ("a.b" as one key).
    """
    if isinstance(path, str):
        expr = path[1:] if path.startswith("$") else path
        if isinstance(data, dict) and expr in data:
            return data[expr]
        path = _split_path(expr)
    current = data
    for depth, key in enumerate(path):
        try:
            current = _step(current, key)
        except LookupError:
            raise KeyError(format_data_path(path[:depth + 1]) or repr(key)) from None
    return current

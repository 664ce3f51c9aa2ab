"""The one JSON encoder of lsview's output (`validate --json`, `inspect`): strict RFC 8259, one line a record.

Core layer, no Qt. Task files may hold NaN, Infinity and lone surrogates, which Python's json would write as they
are; here NaN and +-Infinity become null (validate reports each such value as invalid-value), a lone surrogate
becomes U+FFFD, and lists or objects nested over MAX_DEPTH levels (Python's encoder would run out of stack) become
the string "(nested too deeply)", so any JSON reader takes every line.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Characters JSON leaves unescaped but that line readers (Python's str.splitlines, JavaScript) take for line
# breaks; escaped, each record stays on its one line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SURROGATES = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 100
TOO_DEEP = "(nested too deeply)"


def dumps(value: Any) -> str:
    """`value` as one line of strict JSON (no trailing newline)."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    except (ValueError, RecursionError):  # NaN, Infinity or deep nesting somewhere: the rare case pays twice
        text = json.dumps(_finite(value), ensure_ascii=False, allow_nan=False, default=str)
    if not text.isascii():
        text = _SURROGATES.sub("\ufffd", text).translate(_LINE_BREAKS)
    return text


def utf8_json(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False) for a file written as UTF-8, which cannot hold a lone surrogate (half of
    a UTF-16 pair, as task files may): then the text is written with escapes, and reads back exactly.
    RecursionError past the depth Python's json reaches."""
    text = json.dumps(value, ensure_ascii=False)
    if not text.isascii() and _SURROGATES.search(text):
        text = json.dumps(value)
    return text


def text_of(value: Any, *, canonical: bool = False) -> str:
    """json.dumps(value) that never runs out of stack (canonical: keys sorted, no spaces, for hashing). A tree
    nested past Python's recursion limit is written by a walk with a stack of its own, in the canonical form."""
    try:
        if canonical:
            return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return json.dumps(value, ensure_ascii=False, default=str)
    except RecursionError:
        return "".join(_canonical_tokens(value))


def _canonical_tokens(data: Any):
    """The canonical JSON text of a tree, token by token (keys sorted), walked with a stack instead of recursion."""
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            yield item.text
        elif isinstance(item, dict):
            stack.append(_Token("}"))
            for number, key in enumerate(sorted(item, key=str, reverse=True)):
                stack.extend((item[key], _Token(json.dumps(str(key), ensure_ascii=False) + ":")))
                if number < len(item) - 1:
                    stack.append(_Token(","))
            yield "{"
        elif isinstance(item, (list, tuple)):
            stack.append(_Token("]"))
            for number, value in enumerate(reversed(item)):
                stack.append(value)
                if number < len(item) - 1:
                    stack.append(_Token(","))
            yield "["
        else:
            yield json.dumps(item, ensure_ascii=False, default=str)


class _Token:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _finite(value: Any) -> Any:
    """A copy of a JSON tree with NaN and +-Infinity as None and anything deeper than MAX_DEPTH as TOO_DEEP;
    walked with a stack, so any depth is safe."""
    root: list[Any] = [value]
    stack: list[tuple[Any, Any, int]] = [(root, 0, 0)]
    while stack:
        container, key, depth = stack.pop()
        item = container[key]
        if type(item) is float and not math.isfinite(item):
            container[key] = None
        elif isinstance(item, (dict, list, tuple)) and depth >= MAX_DEPTH:
            container[key] = TOO_DEEP
        elif isinstance(item, dict):
            copy = dict(item)
            container[key] = copy
            stack.extend((copy, k, depth + 1) for k in copy)
        elif isinstance(item, (list, tuple)):
            copy = list(item)
            container[key] = copy
            stack.extend((copy, i, depth + 1) for i in range(len(copy)))
    return root[0]

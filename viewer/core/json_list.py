"""Decode a task file's JSON list fast, piece by piece, into exactly what Python's json module would give.

Core layer, no Qt. Python's json builds a 100,000-task file (56 MB) in 1.0-1.3 s and a heavy one (190 MB, half a
million regions) in 3-5 s; orjson builds the same objects in a third to a half of that. Two things keep it from
being a drop-in:

- One call holds the GIL for the whole file, freezing a window's thread for seconds. So the list is decoded in
  pieces of about PIECE bytes, cut between two tasks. Where tasks end is not known without parsing, so a cut is
  a guess: the bytes `}` `,` `{` followed by the same first keys as the first task (`{"id": 7, "data":`), and
  a guess is proven by the parse itself. A piece starts where a task starts; if `[` + piece + `]` parses, the
  piece is a run of whole tasks at the list's own level, so the `{` after it starts a task too. A wrong guess
  (a nested object that looks like a task) ends the piece inside an item, orjson stops at the closing `]`, and
  the piece grows to the next guess; after GUESSES wrong ones, or when the first task does not open with short
  keys, the rest is read in one go.
- orjson reads some documents differently: integers beyond 64 bits become floats (silently), NaN, Infinity,
  1e400, lone surrogate escapes and a byte-order mark are refused. A piece holding a run of 19 or more digits
  that is not a fraction is read by Python's json, and so is any piece orjson refuses elsewhere than at its end.

None means "read it your own way": not a list, not UTF-8, not JSON, nested deeper than the readers go. The
caller's reader then gives its answer or its error, with line and column. Without orjson installed everything
is read by Python's json, a piece at a time.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

try:
    import orjson
except ImportError:  # pragma: no cover - a platform without an orjson wheel: Python's json does it all
    orjson = None

PIECE = 1 << 20          # bytes per piece: ~10 ms of decoding; the caller may hand the GIL over between pieces
GUESSES = 4              # wrong cuts tried after one piece before reading the rest in one go
HEAD_BYTES = 4096        # where the first task's first keys must lie (a book-long first value: no cuts)
Step = Callable[[float], None]   # after each piece: how far through the file, 0..1

_WS = rb"[ \t\n\r]*"
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'      # unrolled: 20-50x faster on long strings than (a|b)*
_SCALAR = rb'(?:-?[0-9][0-9.eE+-]*|' + _STRING + rb"|true|false|null)"
# The first item's opening: `{`, its first key, and the second key when the first value is a scalar.
_HEAD = re.compile(rb"\{" + _WS + rb"(" + _STRING + rb")" + _WS + rb":" + _WS
                   + rb"(?:" + _SCALAR + _WS + rb"," + _WS + rb"(" + _STRING + rb")" + _WS + rb":)?")
_DIGITS = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))   # every digit -> "0", the rest -> " "
_LONG_NUMBER = b"0" * 19          # 19 digits: the shortest integer orjson may turn into a float
_BOM = b"\xef\xbb\xbf"
_SPACE = b" \t\n\r"
_LINE_BREAK = re.compile("\r\n|\r|\n")


def _cut_pattern(blob: bytes, first: int) -> re.Pattern | None:
    """Where a task like the first one starts after another: `}` `,` `{` and the first task's first keys; None
    when the first item does not open with a short key (the list is then read in one go)."""
    head = _HEAD.match(blob, first, min(len(blob), first + HEAD_BYTES))
    if head is None:
        return None
    pattern = rb"\}" + _WS + rb"," + _WS + rb"(\{)" + _WS + re.escape(head.group(1)) + _WS + rb":" + _WS
    if head.group(2) is not None:
        pattern += _SCALAR + _WS + rb"," + _WS + re.escape(head.group(2)) + _WS + rb":"
    return re.compile(pattern)


def _has_long_integer(piece: bytes) -> bool:
    """Whether the piece may hold an integer orjson reads wrong: 19 or more digits in a row, not after a `.`
    (fractions such as 0.0002394293629056632 are read right). Digits inside strings count too: a false alarm
    only sends the piece to Python's json."""
    digits = piece.translate(_DIGITS)
    found = digits.find(_LONG_NUMBER)       # the leftmost: a run's first digit
    while found >= 0:
        if found == 0 or piece[found - 1] != 46:   # not a fraction's digits
            return True
        end = digits.find(b" ", found)      # where the run ends
        if end < 0:
            return False
        found = digits.find(_LONG_NUMBER, end)
    return False


def _decode_piece(piece: bytes) -> list | None:
    """The items of `[` + piece + `]`, as Python's json reads them from UTF-8 text; None when that is not a JSON
    list (or not UTF-8: the caller's reader says so)."""
    document = b"[" + piece + b"]"
    if orjson is not None and not _has_long_integer(piece):
        try:
            return orjson.loads(document)
        except orjson.JSONDecodeError as exc:
            if not exc.doc or exc.pos >= len(exc.doc) - 1:
                # Not UTF-8, or stopped at the closing `]` or past it: the piece ends inside an item (a wrong cut).
                return None
            # Else maybe NaN or a lone surrogate escape, which Python's json reads.
    try:
        return json.loads(document.decode("utf-8"))   # strictly: json.loads(bytes) lets UTF-8 surrogates through
    except (ValueError, RecursionError):   # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


def lines(text: str) -> list[str]:
    """The lines of a JSON Lines text, split where Python's text files split them (\\n, \\r\\n, \\r) and
    nowhere else: str.splitlines also splits at U+2028, U+0085 and form feeds, which JSON allows raw inside
    strings."""
    if text.count("\r") == text.count("\r\n"):   # no line ends in a lone \r: the fast split (0.4 s less)
        return text.split("\n")                   # a \r left before the \n is JSON whitespace
    return _LINE_BREAK.split(text)


def line_reader(blob: bytes) -> Callable[[str], Any]:
    """How to decode each line of a JSON Lines file: orjson with Python's json where orjson refuses a line (the
    json module then reads it or raises its own error), or Python's json for all lines when the file holds a
    number orjson would read wrong."""
    if orjson is None or _has_long_integer(blob):
        return json.loads

    def decode(line: str) -> Any:
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            return json.loads(line)

    return decode


def list_items(blob: bytes, step: Step | None = None) -> list[Any] | None:
    """The items of a document that is one JSON list, decoded in pieces; None when the document is not a list or
    cannot be decoded (the caller's own reader then gives its answer or error)."""
    start = _skip_space(blob, 3 if blob.startswith(_BOM) else 0)
    end = len(blob)
    while end > start and blob[end - 1] in _SPACE:
        end -= 1
    if start >= end or blob[start] != 0x5B or blob[end - 1] != 0x5D:   # [ ... ]
        return None
    first, close = start + 1, end - 1                # the list's inside: blob[first:close]
    cuts = _cut_pattern(blob, _skip_space(blob, first))
    items: list[Any] = []
    position = first
    while position < close:
        decoded, position = _next_piece(blob, position, close, cuts)
        if decoded is None:
            return None
        items.extend(decoded)
        if step is not None:
            step(position / len(blob))
    return items


def _skip_space(blob: bytes, position: int) -> int:
    while position < len(blob) and blob[position] in _SPACE:
        position += 1
    return position


def _next_piece(blob: bytes, position: int, close: int, cuts: re.Pattern | None) -> tuple[list | None, int]:
    """Decode from `position` (where an item starts) to a proven cut about PIECE bytes on, or to the end:
    (items, where the next item starts) or (None, position) when no reading works."""
    if cuts is not None and position + PIECE < close:
        search_from = position + PIECE
        for _ in range(GUESSES):
            found = cuts.search(blob, search_from, close)
            if found is None:
                break
            decoded = _decode_piece(blob[position:found.start() + 1])   # to the `}` that ends the last item
            if decoded is not None:
                return decoded, found.start(1)
            search_from = found.start(1)
    return _decode_piece(blob[position:close]), close

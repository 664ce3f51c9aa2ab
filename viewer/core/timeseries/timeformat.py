"""d3's utcParse / utcFormat (d3-time-format, en-US), which Label Studio's <TimeSeries timeFormat> uses, in Python.

Core layer, no Qt. Times are milliseconds since 1970-01-01 UTC, as the editor keeps them (Date.getTime()). Parsing
follows d3: each number directive reads at most its width of characters (leading blanks included), literal
characters must match, and the whole string must be used; anything else is no time (None).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Callable

_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_NUMBER = re.compile(r"\s*\d+")
_SIGNED = re.compile(r"\s*-?\d+")
_ZONE = re.compile(r"(Z)|([+-]\d\d)(?::?(\d\d))?")
_PADS = {"-": "", "_": " ", "0": "0"}
# Directives that stand for others (en-US locale): %c, %x, %X.
_EXPANSIONS = {"c": "%x, %X", "x": "%-m/%-d/%Y", "X": "%-I:%M:%S %p"}
_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
_MS_PER_DAY = 86_400_000


def _names(names: tuple[str, ...], short: bool) -> re.Pattern:
    words = [name[:3] if short else name for name in names]
    return re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)


_NAME_RES = {"a": _names(_DAYS, True), "A": _names(_DAYS, False), "b": _names(_MONTHS, True),
             "B": _names(_MONTHS, False)}
# Number directives: (width read, field set).
_WIDTHS = {"Y": (4, "y"), "y": (2, "y2"), "m": (2, "m"), "d": (2, "d"), "e": (2, "d"), "H": (2, "H"),
           "I": (2, "H"), "M": (2, "M"), "S": (2, "S"), "L": (3, "L"), "f": (6, "f"), "j": (3, "j"),
           "u": (1, "u"), "w": (1, "w")}


def _expand(specifier: str) -> str:
    out, i = [], 0
    while i < len(specifier):
        c = specifier[i]
        if c == "%" and i + 1 < len(specifier):
            j = i + 1 + (specifier[i + 1] in _PADS)
            if j < len(specifier) and specifier[j] in _EXPANSIONS:
                out.append(_EXPANSIONS[specifier[j]])
                i = j + 1
                continue
            out.append(specifier[i:j + 1])
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _read(specifier: str, text: str, fields: dict) -> int:
    """d3's parseSpecifier: the index in `text` after the match, -1 when it does not match."""
    i, j = 0, 0
    n = len(specifier)
    while i < n:
        c = specifier[i]
        i += 1
        if c != "%":
            if j >= len(text) or text[j] != c:
                return -1
            j += 1
            continue
        if i >= n:
            return -1
        c = specifier[i]
        i += 1
        if c in _PADS:
            if i >= n:
                return -1
            c = specifier[i]
            i += 1
        j = _directive(c, text, j, fields)
        if j < 0:
            return -1
    return j


def _directive(c: str, text: str, j: int, fields: dict) -> int:
    if c in _WIDTHS:
        width, key = _WIDTHS[c]
        found = _NUMBER.match(text[j:j + width])
        if not found:
            return -1
        fields[key] = int(found.group())
        return j + found.end()
    if c in _NAME_RES:
        found = _NAME_RES[c].match(text, j)
        if not found:
            return -1
        word = found.group(1).lower()
        if c in "bB":
            fields["m"] = next(k for k, name in enumerate(_MONTHS) if name.lower().startswith(word)) + 1
        return found.end()
    if c == "p":
        found = re.compile(r"(am|pm)", re.IGNORECASE).match(text, j)
        if not found:
            return -1
        fields["p"] = found.group(1).lower() == "pm"
        return found.end()
    if c in "Qs":
        found = _SIGNED.match(text, j)
        if not found:
            return -1
        fields[c] = int(found.group())
        return found.end()
    if c == "Z":
        found = _ZONE.match(text, j)
        if not found:
            return -1
        if found.group(1):
            fields["Z"] = 0
        else:
            hours = int(found.group(2))
            minutes = int(found.group(3) or 0)
            fields["Z"] = hours * 60 + (minutes if hours >= 0 and not found.group(2).startswith("-") else -minutes)
        return found.end()
    if c == "%":
        return j + 1 if text[j:j + 1] == "%" else -1
    return -1  # a directive d3 does not parse (or does not know): no time


def _utc_ms(year: int, month0: int, day: int, hours: int, minutes: int, seconds: int, ms: int) -> float | None:
    """Date.UTC: fields past their range carry over (month 13 is January of the next year, day 0 the last of the
    month before)."""
    year += month0 // 12
    month0 %= 12
    if not 1 <= year <= 9999:
        return None
    days = _dt.date(year, month0 + 1, 1).toordinal() - _EPOCH_ORDINAL + day - 1
    return float(days * _MS_PER_DAY + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms)


class TimeFormat:
    """One d3 time specifier: parse (utcParse) and format (utcFormat)."""

    def __init__(self, specifier: str):
        self.specifier = specifier
        self._expanded = _expand(specifier)

    def parse(self, text: str) -> float | None:
        """Milliseconds since the epoch (UTC), or None when the text does not fit the format."""
        fields: dict = {}
        if _read(self._expanded, text, fields) != len(text):
            return None
        if "Q" in fields:
            return float(fields["Q"])
        if "s" in fields:
            return float(fields["s"] * 1000 + fields.get("L", 0))
        year = fields.get("y")
        if year is None:
            year = fields["y2"] + (1900 if fields["y2"] > 68 else 2000) if "y2" in fields else 1900
        hours = fields.get("H", 0)
        if "p" in fields:
            hours = hours % 12 + 12 * fields["p"]
        ms = fields.get("L", fields.get("f", 0) // 1000)
        if "j" in fields and "m" not in fields and "d" not in fields:
            month0, day = 0, fields["j"]
        else:
            month0, day = fields.get("m", 1) - 1, fields.get("d", 1)
        minutes = fields.get("M", 0) - fields.get("Z", 0)  # an offset east of UTC is that much earlier in UTC
        return _utc_ms(year, month0, day, hours, minutes, fields.get("S", 0), ms)

    def format(self, ms: float) -> str:
        """The time written with the format, in UTC."""
        if not math.isfinite(ms):
            return "Invalid Date"  # what d3 writes for an invalid date
        whole = math.floor(ms)
        moment = _dt.datetime(1970, 1, 1) + _dt.timedelta(milliseconds=whole)
        out, i, spec = [], 0, self._expanded
        while i < len(spec):
            c = spec[i]
            i += 1
            if c != "%" or i >= len(spec):
                out.append(c)
                continue
            pad = None
            if spec[i] in _PADS:
                pad = _PADS[spec[i]]
                i += 1
                if i >= len(spec):
                    break
            c = spec[i]
            i += 1
            write = _FORMATS.get(c)
            out.append(write(moment, whole, pad) if write is not None else c)
        return "".join(out)


def _pad(value: int, width: int, fill: str | None, default: str = "0") -> str:
    fill = default if fill is None else fill
    text = str(abs(value))
    if fill:
        text = text.rjust(width, fill)
    return ("-" if value < 0 else "") + text


_FORMATS: dict[str, Callable[[_dt.datetime, int, str | None], str]] = {
    "a": lambda t, ms, p: _DAYS[(t.weekday() + 1) % 7][:3],
    "A": lambda t, ms, p: _DAYS[(t.weekday() + 1) % 7],
    "b": lambda t, ms, p: _MONTHS[t.month - 1][:3],
    "B": lambda t, ms, p: _MONTHS[t.month - 1],
    "d": lambda t, ms, p: _pad(t.day, 2, p),
    "e": lambda t, ms, p: _pad(t.day, 2, p, " "),
    "f": lambda t, ms, p: _pad(t.microsecond, 6, p),
    "H": lambda t, ms, p: _pad(t.hour, 2, p),
    "I": lambda t, ms, p: _pad(t.hour % 12 or 12, 2, p),
    "j": lambda t, ms, p: _pad(t.timetuple().tm_yday, 3, p),
    "L": lambda t, ms, p: _pad(t.microsecond // 1000, 3, p),
    "m": lambda t, ms, p: _pad(t.month, 2, p),
    "M": lambda t, ms, p: _pad(t.minute, 2, p),
    "p": lambda t, ms, p: "PM" if t.hour >= 12 else "AM",
    "Q": lambda t, ms, p: str(ms),
    "s": lambda t, ms, p: str(ms // 1000),
    "S": lambda t, ms, p: _pad(t.second, 2, p),
    "u": lambda t, ms, p: str(t.isoweekday()),
    "w": lambda t, ms, p: str((t.weekday() + 1) % 7),
    "y": lambda t, ms, p: _pad(t.year % 100, 2, p),
    "Y": lambda t, ms, p: _pad(t.year % 10000, 4, p),
    "Z": lambda t, ms, p: "+0000",
    "%": lambda t, ms, p: "%",
}


_FRACTION = re.compile(r"\.(\d{0,3})\b")
_MICROSECONDS = re.compile(r"\.(\d{3})\d{3}$")


def editor_time_format(specifier: str) -> tuple[TimeFormat, Callable[[str], str]]:
    """The format the editor parses a time column with and how it first rewrites each value: %f becomes %L with a
    six-digit fraction cut to three, and a fraction of up to three digits is padded to three (TimeSeries.jsx
    dataObj)."""
    micro = "%f" in specifier
    actual = TimeFormat(specifier.replace("%f", "%L", 1) if micro else specifier)

    def prepare(text: str) -> str:
        if micro:
            text = _MICROSECONDS.sub(lambda m: "." + m.group(1), text)
        if "." in text:
            text = _FRACTION.sub(lambda m: "." + m.group(1).ljust(3, "0"), text, count=1)
        return text

    return actual, prepare

"""A <TimeSeries> tag as the editor reads it: data source, time column and format, channels with their colours.

Core layer, no Qt. Attribute defaults and the channel palette are Label Studio 1.23.2's (TimeSeries.jsx,
TimeSeries/Channel.jsx, TimeSeries/palette.js with the light theme's colours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from viewer.core.config import ObjectTag
from viewer.core.numbers import finite
from viewer.core.timeseries.timeformat import TimeFormat, editor_time_format

# palette.js colorOrder (grape, mango, kale, persimmon, sand, kiwi, canteloupe, fig, plum, blueberry), each token's
# light-theme value (the 400 shade; sand's "bold" is sand-700).
CHANNEL_PALETTE = ("#6d87f1", "#faba4c", "#57b7ab", "#ff7557", "#45433e", "#78b757", "#ffa663", "#ac79d2",
                   "#e37bd3", "#539eee")
SEPARATOR_ALIASES = {"tab": "\t", "\\t": "\t", "space": " ", "auto": "auto", "comma": ",", "dot": "."}
DEFAULT_HEIGHT = 200  # <Channel height>: the plot area of one channel, in px


@dataclass(frozen=True)
class ChannelSpec:
    """One <Channel>: the column it plots (a name, or a header index written as digits) and how."""

    column: str
    legend: str
    units: str
    stroke_color: str
    stroke_width: float
    height: int
    interpolation: str     # d3 curve name; curveStep is the editor's default
    display_format: str

    def column_name(self, headers: Sequence[str]) -> str:
        """The data key the editor looks the channel up by (Channel.jsx columnName): digits name a header by
        index when the CSV has that many, and the name is lower-cased."""
        column = self.column
        if column.isdigit() and column.isascii() and int(column) < len(headers):
            column = headers[int(column)] or column
        return column.lower()


@dataclass(frozen=True)
class SeriesSpec:
    """One <TimeSeries> object."""

    name: str
    value: str | None
    value_type: str            # "url" (the editor's default) or "json" (the data is in the task)
    time_column: str           # "" when the editor makes 0-based row indices
    time_format: str
    time_display_format: str
    sep: str                   # the separator as the editor uses it (aliases and first-character rule applied)
    channels: tuple[ChannelSpec, ...]
    overview_channels: str
    overview_width: float = 0.25   # the share of the data the editor first shows (overviewWidth, default 25%)

    @property
    def key_column(self) -> str:
        """The data key of the time column, lower-cased as the editor looks it up (empty without a timeColumn)."""
        return self.time_column.lower()

    @property
    def parses_dates(self) -> bool:
        """Times are date strings in timeFormat, kept as milliseconds since the epoch (UTC)."""
        return bool(self.time_format and self.time_column)

    @property
    def is_date(self) -> bool:
        """The axis shows dates (TimeSeries.jsx isDate)."""
        display = self.time_display_format
        return bool(self.time_format) or bool(display and display[0].isalpha())

    def time_of(self, raw: object) -> float | None:
        """A region's start or end in the axis's units: milliseconds for a date string in timeFormat, the number
        itself otherwise (TimeSeriesRegion afterCreate parses strings only); None when it is no time."""
        if isinstance(raw, bool):
            return None
        if isinstance(raw, (int, float)):
            return finite(raw)  # an integer too large for a float, NaN or Infinity is no time
        if not isinstance(raw, str):
            return None
        if self.parses_dates:
            parser, prepare = editor_time_format(self.time_format)
            return parser.parse(prepare(raw))
        return js_number(raw)

    def write_time(self, time: float) -> float | str:
        """A time as the editor serializes a region's start/end: utcFormat(timeFormat) or a number."""
        if self.time_format:
            return TimeFormat(self.time_format).format(time)
        return int(time) if float(time).is_integer() else time


def js_number(text: str) -> float | None:
    """JavaScript's Number(text), None for NaN: blanks trimmed, "" is 0, hex/binary/octal integers, Infinity."""
    text = text.strip()
    if not text:
        return 0.0
    lowered = text.lower()
    if lowered[:2] in ("0x", "0b", "0o") and text[:1] == "0":
        try:
            return float(int(text[2:], {"x": 16, "b": 2, "o": 8}[lowered[1]]))
        except ValueError:
            return None
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return float(text.replace("Infinity", "inf"))
    if not all(ch in "0123456789+-.eE" for ch in text):
        return None  # Python's float() takes "nan", "inf" and "1_000", which Number() does not
    try:
        return float(text)
    except ValueError:
        return None


def _sep(given: str) -> str:
    if len(given) > 1:
        return SEPARATOR_ALIASES.get(given, given[0])
    return given


def series_spec(tag: ObjectTag, channel_attrs: Sequence) -> SeriesSpec:
    attrs = tag.attrs
    channels = []
    for index, channel in enumerate(channel_attrs):
        height = channel.get("height", str(DEFAULT_HEIGHT)).strip()
        width = channel.get("strokeWidth", "1").strip()
        channels.append(ChannelSpec(
            column=channel.get("column", ""), legend=channel.get("legend", ""), units=channel.get("units", ""),
            stroke_color=channel.get("strokeColor") or CHANNEL_PALETTE[index % len(CHANNEL_PALETTE)],
            stroke_width=float(width) if _plain_number(width) else 1.0,
            height=max(20, int(float(height))) if _plain_number(height) else DEFAULT_HEIGHT,
            interpolation=channel.get("interpolation", "curveStep"),
            display_format=channel.get("displayFormat", ".1f")))
    return SeriesSpec(
        name=tag.name, value=tag.value, value_type=(attrs.get("valueType") or "url").lower(),
        time_column=attrs.get("timeColumn", ""), time_format=attrs.get("timeFormat", ""),
        time_display_format=attrs.get("timeDisplayFormat", ""), sep=_sep(attrs.get("sep", ",")),
        channels=tuple(channels), overview_channels=attrs.get("overviewChannels", ""),
        overview_width=_share(attrs.get("overviewWidth", "25%")))


def _share(text: str) -> float:
    """overviewWidth as the editor reads it: the digits before a final %, else 25, at most 100 (percent)."""
    found = re.search(r"(\d+)%$", text)
    return min(int(found.group(1)) if found else 25, 100) / 100


def _plain_number(text: str) -> bool:
    try:
        return 0 < float(text) < 10_000
    except ValueError:
        return False

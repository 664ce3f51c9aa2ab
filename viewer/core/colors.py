"""Colours as the Label Studio editor computes them: CSS parsing, generated label colours, region fills.

Label colours follow PleaseJS 0.4.2 `make_color({seed})`; fills follow chroma-js 2.x `darken(0.3).alpha(a)`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable

from PIL import ImageColor

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "RGBA",
    "DEFAULT_LABEL_BACKGROUND",
    "parse_color",
    "to_css",
    "to_hex",
    "default_label_color",
    "default_label_colors",
    "label_background",
    "darken",
    "fill_color",
]

RGBA = tuple[int, int, int, float]

# LS 1.23.2 core/Constants.ts LABEL_BACKGROUND (older editors used "#36B37E").
DEFAULT_LABEL_BACKGROUND = "#DA935D"

_Floats = tuple[float, float, float, float]


# ---------------------------------------------------------------- JavaScript number semantics

def _js_round(x: float) -> int:
    """Math.round: halves go towards +infinity (Python's round() would go to even)."""
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole


def _js_number(x: float) -> str:
    """Number.prototype.toString, so alphas print as the editor prints them (0.2, 1e-7, 0)."""
    if x == 0:
        return "0"
    # repr gives the same shortest round-trip digits as JS; only the layout rules differ.
    sign, digits, exponent = Decimal(repr(float(x))).normalize().as_tuple()
    text = "".join(map(str, digits))
    k = len(text)
    n = exponent + k
    if k <= n <= 21:
        body = text + "0" * (n - k)
    elif 0 < n <= 21:
        body = text[:n] + "." + text[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * -n + text
    else:
        e = n - 1
        mantissa = text[0] + ("." + text[1:] if k > 1 else "")
        body = f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"
    return ("-" if sign else "") + body


def _clamp(x: float, low: float, high: float) -> float:
    return max(low, min(high, x))


# ---------------------------------------------------------------- parsing

_HEX_RE = re.compile(r"#([0-9a-f]+)")
_FUNC_RE = re.compile(r"(rgba?|hsla?)\((.*)\)", re.S)
_NUMBER_RE = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%|deg|grad|rad|turn)?")

_HUE_UNIT_DEGREES = {None: 1.0, "deg": 1.0, "grad": 0.9, "rad": 180.0 / math.pi, "turn": 360.0}


def _two_decimal_alpha(byte: int) -> float:
    # chroma-js keeps only two decimals of a hex alpha, and LS prints what chroma keeps.
    return _js_round(byte / 255 * 100) / 100


def _parse_hex(digits: str, original: str) -> _Floats:
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits)
    if len(digits) not in (6, 8):
        raise ValueError(f"bad hex colour {original!r}: expected 3, 4, 6 or 8 hex digits after '#'")
    r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    alpha = _two_decimal_alpha(int(digits[6:8], 16)) if len(digits) == 8 else 1.0
    return float(r), float(g), float(b), alpha


def _split_arguments(inner: str, original: str) -> tuple[list[str], str | None]:
    """Both CSS syntaxes: legacy `a, b, c[, alpha]` and modern `a b c [/ alpha]`."""
    if "," in inner:
        if "/" in inner:
            raise ValueError(f"bad colour {original!r}: '/' cannot be mixed with commas")
        parts = [p.strip() for p in inner.split(",")]
        if len(parts) == 4:
            return parts[:3], parts[3]
        return parts, None
    main, slash, alpha = inner.partition("/")
    parts = main.split()
    if slash:
        alpha = alpha.strip()
        if not alpha or len(alpha.split()) != 1:
            raise ValueError(f"bad colour {original!r}: expected one alpha value after '/'")
        return parts, alpha
    return parts, None


def _number(token: str, original: str, allowed: tuple[str | None, ...]) -> tuple[float, str | None]:
    match = _NUMBER_RE.fullmatch(token)
    if not match or match.group(2) not in allowed:
        raise ValueError(f"bad colour {original!r}: {token!r} is not a valid value here")
    return float(match.group(1)), match.group(2)


def _alpha_value(token: str | None, original: str) -> float:
    if token is None:
        return 1.0
    value, unit = _number(token, original, (None, "%"))
    if unit == "%":
        value /= 100
    return _clamp(value, 0.0, 1.0)


def _hsl_to_rgb(h: float, s: float, l: float) -> tuple[float, float, float]:
    """chroma-js hsl2rgb, including its quirk that greys are not rounded."""
    if s == 0:
        grey = l * 255
        return grey, grey, grey
    t2 = l * (1 + s) if l < 0.5 else l + s - l * s
    t1 = 2 * l - t2
    h_ = h / 360
    channels = []
    for t in (h_ + 1 / 3, h_, h_ - 1 / 3):
        if t < 0:
            t += 1
        if t > 1:
            t -= 1
        if 6 * t < 1:
            c = t1 + (t2 - t1) * 6 * t
        elif 2 * t < 1:
            c = t2
        elif 3 * t < 2:
            c = t1 + (t2 - t1) * (2 / 3 - t) * 6
        else:
            c = t1
        channels.append(float(_js_round(c * 255)))
    return channels[0], channels[1], channels[2]


def _parse_function(name: str, inner: str, original: str) -> _Floats:
    parts, alpha_token = _split_arguments(inner, original)
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"bad colour {original!r}: {name}() takes 3 values plus an optional alpha")
    alpha = _alpha_value(alpha_token, original)
    if name.startswith("rgb"):
        channels = []
        for token in parts:
            value, unit = _number(token, original, (None, "%"))
            if unit == "%":
                # chroma-js rounds percentages on parse (50% -> 127, not the browser's 128).
                value = _js_round(value * 2.55)
            channels.append(_clamp(value, 0.0, 255.0))
        return channels[0], channels[1], channels[2], alpha
    hue, hue_unit = _number(parts[0], original, tuple(_HUE_UNIT_DEGREES))
    hue *= _HUE_UNIT_DEGREES[hue_unit]
    if not 0 <= hue <= 360:
        # chroma's hue wrap only copes with one turn either way; CSS means any angle modulo 360.
        hue %= 360
    s, _ = _number(parts[1], original, (None, "%"))
    l, _ = _number(parts[2], original, (None, "%"))
    r, g, b = _hsl_to_rgb(hue, _clamp(s * 0.01, 0.0, 1.0), _clamp(l * 0.01, 0.0, 1.0))
    return r, g, b, alpha


def _parse_floats(css: str) -> _Floats:
    """Parse to unrounded channels, as chroma-js holds them before it prints."""
    if not isinstance(css, str):
        raise ValueError(f"a colour must be a string, not {type(css).__name__}")
    text = css.strip().lower()
    if not text:
        raise ValueError("empty colour")
    match = _HEX_RE.fullmatch(text)
    if match:
        return _parse_hex(match.group(1), css)
    if text.startswith("#"):
        raise ValueError(f"bad hex colour {css!r}: only 0-9 and a-f may follow '#'")
    match = _FUNC_RE.fullmatch(text)
    if match:
        return _parse_function(match.group(1), match.group(2), css)
    if text == "transparent":
        return 0.0, 0.0, 0.0, 0.0
    if text in ImageColor.colormap:
        r, g, b = ImageColor.getrgb(text)[:3]
        return float(r), float(g), float(b), 1.0
    raise ValueError(f"not a CSS colour: {css!r}")


def _to_rgba(r: float, g: float, b: float, a: float) -> RGBA:
    return (_js_round(_clamp(r, 0.0, 255.0)), _js_round(_clamp(g, 0.0, 255.0)),
            _js_round(_clamp(b, 0.0, 255.0)), float(_clamp(a, 0.0, 1.0)))


def parse_color(css: str) -> RGBA:
    """Parse a CSS colour as written in a labeling config; ValueError says what is wrong with it."""
    return _to_rgba(*_parse_floats(css))


# ---------------------------------------------------------------- printing

def to_css(rgba: RGBA) -> str:
    """chroma-js `.css()`: `rgb(r,g,b)` when opaque, else `rgba(r,g,b,a)`."""
    r, g, b, a = _to_rgba(*rgba)
    if a < 1:
        return f"rgba({r},{g},{b},{_js_number(a)})"
    return f"rgb({r},{g},{b})"


def to_hex(rgba: RGBA) -> str:
    r, g, b, _ = _to_rgba(*rgba)
    return f"#{r:02x}{g:02x}{b:02x}"


# ---------------------------------------------------------------- PleaseJS default label colours

_PHI = 0.618033988749895  # PleaseJS's golden-ratio constant, exactly as it writes it
_SATURATION = 0.4  # make_color's fallbacks when no saturation/value option is given, as LS does
_VALUE = 0.75


class _Rc4Random:
    """PleaseJS's seeded generator: RC4 keyed by UTF-16 code units, 8 bytes per draw."""

    def __init__(self, units: list[int]):
        state = list(range(256))
        j = 0
        for i in range(256):
            j = (j + state[i] + units[i % len(units)]) % 256
            state[i], state[j] = state[j], state[i]
        self._state = state
        self._i = 0
        self._j = 0

    def _byte(self) -> int:
        s = self._state
        self._i = (self._i + 1) % 256
        self._j = (self._j + s[self._i]) % 256
        s[self._i], s[self._j] = s[self._j], s[self._i]
        return s[(s[self._i] + s[self._j]) % 256]

    def random(self) -> float:
        # Summed in doubles like the JS, which drops low bits past 2**53 before dividing.
        number = 0.0
        multiplier = 1.0
        for _ in range(8):
            number += self._byte() * multiplier
            multiplier *= 256
        return number / 18446744073709551616.0


def _utf16_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[k:k + 2], "little") for k in range(0, len(data), 2)]


# An empty seed has no key bytes: in JS every key byte is NaN, the table gets holes and a "NaN"
# slot, and the draw still yields numbers. Modelling that for one input is not worth the code, so
# this is the result of the same steps run under JavaScript semantics.
_EMPTY_SEED_COLOR = "#7cbf72"


def _hue_color(random_hue: int) -> str:
    """make_color's HSV -> hex step for one of the 361 hues a seed can draw."""
    hue = math.fmod(random_hue + random_hue / _PHI, 360)
    h = hue / 60
    sector = math.floor(h)
    f = h - sector
    v = _VALUE
    p = v * (1 - _SATURATION)
    q = v * (1 - _SATURATION * f)
    t = v * (1 - _SATURATION * (1 - f))
    r, g, b = ((v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q))[sector]
    return "#" + "".join(f"{math.floor(c * 255):02x}" for c in (r, g, b))


# A seed only picks one of 361 hues, so the colours themselves are worked out once.
_HUE_COLORS = tuple(_hue_color(n) for n in range(361))


def default_label_color(value: str) -> str:
    """The colour LS gives a Label without its own background: `#rrggbb`, lower case."""
    units = _utf16_units(value)
    if not units:
        return _EMPTY_SEED_COLOR
    return _HUE_COLORS[math.floor(_Rc4Random(units).random() * 361)]


# Rows per numpy pass: 256 state bytes a row, so a block stays a few megabytes whatever the label count.
_BLOCK = 16384
# Fewer distinct values than this are seeded one by one (80 us each): cheaper than importing numpy (60-100 ms),
# which a config of a few labels, parsed by every command, would otherwise load for nothing.
_VECTOR_FROM = 128


def default_label_colors(values: Iterable[str]) -> dict[str, str]:
    """default_label_color of many values at once (distinct value -> colour), RC4 run in numpy across seeds."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) < _VECTOR_FROM:
        return {value: default_label_color(value) for value in distinct}
    import numpy as np

    keys: dict[int, list[tuple[str, bytes]]] = {}
    colours: dict[str, str] = {}
    for value in distinct:
        data = value.encode("utf-16-le", "surrogatepass")
        if not data:
            colours[value] = _EMPTY_SEED_COLOR
            continue
        colours[value] = ""
        keys.setdefault(len(data), []).append((value, data))
    for size, group in keys.items():
        for start in range(0, len(group), _BLOCK):
            block = group[start:start + _BLOCK]
            units = np.frombuffer(b"".join(data for _, data in block), dtype="<u2").reshape(len(block), size // 2)
            for (value, _), hue in zip(block, _random_hues(units)):
                colours[value] = _HUE_COLORS[hue]
    return colours


def _random_hues(units: np.ndarray) -> list[int]:
    """_Rc4Random(units).random() * 361, floored, for every row of UTF-16 key units."""
    import numpy as np

    rows, length = units.shape
    # One row per state slot (rows of seeds side by side) so slot i of every seed is one contiguous run.
    # Key scheduling adds key units modulo 256, so only their low bytes matter; uint8 sums wrap the same way.
    key = np.ascontiguousarray((units.T[np.arange(256) % length] & 0xFF).astype(np.uint8))
    state = np.repeat(np.arange(256, dtype=np.uint8)[:, None], rows, axis=1)
    flat = state.reshape(-1)
    seed = np.arange(rows, dtype=np.intp)
    j = np.zeros(rows, dtype=np.uint8)
    for i in range(256):
        column = state[i].copy()
        j += column
        j += key[i]
        where = j.astype(np.intp) * rows + seed
        state[i] = flat[where]
        flat[where] = column
    j = np.zeros(rows, dtype=np.uint8)
    number = np.zeros(rows, dtype=np.float64)
    multiplier = 1.0
    for i in range(1, 9):
        si = state[i].copy()
        j += si
        where = j.astype(np.intp) * rows + seed
        sj = flat[where]
        state[i] = sj
        flat[where] = si
        # Same additions in the same order as _Rc4Random.random, so the doubles round alike.
        number += flat[(si + sj).astype(np.intp) * rows + seed] * multiplier
        multiplier *= 256
    return np.floor(number / 18446744073709551616.0 * 361).astype(np.intp).tolist()


def label_background(value: str, background: str | None) -> str:
    """A Label's background as LS resolves it: generated when absent or equal to the default constant."""
    # LS compares the attribute string with === (no case folding, no trimming), so only the exact
    # constant is replaced; "#da935d" stays as written.
    if background is None or background == DEFAULT_LABEL_BACKGROUND:
        return default_label_color(value)
    return background


# ---------------------------------------------------------------- chroma-js Lab darken

# chroma-js 2.x lab-constants: D65 white and the 4/29, 6/29 knots rounded to nine digits.
_KN = 18
_XN, _YN, _ZN = 0.950470, 1.0, 1.088830
_T0 = 0.137931034
_T1 = 0.206896552
_T2 = 0.12841855
_T3 = 0.008856452


def _rgb_to_linear(c: float) -> float:
    c /= 255
    if c <= 0.04045:
        return c / 12.92
    return ((c + 0.055) / 1.055) ** 2.4


def _xyz_to_lab_f(t: float) -> float:
    if t > _T3:
        return t ** (1 / 3)
    return t / _T2 + _T0


def _rgb_to_lab(r: float, g: float, b: float) -> tuple[float, float, float]:
    r, g, b = _rgb_to_linear(r), _rgb_to_linear(g), _rgb_to_linear(b)
    x = _xyz_to_lab_f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / _XN)
    y = _xyz_to_lab_f((0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / _YN)
    z = _xyz_to_lab_f((0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / _ZN)
    lightness = 116 * y - 16
    return max(lightness, 0.0), 500 * (x - y), 200 * (y - z)


def _lab_to_xyz_f(t: float) -> float:
    if t > _T1:
        return t * t * t
    return _T2 * (t - _T0)


def _linear_to_rgb(c: float) -> float:
    return 255 * (12.92 * c if c <= 0.00304 else 1.055 * c ** (1 / 2.4) - 0.055)


def _lab_to_rgb(lightness: float, a: float, b: float) -> tuple[float, float, float]:
    y = (lightness + 16) / 116
    x = y + a / 500
    z = y - b / 200
    y = _YN * _lab_to_xyz_f(y)
    x = _XN * _lab_to_xyz_f(x)
    z = _ZN * _lab_to_xyz_f(z)
    return (_linear_to_rgb(3.2404542 * x - 1.5371385 * y - 0.4985314 * z),
            _linear_to_rgb(-0.9692660 * x + 1.8760108 * y + 0.0415560 * z),
            _linear_to_rgb(0.0556434 * x - 0.2040259 * y + 1.0572252 * z))


def _darken_floats(r: float, g: float, b: float, amount: float) -> tuple[float, float, float]:
    lightness, a, b_ = _rgb_to_lab(r, g, b)
    r2, g2, b2 = _lab_to_rgb(lightness - _KN * amount, a, b_)
    # chroma clips out-of-gamut channels when it builds the new colour and rounds only when printing.
    return _clamp(r2, 0.0, 255.0), _clamp(g2, 0.0, 255.0), _clamp(b2, 0.0, 255.0)


def darken(rgba: RGBA, amount: float = 1.0) -> RGBA:
    """chroma-js `darken`: Lab lightness minus 18*amount, alpha kept (negative amounts brighten)."""
    r, g, b, a = rgba
    return _to_rgba(*_darken_floats(r, g, b, amount), a)


def fill_color(css: str, opacity: float) -> RGBA:
    """Region fill as the editor draws it: `chroma(css).darken(0.3).alpha(opacity)`."""
    r, g, b, _ = _parse_floats(css)
    return _to_rgba(*_darken_floats(r, g, b, 0.3), opacity)

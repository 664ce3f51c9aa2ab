"""Small SVG charts for the HTML report (core layer, no Qt): grouped bars and threshold lines."""

from __future__ import annotations

from html import escape
from typing import Sequence

from viewer.core.colors import default_label_color

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 16, 56
SERIES_COLORS = ("#4e79a7", "#59a14f", "#e15759", "#f28e2b", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")


def _frame(body: list[str], y_max: float, y_label: str) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'font-family="sans-serif" font-size="11">', '<rect width="100%" height="100%" fill="white"/>']
    for i in range(5):
        value = y_max * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        text = f"{value:.2f}" if y_max <= 1 else f"{value:.0f}"
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{text}</text>')
    parts.append(f'<text x="12" y="{TOP + plot_h / 2:.0f}" transform="rotate(-90 12 {TOP + plot_h / 2:.0f})" '
                 f'text-anchor="middle">{escape(y_label)}</text>')
    parts += body
    parts.append("</svg>")
    return "".join(parts)


def _legend(names: Sequence[str], colors: Sequence[str]) -> list[str]:
    out = []
    for i, (name, color) in enumerate(zip(names, colors)):
        y = TOP + 14 * i
        out.append(f'<rect x="{WIDTH - RIGHT + 10}" y="{y}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{WIDTH - RIGHT + 24}" y="{y + 9}">{escape(name[:22])}</text>')
    return out


def _label_colors(names: Sequence[str], known: dict[str, str]) -> list[str]:
    return [known.get(name) or default_label_color(name) for name in names]


def bars(categories: Sequence[str], series: dict[str, Sequence[float]], y_label: str,
         label_colors: dict[str, str] | None = None) -> str:
    """Grouped bars: one group per category, one bar per series (series named by label take its colour)."""
    names = list(series)
    if label_colors is not None:
        colors = _label_colors(names, label_colors)
    else:
        colors = [SERIES_COLORS[i % len(SERIES_COLORS)] for i in range(len(names))]
    y_max = max([v for values in series.values() for v in values] + [1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(categories), 1)
    bar = group * 0.8 / max(len(names), 1)
    body = []
    for c, category in enumerate(categories):
        for s, name in enumerate(names):
            value = series[name][c]
            h = plot_h * value / y_max
            x = LEFT + c * group + group * 0.1 + s * bar
            body.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{max(bar - 1, 1):.1f}" '
                        f'height="{h:.1f}" fill="{colors[s]}"><title>{escape(name)} · {escape(category)}: '
                        f'{value:g}</title></rect>')
        cx = LEFT + c * group + group / 2
        body.append(f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="end" '
                    f'transform="rotate(-35 {cx:.1f} {HEIGHT - BOTTOM + 14})">{escape(category[:18])}</text>')
    return _frame(body + _legend(names, colors), y_max, y_label)


def lines(xs: Sequence[float], series: dict[str, Sequence[float | None]], y_label: str,
          label_colors: dict[str, str]) -> str:
    """Lines over thresholds 0..1, one per label in its colour (missing points leave gaps); y axis 0..1."""
    names = list(series)
    colors = _label_colors(names, label_colors)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = []
    for x in xs:
        px = LEFT + plot_w * x
        body.append(f'<text x="{px:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">{x:.1f}</text>')
    body.append(f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">score threshold</text>')
    for name, color in zip(names, colors):
        points = [(LEFT + plot_w * x, TOP + plot_h * (1 - y)) for x, y in zip(xs, series[name]) if y is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
            body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>' for x, y in points]
    return _frame(body + _legend(names, colors), 1.0, y_label)

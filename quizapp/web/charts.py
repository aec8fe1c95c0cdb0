"""Server-drawn SVG charts: no script, no CDN, readable without colour alone."""

from __future__ import annotations

import datetime as dt
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# Distinct in colour and in marker shape, so that series differ without colour.
STYLES = [
    ("#1f5fa8", "circle"),
    ("#b5461c", "square"),
    ("#2f7d32", "diamond"),
    ("#6a3d9a", "triangle"),
]


def _marker(shape: str, x: float, y: float, colour: str, title: str) -> str:
    tip = f"<title>{escape(title)}</title>"
    if shape == "square":
        corner = f'x="{x - 4:.1f}" y="{y - 4:.1f}"'
        return f'<rect {corner} width="8" height="8" fill="{colour}">{tip}</rect>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{tip}</circle>'


def trend_chart(
    series: dict[str, list[tuple[dt.datetime, float]]], title: str, axis_label: str
) -> Markup:
    """A line chart of percentage (0-100) over time, one line per named series."""
    points = [p for values in series.values() for p in values]
    if not points:
        return Markup("")
    start = min(t for t, _ in points)
    end = max(t for t, _ in points)
    span = (end - start).total_seconds() or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(moment: dt.datetime) -> float:
        if end == start:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (moment - start).total_seconds() / span

    def y_of(percentage: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(100.0, percentage)) / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = y_of(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}%</text>'
        )
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - 8}" class="tick">{start:%Y-%m-%d}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" class="tick">'
        f"{end:%Y-%m-%d}</text>"
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" class="tick">'
        f"{escape(axis_label)}</text>"
    )
    for index, (name, values) in enumerate(series.items()):
        colour, shape = STYLES[index % len(STYLES)]
        coordinates = [(x_of(t), y_of(p), t, p) for t, p in values]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coordinates)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, moment, percentage in coordinates:
            label = f"{name}: {percentage:.0f}% ({moment:%Y-%m-%d %H:%M})"
            parts.append(_marker(shape, x, y, colour, label))
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(names: list[str]) -> list[tuple[str, Markup]]:
    """(name, a small SVG of its marker) per series, in the chart's order, for an HTML legend."""
    entries = []
    for index, name in enumerate(names):
        colour, shape = STYLES[index % len(STYLES)]
        marker = _marker(shape, 7, 7, colour, name)
        entries.append(
            (
                name,
                Markup(
                    '<svg class="key" width="14" height="14" viewBox="0 0 14 14" '
                    f'aria-hidden="true">{marker}</svg>'
                ),
            )
        )
    return entries

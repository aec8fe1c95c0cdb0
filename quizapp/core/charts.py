"""Server-drawn SVG charts of scores over attempts: pure geometry and markup, no Flask.

The x axis is the attempts' order (oldest first), so that every attempt has its own place: two
attempts on the same day, or in the same minute, never sit on each other. The axis is labelled
with the day of the first attempt of each day, once per day and only where a label has room,
so no two labels read the same. Series differ in colour (CSS classes, so both colour schemes
stay readable), in marker shape and in line pattern, never in colour alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# The drawing's own units (the SVG scales to its box): narrow enough that its text stays
# readable when a phone shrinks it, wide enough for MAX_POINTS distinct markers.
WIDTH, HEIGHT = 360, 240
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 12, 30
FONT = 13  # tick labels, in the drawing's units
CHAR_WIDTH = 0.62 * FONT  # a generous average glyph width, to keep labels apart
LABEL_GAP = 8
MARKER = 7.0  # the width and height of a marker
# The most attempts one chart shows: each keeps a slot wider than its marker.
MAX_POINTS = 40
SHAPES = ("circle", "square", "diamond", "triangle", "down", "cross")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
STYLES = len(SHAPES)


@dataclass(frozen=True)
class ChartPoint:
    """One finished attempt: its series, when it ended (in the viewer's time zone), its score."""

    series: int  # index into the chart's series names
    when: dt.datetime
    percentage: float
    label: str  # what the marker's tooltip says (the data table says it too)


@dataclass(frozen=True)
class PlacedPoint:
    """A point with its place in the drawing."""

    x: float
    y: float
    point: ChartPoint


@dataclass(frozen=True)
class AxisLabel:
    """A label under the x axis: `text` centred on `x` (anchored as SVG says)."""

    x: float
    text: str
    anchor: str  # "start", "middle" or "end"

    @property
    def extent(self) -> tuple[float, float]:
        """Its left and right edges, by the estimated text width."""
        width = len(self.text) * CHAR_WIDTH
        if self.anchor == "start":
            return self.x, self.x + width
        if self.anchor == "end":
            return self.x - width, self.x
        return self.x - width / 2, self.x + width / 2


@dataclass(frozen=True)
class ChartLayout:
    """Where everything goes: points, x labels, and the boundaries between days."""

    points: list[PlacedPoint]
    labels: list[AxisLabel]
    day_breaks: list[float]


def _plot_width() -> float:
    return WIDTH - LEFT - RIGHT


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def x_of(index: int, count: int) -> float:
    """The centre of the `index`-th of `count` equal slots across the plot."""
    return LEFT + _plot_width() * (index + 0.5) / max(count, 1)


def y_of(percentage: float) -> float:
    """The height of a percentage (clamped to 0-100)."""
    return TOP + _plot_height() * (1 - max(0.0, min(100.0, percentage)) / 100)


def layout(points: Sequence[ChartPoint], day_label: Callable[[dt.date], str]) -> ChartLayout:
    """Place the points (already oldest first) and choose the x axis labels.

    Each point has its own slot. A day's label goes under its first attempt; a label that
    would touch the previous one, or repeat its text, is left out (the data table and the
    markers' tooltips still date every attempt).
    """
    count = len(points)
    placed = [PlacedPoint(x_of(i, count), y_of(p.percentage), p) for i, p in enumerate(points)]
    labels: list[AxisLabel] = []
    breaks: list[float] = []
    seen: set[str] = set()
    previous_day: dt.date | None = None
    for index, item in enumerate(placed):
        day = item.point.when.date()
        if day == previous_day:
            continue
        if previous_day is not None:
            breaks.append((placed[index - 1].x + item.x) / 2)
        previous_day = day
        text = day_label(day)
        if text in seen:
            continue
        label = _fitted(AxisLabel(item.x, text, "middle"))
        if labels and label.extent[0] < labels[-1].extent[1] + LABEL_GAP:
            continue
        labels.append(label)
        seen.add(text)
    return ChartLayout(placed, labels, breaks)


def _fitted(label: AxisLabel) -> AxisLabel:
    """The label anchored so that it stays inside the drawing."""
    left, right = label.extent
    if left < 2:
        return AxisLabel(max(label.x - MARKER, 2), label.text, "start")
    if right > WIDTH - 2:
        return AxisLabel(min(label.x + MARKER, WIDTH - 2), label.text, "end")
    return label


def _outline(shape: str) -> list[tuple[float, float]]:
    """A polygon marker's corners around its centre."""
    half = MARKER / 2
    if shape == "diamond":
        d = half + 1
        return [(0, -d), (d, 0), (0, d), (-d, 0)]
    if shape == "triangle":
        return [(0, -half - 1), (half, half), (-half, half)]
    if shape == "down":
        return [(0, half + 1), (half, -half), (-half, -half)]
    a, b = half, half / 2.5  # a cross
    return [
        (-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b),
        (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b),
    ]  # fmt: skip


def marker(series: int, x: float, y: float, title: str | None = None) -> str:
    """A marker of the series' shape at (x, y), with its tooltip `title` when given."""
    shape = SHAPES[series % STYLES]
    css = f'class="marker series-{series % STYLES}"'
    half = MARKER / 2
    tip = f"<title>{escape(title)}</title>" if title else ""
    if shape == "circle":
        return f'<circle {css} cx="{x:.1f}" cy="{y:.1f}" r="{half:.1f}">{tip}</circle>'
    if shape == "square":
        return (
            f'<rect {css} x="{x - half:.1f}" y="{y - half:.1f}" width="{MARKER:.0f}" '
            f'height="{MARKER:.0f}">{tip}</rect>'
        )
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in _outline(shape))
    return f'<polygon {css} points="{points}">{tip}</polygon>'


def legend_key(index: int) -> str:
    """A small SVG of a series' marker and line pattern, for an HTML legend (decorative)."""
    dash = DASHES[index % STYLES]
    pattern = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg class="chart-key" width="28" height="14" viewBox="0 0 28 14" aria-hidden="true" '
        'focusable="false">'
        f'<line class="line series-{index % STYLES}" x1="1" x2="27" y1="7" y2="7"{pattern}/>'
        f"{marker(index, 14, 7)}</svg>"
    )


def trend_svg(
    chart: ChartLayout,
    series_count: int,
    *,
    title: str,
    description: str,
    tick_label: Callable[[int], str],
    element_id: str = "history-chart",
) -> str:
    """The chart as an SVG element (a string of markup; every text in it is escaped).

    `title` and `description` name it for screen readers (it is an image; the page's data
    table holds the numbers); `tick_label` writes a percentage for the y axis. The x axis's
    own caption is the page's to write, in HTML, where a long translation can wrap.
    """
    if not chart.points:
        return ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" id="{element_id}" aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
    ]
    bottom = TOP + _plot_height()
    for tick in (0, 25, 50, 75, 100):
        y = y_of(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + FONT / 3:.1f}" text-anchor="end" '
            f'font-size="{FONT}">{escape(tick_label(tick))}</text>'
        )
    for x in chart.day_breaks:
        parts.append(
            f'<line class="day" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom + 4:.1f}"/>'
        )
    for label in chart.labels:
        parts.append(
            f'<line class="axis" x1="{label.x:.1f}" x2="{label.x:.1f}" y1="{bottom:.1f}" '
            f'y2="{bottom + 4:.1f}"/>'
            f'<text class="tick" x="{label.x:.1f}" y="{bottom + 6 + FONT:.1f}" '
            f'text-anchor="{label.anchor}" font-size="{FONT}">{escape(label.text)}</text>'
        )
    for index in range(series_count):
        mine = [p for p in chart.points if p.point.series == index]
        if len(mine) > 1:
            path = " ".join(f"{p.x:.1f},{p.y:.1f}" for p in mine)
            dash = DASHES[index % STYLES]
            pattern = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline class="line series-{index % STYLES}" points="{path}"{pattern}/>'
            )
    for placed in chart.points:
        parts.append(marker(placed.point.series, placed.x, placed.y, placed.point.label))
    parts.append("</svg>")
    return "".join(parts)

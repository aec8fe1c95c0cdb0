"""Server-drawn SVG bar charts of counts: the frame that the score histogram
(`core.histograms`) and the reviews-due forecast (`core.review_forecast`) share. Pure markup,
no Flask.

The drawing follows the house style of `core.charts`: the same box and margins, colours by CSS
class only (bars are styled as the charts' markers, so both colour schemes hold), every text
escaped, `role="img"` with a title and a description for screen readers; the numbers are in a
data table that the page writes. A chart says what its bars and x axis labels are; this module
draws the count axis (gridlines at a round step), the bars, the x axis and its labels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import TypeVar

from quizapp.core.charts import BOTTOM, FONT, HEIGHT, LEFT, RIGHT, TOP, WIDTH, AxisLabel

BAR_GAP = 2.0  # drawing units between two bars
LABEL_GAP = 6.0  # the least room between two x axis labels

Key = TypeVar("Key")


@dataclass(frozen=True)
class Bar:
    """One bar: its slot from `left` to `right` (drawing units; the bar leaves BAR_GAP between
    slots), its `count`, and its tooltip. A bar of count 0 is not drawn."""

    left: float
    right: float
    count: int
    tooltip: str


def count_step(largest: int) -> int:
    """The y axis step: 1, 2 or 5 times a power of ten, so the axis has at most 5 intervals."""
    raw = max(largest, 1) / 5
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return max(1, multiple * power)
    return 10 * power  # not reached: 10 × power >= raw always


def inside(label: AxisLabel) -> AxisLabel:
    """The label anchored so that it stays inside the drawing."""
    left, right = label.extent
    if left < 2:
        return AxisLabel(2, label.text, "start")
    if right > WIDTH - 2:
        return AxisLabel(WIDTH - 2, label.text, "end")
    return label


def spaced_labels(candidates: Sequence[tuple[Key, float, str]]) -> list[tuple[Key, AxisLabel]]:
    """Of `candidates` ((key, x, text): a label centred at x), every one, else every second,
    third, ..., starting with the first, so that no two labels touch; each kept inside the
    drawing. Returns (key, label) pairs; [] for no candidates."""
    chosen: list[tuple[Key, AxisLabel]] = []
    for stride in range(1, len(candidates) + 1):
        chosen = [
            (key, inside(AxisLabel(x, text, "middle")))
            for index, (key, x, text) in enumerate(candidates)
            if index % stride == 0
        ]
        if all(
            left.extent[1] + LABEL_GAP <= right.extent[0]
            for (_a, left), (_b, right) in pairwise(chosen)
        ):
            return chosen
    return chosen[:1]  # not reached: the last stride leaves one label


def bar_chart_svg(
    bars: Sequence[Bar],
    ticks: Sequence[tuple[float, AxisLabel]],
    *,
    title: str,
    description: str,
    element_id: str,
    css_class: str,
    count_label: Callable[[int], str] = str,
) -> str:
    """The chart as an SVG element (a string of markup; every text in it is escaped).

    `bars` in drawing order; `ticks` the x axis marks (x, and the label written under it);
    the count axis runs from 0 to the first multiple of `count_step(largest count)` at or
    above the largest count (one step when every count is 0), its values written by
    `count_label`. `title` and `description` name the image for screen readers; `css_class`
    is added after "chart" on the element, `element_id` is its id (and the prefix of the
    title's and description's ids)."""
    bottom = HEIGHT - BOTTOM
    largest = max((bar.count for bar in bars), default=0)
    step = count_step(largest)
    top_count = max(step, step * math.ceil(largest / step))

    def y_of(count: float) -> float:
        return bottom - (bottom - TOP) * count / top_count

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart {css_class}" id="{element_id}" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
    ]
    for tick in range(0, top_count + 1, step):
        y = y_of(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + FONT / 3:.1f}" text-anchor="end" '
            f'font-size="{FONT}">{escape(count_label(tick))}</text>'
        )
    for bar in bars:
        if not bar.count:
            continue
        y = y_of(bar.count)
        parts.append(
            f'<rect class="bar marker series-0" x="{bar.left + BAR_GAP / 2:.1f}" y="{y:.1f}" '
            f'width="{bar.right - bar.left - BAR_GAP:.1f}" height="{bottom - y:.1f}">'
            f"<title>{escape(bar.tooltip)}</title></rect>"
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}"/>'
    )
    for x, label in ticks:
        parts.append(
            f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 4}"/>'
            f'<text class="tick" x="{label.x:.1f}" y="{bottom + 6 + FONT}" '
            f'text-anchor="{label.anchor}" font-size="{FONT}">{escape(label.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

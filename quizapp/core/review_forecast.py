"""Reviews falling due over the coming days, for a learner's practice page: day boundaries in
the learner's time zone, counts per day, and a server-drawn SVG bar chart. Pure, no Flask.

The drawing follows the house style of `core.charts` and `core.histograms`: the same box and
margins, colours by CSS class only (bars are styled as the charts' markers), every text
escaped, `role="img"` with a title and a description for screen readers, and the numbers in
a data table that the page writes from the `ForecastDay` list.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from quizapp.core.charts import BOTTOM, FONT, HEIGHT, LEFT, RIGHT, TOP, WIDTH, AxisLabel
from quizapp.core.histograms import count_step

FORECAST_DAYS = 14  # today and the 13 days after it
BAR_GAP = 2.0  # drawing units between two bars
LABEL_GAP = 6.0  # the least room between two x axis labels


@dataclass(frozen=True)
class ForecastDay:
    """One day of the forecast: its date in the learner's time zone and how many facts fall
    due during it. The first day (today) also counts the facts that are already due."""

    day: dt.date
    count: int


def day_starts(
    today: dt.date, to_utc: Callable[[dt.datetime], dt.datetime], days: int = FORECAST_DAYS
) -> list[dt.datetime]:
    """The moments (naive UTC, as stored) at which each of `days` local days begins, from
    `today`, followed by the end of the last one: `days + 1` increasing moments.

    `to_utc` turns a naive local midnight into naive UTC (a time zone's rules, so a day of a
    change to or from summer time is 23 or 25 hours long). Raises ValueError for fewer than
    one day.
    """
    if days < 1:
        raise ValueError("a forecast needs at least one day")
    return [
        to_utc(dt.datetime.combine(today + dt.timedelta(days=k), dt.time()))
        for k in range(days + 1)
    ]


def due_forecast(
    dues: Iterable[dt.datetime], starts: Sequence[dt.datetime], today: dt.date
) -> list[ForecastDay]:
    """How many of `dues` (naive UTC due moments) fall in each day that `starts` bounds
    (`day_starts`), the first being `today` (a local date): a moment before the end of the
    first day counts on the first day (already due, or due later today); one at or after the
    end of the last day is not counted. Raises ValueError when `starts` bounds no day.
    """
    if len(starts) < 2:
        raise ValueError("a forecast needs the start and end of at least one day")
    counts = [0] * (len(starts) - 1)
    inner = starts[1:]
    for due in dues:
        index = bisect_right(inner, due)
        if index < len(counts):
            counts[index] += 1
    return [ForecastDay(today + dt.timedelta(days=k), n) for k, n in enumerate(counts)]


def _slot_x(index: int, count: int) -> float:
    """The left edge of the `index`-th of `count` equal slots across the plot."""
    return LEFT + (WIDTH - LEFT - RIGHT) * index / max(count, 1)


def _inside(label: AxisLabel) -> AxisLabel:
    """The label anchored so that it stays inside the drawing."""
    left, right = label.extent
    if left < 2:
        return AxisLabel(2, label.text, "start")
    if right > WIDTH - 2:
        return AxisLabel(WIDTH - 2, label.text, "end")
    return label


def day_labels(
    days: Sequence[ForecastDay], day_label: Callable[[dt.date], str]
) -> list[tuple[int, AxisLabel]]:
    """(day index, label) under the bars: every day's when they fit, else every second, third,
    ... day's, starting with today's, so that no two labels touch (the data table dates every
    day)."""
    count = len(days)
    centres = [(_slot_x(k, count) + _slot_x(k + 1, count)) / 2 for k in range(count)]
    chosen: list[tuple[int, AxisLabel]] = []
    for stride in range(1, count + 1):
        chosen = [
            (k, _inside(AxisLabel(centres[k], day_label(days[k].day), "middle")))
            for k in range(0, count, stride)
        ]
        if all(
            left.extent[1] + LABEL_GAP <= right.extent[0]
            for (_a, left), (_b, right) in pairwise(chosen)
        ):
            return chosen
    return chosen[:1]


def forecast_svg(
    days: Sequence[ForecastDay],
    *,
    title: str,
    description: str,
    day_label: Callable[[dt.date], str],
    bar_label: Callable[[ForecastDay], str],
    count_label: Callable[[int], str] = str,
    element_id: str = "due-forecast",
) -> str:
    """The forecast as an SVG bar chart (a string of markup; every text in it is escaped), or
    "" when there are no days.

    `title` and `description` name it for screen readers (it is an image; the page's data
    table holds the numbers); `day_label` writes a date under the x axis, `count_label` a count
    on the y axis, `bar_label` a bar's tooltip ("Mar 3: 4 facts"). A day with nothing due has
    no bar. The axes' captions are the page's to write, in HTML.
    """
    if not days:
        return ""
    bottom = HEIGHT - BOTTOM
    largest = max(d.count for d in days)
    step = count_step(largest)
    top_count = max(step, step * math.ceil(largest / step))

    def y_of(count: float) -> float:
        return bottom - (bottom - TOP) * count / top_count

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart histogram forecast" id="{element_id}" '
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
    count = len(days)
    for index, day in enumerate(days):
        if not day.count:
            continue
        left = _slot_x(index, count) + BAR_GAP / 2
        width = _slot_x(index + 1, count) - _slot_x(index, count) - BAR_GAP
        y = y_of(day.count)
        parts.append(
            f'<rect class="bar marker series-0" x="{left:.1f}" y="{y:.1f}" '
            f'width="{width:.1f}" height="{bottom - y:.1f}">'
            f"<title>{escape(bar_label(day))}</title></rect>"
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}"/>'
    )
    for index, label in day_labels(days, day_label):
        centre = (_slot_x(index, count) + _slot_x(index + 1, count)) / 2
        parts.append(
            f'<line class="axis" x1="{centre:.1f}" x2="{centre:.1f}" y1="{bottom}" '
            f'y2="{bottom + 4}"/>'
            f'<text class="tick" x="{label.x:.1f}" y="{bottom + 6 + FONT}" '
            f'text-anchor="{label.anchor}" font-size="{FONT}">{escape(label.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

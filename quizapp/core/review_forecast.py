"""Reviews falling due over the coming days, for a learner's practice page: day boundaries in
the learner's time zone, counts per day, and a server-drawn SVG bar chart. Pure, no Flask.

The drawing is `core.bar_charts`' (the house style of `core.charts`): a bar per day, the days
labelled under them; the numbers are in a data table that the page writes from the
`ForecastDay` list.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from quizapp.core.bar_charts import Bar, bar_chart_svg, spaced_labels
from quizapp.core.charts import LEFT, RIGHT, WIDTH, AxisLabel

FORECAST_DAYS = 14  # today and the 13 days after it


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


def day_labels(
    days: Sequence[ForecastDay], day_label: Callable[[dt.date], str]
) -> list[tuple[int, AxisLabel]]:
    """(day index, label) under the bars: every day's when they fit, else every second, third,
    ... day's, starting with today's, so that no two labels touch (the data table dates every
    day)."""
    count = len(days)
    return spaced_labels(
        [
            (k, (_slot_x(k, count) + _slot_x(k + 1, count)) / 2, day_label(days[k].day))
            for k in range(count)
        ]
    )


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
    count = len(days)
    bars = [
        Bar(_slot_x(index, count), _slot_x(index + 1, count), day.count, bar_label(day))
        for index, day in enumerate(days)
        if day.count
    ]
    ticks = [
        ((_slot_x(index, count) + _slot_x(index + 1, count)) / 2, label)
        for index, label in day_labels(days, day_label)
    ]
    return bar_chart_svg(
        bars,
        ticks,
        title=title,
        description=description,
        element_id=element_id,
        css_class="histogram forecast",
        count_label=count_label,
    )

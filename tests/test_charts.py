"""Unit tests for the history chart's geometry and markup (quizapp.core.charts, no Flask)."""

from __future__ import annotations

import datetime as dt
import re
from itertools import combinations, pairwise

import pytest

from quizapp.core import charts
from quizapp.core.charts import MARKER, MAX_POINTS, ChartPoint, layout, trend_svg


def _day(day: dt.date) -> str:
    return day.isoformat()


def _points(moments: list[dt.datetime], series: list[int] | None = None) -> list[ChartPoint]:
    series = series or [0] * len(moments)
    return [
        ChartPoint(s, moment, (i * 37) % 101, f"attempt {i}")
        for i, (moment, s) in enumerate(zip(moments, series, strict=True))
    ]


def _svg(points: list[ChartPoint], series_count: int = 1) -> str:
    return trend_svg(
        layout(points, _day),
        series_count,
        title="Scores",
        description="Every attempt",
        tick_label=lambda tick: f"{tick}%",
    )


def test_attempts_on_the_same_day_each_have_their_own_place():
    morning = dt.datetime(2025, 3, 1, 9, 0)
    # Five attempts in the same minute, and the same score: none may hide another.
    points = [ChartPoint(0, morning + dt.timedelta(seconds=i), 80.0, "x") for i in range(5)]
    placed = layout(points, _day).points
    for a, b in combinations(placed, 2):
        assert abs(a.x - b.x) >= MARKER


@pytest.mark.parametrize("count", [1, 2, 7, MAX_POINTS])
def test_no_two_markers_overlap_up_to_the_limit(count):
    start = dt.datetime(2025, 1, 1, 8, 0)
    moments = [start + dt.timedelta(minutes=i) for i in range(count)]
    placed = layout(_points(moments), _day).points
    assert len(placed) == count
    xs = sorted(p.x for p in placed)
    assert all(b - a >= MARKER for a, b in pairwise(xs))
    assert all(charts.LEFT < x < charts.WIDTH - charts.RIGHT for x in xs)


def test_axis_labels_are_distinct_and_do_not_touch():
    start = dt.datetime(2025, 1, 1, 8, 0)
    # Several attempts a day over many days: far more days than labels fit.
    moments = [start + dt.timedelta(days=i // 3, hours=i % 3) for i in range(MAX_POINTS)]
    chart = layout(_points(moments), _day)
    texts = [label.text for label in chart.labels]
    assert len(texts) == len(set(texts)) >= 2
    edges = [label.extent for label in chart.labels]
    for (_, right), (left, _) in pairwise(edges):
        assert left >= right + charts.LABEL_GAP
    assert all(left >= 0 and right <= charts.WIDTH for left, right in edges)


def test_a_single_day_gives_one_label_and_no_day_breaks():
    moments = [dt.datetime(2025, 5, 2, 10, m) for m in range(4)]
    chart = layout(_points(moments), _day)
    assert [label.text for label in chart.labels] == ["2025-05-02"]
    assert chart.day_breaks == []


def test_days_are_separated_between_their_attempts():
    moments = [
        dt.datetime(2025, 5, 2, 10),
        dt.datetime(2025, 5, 2, 11),
        dt.datetime(2025, 5, 3, 9),
    ]
    chart = layout(_points(moments), _day)
    (boundary,) = chart.day_breaks
    assert chart.points[1].x < boundary < chart.points[2].x


def test_labels_that_would_read_the_same_are_shown_once():
    # A writer that drops the year: 1 May of two years reads the same.
    moments = [dt.datetime(2024, 5, 1), dt.datetime(2025, 5, 1)]
    chart = layout(_points(moments), lambda day: day.strftime("%d %b"))
    assert [label.text for label in chart.labels] == ["01 May"]


def test_scores_go_up_the_y_axis():
    moments = [dt.datetime(2025, 1, 1, 8, i) for i in range(3)]
    points = [ChartPoint(0, m, p, "x") for m, p in zip(moments, [0, 50, 100], strict=True)]
    ys = [p.y for p in layout(points, _day).points]
    assert ys[0] > ys[1] > ys[2]


def test_series_differ_in_shape_and_line_pattern_not_colour_alone():
    moments = [dt.datetime(2025, 1, 1, 8, i) for i in range(8)]
    svg = _svg(_points(moments, [0, 1, 2, 3] * 2), series_count=4)
    assert svg.count("<circle") == 2 and svg.count("<rect") == 2
    assert svg.count("<polygon") == 4  # diamonds and triangles
    dashes = re.findall(r'<polyline class="line series-(\d)" points="[^"]+"([^/]*)/>', svg)
    assert len({pattern for _index, pattern in dashes}) == 4
    # Colours come from the stylesheet's classes (light and dark schemes), not the markup.
    assert 'fill="#' not in svg and 'stroke="#' not in svg


def test_the_svg_is_named_escaped_and_empty_without_points():
    moments = [dt.datetime(2025, 1, 1, 8)]
    points = [ChartPoint(0, moments[0], 50, "<Bank> & co: 50%")]
    svg = trend_svg(
        layout(points, _day),
        1,
        title="A <title>",
        description="d",
        tick_label=str,
    )
    assert 'role="img"' in svg and "aria-labelledby" in svg
    assert "A &lt;title&gt;" in svg and "&lt;Bank&gt; &amp; co" in svg
    assert _svg([]) == ""


def test_a_legend_key_draws_the_series_marker_and_line():
    key = charts.legend_key(1)
    assert 'aria-hidden="true"' in key and "<rect" in key and "stroke-dasharray" in key

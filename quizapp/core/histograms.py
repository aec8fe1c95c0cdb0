"""The distribution of an assignment's scores for its report: bins, mean, median, standard
deviation, and a server-drawn SVG histogram. Pure geometry and markup, no Flask.

The drawing is `core.bar_charts`' (the house style of the history chart, `core.charts`): a
bar per bin, the bin edges labelled; the numbers are in a data table that the page writes
from `ScoreDistribution.bins`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from quizapp.core.bar_charts import Bar, bar_chart_svg, spaced_labels
from quizapp.core.charts import LEFT, RIGHT, WIDTH, AxisLabel
from quizapp.core.score_statistics import (
    ScoreCounts,
    attempts_of,
    mean_of,
    median_of,
    sample_sd_of,
)

BINS = 10  # ten bins of 10 percentage points: [0, 10), [10, 20), ..., [90, 100]


@dataclass(frozen=True)
class HistogramBin:
    """Scores from `low` (included) to `high` (excluded, but included in the last bin), in %;
    `count` attempts (or learners) fell in it, `share` % of them (None when there are none)."""

    low: float
    high: float
    count: int
    share: float | None
    closed: bool  # True for the last bin, which holds `high` (100 %) too


@dataclass(frozen=True)
class ScoreDistribution:
    """A report's summary of scores in %: the bins, and mean, median and sample standard
    deviation (None where undefined: no scores, or one score for the deviation)."""

    count: int
    bins: list[HistogramBin]
    mean: float | None
    median: float | None
    sd: float | None


def bin_of(percentage: float, bins: int = BINS) -> int:
    """The index of the bin holding `percentage`: bin k holds [100k/bins, 100(k+1)/bins), the
    last one holds 100 too. The value is rounded to 9 decimals first, so that a score computed
    as 0.7 × 100 = 70.00000000000001 or 69.99999999999999 lands in its true bin. A score below
    0 counts in the first bin and one above 100 in the last (the summary figures keep the
    true values). Raises ValueError on a non-finite value or fewer than 1 bin.
    """
    if bins < 1:
        raise ValueError("a histogram needs at least one bin")
    if not math.isfinite(percentage):
        raise ValueError(f"a score must be a finite number, not {percentage!r}")
    index = math.floor(round(percentage, 9) * bins / 100)
    return min(max(index, 0), bins - 1)


def score_distribution(scores: ScoreCounts, bins: int = BINS) -> ScoreDistribution:
    """The summary of `scores`, given as {score in %: attempts or learners with it} (one SQL
    `GROUP BY`; `score_statistics.count_scores` makes one from a list).

    Raises ValueError as `bin_of`, or on a negative or fractional count.
    """
    count = attempts_of(scores)
    tally = [0] * max(bins, 0)
    for score, number in scores.items():
        if number:
            tally[bin_of(score, bins)] += number
    width = 100 / bins
    return ScoreDistribution(
        count=count,
        bins=[
            HistogramBin(
                low=k * width,
                high=(k + 1) * width,
                count=tally[k],
                share=100 * tally[k] / count if count else None,
                closed=k == bins - 1,
            )
            for k in range(bins)
        ],
        mean=mean_of(scores),
        median=median_of(scores),
        sd=sample_sd_of(scores),
    )


def _x(percentage: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * percentage / 100


def _edge_labels(
    bins: list[HistogramBin], tick_label: Callable[[float], str]
) -> list[tuple[float, AxisLabel]]:
    """(edge's x, its label) at the bin edges, every one or every few so that no two touch."""
    edges = [b.low for b in bins] + [bins[-1].high]
    return spaced_labels([(_x(edge), _x(edge), tick_label(edge)) for edge in edges])


def histogram_svg(
    distribution: ScoreDistribution,
    *,
    title: str,
    description: str,
    tick_label: Callable[[float], str],
    bar_label: Callable[[HistogramBin], str],
    count_label: Callable[[int], str] = str,
    element_id: str = "score-histogram",
) -> str:
    """The histogram as an SVG element (a string of markup; every text in it is escaped), or
    "" when there are no scores.

    `title` and `description` name it for screen readers (it is an image; the page's data
    table holds the numbers); `tick_label` writes a bin edge (a percentage) under the x axis,
    `count_label` a count on the y axis, and `bar_label` a bar's tooltip ("70–80 %: 3
    learners"). The axes' captions are the page's to write, in HTML, where a long
    translation can wrap.
    """
    if not distribution.count or not distribution.bins:
        return ""
    bars = [Bar(_x(b.low), _x(b.high), b.count, bar_label(b)) for b in distribution.bins if b.count]
    return bar_chart_svg(
        bars,
        _edge_labels(distribution.bins, tick_label),
        title=title,
        description=description,
        element_id=element_id,
        css_class="histogram",
        count_label=count_label,
    )

"""The distribution of an assignment's scores for its report: bins, mean, median, standard
deviation, and a server-drawn SVG histogram. Pure geometry and markup, no Flask.

The drawing follows the history chart (`core.charts`): the same box and margins, colours by
CSS class only (bars are styled as the chart's markers, so both colour schemes hold), every
text escaped, `role="img"` with a title and a description for screen readers, and the numbers
in a data table that the page writes from `ScoreDistribution.bins`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from quizapp.core.charts import BOTTOM, FONT, HEIGHT, LEFT, RIGHT, TOP, WIDTH, AxisLabel
from quizapp.core.score_statistics import (
    ScoreCounts,
    attempts_of,
    mean_of,
    median_of,
    sample_sd_of,
)

BINS = 10  # ten bins of 10 percentage points: [0, 10), [10, 20), ..., [90, 100]
BAR_GAP = 2.0  # drawing units between two bars
LABEL_GAP = 6.0  # the least room between two x axis labels


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


def count_step(largest: int) -> int:
    """The y axis step: 1, 2 or 5 times a power of ten, so the axis has at most 5 intervals."""
    raw = max(largest, 1) / 5
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return max(1, multiple * power)
    return 10 * power  # not reached: 10 × power >= raw always


def _x(percentage: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * percentage / 100


def _edge_labels(
    bins: list[HistogramBin], tick_label: Callable[[float], str]
) -> list[tuple[float, AxisLabel]]:
    """(edge's x, its label) at the bin edges, every one or every few so that no two touch."""
    edges = [b.low for b in bins] + [bins[-1].high]
    for stride in range(1, len(edges) + 1):
        chosen = [
            (_x(edge), _inside(AxisLabel(_x(edge), tick_label(edge), "middle")))
            for index, edge in enumerate(edges)
            if index % stride == 0
        ]
        if all(
            left.extent[1] + LABEL_GAP <= right.extent[0]
            for (_a, left), (_b, right) in pairwise(chosen)
        ):
            return chosen
    return chosen[:1]  # not reached: the last stride leaves one label


def _inside(label: AxisLabel) -> AxisLabel:
    """The label anchored so that it stays inside the drawing."""
    left, right = label.extent
    if left < 2:
        return AxisLabel(2, label.text, "start")
    if right > WIDTH - 2:
        return AxisLabel(WIDTH - 2, label.text, "end")
    return label


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
    bottom = HEIGHT - BOTTOM
    step = count_step(max(b.count for b in distribution.bins))
    top_count = step * math.ceil(max(b.count for b in distribution.bins) / step)

    def y_of(count: float) -> float:
        return bottom - (bottom - TOP) * count / top_count

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart histogram" id="{element_id}" '
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
    for histogram_bin in distribution.bins:
        if not histogram_bin.count:
            continue
        left = _x(histogram_bin.low) + BAR_GAP / 2
        width = _x(histogram_bin.high) - _x(histogram_bin.low) - BAR_GAP
        y = y_of(histogram_bin.count)
        # Styled as the history chart's markers (fill by series colour): no new CSS needed.
        parts.append(
            f'<rect class="bar marker series-0" x="{left:.1f}" y="{y:.1f}" '
            f'width="{width:.1f}" height="{bottom - y:.1f}">'
            f"<title>{escape(bar_label(histogram_bin))}</title></rect>"
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}"/>'
    )
    for x, label in _edge_labels(distribution.bins, tick_label):
        parts.append(
            f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 4}"/>'
            f'<text class="tick" x="{label.x:.1f}" y="{bottom + 6 + FONT}" '
            f'text-anchor="{label.anchor}" font-size="{FONT}">{escape(label.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

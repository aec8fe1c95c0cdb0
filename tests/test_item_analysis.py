"""Unit tests for the quiz statistics core (no Flask): Moodle's overall and item statistics,
response analysis, grading methods and the score histogram.

The expected figures are computed independently here, from the plain score matrix with the
standard library's `statistics` (and, for skewness and kurtosis, a spreadsheet's SKEW and KURT
formulas, which are Moodle's k-statistics written another way), never through the module's
distributions and sums; a second, smaller example is worked out by hand.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from quizapp.core.bar_charts import count_step
from quizapp.core.grading import (
    AVERAGE,
    FIRST,
    GRADING_METHODS,
    HIGHEST,
    LAST,
    GradedAttempt,
    final_grade,
)
from quizapp.core.histograms import (
    HistogramBin,
    bin_of,
    histogram_svg,
    score_distribution,
)
from quizapp.core.item_analysis import (
    LOW_EFFICIENCY,
    TOO_EASY,
    TOO_HARD,
    ItemAnalysisBuilder,
    ItemSums,
    analyse,
    analyse_rows,
    item_flags,
    item_statistics,
    random_guess_score,
    sorted_covariance_sum,
)
from quizapp.core.response_analysis import option_frequencies
from quizapp.core.score_statistics import (
    count_scores,
    cronbach_alpha,
    kurtosis_of,
    median_of,
    overall_statistics,
    skewness_of,
)

# The worked example: 8 attempts at 5 items with partial marks. C is worth 2 marks; B is
# answered right by weak learners and wrong by the strongest, so it discriminates badly.
ITEMS = ["A", "B", "C", "D", "E"]
MAX = {"A": 1.0, "B": 1.0, "C": 2.0, "D": 1.0, "E": 1.0}
MATRIX = [
    # A    B    C     D     E
    [1.0, 0.0, 2.0, 1.00, 1.0],
    [1.0, 1.0, 1.5, 0.75, 1.0],
    [1.0, 0.0, 1.0, 0.75, 0.5],
    [0.0, 1.0, 1.0, 0.50, 0.5],
    [1.0, 1.0, 0.5, 0.25, 0.0],
    [0.0, 1.0, 0.0, 0.50, 0.5],
    [0.0, 1.0, 0.5, 0.00, 0.0],
    [1.0, 0.0, 0.0, 0.25, 1.0],
]


def _rows(matrix=MATRIX, items=ITEMS, maxima=MAX):
    return [
        (attempt, item, mark, maxima[item])
        for attempt, marks in enumerate(matrix, start=100)
        for item, mark in zip(items, marks, strict=True)
    ]


def _column(index: int, matrix=MATRIX) -> list[float]:
    return [row[index] for row in matrix]


def _totals(matrix=MATRIX) -> list[float]:
    return [sum(row) for row in matrix]


def _skew(values: list[float]) -> float:
    """A spreadsheet's SKEW: n/((n−1)(n−2)) · Σ((x − x̄)/s)³."""
    n, mean, sd = len(values), statistics.mean(values), statistics.stdev(values)
    return n / ((n - 1) * (n - 2)) * sum(((x - mean) / sd) ** 3 for x in values)


def _kurt(values: list[float]) -> float:
    """A spreadsheet's KURT: n(n+1)/((n−1)(n−2)(n−3)) Σ z⁴ − 3(n−1)²/((n−2)(n−3))."""
    n, mean, sd = len(values), statistics.mean(values), statistics.stdev(values)
    z4 = sum(((x - mean) / sd) ** 4 for x in values)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * z4 - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))


def test_overall_statistics_of_the_worked_example():
    totals = _totals()
    result = analyse_rows(_rows()).overall
    item_variances = [statistics.variance(_column(i)) for i in range(len(ITEMS))]
    alpha = 5 / 4 * (1 - sum(item_variances) / statistics.variance(totals))
    assert result.attempts == 8
    assert result.mean == pytest.approx(statistics.mean(totals))
    assert result.median == pytest.approx(statistics.median(totals))
    assert result.sd == pytest.approx(statistics.stdev(totals))
    assert result.skewness == pytest.approx(_skew(totals))
    assert result.kurtosis == pytest.approx(_kurt(totals))
    assert result.alpha == pytest.approx(alpha)
    assert result.error_ratio == pytest.approx(100 * math.sqrt(1 - alpha))
    assert result.standard_error == pytest.approx(math.sqrt(1 - alpha) * statistics.stdev(totals))
    # In % of the test's maximum (6 marks), as Moodle shows them.
    shown = result.as_percentages(6)
    assert shown.mean == pytest.approx(100 * statistics.mean(totals) / 6)
    assert shown.sd == pytest.approx(100 * statistics.stdev(totals) / 6)
    assert shown.alpha == result.alpha and shown.skewness == result.skewness
    with pytest.raises(ValueError, match="positive"):
        result.as_percentages(0)


@pytest.mark.parametrize("index", range(len(ITEMS)))
def test_item_statistics_of_the_worked_example(index):
    item = ITEMS[index]
    marks = _column(index)
    rests = [total - mark for total, mark in zip(_totals(), marks, strict=True)]
    result = analyse_rows(_rows()).items[index]
    facility = 100 * statistics.mean(marks) / MAX[item]
    efficiency = (
        100
        * statistics.covariance(marks, rests)
        / statistics.covariance(sorted(marks), sorted(rests))
    )
    assert result.item == item and result.attempts == 8
    assert result.mean_mark == pytest.approx(statistics.mean(marks))
    assert result.mark_variance == pytest.approx(statistics.variance(marks))
    assert result.facility == pytest.approx(facility)
    assert result.sd == pytest.approx(100 * statistics.stdev(marks) / MAX[item])
    assert result.discrimination == pytest.approx(100 * statistics.correlation(marks, rests))
    assert result.efficiency == pytest.approx(efficiency)
    assert result.flags == tuple(
        flag
        for flag, raised in (
            (LOW_EFFICIENCY, efficiency < 15),
            (TOO_HARD, facility < 10),
            (TOO_EASY, facility > 90),
        )
        if raised
    )


def test_the_worked_example_flags_its_bad_item():
    items = {s.item: s for s in analyse_rows(_rows()).items}
    assert items["B"].efficiency < 15 and items["B"].flags == (LOW_EFFICIENCY,)
    assert items["B"].dubious
    assert not items["D"].flags and not items["D"].dubious


def test_a_small_example_worked_by_hand():
    # Two items, four attempts: x1 = 1,1,0,0 and x2 = 1,0,1,0, totals 2,1,1,0.
    matrix = [(1, 1), (1, 0), (0, 1), (0, 0)]
    rows = [(a, i, m, 1) for a, marks in enumerate(matrix) for i, m in enumerate(marks)]
    result = analyse_rows(rows)
    overall = result.overall
    assert (overall.mean, overall.median) == (1, 1)
    assert overall.sd == pytest.approx(math.sqrt(2 / 3))  # Σd² = 2, over n − 1 = 3
    assert overall.skewness == pytest.approx(0)  # symmetric
    # m2 = 1/2, m4 = 1/2; k2 = 2/3; k4 = 16((5)(1/2) − 3·3·(1/4))/(3·2·1) = 2/3; k4/k2² = 3/2
    assert overall.kurtosis == pytest.approx(1.5)
    # Item variances 1/3 each, total variance 2/3: alpha = 2(1 − (2/3)/(2/3)) = 0.
    assert overall.alpha == pytest.approx(0)
    assert overall.error_ratio == pytest.approx(100)
    assert overall.standard_error == pytest.approx(math.sqrt(2 / 3))
    first = result.items[0]
    assert first.facility == 50
    assert first.sd == pytest.approx(100 * math.sqrt(1 / 3))
    # The rest of item 0 is item 1, uncorrelated with it; the sorted pairing has C = 1/3.
    assert first.discrimination == pytest.approx(0)
    assert first.efficiency == pytest.approx(0)
    assert first.flags == (LOW_EFFICIENCY,)


def test_sql_aggregates_give_the_same_analysis_as_the_rows():
    """What the report's GROUP BY queries give (built here from the matrix directly)."""
    totals = _totals()
    items = []
    for index, item in enumerate(ITEMS):
        marks = _column(index)
        rests = [t - m for t, m in zip(totals, marks, strict=True)]
        items.append(
            ItemSums(
                item,
                MAX[item],
                dict(Counter(marks)),
                dict(Counter(rests)),
                sum(m * r for m, r in zip(marks, rests, strict=True)),
            )
        )
    from_sql = analyse(dict(Counter(totals)), items)
    from_rows = analyse_rows(_rows())
    for name, value in from_rows.overall.__dict__.items():
        assert getattr(from_sql.overall, name) == pytest.approx(value), name
    for left, right in zip(from_sql.items, from_rows.items, strict=True):
        for name, value in right.__dict__.items():
            if isinstance(value, float):
                assert getattr(left, name) == pytest.approx(value), name
            else:
                assert getattr(left, name) == value, name


def test_the_rows_may_come_in_any_item_order_within_an_attempt():
    shuffled = sorted(_rows(), key=lambda row: (row[0], -ord(row[1])))
    expected = analyse_rows(_rows())
    result = analyse_rows(shuffled)
    assert [s.item for s in result.items] == ["E", "D", "C", "B", "A"]
    by_item = {s.item: s for s in result.items}
    for item in expected.items:
        assert by_item[item.item].discrimination == pytest.approx(item.discrimination)
    assert result.overall.alpha == pytest.approx(expected.overall.alpha)


def test_one_attempt_leaves_every_spread_undefined():
    result = analyse_rows([(1, "A", 1, 1), (1, "B", 0.5, 1)])
    overall = result.overall
    assert overall.attempts == 1 and overall.mean == 1.5 and overall.median == 1.5
    assert overall.sd is None and overall.skewness is None and overall.kurtosis is None
    assert overall.alpha is None and overall.error_ratio is None
    assert overall.standard_error is None
    for item in result.items:
        assert item.facility is not None
        assert item.mark_variance is None and item.sd is None
        assert item.discrimination is None and item.efficiency is None


def test_everyone_with_the_same_marks():
    rows = [(a, i, 0.5, 1) for a in range(6) for i in "XYZ"]
    result = analyse_rows(rows)
    overall = result.overall
    assert overall.mean == 1.5 and overall.median == 1.5 and overall.sd == 0
    assert overall.skewness is None and overall.kurtosis is None and overall.alpha is None
    for item in result.items:
        assert item.facility == 50 and item.sd == 0 and item.mark_variance == 0
        assert item.discrimination is None and item.efficiency is None
        assert item.flags == ()


def test_an_item_everyone_gets_right():
    matrix = [[*row, 1.0] for row in MATRIX]
    result = analyse_rows(_rows(matrix, [*ITEMS, "F"], {**MAX, "F": 1.0}))
    easy = result.items[-1]
    assert easy.facility == 100 and easy.sd == 0
    assert easy.discrimination is None and easy.efficiency is None
    assert easy.flags == (TOO_EASY,)
    # The other items' rests all grow by 1: their correlations do not change.
    before = analyse_rows(_rows())
    for old, new in zip(before.items, result.items, strict=False):
        assert new.discrimination == pytest.approx(old.discrimination)
        assert new.efficiency == pytest.approx(old.efficiency)
    # A constant item adds no variance: alpha still has a value, with k = 6.
    assert result.overall.alpha is not None


def test_two_and_three_attempts():
    two = analyse_rows([(1, "A", 1, 1), (1, "B", 1, 1), (2, "A", 0, 1), (2, "B", 1, 1)])
    assert two.overall.sd == pytest.approx(math.sqrt(0.5))
    assert two.overall.skewness is None and two.overall.kurtosis is None
    three = overall_statistics({0.0: 1, 1.0: 1, 5.0: 1})
    assert three.skewness == pytest.approx(_skew([0, 1, 5])) and three.kurtosis is None


def test_empty_input():
    result = analyse_rows([])
    assert result.items == [] and result.overall.attempts == 0
    assert result.overall.mean is None and result.overall.median is None
    empty = item_statistics(ItemSums("Q", 1, {}, {}, 0.0))
    assert empty.attempts == 0 and empty.facility is None


def test_different_sets_per_learner_have_item_statistics_but_no_alpha():
    # Each learner got 2 of 3 facts: per fact the statistics still hold, alpha does not.
    rows = [
        (1, "f1", 1, 1), (1, "f2", 1, 1),
        (2, "f1", 0, 1), (2, "f3", 1, 1),
        (3, "f2", 1, 1), (3, "f3", 0, 1),
        (4, "f1", 1, 1), (4, "f3", 1, 1),
        (5, "f2", 0, 1), (5, "f3", 0, 1),
    ]  # fmt: skip
    result = analyse_rows(rows)
    assert [item.attempts for item in result.items] == [3, 3, 4]
    assert result.overall.alpha is None and result.overall.sd is not None
    f3 = result.items[2]
    marks, rests = [1, 0, 1, 0], [0, 1, 1, 0]  # attempts 2, 3, 4, 5
    assert f3.facility == 50
    assert f3.discrimination == pytest.approx(100 * statistics.correlation(marks, rests))


def test_zero_max_mark_has_no_facility():
    result = item_statistics(ItemSums("Q", 0, {0.0: 3}, {1.0: 2, 2.0: 1}, 0.0))
    assert result.facility is None and result.sd is None and result.attempts == 3


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(1, "A", 1, 1), (2, "A", 1, 1), (1, "B", 1, 1)], "must come together"),
        ([(1, "A", 1, 1), (1, "A", 0, 1)], "twice"),
        ([(1, "A", 1, 1), (2, "A", 1, 2)], "share of 1"),
        ([(1, "A", math.nan, 1)], "finite"),
    ],
)
def test_rows_that_break_the_rules_are_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        analyse_rows(rows)


def test_bad_aggregates_are_refused():
    with pytest.raises(ValueError, match="different attempts"):
        item_statistics(ItemSums("Q", 1, {1.0: 2}, {1.0: 3}, 0.0))
    with pytest.raises(ValueError, match="negative"):
        item_statistics(ItemSums("Q", -1, {1.0: 2}, {1.0: 2}, 0.0))
    with pytest.raises(ValueError, match="whole number"):
        overall_statistics({1.0: 1.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="finite"):
        count_scores([1.0, math.inf])
    with pytest.raises(ValueError, match="same attempts"):
        sorted_covariance_sum({1.0: 1}, {1.0: 2}, 1.0, 1.0)


def test_builder_can_be_read_while_rows_keep_coming():
    builder = ItemAnalysisBuilder()
    builder.feed(_rows()[:10])  # attempts 100 and 101
    assert builder.analyse().overall.attempts == 2
    builder.feed(_rows()[10:])
    assert builder.analyse().overall.mean == pytest.approx(statistics.mean(_totals()))


def test_median_of_a_distribution():
    assert median_of({}) is None
    assert median_of({3.0: 1}) == 3
    assert median_of({1.0: 2, 5.0: 2}) == 3
    assert median_of({1.0: 1, 2.0: 1, 9.0: 1}) == 2
    assert median_of({1.0: 3, 2.0: 0, 7.0: 1}) == 1


def test_alpha_guards():
    assert cronbach_alpha([0.2], 0.5) is None  # one item
    assert cronbach_alpha([0.2, 0.3], 0.0) is None  # no spread
    assert cronbach_alpha([0.2, None], 0.5) is None
    assert cronbach_alpha([0.25, 0.25], 1.0) == pytest.approx(1.0)  # perfectly consistent


def test_item_flags_thresholds():
    assert item_flags(50, 15) == ()
    assert item_flags(50, 14.9) == (LOW_EFFICIENCY,)
    assert item_flags(10, None) == ()
    assert item_flags(9.9, None) == (TOO_HARD,)
    assert item_flags(90, 80) == ()
    assert item_flags(90.1, 10) == (LOW_EFFICIENCY, TOO_EASY)
    assert item_flags(None, None) == ()


@pytest.mark.parametrize(
    ("kind", "options", "weights", "expected"),
    [
        ("mcq", 4, None, 25.0),
        ("mcq", 3, [1.0, 0.5, 0.0], 50.0),  # partial credit: the mean weight (Moodle)
        ("tf", None, None, 50.0),
        ("match", 5, None, 20.0),
        ("multi", 4, None, None),  # Moodle does not compute it
        ("order", 4, None, 0.0),
        ("short", None, None, 0.0),
        ("cloze", None, None, 0.0),
        ("numeric", None, None, 0.0),
    ],
)
def test_random_guess_score(kind, options, weights, expected):
    assert random_guess_score(kind, options, weights) == expected


def test_random_guess_score_errors():
    with pytest.raises(ValueError, match="number of options"):
        random_guess_score("mcq")
    with pytest.raises(ValueError, match="unknown"):
        random_guess_score("essay")


def test_random_guess_scores_reach_the_items():
    result = analyse_rows(_rows(), random_guess={"A": 25.0, "B": 50.0})
    assert [s.random_guess for s in result.items] == [25.0, 50.0, None, None, None]


def test_option_frequencies_mark_the_key_and_keep_the_option_order():
    rows = [("q1", "Paris", 6), ("q1", "Lyon", 3), ("q1", "Nice", 1), ("q2", "1944", 2)]
    result = option_frequencies(
        rows,
        keys={"q1": {"Paris"}, "q2": {"1944"}},
        options={"q1": ["Lyon", "Paris", "Nice", "Metz"]},
    )
    q1 = result["q1"]
    assert [(o.option, o.count, o.share, o.key) for o in q1] == [
        ("Lyon", 3, 30.0, False),
        ("Paris", 6, 60.0, True),
        ("Nice", 1, 10.0, False),
        ("Metz", 0, 0.0, False),
    ]
    assert [(o.option, o.share, o.key) for o in result["q2"]] == [("1944", 100.0, True)]


def test_option_frequencies_of_several_right_answers_per_learner():
    rows = [("m", "a", 4), ("m", "b", 3), ("m", "c", 1), ("m", "a", 1)]
    result = option_frequencies(rows, keys={"m": ["a", "b", "d"]}, answers={"m": 5})
    assert [(o.option, o.count, o.share, o.key) for o in result["m"]] == [
        ("a", 5, 100.0, True),
        ("b", 3, 60.0, True),
        ("c", 1, 20.0, False),
        ("d", 0, 0.0, True),  # a key nobody picked still shows
    ]
    nobody = option_frequencies([], keys={"z": ["x"]})
    assert nobody["z"][0].share is None
    with pytest.raises(ValueError, match="whole number"):
        option_frequencies([("m", "a", -1)], keys={})


# -- Grading methods -----------------------------------------------------------------------

START = dt.datetime(2025, 5, 1, 9, 0)


def _attempts(*grades: float) -> list[GradedAttempt]:
    return [
        GradedAttempt(grade, START + dt.timedelta(hours=i), 10 + i)
        for i, grade in enumerate(grades)
    ]


def test_grading_methods():
    attempts = _attempts(40, 90, 70)[::-1]  # the order given does not matter
    assert final_grade(HIGHEST, attempts) == 90
    assert final_grade(AVERAGE, attempts) == pytest.approx(200 / 3)
    assert final_grade(FIRST, attempts) == 40
    assert final_grade(LAST, attempts) == 70
    for method in GRADING_METHODS:
        assert final_grade(method, []) is None
    with pytest.raises(ValueError, match="unknown grading method"):
        final_grade("best", attempts)


def test_equal_finish_times_are_ordered_by_attempt_id():
    attempts = [GradedAttempt(80, START, 7), GradedAttempt(20, START, 5)]
    assert final_grade(FIRST, attempts) == 20 and final_grade(LAST, attempts) == 80


# -- Score distribution and histogram ------------------------------------------------------


def test_bins_and_their_edges():
    assert [bin_of(p) for p in (0, 9.99, 10, 55, 89.999, 90, 99.9, 100)] == [
        0, 0, 1, 5, 8, 9, 9, 9,
    ]  # fmt: skip
    assert bin_of(0.7 * 100) == 7 and bin_of(0.29 * 100) == 2
    assert bin_of(70 - 1e-12) == 7  # float noise, not a real score under 70
    assert bin_of(-5) == 0 and bin_of(104) == 9
    assert bin_of(50, bins=4) == 2
    with pytest.raises(ValueError):
        bin_of(math.nan)
    with pytest.raises(ValueError):
        bin_of(5, bins=0)


def test_score_distribution_summary():
    scores = [100 * t / 6 for t in _totals()]
    summary = score_distribution(count_scores(scores))
    assert summary.count == 8
    # 83.3, 87.5, 54.2, 50, 45.8, 33.3, 25, 37.5 %
    assert [b.count for b in summary.bins] == [0, 0, 1, 2, 1, 2, 0, 0, 2, 0]
    assert summary.bins[3] == HistogramBin(30, 40, 2, 25.0, False)
    assert summary.bins[-1].closed and summary.bins[-1].high == 100
    assert summary.mean == pytest.approx(statistics.mean(scores))
    assert summary.median == pytest.approx(statistics.median(scores))
    assert summary.sd == pytest.approx(statistics.stdev(scores))
    empty = score_distribution({})
    assert empty.count == 0 and empty.mean is None and empty.bins[3].share is None


def _histogram(summary, **kwargs) -> str:
    return histogram_svg(
        summary,
        title="Scores <of> the class",
        description="8 learners; the table below gives the counts.",
        tick_label=lambda edge: f"{edge:.0f}%",
        bar_label=lambda b: f"{b.low:.0f}–{b.high:.0f}%: {b.count}",
        **kwargs,
    )


def test_histogram_svg_is_accessible_and_escaped():
    summary = score_distribution(count_scores([100 * t / 6 for t in _totals()]))
    svg = _histogram(summary)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="score-histogram-title score-histogram-desc"' in svg
    assert '<title id="score-histogram-title">Scores &lt;of&gt; the class</title>' in svg
    assert "<of>" not in svg
    # One bar per bin with scores, each with its tooltip; no colour written in the markup.
    assert svg.count("<rect ") == 5
    assert "<title>80–90%: 2</title>" in svg
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|fill=|stroke=", svg)
    # Labels at every other edge fit; 100% is kept inside the drawing.
    labels = re.findall(r'text-anchor="(\w+)" font-size="13">(\d+)%</text>', svg)
    assert [text for _anchor, text in labels] == ["0", "20", "40", "60", "80", "100"]
    assert labels[-1][0] == "end"
    # The y axis runs to a round count above the tallest bar.
    assert re.findall(r'text-anchor="end" font-size="13">(\d+)</text>', svg) == ["0", "1", "2"]
    assert _histogram(score_distribution({})) == ""


def test_histogram_bars_are_as_tall_as_their_counts():
    summary = score_distribution({5.0: 2, 95.0: 4, 100.0: 4})
    svg = _histogram(summary, element_id="h")
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 2 and heights[1] == pytest.approx(4 * heights[0], abs=0.2)
    assert 'id="h"' in svg


@pytest.mark.parametrize(
    ("largest", "step"), [(0, 1), (1, 1), (4, 1), (7, 2), (23, 5), (100, 20), (999, 200)]
)
def test_count_step(largest, step):
    assert count_step(largest) == step
    assert math.ceil(max(largest, 1) / step) <= 5


# -- Purity --------------------------------------------------------------------------------

STATISTICS_MODULES = [
    "score_statistics",
    "item_analysis",
    "response_analysis",
    "grading",
    "histograms",
]


@pytest.mark.parametrize("name", STATISTICS_MODULES)
def test_statistics_modules_import_only_the_standard_library_and_the_core(name):
    path = Path(__file__).resolve().parent.parent / "quizapp" / "core" / f"{name}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    for module in imported:
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or module.startswith("quizapp.core."), module
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


# -- Properties ----------------------------------------------------------------------------

marks_st = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])


@st.composite
def score_matrices(draw):
    items = draw(st.integers(1, 5))
    attempts = draw(st.integers(1, 12))
    maxima = draw(st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=items, max_size=items))
    matrix = [[draw(marks_st) * maxima[i] for i in range(items)] for _attempt in range(attempts)]
    return matrix, maxima


@given(score_matrices())
def test_properties_of_any_analysis(data):
    matrix, maxima = data
    names = [f"q{i}" for i in range(len(maxima))]
    result = analyse_rows(_rows(matrix, names, dict(zip(names, maxima, strict=True))))
    totals = _totals(matrix)
    assert result.overall.attempts == len(matrix)
    assert min(totals) - 1e-9 <= result.overall.median <= max(totals) + 1e-9
    assert result.overall.mean == pytest.approx(statistics.mean(totals))
    if result.overall.alpha is not None:
        assert result.overall.alpha <= 1 + 1e-9
        assert result.overall.error_ratio >= 0
        if result.overall.alpha >= 0:
            assert result.overall.error_ratio <= 100 + 1e-6
    for item in result.items:
        assert -1e-9 <= item.facility <= 100 + 1e-9
        assert item.sd is None or item.sd >= 0
        if item.discrimination is not None:
            assert -100 - 1e-6 <= item.discrimination <= 100 + 1e-6
        if item.efficiency is not None:
            assert item.efficiency <= 100 + 1e-6
            # Both share the covariance's sign.
            assert item.efficiency * item.discrimination >= -1e-9


@given(st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=1, max_size=40))
@example([0.0, 0.0, 3.29e-109])  # a spread of float noise: k2^(3/2) underflowed to 0
def test_distribution_moments_match_the_standard_library(values):
    result = overall_statistics(count_scores(values))
    assert result.mean == pytest.approx(statistics.mean(values), abs=1e-6)
    assert result.median == pytest.approx(statistics.median(values), abs=1e-9)
    if len(values) > 1:
        assert result.sd == pytest.approx(statistics.stdev(values), rel=1e-6, abs=1e-6)
    else:
        assert result.sd is None


@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=8),
    st.sampled_from(GRADING_METHODS),
)
def test_a_final_grade_lies_within_the_attempts(grades, method):
    grade = final_grade(method, _attempts(*grades))
    assert min(grades) - 1e-9 <= grade <= max(grades) + 1e-9


@given(st.lists(st.floats(-10, 110, allow_nan=False), max_size=50))
def test_every_score_lands_in_one_bin(scores):
    summary = score_distribution(count_scores(scores))
    assert sum(b.count for b in summary.bins) == len(scores)
    if scores:
        assert sum(b.share for b in summary.bins) == pytest.approx(100)


@given(
    st.dictionaries(st.sampled_from([0.0, 0.5, 1.0]), st.integers(1, 5), min_size=1),
    st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=6),
)
def test_sorted_pairing_bounds_every_covariance(mark_counts, rest_values):
    """Cmax is the largest Σ(x − x̄)(R − R̄) of any pairing (rearrangement inequality)."""
    marks = sorted(v for v, c in mark_counts.items() for _ in range(c))
    n = len(marks)
    assume(n >= 2)
    rests = [rest_values[i % len(rest_values)] for i in range(n)]
    mean_x, mean_r = statistics.mean(marks), statistics.mean(rests)
    largest = sorted_covariance_sum(mark_counts, dict(Counter(rests)), mean_x, mean_r)
    any_pairing = sum((x - mean_x) * (r - mean_r) for x, r in zip(marks, rests, strict=True))
    assert any_pairing <= largest + 1e-9
    assert largest == pytest.approx(
        sum((x - mean_x) * (r - mean_r) for x, r in zip(marks, sorted(rests), strict=True)),
        abs=1e-9,
    )


@pytest.mark.parametrize(
    "scores",
    [
        [0.0, 0.0, 3.29e-109],
        [0.0, 0.0, 0.0, 3.29e-109],
        [5.0, 5.0, 5.0, 5.0 + 1e-300],
        [1e-200, 0.0, 0.0, 0.0, 1e-200],
    ],
)
def test_a_spread_of_float_noise_gives_no_shape_rather_than_a_division_by_zero(scores):
    counts = count_scores(scores)
    for measure in (skewness_of, kurtosis_of):
        value = measure(counts)
        assert value is None or math.isfinite(value)
    overall_statistics(counts)  # every figure of the test at once


def test_an_item_with_tiny_spreads_gets_a_finite_discrimination_or_none():
    # Marks and rests that differ by float noise: the product of their spreads underflows.
    sums = ItemSums(
        item="tiny",
        max_mark=1.0,
        mark_counts={0.0: 2, 1e-160: 1},
        rest_counts={0.0: 2, 1e-160: 1},
        sum_mark_rest=0.0,
    )
    result = item_statistics(sums)
    assert result.discrimination is None or -100 - 1e-6 <= result.discrimination <= 100 + 1e-6

"""Item analysis: Moodle's quiz statistics per question (or per fact), pure arithmetic on
counts and sums that SQL can give (no Flask, no database).

Formula source: MoodleDocs, "Quiz statistics calculations" (Question statistics), as Moodle
computes them in question/classes/statistics/questions/calculator.php. Notation: for an item
i and an attempt s, x = the item's mark, T = the attempt's total and R = T − x the rest of the
test; S = the attempts that included the item.

- facility index F = 100 · x̄ / max, in %;
- standard deviation SD = 100 · √V(x) / max, in %, with V the sample variance (S − 1);
- discrimination index D = 100 · C(x, R) / √(V(x)·V(R)): the item–rest correlation;
- discriminative efficiency E = 100 · C(x, R) / Cmax(x, R), where Cmax pairs the item's marks
  and the rests each sorted in the same order: the largest covariance the two distributions
  allow;
- random guess score: `random_guess_score`, per question type as Moodle's;
- flags (`item_flags`): efficiency under 15 %, facility under 10 % or over 90 %.

An item's input (`ItemSums`) is two distributions and one sum per item: {mark: attempts},
{rest: attempts} and Σ x·R, each a single `GROUP BY` over the responses joined to their
attempt's total, so a report never holds the responses. `ItemAnalysisBuilder` makes the same
inputs from a stream of (attempt, item, mark, max) rows instead. Unanswered questions of an
attempt must be given with mark 0 (Moodle's first approach to incomplete attempts).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quizapp.core.score_statistics import (
    OverallStatistics,
    ScoreCounts,
    central_sums,
    overall_statistics,
)

# Moodle's thresholds for a question worth a second look.
EFFICIENCY_FLOOR = 15.0  # discriminative efficiency under this, in %
FACILITY_FLOOR = 10.0  # facility under this (too hard), in %
FACILITY_CEILING = 90.0  # facility over this (too easy), in %
LOW_EFFICIENCY, TOO_HARD, TOO_EASY = "low_efficiency", "too_hard", "too_easy"
# Question types answered by typing: a guess scores nothing.
TYPED_TYPES = frozenset({"short", "cloze", "numeric"})


def random_guess_score(
    question_type: str, options: int | None = None, weights: Sequence[float] | None = None
) -> float | None:
    """The mean score of a random guess, in % of the mark (Moodle's get_random_guess_score of
    the matching question type, ×100).

    - "mcq" (one answer): the mean of the options' weights (fractions of the mark, as
      Moodle's single-answer multichoice), so 100/`options` when one option is right; give
      `weights` for a hand-written question with partial credit, else `options`.
    - "tf": 50 (Moodle's truefalse).
    - "match": 100/`options`, `options` being the number of choices (Moodle's match).
    - "multi" (several right answers): None; Moodle does not compute it either ("pretty much
      impossible to compute for multi questions").
    - "order": 0 (Moodle's ordering type keeps the question types' default, 0).
    - typed answers ("short", "cloze", "numeric"): 0 (Moodle's shortanswer and numerical,
      which quizapp's typed questions are, without a "*" answer that takes anything).

    Raises ValueError on an unknown type, or on "mcq"/"match" without weights or a positive
    number of options.
    """
    if question_type == "mcq" and weights:
        return 100 * math.fsum(weights) / len(weights)
    if question_type in ("mcq", "match"):
        if options is None or options < 1:
            raise ValueError(f"a {question_type} question needs its number of options")
        return 100 / options
    if question_type == "tf":
        return 50.0
    if question_type == "multi":
        return None
    if question_type == "order" or question_type in TYPED_TYPES:
        return 0.0
    raise ValueError(f"unknown question type {question_type!r}")


@dataclass(frozen=True)
class ItemSums:
    """One item's aggregates over the attempts that included it.

    `mark_counts` maps each mark the item got (in marks, 0 to `max_mark`) to the number of
    attempts with it; `rest_counts` maps each rest score (the attempt's total minus this
    item's mark) to its number of attempts; `sum_mark_rest` is Σ x·(T − x) over the same
    attempts. Both distributions must count the same attempts.
    """

    item: Hashable
    max_mark: float
    mark_counts: ScoreCounts
    rest_counts: ScoreCounts
    sum_mark_rest: float


@dataclass(frozen=True)
class ItemStatistics:
    """Moodle's statistics of one item; a figure is None where it is undefined.

    `mean_mark` is in marks and `mark_variance` (sample, S − 1) in marks squared (the input of
    Cronbach's alpha); `facility`, `sd`, `random_guess`, `discrimination` and `efficiency` are
    percentages (discrimination from −100 to 100; efficiency at most 100, possibly below −100).
    """

    item: Hashable
    attempts: int
    max_mark: float
    mean_mark: float | None
    mark_variance: float | None
    facility: float | None
    sd: float | None
    random_guess: float | None
    discrimination: float | None
    efficiency: float | None
    flags: tuple[str, ...] = field(default=())

    @property
    def dubious(self) -> bool:
        """True when any flag is raised (Moodle highlights such a question)."""
        return bool(self.flags)


@dataclass(frozen=True)
class ItemAnalysis:
    """The whole analysis: the test's overall statistics and each item's, in input order."""

    overall: OverallStatistics
    items: list[ItemStatistics]


def item_flags(facility: float | None, efficiency: float | None) -> tuple[str, ...]:
    """The reasons to look at an item again: LOW_EFFICIENCY (efficiency < 15 %), TOO_HARD
    (facility < 10 %), TOO_EASY (facility > 90 %). An undefined figure raises no flag (an item
    everyone got right has no efficiency, but is TOO_EASY).
    """
    flags = []
    if efficiency is not None and efficiency < EFFICIENCY_FLOOR:
        flags.append(LOW_EFFICIENCY)
    if facility is not None and facility < FACILITY_FLOOR:
        flags.append(TOO_HARD)
    if facility is not None and facility > FACILITY_CEILING:
        flags.append(TOO_EASY)
    return tuple(flags)


def sorted_covariance_sum(
    mark_counts: ScoreCounts, rest_counts: ScoreCounts, mark_mean: float, rest_mean: float
) -> float:
    """Σ (x₍k₎ − x̄)(R₍k₎ − R̄) with both lists sorted ascending and paired rank by rank: the
    numerator of Moodle's Cmax (divide by S − 1), here from the two distributions by merging
    their runs, in time proportional to the number of distinct values.

    Raises ValueError when the two distributions count different numbers of attempts.
    """
    marks = sorted((float(v), c) for v, c in mark_counts.items() if c)
    rests = sorted((float(v), c) for v, c in rest_counts.items() if c)
    if sum(c for _v, c in marks) != sum(c for _v, c in rests):
        raise ValueError("the marks and the rests must count the same attempts")
    terms = []
    i = j = 0
    left_mark = marks[0][1] if marks else 0
    left_rest = rests[0][1] if rests else 0
    while i < len(marks) and j < len(rests):
        run = min(left_mark, left_rest)
        terms.append(run * (marks[i][0] - mark_mean) * (rests[j][0] - rest_mean))
        left_mark -= run
        left_rest -= run
        if not left_mark:
            i += 1
            left_mark = marks[i][1] if i < len(marks) else 0
        if not left_rest:
            j += 1
            left_rest = rests[j][1] if j < len(rests) else 0
    return math.fsum(terms)


def item_statistics(sums: ItemSums, random_guess: float | None = None) -> ItemStatistics:
    """Moodle's statistics of one item from its aggregates (see the module's formulas).

    `random_guess` (in %, from `random_guess_score`) is passed through. Undefined figures are
    None: everything without attempts; the variance, SD, discrimination and efficiency with
    fewer than 2 attempts or when the item's marks or the rests do not vary (an item that
    everyone got right has facility 100 and nothing else); facility and SD when `max_mark` is
    0 (as Moodle). Raises ValueError on a negative `max_mark`, bad counts or distributions that
    count different attempts.
    """
    if sums.max_mark < 0:
        raise ValueError(f"item {sums.item!r}: max_mark must not be negative")
    n, mark_mean, mark_power2, _m3, _m4 = central_sums(sums.mark_counts)
    rest_n, rest_mean, rest_power2, _r3, _r4 = central_sums(sums.rest_counts)
    if n != rest_n:
        raise ValueError(f"item {sums.item!r}: marks and rests count different attempts")
    scale = 100 / sums.max_mark if sums.max_mark > 0 else None
    if not n:
        return ItemStatistics(
            sums.item, 0, sums.max_mark, None, None, None, None, random_guess, None, None
        )
    facility = mark_mean * scale if scale is not None else None
    variance = mark_power2 / (n - 1) if n > 1 else None
    sd = math.sqrt(variance) * scale if variance is not None and scale is not None else None
    discrimination = efficiency = None
    # The roots apart: their product can underflow to 0 for two tiny spreads.
    spread = math.sqrt(mark_power2) * math.sqrt(rest_power2) if n > 1 else 0.0
    if mark_power2 > 0 and rest_power2 > 0 and spread > 0:
        # Σ(x − x̄)(R − R̄) = Σ x·R − n·x̄·R̄; the factors 1/(S − 1) cancel in both ratios.
        covariance = sums.sum_mark_rest - n * mark_mean * rest_mean
        discrimination = 100 * covariance / spread
        largest = sorted_covariance_sum(sums.mark_counts, sums.rest_counts, mark_mean, rest_mean)
        if largest > 0:
            efficiency = 100 * covariance / largest
    return ItemStatistics(
        item=sums.item,
        attempts=n,
        max_mark=sums.max_mark,
        mean_mark=mark_mean,
        mark_variance=variance,
        facility=facility,
        sd=sd,
        random_guess=random_guess,
        discrimination=discrimination,
        efficiency=efficiency,
        flags=item_flags(facility, efficiency),
    )


def analyse(
    totals: ScoreCounts,
    items: Iterable[ItemSums],
    random_guess: Mapping[Hashable, float | None] | None = None,
) -> ItemAnalysis:
    """The overall statistics of `totals` ({attempt total: attempts}) and each item's.

    Cronbach's alpha (and so the error ratio and standard error) needs every item in every
    attempt (the same questions for everyone); when an item counts fewer attempts than the
    totals (a different set per learner, analysed per fact), they are None. Analysing the
    positions of such a test as its items (every attempt has a first question, a second...)
    gives them back, as Moodle does for random questions. `random_guess` maps an item to its
    random guess score in %.
    """
    guesses = random_guess or {}
    stats = [item_statistics(sums, guesses.get(sums.item)) for sums in items]
    overall = overall_statistics(totals)
    if stats and all(item.attempts == overall.attempts for item in stats):
        overall = overall_statistics(totals, [item.mark_variance for item in stats])
    return ItemAnalysis(overall, stats)


class _Sum:
    """A running sum with Neumaier's compensation: exact enough for millions of terms."""

    def __init__(self) -> None:
        self.total = 0.0
        self.compensation = 0.0

    def add(self, value: float) -> None:
        total = self.total + value
        if abs(self.total) >= abs(value):
            self.compensation += (self.total - total) + value
        else:
            self.compensation += (value - total) + self.total
        self.total = total

    @property
    def value(self) -> float:
        return self.total + self.compensation


class ItemAnalysisBuilder:
    """Collects `analyse`'s inputs from (attempt_id, item, mark, max_mark) rows, one attempt at
    a time, so its memory is the distinct marks and rests per item, not the responses.

    The rows must come grouped by attempt (ORDER BY attempt); each (attempt, item) once; an
    item always with the same `max_mark` (give marks as a share of 1 when they differ).
    Raises ValueError otherwise, or on a mark that is not a finite number.
    """

    def __init__(self) -> None:
        self._totals: Counter[float] = Counter()
        self._max: dict[Hashable, float] = {}
        self._marks: defaultdict[Hashable, Counter[float]] = defaultdict(Counter)
        self._rests: defaultdict[Hashable, Counter[float]] = defaultdict(Counter)
        self._products: defaultdict[Hashable, _Sum] = defaultdict(_Sum)
        self._done: set[Hashable] = set()
        self._current: Hashable = None
        self._pending: dict[Hashable, float] = {}

    def add(self, attempt: Hashable, item: Hashable, mark: float, max_mark: float) -> None:
        """Add one response row (see the class)."""
        mark, max_mark = float(mark), float(max_mark)
        if not (math.isfinite(mark) and math.isfinite(max_mark)):
            raise ValueError(f"attempt {attempt!r}, item {item!r}: marks must be finite")
        if self._max.setdefault(item, max_mark) != max_mark:
            raise ValueError(
                f"item {item!r} has max marks {self._max[item]} and {max_mark}: "
                "give marks as a share of 1 instead"
            )
        if attempt != self._current or not self._pending:
            if attempt in self._done:
                raise ValueError(f"the rows of attempt {attempt!r} must come together")
            self._close()
            self._current = attempt
        if item in self._pending:
            raise ValueError(f"attempt {attempt!r} has item {item!r} twice")
        self._pending[item] = mark

    def feed(self, rows: Iterable[tuple[Hashable, Hashable, float, float]]) -> None:
        """Add every (attempt_id, item, mark, max_mark) row of `rows`."""
        for attempt, item, mark, max_mark in rows:
            self.add(attempt, item, mark, max_mark)

    def _close(self) -> None:
        if not self._pending:
            return
        total = math.fsum(self._pending.values())
        self._totals[total] += 1
        for item, mark in self._pending.items():
            rest = total - mark
            self._marks[item][mark] += 1
            self._rests[item][rest] += 1
            self._products[item].add(mark * rest)
        self._done.add(self._current)
        self._pending = {}

    def inputs(self) -> tuple[dict[float, int], list[ItemSums]]:
        """(totals distribution, items' sums in order of first appearance) so far."""
        self._close()
        items = [
            ItemSums(
                item,
                max_mark,
                dict(self._marks[item]),
                dict(self._rests[item]),
                self._products[item].value,
            )
            for item, max_mark in self._max.items()
        ]
        return dict(self._totals), items

    def analyse(self, random_guess: Mapping[Hashable, float | None] | None = None) -> ItemAnalysis:
        """`analyse` on the rows added so far."""
        totals, items = self.inputs()
        return analyse(totals, items, random_guess)


def analyse_rows(
    rows: Iterable[tuple[Hashable, Hashable, float, float]],
    random_guess: Mapping[Hashable, float | None] | None = None,
) -> ItemAnalysis:
    """`analyse` on (attempt_id, item, mark, max_mark) rows grouped by attempt (see
    `ItemAnalysisBuilder` for the rules and errors)."""
    builder = ItemAnalysisBuilder()
    builder.feed(rows)
    return builder.analyse(random_guess)

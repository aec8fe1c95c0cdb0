"""Statistics of a test's scores, as Moodle's quiz statistics report defines them: pure
arithmetic on counts (no Flask, no database).

Formula source for everything here: MoodleDocs, "Quiz statistics calculations" (Test
statistics), as Moodle computes them in mod/quiz/report/statistics/classes/calculator.php.

Scores come as a *distribution*: a mapping from each distinct score to the number of attempts
that got it (`ScoreCounts`). SQL gives one with a single `GROUP BY score`, so a report never
holds a row per attempt, let alone per response; `count_scores` builds one from any iterable.
Central moments are summed around the mean (two passes over the distinct scores, with
`math.fsum`), never as raw power sums, which lose every digit to cancellation on large classes.
Every function that takes `ScoreCounts` raises ValueError on a score that is not a finite
number or a count that is not a whole number >= 0.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

ScoreCounts = Mapping[float, int]


def count_scores(scores: Iterable[float]) -> dict[float, int]:
    """The distribution of `scores`: {distinct score: number of attempts with it}.

    Raises ValueError on a score that is not a finite number.
    """
    counts: Counter[float] = Counter()
    for score in scores:
        counts[_finite(score)] += 1
    return dict(counts)


def _finite(value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"a score must be a finite number, not {value!r}")
    return value


def _checked(counts: ScoreCounts) -> list[tuple[float, int]]:
    """(score, count) pairs sorted by score, zero counts dropped; ValueError on bad input."""
    pairs = []
    for score, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"the count of score {score!r} must be a whole number >= 0")
        if count:
            pairs.append((_finite(score), count))
    pairs.sort()
    return pairs


def attempts_of(counts: ScoreCounts) -> int:
    """The number of attempts in the distribution (0 when empty)."""
    return sum(count for _score, count in _checked(counts))


def mean_of(counts: ScoreCounts) -> float | None:
    """The mean score, in the scores' unit; None without attempts."""
    pairs = _checked(counts)
    return _mean(pairs) if pairs else None


def _mean(pairs: list[tuple[float, int]]) -> float:
    if len(pairs) == 1:
        # One distinct score is its own mean exactly; a computed mean could be off by an ulp
        # and make a spread out of nothing.
        return pairs[0][0]
    n = sum(count for _score, count in pairs)
    return math.fsum(score * count for score, count in pairs) / n


def median_of(counts: ScoreCounts) -> float | None:
    """The median score (the mean of the two middle ones for an even count); None if empty.

    Moodle: the middle attempt's score, or the average of the two middle ones.
    """
    pairs = _checked(counts)
    n = sum(count for _score, count in pairs)
    if not n:
        return None
    # 1-based ranks of the middle attempt(s): (n+1)/2 for odd n, n/2 and n/2+1 for even n.
    wanted = [(n + 1) // 2] if n % 2 else [n // 2, n // 2 + 1]
    found: list[float] = []
    seen = 0
    for score, count in pairs:
        seen += count
        while wanted and wanted[0] <= seen:
            found.append(score)
            wanted.pop(0)
        if not wanted:
            break
    return math.fsum(found) / len(found)


def central_sums(counts: ScoreCounts) -> tuple[int, float, float, float, float]:
    """(n, mean, Σ(X−X̄)², Σ(X−X̄)³, Σ(X−X̄)⁴) over the attempts; (0, nan, 0, 0, 0) if empty.

    These are Moodle's `power2`, `power3` and `power4`. A single distinct score gives exact
    zeros.
    """
    pairs = _checked(counts)
    n = sum(count for _score, count in pairs)
    if not n:
        return 0, math.nan, 0.0, 0.0, 0.0
    mean = _mean(pairs)
    deviations = [(score - mean, count) for score, count in pairs]
    return (
        n,
        mean,
        math.fsum(count * d * d for d, count in deviations),
        math.fsum(count * d**3 for d, count in deviations),
        math.fsum(count * d**4 for d, count in deviations),
    )


def sample_variance_of(counts: ScoreCounts) -> float | None:
    """The sample variance Σ(X−X̄)²/(n−1), in the scores' unit squared (Moodle's k2).

    None with fewer than 2 attempts, where it is undefined.
    """
    n, _mean, power2, _p3, _p4 = central_sums(counts)
    return power2 / (n - 1) if n > 1 else None


def sample_sd_of(counts: ScoreCounts) -> float | None:
    """The sample standard deviation √(Σ(X−X̄)²/(n−1)), as Moodle; None below 2 attempts."""
    variance = sample_variance_of(counts)
    return math.sqrt(variance) if variance is not None else None


def skewness_of(counts: ScoreCounts) -> float | None:
    """Moodle's skewness k3 / k2^(3/2), with m_p = Σ(X−X̄)^p / n, k2 = n·m2/(n−1) and
    k3 = n²·m3/((n−1)(n−2)) (the adjusted Fisher–Pearson coefficient, a spreadsheet's SKEW).

    Unitless. None with fewer than 3 attempts or when every score is the same (k2 = 0).
    """
    n, _mean, power2, power3, _p4 = central_sums(counts)
    if n < 3 or power2 == 0:
        return None
    m2, m3 = power2 / n, power3 / n
    k2 = n * m2 / (n - 1)
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    # A spread of float noise (scores equal but for 1e-109) underflows k2^(3/2) to 0.
    scale = k2**1.5
    return k3 / scale if scale > 0 else None


def kurtosis_of(counts: ScoreCounts) -> float | None:
    """Moodle's (excess) kurtosis k4 / k2², with k4 = n²((n+1)·m4 − 3(n−1)·m2²) /
    ((n−1)(n−2)(n−3)) (a spreadsheet's KURT: 0 for a normal distribution).

    Unitless. None with fewer than 4 attempts or when every score is the same (k2 = 0).
    """
    n, _mean, power2, _p3, power4 = central_sums(counts)
    if n < 4 or power2 == 0:
        return None
    m2, m4 = power2 / n, power4 / n
    k2 = n * m2 / (n - 1)
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    scale = k2 * k2  # 0 by underflow for a spread of float noise, as in skewness_of
    return k4 / scale if scale > 0 else None


def cronbach_alpha(
    item_variances: Sequence[float | None], total_variance: float | None
) -> float | None:
    """Cronbach's alpha: k/(k−1) · (1 − ΣV(x_i) / V(X)), a fraction at most 1 for
    consistent data (Moodle shows it ×100 as the "coefficient of internal consistency").

    `item_variances` are the k items' sample variances and `total_variance` the totals' sample
    variance (Moodle's k2), all in the same mark unit squared, over the same attempts: the
    totals must be the sums of these items' marks. None when undefined: fewer than 2 items, an
    item variance missing (fewer than 2 attempts), or no spread in the totals.
    """
    k = len(item_variances)
    if k < 2 or total_variance is None or total_variance <= 0:
        return None
    if any(v is None for v in item_variances):
        return None
    sum_of_variances = math.fsum(v for v in item_variances if v is not None)
    return k / (k - 1) * (1 - sum_of_variances / total_variance)


def error_ratio(alpha: float | None) -> float | None:
    """Moodle's error ratio ER = 100·√(1 − CIC/100) = 100·√(1 − α), in %; None without α.

    The share of the scores' spread that is noise rather than the learners' differences.
    """
    if alpha is None:
        return None
    return 100 * math.sqrt(max(0.0, 1 - alpha))


def standard_error(alpha: float | None, sd: float | None) -> float | None:
    """Moodle's standard error SE = ER/100 · SD, in the scores' unit; None without α or SD."""
    ratio = error_ratio(alpha)
    if ratio is None or sd is None:
        return None
    return ratio * sd / 100


@dataclass(frozen=True)
class OverallStatistics:
    """A test's statistics over its attempts (fields are None where undefined, see each).

    `mean`, `median`, `sd` (sample, n−1) and `standard_error` are in the unit of the totals
    given (marks; `as_percentages` rescales them); `skewness`, `kurtosis` and `alpha` are
    unitless; `error_ratio` is a percentage.
    """

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    error_ratio: float | None
    standard_error: float | None

    def as_percentages(self, max_total: float) -> OverallStatistics:
        """The same statistics with the mark-valued ones as a percentage of `max_total`.

        Raises ValueError unless `max_total` > 0.
        """
        if not max_total > 0:
            raise ValueError("max_total must be positive")

        def scale(value: float | None) -> float | None:
            return None if value is None else value * 100 / max_total

        return replace(
            self,
            mean=scale(self.mean),
            median=scale(self.median),
            sd=scale(self.sd),
            standard_error=scale(self.standard_error),
        )


def overall_statistics(
    totals: ScoreCounts, item_variances: Sequence[float | None] | None = None
) -> OverallStatistics:
    """Moodle's overall (test) statistics of the attempts' totals.

    `totals` is the distribution of the attempts' total marks ({total: attempts}).
    `item_variances`, the sample variance of each item's marks over the same attempts, gives
    Cronbach's alpha, the error ratio and the standard error; without it (or with fewer than
    2 items) they are None. Undefined figures are None: sd from 1 attempt, skewness below 3,
    kurtosis below 4, skewness, kurtosis and alpha when every total is the same. Moodle shows
    alpha only from 3 attempts (it computes it inside its skewness branch); the formula is
    the same. Raises ValueError on a non-finite total or a negative or fractional count.
    """
    n = attempts_of(totals)
    sd = sample_sd_of(totals)
    variance = sample_variance_of(totals)
    alpha = cronbach_alpha(item_variances, variance) if item_variances is not None else None
    return OverallStatistics(
        attempts=n,
        mean=mean_of(totals),
        median=median_of(totals),
        sd=sd,
        skewness=skewness_of(totals),
        kurtosis=kurtosis_of(totals),
        alpha=alpha,
        error_ratio=error_ratio(alpha),
        standard_error=standard_error(alpha, sd),
    )

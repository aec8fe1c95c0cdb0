"""Wrong answers that look right: same kind, same language, same form as the key.

Names come from the bank's other facts and its curated pools; dates, years and numbers are made
near the key and written in its form. The key's rank among the options (by value, or by length
for names) is drawn uniformly, so "pick the middle one" or "pick the longest" never pays.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from quizapp.core.bank import NUMERIC_KINDS, Fact
from quizapp.core.values import (
    PartialDate,
    contains_phrase,
    format_date_like,
    format_like,
    normalise,
    parse_date,
    parse_quantity,
)

# A year in the future, or far from the key, would give itself away.
YEAR_SPREAD = 6
LATEST_YEAR = dt.date.today().year
# How many random candidates are looked at per question: keeps the cost flat in the bank's size.
SAMPLE_SIZE = 48


class DistractorIndex:
    """Candidate wrong answers per (language, kind), built once per bank."""

    def __init__(self, facts: Iterable[Fact], pools: dict[str, dict[str, list[str]]]):
        self._candidates: dict[tuple[str, str], list[str]] = defaultdict(list)
        seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        for language, by_kind in pools.items():
            for kind, values in by_kind.items():
                for value in values:
                    self._add(seen, (language, kind), value)
        for fact in facts:
            if fact.kind not in NUMERIC_KINDS and fact.kind != "date":
                self._add(seen, (fact.language, fact.kind), fact.answer)

    def _add(self, seen: dict[tuple[str, str], set[str]], key: tuple[str, str], value: str) -> None:
        folded = normalise(value)
        if folded and folded not in seen[key]:
            seen[key].add(folded)
            self._candidates[key].append(value)

    def candidates(self, language: str, kind: str) -> list[str]:
        """All names of this kind and language that may serve as wrong answers."""
        return self._candidates.get((language, kind), [])

    def choose(self, fact: Fact, count: int, rng: random.Random) -> list[str]:
        """Up to `count` distinct wrong answers for the fact, in the key's kind and form."""
        if fact.kind == "date":
            return _near_dates(fact, count, rng)
        if fact.kind in NUMERIC_KINDS:
            return _near_numbers(fact, count, rng)
        return self._names(fact, count, rng)

    def _names(self, fact: Fact, count: int, rng: random.Random) -> list[str]:
        pool = self.candidates(fact.language, fact.kind)
        if len(pool) > SAMPLE_SIZE:
            sample = [pool[i] for i in rng.sample(range(len(pool)), SAMPLE_SIZE)]
        else:
            sample = list(pool)
            rng.shuffle(sample)
        chosen_folded: list[str] = []
        usable: list[str] = []
        for candidate in sample:
            folded = normalise(candidate)
            if folded in chosen_folded or not acceptable_distractor(fact, candidate):
                continue
            chosen_folded.append(folded)
            usable.append(candidate)
        return _by_length_rank(fact.answer, usable, count, rng)


def acceptable_distractor(fact: Fact, candidate: str) -> bool:
    """Whether a value may be offered as wrong: not the key, an alias, or named by the evidence."""
    folded = normalise(candidate)
    if not folded:
        return False
    words = set(folded.split())
    for form in fact.accepted:
        accepted = normalise(form)
        if folded == accepted:
            return False
        # "Michael" for "King Michael": one inside the other is the same answer, half-written.
        accepted_words = set(accepted.split())
        if words <= accepted_words or accepted_words <= words:
            return False
    if any(normalise(excluded) == folded for excluded in fact.exclude_distractors):
        return False
    return not contains_phrase(fact.evidence.text, candidate)


def _by_length_rank(key: str, usable: list[str], count: int, rng: random.Random) -> list[str]:
    longer = [c for c in usable if len(c) > len(key)]
    not_longer = [c for c in usable if len(c) <= len(key)]
    wanted_longer = rng.randrange(count + 1)
    picked = longer[:wanted_longer]
    picked += not_longer[: count - len(picked)]
    if len(picked) < count:
        picked += [c for c in longer if c not in picked][: count - len(picked)]
    return picked


def _split_ranks(count: int, below: int, above: int, rng: random.Random) -> tuple[int, int]:
    """How many options go below and above the key, drawn uniformly where both sides allow."""
    possible = [n for n in range(count + 1) if n <= below and count - n <= above]
    if not possible:
        n = min(below, count)
        return n, min(above, count - n)
    n = rng.choice(possible)
    return n, count - n


def _near_numbers(fact: Fact, count: int, rng: random.Random) -> list[str]:
    quantity = parse_quantity(fact.answer)
    if quantity is None:
        return []
    figure = quantity.figure
    scale = quantity.value / figure if figure else Decimal(1)
    tolerance = Decimal(str(fact.tolerance)) / scale if scale else Decimal(0)
    if fact.kind == "year":
        step, spread = Decimal(1), Decimal(YEAR_SPREAD)
        low, high = figure - spread, min(figure + spread, Decimal(LATEST_YEAR))
    else:
        step = _rounding_step(figure)
        spread = max(step * 3, (abs(figure) * Decimal("0.45")).quantize(step) or step)
        spread = max(spread, tolerance * 3 + step)
        digits = len(str(int(abs(figure))))
        low = max(figure - spread, Decimal(10 ** (digits - 1)) if digits > 1 else Decimal(1))
        high = figure + spread
        if digits > 1:
            high = min(high, Decimal(10**digits - 1))
        if high - figure < step * 3:
            high = figure + step * 3
    gap = max(step, tolerance + step if tolerance else step)
    below = _steps(figure, low, -step, gap)
    above = _steps(figure, high, step, gap)
    accepted_values = {q.value for q in map(parse_quantity, fact.accepted) if q}
    below = [v for v in below if v * scale not in accepted_values]
    above = [v for v in above if v * scale not in accepted_values]
    n_below, n_above = _split_ranks(count, len(below), len(above), rng)
    values = rng.sample(below, n_below) + rng.sample(above, n_above)
    return [format_like(fact.answer, value) for value in values]


def _steps(start: Decimal, limit: Decimal, step: Decimal, gap: Decimal) -> list[Decimal]:
    values = []
    value = start + step
    while (value <= limit if step > 0 else value >= limit) and len(values) < 200:
        if abs(value - start) >= gap and value > 0:
            values.append(value)
        value += step
    return values


def _rounding_step(figure: Decimal) -> Decimal:
    """The precision the key is written to: 260,000 moves in ten thousands, 13,266 in units."""
    if figure != figure.to_integral_value():
        exponent = figure.normalize().as_tuple().exponent
        return Decimal(1).scaleb(int(exponent))
    integer = int(abs(figure))
    if integer == 0:
        return Decimal(1)
    zeros = len(str(integer)) - len(str(integer).rstrip("0"))
    # Keep at least two significant figures free to move.
    zeros = min(zeros, max(len(str(integer)) - 2, 0))
    return Decimal(10**zeros)


def _near_dates(fact: Fact, count: int, rng: random.Random) -> list[str]:
    key = parse_date(fact.answer)
    if key is None:
        return []
    accepted = {parse_date(form) for form in fact.accepted} - {None}
    before: list[PartialDate] = []
    after: list[PartialDate] = []
    # A few months either side for a day, a few months for a month, a few years for a year.
    shifts = 25 if key.day is not None else 8 if key.month is not None else YEAR_SPREAD
    for shift in range(1, shifts + 1):
        for sign, bucket in ((-1, before), (1, after)):
            candidate = _shift_date(key, sign * _date_step(key, shift))
            fresh = candidate and candidate not in accepted and candidate not in bucket
            if fresh and (candidate.year is None or candidate.year <= LATEST_YEAR):
                bucket.append(candidate)
    n_before, n_after = _split_ranks(count, len(before), len(after), rng)
    dates = rng.sample(before, n_before) + rng.sample(after, n_after)
    return [format_date_like(fact.answer, d) for d in dates]


def _date_step(key: PartialDate, shift: int) -> int:
    if key.day is None:
        return shift  # months
    # Days spread irregularly from a few days to a few months away.
    return shift * 3 + (shift * shift) % 7


def _shift_date(key: PartialDate, amount: int) -> PartialDate | None:
    if key.month is None:
        return PartialDate(key.year + amount, None, None) if key.year else None
    if key.day is None:
        months = (key.year or 2000) * 12 + key.month - 1 + amount
        year, month = divmod(months, 12)
        return PartialDate(year if key.year else None, month + 1, None)
    base = dt.date(key.year or 2000, key.month, key.day) + dt.timedelta(days=amount)
    if key.year is None and base.year != 2000:
        return None
    return PartialDate(base.year if key.year else None, base.month, base.day)

"""Wrong answers that look right: same category, same language, same form as the key.

Names come from the bank's curated pools and its other facts' answers, of the key's own
(language, kind, category) only: a question about a country offers countries, one about a
historian offers historians. A name fact without a category gets no wrong options. Dates, years
and numbers are made near the key and written in its form. The key's rank among the options (by
value, or by length for names) is drawn uniformly, so "pick the middle one" or "pick the
longest" never pays.

A wrong option is never an accepted answer, an excluded value, a value named in the evidence,
or an accepted answer of a fact about the same subject (the same topic, or the same passage,
kind and category): those could be true.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import islice

from quizapp.core.agreement import after_spanish_article, after_the, answer_span
from quizapp.core.bank_model import NAME_KINDS, NUMERIC_KINDS, Fact, PoolEntry
from quizapp.core.values import (
    PartialDate,
    contains_normalised,
    format_date_like,
    format_like,
    normalise,
    parse_date,
    parse_quantity,
)

# A year in the future, or far from the key, would give itself away.
# Years offered around a year key: near enough to be plausible (the same decade, the same war).
YEAR_SPREAD = 4
LATEST_YEAR = dt.date.today().year
# How many random candidates are looked at per question: keeps the cost flat in the bank's size.
SAMPLE_SIZE = 48
# Multiple choice shows the key and this many wrong options.
WRONG_OPTIONS = 3
# How many near dates or numbers eligibility checks look at (at least WRONG_OPTIONS).
NEAR_VALUES = 6


@dataclass(frozen=True)
class Candidate:
    """A value that may stand as a wrong answer, with the grammar it carries in a sentence."""

    text: str
    gender: str | None = None
    number: str = "singular"
    folded: str = ""  # normalise(text), computed once by the index


CategoryKey = tuple[str, str, str]  # (language, kind, category)


class DistractorIndex:
    """Candidate wrong answers per (language, kind, category), built once per bank.

    `pools` maps a language to its `PoolEntry` list (see core.bank_model). Checks that depend
    on one fact (`can_offer`) are cached per fact, so a bank is indexed in linear time.
    """

    def __init__(self, facts: Iterable[Fact], pools: dict[str, list[PoolEntry]]):
        facts = list(facts)
        self._candidates: dict[CategoryKey, list[Candidate]] = defaultdict(list)
        seen: dict[CategoryKey, set[str]] = defaultdict(set)
        for language, entries in pools.items():
            for entry in entries:
                if entry.category:
                    key = (language, entry.kind, entry.category)
                    self._add(seen, key, Candidate(entry.text, entry.gender, entry.number))
        for fact in facts:
            if fact.kind in NAME_KINDS and fact.category:
                key = (fact.language, fact.kind, fact.category)
                self._add(seen, key, Candidate(fact.answer, fact.gender, fact.number))
        # What is true of a subject: the answers of its topic's facts, and of the facts of the
        # same passage, kind and category (one sentence naming two countries proves both).
        self._by_topic: dict[str, set[str]] = defaultdict(set)
        self._by_passage: dict[tuple[str, str, str | None], set[str]] = defaultdict(set)
        self.statements: set[str] = set()
        # Names a statement says with an article, per language ("the Soviet Union", "la Unión
        # Soviética"): see false_statements.
        self.said_with_article: dict[str, set[str]] = defaultdict(set)
        for fact in facts:
            span = answer_span(fact.statement, fact.answer)
            if span is not None and (
                (fact.language == "en" and after_the(fact.statement, span))
                or (fact.language == "es" and after_spanish_article(fact.statement, span))
            ):
                self.said_with_article[fact.language].add(normalise(fact.answer))
            forms = {normalise(form) for form in fact.accepted}
            self._by_topic[fact.topic] |= forms
            self._by_passage[(fact.passage_id, fact.kind, fact.category)] |= forms
            self.statements.add(normalise(fact.statement))
        self._offer_cache: dict[tuple[Fact, int], int] = {}
        # Other per-fact results derived from this index (core.false_statements caches here).
        self.memo: dict[tuple[str, Fact], object] = {}

    def _add(self, seen: dict[CategoryKey, set[str]], key: CategoryKey, value: Candidate) -> None:
        folded = normalise(value.text)
        if folded and folded not in seen[key]:
            seen[key].add(folded)
            self._candidates[key].append(replace(value, folded=folded))

    def candidates(self, language: str, kind: str, category: str | None) -> list[Candidate]:
        """Every value of this (language, kind, category) that may serve as a wrong answer."""
        if not category:
            return []
        return self._candidates.get((language, kind, category), [])

    def true_of_subject(self, fact: Fact) -> set[str]:
        """Normalised values that are (or may be) true of the fact's subject: never wrong."""
        return self._by_topic.get(fact.topic, set()) | self._by_passage.get(
            (fact.passage_id, fact.kind, fact.category), set()
        )

    def acceptable(self, fact: Fact, candidate: str, folded: str | None = None) -> bool:
        """Whether a value may be offered as wrong for the fact (see acceptable_distractor),
        and is no accepted answer of a fact about the same subject. `folded` is
        normalise(candidate) when the caller has it."""
        view = self._view(fact)
        folded = normalise(candidate) if folded is None else folded
        return folded not in view.related and view.allows(folded)

    def _view(self, fact: Fact) -> _FactView:
        key = ("view", fact)
        view = self.memo.get(key)
        if view is None:
            view = self.memo[key] = _FactView(fact, self.true_of_subject(fact))
        return view  # type: ignore[return-value]

    def name_candidates(
        self, fact: Fact, rng: random.Random | None = None, limit: int | None = None
    ) -> list[Candidate]:
        """Up to `limit` acceptable wrong values of a name fact's category, distinct (see
        iter_name_candidates)."""
        return list(islice(self.iter_name_candidates(fact, rng), limit))

    def iter_name_candidates(
        self, fact: Fact, rng: random.Random | None = None
    ) -> Iterator[Candidate]:
        """The acceptable wrong values of a name fact's category, distinct, lazily: in random
        order with an rng (a random sample first, then the rest only if it is consumed), in
        index order without one. A category with enough values always gives them."""
        pool = self.candidates(fact.language, fact.kind, fact.category)
        seen: list[frozenset[str]] = []
        for index in _random_order(len(pool), rng):
            candidate = pool[index]
            folded = candidate.folded
            words = frozenset(folded.split())
            # "Communist Party" beside "Romanian Communist Party" names the same thing twice:
            # one option inside another is one option.
            if any(words <= other or other <= words for other in seen):
                continue
            if not self.acceptable(fact, candidate.text, folded):
                continue
            seen.append(words)
            yield candidate

    def can_offer(self, fact: Fact, count: int = WRONG_OPTIONS) -> bool:
        """Whether `choose(fact, count, rng)` gives `count` options, whatever the rng.

        A name fact needs a category with `count` acceptable values; a date, year or number
        needs `count` values near it (its accepted values left out).
        """
        key = (fact, count)
        if key not in self._offer_cache:
            if fact.kind in NAME_KINDS:
                found = len(self.name_candidates(fact, limit=count))
            else:
                found = len(self.near_values(fact))
            self._offer_cache[key] = found
        return self._offer_cache[key] >= count

    def near_values(self, fact: Fact) -> list[str]:
        """Up to NEAR_VALUES wrong dates or numbers for the fact, the same on every call
        (for eligibility checks; a question draws its own with its rng)."""
        key = ("near", fact)
        if key not in self.memo:
            self.memo[key] = self.choose(fact, NEAR_VALUES, random.Random(0))
        return self.memo[key]  # type: ignore[return-value]

    def choose(self, fact: Fact, count: int, rng: random.Random) -> list[str]:
        """Up to `count` distinct wrong answers for the fact, in the key's category and form."""
        if fact.kind not in ("date", *NUMERIC_KINDS):
            return self._names(fact, count, rng)
        # Values true of the subject besides the fact's own (already left out by value).
        others = self.true_of_subject(fact) - {normalise(form) for form in fact.accepted}
        # A curator's excluded values are left out by value too ("1941" as well as "in 1941").
        others |= set(fact.exclude_distractors)
        if fact.kind == "date":
            return _near_dates(fact, count, rng, others)
        return _near_numbers(fact, count, rng, others)

    def _names(self, fact: Fact, count: int, rng: random.Random) -> list[str]:
        # A sample's worth of usable values: enough for the uniform rank by length.
        usable = [c.text for c in self.name_candidates(fact, rng, limit=SAMPLE_SIZE)]
        return _by_length_rank(fact.answer, usable, count, rng)


def _random_order(size: int, rng: random.Random | None) -> Iterator[int]:
    """Indexes 0..size-1: in order without an rng; with one, a random sample of SAMPLE_SIZE
    first and then the rest shuffled, built only when the sample runs out."""
    if rng is None:
        yield from range(size)
        return
    if size <= SAMPLE_SIZE:
        order = list(range(size))
        rng.shuffle(order)
        yield from order
        return
    head = rng.sample(range(size), SAMPLE_SIZE)
    yield from head
    chosen = set(head)
    rest = [i for i in range(size) if i not in chosen]
    rng.shuffle(rest)
    yield from rest


def acceptable_distractor(fact: Fact, candidate: str) -> bool:
    """Whether a value may be offered as wrong: not the key, an alias, or named by the evidence."""
    return _FactView(fact, set()).allows(normalise(candidate))


class _FactView:
    """A fact's accepted forms, exclusions and evidence, normalised once for many checks."""

    def __init__(self, fact: Fact, related: set[str]):
        self.related = related
        self.accepted = [normalise(form) for form in fact.accepted]
        self.accepted_words = [set(form.split()) for form in self.accepted]
        self.excluded = {normalise(value) for value in fact.exclude_distractors}
        self.evidence = normalise(fact.evidence.text)

    def allows(self, folded: str) -> bool:
        """Whether the normalised value is not the key, an alias, excluded or in the evidence."""
        if not folded or folded in self.excluded:
            return False
        words = set(folded.split())
        for accepted, accepted_words in zip(self.accepted, self.accepted_words, strict=True):
            # "Michael" for "King Michael": one inside the other is the same answer, half-written.
            if folded == accepted or words <= accepted_words or accepted_words <= words:
                return False
        return not contains_normalised(self.evidence, folded)


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


def _near_numbers(
    fact: Fact, count: int, rng: random.Random, related: set[str] | None = None
) -> list[str]:
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
    # Compared by value, like the accepted forms: "130,000" and "130000" are one value.
    accepted_values |= {q.value for q in map(parse_quantity, related or ()) if q}

    # A count of two or more keeps its plural: "2 divisions" is never swapped for "1 divisions".
    least = Decimal(2) if fact.kind == "number" and figure >= 2 else Decimal(0)

    def fresh(value: Decimal) -> bool:
        return value * scale not in accepted_values and value >= least

    below = [v for v in below if fresh(v)]
    above = [v for v in above if fresh(v)]
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


def _near_dates(
    fact: Fact, count: int, rng: random.Random, related: set[str] | None = None
) -> list[str]:
    key = parse_date(fact.answer)
    if key is None:
        return []
    accepted = {parse_date(form) for form in (*fact.accepted, *(related or ()))} - {None}
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

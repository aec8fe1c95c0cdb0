"""A bank's dated facts in time order, for the timeline: pure logic on core facts (no Flask).

What is dated:

* a `date` or `year` fact: its answer ("23 August 1944", "septiembre de 1940", "1943", a
  range such as "1941–1944" or "mayo a junio de 1940"). A date without its year ("12 de
  septiembre") takes the year the fact states elsewhere (`answer_forms.known_date`); with none,
  it is left out.
* an `event` fact (a battle, a treaty, a coup by name): the date its statement gives, when its
  statement's dates agree ("On 12 September 1944 Romania... signed an armistice"); one whose
  statement gives none joins its topic's one event in its language, if the topic has exactly
  one, else it is left out.

Date and year facts marked `event: true` and event facts are *events* (when something
happened); other date and year facts are reference dates ("at 1938 prices", "the 1923
constitution") and are listed apart, in the same order, so the timeline never claims that
something happened in 1938.

One entry per (topic, date) in a language: the facts of a topic that give the same date are
one event, listed once. A bilingual bank's facts about the same thing share a topic, so an
entry links to the entries of its topic in the other language.

**Order** (`When.sort_key`): by the first day a date can mean. A partial date sorts before
the more precise dates it contains: a year before its months and days ("1941" before "January
1941" before "1 January 1941"), a month before its days; a range sorts by its start, and
among times with the same start the one that ends first comes first ("1940" before
"1940–1944"). So an entry never comes after one that lies wholly later, and a year reads as
"some time in that year", shown first among its own dates. Ties: by label, topic, fact id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.core.answer_forms import known_date
from quizapp.core.bank_model import TIME_KINDS, Fact
from quizapp.core.values import MONTH_NUMBERS, PartialDate, find_dates, parse_date, strip_accents

# Words that may open a range: "between 1941 and 1944", "entre mayo y junio", "from ... to".
_RANGE_LEADS = ("between", "from", "entre", "desde", "de", "del")
# What joins the two ends of a range: a dash, or a word between spaces.
_RANGE_JOIN = re.compile(r"\s*[-\u2013\u2014]\s*|\s+(?:to|until|and|a|al|hasta|y)\s+")
_BARE_YEAR = re.compile(r"(?<![\d.,])(1\d{3}|20\d{2})(?![\d]|[.,]\d)")
_DAY_ONLY = re.compile(r"\s*([0-3]?\d)\s*")


def _first_day(date: PartialDate) -> dt.date:
    assert date.year is not None
    return dt.date(date.year, date.month or 1, date.day or 1)


def _last_day(date: PartialDate) -> dt.date:
    assert date.year is not None
    if date.month is None:
        return dt.date(date.year, 12, 31)
    if date.day is not None:
        return dt.date(date.year, date.month, date.day)
    following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class When:
    """A fact's time: one partial date with a year, or a range from `start` to `end`."""

    start: PartialDate
    end: PartialDate | None = None

    def __post_init__(self) -> None:
        for date in (self.start, self.end):
            if date is not None and (date.year is None or not date.is_valid()):
                raise ValueError(f"not a dated time: {date}")
        if self.end is not None and _last_day(self.end) < _first_day(self.start):
            raise ValueError(f"a range that ends before it starts: {self.start}..{self.end}")

    @property
    def first_day(self) -> dt.date:
        """The first day it can mean (1 January 1941 for "1941")."""
        return _first_day(self.start)

    @property
    def last_day(self) -> dt.date:
        """The last day it can mean (31 December 1941 for "1941"; a range's end's last day)."""
        return _last_day(self.end or self.start)

    def sort_key(self) -> tuple[int, int, int, int]:
        """Time order: (year, month or 0, day or 0) of the start, then the last day.

        A missing part counts as 0, before every real month or day: a year sorts before the
        months and days inside it, a month before its days (see the module's docstring).
        """
        start = self.start
        assert start.year is not None
        return (start.year, start.month or 0, start.day or 0, self.last_day.toordinal())

    @property
    def slug(self) -> str:
        """A stable id part: "1940", "1940-11", "1940-11-23", "1940-05--1940-06"."""

        def part(date: PartialDate) -> str:
            pieces = [f"{date.year:04d}"]
            if date.month is not None:
                pieces.append(f"{date.month:02d}")
                if date.day is not None:
                    pieces.append(f"{date.day:02d}")
            return "-".join(pieces)

        return part(self.start) + (f"--{part(self.end)}" if self.end is not None else "")


def parse_when(text: str) -> When | None:
    """An answer read as a time: a date ("23 August 1944", "1943") or a range ("1941–1944",
    "May to June 1940", "entre mayo y junio de 1940", "1 to 3 September 1939").

    None for anything else, and for a date without its year ("12 de septiembre": `fact_when`
    completes it from the fact). A range's first end takes the parts it leaves out from the
    second ("May" takes 1940 from "June 1940").
    """
    date = parse_date(text)
    if date is not None:
        return When(date) if date.year is not None else None
    return _parse_range(text)


def _parse_range(text: str) -> When | None:
    stripped = text.strip().strip(".,;")
    first, _, rest = stripped.partition(" ")
    if rest and strip_accents(first).casefold() in _RANGE_LEADS:
        stripped = rest
    for join in _RANGE_JOIN.finditer(stripped):
        left, right = stripped[: join.start()], stripped[join.end() :]
        end = parse_date(right)
        if end is None or end.year is None:
            continue
        start = _range_start(left, end)
        if start is None:
            continue
        try:
            return When(start, end)
        except ValueError:
            return None
    return None


def _range_start(text: str, end: PartialDate) -> PartialDate | None:
    """The first end of a range, its missing parts taken from the second end."""
    date = parse_date(text)
    if date is None:
        word = strip_accents(text.strip().rstrip(".")).casefold()
        if word in MONTH_NUMBERS:
            date = PartialDate(None, MONTH_NUMBERS[word], None)
        elif (day := _DAY_ONLY.fullmatch(text)) and end.month is not None:
            date = PartialDate(None, end.month, int(day.group(1)))
        else:
            return None
    if date.year is None:
        date = PartialDate(end.year, date.month, date.day)
    return date if date.is_valid() else None


def stated_when(text: str) -> When | None:
    """The one time a statement gives: its dates with a year and its bare years, when they
    agree (each is the most precise one, or a coarser form of it); None when it gives none or
    two that differ ("annexed in 1940 ... retaken in 1941")."""
    mentions = [m for m in find_dates(text) if m.date.year is not None]
    taken = [(m.start, m.end) for m in mentions]
    dates = [m.date for m in mentions]
    for match in _BARE_YEAR.finditer(text):
        if not any(start <= match.start() < end for start, end in taken):
            dates.append(PartialDate(int(match.group(1)), None, None))
    if not dates:
        return None
    finest = max(dates, key=lambda d: (d.month is not None, d.day is not None))
    for date in dates:
        for part in ("year", "month", "day"):
            value = getattr(date, part)
            if value is not None and value != getattr(finest, part):
                return None
    return When(finest)


def fact_when(fact: Fact) -> When | None:
    """When a fact places something, or None (see the module's docstring for the rules)."""
    if fact.kind in TIME_KINDS:
        when = parse_when(fact.answer)
        if when is not None:
            return when
        date = parse_date(fact.answer)
        if date is None:
            return None
        known = known_date(fact)
        if known is None or known.year is None:
            return None
        return When(PartialDate(known.year, date.month, date.day))
    if fact.kind == "event":
        return stated_when(fact.statement)
    return None


@dataclass(frozen=True)
class Entry:
    """One place on the timeline: a topic's facts that give the same time, in one language.

    `facts` lists the dated facts first (date and year facts, then event facts), each in the
    order given; `event` says whether it is an event (else a reference date).
    """

    when: When
    topic: str
    language: str
    facts: tuple[Fact, ...]
    event: bool

    @property
    def anchor(self) -> str:
        """The entry's id in the page: its topic and its time ("coup-1944-1944-08-23")."""
        return f"{self.topic}-{self.when.slug}"

    @property
    def label(self) -> str:
        """What the entry is called: the first label of its facts, else the first statement."""
        return next((f.label for f in self.facts if f.label), self.facts[0].statement)


@dataclass(frozen=True)
class Timeline:
    """A bank's timeline in one language: its events and, apart, its reference dates."""

    language: str
    events: tuple[Entry, ...]
    other_dates: tuple[Entry, ...]

    def entries(self) -> tuple[Entry, ...]:
        """Every entry, events first."""
        return self.events + self.other_dates


def entry_order(entry: Entry) -> tuple:
    """The sort key of an entry: its time (`When.sort_key`), then label, topic and fact id."""
    return (entry.when.sort_key(), entry.label.casefold(), entry.topic, entry.facts[0].id)


def in_order(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in time order (see the module's docstring); deterministic for any input order."""
    return sorted(entries, key=entry_order)


def timeline(facts: Iterable[Fact], language: str) -> Timeline:
    """The timeline of the facts of one language (facts of other languages are ignored)."""
    groups: dict[tuple[str, When, bool], list[Fact]] = defaultdict(list)
    undated_events: list[Fact] = []
    for fact in facts:
        if fact.language != language:
            continue
        when = fact_when(fact)
        if when is None:
            if fact.kind == "event":
                undated_events.append(fact)
            continue
        groups[(fact.topic, when, fact.event or fact.kind == "event")].append(fact)
    by_topic: dict[str, list[tuple[str, When, bool]]] = defaultdict(list)
    for key in groups:
        if key[2]:
            by_topic[key[0]].append(key)
    for fact in undated_events:
        keys = by_topic.get(fact.topic, [])
        if len(keys) == 1:
            groups[keys[0]].append(fact)
    entries = [
        Entry(when, topic, language, tuple(sorted(found, key=_fact_rank)), event)
        for (topic, when, event), found in groups.items()
    ]
    return Timeline(
        language,
        tuple(in_order(e for e in entries if e.event)),
        tuple(in_order(e for e in entries if not e.event)),
    )


def _fact_rank(fact: Fact) -> tuple[int, str]:
    return (0 if fact.kind in TIME_KINDS else 1, fact.id)


def counterparts(entry: Entry, others: Sequence[Entry]) -> list[Entry]:
    """The entries of `others` (another language's timeline) about the same topic, the
    closest in time first: the same time, then by the distance between first days."""
    same = [other for other in others if other.topic == entry.topic]
    return sorted(
        same,
        key=lambda other: (
            other.when != entry.when,
            abs((other.when.first_day - entry.when.first_day).days),
            entry_order(other),
        ),
    )


__all__ = [
    "Entry",
    "Timeline",
    "When",
    "counterparts",
    "entry_order",
    "fact_when",
    "in_order",
    "parse_when",
    "stated_when",
    "timeline",
]

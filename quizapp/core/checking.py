"""Checking a learner's answer against the accepted ones, by the kind of value asked for.

A fair reader marks as right the same value in another form and another name for the same
thing, and as wrong any different value or extra detail that contradicts the fact:

* dates: every part the key states must be given and equal; a part the key leaves out may be
  added only when it is known (the fact's `known_date`, or a more precise accepted form) and
  equal to it ("12 September 1944" for "12 September" of 1944; never "24 de agosto de 1944"
  for "agosto de 1944" of the 23rd). A year answer given as a date follows the same rule.
* numbers: compared by value, sign included, within the fact's tolerance (see `numbers`).
* names and terms: compared after `normalise`, then by the readings of `names` (titles,
  prepositions, class words, plurals), then the frozen bank forms (`derived`: unique surnames,
  monarchs' given names, the evidence's own longer phrases), then small typos in long names
  unless the typed name is as close to a rival name the bank knows.

Answers longer than `MAX_ANSWER_CHARS` are refused unread, which keeps checking bounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz.distance import OSA

from quizapp.core.names import NAME_KINDS, readings, typo_distance
from quizapp.core.numbers import SCALE_WORDS
from quizapp.core.values import PartialDate, normalise, parse_date, parse_quantity

MAX_ANSWER_CHARS = 1000
DATE_PARTS = ("year", "month", "day")


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: right or not, the points it earns, and how it was read."""

    correct: bool
    points: float
    max_points: float
    normalised: str


def answers_match(
    given: str,
    accepted: Sequence[str],
    kind: str,
    tolerance: float = 0.0,
    *,
    language: str | None = None,
    derived: Sequence[str] = (),
    rivals: Sequence[str] = (),
    known_date: PartialDate | None = None,
    stem: str = "",
) -> bool:
    """Whether a typed answer equals one of the accepted ones, as text, date or number.

    `language` chooses the lemmatiser for plurals (both when None); `derived`, `rivals` and
    `known_date` are the bank knowledge frozen into a generated question (see `answer_forms`).
    `stem` is the question asked: a bare figure ("300") answers a scaled key ("US$300
    million") only when the stem names the scale ("in millions of dollars").
    """
    if not isinstance(given, str) or not given.strip() or len(given) > MAX_ANSWER_CHARS:
        return False
    if kind in ("year", "number"):
        if kind == "year":
            date = parse_date(given)
            if date is not None and date.month is not None:
                return _dates_match(date, accepted, known_date)
        return _numbers_match(given, accepted, tolerance, stem)
    folded = normalise(given)
    if any(folded == normalise(form) for form in accepted):
        return True
    if kind == "date":
        date = parse_date(given)
        return date is not None and _dates_match(date, accepted, known_date)
    if kind not in NAME_KINDS:
        return False
    return _names_match(folded, accepted, kind, language, derived, rivals)


def _names_match(
    folded: str,
    accepted: Sequence[str],
    kind: str,
    language: str | None,
    derived: Sequence[str],
    rivals: Sequence[str],
) -> bool:
    typed = readings(folded.split(), kind, language, key=False)
    keys: set[tuple[str, ...]] = set()
    for form in [*accepted, *derived]:
        keys |= readings(normalise(form).split(), kind, language, key=True)
    if typed & keys:
        return True
    best: int | None = None
    for reading in typed:
        for key in keys:
            edits = typo_distance(reading, key)
            if edits is not None and (best is None or edits < best):
                best = edits
    if best is None:
        return False
    # A misspelling as close to another name the bank knows is that name, not a typo.
    return not any(
        OSA.distance(" ".join(reading), rival, score_cutoff=best) <= best
        for reading in typed
        for rival in rivals
    )


def _known_parts(key: PartialDate, others: list[PartialDate], known: PartialDate | None) -> dict:
    """The date as known for this key: its own parts, then the known date's or the other
    accepted forms' parts where they agree with the key and with each other."""
    sources = [known] if known is not None else []
    sources += others
    agreeing = [
        source
        for source in sources
        if all(
            getattr(key, p) is None or getattr(source, p) in (None, getattr(key, p))
            for p in DATE_PARTS
        )
    ]
    parts: dict[str, int | None] = {}
    for part in DATE_PARTS:
        if getattr(key, part) is not None:
            parts[part] = getattr(key, part)
            continue
        values = {getattr(source, part) for source in agreeing} - {None}
        parts[part] = values.pop() if len(values) == 1 else None
    return parts


def _dates_match(
    date: PartialDate, accepted: Sequence[str], known: PartialDate | None = None
) -> bool:
    """Every part the key states is given and equal; every other part given is known and equal."""
    keys = [k for k in (parse_date(form) for form in accepted) if k is not None]
    for key in keys:
        if any(
            getattr(key, p) is not None and getattr(date, p) != getattr(key, p) for p in DATE_PARTS
        ):
            continue
        parts = _known_parts(key, [k for k in keys if k is not key], known)
        if all(getattr(date, p) is None or getattr(date, p) == parts[p] for p in DATE_PARTS):
            return True
    return False


def _numbers_match(given: str, accepted: Sequence[str], tolerance: float, stem: str = "") -> bool:
    quantity = parse_quantity(given)
    if quantity is None:
        return False
    allowed = Decimal(str(tolerance))
    for form in accepted:
        key = parse_quantity(form)
        if key is None:
            continue
        if abs(quantity.value - key.value) <= allowed:
            return True
        # "300m" for a key of "300 m" (a height, not millions): the figure with its unit.
        if quantity.abbreviated and not key.scaled and abs(quantity.figure - key.value) <= allowed:
            return True
        # "300" for "US$300 million" only when the question names the scale ("in millions"):
        # otherwise 300 is another value, a hundred dollars apart from a million times more.
        if (
            key.scaled
            and not quantity.scaled
            and abs(quantity.value - key.figure) <= allowed
            and _names_scale(stem, key.value / key.figure)
        ):
            return True
    return False


def _names_scale(stem: str, factor: Decimal) -> bool:
    """Whether the stem names a scale word worth `factor` ("millions" for 10**6)."""
    words = normalise(stem).split()
    return any(SCALE_WORDS.get(word) == factor for word in words)


def normalised_answer(given: object) -> str:
    """How a response is stored for comparison and statistics."""
    if isinstance(given, list):
        return " | ".join(normalise(str(item)) for item in given)
    if isinstance(given, dict):
        return " | ".join(f"{normalise(str(k))} = {normalise(str(v))}" for k, v in given.items())
    return normalise(str(given))

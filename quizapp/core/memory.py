"""A learner's memory of a fact: FSRS scheduling, the rating an answer earns, and the fresh-form
rule (which question type to ask a fact as next). Pure logic on plain values (no Flask, no
database); `quizapp.services.memory` stores the result in `FactCard` and `FactReview`.

Scheduling is the `fsrs` package (Free Spaced Repetition Scheduler, FSRS-6, default
parameters: https://github.com/open-spaced-repetition/py-fsrs) with fuzzing off, so that the
same answers always give the same due dates. `fsrs` wants timezone-aware UTC datetimes; the app
stores naive UTC, so every time is converted here, at the boundary (`aware`, `naive`).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from quizapp.core.practice import WRITTEN_PREFIX

# Recognition: the answer is on the page, to be picked. Recall: the learner must produce it.
RECOGNITION = frozenset({"mcq", "multi", "tf", "match"})
RECALL = frozenset({"short", "cloze", "numeric"})

# Seconds an answer took, per question type: at or under the first figure a right answer is
# Easy, at or under the second Good, over it Hard (a wrong answer is Again whatever the time).
# Reading the stem is most of a true/false answer; picking among four options or typing a name
# takes longer; matching and ordering several facts longer still. Figures are a first guess at
# a fluent reader's pace (roughly 4 words a second for the stem and options, plus typing at
# about one character every 0.3 s); they can be tuned without touching stored data, because
# each review keeps its seconds and its rating.
RESPONSE_THRESHOLDS: dict[str, tuple[float, float]] = {
    "tf": (6.0, 20.0),
    "mcq": (8.0, 25.0),
    "multi": (12.0, 35.0),
    "cloze": (10.0, 30.0),
    "short": (12.0, 35.0),
    "numeric": (10.0, 30.0),
    "match": (20.0, 60.0),
    "order": (20.0, 60.0),
}
# Any type not listed (a type added later) is read with these.
DEFAULT_THRESHOLDS: tuple[float, float] = (10.0, 30.0)

# Bounds of a learner's desired retention (User.desired_retention), and its default.
MIN_RETENTION = 0.80
MAX_RETENTION = 0.97
DEFAULT_RETENTION = 0.90
# FSRS states in which a card is on short, minute-long steps before (or back to) day intervals.
LEARNING_STATES = frozenset({State.Learning, State.Relearning})
# Bounds of the new facts a practice session may bring in a day (User.daily_new_facts).
MIN_DAILY_NEW_FACTS = 0
MAX_DAILY_NEW_FACTS = 200
DEFAULT_DAILY_NEW_FACTS = 20
# Recall answers failed in a row after which a fact is asked in a recognition form again.
RECALL_FAILURES_BEFORE_RECOGNITION = 2


def aware(moment: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time as the timezone-aware UTC time `fsrs` wants; an aware time
    is converted to UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def naive(moment: dt.datetime) -> dt.datetime:
    """A time as stored: UTC without a zone (a naive time is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def rating_for(question_type: str, correct: bool, seconds_taken: float | None) -> Rating:
    """The FSRS rating an answer earns: Again when wrong; when right, Easy at or under the
    type's first threshold (RESPONSE_THRESHOLDS, seconds), Good at or under the second, Hard
    over it. An unknown time (None, or negative from a skewed clock) is Good."""
    if not correct:
        return Rating.Again
    if seconds_taken is None or seconds_taken < 0:
        return Rating.Good
    easy, good = RESPONSE_THRESHOLDS.get(question_type, DEFAULT_THRESHOLDS)
    if seconds_taken <= easy:
        return Rating.Easy
    if seconds_taken <= good:
        return Rating.Good
    return Rating.Hard


def clamp_retention(value: float) -> float:
    """A desired retention within MIN_RETENTION..MAX_RETENTION."""
    return min(MAX_RETENTION, max(MIN_RETENTION, float(value)))


@functools.lru_cache(maxsize=64)
def _scheduler(desired_retention: float) -> Scheduler:
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def scheduler(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS scheduler for a desired retention (clamped to 0.80..0.97, read to 3 decimals):
    default FSRS-6 parameters, learning steps 1 and 10 minutes, relearning step 10 minutes,
    no fuzzing. Schedulers are immutable in use, so one per retention is shared."""
    return _scheduler(round(clamp_retention(desired_retention), 3))


@dataclass(frozen=True)
class CardState:
    """The stored fields of a learner's memory of one fact (FactCard without its ids).

    `state` is an fsrs.State value (1 Learning, 2 Review, 3 Relearning); `step` the learning
    step (None in Review); `stability` in days; `due` and `last_review` naive UTC; `last_type`
    and `last_correct` the last question type the fact was asked as and whether that answer
    was right; `recall_failures` the wrong answers in a recall form since the last right one.
    """

    due: dt.datetime
    state: int = int(State.Learning)
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    last_review: dt.datetime | None = None
    last_type: str | None = None
    last_correct: bool | None = None
    recall_failures: int = 0
    reviews: int = 0
    lapses: int = 0

    @classmethod
    def of(cls, row: Any) -> CardState:
        """The state of a FactCard row (or anything with the same attributes)."""
        return cls(
            due=row.due,
            state=int(row.state),
            step=row.step,
            stability=row.stability,
            difficulty=row.difficulty,
            last_review=row.last_review,
            last_type=row.last_type,
            last_correct=row.last_correct,
            recall_failures=row.recall_failures or 0,
            reviews=row.reviews or 0,
            lapses=row.lapses or 0,
        )

    def fields(self) -> dict[str, Any]:
        """The stored fields by name, to copy onto a FactCard row."""
        return {
            "due": self.due,
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": self.last_review,
            "last_type": self.last_type,
            "last_correct": self.last_correct,
            "recall_failures": self.recall_failures,
            "reviews": self.reviews,
            "lapses": self.lapses,
        }


def new_card(now: dt.datetime) -> CardState:
    """A fact never reviewed: Learning, step 0, due at `now` (naive UTC)."""
    return CardState(due=naive(now))


def to_fsrs(card: Any) -> Card:
    """An `fsrs.Card` from a CardState or a FactCard row (times made aware UTC). The card id
    is fixed, because `fsrs` would otherwise draw one from the clock (and sleep 1 ms)."""
    return Card(
        card_id=0,
        state=State(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=aware(card.due),
        last_review=aware(card.last_review) if card.last_review else None,
    )


def from_fsrs(card: Card, previous: CardState) -> CardState:
    """`previous` with the scheduling fields of an `fsrs.Card` (times made naive UTC)."""
    return replace(
        previous,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=naive(card.due),
        last_review=naive(card.last_review) if card.last_review else None,
    )


def review(
    card: CardState,
    question_type: str,
    rating: Rating | int,
    reviewed_at: dt.datetime,
    desired_retention: float = DEFAULT_RETENTION,
) -> CardState:
    """The card after one answer of `rating` (`rating_for`; Again means it was wrong).

    FSRS reviews the card at `reviewed_at` (naive or aware UTC); a time before the card's last
    review (answers recorded out of order, such as an attempt closed late at its deadline) is
    read as the last review's time, so that elapsed time is never negative. Also kept: the type
    asked and whether it was right (the fresh-form rule), recall failures in a row (a wrong
    recall answer adds one, a right one resets them, a recognition answer leaves them), the
    review count, and lapses (a wrong answer to a card in Review).
    """
    rating = Rating(int(rating))
    correct = rating != Rating.Again
    when = naive(reviewed_at)
    if card.last_review is not None and when < card.last_review:
        when = card.last_review
    before = to_fsrs(card)
    if rating == Rating.Hard and before.state in LEARNING_STATES and before.step is not None:
        # FSRS keeps a (re)learning card on its step when rated Hard. Here Hard is not a
        # learner's button but a right answer given slowly, so a learner who is always right
        # but slow would keep the fact on a minutes-long step for ever: Hard moves it on a
        # step as Good does (and graduates it from the last one, by the library's own path for
        # a step past the end), while stability and difficulty are still computed for Hard.
        before.step += 1
    reviewed, _log = scheduler(desired_retention).review_card(before, rating, aware(when))
    failures = card.recall_failures
    if question_type in RECALL:
        failures = 0 if correct else failures + 1
    lapsed = not correct and card.state == State.Review
    return replace(
        from_fsrs(reviewed, card),
        last_type=question_type,
        last_correct=correct,
        recall_failures=failures,
        reviews=card.reviews + 1,
        lapses=card.lapses + (1 if lapsed else 0),
    )


@dataclass(frozen=True)
class Review:
    """One entry of a card's review log, as `replay` reads it."""

    question_type: str
    rating: Rating | int
    reviewed_at: dt.datetime


def replay(log: Iterable[Review], desired_retention: float = DEFAULT_RETENTION) -> CardState | None:
    """A card rebuilt from its review log, in the order given (the caller sorts it by time):
    what a regrade does once it has changed some ratings. An empty log: no card (None)."""
    card: CardState | None = None
    for entry in log:
        card = review(
            card or new_card(entry.reviewed_at),
            entry.question_type,
            entry.rating,
            entry.reviewed_at,
            desired_retention,
        )
    return card


def retrievability(
    card: CardState | Any, now: dt.datetime, desired_retention: float = DEFAULT_RETENTION
) -> float:
    """The probability (0..1) that the learner recalls the fact at `now`, by FSRS's forgetting
    curve R = (1 + factor * t / S) ** -decay, t in whole days since the last review, S the
    stability in days. 0 for a fact never reviewed. The retention does not enter the curve (it
    only sets intervals); it is taken so that callers pass the learner's scheduler."""
    if card.last_review is None or card.stability is None:
        return 0.0
    return float(scheduler(desired_retention).get_card_retrievability(to_fsrs(card), aware(now)))


def facts_answered(question: Any, given: Any, correct: bool) -> list[tuple[str, bool]]:
    """The facts an answer to a frozen question (a Question or its dict) tells about, each with
    whether the answer got it right, as (fact key, right).

    A question built from one fact: that fact, right when the answer was. An ordering or
    matching question: each of its facts, right when that fact's item was put in its place or
    paired with its answer (so one slip costs only that fact). A hand-written question: the
    fact it is linked to (`linked_fact`), if any; none otherwise.
    """
    data = question if isinstance(question, dict) else question.to_dict()
    fact_key = str(data.get("fact_id") or "")
    if data.get("origin", "generated") != "generated" or fact_key.startswith(WRITTEN_PREFIX):
        linked = data.get("linked_fact")
        return [(str(linked), correct)] if linked else []
    items = data.get("items") or []
    key = data.get("key")
    if data.get("type") == "order" and items and isinstance(key, list):
        placed = given if isinstance(given, list) and len(given) == len(key) else []
        return [
            (str(item["fact_id"]), bool(placed) and placed[index] == key[index])
            for index, item in enumerate(items)
        ]
    if data.get("type") == "match" and items and isinstance(key, dict):
        pairs = given if isinstance(given, dict) else {}
        return [
            (
                str(item["fact_id"]),
                pairs.get(item.get("label") or "") == key.get(item.get("label") or ""),
            )
            for item in items
        ]
    return [(fact_key, correct)] if fact_key else []


def next_form(
    available: Sequence[str],
    last_type: str | None,
    last_correct: bool | None,
    recall_failures: int,
    rng: random.Random,
) -> str:
    """The question type to ask a fact as next, among `available` (the types the fact can
    actually be asked as; the caller knows its eligibility), drawn with `rng`:

    - never `last_type` again while another type is available;
    - after a recognition type (RECOGNITION) answered right, a recall type (RECALL) if any;
    - else, after RECALL_FAILURES_BEFORE_RECOGNITION recall answers wrong in a row, a
      recognition type if any;
    - else any of the remaining types.

    The first rule wins over the others (a right recognition answer moves on to recall even
    after recall failures: that is how a learner gets back to recall). Raises ValueError when
    nothing is available.
    """
    kinds = list(dict.fromkeys(available))
    if not kinds:
        raise ValueError("no question type is available for this fact")
    fresh = [kind for kind in kinds if kind != last_type] or kinds
    if last_type in RECOGNITION and last_correct:
        preferred = RECALL
    elif recall_failures >= RECALL_FAILURES_BEFORE_RECOGNITION:
        preferred = RECOGNITION
    else:
        preferred = frozenset(fresh)
    return rng.choice([kind for kind in fresh if kind in preferred] or fresh)


__all__ = [
    "DEFAULT_DAILY_NEW_FACTS",
    "DEFAULT_RETENTION",
    "DEFAULT_THRESHOLDS",
    "MAX_DAILY_NEW_FACTS",
    "MAX_RETENTION",
    "MIN_DAILY_NEW_FACTS",
    "MIN_RETENTION",
    "RECALL",
    "RECOGNITION",
    "RESPONSE_THRESHOLDS",
    "CardState",
    "Rating",
    "Review",
    "State",
    "aware",
    "clamp_retention",
    "facts_answered",
    "from_fsrs",
    "naive",
    "new_card",
    "next_form",
    "rating_for",
    "replay",
    "retrievability",
    "review",
    "scheduler",
    "to_fsrs",
]

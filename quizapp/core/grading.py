"""Grading methods: one grade for a learner from the grades of their finished attempts at an
assignment, as Moodle's quiz settings offer them (highest grade, average grade, first attempt,
last attempt). Pure functions, no database.

Moodle orders attempts by their number, the order they were started in; a learner has one
attempt open at a time, so that is the order they finished in. Here attempts are ordered by
(finish time, attempt id), the id breaking a tie.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

HIGHEST, AVERAGE, FIRST, LAST = "highest", "average", "first", "last"
GRADING_METHODS = (HIGHEST, AVERAGE, FIRST, LAST)


@dataclass(frozen=True)
class GradedAttempt:
    """One finished attempt: its grade (any unit, usually % of the maximum), when it finished
    and its id (a tie-break for equal finish times)."""

    grade: float
    finished_at: dt.datetime
    attempt_id: int


def _order(attempt: GradedAttempt) -> tuple[dt.datetime, int]:
    return attempt.finished_at, attempt.attempt_id


def highest(attempts: Sequence[GradedAttempt]) -> float | None:
    """The highest grade of the attempts; None without attempts (Moodle's QUIZ_GRADEHIGHEST)."""
    return max((a.grade for a in attempts), default=None)


def average(attempts: Sequence[GradedAttempt]) -> float | None:
    """The arithmetic mean of the attempts' grades; None without attempts (QUIZ_GRADEAVERAGE)."""
    if not attempts:
        return None
    return math.fsum(a.grade for a in attempts) / len(attempts)


def first(attempts: Sequence[GradedAttempt]) -> float | None:
    """The grade of the first attempt; None without attempts (QUIZ_ATTEMPTFIRST)."""
    return min(attempts, key=_order).grade if attempts else None


def last(attempts: Sequence[GradedAttempt]) -> float | None:
    """The grade of the last attempt; None without attempts (QUIZ_ATTEMPTLAST)."""
    return max(attempts, key=_order).grade if attempts else None


METHODS: dict[str, Callable[[Sequence[GradedAttempt]], float | None]] = {
    HIGHEST: highest,
    AVERAGE: average,
    FIRST: first,
    LAST: last,
}


def final_grade(method: str, attempts: Sequence[GradedAttempt]) -> float | None:
    """The learner's grade by `method` (one of GRADING_METHODS) over their finished attempts,
    in the attempts' unit; None without attempts. Raises ValueError on an unknown method.
    """
    try:
        grade = METHODS[method]
    except KeyError:
        raise ValueError(f"unknown grading method {method!r}") from None
    return grade(attempts)

"""The rules of an assignment, as plain functions of its settings and the time (no database).

An assignment gives a class one quiz with Moodle's quiz settings: it opens and closes (UTC
times, either may be absent), allows a number of attempts (None: unlimited), may have a time
limit per attempt, and says when learners may review their answers:

- ``after_answer``: each answer's verdict, right answer and source at once (a practice quiz);
- ``after_attempt``: all of them once the attempt is finished;
- ``after_close``: only once the assignment has closed for the learner. Until review opens,
  the feedback to an answer says only that it was recorded.

A learner may have an override (Moodle's user overrides): a later close and extra attempts.
Every function here takes the learner's effective settings (see `effective`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

AFTER_ANSWER, AFTER_ATTEMPT, AFTER_CLOSE = "after_answer", "after_attempt", "after_close"
REVIEW_TIMINGS = (AFTER_ANSWER, AFTER_ATTEMPT, AFTER_CLOSE)

# A learner's state on an assignment, as their home page lists it.
UPCOMING, TO_DO, IN_PROGRESS, DONE, MISSED = "upcoming", "to_do", "in_progress", "done", "missed"
STATES = (UPCOMING, TO_DO, IN_PROGRESS, DONE, MISSED)


@dataclass(frozen=True)
class Window:
    """One learner's effective settings: when the assignment opens and closes for them (naive
    UTC; None: no bound) and how many attempts they may start (None: unlimited)."""

    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    attempts_allowed: int | None
    time_limit_minutes: int | None = None
    review: str = AFTER_ATTEMPT


def effective(
    window: Window, *, closes_at: dt.datetime | None = None, extra_attempts: int = 0
) -> Window:
    """The window with a learner's override applied: a later (or earlier) close replaces the
    assignment's, and extra attempts add to a limited number (unlimited stays unlimited)."""
    attempts = window.attempts_allowed
    if attempts is not None:
        attempts += max(extra_attempts, 0)
    return Window(
        window.opens_at,
        closes_at if closes_at is not None else window.closes_at,
        attempts,
        window.time_limit_minutes,
        window.review,
    )


def is_open(window: Window, now: dt.datetime) -> bool:
    """Whether answers may be started now: at or after opening and before closing."""
    if window.opens_at is not None and now < window.opens_at:
        return False
    return window.closes_at is None or now < window.closes_at


def has_closed(window: Window, now: dt.datetime) -> bool:
    """Whether the close time has passed (never, without one)."""
    return window.closes_at is not None and now >= window.closes_at


def attempts_left(window: Window, started: int) -> int | None:
    """How many more attempts the learner may start (None: unlimited); never negative."""
    if window.attempts_allowed is None:
        return None
    return max(window.attempts_allowed - started, 0)


def start_refusal(window: Window, now: dt.datetime, started: int) -> str | None:
    """Why a new attempt cannot start: "not_open", "closed", "no_attempts_left"; None if it
    can. `started` counts the learner's attempts at the assignment, finished or not."""
    if window.opens_at is not None and now < window.opens_at:
        return "not_open"
    if has_closed(window, now):
        return "closed"
    if attempts_left(window, started) == 0:
        return "no_attempts_left"
    return None


def attempt_deadline(window: Window, started_at: dt.datetime) -> dt.datetime | None:
    """When an attempt started at `started_at` must end: the time limit or the close, whichever
    comes first (None: neither). Answers after it, plus the grace, are refused."""
    ends = []
    if window.time_limit_minutes:
        ends.append(started_at + dt.timedelta(minutes=window.time_limit_minutes))
    if window.closes_at is not None:
        ends.append(window.closes_at)
    return min(ends) if ends else None


def review_open(window: Window, now: dt.datetime, *, attempt_finished: bool) -> bool:
    """Whether the learner may see verdicts, right answers and sources of an attempt now.

    ``after_answer``: always; ``after_attempt``: once the attempt is finished; ``after_close``:
    once the assignment has closed for this learner (an assignment without a close time then
    opens review when the attempt is finished, as nothing else would ever open it).
    """
    if window.review == AFTER_ANSWER:
        return True
    if window.review == AFTER_ATTEMPT or window.closes_at is None:
        return attempt_finished
    return has_closed(window, now)


def learner_state(window: Window, now: dt.datetime, *, started: int, finished: int) -> str:
    """The learner's state (STATES): ``in_progress`` with an attempt open, ``done`` with a
    finished attempt, else ``upcoming`` before it opens, ``missed`` once it has closed (or no
    attempt is left), ``to_do`` otherwise. `started` counts every attempt, `finished` the
    finished ones (so started - finished are open)."""
    if started > finished and not has_closed(window, now):
        return IN_PROGRESS
    if finished:
        return DONE
    if window.opens_at is not None and now < window.opens_at:
        return UPCOMING
    if has_closed(window, now) or attempts_left(window, started) == 0:
        return MISSED
    return TO_DO

"""The pure rules of an assignment: windows, overrides, deadlines, review timing, states."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.assignment_rules import (
    AFTER_ANSWER,
    AFTER_ATTEMPT,
    AFTER_CLOSE,
    DONE,
    IN_PROGRESS,
    MISSED,
    TO_DO,
    UPCOMING,
    Window,
    attempt_deadline,
    attempts_left,
    effective,
    learner_state,
    review_open,
    start_refusal,
)

T0 = dt.datetime(2026, 12, 1, 9, 0)
OPENS, CLOSES = T0, T0 + dt.timedelta(days=7)
WEEK = Window(OPENS, CLOSES, 2, None, AFTER_CLOSE)


@pytest.mark.parametrize(
    ("now", "started", "reason"),
    [
        (OPENS - dt.timedelta(seconds=1), 0, "not_open"),
        (OPENS, 0, None),
        (OPENS, 1, None),
        (OPENS, 2, "no_attempts_left"),
        (CLOSES - dt.timedelta(seconds=1), 0, None),
        (CLOSES, 0, "closed"),
        (CLOSES + dt.timedelta(days=1), 2, "closed"),
    ],
)
def test_start_refusal(now, started, reason):
    assert start_refusal(WEEK, now, started) == reason


def test_unbounded_window_always_starts():
    assert start_refusal(Window(None, None, None), T0, 10_000) is None
    assert attempts_left(Window(None, None, None), 5) is None


def test_override_extends_close_and_adds_attempts():
    later = CLOSES + dt.timedelta(days=2)
    own = effective(WEEK, closes_at=later, extra_attempts=1)
    assert own.closes_at == later and own.attempts_allowed == 3
    assert start_refusal(own, CLOSES + dt.timedelta(days=1), 2) is None
    # Unlimited stays unlimited; no override changes nothing.
    assert effective(Window(None, None, None), extra_attempts=3).attempts_allowed is None
    assert effective(WEEK) == WEEK


@pytest.mark.parametrize(
    ("limit", "closes", "started", "deadline"),
    [
        (None, None, T0, None),
        (30, None, T0, T0 + dt.timedelta(minutes=30)),
        (None, CLOSES, T0, CLOSES),
        (30, T0 + dt.timedelta(minutes=10), T0, T0 + dt.timedelta(minutes=10)),
        (30, CLOSES, T0, T0 + dt.timedelta(minutes=30)),
    ],
)
def test_attempt_deadline_is_the_earlier_of_limit_and_close(limit, closes, started, deadline):
    assert attempt_deadline(Window(None, closes, None, limit), started) == deadline


@pytest.mark.parametrize(
    ("review", "closes", "now", "finished", "allowed"),
    [
        (AFTER_ANSWER, CLOSES, T0, False, True),
        (AFTER_ATTEMPT, CLOSES, T0, False, False),
        (AFTER_ATTEMPT, CLOSES, T0, True, True),
        (AFTER_CLOSE, CLOSES, T0, True, False),
        (AFTER_CLOSE, CLOSES, CLOSES, False, True),
        (AFTER_CLOSE, None, T0, False, False),
        (AFTER_CLOSE, None, T0, True, True),
    ],
)
def test_review_open(review, closes, now, finished, allowed):
    window = Window(OPENS, closes, None, None, review)
    assert review_open(window, now, attempt_finished=finished) is allowed


@pytest.mark.parametrize(
    ("now", "started", "finished", "state"),
    [
        (OPENS - dt.timedelta(hours=1), 0, 0, UPCOMING),
        (OPENS, 0, 0, TO_DO),
        (OPENS, 1, 0, IN_PROGRESS),
        (OPENS, 1, 1, DONE),
        (OPENS, 2, 1, IN_PROGRESS),
        (CLOSES, 0, 0, MISSED),
        (CLOSES, 1, 0, MISSED),
        (CLOSES, 1, 1, DONE),
    ],
)
def test_learner_state(now, started, finished, state):
    assert learner_state(WEEK, now, started=started, finished=finished) == state


times = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 1, 1))


@given(
    opens=st.none() | times,
    closes=st.none() | times,
    allowed=st.none() | st.integers(1, 5),
    now=times,
    started=st.integers(0, 8),
)
def test_a_start_is_allowed_only_inside_the_window_with_attempts_left(
    opens, closes, allowed, now, started
):
    window = Window(opens, closes, allowed)
    allowed_now = start_refusal(window, now, started) is None
    inside = (opens is None or now >= opens) and (closes is None or now < closes)
    left = allowed is None or started < allowed
    assert allowed_now == (inside and left)


@given(limit=st.none() | st.integers(1, 600), closes=st.none() | times, started=times)
def test_the_deadline_never_passes_the_close(limit, closes, started):
    deadline = attempt_deadline(Window(None, closes, None, limit), started)
    if closes is not None:
        assert deadline is not None and deadline <= closes
    if limit:
        assert deadline is not None and deadline <= started + dt.timedelta(minutes=limit)

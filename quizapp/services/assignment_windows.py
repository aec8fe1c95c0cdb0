"""One learner's effective settings on an assignment, and whether they may review an attempt.

Kept apart from `services.assignments` so that the attempts service (which shows feedback and
reviews) can ask it without importing the assignments service, which starts attempts.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from quizapp.core import assignment_rules as rules
from quizapp.extensions import db
from quizapp.models import Assignment, AssignmentOverride, utcnow


def base_window(assignment: Assignment) -> rules.Window:
    """The assignment's own settings as a rules window."""
    return rules.Window(
        assignment.opens_at,
        assignment.closes_at,
        assignment.attempts_allowed,
        assignment.time_limit_minutes,
        assignment.review,
    )


def window_for(assignment: Assignment, user_id: int) -> rules.Window:
    """One learner's effective window: the assignment's, with their override if any."""
    override = db.session.scalar(
        sa.select(AssignmentOverride).where(
            AssignmentOverride.assignment_id == assignment.id,
            AssignmentOverride.user_id == user_id,
        )
    )
    window = base_window(assignment)
    if override is None:
        return window
    window = rules.effective(
        window, closes_at=override.closes_at, extra_attempts=override.extra_attempts
    )
    if override.time_limit_minutes:
        window = rules.Window(
            window.opens_at,
            window.closes_at,
            window.attempts_allowed,
            override.time_limit_minutes,
            window.review,
        )
    return window


def review_open(
    assignment_id: int | None, user_id: int, finished: bool, now: dt.datetime | None = None
) -> bool:
    """Whether the learner `user_id` may now see the verdicts, right answers and sources of an
    attempt: always outside assignments (`assignment_id` None), else as the assignment's review
    timing says for this learner (see `core.assignment_rules.review_open`)."""
    if assignment_id is None:
        return True
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        return True
    window = window_for(assignment, user_id)
    return rules.review_open(window, now or utcnow(), attempt_finished=finished)


def review_opens_for(assignment_id: int | None, user_id: int) -> dt.datetime | None:
    """When review opens for the learner on an assignment reviewed after it closes: their close
    time; None for other review timings, no close time or no assignment."""
    if assignment_id is None:
        return None
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        return None
    window = window_for(assignment, user_id)
    return window.closes_at if window.review == rules.AFTER_CLOSE else None

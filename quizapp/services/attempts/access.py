"""Finding an attempt, its items and frozen questions, and its clock."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask import current_app

from quizapp.core.question_types import Question
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Response, User, utcnow
from quizapp.services.classes import teaches_learner

if TYPE_CHECKING:
    from quizapp.services.attempts.answering import AttemptState, ItemState


def attempt_for(user: User, attempt_id: int, *, write: bool = False) -> Attempt | None:
    """The attempt if this user may see it: its learner, or, when only reading, a teacher of a
    class the learner is in (`classes.teaches_learner`; a teacher of other classes, admins
    included, gets None, as for a missing attempt)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        return None
    if attempt.user_id == user.id:
        return attempt
    if not write and teaches_learner(user, attempt.user_id):
        return attempt
    return None


def item_at(attempt: Attempt, position: int) -> AttemptItem | None:
    """The attempt's item at a 1-based position."""
    return db.session.scalar(
        db.select(AttemptItem).where(
            AttemptItem.attempt_id == attempt.id, AttemptItem.position == position
        )
    )


def frozen_question(item: AttemptItem | ItemState) -> Question:
    """The question as the learner saw it."""
    return Question.from_dict(item.question)


# The answer path reads and writes with Core statements on the tables, built once: no ORM
# objects, no lazy loads, one query per request for the page and a short write for the answer.
_attempts = Attempt.__table__
_items = AttemptItem.__table__
_responses = Response.__table__


def _grace() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config.get("DEADLINE_GRACE_SECONDS", 30))


def time_left(attempt: Attempt | AttemptState) -> dt.timedelta | None:
    """Time until the deadline (never negative), or None for an untimed attempt."""
    if attempt.deadline is None or attempt.finished_at is not None:
        return None
    return max(attempt.deadline - utcnow(), dt.timedelta(0))


def deadline_passed(attempt: Attempt | AttemptState, now: dt.datetime | None = None) -> bool:
    """Whether a timed attempt still open has reached its deadline (untimed ones never do).

    Past the deadline no question is shown any more; an answer sent in the grace after it
    (`DEADLINE_GRACE_SECONDS`, for the page that submits itself at zero) is still recorded by
    `record_answer`, and the attempt is then closed.
    """
    if attempt.deadline is None or attempt.finished_at is not None:
        return False
    return (now or utcnow()) >= attempt.deadline


def duration(attempt: Attempt) -> dt.timedelta | None:
    """Time from start to finish."""
    if attempt.finished_at is None:
        return None
    return attempt.finished_at - attempt.started_at

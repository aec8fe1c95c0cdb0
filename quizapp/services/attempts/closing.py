"""Finishing, listing and discarding open attempts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Bank, Response, User, utcnow
from quizapp.services.attempt_modes import live_clause
from quizapp.services.attempts.access import _attempts, attempt_for
from quizapp.services.attempts.errors import QuizError
from quizapp.services.lti import grades as lti_grades
from quizapp.services.permissions import NotFound


def finish_attempt(user: User, attempt_id: int) -> Attempt:
    """Close the attempt and total its score in SQL; finishing twice changes nothing."""
    if attempt_for(user, attempt_id, write=True) is None:
        raise LookupError("no such attempt")
    close_attempt(user, attempt_id)
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    return attempt


def close_attempt(user: User, attempt_id: int) -> None:
    """Set the finish time and the score (sum of points) in one short write transaction."""
    begin_write()
    # PostgreSQL: lock the attempt first, so that an answer being stored (which share-locks it)
    # is committed before the score is summed by the next statement. SQLite: a plain read, the
    # IMMEDIATE transaction already excludes every other writer.
    db.session.execute(
        sa.select(_attempts.c.id).where(_attempts.c.id == attempt_id).with_for_update()
    )
    total = (
        db.select(db.func.coalesce(db.func.sum(Response.points), 0.0))
        .join(AttemptItem, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt_id)
        .scalar_subquery()
    )
    db.session.execute(
        db.update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.finished_at.is_(None))
        .values(score=total, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    # An assignment placed in an LMS course: its grade goes back there (after the commit).
    lti_grades.queue_grades([attempt_id])
    db.session.expire_all()


@dataclass(frozen=True)
class OpenAttempt:
    """An attempt still open, with its progress, for the home page."""

    id: int
    bank_titles: dict[str, str]
    language: str
    started_at: dt.datetime
    deadline: dt.datetime | None
    answered: int
    total: int
    assignment_id: int | None = None

    @property
    def started_ago(self) -> dt.timedelta:
        """From now back to the start (negative, as a relative time writer expects it)."""
        return min(self.started_at - utcnow(), dt.timedelta(0))

    @property
    def bank_title(self) -> str:
        """The bank's title in the attempt's language (else any title it has)."""
        return self.bank_titles.get(self.language) or next(iter(self.bank_titles.values()), "")


def unfinished_attempts(user: User) -> list[OpenAttempt]:
    """The learner's attempts still open, newest first, with questions answered and asked
    (counted in SQL, one query for the list); an assignment's attempts are listed with their
    assignment instead."""
    total = (
        sa.select(sa.func.count(AttemptItem.id))
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    answered = (
        sa.select(sa.func.count(Response.id))
        .join(AttemptItem, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            Attempt.id,
            Bank.titles,
            Attempt.language,
            Attempt.started_at,
            Attempt.deadline,
            answered,
            total,
            Attempt.assignment_id,
        )
        .join(Bank, Bank.id == Attempt.bank_id)
        # An assignment's open attempt is listed with its assignment (My assignments).
        .where(
            Attempt.user_id == user.id,
            Attempt.finished_at.is_(None),
            Attempt.assignment_id.is_(None),
            # A live game's attempt is answered in the game, never resumed from here.
            ~live_clause(),
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(10)
    ).all()
    return [OpenAttempt(*row) for row in rows]


def discard_attempt(user: User, attempt_id: int) -> None:
    """Delete one of the user's own open attempts with its answers (the caller commits).

    NotFound for an attempt that is not the user's (a teacher's reading right is no right to
    discard); QuizError for a finished one, which stays in the history.
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(str(attempt_id))
    if attempt.finished_at is not None:
        raise QuizError(_("A finished attempt stays in your history; it cannot be discarded."))
    if attempt.assignment_id is not None:
        # Discarding would give the attempt back: the assignment counts the ones started.
        raise QuizError(_("An assignment's attempt cannot be discarded; finish it instead."))
    user_id = user.id
    begin_write()
    # Its items and answers go with it (ON DELETE CASCADE). Finished meanwhile: kept.
    deleted = db.session.execute(
        sa.delete(_attempts).where(
            _attempts.c.id == attempt_id,
            _attempts.c.user_id == user_id,
            _attempts.c.finished_at.is_(None),
        )
    ).rowcount
    if not deleted:
        db.session.rollback()
        raise QuizError(_("A finished attempt stays in your history; it cannot be discarded."))

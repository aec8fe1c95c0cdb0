"""Attempts: start a quiz, answer its questions, finish it, resume it. Integrity rules live here.

The questions of an attempt are frozen when it starts (stem, options in order, key, source), so
its history stays true after the bank is edited. Each answer is committed as it is given; the
first answer to an item is the one kept.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quizapp.core.generation import GenerationError
from quizapp.core.question_types import TYPES, Question, check_answer
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Bank, Response, User, utcnow
from quizapp.services.banks import question_pool

MIN_QUESTIONS, MAX_QUESTIONS = 5, 50


class QuizError(Exception):
    """A request the quiz rules refuse; the message is meant for the learner."""


@dataclass(frozen=True)
class AnswerOutcome:
    """The stored response to an item, and whether this request was the one that stored it."""

    response: Response
    first: bool


def start_attempt(
    user: User,
    bank: Bank,
    language: str,
    count: int,
    types: list[str],
    seed: int | None = None,
    time_limit_minutes: int | None = None,
) -> Attempt:
    """Draw a question set and freeze it into a new attempt (the caller commits).

    With a time limit, the deadline is stored now; answers after it (plus a short grace) are
    refused and close the attempt.
    """
    if language not in bank.languages:
        raise QuizError(_("This bank has no questions in %(language)s.", language=language))
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise QuizError(
            _(
                "Choose between %(low)d and %(high)d questions.",
                low=MIN_QUESTIONS,
                high=MAX_QUESTIONS,
            )
        )
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        questions = question_pool(bank).generate(count, language, seed, types)
    except GenerationError as error:
        raise QuizError(str(error)) from None
    if not questions:
        raise QuizError(_("This bank has no questions of those types in that language."))
    user_id = user.id
    started = utcnow()
    deadline = started + dt.timedelta(minutes=time_limit_minutes) if time_limit_minutes else None
    begin_write()
    attempt = Attempt(
        user_id=user_id,
        started_at=started,
        deadline=deadline,
        bank_id=bank.id,
        language=language,
        settings={
            "count": count,
            "types": list(types),
            "seed": seed,
            "version": bank.version,
            "time_limit_minutes": time_limit_minutes or 0,
        },
        max_score=float(len(questions)),
    )
    attempt.items = [
        AttemptItem(
            position=position,
            question_type=question.type,
            fact_key=question.fact_id,
            question=question.to_dict(),
        )
        for position, question in enumerate(questions, start=1)
    ]
    db.session.add(attempt)
    db.session.flush()
    return attempt


def attempt_for(user: User, attempt_id: int, *, write: bool = False) -> Attempt | None:
    """The attempt if this user may see it (its learner, or a teacher when only reading)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        return None
    if attempt.user_id == user.id or (user.is_teacher and not write):
        return attempt
    return None


def item_at(attempt: Attempt, position: int) -> AttemptItem | None:
    """The attempt's item at a 1-based position."""
    return db.session.scalar(
        db.select(AttemptItem).where(
            AttemptItem.attempt_id == attempt.id, AttemptItem.position == position
        )
    )


def frozen_question(item: AttemptItem) -> Question:
    """The question as the learner saw it."""
    return Question.from_dict(item.question)


def mark_shown(item: AttemptItem) -> None:
    """Remember when a question was first shown, to time the answer (the caller commits)."""
    if item.shown_at is not None:
        return
    item_id = item.id
    begin_write()
    db.session.execute(
        db.update(AttemptItem)
        .where(AttemptItem.id == item_id, AttemptItem.shown_at.is_(None))
        .values(shown_at=utcnow())
    )


def record_answer(user: User, attempt_id: int, position: int, given: Any) -> AnswerOutcome:
    """Check and store an answer; a repeated answer to the same item keeps the first one.

    Reading and checking happen before the write transaction, so the write lock is held only
    for one insert; the unique item id makes a concurrent second answer a no-op.
    """
    attempt = attempt_for(user, attempt_id, write=True)
    if attempt is None:
        raise LookupError("no such attempt")
    item = item_at(attempt, position)
    if item is None:
        raise LookupError("no such question in this attempt")
    if item.response is not None:
        return AnswerOutcome(item.response, first=False)
    if attempt.finished_at is not None:
        raise QuizError(_("This attempt is finished; its answers can no longer change."))
    now = utcnow()
    if attempt.deadline is not None and now > attempt.deadline + _grace():
        close_attempt(user, attempt.id)
        db.session.commit()
        raise QuizError(_("Time is up: this answer came after the deadline and was not counted."))
    result = check_answer(frozen_question(item), given)
    seconds = (now - item.shown_at).total_seconds() if item.shown_at else None
    item_id = item.id
    begin_write()
    existing = db.session.scalar(db.select(Response).where(Response.item_id == item_id))
    if existing is not None:
        return AnswerOutcome(existing, first=False)
    still_open = db.session.scalar(
        db.select(Attempt.id).where(Attempt.id == attempt_id, Attempt.finished_at.is_(None))
    )
    if still_open is None:
        db.session.rollback()
        raise QuizError(_("This attempt is finished; its answers can no longer change."))
    response = Response(
        item_id=item_id,
        given=given,
        normalised=result.normalised,
        correct=result.correct,
        points=result.points,
        answered_at=now,
        seconds_taken=seconds,
    )
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request stored an answer to this item first (PostgreSQL): that one stands.
        db.session.rollback()
        existing = db.session.scalar(db.select(Response).where(Response.item_id == item_id))
        assert existing is not None
        return AnswerOutcome(existing, first=False)
    return AnswerOutcome(response, first=True)


def _grace() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config.get("DEADLINE_GRACE_SECONDS", 30))


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
    db.session.expire_all()


def answered_positions(attempt: Attempt) -> set[int]:
    """Positions of the items that have an answer."""
    return set(
        db.session.scalars(
            db.select(AttemptItem.position)
            .join(Response)
            .where(AttemptItem.attempt_id == attempt.id)
        )
    )


def next_unanswered(attempt: Attempt) -> int | None:
    """The first position without an answer, or None when all are answered."""
    answered = answered_positions(attempt)
    for item in attempt.items:
        if item.position not in answered:
            return item.position
    return None


def unfinished_attempts(user: User) -> list[Attempt]:
    """The learner's attempts still open, newest first."""
    return list(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.finished_at.is_(None))
            .order_by(Attempt.started_at.desc())
            .limit(10)
        )
    )


def time_left(attempt: Attempt) -> dt.timedelta | None:
    """Time until the deadline (never negative), or None for an untimed attempt."""
    if attempt.deadline is None or attempt.finished_at is not None:
        return None
    return max(attempt.deadline - utcnow(), dt.timedelta(0))


def duration(attempt: Attempt) -> dt.timedelta | None:
    """Time from start to finish."""
    if attempt.finished_at is None:
        return None
    return attempt.finished_at - attempt.started_at


def known_types() -> list[str]:
    """Every registered question type, in registry order."""
    return list(TYPES)

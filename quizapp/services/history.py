"""Score history: a learner's attempts, per-bank summaries and trends, a teacher's class view.

Every aggregate is computed in SQL; lists are paginated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, User

PER_PAGE = 10
TREND_LIMIT = 200


@dataclass(frozen=True)
class BankSummary:
    """A learner's results on one bank."""

    bank_id: int
    slug: str
    titles: dict[str, str]
    attempts: int
    best: float
    average: float


@dataclass(frozen=True)
class LearnerSummary:
    """One learner's line in a teacher's class view."""

    user_id: int
    name: str
    attempts: int
    average: float | None
    last: dt.datetime | None


def _percentage():
    return 100.0 * Attempt.score / db.func.nullif(Attempt.max_score, 0)


def attempts_page(user_id: int, page: int, per_page: int = PER_PAGE):
    """A page of the learner's attempts, newest first (finished and unfinished)."""
    query = (
        db.select(Attempt)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def bank_summaries(user_id: int) -> list[BankSummary]:
    """Best and average percentage per bank over finished attempts."""
    percentage = _percentage()
    totals = (
        db.select(
            Attempt.bank_id.label("bank_id"),
            db.func.count(Attempt.id).label("attempts"),
            db.func.max(percentage).label("best"),
            db.func.avg(percentage).label("average"),
        )
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
        .group_by(Attempt.bank_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(
            Bank.id, Bank.slug, Bank.titles, totals.c.attempts, totals.c.best, totals.c.average
        )
        .join(totals, totals.c.bank_id == Bank.id)
        .order_by(Bank.slug)
    ).all()
    return [
        BankSummary(bank_id, slug, titles, count, float(best or 0), float(average or 0))
        for bank_id, slug, titles, count, best, average in rows
    ]


def trend(user_id: int) -> dict[int, list[tuple[dt.datetime, float]]]:
    """Percentage over time per bank id, oldest first (the latest TREND_LIMIT attempts)."""
    rows = db.session.execute(
        db.select(Attempt.bank_id, Attempt.finished_at, _percentage())
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
        .order_by(Attempt.finished_at.desc())
        .limit(TREND_LIMIT)
    ).all()
    series: dict[int, list[tuple[dt.datetime, float]]] = {}
    for bank_id, finished_at, percentage in reversed(rows):
        series.setdefault(bank_id, []).append((finished_at, float(percentage or 0)))
    return series


def learners_page(page: int, per_page: int = 20):
    """A teacher's class view: every learner with attempts count, average and last activity."""
    percentage = _percentage()
    query = (
        db.select(
            User.id,
            User.name,
            db.func.count(Attempt.id),
            db.func.avg(percentage),
            db.func.max(Attempt.finished_at),
        )
        .outerjoin(Attempt, (Attempt.user_id == User.id) & Attempt.finished_at.is_not(None))
        .group_by(User.id, User.name)
        .order_by(User.name)
    )
    total = db.session.scalar(db.select(db.func.count(User.id))) or 0
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    learners = [
        LearnerSummary(uid, name, count, float(avg) if avg is not None else None, last)
        for uid, name, count, avg, last in rows
    ]
    return learners, total

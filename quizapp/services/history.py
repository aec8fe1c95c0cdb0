"""Score history: a learner's attempts, per-bank summaries and trends (class pages are in
`services.classes`).

Every aggregate is computed in SQL; lists are paginated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from quizapp.core.charts import MAX_POINTS
from quizapp.extensions import db
from quizapp.models import Attempt, Bank

PER_PAGE = 10
# The chart shows at most this many attempts (the latest), each in its own slot.
TREND_LIMIT = MAX_POINTS


@dataclass(frozen=True)
class BankSummary:
    """A learner's results on one bank."""

    bank_id: int
    slug: str
    titles: dict[str, str]
    attempts: int
    best: float
    average: float
    language: str = ""


@dataclass(frozen=True)
class Filters:
    """What a history page is narrowed to: one bank, one language, or both (None: all)."""

    bank_id: int | None = None
    language: str | None = None

    def clauses(self) -> list:
        """The WHERE clauses on Attempt for these filters."""
        clauses = []
        if self.bank_id is not None:
            clauses.append(Attempt.bank_id == self.bank_id)
        if self.language is not None:
            clauses.append(Attempt.language == self.language)
        return clauses


@dataclass(frozen=True)
class TrendPoint:
    """One finished attempt on the chart."""

    attempt_id: int
    bank_id: int
    language: str
    finished_at: dt.datetime
    percentage: float


@dataclass(frozen=True)
class FilterChoices:
    """The banks (id, titles) and languages a learner has attempts in, for the filter form."""

    banks: list[tuple[int, dict[str, str]]]
    languages: list[str]


def _percentage():
    return 100.0 * Attempt.score / db.func.nullif(Attempt.max_score, 0)


def attempts_page(
    user_id: int, page: int, per_page: int = PER_PAGE, filters: Filters | None = None
):
    """A page of the learner's attempts, newest first (finished and unfinished)."""
    query = (
        db.select(Attempt)
        .where(Attempt.user_id == user_id, *(filters or Filters()).clauses())
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def bank_summaries(user_id: int, filters: Filters | None = None) -> list[BankSummary]:
    """Best and average percentage per bank and language over finished attempts."""
    percentage = _percentage()
    totals = (
        db.select(
            Attempt.bank_id.label("bank_id"),
            Attempt.language.label("language"),
            db.func.count(Attempt.id).label("attempts"),
            db.func.max(percentage).label("best"),
            db.func.avg(percentage).label("average"),
        )
        .where(
            Attempt.user_id == user_id,
            Attempt.finished_at.is_not(None),
            *(filters or Filters()).clauses(),
        )
        .group_by(Attempt.bank_id, Attempt.language)
        .subquery()
    )
    rows = db.session.execute(
        db.select(
            Bank.id,
            Bank.slug,
            Bank.titles,
            totals.c.attempts,
            totals.c.best,
            totals.c.average,
            totals.c.language,
        )
        .join(totals, totals.c.bank_id == Bank.id)
        .order_by(Bank.slug, totals.c.language)
    ).all()
    return [
        BankSummary(bank_id, slug, titles, count, float(best or 0), float(average or 0), language)
        for bank_id, slug, titles, count, best, average, language in rows
    ]


def trend(
    user_id: int, filters: Filters | None = None, limit: int = TREND_LIMIT
) -> list[TrendPoint]:
    """The latest `limit` finished attempts, oldest first, with their percentages."""
    rows = db.session.execute(
        db.select(Attempt.id, Attempt.bank_id, Attempt.language, Attempt.finished_at, _percentage())
        .where(
            Attempt.user_id == user_id,
            Attempt.finished_at.is_not(None),
            *(filters or Filters()).clauses(),
        )
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
        .limit(limit)
    ).all()
    return [
        TrendPoint(attempt_id, bank_id, language, finished_at, float(percentage or 0))
        for attempt_id, bank_id, language, finished_at, percentage in reversed(rows)
    ]


def filter_choices(user_id: int) -> FilterChoices:
    """The banks and languages the learner has attempts in (two DISTINCT queries)."""
    banks = db.session.execute(
        db.select(Bank.id, Bank.titles)
        .where(Bank.id.in_(db.select(Attempt.bank_id).where(Attempt.user_id == user_id)))
        .order_by(Bank.slug)
    ).all()
    languages = db.session.scalars(
        db.select(Attempt.language)
        .where(Attempt.user_id == user_id)
        .distinct()
        .order_by(Attempt.language)
    ).all()
    return FilterChoices([(bank_id, titles) for bank_id, titles in banks], list(languages))

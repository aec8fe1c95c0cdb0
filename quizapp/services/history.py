"""Score history: a learner's attempts, per-bank summaries and trends, and their assignments
with due dates, states and grades (class pages are in `services.classes`).

Who reads whose history (`learner_for`): a learner their own; a teacher account (admins
included) only the learners of a class it teaches (owner or co-teacher, archived classes
included); everyone else gets NotFound, as for a user that does not exist.

Every aggregate is computed in SQL; lists are paginated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from quizapp.core import assignment_rules as rules
from quizapp.core.charts import MAX_POINTS
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    AssignmentOverride,
    Attempt,
    Bank,
    ClassMembership,
    SchoolClass,
    User,
    utcnow,
)
from quizapp.services import classes
from quizapp.services.assignment_windows import base_window
from quizapp.services.attempt_modes import quiz_clause
from quizapp.services.gradebook import graded_subquery
from quizapp.services.permissions import NotFound

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
    """Best and average percentage per bank and language over finished quizzes (practice
    sessions left out: `attempt_modes`)."""
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
            quiz_clause(),
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
    """The latest `limit` finished quizzes (practice sessions left out: `attempt_modes`),
    oldest first, with their percentages."""
    rows = db.session.execute(
        db.select(Attempt.id, Attempt.bank_id, Attempt.language, Attempt.finished_at, _percentage())
        .where(
            Attempt.user_id == user_id,
            Attempt.finished_at.is_not(None),
            quiz_clause(),
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


def learner_for(viewer: User, user_id: int) -> User:
    """The user whose history `viewer` asks for, if they may read it: their own, or a learner
    of a class `viewer` teaches (`classes.teaches_learner`). NotFound otherwise, and for a user
    that does not exist (the two are not told apart)."""
    if user_id != viewer.id and not classes.teaches_learner(viewer, user_id):
        raise NotFound(str(user_id))
    learner = db.session.get(User, user_id)
    if learner is None:
        raise NotFound(str(user_id))
    return learner


@dataclass(frozen=True)
class AssignmentStanding:
    """One assignment of the learner's classes as their history lists it: the learner's own
    window (their override applied: `closes_at` is their due date, naive UTC), their state
    (`core.assignment_rules.STATES`), attempts started and finished, and their grade by the
    assignment's grading method (% of the maximum; None without a finished attempt)."""

    assignment_id: int
    title: str
    class_id: int
    class_name: str
    class_archived: bool
    grading_method: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    state: str
    started: int
    finished: int
    grade: float | None


# In progress and to do first, as on the home page; then by due date.
_STATE_ORDER = {
    rules.IN_PROGRESS: 0,
    rules.TO_DO: 1,
    rules.UPCOMING: 2,
    rules.DONE: 3,
    rules.MISSED: 4,
}


def assignment_standings(
    viewer: User, learner: User, now: dt.datetime | None = None
) -> list[AssignmentStanding]:
    """The learner's assignments with their standing (see AssignmentStanding), in progress and
    to do first, then upcoming, done and missed, soonest due first.

    For the learner themself: the assignments of the classes they are a learner in, archived
    classes left out (as on their home page). For a teacher (`viewer` must have passed
    `learner_for`): every assignment of the classes `viewer` teaches that the learner is in,
    archived ones included. One query: every count and grade is filtered by the learner first,
    so the cost does not grow with the size of the class.
    """
    now = now or utcnow()
    mine = sa.and_(Attempt.assignment_id == Assignment.id, Attempt.user_id == learner.id)
    started = sa.select(sa.func.count(Attempt.id)).where(mine).scalar_subquery()
    finished = sa.select(sa.func.count(Attempt.finished_at)).where(mine).scalar_subquery()
    graded = graded_subquery(Attempt.user_id == learner.id)
    query = (
        sa.select(
            Assignment,
            SchoolClass.name,
            SchoolClass.archived,
            AssignmentOverride.closes_at,
            AssignmentOverride.extra_attempts,
            started,
            finished,
            graded.c.grade,
        )
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(
            ClassMembership,
            sa.and_(
                ClassMembership.class_id == SchoolClass.id,
                ClassMembership.user_id == learner.id,
                ClassMembership.role == classes.LEARNER,
            ),
        )
        .outerjoin(
            AssignmentOverride,
            sa.and_(
                AssignmentOverride.assignment_id == Assignment.id,
                AssignmentOverride.user_id == learner.id,
            ),
        )
        .outerjoin(graded, graded.c.assignment_id == Assignment.id)
    )
    if viewer.id == learner.id:
        query = query.where(SchoolClass.archived.is_(False))
    else:
        query = query.where(classes.taught_clause(viewer))
    standings = []
    for (
        assignment,
        class_name,
        archived,
        own_close,
        extra,
        n_started,
        n_finished,
        grade,
    ) in db.session.execute(query):
        window = rules.effective(
            base_window(assignment), closes_at=own_close, extra_attempts=extra or 0
        )
        standings.append(
            AssignmentStanding(
                assignment.id,
                assignment.title,
                assignment.class_id,
                class_name,
                bool(archived),
                assignment.grading_method,
                window.opens_at,
                window.closes_at,
                rules.learner_state(window, now, started=n_started, finished=n_finished),
                int(n_started),
                int(n_finished),
                None if grade is None else float(grade),
            )
        )
    far = dt.datetime.max
    standings.sort(key=lambda s: (_STATE_ORDER[s.state], s.closes_at or far, s.assignment_id))
    return standings

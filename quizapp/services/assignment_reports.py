"""The assignment report for a class's teachers: who has not started, who is answering, who has
finished; each learner's grade by the assignment's grading method; the distribution of grades
(issue 11, point 4). Also what the other report pages share: which attempts they read and the
text learners typed most often for a normalised answer.

Every figure is an SQL aggregate: a learner's grade comes from window functions over their
finished attempts (first, last and best by `ROW_NUMBER`, average by `AVG`), the distribution
from one `GROUP BY grade`, which `core.histograms` turns into bins, mean, median and standard
deviation. Nothing here reads a row per response, and the learners' table is read a page at a
time, so the report costs the same whatever the class's size.

Errors: `permissions.NotFound` for a user outside the assignment's class, `permissions.Forbidden`
for one of its learners (the report is its teachers').
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from quizapp.core.grading import AVERAGE, FIRST, HIGHEST, LAST
from quizapp.core.histograms import ScoreDistribution, score_distribution
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    ClassMembership,
    RegradeLog,
    Response,
    User,
)
from quizapp.services.assignments import get_assignment
from quizapp.services.classes import learner_id_select

# Which attempts the statistics read: each learner's first finished attempt (Moodle's default
# for quiz statistics, so a learner who tried five times weighs as much as one who tried once)
# or every finished attempt.
FIRST_ATTEMPTS, ALL_ATTEMPTS = "first", "all"
ATTEMPT_CHOICES = (FIRST_ATTEMPTS, ALL_ATTEMPTS)
NOT_STARTED, IN_PROGRESS, FINISHED = "not_started", "in_progress", "finished"
STATUSES = (NOT_STARTED, IN_PROGRESS, FINISHED)
PER_PAGE = 50
REGRADES_SHOWN = 50


def attempt_choice(value: str | None) -> str:
    """`value` if it names a choice of attempts, else the default (first attempts)."""
    return value if value in ATTEMPT_CHOICES else FIRST_ATTEMPTS


def chosen_attempts(assignment: Assignment, which: str = FIRST_ATTEMPTS) -> sa.Subquery:
    """The finished attempts of the assignment's current learners that the statistics read, as
    a subquery of (id, user_id, score, max_score): with FIRST_ATTEMPTS each learner's first
    (by finish time, then id, as `core.grading`), with ALL_ATTEMPTS every one. Attempts of
    learners who left the class are not counted."""
    numbered = (
        sa.select(
            Attempt.id,
            Attempt.user_id,
            Attempt.score,
            Attempt.max_score,
            sa.func.row_number()
            .over(partition_by=Attempt.user_id, order_by=(Attempt.finished_at, Attempt.id))
            .label("number"),
        )
        .where(
            Attempt.assignment_id == assignment.id,
            Attempt.finished_at.is_not(None),
            Attempt.user_id.in_(learner_id_select(assignment.class_id)),
        )
        .subquery("numbered")
    )
    chosen = sa.select(numbered.c.id, numbered.c.user_id, numbered.c.score, numbered.c.max_score)
    if which == FIRST_ATTEMPTS:
        chosen = chosen.where(numbered.c.number == 1)
    return chosen.subquery("chosen")


def _decoded(raw: Any) -> str:
    """A stored answer (JSON text as the database casts it) as the text a learner typed."""
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        value = raw
    return value if isinstance(value, str) else str(value)


def typed_texts(
    attempts: sa.Subquery,
    key_column: sa.ColumnElement[Any],
    keys: Iterable[Any],
    normalised: Iterable[str],
) -> dict[tuple[Any, str], str]:
    """For each (item key, normalised answer) among `keys` × `normalised`, the answer as
    learners typed it most often (ties: the first in text order), over the `attempts` subquery
    (a column `id`). `key_column` is the item key (AttemptItem.fact_key or .position).

    One grouped query over the distinct spellings; the stored JSON is compared as text, as
    PostgreSQL cannot group JSON values.
    """
    keys, normalised = list(dict.fromkeys(keys)), list(dict.fromkeys(normalised))
    if not keys or not normalised:
        return {}
    given = sa.cast(Response.given, sa.Text)
    count = sa.func.count()
    rows = db.session.execute(
        sa.select(key_column, Response.normalised, given, count)
        .select_from(attempts)
        .join(AttemptItem, AttemptItem.attempt_id == attempts.c.id)
        .join(Response, Response.item_id == AttemptItem.id)
        .where(key_column.in_(keys), Response.normalised.in_(normalised))
        .group_by(key_column, Response.normalised, given)
        .order_by(count.desc(), given)
    )
    texts: dict[tuple[Any, str], str] = {}
    for key, folded, raw, _count in rows:
        texts.setdefault((key, folded), _decoded(raw))
    return texts


@dataclass(frozen=True)
class LearnerGrade:
    """One learner on the assignment: status, attempts started and finished, grade (% of the
    maximum, by the assignment's grading method; None before a finished attempt), the attempt
    that gives the grade (for "average", the latest finished) and any attempt still open."""

    user_id: int
    name: str
    status: str
    started: int
    finished: int
    grade: float | None
    graded_attempt_id: int | None
    open_attempt_id: int | None

    @property
    def review_attempt_id(self) -> int | None:
        """The attempt to open from the report: the graded one, else the one in progress."""
        return self.graded_attempt_id or self.open_attempt_id


@dataclass(frozen=True)
class RegradeEntry:
    """One line of the assignment's regrade log."""

    created_at: dt.datetime
    teacher: str | None
    fact_key: str
    answer: str
    scope: str
    responses_changed: int
    attempts_changed: int


@dataclass(frozen=True)
class AssignmentReport:
    """The report page's figures: learners per status, one page of learners (filtered by
    `status` when given; `total` of them in all), the distribution of the graded learners'
    grades, and the latest regrades."""

    assignment: Assignment
    counts: dict[str, int]
    status: str | None
    learners: list[LearnerGrade]
    page: int
    per_page: int
    total: int
    distribution: ScoreDistribution
    regrades: list[RegradeEntry]

    @property
    def class_size(self) -> int:
        """Learners in the class."""
        return sum(self.counts.values())


def _percentage(score: Any, max_score: Any) -> sa.ColumnElement[float]:
    return sa.case((max_score > 0, 100.0 * score / max_score), else_=0.0)


def grades_subquery(assignment: Assignment) -> sa.Subquery:
    """Per learner with a finished attempt: (user_id, grade, graded_attempt_id), the grade in %
    by the assignment's grading method (`core.grading`'s rules, in SQL: attempts ordered by
    finish time then id; the best attempt by percentage, then the earliest)."""
    percentage = _percentage(Attempt.score, Attempt.max_score)
    ranked = (
        sa.select(
            Attempt.user_id,
            Attempt.id,
            percentage.label("percentage"),
            sa.func.row_number()
            .over(partition_by=Attempt.user_id, order_by=(Attempt.finished_at, Attempt.id))
            .label("first_rank"),
            sa.func.row_number()
            .over(
                partition_by=Attempt.user_id,
                order_by=(Attempt.finished_at.desc(), Attempt.id.desc()),
            )
            .label("last_rank"),
            sa.func.row_number()
            .over(
                partition_by=Attempt.user_id,
                order_by=(percentage.desc(), Attempt.finished_at, Attempt.id),
            )
            .label("best_rank"),
        )
        .where(Attempt.assignment_id == assignment.id, Attempt.finished_at.is_not(None))
        .subquery("ranked")
    )

    def at(rank: sa.ColumnElement[int], column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return sa.func.max(sa.case((rank == 1, column)))

    first = (at(ranked.c.first_rank, ranked.c.percentage), at(ranked.c.first_rank, ranked.c.id))
    last = (at(ranked.c.last_rank, ranked.c.percentage), at(ranked.c.last_rank, ranked.c.id))
    by_method = {
        HIGHEST: (sa.func.max(ranked.c.percentage), at(ranked.c.best_rank, ranked.c.id)),
        AVERAGE: (sa.func.avg(ranked.c.percentage), last[1]),
        FIRST: first,
        LAST: last,
    }
    grade, graded = by_method.get(assignment.grading_method, by_method[HIGHEST])
    return (
        sa.select(ranked.c.user_id, grade.label("grade"), graded.label("graded_attempt_id"))
        .group_by(ranked.c.user_id)
        .subquery("grades")
    )


def _learners_subquery(assignment: Assignment) -> sa.Subquery:
    """Every learner of the class with attempt counts, open attempt, grade and status."""
    counts = (
        sa.select(
            Attempt.user_id,
            sa.func.count(Attempt.id).label("started"),
            sa.func.count(Attempt.finished_at).label("finished"),
            sa.func.max(sa.case((Attempt.finished_at.is_(None), Attempt.id))).label("open_id"),
        )
        .where(Attempt.assignment_id == assignment.id)
        .group_by(Attempt.user_id)
        .subquery("counts")
    )
    grades = grades_subquery(assignment)
    started = sa.func.coalesce(counts.c.started, 0)
    finished = sa.func.coalesce(counts.c.finished, 0)
    status = sa.case((started == 0, NOT_STARTED), (started > finished, IN_PROGRESS), else_=FINISHED)
    return (
        sa.select(
            User.id.label("user_id"),
            User.name,
            status.label("status"),
            started.label("started"),
            finished.label("finished"),
            grades.c.grade,
            grades.c.graded_attempt_id,
            counts.c.open_id,
        )
        .join(
            ClassMembership,
            sa.and_(
                ClassMembership.user_id == User.id,
                ClassMembership.class_id == assignment.class_id,
                ClassMembership.role == "learner",
            ),
        )
        .outerjoin(counts, counts.c.user_id == User.id)
        .outerjoin(grades, grades.c.user_id == User.id)
        .subquery("learners")
    )


def regrade_log(assignment: Assignment, limit: int = REGRADES_SHOWN) -> list[RegradeEntry]:
    """The assignment's latest regrades, newest first, with the teacher's name."""
    rows = db.session.execute(
        sa.select(RegradeLog, User.name)
        .outerjoin(User, User.id == RegradeLog.user_id)
        .where(RegradeLog.assignment_id == assignment.id)
        .order_by(RegradeLog.created_at.desc(), RegradeLog.id.desc())
        .limit(limit)
    ).all()
    return [
        RegradeEntry(
            log.created_at,
            name,
            log.fact_key,
            log.answer,
            log.scope,
            log.responses_changed,
            log.attempts_changed,
        )
        for log, name in rows
    ]


def assignment_report(
    user: User,
    assignment_id: int,
    *,
    page: int = 1,
    status: str | None = None,
    per_page: int = PER_PAGE,
) -> AssignmentReport:
    """The assignment's report (see `AssignmentReport`) for a teacher of its class.

    `status` (one of STATUSES, else ignored) filters the learners' table, read `per_page`
    learners at a time by name; a page past the last one comes back empty (the caller 404s).
    The distribution counts each learner with a finished attempt once, at their grade.
    """
    assignment = get_assignment(user, assignment_id, "teach")
    learners = _learners_subquery(assignment)
    counts = dict.fromkeys(STATUSES, 0)
    for name, number in db.session.execute(
        sa.select(learners.c.status, sa.func.count()).group_by(learners.c.status)
    ):
        counts[name] = int(number)
    status = status if status in STATUSES else None
    listed = sa.select(learners).order_by(sa.func.lower(learners.c.name), learners.c.user_id)
    if status is not None:
        listed = listed.where(learners.c.status == status)
    rows = db.session.execute(listed.limit(per_page).offset((page - 1) * per_page)).all()
    grades = db.session.execute(
        sa.select(learners.c.grade, sa.func.count())
        .where(learners.c.grade.is_not(None))
        .group_by(learners.c.grade)
    ).all()
    return AssignmentReport(
        assignment=assignment,
        counts=counts,
        status=status,
        learners=[
            LearnerGrade(
                row.user_id,
                row.name,
                row.status,
                int(row.started),
                int(row.finished),
                None if row.grade is None else float(row.grade),
                row.graded_attempt_id,
                row.open_id,
            )
            for row in rows
        ],
        page=page,
        per_page=per_page,
        total=counts[status] if status else sum(counts.values()),
        distribution=score_distribution({float(g): int(n) for g, n in grades}),
        regrades=regrade_log(assignment),
    )

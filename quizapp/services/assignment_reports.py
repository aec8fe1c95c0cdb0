"""The assignment report for a class's teachers: who has not started, who is answering, who has
finished; each learner's grade by the assignment's grading method; the distribution of grades
(issue 11, point 4). Also what the other report pages share: which attempts they read and the
text learners typed most often for a normalised answer.

Every figure is an SQL aggregate: a learner's counts and grade come from one pass over the
assignment's attempts in the order of the index ix_attempts_assignment_user_finished
(`learner_summaries`: MAX and AVG for highest and average, window functions over that same
order for first, last and the attempt that gives the grade, so nothing is sorted); the counts
per status and the distribution from one `GROUP BY status, grade` over it, which
`core.histograms` turns into bins, mean, median and standard deviation. Nothing here reads a
row per response; the learners' table is read a page at a time (a status filter is a keyed
EXISTS per learner) and only that page's learners get their graded attempt looked up.

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
from sqlalchemy.orm import aliased

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
    a subquery of (id, user_id, score, max_score, finished_at): with FIRST_ATTEMPTS each
    learner's first (by finish time, then id, as `core.grading`), with ALL_ATTEMPTS every one.
    Attempts of learners who left the class are not counted.

    The first attempt is the one with no earlier finished attempt by the same learner: a
    keyed NOT EXISTS, one seek per attempt on ix_attempts_assignment_user_finished, rather
    than numbering every attempt with a window. The databases also estimate its size well
    (a filter on a row number is guessed at a small fraction of the rows), which PostgreSQL
    needs to join it to a million items with the right plan.
    """
    conditions = [
        Attempt.assignment_id == assignment.id,
        Attempt.finished_at.is_not(None),
        Attempt.user_id.in_(learner_id_select(assignment.class_id)),
    ]
    if which == FIRST_ATTEMPTS:
        earlier = aliased(Attempt, name="earlier")
        conditions.append(
            ~sa.exists().where(
                earlier.assignment_id == Attempt.assignment_id,
                earlier.user_id == Attempt.user_id,
                earlier.finished_at.is_not(None),
                # One range on the index, where an OR of two conditions made two seeks.
                sa.tuple_(earlier.finished_at, earlier.id)
                < sa.tuple_(Attempt.finished_at, Attempt.id),
            )
        )
    return (
        sa.select(
            Attempt.id, Attempt.user_id, Attempt.score, Attempt.max_score, Attempt.finished_at
        )
        .where(*conditions)
        .subquery("chosen")
    )


def decoded(raw: Any) -> str:
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
        texts.setdefault((key, folded), decoded(raw))
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


def learner_summaries(
    assignment: Assignment, *where: sa.ColumnElement[bool], graded_attempt: bool = False
) -> sa.Subquery:
    """Per learner with an attempt at the assignment (narrowed by `where`, conditions on
    Attempt): (user_id, started, finished, open_id, grade), and `graded_attempt_id` when
    `graded_attempt`: attempts started and finished, the latest one still open, and the grade
    in % by the assignment's grading method (`core.grading`'s rules: finished attempts in
    order of finish time then id; the best by percentage, then the earliest), with the
    attempt that gives it (for the average, the latest finished). No grade without a
    finished attempt; an unknown method grades as HIGHEST.

    One pass over the assignment's attempts in the order of the index
    ix_attempts_assignment_user_finished (learner; finish time, id), a learner's figures one
    aggregate over their rows. Highest and average need no more; first and last, and the
    graded attempt, read one or two window functions over that same order, which the index
    gives, so nothing is sorted (a window costs a pass: only those needed are asked for).
    Unfinished attempts are in the pass, for the counts, but in no grade: their percentage
    is NULL and the windows count finished attempts only.
    """
    method = assignment.grading_method
    method = method if method in (FIRST, LAST, AVERAGE) else HIGHEST
    percentage = sa.case(
        (Attempt.finished_at.is_not(None), _percentage(Attempt.score, Attempt.max_score))
    )

    def window(rows: tuple[int | None, int | None]) -> dict[str, Any]:
        return {
            "partition_by": Attempt.user_id,
            "order_by": (Attempt.finished_at, Attempt.id),
            "rows": rows,
        }

    windows = []
    if method == FIRST:
        # Finished attempts up to this one: 1 on the first.
        windows.append(sa.func.count(Attempt.finished_at).over(**window((None, 0))).label("upto"))
    if method == LAST or (method == AVERAGE and graded_attempt):
        # Finished attempts after this one: 0 on the last.
        windows.append(sa.func.count(Attempt.finished_at).over(**window((1, None))).label("after"))
    if method == HIGHEST and graded_attempt:
        windows.append(sa.func.max(percentage).over(**window((None, None))).label("best"))
        windows.append(sa.func.max(percentage).over(**window((None, -1))).label("before"))
    ranked = (
        sa.select(Attempt.user_id, Attempt.id, percentage.label("percentage"), *windows)
        .where(Attempt.assignment_id == assignment.id, *where)
        .subquery("ranked")
    )
    finished = ranked.c.percentage.is_not(None)

    def at(condition: sa.ColumnElement[bool], column: Any) -> Any:
        return sa.func.max(sa.case((finished & condition, column)))

    graded = None
    if method == FIRST:
        grade = at(ranked.c.upto == 1, ranked.c.percentage)
        graded = at(ranked.c.upto == 1, ranked.c.id)
    elif method == LAST:
        grade = at(ranked.c.after == 0, ranked.c.percentage)
        graded = at(ranked.c.after == 0, ranked.c.id)
    elif method == AVERAGE:
        grade = sa.func.avg(ranked.c.percentage)
        if graded_attempt:
            graded = at(ranked.c.after == 0, ranked.c.id)
    else:
        grade = sa.func.max(ranked.c.percentage)
        if graded_attempt:
            # The earliest attempt at the best percentage: none before it as good. `best` is
            # the maximum of the very same values, so the equality is exact.
            graded = at(
                (ranked.c.percentage == ranked.c.best)
                & sa.or_(ranked.c.before.is_(None), ranked.c.percentage > ranked.c.before),
                ranked.c.id,
            )
    columns = [
        ranked.c.user_id,
        sa.func.count().label("started"),
        sa.func.count(ranked.c.percentage).label("finished"),
        sa.func.max(sa.case((ranked.c.percentage.is_(None), ranked.c.id))).label("open_id"),
        grade.label("grade"),
    ]
    if graded_attempt:
        columns.append(graded.label("graded_attempt_id"))
    return sa.select(*columns).group_by(ranked.c.user_id).subquery("summaries")


def _status(started: Any, finished: Any) -> sa.ColumnElement[str]:
    return sa.case((started == 0, NOT_STARTED), (started > finished, IN_PROGRESS), else_=FINISHED)


def _status_clause(assignment: Assignment, status: str) -> sa.ColumnElement[bool]:
    """Whether the learner (User) has `status` on the assignment: keyed EXISTS tests on the
    index, so filtering a page costs a seek per learner."""
    started = sa.exists().where(Attempt.assignment_id == assignment.id, Attempt.user_id == User.id)
    open_one = sa.exists().where(
        Attempt.assignment_id == assignment.id,
        Attempt.user_id == User.id,
        Attempt.finished_at.is_(None),
    )
    if status == NOT_STARTED:
        return ~started
    if status == IN_PROGRESS:
        return open_one
    return started & ~open_one


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

    Queries: the learners per (status, grade) in one pass over the assignment's attempts
    (`learner_summaries`); the class's learners counted (those not counted above have not
    started); the page's learners by name (a status filter is a seek per learner), then
    only their summaries.
    """
    assignment = get_assignment(user, assignment_id, "teach")
    learner_ids = learner_id_select(assignment.class_id)
    summaries = learner_summaries(assignment, Attempt.user_id.in_(learner_ids))
    counts = dict.fromkeys(STATUSES, 0)
    grades: dict[float, int] = {}
    statuses = sa.select(
        _status(summaries.c.started, summaries.c.finished).label("status"), summaries.c.grade
    ).subquery("statuses")
    for name, grade, number in db.session.execute(
        sa.select(statuses.c.status, statuses.c.grade, sa.func.count()).group_by(
            statuses.c.status, statuses.c.grade
        )
    ):
        counts[name] += int(number)
        if grade is not None:
            grades[float(grade)] = grades.get(float(grade), 0) + int(number)
    learners = db.session.scalar(
        sa.select(sa.func.count()).select_from(learner_ids.subquery("class_learners"))
    )
    counts[NOT_STARTED] = int(learners or 0) - sum(counts.values())
    status = status if status in STATUSES else None
    listed = (
        sa.select(User.id, User.name)
        .join(
            ClassMembership,
            sa.and_(
                ClassMembership.user_id == User.id,
                ClassMembership.class_id == assignment.class_id,
                ClassMembership.role == "learner",
            ),
        )
        .order_by(sa.func.lower(User.name), User.id)
    )
    if status is not None:
        listed = listed.where(_status_clause(assignment, status))
    rows = db.session.execute(listed.limit(per_page).offset((page - 1) * per_page)).all()
    page_summaries = learner_summaries(
        assignment, Attempt.user_id.in_([row.id for row in rows]), graded_attempt=True
    )
    details = {row.user_id: row for row in db.session.execute(sa.select(page_summaries))}
    return AssignmentReport(
        assignment=assignment,
        counts=counts,
        status=status,
        learners=[_learner_grade(user_id, name, details.get(user_id)) for user_id, name in rows],
        page=page,
        per_page=per_page,
        total=counts[status] if status else sum(counts.values()),
        distribution=score_distribution(grades),
        regrades=regrade_log(assignment),
    )


def _learner_grade(user_id: int, name: str, summary: Any) -> LearnerGrade:
    """A learner's row of the report from their summary (None: no attempt yet)."""
    if summary is None:
        return LearnerGrade(user_id, name, NOT_STARTED, 0, 0, None, None, None)
    started, finished = int(summary.started), int(summary.finished)
    return LearnerGrade(
        user_id,
        name,
        IN_PROGRESS if started > finished else FINISHED,
        started,
        finished,
        None if summary.grade is None else float(summary.grade),
        summary.graded_attempt_id,
        summary.open_id,
    )

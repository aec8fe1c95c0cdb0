"""The gradebook of a class: a row per learner, a column per assignment, each cell the
learner's grade by that assignment's grading method; and every answer of an assignment, for
a spreadsheet.

Grades are computed in SQL, on SQLite and PostgreSQL alike (`graded_subquery`): an attempt's
grade is its score as a percentage of its maximum (0 when the maximum is 0, as
`services.assignments` reads it), and over a learner's FINISHED attempts at an assignment the
grading methods of `core.grading` are, per (learner, assignment):

- highest: MAX of the grades; average: AVG of the grades;
- first: the grade of the attempt numbered 1 by ROW_NUMBER() over the learner's attempts
  ordered by (finished_at, id), `core.grading`'s order, the id breaking a tie of finish
  times; last: the grade of the attempt with no attempt after it in that order (a COUNT over
  the rows that follow it is 0), so that both read the one order the index
  ix_attempts_assignment_user_finished gives, and nothing is sorted.

A learner without a finished attempt has no grade (None), never 0. The gradebook lists the
class's current learners: someone removed from the class leaves it (their attempts stay in
their own history). The answers file lists the answers of the class's current learners too.

Only the class's teachers (owner, co-teachers) read a gradebook or an answers file: the
functions here call `classes.require_teaching` (NotFound outside the class, Forbidden for a
learner) before anything is read, so a download is refused before its first byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from quizapp.core.grading import AVERAGE, FIRST, LAST
from quizapp.database import for_large_report
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Response,
    SchoolClass,
    User,
)
from quizapp.services import class_lists, classes

LEARNERS_PER_PAGE = 25
# Rows fetched from the database at a time by the downloads (a server-side cursor on
# PostgreSQL): memory stays flat whatever the number of answers.
STREAM_BATCH = 1000


def attempt_percentage() -> sa.ColumnElement[float]:
    """An attempt's score as a percentage of its maximum, in SQL (0 when the maximum is 0)."""
    return sa.case((Attempt.max_score > 0, 100.0 * Attempt.score / Attempt.max_score), else_=0.0)


def graded_subquery(*where: sa.ColumnElement[bool]) -> sa.Subquery:
    """Per (learner, assignment) with a finished attempt among the attempts matching `where`:
    columns `user_id`, `assignment_id`, `grade` (% of the maximum, by the assignment's
    grading method, see the module's docstring) and `finished` (finished attempts counted).

    Pass conditions on Attempt that narrow it to the attempts wanted (one learner, a class's
    assignments, a page of learners): the window functions then number only those rows.
    Both windows run over (assignment, learner; finish time, id), the order of the index
    ix_attempts_assignment_user_finished, so an assignment's attempts are numbered as the
    index hands them over, without a sort: ROW_NUMBER() for the first, and the count of the
    attempts after each one (0 on the last) instead of a second numbering in the opposite
    order, which would need one.
    """
    keys = (Attempt.assignment_id, Attempt.user_id)
    order = (Attempt.finished_at, Attempt.id)
    ranked = (
        sa.select(
            Attempt.user_id.label("user_id"),
            Attempt.assignment_id.label("assignment_id"),
            attempt_percentage().label("percentage"),
            sa.func.row_number().over(partition_by=keys, order_by=order).label("from_first"),
            sa.func.count().over(partition_by=keys, order_by=order, rows=(1, None)).label("after"),
        )
        .where(Attempt.finished_at.is_not(None), Attempt.assignment_id.is_not(None), *where)
        .subquery("ranked")
    )
    percentage = ranked.c.percentage
    methods = (
        sa.select(
            ranked.c.user_id,
            ranked.c.assignment_id,
            sa.func.max(percentage).label("highest"),
            sa.func.avg(percentage).label("average"),
            sa.func.max(sa.case((ranked.c.from_first == 1, percentage))).label("first"),
            sa.func.max(sa.case((ranked.c.after == 0, percentage))).label("last"),
            sa.func.count().label("finished"),
        )
        .group_by(ranked.c.assignment_id, ranked.c.user_id)
        .subquery("methods")
    )
    grade = sa.case(
        (Assignment.grading_method == AVERAGE, methods.c.average),
        (Assignment.grading_method == FIRST, methods.c.first),
        (Assignment.grading_method == LAST, methods.c.last),
        else_=methods.c.highest,
    )
    return (
        sa.select(
            methods.c.user_id,
            methods.c.assignment_id,
            grade.label("grade"),
            methods.c.finished,
        )
        .join(Assignment, Assignment.id == methods.c.assignment_id)
        .subquery("graded")
    )


def _class_assignment_ids(class_id: int) -> sa.Select:
    return sa.select(Assignment.id).where(Assignment.class_id == class_id)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Column:
    """One assignment of the gradebook: `mean` is the mean grade of the class's learners who
    have one (None when nobody has), `graded` how many have one."""

    assignment_id: int
    title: str
    grading_method: str
    closes_at: dt.datetime | None
    mean: float | None
    graded: int


@dataclass(frozen=True)
class Row:
    """One learner: their grade per column, in the columns' order (None: no finished attempt)."""

    user_id: int
    name: str
    grades: list[float | None]


@dataclass(frozen=True)
class GradebookPage:
    """A page of the gradebook: the columns, the page's rows, and the learners' pagination."""

    columns: list[Column]
    rows: list[Row]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """The number of pages (1 for an empty class)."""
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def columns(user: User, school_class: SchoolClass) -> list[Column]:
    """The class's assignments, oldest first, each with the mean grade of the class's current
    learners (one grouped query). NotFound / Forbidden unless the user teaches the class."""
    classes.require_teaching(user, school_class)
    graded = graded_subquery(
        Attempt.assignment_id.in_(_class_assignment_ids(school_class.id)),
        Attempt.user_id.in_(classes.learner_id_select(school_class.id)),
    )
    means = (
        sa.select(
            graded.c.assignment_id,
            sa.func.avg(graded.c.grade).label("mean"),
            sa.func.count().label("graded"),
        )
        .group_by(graded.c.assignment_id)
        .subquery("means")
    )
    rows = db.session.execute(
        sa.select(
            Assignment.id,
            Assignment.title,
            Assignment.grading_method,
            Assignment.closes_at,
            means.c.mean,
            means.c.graded,
        )
        .outerjoin(means, means.c.assignment_id == Assignment.id)
        .where(Assignment.class_id == school_class.id)
        .order_by(Assignment.created_at, Assignment.id)
    ).all()
    return [
        Column(aid, title, method, closes, _float(mean), int(count or 0))
        for aid, title, method, closes, mean, count in rows
    ]


def grades_of(class_id: int, learner_ids: Sequence[int]) -> dict[tuple[int, int], float]:
    """{(learner id, assignment id): grade} for the given learners on the class's assignments
    (no entry: no finished attempt). One query; the caller checks the right to read them."""
    if not learner_ids:
        return {}
    graded = graded_subquery(
        Attempt.assignment_id.in_(_class_assignment_ids(class_id)),
        Attempt.user_id.in_(list(learner_ids)),
    )
    rows = db.session.execute(sa.select(graded.c.user_id, graded.c.assignment_id, graded.c.grade))
    return {(uid, aid): float(grade) for uid, aid, grade in rows if grade is not None}


def gradebook_page(
    user: User, school_class: SchoolClass, page: int, per_page: int = LEARNERS_PER_PAGE
) -> GradebookPage:
    """Page `page` of the class's gradebook: learners by name, `per_page` a page, with their
    grade on every assignment of the class. The same few queries whatever the class's size
    (the columns with their means, a page of learners and its count, the page's grades).
    NotFound / Forbidden unless the user teaches it."""
    cols = columns(user, school_class)
    learners = class_lists.learners_page(user, school_class, page, per_page)
    ids = [membership.user_id for membership in learners.items]
    grades = grades_of(school_class.id, ids)
    rows = [
        Row(
            membership.user_id,
            membership.user.name,
            [grades.get((membership.user_id, col.assignment_id)) for col in cols],
        )
        for membership in learners.items
    ]
    return GradebookPage(cols, rows, page, per_page, int(learners.total or 0))


def gradebook_rows(user: User, school_class: SchoolClass) -> tuple[list[Column], Iterator[Row]]:
    """The whole gradebook for a download: the columns, and an iterator of every learner's row
    by name, read STREAM_BATCH learners at a time (see `_stream_rows`), so no list of the
    class's learners or grades is held. The right is checked now, before the iterator is
    handed back."""
    cols = columns(user, school_class)
    return cols, _stream_rows(school_class.id, [col.assignment_id for col in cols])


def _stream_rows(class_id: int, assignment_ids: list[int]) -> Iterator[Row]:
    """Every learner's row by (lower-case name, id) from ONE query read STREAM_BATCH rows at a
    time (a server-side cursor on PostgreSQL): a row per (learner, graded assignment), and
    one without a grade per learner who has none, sorted by learner, so that consecutive rows
    make a learner's row. Each learner is graded once (`graded_subquery` over the class's
    attempts, in the index's order) and the class sorted once: the download costs what the
    class holds. The grades lead the join (each finds its learner by primary key) and the
    learners without any are a second part with a keyed NOT EXISTS: a LEFT JOIN from the
    learners to the grades made SQLite scan every grade for every learner, keyset batches
    sorted the class again for every batch, and a grades query per batch cost a statement
    of a thousand parameters each time."""
    for_large_report()
    learners = classes.learner_id_select(class_id)
    class_assignments = _class_assignment_ids(class_id)
    graded = graded_subquery(
        Attempt.assignment_id.in_(class_assignments), Attempt.user_id.in_(learners)
    )
    with_grades = sa.select(
        User.id.label("user_id"), User.name, graded.c.assignment_id, graded.c.grade
    ).join(User, User.id == graded.c.user_id)
    without = sa.select(
        User.id.label("user_id"),
        User.name,
        sa.null().label("assignment_id"),
        sa.null().label("grade"),
    ).where(
        User.id.in_(learners),
        ~sa.exists().where(
            Attempt.assignment_id.in_(class_assignments),
            Attempt.user_id == User.id,
            Attempt.finished_at.is_not(None),
        ),
    )
    both = sa.union_all(with_grades, without).subquery("cells")
    rows = db.session.execute(
        sa.select(both.c.user_id, both.c.name, both.c.assignment_id, both.c.grade)
        .order_by(sa.func.lower(both.c.name), both.c.user_id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    current: tuple[int, str] | None = None
    grades: dict[int, float] = {}
    for user_id, name, assignment_id, grade in rows:
        if current is not None and current[0] != user_id:
            yield Row(*current, [grades.get(aid) for aid in assignment_ids])
            grades = {}
        current = (user_id, name)
        if grade is not None:
            grades[assignment_id] = float(grade)
    if current is not None:
        yield Row(*current, [grades.get(aid) for aid in assignment_ids])


@dataclass(frozen=True)
class AnswerRow:
    """One answer of an assignment, as the answers file lists it. `attempt` is the learner's
    own attempt number at the assignment (1 = their first started); `seconds_taken` is from
    showing the question to the answer (None when unknown); `answered_at` naive UTC."""

    learner: str
    attempt: int
    position: int
    stem: str
    given: Any
    correct: bool
    points: float
    seconds_taken: float | None
    answered_at: dt.datetime


def answer_rows(user: User, assignment: Assignment) -> Iterator[AnswerRow]:
    """Every answer given to the assignment by the class's current learners, by learner name,
    attempt and question: an iterator over one query read in batches of STREAM_BATCH (a
    server-side cursor on PostgreSQL), so a million answers never sit in memory. The question
    text is read from the frozen question in SQL (its JSON `stem`), not by loading the frozen
    question. The right (teaching the assignment's class) is checked now, before the iterator
    is handed back."""
    school_class = db.session.get(SchoolClass, assignment.class_id)
    classes.require_teaching(user, school_class)
    return _stream_answers(assignment.id, assignment.class_id)


def _stream_answers(assignment_id: int, class_id: int) -> Iterator[AnswerRow]:
    for_large_report()
    numbered = (
        sa.select(
            Attempt.id.label("attempt_id"),
            Attempt.user_id.label("user_id"),
            sa.func.row_number()
            .over(partition_by=Attempt.user_id, order_by=(Attempt.started_at, Attempt.id))
            .label("number"),
        )
        .where(
            Attempt.assignment_id == assignment_id,
            Attempt.user_id.in_(classes.learner_id_select(class_id)),
        )
        .subquery("numbered")
    )
    query = (
        sa.select(
            User.name,
            numbered.c.number,
            AttemptItem.position,
            AttemptItem.question["stem"].as_string(),
            Response.given,
            Response.correct,
            Response.points,
            Response.seconds_taken,
            Response.answered_at,
        )
        .select_from(numbered)
        .join(User, User.id == numbered.c.user_id)
        .join(AttemptItem, AttemptItem.attempt_id == numbered.c.attempt_id)
        .join(Response, Response.item_id == AttemptItem.id)
        .order_by(sa.func.lower(User.name), User.id, numbered.c.number, AttemptItem.position)
        .execution_options(yield_per=STREAM_BATCH)
    )
    for (
        name,
        number,
        position,
        stem,
        given,
        correct,
        points,
        seconds,
        answered,
    ) in db.session.execute(query):
        yield AnswerRow(
            name,
            int(number),
            int(position),
            stem or "",
            given,
            bool(correct),
            float(points),
            None if seconds is None else float(seconds),
            answered,
        )

"""What learners and teachers see of assignments: a learner's assignments with their state
(to do, in progress, upcoming, done, missed), a class's assignments with how many learners
started and finished, one learner's standing on an assignment (window, attempts, grade) and
every learner's progress for the teachers. Each list is one SQL statement (counts, best
percentages and overrides joined in), the states and windows decided by
`core.assignment_rules`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from quizapp.core import assignment_rules as rules
from quizapp.core.grading import GradedAttempt, final_grade
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    AssignmentOverride,
    Attempt,
    ClassMembership,
    SchoolClass,
    User,
    utcnow,
)
from quizapp.services import classes
from quizapp.services.assignment_windows import base_window, window_for


@dataclass(frozen=True)
class LearnerAssignment:
    """One assignment as its learner's home page lists it."""

    id: int
    title: str
    class_name: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    state: str
    attempts_left: int | None
    open_attempt_id: int | None
    best: float | None  # best finished attempt's percentage

    @property
    def can_start(self) -> bool:
        """Whether a new attempt may be started (else only resumed or nothing)."""
        return self.state in (rules.TO_DO, rules.DONE) and self.attempts_left != 0


STATE_ORDER = {
    rules.IN_PROGRESS: 0,
    rules.TO_DO: 1,
    rules.UPCOMING: 2,
    rules.DONE: 3,
    rules.MISSED: 4,
}


def learner_assignments(user: User, now: dt.datetime | None = None) -> list[LearnerAssignment]:
    """The assignments of the learner's classes (not archived) with their state (to do, in
    progress, upcoming, done, missed), in that order, soonest close first; one query."""
    now = now or utcnow()
    mine = sa.and_(Attempt.assignment_id == Assignment.id, Attempt.user_id == user.id)
    started = sa.select(sa.func.count(Attempt.id)).where(mine).scalar_subquery()
    finished = sa.select(sa.func.count(Attempt.finished_at)).where(mine).scalar_subquery()
    open_id = (
        sa.select(sa.func.max(Attempt.id))
        .where(mine, Attempt.finished_at.is_(None))
        .scalar_subquery()
    )
    best = (
        sa.select(
            sa.func.max(
                sa.case(
                    (Attempt.max_score > 0, 100.0 * Attempt.score / Attempt.max_score), else_=0.0
                )
            )
        )
        .where(mine, Attempt.finished_at.is_not(None))
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            Assignment,
            SchoolClass.name,
            AssignmentOverride.closes_at,
            AssignmentOverride.extra_attempts,
            started,
            finished,
            open_id,
            best,
        )
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(
            ClassMembership,
            sa.and_(
                ClassMembership.class_id == SchoolClass.id,
                ClassMembership.user_id == user.id,
                ClassMembership.role == "learner",
            ),
        )
        .outerjoin(
            AssignmentOverride,
            sa.and_(
                AssignmentOverride.assignment_id == Assignment.id,
                AssignmentOverride.user_id == user.id,
            ),
        )
        .where(SchoolClass.archived.is_(False))
    ).all()
    listed = []
    for assignment, class_name, own_close, extra, n_started, n_finished, open_attempt, top in rows:
        window = rules.effective(
            base_window(assignment), closes_at=own_close, extra_attempts=extra or 0
        )
        state = rules.learner_state(window, now, started=n_started, finished=n_finished)
        listed.append(
            LearnerAssignment(
                assignment.id,
                assignment.title,
                class_name,
                window.opens_at,
                window.closes_at,
                state,
                rules.attempts_left(window, n_started),
                open_attempt if rules.is_open(window, now) else None,
                None if top is None else float(top),
            )
        )
    far = dt.datetime.max
    listed.sort(key=lambda a: (STATE_ORDER[a.state], a.closes_at or far, a.id))
    return listed


@dataclass(frozen=True)
class ClassAssignment:
    """One assignment of a class as its teachers' list shows it."""

    assignment: Assignment
    started: int  # learners with an attempt
    finished: int  # learners with a finished attempt


def class_assignments(user: User, school_class: SchoolClass) -> list[ClassAssignment]:
    """The class's assignments, newest first, with how many learners started and finished
    (counted in SQL). NotFound unless the user teaches the class."""
    classes.require_teaching(user, school_class)
    started = (
        sa.select(sa.func.count(sa.distinct(Attempt.user_id)))
        .where(Attempt.assignment_id == Assignment.id)
        .scalar_subquery()
    )
    finished = (
        sa.select(sa.func.count(sa.distinct(Attempt.user_id)))
        .where(Attempt.assignment_id == Assignment.id, Attempt.finished_at.is_not(None))
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Assignment, started, finished)
        .where(Assignment.class_id == school_class.id)
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
    ).all()
    return [ClassAssignment(a, int(s), int(f)) for a, s, f in rows]


@dataclass(frozen=True)
class LearnerView:
    """One learner's standing on an assignment: window, state and their attempts."""

    window: rules.Window
    state: str
    attempts_left: int | None
    can_start: bool
    open_attempt_id: int | None
    attempts: list[Attempt]
    grade: float | None  # by the assignment's grading method, % of the maximum


def _percentage(attempt: Attempt) -> float:
    return 100.0 * attempt.score / attempt.max_score if attempt.max_score else 0.0


def learner_view(user: User, assignment: Assignment) -> LearnerView:
    """The user's own standing on an assignment of their class (see LearnerView)."""
    window = window_for(assignment, user.id)
    mine = list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.assignment_id == assignment.id, Attempt.user_id == user.id)
            .order_by(Attempt.started_at, Attempt.id)
        )
    )
    finished = [a for a in mine if a.finished_at is not None]
    now = utcnow()
    state = rules.learner_state(window, now, started=len(mine), finished=len(finished))
    open_attempt = next((a.id for a in mine if a.finished_at is None), None)
    grade = final_grade(
        assignment.grading_method,
        [GradedAttempt(_percentage(a), a.finished_at, a.id) for a in finished],
    )
    return LearnerView(
        window,
        state,
        rules.attempts_left(window, len(mine)),
        open_attempt is None and rules.start_refusal(window, now, len(mine)) is None,
        open_attempt if rules.is_open(window, now) else None,
        mine,
        grade,
    )


@dataclass(frozen=True)
class LearnerProgress:
    """One learner of the class on an assignment, as its teachers see them."""

    user_id: int
    name: str
    started: int
    finished: int
    last_attempt_id: int | None
    best: float | None

    @property
    def status(self) -> str:
        """ "not_started", "in_progress" (an attempt open) or "finished"."""
        if not self.started:
            return "not_started"
        return "in_progress" if self.started > self.finished else "finished"


def learner_progress(user: User, assignment: Assignment) -> list[LearnerProgress]:
    """Every learner of the class with their attempts started and finished, their latest
    attempt and best percentage, by name (one grouped query). NotFound unless the user
    teaches the class."""
    school_class = db.session.get(SchoolClass, assignment.class_id)
    classes.require_teaching(user, school_class)
    percentage = sa.case(
        (Attempt.max_score > 0, 100.0 * Attempt.score / Attempt.max_score), else_=0.0
    )
    rows = db.session.execute(
        sa.select(
            User.id,
            User.name,
            sa.func.count(Attempt.id),
            sa.func.count(Attempt.finished_at),
            sa.func.max(Attempt.id),
            sa.func.max(sa.case((Attempt.finished_at.is_not(None), percentage))),
        )
        .join(
            ClassMembership,
            sa.and_(
                ClassMembership.user_id == User.id,
                ClassMembership.class_id == school_class.id,
                ClassMembership.role == "learner",
            ),
        )
        .outerjoin(
            Attempt,
            sa.and_(Attempt.user_id == User.id, Attempt.assignment_id == assignment.id),
        )
        .group_by(User.id, User.name)
        .order_by(User.name)
    ).all()
    return [
        LearnerProgress(uid, name, int(s), int(f), last, None if best is None else float(best))
        for uid, name, s, f, last, best in rows
    ]

"""Assignment overrides: a teacher gives one learner of the class a later close, extra
attempts or another time limit (one override per learner and assignment, replaced when set
again), removes it, and lists them. The learner's window with their override is read by
`services.assignment_windows`."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Assignment, AssignmentOverride, SchoolClass, User
from quizapp.services import classes, permissions
from quizapp.services.assignments import MAX_ATTEMPTS, AssignmentError, check_schedule


def set_override(
    user: User,
    assignment: Assignment,
    learner_id: int,
    *,
    closes_at: dt.datetime | None = None,
    extra_attempts: int = 0,
    time_limit_minutes: int | None = None,
) -> AssignmentOverride:
    """Give one learner of the class a later close, extra attempts or another time limit,
    replacing any override they had (the caller commits). NotFound unless the user teaches the
    class and the learner is in it; AssignmentError for values the rules refuse."""
    school_class = db.session.get(SchoolClass, assignment.class_id)
    classes.require_teaching(user, school_class)
    learner = db.session.get(User, learner_id)
    member = learner and classes.membership(learner, school_class)
    if not member or member.role != "learner":
        raise permissions.NotFound(str(learner_id))
    if not 0 <= extra_attempts <= MAX_ATTEMPTS:
        raise AssignmentError(_("Give between 0 and %(high)d extra attempts.", high=MAX_ATTEMPTS))
    check_schedule(assignment.opens_at, closes_at, None, time_limit_minutes)
    if closes_at is None and not extra_attempts and not time_limit_minutes:
        raise AssignmentError(
            _("An override needs a closing time, extra attempts or a time limit.")
        )
    begin_write()
    override = db.session.scalar(
        sa.select(AssignmentOverride).where(
            AssignmentOverride.assignment_id == assignment.id,
            AssignmentOverride.user_id == learner_id,
        )
    )
    if override is None:
        override = AssignmentOverride(assignment_id=assignment.id, user_id=learner_id)
        db.session.add(override)
    override.closes_at = closes_at
    override.extra_attempts = extra_attempts
    override.time_limit_minutes = time_limit_minutes
    db.session.flush()
    return override


def remove_override(user: User, assignment: Assignment, learner_id: int) -> None:
    """Remove a learner's override (the caller commits); NotFound unless the user teaches."""
    school_class = db.session.get(SchoolClass, assignment.class_id)
    classes.require_teaching(user, school_class)
    begin_write()
    db.session.execute(
        sa.delete(AssignmentOverride).where(
            AssignmentOverride.assignment_id == assignment.id,
            AssignmentOverride.user_id == learner_id,
        )
    )


def overrides_of(assignment: Assignment) -> list[tuple[AssignmentOverride, str]]:
    """The assignment's overrides with each learner's name, by name."""
    rows = db.session.execute(
        sa.select(AssignmentOverride, User.name)
        .join(User, User.id == AssignmentOverride.user_id)
        .where(AssignmentOverride.assignment_id == assignment.id)
        .order_by(User.name)
    ).all()
    return [(o, name) for o, name in rows]

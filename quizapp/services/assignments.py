"""Assignments: a quiz a class's teachers give its learners, with Moodle's quiz settings.

A teacher of a class (owner or co-teacher) assigns a bank they may see, in one language, with
the question types, the number of questions, a time limit, opening and closing times (UTC),
the attempts allowed, the grading method, the same questions for everyone (one set drawn and
frozen when the assignment is made, so results compare item by item) or a set per learner
drawn from the same facts, and when learners may review their answers (see
`core.assignment_rules`). The assignment itself is the learner's right to take the bank: an
unpublished bank can be assigned.

A learner of the class starts attempts within its window; each attempt freezes its questions
like any other and its deadline is the time limit or the close, whichever comes first, so late
answers are refused as in a timed quiz. A teacher may give one learner a later close, a longer
time limit or extra attempts (an override: `services.assignment_overrides`). What learners and
teachers see of assignments (lists, a learner's standing, the class's progress) is
`services.assignment_lists`.

Errors: `permissions.NotFound` when the user may not see the assignment (not in its class), or
a class they do not teach; `AssignmentError` (a translated message) for what the rules refuse.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.core import assignment_rules as rules
from quizapp.core.generation import GenerationError
from quizapp.core.grading import GRADING_METHODS
from quizapp.core.question_types import Question
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    Bank,
    ClassMembership,
    SchoolClass,
    User,
    utcnow,
)
from quizapp.services import classes, permissions
from quizapp.services.assignment_windows import window_for
from quizapp.services.attempts import MAX_QUESTIONS, MIN_QUESTIONS
from quizapp.services.attempts.starting import freeze_attempt
from quizapp.services.banks import question_pool

TITLE_MAX = 200
MAX_ATTEMPTS = 20  # a limit above this is as good as unlimited (None)
MAX_TIME_LIMIT = 600  # minutes


class AssignmentError(Exception):
    """A request the assignment rules refuse; the message is meant for the user."""


@dataclass(frozen=True)
class AssignmentSettings:
    """What a teacher sets on an assignment (times naive UTC; None: no bound / unlimited)."""

    title: str
    bank_id: int
    language: str
    types: list[str]
    count: int
    time_limit_minutes: int | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    attempts_allowed: int | None = 1
    grading_method: str = "highest"
    same_questions: bool = True
    review: str = rules.AFTER_ATTEMPT


def check_schedule(
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    attempts_allowed: int | None,
    time_limit_minutes: int | None,
) -> None:
    """Check an assignment's or an override's schedule (times naive UTC, the time limit in
    minutes; None: no bound / unlimited); AssignmentError for a close not after the opening,
    attempts or a time limit out of range."""
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise AssignmentError(_("The closing time must come after the opening time."))
    if attempts_allowed is not None and not 1 <= attempts_allowed <= MAX_ATTEMPTS:
        raise AssignmentError(
            _("Allow between 1 and %(high)d attempts, or unlimited.", high=MAX_ATTEMPTS)
        )
    if time_limit_minutes is not None and not 1 <= time_limit_minutes <= MAX_TIME_LIMIT:
        raise AssignmentError(
            _("A time limit is between 1 and %(high)d minutes.", high=MAX_TIME_LIMIT)
        )


def _plan_refusal(error: GenerationError) -> AssignmentError:
    messages = {
        "no_types": _("Choose at least one question type."),
        "no_language": _("This bank cannot make a quiz in this language yet."),
        "empty": _("This bank cannot make any question of the chosen types in this language."),
    }
    return AssignmentError(messages.get(error.code, _("This bank cannot make this quiz.")))


def create_assignment(
    user: User, school_class: SchoolClass, settings: AssignmentSettings, seed: int | None = None
) -> Assignment:
    """Assign a quiz to a class (the caller commits).

    NotFound unless the user teaches the class and may see the bank. AssignmentError when a
    setting breaks a rule, or when the bank cannot make exactly the set asked (the message says
    what it can make, so the teacher can ask for that). With the same questions for everyone,
    the set is drawn now and frozen in the assignment.
    """
    classes.require_teaching(user, school_class)
    bank = db.session.get(Bank, settings.bank_id)
    if bank is None or not permissions.can_view(user, bank):
        raise permissions.NotFound(str(settings.bank_id))
    title = " ".join(settings.title.split())
    if not title or len(title) > TITLE_MAX:
        raise AssignmentError(
            _("Give the assignment a title of up to %(n)d characters.", n=TITLE_MAX)
        )
    if settings.language not in bank.languages:
        raise AssignmentError(_("This bank has no questions in this language."))
    if not MIN_QUESTIONS <= settings.count <= MAX_QUESTIONS:
        raise AssignmentError(
            _(
                "Choose between %(low)d and %(high)d questions.",
                low=MIN_QUESTIONS,
                high=MAX_QUESTIONS,
            )
        )
    if settings.grading_method not in GRADING_METHODS:
        raise AssignmentError(_("Choose a grading method from the list."))
    if settings.review not in rules.REVIEW_TIMINGS:
        raise AssignmentError(_("Choose when learners may review their answers."))
    check_schedule(
        settings.opens_at,
        settings.closes_at,
        settings.attempts_allowed,
        settings.time_limit_minutes,
    )
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        plan = question_pool(bank).plan(settings.count, settings.language, seed, settings.types)
    except GenerationError as error:
        raise _plan_refusal(error) from None
    if not plan.exact:
        raise AssignmentError(
            _(
                "This bank can make %(made)d of the %(asked)d questions asked with these types; "
                "ask for fewer questions or other types.",
                made=plan.total,
                asked=settings.count,
            )
        )
    begin_write()
    assignment = Assignment(
        class_id=school_class.id,
        bank_id=bank.id,
        title=title,
        language=settings.language,
        types=list(dict.fromkeys(settings.types)),
        question_count=settings.count,
        time_limit_minutes=settings.time_limit_minutes,
        opens_at=settings.opens_at,
        closes_at=settings.closes_at,
        attempts_allowed=settings.attempts_allowed,
        grading_method=settings.grading_method,
        same_questions=settings.same_questions,
        review=settings.review,
        seed=seed,
        questions=[q.to_dict() for q in plan.questions] if settings.same_questions else None,
        created_by=user.id,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def get_assignment(user: User, assignment_id: int, need: str = "teach") -> Assignment:
    """The assignment if the user may reach it: `need` "teach" (a teacher of its class) or
    "member" (anyone in its class). NotFound for a missing assignment or a user outside the
    class; Forbidden for a member without the right."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise permissions.NotFound(str(assignment_id))
    school_class = db.session.get(SchoolClass, assignment.class_id)
    assert school_class is not None
    # NotFound for someone outside the class, Forbidden for a learner asking a teacher's page.
    classes.REQUIREMENTS[need](user, school_class)
    return assignment


def _counts(assignment_id: int, user_id: int) -> tuple[int, int]:
    """(attempts started, attempts finished) by the learner at the assignment (one query)."""
    started, finished = db.session.execute(
        sa.select(sa.func.count(Attempt.id), sa.func.count(Attempt.finished_at)).where(
            Attempt.assignment_id == assignment_id, Attempt.user_id == user_id
        )
    ).one()
    return int(started), int(finished)


_REFUSALS = {
    "not_open": lambda: _("This assignment is not open yet."),
    "closed": lambda: _("This assignment is closed."),
    "no_attempts_left": lambda: _("You have used every attempt this assignment allows."),
}


def start_attempt(user: User, assignment_id: int, seed: int | None = None) -> Attempt:
    """Start (or resume) the learner's attempt at an assignment (the caller commits).

    An attempt still open is returned as it is. Otherwise the rules of the learner's window
    decide (AssignmentError with the reason); the count of attempts is read inside the write
    transaction, so two quick clicks cannot start two attempts past the limit. The questions
    are the assignment's frozen set, or a set drawn for this learner from the same facts.
    NotFound unless the user is a learner of the assignment's class.
    """
    assignment = get_assignment(user, assignment_id, need="member")
    school_class = db.session.get(SchoolClass, assignment.class_id)
    member = classes.membership(user, school_class)
    if member is None or member.role != "learner" or school_class.archived:
        raise permissions.NotFound(str(assignment_id))
    bank = db.session.get(Bank, assignment.bank_id)
    if assignment.same_questions and assignment.questions:
        questions: list[Question] | list[dict] = list(assignment.questions)
    else:
        seed = secrets.randbelow(2**31) if seed is None else seed
        try:
            questions = (
                question_pool(bank)
                .plan(assignment.question_count, assignment.language, seed, assignment.types)
                .questions
            )
        except GenerationError as error:
            raise _plan_refusal(error) from None
    user_id, assignment_key = user.id, assignment.id
    begin_write()
    # PostgreSQL: lock the learner's membership row so that two starts at once are counted one
    # after the other (SQLite's IMMEDIATE transaction already admits one writer).
    db.session.execute(
        sa.select(ClassMembership.id).where(ClassMembership.id == member.id).with_for_update()
    )
    open_attempt = db.session.scalar(
        sa.select(Attempt).where(
            Attempt.assignment_id == assignment_key,
            Attempt.user_id == user_id,
            Attempt.finished_at.is_(None),
        )
    )
    if open_attempt is not None:
        return open_attempt
    window = window_for(assignment, user_id)
    now = utcnow()
    started, _finished = _counts(assignment_key, user_id)
    refusal = rules.start_refusal(window, now, started)
    if refusal is not None:
        db.session.rollback()
        raise AssignmentError(_REFUSALS[refusal]())
    settings = {
        "count": assignment.question_count,
        "types": list(assignment.types),
        "seed": assignment.seed if assignment.same_questions else seed,
        "version": bank.version,
        "time_limit_minutes": window.time_limit_minutes or 0,
        "assignment": assignment_key,
    }
    return freeze_attempt(
        user,
        bank,
        assignment.language,
        settings,
        questions,
        started_at=now,
        deadline=rules.attempt_deadline(window, now),
        assignment_id=assignment_key,
        in_write=True,
    )


def assignable_banks(user: User) -> list[Bank]:
    """The banks a teacher may assign: those they may see and that are not archived, by slug."""
    return list(
        db.session.scalars(
            sa.select(Bank)
            .where(permissions.viewable_clause(user), Bank.archived.is_(False))
            .order_by(Bank.slug)
        )
    )


def learners_of(school_class: SchoolClass) -> list[User]:
    """The class's learners by name (for choosing one; the caller checks the right to)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(classes.learner_id_select(school_class.id)))
            .order_by(User.name)
        )
    )

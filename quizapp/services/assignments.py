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
time limit or extra attempts (an override).

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
from quizapp.core.grading import GRADING_METHODS, GradedAttempt, final_grade
from quizapp.core.question_types import Question
from quizapp.database import begin_write
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
from quizapp.services import classes, permissions
from quizapp.services.assignment_windows import base_window, window_for
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


def _check_schedule(
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    attempts_allowed: int | None,
    time_limit_minutes: int | None,
) -> None:
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
    _check_schedule(
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
    _check_schedule(assignment.opens_at, closes_at, None, time_limit_minutes)
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

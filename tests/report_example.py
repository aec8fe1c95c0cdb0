"""The worked example of the assignment reports' tests: a class of five learners answers an
assignment of six questions (the same for everyone) with a known pattern of right and wrong
answers; one learner takes a second attempt, one only starts, one never does.

A test module makes it its fixture with `build_example(app)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.extensions import db
from quizapp.models import Assignment, Bank, User
from quizapp.services import assignments, attempts, classes
from quizapp.services.assignments import AssignmentSettings
from tests.conftest import make_user

LEARNERS = ["ana", "bea", "cai", "dan", "eva"]
# Right (1) or wrong (0) per learner and column; `build_example` maps columns to positions so
# that the only column with three wrong answers lands on a typed question.
MATRIX = [
    [1, 1, 1, 1, 1, 1],  # ana 6
    [1, 1, 1, 1, 0, 0],  # bea 4
    [1, 1, 0, 1, 0, 1],  # cai 4
    [1, 0, 1, 0, 0, 1],  # dan 3
    [0, 0, 0, 0, 1, 0],  # eva 1 (then a second attempt, all right)
]
TYPED_WRONG = "Lake Snagov"  # what the wrong learners type to the typed question


@dataclass
class Example:
    """Ids of the worked example, and the frozen questions by position."""

    ids: dict[str, int]
    assignment_id: int
    questions: dict[int, dict]
    typed_position: int
    marks: dict[str, dict[int, int]]  # learner -> position -> first attempt's mark
    first_attempts: dict[str, int]
    second_attempt: int


def user(name_or_id, ids=None) -> User:
    """A user by id, or by name in `ids` (inside an app context)."""
    user_id = ids[name_or_id] if ids else name_or_id
    return db.session.get(User, user_id)


def wrong_answer(question: dict) -> str:
    """The wrong answer the example gives: the first wrong option, or TYPED_WRONG."""
    if question["type"] in ("mcq", "tf"):
        return next(option for option in question["options"] if option != question["key"])
    return TYPED_WRONG


def take(app, user_id: int, assignment_id: int, right: dict[int, int]) -> int:
    """Start, answer (right or wrong by position) and finish an attempt; its id."""
    with app.app_context():
        learner = db.session.get(User, user_id)
        attempt = assignments.start_attempt(learner, assignment_id)
        db.session.commit()
        attempt_id = attempt.id
        for item in list(attempt.items):
            question = dict(item.question)
            given = question["key"] if right[item.position] else wrong_answer(question)
            attempts.record_answer(learner, attempt_id, item.position, given)
        attempts.finish_attempt(learner, attempt_id)
        db.session.commit()
        return attempt_id


def school(app) -> dict[str, int]:
    """A class of LEARNERS plus fay and gus, owned by profe with coprofe as co-teacher, and
    otra, a teacher outside it: ids by name, and the class's under "class"."""
    ids = {
        "profe": make_user(app, "profe", "teacher"),
        "co": make_user(app, "coprofe", "teacher"),
        "otra": make_user(app, "otra", "teacher"),
        "fay": make_user(app, "fay"),
        "gus": make_user(app, "gus"),
    }
    for name in LEARNERS:
        ids[name] = make_user(app, name)
    with app.app_context():
        teacher = db.session.get(User, ids["profe"])
        school_class = classes.create_class(teacher, "3º B")
        classes.add_teacher(teacher, school_class, "coprofe")
        for name in [*LEARNERS, "fay", "gus"]:
            classes.join_class(db.session.get(User, ids[name]), school_class.join_code)
        db.session.commit()
        ids["class"] = school_class.id
    return ids


def assign(app, ids, **settings) -> int:
    """An assignment of the founding bank to the class (6 mcq and short questions, 2 attempts
    allowed, the same for everyone, unless `settings` say otherwise); its id."""
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
        values = {
            "title": "Week 3",
            "bank_id": bank.id,
            "language": "en",
            "types": ["mcq", "short"],
            "count": 6,
            "attempts_allowed": 2,
        }
        values.update(settings)
        assignment = assignments.create_assignment(
            db.session.get(User, ids["profe"]),
            db.session.get(classes.SchoolClass, ids["class"]),
            AssignmentSettings(**values),
            seed=11,
        )
        db.session.commit()
        return assignment.id


def typed_position(questions: dict[int, dict]) -> int:
    """A typed question whose answers are read as text (not a number or a year)."""
    return next(
        position
        for position, question in sorted(questions.items())
        if question["type"] in ("short", "cloze") and question["kind"] not in ("year", "number")
    )


def build_example(app) -> Example:
    """The worked example (see the module), for a test module's `example` fixture."""
    ids = school(app)
    assignment_id = assign(app, ids)
    with app.app_context():
        frozen = db.session.get(Assignment, assignment_id).questions
    questions = {position: q for position, q in enumerate(frozen, start=1)}
    typed = typed_position(questions)
    columns = list(range(6))
    columns[4], columns[typed - 1] = columns[typed - 1], columns[4]
    marks = {
        name: {position: MATRIX[row][columns[position - 1]] for position in range(1, 7)}
        for row, name in enumerate(LEARNERS)
    }
    first = {name: take(app, ids[name], assignment_id, marks[name]) for name in LEARNERS}
    second = take(app, ids["eva"], assignment_id, dict.fromkeys(range(1, 7), 1))
    with app.app_context():  # gus starts and stops; fay never starts
        assignments.start_attempt(db.session.get(User, ids["gus"]), assignment_id)
        db.session.commit()
    return Example(ids, assignment_id, questions, typed, marks, first, second)

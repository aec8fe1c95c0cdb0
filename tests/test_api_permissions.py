"""Who may call what in the JSON API: every route × every role, as in the browser.

The table is built from the app's rules under /api/v1, so a new API route fails
`test_every_api_route_is_classified` until it is given its expected answers in TABLE. Roles:
no token; a student in no class; a learner of the class; a teacher of another class; an
admin (a teacher like any other for banks and classes); the class's co-teacher, who is also a
co-editor of the owner's bank; the owner of the class and of the bank.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from quizapp.extensions import db
from quizapp.models import Bank, SchoolClass, User
from quizapp.services import assignments, attempts, classes
from quizapp.services.assignments import AssignmentSettings
from tests.api_helpers import FACT, browser_bank, call, make_token
from tests.conftest import make_user

NAMES = {
    "student": ("ana", "student"),
    "learner": ("miembro", "student"),
    "outsider": ("ajena", "teacher"),
    "admin": ("jefa", "admin"),
    "coteacher": ("coprofe", "teacher"),
    "owner": ("duena", "teacher"),
}
ROLES = ["anonymous", *NAMES]
TEACHERS = ("outsider", "admin", "coteacher", "owner")
EDITORS = ("coteacher", "owner")
IN_CLASS = ("learner", "coteacher", "owner")


def ok(*roles: str, code: int = 200, others: int = 404, students: int | None = None) -> dict:
    """Expected statuses per role: `code` for `roles`, 403 for students when `students` is
    given, `others` for everyone else with a token, 401 without one."""
    expected = {"anonymous": 401}
    for role in NAMES:
        if role in roles:
            expected[role] = code
        elif students is not None and role in ("student", "learner"):
            expected[role] = students
        else:
            expected[role] = others
    return expected


EVERYONE = tuple(NAMES)
# endpoint -> (method, path, expected statuses, JSON body or None)
TABLE = {
    "api_me.me": ("GET", "/me", ok(*EVERYONE), None),
    "api_banks.list_banks": ("GET", "/banks", ok(*EVERYONE), None),
    "api_banks.read_bank": ("GET", "/banks/{lesson}", ok(*EDITORS), None),
    "api_banks.export_bank": ("GET", "/banks/{lesson}/export", ok(*EDITORS, students=403), None),
    "api_banks.read_source": ("GET", "/sources/{source}", ok(*EDITORS), None),
    "api_banks.draw_quiz": (
        "GET",
        "/banks/romania-ww2/quiz?language=en&count=5",
        ok(*EVERYONE),
        None,
    ),
    "api_facts.list_facts": ("GET", "/banks/{lesson}/facts", ok(*EDITORS, students=403), None),
    "api_facts.create_fact": (
        "POST",
        "/banks/{lesson}/facts",
        ok(*EDITORS, code=201, students=403),
        "fact",
    ),
    "api_facts.fact#GET": ("GET", "/facts/{fact}", ok(*EDITORS, students=403), None),
    "api_facts.fact#PUT": ("PUT", "/facts/{fact}", ok(*EDITORS, students=403), "fact"),
    "api_facts.retire_fact": ("POST", "/facts/{fact}/retire", ok(*EDITORS, students=403), None),
    "api_questions.list_questions": (
        "GET",
        "/banks/{lesson}/questions",
        ok(*EDITORS, students=403),
        None,
    ),
    "api_questions.create_question": (
        "POST",
        "/banks/{lesson}/questions",
        ok(*EDITORS, code=201, students=403),
        "question",
    ),
    "api_questions.question#GET": (
        "GET",
        "/questions/{question}",
        ok(*EDITORS, students=403),
        None,
    ),
    "api_questions.question#PUT": (
        "PUT",
        "/questions/{question}",
        ok(*EDITORS, students=403),
        "question",
    ),
    "api_questions.retire_question": (
        "POST",
        "/questions/{question}/retire",
        ok(*EDITORS, students=403),
        None,
    ),
    "api_attempts.start": (
        "POST",
        "/attempts",
        ok(*EVERYONE, code=201),
        {"bank": "romania-ww2", "language": "en", "count": 5, "types": ["mcq"]},
    ),
    "api_attempts.start_assignment": (
        "POST",
        "/assignments/{assignment}/attempts",
        ok("learner", code=201),
        None,
    ),
    "api_attempts.list_attempts": ("GET", "/attempts", ok(*EVERYONE), None),
    "api_attempts.read_attempt": ("GET", "/attempts/{attempt}", ok(*IN_CLASS), None),
    "api_attempts.read_question": ("GET", "/attempts/{attempt}/questions/1", ok(*IN_CLASS), None),
    "api_attempts.answer": (
        "POST",
        "/attempts/{attempt}/questions/1/answer",
        ok("learner"),
        "answer",
    ),
    "api_attempts.finish": ("POST", "/attempts/{attempt}/finish", ok("learner"), None),
    "api_attempts.my_history": ("GET", "/history", ok(*EVERYONE), None),
    "api_attempts.learner_history": ("GET", "/users/{learner}/history", ok(*IN_CLASS), None),
    "api_classes.list_classes": ("GET", "/classes", ok(*EVERYONE), None),
    "api_classes.read_class": (
        "GET",
        "/classes/{class}",
        ok(*EDITORS, students=None) | {"learner": 403},
        None,
    ),
    "api_classes.class_learners": (
        "GET",
        "/classes/{class}/learners",
        ok(*EDITORS) | {"learner": 403},
        None,
    ),
    "api_classes.class_assignments": (
        "GET",
        "/classes/{class}/assignments",
        ok(*EDITORS) | {"learner": 403},
        None,
    ),
    "api_classes.read_assignment": ("GET", "/assignments/{assignment}", ok(*IN_CLASS), None),
    "api_classes.report": (
        "GET",
        "/assignments/{assignment}/report",
        ok(*EDITORS) | {"learner": 403},
        None,
    ),
    "api_reports.misses": (
        "GET",
        "/assignments/{assignment}/misses?attempts=all",
        ok(*EDITORS) | {"learner": 403},
        None,
    ),
    "api_reports.item_analysis": (
        "GET",
        "/assignments/{assignment}/item-analysis",
        ok(*EDITORS) | {"learner": 403},
        None,
    ),
    "api_reports.class_gradebook": (
        "GET",
        "/classes/{class}/gradebook",
        ok(*EDITORS) | {"learner": 403},
        None,
    ),
}


@dataclass
class World:
    """One bank, class, assignment and learner's attempt for one request."""

    values: dict
    answer: object


@pytest.fixture
def people(app):
    ids = {who: make_user(app, name, role) for who, (name, role) in NAMES.items()}
    with app.app_context():
        classes.create_class(db.session.get(User, ids["outsider"]), "Their own class")
        db.session.commit()
    tokens = {who: make_token(app, name) for who, (name, _role) in NAMES.items()}
    return ids, tokens


def make_world(app, ids, number: int) -> World:
    lesson = browser_bank(app, "duena", editor="coprofe", slug=f"lesson-{number}")
    with app.test_request_context():
        owner = db.session.get(User, ids["owner"])
        learner = db.session.get(User, ids["learner"])
        school_class = classes.create_class(owner, f"Class {number}")
        classes.add_teacher(owner, school_class, "coprofe")
        classes.join_class(learner, school_class.join_code)
        site = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
        assignment = assignments.create_assignment(
            owner, school_class, AssignmentSettings("Week", site.id, "en", ["mcq"], 5), seed=1
        )
        attempt = attempts.start_attempt(learner, site, "en", 5, ["mcq"], seed=number)
        db.session.commit()
        first = attempt.items[0].question
        from quizapp.core.authored import AuthoredQuestion as Authored
        from quizapp.core.authored import Choice
        from quizapp.services import authoring

        written = authoring.save_question(
            owner,
            db.session.scalar(db.select(Bank).where(Bank.slug == lesson["slug"])),
            Authored(
                "mcq",
                "Who led the coup?",
                choices=[Choice("Michael", True), Choice("Carol", False)],
            ),
            None,
        )
        db.session.commit()
        values = {
            "lesson": lesson["slug"],
            "source": lesson["source"],
            "fact": lesson["fact"],
            "class": school_class.id,
            "assignment": assignment.id,
            "attempt": attempt.id,
            "learner": ids["learner"],
            "passage": lesson["passage"],
            "question": written.id,
        }
        return World(values, first["key"])


def _rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api_") and rule.endpoint != "api_reference.reference"
    ]


def _body(kind, world: World):
    if kind == "fact":
        return dict(FACT, passage_id=world.values["passage"], topic="another")
    if kind == "question":
        number = world.values.setdefault("count", [0])
        number[0] += 1
        return {
            "type": "mcq",
            "stem": f"Which city was the capital? ({number[0]})",
            "choices": [{"text": "Bucharest", "correct": True}, {"text": "Iași"}],
        }
    if kind == "answer":
        return {"answer": world.answer}
    return kind


# Writers last, so that what one role changes (a fact retired, an attempt answered and
# finished) is what the next ones would see in the browser too: none of it changes an answer
# of the table.
ORDER = ["anonymous", "student", "outsider", "admin", "learner", "coteacher", "owner"]


def test_every_api_route_by_role(app, people):
    """Each route for each role on one world (one app: the suite stays fast); every refusal
    is a problem document; the refused writes changed nothing."""
    from quizapp.models import Fact

    routes = {
        (rule.endpoint, method)
        for rule in _rules(app)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    classified = {(key.split("#")[0], method) for key, (method, *_rest) in TABLE.items()}
    assert routes == classified, "classify the new route"
    assert sorted(ORDER) == sorted(ROLES)
    ids, tokens = people
    world = make_world(app, ids, 1)
    failures = []
    client = app.test_client()
    for who in ORDER:
        for endpoint, (method, path, expected, body) in TABLE.items():
            url = path.format(**world.values)
            response = call(client, method, url, tokens.get(who), json=_body(body, world))
            if response.status_code != expected[who]:
                failures.append(
                    (who, endpoint, expected[who], response.status_code, response.text[:160])
                )
            elif response.status_code >= 400:
                assert response.headers["Content-Type"] == "application/problem+json"
        if who == "admin":  # every refused role so far: the fact is as it was
            with app.app_context():
                assert db.session.get(Fact, world.values["fact"]).retired is False
                assert db.session.get(SchoolClass, world.values["class"]) is not None
    assert not failures, failures

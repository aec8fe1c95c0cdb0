"""Who may do what with classes: every route of the `classes`, `assignments`,
`assignment_reports`, `gradebook` and `class_memory` blueprints × every role.

The table is built from the blueprint's rules, so a new route fails
`test_every_classes_route_is_classified` until it is given its right in NEEDS (as the teachers'
area's table in test_permissions.py). The services' own refusals are in test_classes.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import url_for

from quizapp.extensions import db
from quizapp.models import Bank, User
from quizapp.services import assignments, classes
from quizapp.services.assignments import AssignmentSettings
from tests.conftest import log_in, make_user

# The right each route needs: "user" (anyone logged in), "teacher" (a teacher account),
# "member" (anyone in the class: learner, co-teacher, owner), "teach" (owner or co-teacher),
# "owner", "learner" (only the class's learners: starting an attempt at an assignment). Leaving
# is "member": the owner's request is answered with a message (it cannot leave).
NEEDS = {
    "classes.index": "user",
    "classes.old_list": "user",
    "classes.join": "user",
    "classes.join_link": "user",
    "classes.create": "teacher",
    "classes.show": "member",
    "classes.leave": "member",
    "classes.rename": "teach",
    "classes.rotate": "teach",
    "classes.remove_learner": "teach",
    "classes.add_teacher": "owner",
    "classes.remove_teacher": "owner",
    "classes.archive": "owner",
    "classes.restore": "owner",
    "assignments.new": "teach",
    "assignments.show": "member",
    "assignments.start": "learner",
    "assignments.set_override": "teach",
    "assignments.remove_override": "teach",
    "assignment_reports.report": "teach",
    "assignment_reports.misses": "teach",
    "assignment_reports.items": "teach",
    "assignment_reports.accept": "teach",
    "gradebook.show": "teach",
    "gradebook.download": "teach",
    "gradebook.answers": "teach",
    "class_memory.show": "teach",
}
# anonymous; a student in no class; a learner of the class; a teacher of another class; an
# admin (a teacher like any other here); the class's co-teacher; its owner.
NAMES = {
    "student": ("ana", "student"),
    "learner": ("miembro", "student"),
    "outsider": ("ajena", "teacher"),
    "admin": ("jefa", "admin"),
    "coteacher": ("coprofe", "teacher"),
    "owner": ("duena", "teacher"),
}
ROLES = ["anonymous", *NAMES]


@dataclass
class World:
    """One class for one request, and what its routes can name."""

    class_id: int
    code: str
    learner_id: int
    coteacher_id: int
    assignment_id: int


@pytest.fixture
def people(app):
    """Ids of everyone in the table; the outsider owns a class of their own."""
    ids = {who: make_user(app, name, role) for who, (name, role) in NAMES.items()}
    with app.app_context():
        classes.create_class(db.session.get(User, ids["outsider"]), "Their own class")
        db.session.commit()
    return ids


def make_world(app, people, number: int) -> World:
    """A fresh class owned by the owner, with the co-teacher and the learner in it."""
    with app.app_context():
        owner = db.session.get(User, people["owner"])
        school_class = classes.create_class(owner, f"Class {number}")
        classes.add_teacher(owner, school_class, NAMES["coteacher"][0])
        classes.join_class(db.session.get(User, people["learner"]), school_class.join_code)
        bank = db.session.scalar(db.select(Bank))
        assignment = assignments.create_assignment(
            owner,
            school_class,
            AssignmentSettings("Week 1", bank.id, "en", ["mcq", "tf"], 6),
            seed=number,
        )
        db.session.commit()
        return World(
            school_class.id,
            school_class.join_code,
            people["learner"],
            people["coteacher"],
            assignment.id,
        )


def _url(app, rule, world: World) -> str:
    values = {}
    for name in rule.arguments:
        if name == "class_id":
            values[name] = world.class_id
        elif name == "assignment_id":
            values[name] = world.assignment_id
        elif name == "code":
            values[name] = world.code
        elif name == "user_id":
            is_teacher = rule.endpoint == "classes.remove_teacher"
            values[name] = world.coteacher_id if is_teacher else world.learner_id
        else:
            raise AssertionError(f"no fixture for <{name}> in {rule.rule}")
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def expected(need: str, who: str) -> str | int:
    """What a request should get: "login", 403, 404 or "ok"."""
    if who == "anonymous":
        return "login"
    if need == "user":
        return "ok"
    if need == "teacher":
        return 403 if who in ("student", "learner") else "ok"
    if who in ("student", "outsider", "admin"):
        return 404  # not in the class: it does not exist for them
    if need == "learner":
        return "ok" if who == "learner" else 404  # teachers take no attempts at it
    if need == "member" or who == "owner":
        return "ok"
    if who == "learner":
        return 403
    return "ok" if need == "teach" else 403  # the co-teacher


def _rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(
            ("classes.", "assignments.", "assignment_reports.", "gradebook.", "class_memory.")
        )
    ]


def test_every_classes_route_is_classified(app):
    assert {rule.endpoint for rule in _rules(app)} == set(NEEDS), (
        "give each new classes route its right in NEEDS"
    )


def _client(app, who: str):
    client = app.test_client()
    return client if who == "anonymous" else log_in(client, NAMES[who][0])


@pytest.mark.parametrize("who", ROLES)
def test_every_classes_route_by_role(app, people, who):
    """Each route × GET/POST on a fresh class: anonymous to login; anyone outside the class
    404; a learner 403 on teachers' actions; a co-teacher 403 on the owner's; the owner all."""
    client = _client(app, who)
    failures = []
    number = 0
    for rule in sorted(_rules(app), key=lambda r: r.endpoint):
        need = NEEDS[rule.endpoint]
        for method in sorted({"GET", "POST"} & rule.methods):
            number += 1
            world = make_world(app, people, number)
            url = _url(app, rule, world)
            response = client.open(url, method=method, data={})
            # A server closes every response, which ends a streamed download's request
            # context (and its database session); the test client leaves that to us.
            response.close()
            want = expected(need, who)
            location = response.headers.get("Location", "")
            if want == "login":
                ok = response.status_code == 302 and "/login" in location
            elif want == "ok":
                ok = response.status_code in (200, 301, 302, 400) and "/login" not in location
            else:
                ok = response.status_code == want
            if not ok:
                failures.append((method, url, want, response.status_code))
    assert number >= len(NEEDS)
    assert not failures, failures


def test_a_refused_action_changes_nothing(app, people):
    """The table's refused POSTs, checked in the database: nothing was renamed, archived,
    rotated or removed by anyone without the right."""
    world = make_world(app, people, 1)
    base = f"/classes/{world.class_id}"
    actions = [
        (f"{base}/rename", {"class-name": "Taken over"}),
        (f"{base}/code", {}),
        (f"{base}/archive", {}),
        (f"{base}/learners/{world.learner_id}/remove", {}),
        (f"{base}/teachers/{world.coteacher_id}/remove", {}),
        (f"{base}/teachers", {"teacher-name": NAMES["outsider"][0]}),
    ]
    for who in ("student", "learner", "outsider", "admin"):
        client = _client(app, who)
        for url, data in actions:
            assert client.post(url, data=data).status_code in (403, 404), (who, url)
    coteacher = _client(app, "coteacher")
    for url, data in actions[2:3] + actions[4:]:
        assert coteacher.post(url, data=data).status_code == 403, url
    with app.app_context():
        school_class = db.session.get(classes.SchoolClass, world.class_id)
        assert (school_class.name, school_class.join_code, school_class.archived) == (
            "Class 1",
            world.code,
            False,
        )
        members = {
            m.user_id: m.role
            for m in db.session.scalars(
                db.select(classes.ClassMembership).where(
                    classes.ClassMembership.class_id == world.class_id
                )
            )
        }
        assert members == {
            people["owner"]: "owner",
            people["coteacher"]: "teacher",
            people["learner"]: "learner",
        }

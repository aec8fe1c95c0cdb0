"""Schemathesis against the OpenAPI document, on the WSGI app (no server): for every
operation, generated requests get no server error, and every response's status, content type,
headers and body conform to the document.

Each operation runs on a fresh app and database (the `app` fixture) holding the founding bank,
a teacher's class with a learner, an assignment, a learner's attempt and a browser-made bank,
so that ids 1 and 2 name real things and the success paths are exercised too, not only 404s.
Examples are few and derandomized (the same requests on every run): the suite must stay fast.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.api_helpers import browser_bank, make_token
from tests.conftest import make_class, make_user

MAX_EXAMPLES = 12


@pytest.fixture
def api_schema(app):
    from quizapp.extensions import db
    from quizapp.models import Bank, SchoolClass, User
    from quizapp.services import assignments, attempts
    from quizapp.services.assignments import AssignmentSettings

    make_user(app, "profesora", "teacher")
    make_user(app, "ana")
    class_id = make_class(app, "profesora", "ana")
    browser_bank(app, "profesora")
    with app.test_request_context():
        teacher = db.session.scalar(db.select(User).where(User.name == "profesora"))
        learner = db.session.scalar(db.select(User).where(User.name == "ana"))
        site = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
        assignments.create_assignment(
            teacher,
            db.session.get(SchoolClass, class_id),
            AssignmentSettings("Week", site.id, "en", ["mcq", "tf"], 5),
            seed=1,
        )
        attempts.start_attempt(learner, site, "en", 5, ["mcq", "tf", "short"], seed=1)
        attempts.start_attempt(teacher, site, "en", 5, ["mcq"], seed=2)
        db.session.commit()
    app.config["API_TEST_TOKEN"] = make_token(app, "profesora")
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_document(case, app):
    token = app.config["API_TEST_TOKEN"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

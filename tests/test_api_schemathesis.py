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
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from tests.api_helpers import browser_bank, make_token
from tests.conftest import make_class, make_user
from tests.report_example import take

MAX_EXAMPLES = 12
# Every check but one: a request valid by the document may still be refused by the rules the
# document cannot state (a NUL character in a text, an answer that is none of the options, a
# language the bank has no questions in): a 4xx problem document is the right answer there.


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
        learner_id = learner.id
    # A finished attempt at the assignment: its reports (misses, item analysis, gradebook)
    # then send figures, not only empty lists and nulls.
    take(app, learner_id, 1, {1: 1, 2: 0, 3: 1, 4: 0, 5: 1})
    app.config["API_TEST_TOKEN"] = make_token(app, "profesora")
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


# Schemathesis sends many wrong tokens (its check that authentication is not ignored) and many
# starts: the limits are for people, and their 429s are tested in test_api_tokens.py.
@pytest.mark.settings(RATELIMIT_LOGIN="100000 per minute", RATELIMIT_START="100000 per minute")
def test_every_operation_conforms_to_the_document(app, api_schema):
    token = app.config["API_TEST_TOKEN"]
    headers = {"Authorization": f"Bearer {token}"}
    operations = _operations(api_schema)
    assert len(operations) >= 20
    failures = []
    statuses: dict[str, set[int]] = {}
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def conforms(case):
            response = case.call(headers=headers)
            statuses.setdefault(case.operation.label, set()).add(response.status_code)
            case.validate_response(
                response, headers=headers, excluded_checks=[positive_data_acceptance]
            )

        # The document's own examples first (id 1 names a real attempt, class, assignment),
        # then the generated requests.
        examples = [
            settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True)(
                given(case=strategy)(conforms.hypothesis.inner_test)
            )
            for strategy in operation.get_strategies_from_examples()
        ]
        try:
            for run in (*examples, conforms):
                run()
        except (Exception, BaseExceptionGroup) as error:  # every operation's, not the first
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
    # Not only refusals: with the document's examples (id 1, the founding bank) 18 of the 31
    # operations also succeed (writes on the founding bank are refused: it is a site bank).
    succeeded = {label for label, seen in statuses.items() if any(s < 300 for s in seen)}
    assert len(succeeded) >= 18, sorted(statuses.items())

"""Refused LTI launches, each with a page a teacher understands (status 4xx, the reason, a
code for the admin), and the single-use launch values behind state and nonce."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.services.lti import launch_values
from tests import lti_platform
from tests.lti_helpers import TEACHER_SUB, deep_link, registered_platform
from tests.lti_helpers import refused as _refused
from tests.lti_platform import INSTRUCTOR


@pytest.fixture
def platform(app, client):
    """The simulated LMS, registered in quizapp."""
    return registered_platform(app, client)


def test_a_launch_with_a_bad_signature_is_refused(app, client, platform):
    auth = platform.login(client)
    other_private, _public = lti_platform.key_pair("intruder")
    token = platform.id_token(platform.claims(auth["nonce"]), private_pem=other_private)
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    _refused(response, 403, "signature could not be verified", "signature")


def test_a_launch_for_another_audience_is_refused(app, client, platform):
    auth = platform.login(client)
    token = platform.id_token(platform.claims(auth["nonce"], aud="another-tool"))
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    _refused(response, 403, "meant for another tool", "audience")
    # Several audiences: the authorised party must be quizapp's client id.
    auth = platform.login(client)
    claims = platform.claims(auth["nonce"], aud=[platform.client_id, "x"], azp="x")
    response = client.post(
        "/lti/launch", data={"id_token": platform.id_token(claims), "state": auth["state"]}
    )
    _refused(response, 403, "meant for another tool", "audience")


def test_an_expired_launch_is_refused(app, client, platform):
    auth = platform.login(client)
    past = int(time.time()) - 3600
    token = platform.id_token(platform.claims(auth["nonce"], iat=past - 300, exp=past))
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    _refused(response, 403, "has expired", "expired")


def test_a_replayed_launch_is_refused(app, client, platform):
    assignment_id = deep_link(app, app.test_client(), platform)
    custom = {"quizapp_assignment": str(assignment_id)}
    response, form = platform.launch(client, subject="lms-ana", custom=custom)
    assert response.status_code == 303
    # The same form again: its state was used.
    _refused(client.post("/lti/launch", data=form), 400, "already used", "state")
    # The same id token (same nonce) with a fresh state: the nonce does not match.
    auth = platform.login(client)
    again = client.post("/lti/launch", data={"id_token": form["id_token"], "state": auth["state"]})
    _refused(again, 400, "one-time code", "nonce")


def test_a_launch_from_an_unknown_deployment_or_platform_is_refused(app, client, platform):
    auth = platform.login(client)
    claims = platform.claims(auth["nonce"])
    claims[lti_platform.LTI + "deployment_id"] = "deployment-unknown"
    response = client.post(
        "/lti/launch", data={"id_token": platform.id_token(claims), "state": auth["state"]}
    )
    _refused(response, 403, "deployment", "deployment")
    unknown = client.post("/lti/login", data={"iss": "https://other.test", "login_hint": "x"})
    _refused(unknown, 403, "not registered", "no_platform")
    incomplete = client.post("/lti/login", data={"iss": platform.issuer})
    _refused(incomplete, 400, "incomplete", "bad_login")
    no_token = client.post("/lti/launch", data={})
    _refused(no_token, 400, "incomplete", "bad_request")


def test_a_learner_before_any_teacher_and_a_link_without_a_quiz_are_refused(app, client, platform):
    response, _form = platform.launch(client, subject="lms-ana")
    _refused(response, 409, "has not set up", "not_set_up")
    teacher = app.test_client()
    response, _form = platform.launch(teacher, subject=TEACHER_SUB, roles=(INSTRUCTOR,))
    _refused(response, 409, "opens no quiz", "not_linked")
    # A learner may not choose content.
    response, _form = platform.launch(
        app.test_client(), subject="lms-ana", message_type="LtiDeepLinkingRequest"
    )
    _refused(response, 403, "Only a teacher", "teachers_only")


def test_refusals_are_in_spanish_too(app, client, platform):
    client.post("/language", data={"language": "es"})
    response = client.post("/lti/login", data={"iss": "https://other.test", "login_hint": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "no está registrado" in page


def test_the_key_set_is_made_once_and_published(app, client, platform):
    first = client.get("/lti/jwks").get_json()
    assert first == platform.tool_jwks
    (key,) = first["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert "d" not in key  # never the private half
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM lti_tool_keys")) == 1


def test_launch_values_are_taken_once(app):
    with app.app_context():
        launch_values.put("state:x", {"nonce": "n"}, 60)
        assert launch_values.get("state:x") == {"nonce": "n"}
        assert launch_values.take("state:x") == {"nonce": "n"}
        assert launch_values.take("state:x") is None
        launch_values.put("state:old", {"nonce": "n"}, -1)
        assert launch_values.take("state:old") is None


@pytest.mark.settings(REDIS_URL="redis://127.0.0.1:6379/0")
def test_launch_values_in_redis_are_taken_once(app):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on this machine")
    with app.app_context():
        key = f"test:{time.time_ns()}"
        launch_values.put(key, {"nonce": "n"}, 60)
        assert launch_values.take(key) == {"nonce": "n"}
        assert launch_values.take(key) is None
        assert db.session.scalar(sa.text("SELECT count(*) FROM lti_launch_values")) == 0


def test_a_state_serves_only_the_platform_whose_login_issued_it(app, client, platform):
    from quizapp.services.lti.platforms import PlatformSettings, create_platform
    from quizapp.services.permissions import OPERATOR
    from tests.lti_platform import Platform

    other = Platform(issuer="https://other-lms.test", client_id="other-client")
    with app.app_context():
        create_platform(
            OPERATOR,
            PlatformSettings(
                name="Other",
                issuer=other.issuer,
                client_id=other.client_id,
                deployment_ids=(other.deployment_id,),
                auth_login_url=other.auth_login_url,
                auth_token_url=other.auth_token_url,
                key_set_url=other.key_set_url,
            ),
        )
        db.session.commit()
    auth = other.login(client)
    token = platform.id_token(platform.claims(auth["nonce"]))
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    _refused(response, 400, "expired or was already used", "state")

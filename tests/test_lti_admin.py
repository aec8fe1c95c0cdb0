"""The admin's LMS platforms pages: who may open them (a table of routes × roles, built from
the blueprint's rules), and what a registration refuses."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import url_for

from quizapp.extensions import db
from quizapp.models import LtiDeployment, LtiPlatform
from quizapp.services.lti.platforms import PlatformError, PlatformSettings, clean
from tests.conftest import log_in, make_user
from tests.lti_platform import Platform, key_pair

ROLES = {"student": "student", "teacher": "teacher", "admin": "admin"}


def form_data(lms: Platform, **changes: str) -> dict[str, str]:
    data = {
        "name": "Moodle del instituto",
        "issuer": lms.issuer,
        "client_id": lms.client_id,
        "deployment_ids": "deployment-1\ndeployment-2\n",
        "auth_login_url": lms.auth_login_url,
        "auth_token_url": lms.auth_token_url,
        "key_set_url": lms.key_set_url,
        "public_key": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def platform_id(app):
    with app.app_context():
        platform = LtiPlatform(
            name="LMS",
            issuer="https://lms.test",
            client_id="c",
            auth_login_url="https://lms.test/auth",
            auth_token_url="https://lms.test/token",
            key_set_url="https://lms.test/jwks",
            deployments=[LtiDeployment(deployment_id="d")],
        )
        db.session.add(platform)
        db.session.commit()
        return platform.id


def test_every_lti_admin_route_is_for_admins_only(app, platform_id):
    """Anonymous: the login page; students and teachers: 403; admins: the page (or its
    redirect after a POST)."""
    for name, role in ROLES.items():
        make_user(app, name, role)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("lti_admin.")]
    assert {r.endpoint for r in rules} == {
        "lti_admin.platform_list",
        "lti_admin.new_platform",
        "lti_admin.edit_platform",
        "lti_admin.delete_platform",
    }
    with app.test_request_context():
        urls = [
            (
                rule,
                url_for(rule.endpoint, **({"platform_id": platform_id} if rule.arguments else {})),
            )
            for rule in rules
        ]
    for who in ["anonymous", *ROLES]:
        client = app.test_client()
        if who != "anonymous":
            log_in(client, who)
        for rule, url in urls:
            method = "GET" if "GET" in rule.methods else "POST"
            if rule.endpoint == "lti_admin.delete_platform":
                continue  # run last, below: it removes the platform
            response = client.open(url, method=method)
            if who == "anonymous":
                assert response.status_code == 302 and "/login" in response.headers["Location"]
            elif who in ("student", "teacher"):
                assert response.status_code == 403, (who, url)
            else:
                assert response.status_code == 200, (who, url)
    with app.test_request_context():
        delete = url_for("lti_admin.delete_platform", platform_id=platform_id)
    for who, status in (("student", 403), ("teacher", 403), ("admin", 302)):
        assert log_in(app.test_client(), who).post(delete).status_code == status
    with app.app_context():
        assert db.session.get(LtiPlatform, platform_id) is None


def test_an_admin_registers_edits_and_removes_a_platform(app):
    make_user(app, "jefa", "admin")
    client = log_in(app.test_client(), "jefa")
    lms = Platform()
    page = client.get("/admin/lti/platforms").get_data(as_text=True)
    assert "/lti/login" in page and "/lti/jwks" in page and "/lti/launch" in page
    response = client.post("/admin/lti/platforms/new", data=form_data(lms))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Moodle del instituto is registered" in page
    with app.app_context():
        platform = db.session.scalars(sa.select(LtiPlatform)).one()
        assert [d.deployment_id for d in platform.deployments] == ["deployment-1", "deployment-2"]
        platform_id = platform.id
    # The same issuer and client id twice: refused, nothing lost.
    twice = client.post("/admin/lti/platforms/new", data=form_data(lms, name="Otra"))
    assert twice.status_code == 400
    assert "already registered" in twice.get_data(as_text=True)
    edit = client.get(f"/admin/lti/platforms/{platform_id}").get_data(as_text=True)
    assert "deployment-1\ndeployment-2" in edit
    _private, public = key_pair("platform")
    changed = client.post(
        f"/admin/lti/platforms/{platform_id}",
        data=form_data(lms, deployment_ids="deployment-2", key_set_url="", public_key=public),
    )
    assert changed.status_code == 302
    with app.app_context():
        platform = db.session.get(LtiPlatform, platform_id)
        assert [d.deployment_id for d in platform.deployments] == ["deployment-2"]
        assert platform.key_set_url is None and "BEGIN PUBLIC KEY" in platform.public_key
    assert client.post(f"/admin/lti/platforms/{platform_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LtiDeployment.id))) == 0


def test_the_form_says_what_is_wrong(app):
    make_user(app, "jefa", "admin")
    client = log_in(app.test_client(), "jefa")
    lms = Platform()
    bad = client.post(
        "/admin/lti/platforms/new", data=form_data(lms, auth_login_url="http://lms.test/auth")
    )
    assert bad.status_code == 400
    assert "https://" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LtiPlatform.id))) == 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"deployment_ids": ("  ",)}, "deployment id"),
        ({"key_set_url": "", "public_key": ""}, "key set URL, or its public key"),
        ({"key_set_url": "", "public_key": "not a key"}, "PEM"),
        ({"auth_token_url": "ftp://lms.test/token"}, "https://"),
        ({"issuer": "   "}, "required"),
    ],
)
def test_clean_refuses_with_a_reason(app, change, words):
    settings = dict(
        name="LMS",
        issuer="https://lms.test",
        client_id="c",
        deployment_ids=("d",),
        auth_login_url="https://lms.test/auth",
        auth_token_url="https://lms.test/token",
        key_set_url="https://lms.test/jwks",
    )
    settings.update(change)
    with app.test_request_context(), pytest.raises(PlatformError, match=words):
        clean(PlatformSettings(**settings))


def test_a_local_platform_may_use_plain_http(app):
    with app.test_request_context():
        cleaned = clean(
            PlatformSettings(
                name="Moodle local",
                issuer="http://localhost:8080",
                client_id="c",
                deployment_ids=("1", "1", " 2 "),
                auth_login_url="http://localhost:8080/mod/lti/auth.php",
                auth_token_url="http://127.0.0.1:8080/mod/lti/token.php",
                key_set_url="http://localhost:8080/mod/lti/certs.php",
            )
        )
    assert cleaned.deployment_ids == ("1", "2")

"""Personal access tokens: made on the account page (shown once), stored as SHA-256 hashes,
revoked, expired, read or read-write; `Authorization: Bearer` only, never the session."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from quizapp.extensions import db
from quizapp.models import ApiToken, utcnow
from quizapp.services import tokens
from quizapp.services.users import find_user
from tests.api_helpers import call, make_token
from tests.conftest import csrf_token, log_in, make_user


def test_a_token_is_stored_only_as_its_sha256(app, student):
    with app.app_context():
        made = tokens.create_token(find_user("ana"), "script", "read")
        db.session.commit()
        row = db.session.get(ApiToken, made.token.id)
        assert made.secret.startswith("qz_") and len(made.secret) >= 40
        assert row.token_hash == hashlib.sha256(made.secret.encode()).hexdigest()
        stored = [str(value) for value in row.__dict__.values()]
        assert made.secret not in stored
        assert row.prefix == made.secret[:10]
        assert tokens.authenticate(made.secret).id == row.id
        assert tokens.authenticate(made.secret[:-1] + "x") is None
        assert tokens.authenticate("not a token") is None


def test_two_tokens_are_never_the_same(app, student):
    with app.app_context():
        user = find_user("ana")
        secrets = {tokens.create_token(user, f"t{n}", "read").secret for n in range(5)}
        assert len(secrets) == 5


@pytest.mark.parametrize(
    ("name", "scope", "days", "message"),
    [
        ("", "read", None, "Give the token a name"),
        ("x" * 65, "read", None, "at most 64 characters"),
        ("ok", "admin", None, "only read or also change"),
        ("ok", "read", 0, "1 to 366 days"),
        ("ok", "read", 400, "1 to 366 days"),
    ],
)
def test_a_bad_token_request_is_refused_with_its_reason(app, student, name, scope, days, message):
    with app.test_request_context(), pytest.raises(tokens.TokenError, match=message):
        tokens.create_token(find_user("ana"), name, scope, days)


def test_expiry_and_revocation_stop_a_token(app, student, client):
    with app.app_context():
        user = find_user("ana")
        now = utcnow()
        made = tokens.create_token(user, "week", "read", 7, now=now)
        db.session.commit()
        assert made.token.expires_at == now + dt.timedelta(days=7)
        assert tokens.authenticate(made.secret, now + dt.timedelta(days=6, hours=23))
        assert tokens.authenticate(made.secret, now + dt.timedelta(days=7)) is None
        assert [t.id for t in tokens.list_tokens(user, now + dt.timedelta(days=8))] == []
    secret = make_token(app, "ana", "read")
    assert call(client, "GET", "/me", secret).status_code == 200
    with app.app_context():
        token = tokens.authenticate(secret)
        tokens.revoke_token(find_user("ana"), token.id)
        tokens.revoke_token(find_user("ana"), token.id)  # twice is no error
        db.session.commit()
    response = call(client, "GET", "/me", secret)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "revoked or expired" in response.get_json()["detail"]


def test_someone_elses_token_cannot_be_revoked(app, student, teacher):
    secret = make_token(app, "ana")
    with app.app_context():
        token = tokens.authenticate(secret)
        with pytest.raises(tokens.NotFound):
            tokens.revoke_token(find_user("profesora"), token.id)


def test_a_read_token_only_reads(app, student, client):
    read = make_token(app, "ana", "read")
    write = make_token(app, "ana", "write")
    body = {"bank": "romania-ww2", "language": "en", "count": 5, "types": ["mcq"]}
    response = call(client, "POST", "/attempts", read, json=body)
    assert response.status_code == 403
    assert response.get_json()["detail"].startswith("This token may only read.")
    assert "insufficient_scope" in response.headers["WWW-Authenticate"]
    assert call(client, "GET", "/attempts", read).status_code == 200
    assert call(client, "POST", "/attempts", write, json=body).status_code == 201


def test_the_session_cookie_is_no_credential_for_the_api(app, student_client):
    response = student_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.get_json()["detail"]
    for header in ("Basic YW5hOng=", "Bearer", "Bearer  ", "Token abc"):
        response = student_client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_a_token_of_a_user_with_a_one_time_password_is_refused(app, student, client):
    secret = make_token(app, "ana")
    with app.app_context():
        find_user("ana").must_change_password = True
        db.session.commit()
    response = call(client, "GET", "/me", secret)
    assert response.status_code == 403
    assert "one-time password" in response.get_json()["detail"]


@pytest.mark.settings(RATELIMIT_LOGIN="3 per minute")
def test_wrong_tokens_are_rate_limited_by_address(app, client):
    statuses = [call(client, "GET", "/me", "qz_wrong").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    response = call(client, "GET", "/me", "qz_wrong")
    assert response.get_json()["status"] == 429 and response.headers["Retry-After"]


def _new_token(client, page_html: str, **fields) -> tuple[int, str]:
    data = {"name": "my script", "scope": "read", "expires": "30", **fields}
    data["csrf_token"] = csrf_token(page_html.split('action="/account/tokens"', 1)[1])
    response = client.post("/account/tokens", data=data)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_the_account_page_makes_a_token_shows_it_once_and_revokes_it(app):
    from tests.test_fuzz_forms import log_in_with_token

    make_user(app, "ana")
    client = log_in_with_token(app, "ana")
    page = client.get("/account").get_data(as_text=True)
    assert "You have no API token." in page
    status, shown = _new_token(client, page, name="grading script", scope="write")
    assert status == 200
    secret = re.search(r'<code class="token-secret">(qz_[^<]+)</code>', shown).group(1)
    assert "it is shown only this once" in shown
    assert call(client, "GET", "/me", secret).get_json()["token"]["scope"] == "write"
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again and "grading script" in again and secret[:10] in again
    with app.app_context():
        token_id = tokens.authenticate(secret).id
    form = again.split(f'action="/account/tokens/{token_id}/revoke"', 1)[1]
    response = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(form)}
    )
    assert response.status_code == 302
    assert call(client, "GET", "/me", secret).status_code == 401
    after = client.get("/account").get_data(as_text=True)
    assert "“grading script” is revoked" in after and secret[:10] not in after
    # Without the CSRF token nothing is made.
    assert client.post("/account/tokens", data={"name": "x", "scope": "read"}).status_code == 400


def test_a_refused_token_form_says_why_in_english_and_spanish(app, student_client):
    response = student_client.post("/account/tokens", data={"name": "", "scope": "read"})
    assert response.status_code == 400
    assert "Give the token a name" in response.get_data(as_text=True)
    student_client.post("/language", data={"language": "es", "next": "/account"})
    response = student_client.post("/account/tokens", data={"name": "", "scope": "read"})
    text = response.get_data(as_text=True)
    assert "Ponle un nombre al token" in text and "Tokens de la API" in text


def test_another_users_token_cannot_be_revoked_on_the_account_page(app, student, teacher):
    secret = make_token(app, "profesora")
    client = log_in(app.test_client(), "ana")
    with app.app_context():
        token_id = tokens.authenticate(secret).id
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    with app.app_context():
        assert tokens.authenticate(secret) is not None

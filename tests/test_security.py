"""Security: headers, cookies, size limit, rate limits (memory, Redis), escaping, sessions."""

from __future__ import annotations

import uuid

import pytest

from quizapp import create_app
from tests.conftest import PASSWORD, csrf_token, make_user
from tests.quiz_helpers import frozen, right_answer_form, start, wrong_answer_form


def test_every_response_carries_the_security_headers(client):
    for url in ("/", "/sources", "/login", "/healthz", "/no-such-page"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, student):
    cookie = _session_cookie(client.post("/login", data={"name": "ana", "password": PASSWORD}))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


@pytest.mark.settings(HTTPS=True)
def test_session_cookie_is_secure_over_https(client, student):
    cookie = _session_cookie(client.post("/login", data={"name": "ana", "password": PASSWORD}))
    assert "Secure" in cookie


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_the_session_is_renewed_at_login(app, client, student):
    token_before = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token_before}
    )
    assert response.status_code == 302
    # The token of the session before login no longer works: the session was replaced.
    assert client.post("/logout", data={"csrf_token": token_before}).status_code == 400
    token_after = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token_after}).status_code == 302


@pytest.mark.settings(MAX_CONTENT_LENGTH=1024)
def test_a_request_over_the_size_limit_gets_a_friendly_413(client):
    response = client.post("/login", data={"name": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than the limit of 1 KB" in page and "Traceback" not in page


@pytest.mark.settings(RATELIMIT_LOGIN="3 per minute")
def test_login_attempts_are_rate_limited_per_account(app, client, student):
    for _ in range(3):
        assert (
            client.post("/login", data={"name": "ana", "password": "wrong one!"}).status_code == 400
        )
    response = client.post("/login", data={"name": "ana", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many login attempts" in response.get_data(as_text=True)
    make_user(app, "boris")
    assert client.post("/login", data={"name": "boris", "password": PASSWORD}).status_code == 302


@pytest.mark.settings(RATELIMIT_REGISTER="2 per hour")
def test_registration_is_rate_limited(client):
    for number in range(2):
        data = {"name": f"new{number}", "password": PASSWORD, "confirm": PASSWORD}
        assert client.post("/register", data=data).status_code == 302
        client.post("/logout")
    data = {"name": "new9", "password": PASSWORD, "confirm": PASSWORD}
    assert client.post("/register", data=data).status_code == 429


@pytest.mark.settings(RATELIMIT_WRONG_ANSWERS="2 per minute")
def test_wrong_answers_are_rate_limited_per_learner(app, student_client):
    attempt_id = start(student_client, count=6, types=["short"])
    questions = frozen(app, attempt_id)
    # Right answers do not count towards the limit.
    for position in (1, 2, 3):
        url = f"/attempts/{attempt_id}/q/{position}"
        assert (
            student_client.post(url, data=right_answer_form(questions[position])).status_code == 302
        )
    for position in (4, 5):
        url = f"/attempts/{attempt_id}/q/{position}"
        assert (
            student_client.post(url, data=wrong_answer_form(questions[position])).status_code == 302
        )
    response = student_client.post(
        f"/attempts/{attempt_id}/q/6", data=right_answer_form(questions[6])
    )
    assert response.status_code == 429
    assert "Too many wrong answers" in response.get_data(as_text=True)
    assert student_client.get(f"/attempts/{attempt_id}/q/6").status_code == 200


def test_rate_limits_are_shared_through_redis_across_servers(tmp_path, bank):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    settings = {
        "TESTING": True,
        "SECRET_KEY": "x",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"quizapp-test-{uuid.uuid4().hex}",
        "RATELIMIT_LOGIN": "4 per minute",
    }
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        db.create_all()
        store_bank(bank, "x")
        db.session.commit()
    make_user(first, "ana")
    wrong = {"name": "ana", "password": "not the password"}
    assert first.test_client().post("/login", data=wrong).status_code == 400
    assert second.test_client().post("/login", data=wrong).status_code == 400
    assert first.test_client().post("/login", data=wrong).status_code == 400
    assert second.test_client().post("/login", data=wrong).status_code == 400
    # The fifth try, on either server, is over the shared limit.
    assert first.test_client().post("/login", data=wrong).status_code == 429
    assert second.test_client().post("/login", data=wrong).status_code == 429


def test_a_script_tag_in_a_user_name_is_refused_and_shown_as_text(client):
    name = "<script>alert(1)</script>"
    response = client.post(
        "/register", data={"name": name, "password": PASSWORD, "confirm": PASSWORD}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "letters, digits" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_teacher_created_name_is_escaped_everywhere(app, teacher_client):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import classes

    user_id = make_user(app, "odd.name")
    with app.app_context():
        teacher = db.session.scalar(db.select(User).where(User.name == "profesora"))
        school_class = classes.create_class(teacher, '<b>"3B"</b>')
        classes.join_class(db.session.get(User, user_id), school_class.join_code)
        db.session.get(User, user_id).name = '"><img src=x onerror=alert(1)>'
        db.session.commit()
        class_page = f"/classes/{school_class.id}"
    assert "&lt;b&gt;" in teacher_client.get("/classes").get_data(as_text=True)
    for url in (class_page, f"/history/{user_id}"):
        page = teacher_client.get(url).get_data(as_text=True)
        assert "<img src=x" not in page and "&lt;img src=x" in page


def test_healthz_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {
        "status": "ok",
        "database": "ok",
    }


def test_healthz_says_when_the_database_is_down(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/x"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "error"


def test_each_request_is_logged_as_one_structured_line(client, caplog):
    import json
    import logging

    with caplog.at_level(logging.INFO, logger="quizapp.requests"):
        client.get("/sources")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "quizapp.requests"]
    assert lines and lines[-1]["method"] == "GET" and lines[-1]["path"] == "/sources"
    assert lines[-1]["status"] == 200 and lines[-1]["duration_ms"] >= 0

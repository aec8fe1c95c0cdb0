"""View tests: registration, login, logout, one-time passwords, CSRF, the user CLI."""

from __future__ import annotations

import pytest

from tests.conftest import (
    FAST_PASSWORD_HASH,
    PASSWORD,
    csrf_token,
    founding_copy,
    log_in,
    make_user,
)


def test_register_logs_in_and_lands_on_the_quizzes(client, app):
    response = client.post(
        "/register", data={"name": "carla", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "carla" in page and "Start a quiz" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "ca", "password": PASSWORD, "confirm": PASSWORD}, "between 3 and 64"),
        ({"name": "carla", "password": "short", "confirm": "short"}, "at least 8"),
        ({"name": "carla", "password": PASSWORD, "confirm": "other one!"}, "The passwords differ."),
        ({"name": "bad name!", "password": PASSWORD, "confirm": PASSWORD}, "letters, digits"),
    ],
)
def test_invalid_registrations_rerender_with_a_message(client, data, message):
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_taken_name_is_refused(client, app, student):
    response = client.post(
        "/register", data={"name": "ANA", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 400 and "That user name is taken." in response.get_data(
        as_text=True
    )


def test_login_with_a_wrong_password_says_so(client, student):
    response = client.post("/login", data={"name": "ana", "password": "not it at all"})
    assert response.status_code == 400
    assert "Wrong user name or password." in response.get_data(as_text=True)


def test_login_follows_next_only_on_this_site(client, student):
    response = client.post("/login?next=/history", data={"name": "ana", "password": PASSWORD})
    assert response.headers["Location"] == "/history"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = client.post(
            "/login", query_string={"next": evil}, data={"name": "ana", "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", evil
        client.post("/logout")


def test_logout_is_a_post(student_client):
    assert student_client.get("/logout").status_code == 405
    assert student_client.post("/logout").status_code == 302
    assert student_client.get("/history").status_code == 302


def test_pages_for_learners_redirect_to_login(client):
    response = client.get("/history")
    assert response.status_code == 302 and "/login?next=%2Fhistory" in response.headers["Location"]


def test_first_teacher_gets_a_one_time_password(app):
    from quizapp.extensions import db
    from quizapp.services.users import ensure_teacher

    with app.app_context():
        created = ensure_teacher()
        db.session.commit()
        assert created is not None
        user, password = created
        name = user.name
        assert ensure_teacher() is None
    client = app.test_client()
    response = client.post("/login", data={"name": name, "password": password})
    assert response.headers["Location"] == "/password"
    response = client.post(
        "/password",
        data={"current": password, "password": "new secret 1", "confirm": "new secret 1"},
    )
    assert response.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"name": name, "password": password}).status_code == 400


def test_user_create_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["user", "create", "dana", "--role", "teacher"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "created teacher dana" in result.output
    log_in(app.test_client(), "dana")
    again = runner.invoke(args=["user", "create", "dana"], input=f"{PASSWORD}\n")
    assert again.exit_code == 1 and "taken" in again.output
    short = runner.invoke(args=["user", "create", "erin"], input="short\n")
    assert short.exit_code == 1 and "at least 8" in short.output


def test_passwords_are_stored_hashed(app, student):
    from quizapp.extensions import db
    from quizapp.models import User

    with app.app_context():
        user = db.session.get(User, student)
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize(
    ("settings", "method"),
    [
        ({}, "scrypt:32768:8:1$"),
        # Outside TESTING a cheaper method is never honoured.
        ({"PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH}, "scrypt:32768:8:1$"),
        ({"TESTING": True, "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH}, "pbkdf2:sha256:1$"),
    ],
)
def test_passwords_are_hashed_with_scrypt_unless_a_test_asks_for_less(
    tmp_path, founding_sqlite, settings, method
):
    """The test fixtures hash with one PBKDF2 round (FAST_PASSWORD_HASH); production, scrypt."""
    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.services.users import authenticate, create_user, find_user

    url = founding_copy(founding_sqlite, tmp_path / "hash.sqlite3")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, **settings})
    with app.app_context():
        create_user("ana", PASSWORD)
        db.session.commit()
        assert find_user("ana").password_hash.startswith(method)
        assert authenticate("ana", PASSWORD) is not None
        assert authenticate("ana", "not the password") is None
        assert authenticate("nobody", PASSWORD) is None
        db.engine.dispose()


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_a_post_without_a_csrf_token_is_refused(app, client):
    make_user(app, "felix")
    response = client.post("/login", data={"name": "felix", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"name": "felix", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.get("/history").status_code == 200  # the logout without a token did nothing


def test_the_interface_language_can_be_chosen_and_is_kept(app, student_client):
    from quizapp.extensions import db
    from quizapp.models import User

    response = student_client.post("/language", data={"language": "es", "next": "/history"})
    assert response.status_code == 302 and response.headers["Location"] == "/history"
    with app.app_context():
        assert db.session.scalar(db.select(User.locale).where(User.name == "ana")) == "es"
    page = student_client.get("/").get_data(as_text=True)
    assert '<html lang="es">' in page
    evil = student_client.post("/language", data={"language": "es", "next": "//evil.example"})
    assert evil.headers["Location"] == "/"


def test_visitors_choose_a_language_with_a_cookie(client):
    client.post("/language", data={"language": "es"})
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)
    client.post("/language", data={"language": "xx"})
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)

"""Sessions end when they should; one-time passwords are enforced; guessable passwords refused."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, log_in, make_user

NEW_PASSWORD = "violet tractor on sunday"
REMEMBER = "remember_token"


def _cookie(client, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _client_with(app, **cookies):
    """A new client that holds only the given cookies (a copied cookie on another machine)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _logged_in(client) -> bool:
    response = client.get("/history")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _change_password(client, current: str = PASSWORD, new: str = NEW_PASSWORD):
    return client.post("/password", data={"current": current, "password": new, "confirm": new})


def _user(app, name: str):
    from quizapp.extensions import db
    from quizapp.services.users import find_user

    with app.app_context():
        user = find_user(name)
        db.session.expunge(user)
        return user


# --- sessions end at logout, password change and reset --------------------------------------


def test_a_session_cookie_copied_before_logout_stops_working_after_it(app, student_client):
    copied = _cookie(student_client, "session")
    thief = _client_with(app, session=copied)
    assert _logged_in(thief)  # the copy works while the session lives
    assert student_client.post("/logout").status_code == 302
    assert not _logged_in(thief)
    assert not _logged_in(student_client)


def test_a_remember_me_cookie_alone_logs_in_until_logout(app, client, student):
    response = client.post("/login", data={"name": "ana", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    remembered = _cookie(client, REMEMBER)
    assert _logged_in(_client_with(app, **{REMEMBER: remembered}))
    client.post("/logout")
    assert client.get_cookie(REMEMBER) is None  # deleted on this device
    assert not _logged_in(_client_with(app, **{REMEMBER: remembered}))  # refused on any other


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, student):
    here = log_in(app.test_client(), "ana")
    elsewhere = log_in(app.test_client(), "ana")
    remembered_elsewhere = app.test_client()
    remembered_elsewhere.post("/login", data={"name": "ana", "password": PASSWORD, "remember": "y"})
    remember_cookie = _cookie(remembered_elsewhere, REMEMBER)
    response = _change_password(here)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _logged_in(here)
    assert not _logged_in(elsewhere)
    assert not _logged_in(_client_with(app, **{REMEMBER: remember_cookie}))
    # The new password works, the old one no longer does.
    fresh = app.test_client()
    assert fresh.post("/login", data={"name": "ana", "password": PASSWORD}).status_code == 400
    response = fresh.post("/login", data={"name": "ana", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_remembered_device_that_changes_the_password_stays_remembered(app, client, student):
    client.post("/login", data={"name": "ana", "password": PASSWORD, "remember": "y"})
    before = _cookie(client, REMEMBER)
    assert _change_password(client).status_code == 302
    after = _cookie(client, REMEMBER)
    assert after != before
    assert _logged_in(_client_with(app, **{REMEMBER: after}))
    assert not _logged_in(_client_with(app, **{REMEMBER: before}))


def test_an_admin_reset_ends_every_session_and_gives_a_one_time_password(app, student):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.permissions import OPERATOR
    from quizapp.services.users import reset_password

    browser = log_in(app.test_client(), "ana")
    remembered = app.test_client()
    remembered.post("/login", data={"name": "ana", "password": PASSWORD, "remember": "y"})
    remember_cookie = _cookie(remembered, REMEMBER)
    with app.app_context():
        one_time = reset_password(OPERATOR, db.session.get(User, student))
        db.session.commit()
        user = db.session.get(User, student)
        assert user.must_change_password
        assert one_time not in user.password_hash
    assert not _logged_in(browser)
    assert not _logged_in(_client_with(app, **{REMEMBER: remember_cookie}))
    client = app.test_client()
    assert client.post("/login", data={"name": "ana", "password": PASSWORD}).status_code == 400
    response = client.post("/login", data={"name": "ana", "password": one_time})
    assert response.headers["Location"] == "/password"
    assert client.get("/history").headers["Location"] == "/password"
    assert _change_password(client, current=one_time).status_code == 302
    assert client.get("/history").status_code == 200


def test_end_all_sessions_counts_each_call(app, student):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.users import end_all_sessions

    with app.app_context():
        user = db.session.get(User, student)
        version = user.session_version
        end_all_sessions(user)
        end_all_sessions(user)
        db.session.commit()
        assert db.session.get(User, student).session_version == version + 2
        assert user.get_id() == f"{student}:{version + 2}"


def test_a_session_from_before_versions_is_refused(app, student_client, student):
    with student_client.session_transaction() as session:
        assert session["_user_id"] == f"{student}:1"
        session["_user_id"] = str(student)  # the bare id older releases stored
    assert not _logged_in(student_client)
    for forged in (f"{student}:", f"{student}:x", f":{student}", "١:1", f"{student}:2"):
        with student_client.session_transaction() as session:
            session["_user_id"] = forged
        assert not _logged_in(student_client), forged
    with student_client.session_transaction() as session:
        session["_user_id"] = f"{student}:1"
    assert _logged_in(student_client)  # the same session with the right version still works


# --- the one-time password is enforced ------------------------------------------------------

ALLOWED = {"auth.change_password", "auth.logout", "static", "ops.healthz", "i18n.choose_language"}


def _sample_url(app, rule) -> str:
    values = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]
        # Any integer converter (werkzeug's, or the app's bounded one) takes a number.
        values[argument] = 1 if hasattr(converter, "num_convert") else "x"
    return app.url_map.bind("localhost").build(rule.endpoint, values)


@pytest.fixture
def one_time_client(app, student):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.permissions import OPERATOR
    from quizapp.services.users import reset_password

    with app.app_context():
        password = reset_password(OPERATOR, db.session.get(User, student))
        db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"name": "ana", "password": password})
    assert response.headers["Location"] == "/password"
    client.one_time_password = password
    return client


def test_every_page_redirects_to_the_password_change_until_it_is_done(app, one_time_client):
    # The JSON API reads no session cookie (its tokens of such a user are refused instead:
    # test_api_tokens.py), and its document and reference page are public.
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in ALLOWED and not rule.rule.startswith("/api/")
    ]
    blueprints = {rule.endpoint.split(".")[0] for rule in rules}
    assert {"quiz", "history", "sources", "teach", "auth"} <= blueprints
    checked = 0
    for rule in rules:
        url = _sample_url(app, rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = one_time_client.open(url, method=method)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"] == "/password", (method, url)
            checked += 1
    assert checked > 20
    assert one_time_client.get("/password").status_code == 200
    assert one_time_client.get("/healthz").status_code == 200
    assert one_time_client.get("/static/style.css").status_code == 200
    response = one_time_client.post("/language", data={"language": "es", "next": "/password"})
    assert response.headers["Location"] == "/password"
    assert one_time_client.post("/logout").status_code == 302
    assert one_time_client.get("/history").headers["Location"].startswith("/login")


def test_the_password_change_needs_the_current_password(app, one_time_client):
    password = one_time_client.one_time_password
    response = one_time_client.post(
        "/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 400 and "This field is required." in response.get_data(
        as_text=True
    )
    response = _change_password(one_time_client, current="not the one")
    assert response.status_code == 400
    assert "The current password is wrong." in response.get_data(as_text=True)
    response = _change_password(one_time_client, current=password, new=password)
    assert response.status_code == 400
    assert "must differ from the current one" in response.get_data(as_text=True)
    assert one_time_client.get("/history").headers["Location"] == "/password"
    assert _change_password(one_time_client, current=password).status_code == 302
    assert not _user(app, "ana").must_change_password
    assert one_time_client.get("/history").status_code == 200


@pytest.mark.settings(RATELIMIT_LOGIN="2 per minute")
def test_guessing_the_current_password_is_rate_limited(app, student_client):
    for _ in range(2):
        assert _change_password(student_client, current="a wrong guess").status_code == 400
    response = _change_password(student_client)
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.get_data(as_text=True)


# --- guessable passwords are refused, saying why ---------------------------------------------


@pytest.mark.parametrize(
    ("password", "name", "reason"),
    [
        ("password1", "carla", "one of the most common passwords"),
        ("elephant99", "carla", "one of the most common passwords"),
        ("contraseña1", "carla", "one of the most common passwords"),
        ("carla1990", "carla", "your user name"),
        ("garcia2020!", "ana.garcia", "your user name"),
        ("quizapp2024", "carla", "the site's name"),
        ("williams", "carla", "names and surnames"),
        ("parliament", "carla", "common words"),
        ("asdfghjkl;", "carla", "keyboard patterns"),
        ("aaaaaaaaaaaa", "carla", "repeated characters"),
        ("abcdefghijk", "carla", "sequences such as abc"),
        ("13/04/1987", "carla", "dates and years"),
        ("short", "carla", "at least 8 characters"),
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(app, password, name, reason):
    from quizapp.services.users import AccountError, check_password_strength

    with app.test_request_context(), pytest.raises(AccountError) as refused:
        check_password_strength(password, name)
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    "password",
    [PASSWORD, NEW_PASSWORD, "Rumania1944!", "tortuga verde lunes", "x" * 3 + "Q9!z" * 30],
)
def test_strong_passwords_are_accepted(app, password):
    from quizapp.services.passwords import password_problem

    with app.test_request_context():
        assert password_problem(password, ["carla"]) is None


def test_one_time_passwords_are_strong(app):
    from quizapp.services.passwords import one_time_password, password_problem

    with app.test_request_context():
        passwords = {one_time_password() for _ in range(20)}
        assert len(passwords) == 20
        assert all(len(p) == 16 and password_problem(p) is None for p in passwords)


def test_registration_refuses_a_guessable_password_in_english(client):
    data = {"name": "carla", "password": "carla1990", "confirm": "carla1990"}
    response = client.post("/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This password is too easy to guess: it contains your user name" in page
    data = {"name": "carla", "password": "password1", "confirm": "password1"}
    page = client.post("/register", data=data).get_data(as_text=True)
    assert "one of the most common passwords" in page


def test_registration_refuses_a_guessable_password_in_spanish(client):
    client.set_cookie("quizapp_language", "es")
    data = {"name": "carla", "password": "password1", "confirm": "password1"}
    response = client.post("/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Esta contraseña es demasiado fácil de adivinar: es una de las contraseñas" in page
    assert "too easy to guess" not in page and "common password" not in page


def test_a_new_password_must_be_strong_too(app, student_client):
    response = _change_password(student_client, new="ana12345")
    assert response.status_code == 400
    assert "it contains your user name" in response.get_data(as_text=True)
    assert _logged_in(student_client)  # nothing ended: the change was refused


def test_the_user_cli_refuses_a_guessable_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "create", "dana"], input="dana2024\n")
    assert result.exit_code == 1 and "contains your user name" in result.output
    result = runner.invoke(args=["user", "create", "dana"], input="qwertyuiop\n")
    assert result.exit_code == 1 and "most common passwords" in result.output
    result = runner.invoke(args=["user", "create", "dana"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output


def test_other_learners_keep_their_sessions(app, student_client):
    make_user(app, "boris")
    boris = log_in(app.test_client(), "boris")
    student_client.post("/logout")
    assert _logged_in(boris)


def test_logout_after_another_writer_committed_does_not_fail(sqlite_app):
    """A request that has only read, then ends the sessions after another connection wrote:
    without taking the write lock first, SQLite refuses the stale read transaction's write."""
    import sqlite3

    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.users import end_all_sessions

    make_user(sqlite_app, "ana")
    path = sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite_app.app_context():
        user = db.session.scalar(db.select(User).where(User.name == "ana"))  # a read transaction
        other = sqlite3.connect(path)
        other.execute("UPDATE users SET locale = 'es' WHERE name = 'ana'")
        other.commit()
        other.close()
        end_all_sessions(user)
        db.session.commit()
        assert db.session.scalar(db.select(User.session_version).where(User.name == "ana")) == 2

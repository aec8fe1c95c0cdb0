"""The account page's practice settings: desired retention (80 to 97 %) and new facts a day
(0 to 200), with CSRF on, clear messages in English and Spanish."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import memory
from tests.conftest import PASSWORD, csrf_token, make_user

pytestmark = pytest.mark.settings(WTF_CSRF_ENABLED=True)


def _log_in(client, name):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


@pytest.fixture
def learner(app):
    """A learner's id and a client logged in as them (through the form, CSRF on)."""
    user_id = make_user(app, "ana")
    return user_id, _log_in(app.test_client(), "ana")


def _post(client, retention, daily, headers=None):
    page = client.get("/account", headers=headers).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "retention": retention, "daily_new_facts": daily}
    return client.post("/account", data=data, headers=headers)


def _stored(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.desired_retention, user.daily_new_facts


def test_the_page_shows_the_defaults_and_saves_new_settings(app, learner):
    student, student_client = learner
    page = student_client.get("/account").get_data(as_text=True)
    assert 'name="retention"' in page and 'value="90"' in page
    assert 'name="daily_new_facts"' in page and 'value="20"' in page
    assert 'min="80"' in page and 'max="97"' in page  # the browser knows the range too
    response = _post(student_client, "85", "35")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    assert _stored(app, student) == (0.85, 35)
    page = student_client.get("/account").get_data(as_text=True)
    assert "Your practice settings are saved." in page and 'value="85"' in page


@pytest.mark.parametrize(
    ("retention", "daily", "message"),
    [
        ("79", "20", "Choose a desired retention between 80% and 97%."),
        ("98", "20", "Choose a desired retention between 80% and 97%."),
        ("0.9", "20", "Not a valid integer value."),
        ("", "20", "Give a whole percentage, such as 90."),
        ("90", "201", "Choose between 0 and 200 new facts a day."),
        ("90", "-1", "Choose between 0 and 200 new facts a day."),
        ("90", "", "Give a whole number, such as 20."),
    ],
)
def test_out_of_range_settings_are_refused_with_the_reason(app, learner, retention, daily, message):
    student, student_client = learner
    response = _post(student_client, retention, daily)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert _stored(app, student) == (0.9, 20)


def test_the_bounds_themselves_are_accepted(app, learner):
    student, student_client = learner
    assert _post(student_client, "80", "0").status_code == 302
    assert _stored(app, student) == (0.8, 0)
    assert _post(student_client, "97", "200").status_code == 302
    assert _stored(app, student) == (0.97, 200)


def test_the_messages_are_in_spanish(app, learner):
    _student, student_client = learner
    headers = {"Accept-Language": "es"}
    page = student_client.get("/account", headers=headers).get_data(as_text=True)
    assert "Retención deseada (%)" in page and "Hechos nuevos al día" in page
    response = _post(student_client, "99", "500", headers=headers)
    page = response.get_data(as_text=True)
    assert "Elige una retención deseada entre el 80 % y el 97 %." in page
    assert "Elige entre 0 y 200 hechos nuevos al día." in page


def test_without_the_csrf_token_nothing_changes(app, learner):
    student, student_client = learner
    response = student_client.post("/account", data={"retention": "85", "daily_new_facts": "5"})
    assert response.status_code == 400
    assert _stored(app, student) == (0.9, 20)


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_role_has_its_own_account_page(app):
    teacher = make_user(app, "profesora", "teacher")
    teacher_client = _log_in(app.test_client(), "profesora")
    assert teacher_client.get("/account").status_code == 200
    assert _post(teacher_client, "95", "10").status_code == 302
    assert _stored(app, teacher) == (0.95, 10)


def test_the_menu_links_to_the_account_page(learner):
    _student, student_client = learner
    page = student_client.get("/").get_data(as_text=True)
    assert 'href="/account"' in page


def test_the_service_refuses_out_of_range_values(app, learner):
    student, _client = learner
    with app.app_context():
        user = db.session.get(User, student)
        for retention, daily in ((0.79, 20), (0.971, 20), (0.9, 201), (0.9, -1)):
            with pytest.raises(memory.MemorySettingsError):
                memory.set_memory_settings(user, retention, daily)
        memory.set_memory_settings(user, 0.8, 0)
        assert (user.desired_retention, user.daily_new_facts) == (0.8, 0)


def test_a_logged_in_learner_in_another_session_sees_the_saved_settings(app, learner):
    _student, first = learner
    _post(first, "88", "12")
    second = _log_in(app.test_client(), "ana")
    page = second.get("/account").get_data(as_text=True)
    assert 'value="88"' in page and 'value="12"' in page


def test_the_account_page_is_not_stored_by_the_browser(learner):
    _student, student_client = learner
    assert student_client.get("/account").headers["Cache-Control"] == "no-store"

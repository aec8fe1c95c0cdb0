"""Classes in the browser, with CSRF on: creating a class, its page, joining by code and by link
(logged out first), rotating, removing a learner, co-teachers, leaving, the home page, Spanish,
and forms that never answer 5xx."""

from __future__ import annotations

import html
import re

import pytest

from quizapp.extensions import db
from quizapp.models import ClassMembership, SchoolClass, User
from tests.conftest import PASSWORD, csrf_token, make_user

pytestmark = pytest.mark.settings(WTF_CSRF_ENABLED=True)


def _log_in(app, name: str):
    """A client logged in through the login form (with its CSRF token); returns it and a token
    valid for every form of its session."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client, csrf_token(client.get("/").get_data(as_text=True))


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _code(page: str) -> str:
    match = re.search(r'<code class="nowrap">([^<]+)</code>', page)
    assert match, "no join code on the page"
    return match.group(1)


@pytest.fixture
def teacher_with_class(app):
    """A teacher logged in, with a class made through the form: (client, token, class path)."""
    make_user(app, "profesora", role="teacher")
    client, token = _log_in(app, "profesora")
    response = client.post("/classes/new", data={"name": "3º B", "csrf_token": token})
    assert response.status_code == 302
    return client, token, response.headers["Location"]


def test_a_teacher_creates_a_class_and_sees_its_code_and_link(app, teacher_with_class):
    client, token, path = teacher_with_class
    assert re.fullmatch(r"/classes/\d+", path)
    page = _text(client.get(path))
    code = _code(page)
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", code)
    assert f'value="http://localhost/join/{code.replace("-", "")}"' in page
    assert "Class created. Give your learners its join code or link." in page
    assert "you own this class" in page and "Add a co-teacher" in page
    listing = _text(client.get("/classes"))
    assert "3º B" in listing and code in listing and "owner" in listing
    # Without the token nothing is made; an empty name is refused with the reason.
    assert client.post("/classes/new", data={"name": "No token"}).status_code == 400
    refused = client.post("/classes/new", data={"name": "  ", "csrf_token": token})
    assert refused.status_code == 400 and "This field is required." in _text(refused)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(SchoolClass.id))) == 1
    # The menu leads teachers to their classes; the old page leads there too.
    assert 'href="/classes" aria-current="page">Classes</a>' in _text(client.get("/classes"))
    assert client.get("/class").headers["Location"].endswith("/classes")


def test_a_student_follows_the_join_link_logged_out_logs_in_and_joins(app, teacher_with_class):
    teacher, _token, path = teacher_with_class
    code = _code(_text(teacher.get(path)))
    link = f"/join/{code.replace('-', '')}"
    make_user(app, "ana")
    student = app.test_client()
    response = student.get(link)
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert "/login?next=" in login_url and "%2Fjoin%2F" in login_url
    token = csrf_token(student.get(login_url).get_data(as_text=True))
    response = student.post(
        login_url, data={"name": "ana", "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == link
    confirm = _text(student.get(link))
    assert "3º B" in confirm and "taught by profesora" in confirm and "Join the class" in confirm
    assert student.post(link).status_code == 400  # no token: nothing joined
    token = csrf_token(confirm)
    joined = student.post(link, data={"csrf_token": token})
    assert joined.headers["Location"] == path
    page = _text(student.get(path))
    assert "You have joined the class 3º B." in page and "Leave the class" in page
    assert code not in page  # a learner's page shows no join code
    again = _text(student.post(link, data={"csrf_token": token}, follow_redirects=True))
    assert "You are in the class 3º B already." in again
    assert "You are in this class already." in _text(student.get(link))
    # The teacher sees the learner.
    assert ">ana</a>" in _text(teacher.get(path))


def test_the_home_page_join_form_takes_the_code_in_any_form(app, teacher_with_class):
    teacher, _token, path = teacher_with_class
    code = _code(_text(teacher.get(path)))
    make_user(app, "ana")
    student, token = _log_in(app, "ana")
    home = _text(student.get("/"))
    assert "My classes" in home and "You are in no class yet" in home
    assert 'action="/join"' in home and 'name="code"' in home
    typed = " " + code.lower().replace("-", " ") + " "
    response = student.post("/join", data={"code": typed, "csrf_token": token})
    assert response.headers["Location"] == path
    home = _text(student.get("/"))
    assert f'href="{path}">3º B</a>' in home and "taught by profesora" in home
    # An unknown code: the form again, with the reason.
    wrong = student.post("/join", data={"code": "ZZZZ-ZZZZ", "csrf_token": token})
    assert wrong.status_code == 400
    assert "No class has the code ZZZZ-ZZZZ. Check it with your teacher." in _text(wrong)
    assert student.get("/join/ZZZZZZZZ").status_code == 404
    assert student.get("/join").status_code == 200
    # A teacher's home page has no join form (their classes are in the menu).
    assert 'action="/join"' not in _text(teacher.get("/"))


def test_rotating_the_code_makes_the_old_link_fail(app, teacher_with_class):
    teacher, token, path = teacher_with_class
    old = _code(_text(teacher.get(path)))
    assert teacher.post(f"{path}/code").status_code == 400
    page = _text(teacher.post(f"{path}/code", data={"csrf_token": token}, follow_redirects=True))
    new = _code(page)
    assert new != old and f"The new join code is {new}; the old one no longer works." in page
    make_user(app, "ana")
    student, student_token = _log_in(app, "ana")
    assert student.get(f"/join/{old}").status_code == 404
    refused = student.post("/join", data={"code": old, "csrf_token": student_token})
    assert refused.status_code == 400
    assert student.post(f"/join/{new}", data={"csrf_token": student_token}).status_code == 302


def test_a_teacher_removes_a_learner_who_then_loses_the_class(app, teacher_with_class):
    teacher, token, path = teacher_with_class
    code = _code(_text(teacher.get(path)))
    learner_id = make_user(app, "ana")
    student, student_token = _log_in(app, "ana")
    student.post("/join", data={"code": code, "csrf_token": student_token})
    assert student.get(path).status_code == 200
    remove = f"{path}/learners/{learner_id}/remove"
    # A learner may not remove anyone, themself included (they leave instead).
    assert student.post(remove, data={"csrf_token": student_token}).status_code == 403
    page = _text(teacher.post(remove, data={"csrf_token": token}, follow_redirects=True))
    assert "ana is no longer in this class." in page
    assert student.get(path).status_code == 404
    assert teacher.post(remove, data={"csrf_token": token}).status_code == 404


def test_the_owner_adds_a_co_teacher_who_shares_the_class_and_may_leave(app, teacher_with_class):
    owner, token, path = teacher_with_class
    make_user(app, "colega", role="teacher")
    make_user(app, "ana")
    colleague, colleague_token = _log_in(app, "colega")
    assert colleague.get(path).status_code == 404
    for name, message in (
        ("nadie", "There is no teacher called nadie."),
        ("ana", "There is no teacher called ana."),
        ("profesora", "profesora owns this class already."),
    ):
        page = _text(
            owner.post(
                f"{path}/teachers",
                data={"teacher-name": name, "csrf_token": token},
                follow_redirects=True,
            )
        )
        assert message in page
    page = _text(
        owner.post(
            f"{path}/teachers",
            data={"teacher-name": "Colega", "csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "colega now teaches this class." in page
    shared = _text(colleague.get(path))
    assert "you are a co-teacher" in shared and "Add a co-teacher" not in shared
    assert "Leave this class" in shared and "Archive the class" not in shared
    assert "3º B" in _text(colleague.get("/classes"))
    # A co-teacher renames; archiving is the owner's.
    renamed = colleague.post(
        f"{path}/rename", data={"class-name": "3º B tarde", "csrf_token": colleague_token}
    )
    assert renamed.status_code == 302
    archive = colleague.post(f"{path}/archive", data={"csrf_token": colleague_token})
    assert archive.status_code == 403
    assert "3º B tarde" in _text(owner.get("/classes"))
    left = colleague.post(f"{path}/leave", data={"csrf_token": colleague_token})
    assert left.headers["Location"].endswith("/classes")
    assert colleague.get(path).status_code == 404
    # The owner cannot leave: the class keeps its owner.
    page = _text(owner.post(f"{path}/leave", data={"csrf_token": token}, follow_redirects=True))
    assert "You own this class, so you cannot leave it" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ClassMembership.id))) == 1


def test_archiving_stops_joining_and_hides_the_class_from_learners(app, teacher_with_class):
    owner, token, path = teacher_with_class
    code = _code(_text(owner.get(path)))
    make_user(app, "ana")
    student, student_token = _log_in(app, "ana")
    student.post("/join", data={"code": code, "csrf_token": student_token})
    page = _text(owner.post(f"{path}/archive", data={"csrf_token": token}, follow_redirects=True))
    assert "The class is archived: its code no longer works." in page
    assert "3º B" not in _text(student.get("/")).split("My classes", 1)[1]
    assert "archived" in _text(student.get(f"/join/{code}"))
    page = _text(owner.post(f"{path}/restore", data={"csrf_token": token}, follow_redirects=True))
    assert "The class is open again." in page
    assert "3º B" in _text(student.get("/")).split("My classes", 1)[1]


def test_a_learner_leaves_a_class(app, teacher_with_class):
    owner, _token, path = teacher_with_class
    code = _code(_text(owner.get(path)))
    make_user(app, "ana")
    student, token = _log_in(app, "ana")
    student.post("/join", data={"code": code, "csrf_token": token})
    page = _text(student.post(f"{path}/leave", data={"csrf_token": token}, follow_redirects=True))
    assert "You have left the class 3º B." in page
    assert student.get(path).status_code == 404


def test_the_class_pages_speak_spanish(app, teacher_with_class):
    owner, _token, path = teacher_with_class
    with app.app_context():
        for user in db.session.scalars(db.select(User)):
            user.locale = "es"
        db.session.commit()
    page = _text(owner.get(path))
    expected = ("Código para unirse", "Estudiantes", "Docentes", "Dar a la clase un código nuevo")
    for words in expected:
        assert words in page, words
    assert ">Clases</a>" in page
    listing = _text(owner.get("/classes"))
    assert "Crear una clase" in listing and "Clases que doy" in listing
    make_user(app, "ana")
    student, _student_token = _log_in(app, "ana")
    with app.app_context():
        db.session.scalar(db.select(User).where(User.name == "ana")).locale = "es"
        db.session.commit()
    home = _text(student.get("/"))
    assert "Mis clases" in home and "Unirme a la clase" in home


NASTY = [
    "",
    " ",
    "x" * 5000,
    "\u202eשלום 😀",
    "<script>alert(1)</script>",
    "%s %(x)s {{ 7*7 }}",
    "a\x00b",
    "ＡＢＣＤ",
    "' OR 1=1 --",
]


def test_nasty_values_in_every_class_form_never_give_a_server_error(app, teacher_with_class):
    owner, token, path = teacher_with_class
    make_user(app, "ana")
    student, student_token = _log_in(app, "ana")
    posts = [
        (owner, token, "/classes/new", "name"),
        (owner, token, f"{path}/rename", "class-name"),
        (owner, token, f"{path}/teachers", "teacher-name"),
        (student, student_token, "/join", "code"),
    ]
    for client, csrf, url, field in posts:
        for value in NASTY:
            response = client.post(url, data={field: value, "csrf_token": csrf})
            assert response.status_code < 500, (url, value, response.status_code)
            assert "<script>alert" not in response.get_data(as_text=True)
            response = client.post(url, data={field: [value, value], "csrf_token": csrf})
            assert response.status_code < 500, (url, value)
    for value in ("x" * 3000, "%00", "<script>", "ABCD%2FEFGH", "😀"):
        assert student.get(f"/join/{value}").status_code in (404, 400), value
        assert student.post(f"/join/{value}", data={"csrf_token": student_token}).status_code in (
            404,
            400,
        )

"""Fuzzing every form: the teachers' area, accounts and quizzes. No response may be a 5xx.

Each POST route of the teachers' area is listed from the URL map (a new route fails the test
until it is added to ROUTES here). Every field of its form gets wrong types (repeated values,
a file, a JSON body), very long strings, unicode (RTL, emoji, combining marks, NUL) and empty
values, with a valid CSRF token and the owning teacher logged in: first a table of the same
value in every field, then Hypothesis mixing values field by field.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Fact, Source
from tests.conftest import csrf_token, make_user
from tests.quiz_helpers import frozen
from tests.test_teach import LESSON

pytestmark = pytest.mark.settings(
    WTF_CSRF_ENABLED=True,
    # Rate limits would answer 429 before the forms are reached. (Not RATELIMIT_ENABLED=False:
    # the limiter is one object shared by every app of the test run, and would stay disabled.)
    RATELIMIT_LOGIN="100000 per minute",
    RATELIMIT_REGISTER="100000 per minute",
    RATELIMIT_WRONG_ANSWERS="100000 per minute",
    RATELIMIT_START="100000 per minute",
    MAX_CONTENT_LENGTH=16 * 1024 * 1024,  # room for 100k characters in every field at once
)

LONG = 100_000
NASTY = [
    "",
    " ",
    "\r\n\t",
    "x" * LONG,
    "é" * LONG,
    ("\u202eשלום مرحبا 😀👩🏽‍🚀 e\u0301\u0302\u0303 " * 5000)[:LONG],
    "\u202e\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # RTL override, Hebrew, Arabic
    "😀👩🏽‍🚀🏳️‍🌈",
    "e\u0301\u0301\u0301\u0301\u0301",  # combining marks piled up
    "a\x00b",
    "\x00",
    "\x7f\x1b[31m\x08",
    "\ufeff\u200b\u2028\u2029",
    "<script>alert(1)</script>",
    "{#p1}\n\n{#p1}",
    "%s %(x)s {0} {{ 7*7 }}",
    "' OR 1=1 --",
    "NaN",
    "sNaN",
    "-Infinity",
    "1e999999",
    "99999999999999999999999",
    "-1",
    "²",
    "١٢",
    "true",
    "on",
    "0",
    "1",
]
UPLOADS = [
    b"",
    b"\x00\x01\x02",
    b"\xff\xfe\xfa not utf-8",
    b"word " * 20_000,
    "\u202e😀 e\u0301\n\n{#p1}\n".encode(),
    b"PK\x03\x04 not really a zip",
]


GIFT = b"::Q1:: Who led the 1944 coup? {=King Michael ~Carol II ~Ion Antonescu}\n"
_QUESTION = {"language": "en", "text_format": "plain", "passage_id": "0"}
QUESTIONS = {
    "mcq": _QUESTION
    | {
        "type": "mcq",
        "stem": "Who led the 1944 coup?",
        "choices-0-text": "King Michael",
        "choices-0-weight": "100",
        "choices-1-text": "Ion Antonescu",
    },
    "multi": _QUESTION
    | {
        "type": "multi",
        "stem": "Which were Axis members?",
        "choices-0-text": "Romania",
        "choices-0-weight": "50",
        "choices-1-text": "Hungary",
        "choices-1-weight": "50",
        "choices-2-text": "Sweden",
        "choices-2-weight": "-50",
    },
    "tf": _QUESTION | {"type": "tf", "stem": "The coup was in 1944.", "is_true": "true"},
    "short": _QUESTION | {"type": "short", "stem": "Which city?", "choices-0-text": "Iași"},
    "numeric": _QUESTION
    | {
        "type": "numeric",
        "stem": "In what year was the coup?",
        "numeric-0-value": "1944",
        "numeric-0-tolerance": "0",
        "numeric-1-low": "1943",
        "numeric-1-high": "1945",
        "numeric-1-weight": "50",
    },
    "match": _QUESTION
    | {
        "type": "match",
        "stem": "Match each event to its year.",
        "pairs-0-left": "Axis entry",
        "pairs-0-right": "1940",
        "pairs-1-left": "Coup",
        "pairs-1-right": "1944",
    },
}
# A few values of each kind, for the table that puts them in one field at a time.
ONE_FIELD = ["", "x" * LONG, NASTY[5], "😀👩🏽‍🚀", "sNaN", "99999999999999999999999"]


def _text_names(form_class, app) -> tuple[list[str], list[str]]:
    """The posted names of a form's text-like fields and of its file fields."""
    from flask_wtf.file import FileField

    with app.test_request_context():
        form = form_class(formdata=None, meta={"csrf": False})
        texts, files = [], []

        def walk(fields):
            for item in fields:
                if item.type in ("FieldList", "RowList"):
                    for entry in item:
                        walk(entry.form if hasattr(entry, "form") else [entry])
                elif item.type == "FormField":
                    walk(item.form)
                elif isinstance(item, FileField):
                    files.append(item.name)
                elif item.type != "CSRFTokenField":
                    texts.append(item.name)

        walk(form)
        return texts, files


@dataclass
class Route:
    """One POST route: its path, its form, the extra raw fields the view reads, and a valid
    submission (text fields, then files) that the fuzz tests alter a few fields at a time."""

    path: str
    form: type | None
    extra: list[str] = field(default_factory=list)
    valid: dict = field(default_factory=dict)
    valid_files: dict = field(default_factory=dict)


@dataclass
class World:
    """A teacher, logged in, with a bank of everything to post to."""

    client: object
    token: str
    routes: dict[str, Route]


def _post(client, token, path, data=None, files=None):
    payload = dict(data or {})
    payload["csrf_token"] = token
    for name, content in (files or {}).items():
        payload[name] = (io.BytesIO(content), f"fuzz-{name}.txt")
    return client.post(path, data=payload, content_type="multipart/form-data")


def _ok(response, label) -> None:
    assert response.status_code < 500, (label, response.status_code)


@pytest.fixture
def world(app) -> World:
    from quizapp.web.forms import EmptyForm
    from quizapp.web.teach.forms import (
        BankForm,
        EditorForm,
        FactForm,
        ImportForm,
        QuestionForm,
        SourceEditForm,
        SourceForm,
    )

    make_user(app, "fuzzer", role="teacher")
    make_user(app, "fuzz-colleague", role="teacher")
    client = log_in_with_token(app, "fuzzer")
    token = csrf_token(client.get("/teach/").get_data(as_text=True))
    for slug in ("fuzz", "doomed"):
        bank = {"slug": slug, "title_en": "Fuzz", "title_es": "Fuzz", "languages": ["en", "es"]}
        assert _post(client, token, "/teach/banks", bank).status_code == 302
    source = {
        "title": "Fuzz source",
        "language": "en",
        "text": LESSON,
        "origin": "notes",
        "licence": "CC BY 4.0",
        "attribution": "A. Teacher",
    }
    assert _post(client, token, "/teach/banks/fuzz/sources/new", source).status_code == 302
    # A second source for the edit route to mangle; the facts' passages stay as they are.
    spare = source | {"title": "Spare source"}
    assert _post(client, token, "/teach/banks/fuzz/sources/new", spare).status_code == 302
    with app.app_context():
        source_row = db.session.scalar(db.select(Source).where(Source.title == "Fuzz source"))
        source_slug, passage_id = source_row.slug, source_row.passages[0].id
        spare_slug = db.session.scalar(db.select(Source.slug).where(Source.title == "Spare source"))
    fact = {
        "passage_id": str(passage_id),
        "evidence_start": "0",
        "evidence_end": "43",
        "tolerance": "0",
        "evidence": "Romania joined the Axis on 23 November 1940",
        "statement": "Romania joined the Axis on 23 November 1940.",
        "answer": "23 November 1940",
        "kind": "date",
        "stems": "On what date did Romania join the Axis?",
    }
    assert _post(client, token, "/teach/banks/fuzz/facts/new", fact).status_code == 302
    response = _post(client, token, "/teach/banks/fuzz/questions/new", QUESTIONS["tf"])
    assert response.status_code == 302
    response = _post(
        client,
        token,
        "/teach/banks/fuzz/import",
        {"file_format": "gift", "language": "en"},
        {"file": GIFT},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    import_token = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        fact_id = db.session.scalar(db.select(Fact.id).where(Fact.key.like("23-november-1940%")))
        question_id = db.session.scalar(
            db.select(AuthoredQuestion.id).where(AuthoredQuestion.stem == "The coup was in 1944.")
        )
    assert fact_id and question_id
    bank = {"title_en": "Fuzz", "title_es": "Fuzz", "languages": ["en", "es"], "subject": "x"}
    edited_source = dict(spare, text="{#p1}\n" + LESSON)
    del edited_source["language"]
    routes = {
        "teach.create_bank": Route(
            "/teach/banks", BankForm, valid=bank | {"title_en": "Fuzzed", "title_es": "Otro"}
        ),
        "teach.edit_bank": Route("/teach/banks/fuzz/edit", BankForm, valid=bank),
        "teach.restore_bank": Route("/teach/banks/fuzz/restore", EmptyForm),
        "teach.new_source": Route("/teach/banks/fuzz/sources/new", SourceForm, valid=source),
        "teach.edit_source": Route(
            f"/teach/sources/{spare_slug}/edit", SourceEditForm, valid=edited_source
        ),
        "teach.reject_suggestion": Route(
            f"/teach/sources/{source_slug}/suggestions/reject",
            EmptyForm,
            ["passage", "answer"],
            valid={"passage": "p1", "answer": "1940"},
        ),
        "teach.answer_suggestions": Route(
            f"/teach/sources/{source_slug}/suggestions/selected",
            EmptyForm,
            ["pick", "action"],
            valid={"pick": "p1:1940", "action": "reject"},
        ),
        "teach.new_fact": Route("/teach/banks/fuzz/facts/new", FactForm, valid=fact),
        "teach.edit_fact": Route(f"/teach/facts/{fact_id}/edit", FactForm, valid=fact),
        "teach.retire_fact": Route(f"/teach/facts/{fact_id}/retire", EmptyForm),
        "teach.new_question": Route(
            "/teach/banks/fuzz/questions/new",
            QuestionForm,
            ["show_fields"],
            valid=QUESTIONS["mcq"],
        ),
        "teach.edit_question": Route(
            f"/teach/questions/{question_id}/edit",
            QuestionForm,
            ["show_fields"],
            valid=QUESTIONS["numeric"],
        ),
        "teach.retire_question": Route(f"/teach/questions/{question_id}/retire", EmptyForm),
        "teach.import_file": Route(
            "/teach/banks/fuzz/import",
            ImportForm,
            valid={"file_format": "gift", "language": "en"},
            valid_files={"file": GIFT},
        ),
        "teach.import_preview": Route(f"/teach/imports/{import_token}", EmptyForm),
        # Last: it deletes its (own, spare) bank.
        "teach.delete_bank": Route("/teach/banks/doomed/delete", EmptyForm),
        # Sharing (owners): co-editors by user name, publishing.
        "teach.add_editor": Route(
            "/teach/banks/fuzz/editors", EditorForm, valid={"name": "fuzz-colleague"}
        ),
        "teach.remove_editor": Route("/teach/banks/fuzz/editors/1/remove", EmptyForm),
        "teach.publish": Route("/teach/banks/fuzz/publish", EmptyForm),
        "teach.unpublish": Route("/teach/banks/fuzz/unpublish", EmptyForm),
    }
    return World(client, token, routes)


def log_in_with_token(app, name):
    """Log in through the form with its CSRF token (CSRF is on in these tests)."""
    from tests.conftest import PASSWORD

    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def _fill(app, route: Route, value: str, upload: bytes) -> tuple[dict, dict]:
    texts, files = _text_names(route.form, app) if route.form else ([], [])
    data = dict.fromkeys(texts + route.extra, value)
    return data, dict.fromkeys(files, upload)


def test_every_post_route_of_the_teachers_area_is_fuzzed(app, world):
    posts = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("teach.") and "POST" in rule.methods
    }
    assert posts == set(world.routes), "add the new route to the fuzz table"


def test_the_same_nasty_value_in_every_field_of_every_teachers_form(app, world):
    for endpoint, route in world.routes.items():
        for number, value in enumerate(NASTY):
            data, files = _fill(app, route, value, UPLOADS[number % len(UPLOADS)])
            response = _post(world.client, world.token, route.path, data, files)
            _ok(response, (endpoint, value[:40]))


def test_wrong_types_in_every_field_of_every_teachers_form(app, world):
    """Repeated values, files where text belongs, text where files belong, JSON, nothing."""
    for endpoint, route in world.routes.items():
        texts, files = _text_names(route.form, app)
        names = texts + route.extra
        repeated = {name: ["1", "²", "x" * 1000] for name in names}
        _ok(_post(world.client, world.token, route.path, repeated), (endpoint, "repeated"))
        as_files = {name: "not text 😀".encode() for name in names}
        _ok(_post(world.client, world.token, route.path, {}, as_files), (endpoint, "files"))
        as_text = dict.fromkeys(files, "not a file")
        _ok(_post(world.client, world.token, route.path, as_text), (endpoint, "text for file"))
        _ok(_post(world.client, world.token, route.path, {}), (endpoint, "empty"))
        for body in (
            {name: 12 for name in names},
            {name: [1, {"a": None}] for name in names},
            [1, 2, 3],
            "text",
            None,
        ):
            response = world.client.post(
                route.path,
                data=json.dumps(body),
                content_type="application/json",
                headers={"X-CSRFToken": world.token},
            )
            _ok(response, (endpoint, "json", str(body)[:40]))
        response = world.client.post(
            route.path,
            data=b"\xff\xfe{not json",
            content_type="application/json",
            headers={"X-CSRFToken": world.token},
        )
        _ok(response, (endpoint, "bad json"))


def test_the_valid_submissions_the_fuzzing_starts_from_are_accepted(app, world):
    """So that the fuzzing below reaches the services, not only the forms' checks."""
    for endpoint, route in world.routes.items():
        if route.valid or route.valid_files:
            response = _post(world.client, world.token, route.path, route.valid, route.valid_files)
            assert response.status_code == 302, (endpoint, response.get_data(as_text=True)[-2000:])
    for kind, question in QUESTIONS.items():
        edited = question | {"stem": question["stem"] + " (edited)"}
        path = world.routes["teach.edit_question"].path
        response = _post(world.client, world.token, path, edited)
        assert response.status_code == 302, (kind, response.get_data(as_text=True)[-2000:])


def test_one_nasty_value_at_a_time_in_an_otherwise_valid_submission(app, world):
    """Past the form checks: each field alone gets each kind of value, the rest stay valid."""
    for endpoint, route in world.routes.items():
        if not route.valid and not route.valid_files:
            continue
        texts, files = _text_names(route.form, app)
        for name in texts + route.extra:
            for value in ONE_FIELD:
                data = dict(route.valid, **{name: value})
                response = _post(world.client, world.token, route.path, data, route.valid_files)
                _ok(response, (endpoint, name, value[:40]))
        for name in files:
            for upload in UPLOADS:
                uploads = dict(route.valid_files, **{name: upload})
                response = _post(world.client, world.token, route.path, route.valid, uploads)
                _ok(response, (endpoint, name, upload[:40]))


_printable = st.characters(codec="utf-8")  # the test client must be able to send it
FIELD_VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(_printable, max_size=40),
    st.text(_printable, min_size=2000, max_size=4000),
    st.integers().map(str),
    st.floats().map(str),
    st.decimals().map(str),
    st.lists(st.sampled_from([*NASTY[:12], "1", "0"]), min_size=2, max_size=3),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_hypothesis_mixes_values_field_by_field_in_the_teachers_forms(app, world, data):
    endpoint = data.draw(st.sampled_from(sorted(set(world.routes) - {"teach.delete_bank"})))
    route = world.routes[endpoint]
    texts, files = _text_names(route.form, app)
    names = texts + route.extra
    base = dict(route.valid)
    if route.form is not None and route.form.__name__ == "QuestionForm":
        base = dict(QUESTIONS[data.draw(st.sampled_from(sorted(QUESTIONS)), label="type")])
    if data.draw(st.booleans(), label="start from nothing"):
        base = {}
    chosen = data.draw(
        st.lists(st.sampled_from(names), unique=True, max_size=6) if names else st.just([])
    )
    values = base | {name: data.draw(FIELD_VALUES, label=name) for name in chosen}
    uploads = dict(route.valid_files)
    uploads |= {name: data.draw(st.sampled_from(UPLOADS), label=name) for name in files}
    _ok(_post(world.client, world.token, route.path, values, uploads), (endpoint, values))


# ---------------------------------------------------------------------------------------------
# Accounts and quizzes


def test_every_account_form_takes_nasty_values(app):
    make_user(app, "ana")
    visitor = app.test_client()
    token = csrf_token(visitor.get("/login").get_data(as_text=True))
    for value in NASTY:
        for path, names in (
            ("/login", ["name", "password", "remember"]),
            ("/register", ["name", "password", "confirm"]),
            ("/language", ["language", "next"]),
        ):
            _ok(_post(visitor, token, path, dict.fromkeys(names, value)), (path, value[:40]))
            visitor.post("/logout", data={"csrf_token": token})
            token = csrf_token(visitor.get("/login").get_data(as_text=True))
    learner = log_in_with_token(app, "ana")
    token = csrf_token(learner.get("/password").get_data(as_text=True))
    for value in NASTY:
        for path, names in (
            ("/password", ["password", "confirm"]),
            ("/language", ["language"]),
            ("/account", ["retention", "daily_new_facts"]),
        ):
            response = _post(learner, token, path, dict.fromkeys(names, value))
            _ok(response, (path, value[:40]))
            if response.status_code == 302 and path == "/password":  # the password changed
                learner = _relogin(app, "ana", value)
                token = csrf_token(learner.get("/password").get_data(as_text=True))
    for path in ("/login", "/register", "/password", "/account"):
        _ok(_post(learner, token, path, {}, {"name": b"x", "password": b"y"}), (path, "files"))
        response = learner.post(
            path, data="[1]", content_type="application/json", headers={"X-CSRFToken": token}
        )
        _ok(response, (path, "json"))


def _relogin(app, name, password):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    return client


def test_every_quiz_form_takes_nasty_values(app):
    make_user(app, "ana")
    learner = log_in_with_token(app, "ana")
    token = csrf_token(learner.get("/").get_data(as_text=True))
    start_names = ["b1-language", "b1-count", "b1-types", "b1-time_limit"]
    for value in NASTY:
        response = _post(
            learner, token, "/banks/romania-ww2/start", dict.fromkeys(start_names, value)
        )
        _ok(response, ("start", value[:40]))
    start = {
        "b1-language": "en",
        "b1-count": "8",
        "b1-types": ["mcq", "tf", "cloze", "short", "numeric", "order", "match"],
    }
    response = _post(learner, token, "/banks/romania-ww2/start", start)
    assert response.status_code == 302
    if "/confirm" in response.headers["Location"]:
        # The bank cannot give the set as asked: start what the confirmation page offers.
        page = learner.get(response.headers["Location"]).get_data(as_text=True)
        form = page.split('action="/banks/romania-ww2/start"', 1)[1].split("</form>", 1)[0]
        fields: dict[str, list[str]] = {}
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
            fields.setdefault(name, []).append(html.unescape(value))
        response = learner.post("/banks/romania-ww2/start", data=fields)
        assert response.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    questions = frozen(app, attempt_id)
    # Values an answer form may accept come last, so that the others meet an open question.
    ordered = [v for v in NASTY if v not in ("0", "1", "true", "on")] + ["0", "1"]
    for position, question in questions.items():
        size = (
            len(question["options"]["left"])
            if question["type"] == "match"
            else len(question.get("options") or [])
        )
        names = ["answer", "shown"]
        names += [f"place_{i}" for i in range(size)] + [f"pair_{i}" for i in range(size)]
        path = f"/attempts/{attempt_id}/q/{position}"
        for value in ordered:
            _ok(_post(learner, token, path, dict.fromkeys(names, value)), (path, value[:40]))
        _ok(_post(learner, token, path, {}, dict.fromkeys(names, b"x")), (path, "files"))
        response = learner.post(
            path, data="{}", content_type="application/json", headers={"X-CSRFToken": token}
        )
        _ok(response, (path, "json"))
    for value in NASTY[:6]:
        _ok(_post(learner, token, f"/attempts/{attempt_id}/finish", {"x": value}), "finish")


def test_practise_now_takes_nasty_values_and_odd_paths(app):
    make_user(app, "ana")
    learner = log_in_with_token(app, "ana")
    token = csrf_token(learner.get("/practice").get_data(as_text=True))
    for value in NASTY:
        response = _post(learner, token, "/practice/romania-ww2/en/start", {"x": value})
        _ok(response, ("practise", value[:40]))
    for language in ("", "EN", "e\u0301n", "en%00", "x" * 300, "../en"):
        for path in (
            f"/practice/romania-ww2/{language}",
            f"/practice/romania-ww2/{language}/start",
        ):
            response = (
                _post(learner, token, path, {}) if path.endswith("start") else learner.get(path)
            )
            _ok(response, (path[:60], "path"))

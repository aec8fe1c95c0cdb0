"""The start form: types per language, the shortfall page, failed starts, banks not ready."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.quiz_helpers import frozen, written_bank
from tests.test_translations import compiled  # noqa: F401 - the Spanish catalogue, compiled


def _store(app, bank, content_hash="x"):
    from quizapp.services.banks import store_bank

    with app.app_context():
        store_bank(bank, content_hash)
        db.session.commit()


def _bank_id(app, slug):
    from quizapp.models import Bank as StoredBank

    with app.app_context():
        return db.session.scalar(db.select(StoredBank.id).where(StoredBank.slug == slug))


def _attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Attempt.id)))


def _fieldset(page: str, prefix: str, language: str) -> str:
    """The HTML of one language's type checkboxes in a bank's form."""
    match = re.search(
        rf'<fieldset data-language="{language}"[^>]*>(.*?)</fieldset>',
        page[page.index(f'name="{prefix}-language"') :],
        re.S,
    )
    assert match, (prefix, language)
    return match.group(1)


def _ticked(fieldset: str) -> set[str]:
    return set(re.findall(r'<input checked[^>]*value="(\w+)"', fieldset))


def _offered(fieldset: str) -> set[str]:
    return set(re.findall(r'value="(\w+)"', fieldset))


def test_the_form_offers_per_language_only_the_types_the_bank_can_make(app, student_client, bank):
    # Without labels the Spanish facts can make neither ordering nor matching questions.
    unlabelled = replace(
        bank,
        facts=[replace(f, label=None) if f.language == "es" else f for f in bank.facts],
    )
    _store(app, unlabelled, "unlabelled")
    page = student_client.get("/").get_data(as_text=True)
    english, spanish = _fieldset(page, "b1", "en"), _fieldset(page, "b1", "es")
    assert _offered(english) == {"mcq", "tf", "cloze", "short", "numeric", "order", "match"}
    assert _offered(spanish) == {"mcq", "tf", "cloze", "short", "numeric"}
    assert _ticked(english) == _offered(english) and _ticked(spanish) == _offered(spanish)
    assert 'name="b1-types_es"' in spanish and "multi" not in page
    # A type the Spanish facts cannot make is refused for Spanish, never replaced.
    response = student_client.post(
        "/banks/romania-ww2/start",
        data={"b1-language": "es", "b1-count": "5", "b1-types_es": ["order"]},
    )
    assert response.status_code == 400 and _attempts(app) == 0
    assert "Choose question types from the list." in response.get_data(as_text=True)


def test_only_the_chosen_languages_ticks_count(app, student_client):
    data = {
        "b1-language": "es",
        "b1-count": "5",
        "b1-types_en": ["mcq"],
        "b1-types_es": ["short"],
    }
    response = student_client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    questions = frozen(app, attempt_id)
    assert {q["type"] for q in questions.values()} == {"short"}
    assert {q["language"] for q in questions.values()} == {"es"}


def _inputs(form_html: str) -> list[tuple[str, str]]:
    pairs = re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form_html)
    return [(unescape(n), unescape(v)) for n, v in pairs]


def test_a_request_the_bank_cannot_meet_is_announced_before_any_attempt(app, student_client):
    data = {"b1-language": "en", "b1-count": "12", "b1-types": ["order", "match"]}
    response = student_client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == 302
    assert "/banks/romania-ww2/confirm?" in response.headers["Location"]
    assert _attempts(app) == 0
    page = student_client.get(response.headers["Location"]).get_data(as_text=True)
    text = unescape(page)
    assert "This bank can make" in text and "“Chronological order”" in text
    assert "in English; you asked for 6." in text
    total = int(re.search(r"Your quiz would have (\d+) questions instead of 12", text).group(1))
    assert 0 < total < 12 and _attempts(app) == 0
    start_form, change_form = re.findall(r"<form method=\"(?:post|get)\".*?</form>", page, re.S)[
        -2:
    ]
    assert f"Start with the {total} questions the bank can give" in start_form
    # Start with what the bank can give: the same set as announced.
    started = student_client.post("/banks/romania-ww2/start", data=_multi(_inputs(start_form)))
    assert started.status_code == 302, started.get_data(as_text=True)
    attempt_id = int(re.search(r"/attempts/(\d+)/q/1", started.headers["Location"]).group(1))
    questions = frozen(app, attempt_id)
    assert len(questions) == total
    assert {q["type"] for q in questions.values()} <= {"order", "match"}
    # Change the settings: back to the form with the choices kept.
    assert "Change the settings" in change_form
    query = _multi(_inputs(change_form))
    home = student_client.get("/", query_string=query).get_data(as_text=True)
    assert re.search(r'name="b1-count"[^>]*value="12"', home)
    assert _ticked(_fieldset(home, "b1", "en")) == {"order", "match"}


def _multi(pairs):
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def test_an_accepted_set_that_changed_is_announced_again(app, student_client):
    data = {
        "b1-language": "en",
        "b1-count": "12",
        "b1-types": ["order", "match"],
        "b1-seed": "5",
        "b1-accept": "order=9,match=9",
    }
    response = student_client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == 302 and "/confirm?" in response.headers["Location"]
    assert _attempts(app) == 0
    data["b1-accept"] = "not a plan"
    response = student_client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == 400 and _attempts(app) == 0


def test_the_shortfall_page_speaks_spanish(compiled, app, student_client):  # noqa: F811
    data = {"b1-language": "es", "b1-count": "12", "b1-types": ["order", "match"]}
    location = student_client.post("/banks/romania-ww2/start", data=data).headers["Location"]
    page = unescape(
        student_client.get(location, headers={"Accept-Language": "es"}).get_data(as_text=True)
    )
    assert "Este banco puede hacer" in page and "en Spanish" not in page
    assert "Cambiar las opciones" in page and "Empezar con las" in page
    assert "This bank" not in page


def test_a_failed_start_leaves_the_other_banks_forms_alone(app, student_client):
    _store(app, written_bank("second"))
    second = _bank_id(app, "second")
    data = {"b1-language": "es", "b1-count": "3", "b1-types_es": ["short", "mcq"]}
    response = student_client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose between 5 and 50 questions" in unescape(page) or "between 5 and 50" in page
    assert _ticked(_fieldset(page, f"b{second}", "en")) == {"mcq"}
    assert _ticked(_fieldset(page, "b1", "es")) == {"short", "mcq"}
    assert re.search(r'name="b1-count"[^>]*value="3"', page)
    # The other language of the failed form keeps its defaults.
    assert "order" in _ticked(_fieldset(page, "b1", "en"))
    # Starting the other bank straight away works.
    response = student_client.post(
        "/banks/second/start",
        data={f"b{second}-language": "en", f"b{second}-count": "5", f"b{second}-types_en": "mcq"},
    )
    assert response.status_code == 302 and "/attempts/" in response.headers["Location"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_empty_bank_is_not_listed_and_cannot_be_started(
    compiled,  # noqa: F811
    app,
    student_client,
    language,
):
    empty = replace(written_bank("empty", 0), languages=["en", "es"])
    _store(app, empty)
    headers = {"Accept-Language": language}
    page = student_client.get("/", headers=headers).get_data(as_text=True)
    assert "Bank empty" not in page and "b1-language" in page
    empty_id = _bank_id(app, "empty")
    response = student_client.post(
        "/banks/empty/start",
        data={
            f"b{empty_id}-language": "en",
            f"b{empty_id}-count": "5",
            f"b{empty_id}-types": "mcq",
        },
        headers=headers,
        follow_redirects=True,
    )
    page = unescape(response.get_data(as_text=True))
    expected = {
        "en": "This bank cannot make a quiz yet.",
        "es": "Este banco todavía no puede hacer un cuestionario.",
    }
    assert expected[language] in page and _attempts(app) == 0


def test_a_language_the_bank_cannot_make_gives_a_translated_message(
    compiled,  # noqa: F811
    app,
    student_client,
    bank,
):
    english_only = replace(bank, facts=[f for f in bank.facts if f.language == "en"])
    _store(app, english_only, "english only")
    page = student_client.get("/").get_data(as_text=True)
    assert 'data-language="es"' not in page
    response = student_client.post(
        "/banks/romania-ww2/start",
        data={"b1-language": "es", "b1-count": "5", "b1-types": ["short"]},
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 400 and _attempts(app) == 0
    body = unescape(response.get_data(as_text=True))
    assert "Este banco todavía no puede hacer un cuestionario en este idioma." in body
    assert "facts in" not in body

"""The practice pages with CSRF on: who may open them, the figures and the chart, "Practise
now" (a POST with its token) starting a session that is a quiz's own (question page without
the key or the evidence, feedback with the source passage), the results page and the history
of a practice session, and the links to practice from home, the menu and the history."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from markupsafe import escape

from quizapp.extensions import db
from quizapp.models import Attempt, Fact, User, utcnow
from quizapp.services import memory
from tests.conftest import PASSWORD, csrf_token, make_user
from tests.quiz_helpers import frozen, right_answer_form

pytestmark = pytest.mark.settings(WTF_CSRF_ENABLED=True)
PAGE = "/practice/romania-ww2/en"


def _log_in(app, name: str):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


@pytest.fixture
def learner(app):
    make_user(app, "ana")
    return _log_in(app, "ana")


def _count(page: str, name: str) -> int:
    match = re.search(rf'<dd data-count="{name}">(\d+)', page)
    assert match, name
    return int(match.group(1))


def test_practice_needs_a_login(client):
    for path in ("/practice", PAGE):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post(f"{PAGE}/start")
    assert response.status_code in (302, 400)
    assert "/attempts/" not in response.headers.get("Location", "")


def test_unknown_banks_and_languages_are_404(learner):
    assert learner.get("/practice/no-such-bank/en").status_code == 404
    assert learner.get("/practice/romania-ww2/fr").status_code == 404
    token = csrf_token(learner.get(PAGE).get_data(as_text=True))
    assert (
        learner.post("/practice/romania-ww2/fr/start", data={"csrf_token": token}).status_code
        == 404
    )


def test_the_page_shows_counts_the_session_the_chart_and_mastery(app, learner):
    response = learner.get(PAGE)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    with app.app_context():
        facts = db.session.scalar(
            db.select(db.func.count(Fact.id)).where(Fact.language == "en", Fact.retired.is_(False))
        )
    assert _count(page, "due") == 0
    assert 0 < _count(page, "new") <= facts
    assert _count(page, "allowed") == 20
    assert "Practise now" in page and "at most 20 facts" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'id="due-forecast"' in page
    assert page.count('<tr><th scope="row">') >= 14  # the forecast's table: one row a day
    assert f"of this bank's {facts} facts in English" in page
    assert "Mastery by topic" in page


def test_practise_now_needs_its_csrf_token(app, learner):
    assert learner.post(f"{PAGE}/start").status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


def test_practise_now_starts_a_session_asked_like_a_quiz(app, learner):
    before = learner.get(PAGE).get_data(as_text=True)
    token = csrf_token(before)
    response = learner.post(f"{PAGE}/start", data={"csrf_token": token})
    assert response.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)$", response.headers["Location"]).group(1))
    # The results page of an open session leads to its first question.
    first = learner.get(response.headers["Location"])
    assert first.status_code == 302 and first.headers["Location"].endswith("/q/1")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.settings["mode"] == "practice" and attempt.settings["new"] == 20
    questions = frozen(app, attempt_id)
    assert len(questions) == 20
    for position, question in questions.items():
        url = f"/attempts/{attempt_id}/q/{position}"
        page = learner.get(url).get_data(as_text=True)
        page = re.sub(r'(name="shown" type="hidden" value=")[^"]*"', r'\1"', page)
        source = question["source"]
        evidence = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
        if question["type"] != "tf":
            assert str(escape(evidence)) not in page
        assert question["fact_id"] not in page
        assert "Right answer" not in page and 'class="source"' not in page
        if question["type"] in ("cloze", "short", "numeric"):
            # The question itself (the page's grid numbers its questions, 1 to 20).
            asked = page.split('<section class="question"', 1)[1].split("</section>", 1)[0]
            for form in question["accepted"]:
                assert not re.search(rf"\b{re.escape(str(escape(form)))}\b", asked), form
        if question["type"] in ("mcq", "tf"):
            assert "checked" not in page
        data = right_answer_form(question) | {"csrf_token": token}
        assert learner.post(url, data=data).status_code == 302
        feedback = learner.get(url).get_data(as_text=True)
        assert 'class="verdict right"' in feedback
        assert '<figure class="source">' in feedback and "<mark>" in feedback
        if position == 1:
            # The practice page now offers to continue this session, not a second one.
            again = learner.get(PAGE).get_data(as_text=True)
            assert "Continue the session" in again and "Practise now" not in again
            repeat = learner.post(f"{PAGE}/start", data={"csrf_token": token})
            assert repeat.headers["Location"].endswith(f"/attempts/{attempt_id}")
    # Every answer updated the learner's memory: twenty facts are no longer new, and none of
    # today's allowance is left.
    after = learner.get(PAGE).get_data(as_text=True)
    assert _count(after, "new") == _count(before, "new") - 20
    assert _count(after, "allowed") == 0
    finish = learner.post(f"/attempts/{attempt_id}/finish", data={"csrf_token": token})
    assert finish.status_code == 302
    results = html.unescape(learner.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    assert "Practice session: " in results and "Back to practice" in results
    assert "Practise what I missed" not in results and "same settings" not in results
    listed = html.unescape(learner.get("/history").get_data(as_text=True))
    assert "practice session" in listed
    # Not a quiz score: no summary by bank, no chart.
    assert "Scores over time" not in listed and "Finished attempts" not in listed


def test_nothing_to_practise_says_when_the_next_fact_is_due(app, learner):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.name == "ana"))
        user.daily_new_facts = 0
        fact = db.session.scalar(db.select(Fact).where(Fact.language == "en").order_by(Fact.id))
        now = utcnow()
        memory.record_answer(user.id, fact.id, "short", True, 3.0, now - dt.timedelta(days=1))
        card = memory.record_answer(
            user.id, fact.id, "short", True, 3.0, now - dt.timedelta(hours=2)
        )
        due = card.due
        db.session.commit()
    assert due > utcnow()
    page = html.unescape(learner.get(PAGE).get_data(as_text=True))
    assert "Nothing to practise now." in page and "The next fact is due" in page
    assert "Practise now" not in page
    # The fact was met yesterday: none today, and the limit said as a number.
    assert "You have met 0 new facts today; your daily limit is 0, so more come tomorrow." in page
    token = csrf_token(page)
    response = learner.post(f"{PAGE}/start", data={"csrf_token": token})
    assert response.headers["Location"].endswith(PAGE)
    assert "the next fact is due" in html.unescape(learner.get(PAGE).get_data(as_text=True))
    # Mastery now shows in the history, with a link to the bank's practice page.
    history = html.unescape(learner.get("/history").get_data(as_text=True))
    assert "Mastery" in history and f'href="{PAGE}"' in history


def test_home_the_menu_and_the_index_lead_to_practice(learner):
    home = learner.get("/").get_data(as_text=True)
    assert f'href="{PAGE}"' in home and 'href="/practice/romania-ww2/es"' in home
    assert 'href="/practice"' in home
    index = learner.get("/practice")
    assert index.status_code == 200
    text = html.unescape(index.get_data(as_text=True))
    assert f'href="{PAGE}"' in text and "due now" in text

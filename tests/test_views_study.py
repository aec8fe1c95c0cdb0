"""The study views: the reader (every fact's evidence marked, a fact's panel, "ask me this") and
the timeline; who sees them; CSRF on "ask me this"; no key on the question it starts."""

from __future__ import annotations

import html
import re

import pytest
from markupsafe import escape

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Fact, User
from quizapp.services import authoring, sharing
from tests.conftest import csrf_token, log_in, make_user
from tests.quiz_helpers import frozen, right_answer_form

READ = "/banks/romania-ww2/read"
TIMELINE = "/banks/romania-ww2/timeline"
LESSON = """Romania joined the Axis on 23 November 1940, under Marshal Ion Antonescu.

King Michael led the coup of 23 August 1944 that deposed Antonescu."""


def _fact(app, key: str) -> Fact:
    with app.app_context():
        fact = db.session.scalar(db.select(Fact).where(Fact.key == key))
        db.session.expunge(fact)
        return fact


def _live_facts(app, language: str) -> list[Fact]:
    with app.app_context():
        facts = list(
            db.session.scalars(
                db.select(Fact).where(
                    Fact.language == language,
                    Fact.retired.is_(False),
                    Fact.needs_review.is_(False),
                )
            )
        )
        db.session.expunge_all()
        return facts


def test_the_reader_marks_every_facts_evidence_with_an_anchor_and_a_link(app, student_client):
    assert student_client.get(READ).headers["Location"].endswith(f"{READ}/en")
    response = student_client.get(f"{READ}/en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    facts = _live_facts(app, "en")
    assert len(facts) > 50
    for fact in facts:
        assert f'id="evidence-{fact.id}"' in page, fact.key
        assert f'href="{READ}/en?fact={fact.id}#fact-panel"' in page, fact.key
    # Two facts with one evidence share one mark; evidence inside evidence nests.
    assert re.search(r'<mark class="evidence" data-facts="\d+ \d+"', page)
    assert re.search(r'<mark class="evidence"[^>]*>[^<]*<mark class="evidence"', page)
    assert page.count("<mark") == page.count("</mark>")
    assert "fact-panel" not in page.split('id="main"', 1)[1].split("<script", 1)[0].replace(
        "#fact-panel", ""
    )
    # Spanish: its own documents and facts only.
    spanish = student_client.get(f"{READ}/es").get_data(as_text=True)
    assert "Pogromo" in spanish or "pogromo" in spanish
    assert f'id="evidence-{facts[0].id}"' not in spanish


def test_a_selected_fact_shows_its_panel_under_its_passage(app, student_client):
    fact = _fact(app, "coup-1944-date-en")
    page = student_client.get(f"{READ}/en?fact={fact.id}").get_data(as_text=True)
    panel = page.split('id="fact-panel"', 1)[1].split("</aside>", 1)[0]
    assert str(escape(fact.statement)) in panel
    assert f"<strong>{escape(fact.answer)}</strong>" in panel
    # Its question forms, each a button that asks it, in a form with a CSRF field.
    buttons = re.findall(r'name="question_type" value="(\w+)"', panel)
    assert "mcq" in buttons and "short" in buttons and "order" not in buttons
    assert f'action="{READ}/en/facts/{fact.id}/ask"' in panel
    # Not answered yet: no memory to show.
    assert "You have not answered this fact yet" in panel
    # The same topic in Spanish, linked.
    spanish = _fact(app, "coup-1944-date-es")
    assert f"{READ}/es?fact={spanish.id}#fact-panel" in panel
    # The panel stands in the passage of its evidence, and its mark is the selected one.
    passage_id = page.split('id="fact-panel"', 1)[0].rsplit("<section", 1)[1]
    assert "romania-overview-en-p5" in passage_id
    assert re.search(rf'<mark class="evidence selected" data-facts="[^"]*\b{fact.id}\b', page)
    assert f'data-fact="{fact.id}" aria-label="Fact' in page and 'aria-current="true"' in page


@pytest.mark.parametrize("value", ["999999", "0", "abc", "-1", "99999999999999999999"])
def test_a_fact_not_in_the_reader_is_404(student_client, value):
    assert student_client.get(f"{READ}/en?fact={value}").status_code == 404


def test_a_fact_of_another_language_is_not_in_this_reader(app, student_client):
    spanish = _fact(app, "coup-1944-date-es")
    assert student_client.get(f"{READ}/en?fact={spanish.id}").status_code == 404
    assert student_client.get(f"{READ}/es?fact={spanish.id}").status_code == 200


@pytest.mark.parametrize("path", [f"{READ}/fr", f"{TIMELINE}/fr", "/banks/nothing/read/en"])
def test_unknown_banks_and_languages_are_404(student_client, path):
    assert student_client.get(path).status_code == 404


@pytest.mark.parametrize("path", [READ, f"{READ}/en", TIMELINE, f"{TIMELINE}/es"])
def test_visitors_are_asked_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _private_bank(app, owner_name: str, published: bool = False) -> tuple[str, int]:
    """A browser-made bank with one source and one fact: (slug, fact id)."""
    with app.app_context():
        owner = db.session.scalar(db.select(User).where(User.name == owner_name))
        bank = authoring.create_bank(
            owner,
            slug="lesson",
            titles={"en": "Lesson"},
            descriptions={"en": ""},
            languages=["en"],
            subject="history",
            licence="CC0",
        )
        source = authoring.add_source(
            owner,
            bank,
            title="Text",
            language="en",
            text=LESSON,
            origin="o",
            licence="l",
            attribution="a",
        )
        passage = source.passages[0]
        fact = authoring.save_fact(
            owner,
            bank,
            {
                "passage_id": passage.id,
                "evidence": "Romania joined the Axis on 23 November 1940",
                "statement": "Romania joined the Axis on 23 November 1940.",
                "answer": "23 November 1940",
                "kind": "date",
                "stems": "On what date did Romania join the Axis?",
                "topic": "axis-entry-date",
                "label": "Romania joins the Axis",
                "event": "y",
            },
        )
        if published:
            sharing.set_published(owner, bank, True)
        db.session.commit()
        return bank.slug, fact.id


def test_learners_see_only_the_banks_they_may_take(app):
    make_user(app, "duena", "teacher")
    make_user(app, "ajena", "teacher")
    make_user(app, "ana")
    slug, fact_id = _private_bank(app, "duena")
    paths = [
        f"/banks/{slug}/read/en",
        f"/banks/{slug}/read/en?fact={fact_id}",
        f"/banks/{slug}/timeline/en",
        f"/banks/{slug}/read",
        f"/banks/{slug}/timeline",
    ]
    owner = log_in(app.test_client(), "duena")
    for path in paths:
        assert owner.get(path).status_code in (200, 302), path
    for name in ("ajena", "ana"):
        other = log_in(app.test_client(), name)
        for path in paths:
            assert other.get(path).status_code == 404, (name, path)
        response = other.post(
            f"/banks/{slug}/read/en/facts/{fact_id}/ask", data={"question_type": "short"}
        )
        assert response.status_code == 404
    # Published: every learner reads it; archived: nobody.
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
        bank.published = True
        db.session.commit()
    learner = log_in(app.test_client(), "ana")
    assert learner.get(f"/banks/{slug}/read/en?fact={fact_id}").status_code == 200
    assert learner.get(f"/banks/{slug}/timeline/en").status_code == 200
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
        bank.archived = True
        db.session.commit()
    assert learner.get(f"/banks/{slug}/read/en").status_code == 404
    assert owner.get(f"/banks/{slug}/timeline/en").status_code == 404


def test_ask_me_this_starts_a_one_question_quiz_in_that_form(app, student_client):
    fact = _fact(app, "coup-1944-date-en")
    response = student_client.post(
        f"{READ}/en/facts/{fact.id}/ask", data={"question_type": "short"}
    )
    assert response.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)/q/1$", response.headers["Location"]).group(1))
    questions = frozen(app, attempt_id)
    assert list(questions) == [1]
    question = questions[1]
    assert question["type"] == "short" and question["fact_id"] == "coup-1944-date-en"
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.settings["mode"] == "ask" and attempt.settings["fact"] == fact.id
        assert attempt.max_score == 1 and attempt.language == "en"
    # Answered like any quiz: feedback with the source, then the results.
    url = f"/attempts/{attempt_id}/q/1"
    assert student_client.post(url, data=right_answer_form(question)).status_code == 302
    feedback = student_client.get(url).get_data(as_text=True)
    assert 'class="verdict right"' in feedback and "<mark>" in feedback
    assert student_client.post(f"/attempts/{attempt_id}/finish").status_code == 302
    review = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "1 / 1" in review
    assert f'href="{READ}/en?fact={fact.id}#fact-panel">the reader</a>' in review


def test_the_question_ask_me_this_starts_sends_no_key(app, student_client):
    for key in ("coup-1944-date-en", "antonescu-rise-person-en"):
        fact = _fact(app, key)
        page = student_client.get(f"{READ}/en?fact={fact.id}").get_data(as_text=True)
        forms = re.findall(r'name="question_type" value="(\w+)"', page)
        assert len(forms) >= 3
        for form in forms:
            response = student_client.post(
                f"{READ}/en/facts/{fact.id}/ask", data={"question_type": form}
            )
            attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
            question = frozen(app, attempt_id)[1]
            shown = student_client.get(f"/attempts/{attempt_id}/q/1")
            sent = re.sub(
                r'(name="shown" type="hidden" value=")[^"]*"', r"\1", shown.get_data(as_text=True)
            )
            sent += str(shown.headers)
            source = question["source"]
            evidence = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
            if form != "tf":  # a true statement may repeat its evidence word for word
                assert str(escape(evidence)) not in sent, form
            assert key not in sent and "Right answer" not in sent
            if form in ("cloze", "short", "numeric"):
                for accepted in question["accepted"]:
                    pattern = rf"\b{re.escape(str(escape(accepted)))}\b"
                    assert not re.search(pattern, sent), (form, accepted)
            if form in ("mcq", "tf"):
                assert "checked" not in sent
                assert f'value="{escape(question["key"])}"' not in sent


@pytest.mark.parametrize("value", ["order", "match", "multi", "", "nonsense", "x" * 300])
def test_ask_me_this_refuses_a_form_the_fact_has_not(app, student_client, value):
    fact = _fact(app, "coup-1944-date-en")
    response = student_client.post(f"{READ}/en/facts/{fact.id}/ask", data={"question_type": value})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


def test_ask_me_this_is_a_post_for_a_fact_of_the_reader(app, student_client):
    fact = _fact(app, "coup-1944-date-en")
    assert student_client.get(f"{READ}/en/facts/{fact.id}/ask").status_code == 405
    spanish = _fact(app, "coup-1944-date-es")
    response = student_client.post(
        f"{READ}/en/facts/{spanish.id}/ask", data={"question_type": "short"}
    )
    assert response.status_code == 404
    response = student_client.post(f"{READ}/en/facts/999999/ask", data={"question_type": "short"})
    assert response.status_code == 404


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_ask_me_this_needs_the_csrf_token(app):
    make_user(app, "ana")
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"name": "ana", "password": "correct horse battery", "csrf_token": token}
    )
    fact = _fact(app, "coup-1944-date-en")
    url = f"{READ}/en/facts/{fact.id}/ask"
    assert client.post(url, data={"question_type": "short"}).status_code == 400
    page = client.get(f"{READ}/en?fact={fact.id}").get_data(as_text=True)
    panel = page.split('id="fact-panel"', 1)[1]
    token = html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', panel)[1])
    response = client.post(url, data={"question_type": "short", "csrf_token": token})
    assert response.status_code == 302 and "/attempts/" in response.headers["Location"]


def test_the_timeline_lists_events_in_time_order_linked_to_passages_and_languages(
    app, student_client
):
    response = student_client.get(f"{TIMELINE}/en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    events, others = page.split("Other dates in these facts", 1)
    anchors = re.findall(r'<li class="timeline-entry" id="([^"]+)"', events)
    assert anchors[:3] == ["iron-guard-1927", "antonescu-rise-1940", "axis-entry-date-1940-11-23"]
    # June 1941 (a month) before 12 June 1941 (a day of it).
    assert anchors.index("barbarossa-invasion-1941-06") < anchors.index(
        "hitler-antonescu-munich-1941-1941-06-12"
    )
    assert '<time datetime="1941-06">June 1941</time>' in events
    # One entry for the armistice's date and event facts, each linked to its passage.
    armistice = events.split('id="armistice-signed-1944-09-12"', 1)[1].split("</li>\n", 3)
    block = "".join(armistice[:3])
    for key in ("armistice-signed-date-en", "armistice-signed-event-en"):
        assert f"{READ}/en?fact={_fact(app, key).id}#fact-panel" in block
    # The same topic in Spanish, linked to its entry there.
    assert f'href="{TIMELINE}/es#axis-entry-date-1940-11-23"' in events
    # Reference dates stand apart.
    assert 'id="soviet-reparations-prices-1938"' in others
    assert 'id="soviet-reparations-prices-1938"' not in events
    spanish = student_client.get(f"{TIMELINE}/es").get_data(as_text=True)
    assert "23 de noviembre de 1940" in spanish
    assert f'href="{TIMELINE}/en#axis-entry-date-1940-11-23"' in spanish


def test_home_offers_the_study_views_to_logged_in_learners(client, student_client):
    page = student_client.get("/").get_data(as_text=True)
    assert f'href="{READ}/en"' in page and f'href="{TIMELINE}/es"' in page
    assert f'href="{READ}/en"' not in client.get("/").get_data(as_text=True)


def test_the_panel_shows_the_learners_memory_of_the_fact_once_answered(app, student_client):
    fact = _fact(app, "coup-1944-date-en")
    response = student_client.post(
        f"{READ}/en/facts/{fact.id}/ask", data={"question_type": "short"}
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    question = frozen(app, attempt_id)[1]
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    page = student_client.get(f"{READ}/en?fact={fact.id}").get_data(as_text=True)
    panel = page.split('id="fact-panel"', 1)[1].split("</aside>", 1)[0]
    assert "You have not answered this fact yet" not in panel
    memory = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", panel.split("Your memory of it", 1)[1]))
    assert "Reviews 1 " in memory
    # Just answered right: recalled now with certainty, due again later.
    assert "Chance you recall it now 100%" in memory
    assert "Last seen" in memory and "Next review due" in memory
    with app.app_context():
        from quizapp.models import FactCard

        card = db.session.scalar(db.select(FactCard).where(FactCard.fact_id == fact.id))
        assert card.reviews == 1 and card.last_type == "short"
    # Another learner's memory is their own.
    make_user(app, "bea")
    other = log_in(app.test_client(), "bea").get(f"{READ}/en?fact={fact.id}")
    assert "You have not answered this fact yet" in other.get_data(as_text=True)


def test_memory_of_a_fact_fades_with_time_and_says_when_it_is_due(app, student):
    import datetime as dt

    from quizapp.services import memory, study

    fact = _fact(app, "coup-1944-date-en")
    with app.app_context():
        user = db.session.get(User, student)
        assert study.memory_of(user, fact.id) is None
        answered = dt.datetime(2026, 1, 10, 12, 0)
        memory.record_answer(user.id, fact.id, "short", True, 20.0, answered)
        db.session.commit()
        now = study.memory_of(user, fact.id, now=answered)
        later = study.memory_of(user, fact.id, now=answered + dt.timedelta(days=30))
        assert now.reviews == 1 and now.lapses == 0 and now.last_seen == answered
        assert now.retrievability == pytest.approx(1.0)
        assert 0 < later.retrievability < now.retrievability
        assert later.due > answered


@pytest.mark.settings(WTF_CSRF_ENABLED=True, RATELIMIT_START="100000 per minute")
def test_ask_me_this_takes_nasty_values_without_a_server_error(app):
    from tests.test_fuzz_forms import NASTY

    make_user(app, "ana")
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"name": "ana", "password": "correct horse battery", "csrf_token": token}
    )
    fact = _fact(app, "coup-1944-date-en")
    page = client.get(f"{READ}/en?fact={fact.id}").get_data(as_text=True)
    token = html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1])
    url = f"{READ}/en/facts/{fact.id}/ask"
    for value in NASTY:
        response = client.post(url, data={"question_type": value, "csrf_token": token})
        assert response.status_code in (400, 413), (value[:40], response.status_code)
        response = client.get(f"{READ}/en", query_string={"fact": value})
        assert response.status_code in (200, 400, 404), (value[:40], response.status_code)
    response = client.post(
        url, data="{}", content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0

"""View tests: the whole learner flow, feedback with sources, integrity rules, history."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from tests.conftest import log_in, make_user
from tests.quiz_helpers import (
    ALL_TYPES,
    attempt,
    frozen,
    responses,
    right_answer_form,
    start,
    wrong_answer_form,
)


def test_home_lists_the_bank_with_languages_and_fact_count(client):
    page = client.get("/").get_data(as_text=True)
    assert "Romania in the Second World War" in page
    assert re.search(r"\d+ facts", page)
    assert re.search(r"English: \d+ facts", page) and re.search(r"Spanish: \d+ facts", page)
    assert "Log in" in page


def test_starting_needs_a_login(client):
    response = client.post("/banks/romania-ww2/start", data={})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_whole_quiz_of_every_type_with_feedback_review_and_history(app, student_client, language):
    attempt_id = start(student_client, language=language, count=7)
    questions = frozen(app, attempt_id)
    assert sorted(q["type"] for q in questions.values()) == sorted(ALL_TYPES)
    for position, question in questions.items():
        url = f"/attempts/{attempt_id}/q/{position}"
        page = student_client.get(url).get_data(as_text=True)
        assert f"Question {position} of 7" in page
        assert str(escape(question["stem"])) in page
        response = student_client.post(url, data=right_answer_form(question))
        assert response.status_code == 302 and response.headers["Location"].endswith(url)
        feedback = student_client.get(url).get_data(as_text=True)
        assert 'class="verdict right"' in feedback
        source = question["source"]
        document, anchor = source["passage_id"].split("#")
        # The link carries the question, for the document page to mark its evidence.
        query = rf"\?attempt={attempt_id}&amp;q={position}(&amp;part=\d+)?"
        link = rf'href="/sources/{document}{query}#{anchor}"'
        assert re.search(link, feedback), link
        evidence = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
        if "▇▇▇▇" not in feedback:  # else a later answer is hidden in it (see test_views_masking)
            assert f"<mark>{escape(evidence)}</mark>" in feedback
        assert "<mark>" in feedback
        assert str(escape(source["attribution"])) in feedback
    finish = student_client.post(f"/attempts/{attempt_id}/finish")
    assert finish.status_code == 302
    review = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "7 / 7" in review and "100%" in review and "Time taken" in review
    assert review.count("<mark>") >= 7
    for question in questions.values():  # the review shows every passage in full
        source = question["source"]
        evidence = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
        assert f"<mark>{escape(evidence)}</mark>" in review
    stored = attempt(app, attempt_id)
    assert stored.finished_at is not None and stored.score == 7 and stored.max_score == 7
    history = student_client.get("/history").get_data(as_text=True)
    assert f"/attempts/{attempt_id}" in history and "<svg" in history and "100%" in history


def test_source_link_opens_the_whole_document_at_the_passage(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    question = frozen(app, attempt_id)[1]
    document, anchor = question["source"]["passage_id"].split("#")
    page = student_client.get(f"/sources/{document}").get_data(as_text=True)
    assert f'id="{anchor}"' in page
    assert str(escape(question["source"]["document_title"])) in page
    first_line = question["source"]["passage_text"].split("\n")[0]
    assert str(escape(first_line)) in page


def test_wrong_answers_are_said_in_words_with_the_right_answer(app, student_client):
    attempt_id = start(student_client, count=7)
    for position, question in frozen(app, attempt_id).items():
        url = f"/attempts/{attempt_id}/q/{position}"
        student_client.post(url, data=wrong_answer_form(question))
        page = student_client.get(url).get_data(as_text=True)
        assert 'class="verdict wrong"' in page or "Partly right" in page, question["type"]
        assert "Right answer" in page
    stored = responses(app, attempt_id)
    assert len(stored) == 7 and not any(r.correct for r in stored.values())


def test_the_key_is_never_sent_before_the_answer(app, student_client):
    for _seed_round in range(3):
        attempt_id = start(student_client, count=7)
        for position, question in frozen(app, attempt_id).items():
            response = student_client.get(f"/attempts/{attempt_id}/q/{position}")
            page = response.get_data(as_text=True)
            # The signed "shown" token carries the item's id and a time, never the answer:
            # left out so that an item id equal to a numeric key ("15") is no false alarm.
            page = re.sub(r'(name="shown" type="hidden" value=")[^"]*"', r'\1"', page)
            sent = (
                page
                + str(response.headers)
                + str([c.value for c in student_client._cookies.values()])
            )
            source = question["source"]
            evidence = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
            if question["type"] != "tf":  # a true statement may repeat its evidence word for word
                assert str(escape(evidence)) not in sent
            assert question["fact_id"] not in sent
            assert "Right answer" not in page
            if question["type"] in ("cloze", "short", "numeric"):
                for form in question["accepted"]:
                    assert not re.search(rf"\b{re.escape(str(escape(form)))}\b", sent), form
            if question["type"] in ("mcq", "tf"):
                # Options are sent by index, none marked, none checked.
                assert "checked" not in page
                assert f'value="{escape(question["key"])}"' not in page
            if question["type"] == "order":
                shown = re.findall(r'<option value="\d+">([^<]*)</option>', page)
                first_select = shown[: len(question["key"])]
                assert first_select != [str(escape(k)) for k in question["key"]]
            if question["type"] in ("order", "match"):
                assert "selected" not in page
            student_client.post(
                f"/attempts/{attempt_id}/q/{position}", data=right_answer_form(question)
            )


def test_the_first_answer_stands_against_double_submits(app, student_client):
    attempt_id = start(student_client, count=5, types=["mcq"])
    question = frozen(app, attempt_id)[1]
    url = f"/attempts/{attempt_id}/q/1"
    first = student_client.post(url, data=wrong_answer_form(question))
    second = student_client.post(url, data=right_answer_form(question))
    assert first.status_code == second.status_code == 302
    stored = responses(app, attempt_id)
    assert len(stored) == 1 and not stored[1].correct
    page = student_client.get(url).get_data(as_text=True)
    assert "your first answer is kept" in page and 'class="verdict wrong"' in page


def test_questions_outside_the_attempt_and_other_learners_attempts_are_404(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    assert student_client.get(f"/attempts/{attempt_id}/q/99").status_code == 404
    assert (
        student_client.post(f"/attempts/{attempt_id}/q/99", data={"answer": "x"}).status_code == 404
    )
    assert student_client.get("/attempts/9999").status_code == 404
    make_user(app, "boris")
    other = log_in(app.test_client(), "boris")
    for url in (f"/attempts/{attempt_id}", f"/attempts/{attempt_id}/q/1"):
        assert other.get(url).status_code == 404
    assert other.post(f"/attempts/{attempt_id}/q/1", data={"answer": "x"}).status_code == 404
    assert other.post(f"/attempts/{attempt_id}/finish").status_code == 404
    assert not responses(app, attempt_id)


def test_a_finished_attempt_cannot_change(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    questions = frozen(app, attempt_id)
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(questions[1]))
    student_client.post(f"/attempts/{attempt_id}/finish")
    finished = attempt(app, attempt_id)
    response = student_client.post(
        f"/attempts/{attempt_id}/q/2", data=right_answer_form(questions[2])
    )
    assert response.status_code == 302
    assert set(responses(app, attempt_id)) == {1}
    student_client.post(f"/attempts/{attempt_id}/finish")
    again = attempt(app, attempt_id)
    assert again.finished_at == finished.finished_at and again.score == finished.score == 1
    page = student_client.get(f"/attempts/{attempt_id}/q/2", follow_redirects=True)
    assert "Not answered" in page.get_data(as_text=True)


def test_an_unfinished_attempt_is_offered_for_resuming(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    questions = frozen(app, attempt_id)
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(questions[1]))
    home = student_client.get("/").get_data(as_text=True)
    assert f"/attempts/{attempt_id}" in home and "Pick up where you left off" in home
    resume = student_client.get(f"/attempts/{attempt_id}")
    assert resume.status_code == 302 and resume.headers["Location"].endswith("/q/2")


def test_invalid_start_forms_rerender_with_messages(app, student_client):
    start(student_client, count=4, expect=400)
    page = student_client.post(
        "/banks/romania-ww2/start", data={"b1-language": "en", "b1-count": "10"}
    ).get_data(as_text=True)
    assert "Choose at least one question type." in page
    assert student_client.post("/banks/nope/start", data={}).status_code == 404


def test_an_empty_answer_rerenders_the_question_with_a_message(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    response = student_client.post(f"/attempts/{attempt_id}/q/1", data={"answer": "  "})
    assert response.status_code == 400
    assert "Type an answer." in response.get_data(as_text=True)
    assert not responses(app, attempt_id)


def test_a_question_set_is_frozen_against_later_bank_edits(app, student_client, bank):
    from dataclasses import replace

    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    attempt_id = start(student_client, count=5, types=["mcq"])
    before = frozen(app, attempt_id)
    edited = replace(bank, facts=[replace(f, stems=("Edited?",)) for f in bank.facts])
    with app.app_context():
        store_bank(edited, "edited")
        db.session.commit()
    page = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert str(escape(before[1]["stem"])) in page
    assert frozen(app, attempt_id) == before


def test_unknown_pages_are_404_pages(client):
    response = client.get("/sources/no-such-document")
    assert response.status_code == 404 and "There is no such page here." in response.get_data(
        as_text=True
    )


def test_sources_list_documents_with_attribution(client):
    page = client.get("/sources").get_data(as_text=True)
    assert page.count('href="/sources/') >= 4
    assert "U.S. Library of Congress" in page and "CC BY-SA" in page


@pytest.mark.settings(PROPAGATE_EXCEPTIONS=False)
def test_an_error_shows_a_page_without_a_traceback(app, client):
    def explode():
        raise RuntimeError("internal detail that must not leak")

    app.add_url_rule("/explode", view_func=explode)
    response = client.get("/explode")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong" in body
    assert "Traceback" not in body and "internal detail" not in body


def test_text_from_the_bank_is_escaped(app, student_client, bank):
    from dataclasses import replace

    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    hostile = replace(
        bank,
        facts=[replace(f, stems=("<script>alert(1)</script> " + f.stems[0],)) for f in bank.facts],
    )
    with app.app_context():
        store_bank(hostile, "hostile")
        db.session.commit()
    attempt_id = start(student_client, count=5, types=["short"])
    page = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page


def test_the_start_form_offers_the_interface_language_first(student_client):
    page = student_client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<option selected value="es">' in page
    page = student_client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<option selected value="en">' in page


def test_matching_feedback_shows_each_items_own_passage(app, student_client):
    """Issue 8: a set of facts from several passages shows every item's passage and evidence."""
    attempt_id = start(student_client, language="en", count=5, types=["match"], accept=True)
    question = frozen(app, attempt_id)[1]
    assert question["type"] == "match"
    url = f"/attempts/{attempt_id}/q/1"
    student_client.post(url, data=right_answer_form(question))
    feedback = student_client.get(url).get_data(as_text=True)
    student_client.post(f"/attempts/{attempt_id}/finish")
    review = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    for page in (feedback, review):
        for entry in question["items"]:
            source = entry["source"]
            evidence = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
            section = page.split(f'id="source-1-{entry["fact_id"]}"', 1)[1].split("</section>")[0]
            if page is review or "▇▇▇▇" not in section:  # feedback may hide later answers
                assert f"<mark>{escape(evidence)}</mark>" in section
            assert str(escape(entry["label"])) in section
            document, anchor = source["passage_id"].split("#")
            part = question["items"].index(entry)
            link = f"/sources/{document}?attempt={attempt_id}&amp;q=1&amp;part={part}#{anchor}"
            assert f'href="{link}"' in section
            assert f'href="#source-1-{entry["fact_id"]}"' in page

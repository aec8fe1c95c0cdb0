"""Results, practising what was missed, and discarding unfinished attempts: services and views."""

from __future__ import annotations

import re
from html import unescape

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Response, User
from quizapp.models import Bank as StoredBank
from quizapp.services import attempts
from quizapp.services.permissions import NotFound
from tests.conftest import csrf_token, log_in, make_class, make_user
from tests.quiz_helpers import (
    ALL_TYPES,
    frozen,
    right_answer_form,
    start,
    written_bank,
    wrong_answer_form,
)


def _finish(app, client, attempt_id: int, right: set[int]) -> dict[int, dict]:
    """Answer the positions in `right` rightly and the others wrongly, then finish."""
    questions = frozen(app, attempt_id)
    for position, question in questions.items():
        form = right_answer_form(question) if position in right else wrong_answer_form(question)
        client.post(f"/attempts/{attempt_id}/q/{position}", data=form)
    client.post(f"/attempts/{attempt_id}/finish")
    return questions


def _expected_missed(questions: dict[int, dict], right: set[int]) -> set[str]:
    """The facts the helpers' wrong answers miss: every one of a wrong single question; for a
    reversed ordering all but the middle item (odd sizes keep it in place); for a shifted
    matching every pair."""
    missed: set[str] = set()
    for position, question in questions.items():
        if position in right:
            continue
        if question["type"] == "order":
            items = question["items"]
            middle = len(items) // 2 if len(items) % 2 else None
            missed |= {item["fact_id"] for i, item in enumerate(items) if i != middle}
        elif question["type"] == "match":
            missed |= {item["fact_id"] for item in question["items"]}
        else:
            missed.add(question["fact_id"])
    return missed


def _asked_facts(app, attempt_id: int) -> list[str]:
    asked = []
    for question in frozen(app, attempt_id).values():
        if question["type"] in ("order", "match"):
            asked += [item["fact_id"] for item in question["items"]]
        else:
            asked.append(question["fact_id"])
    return asked


def _user(app, name: str) -> User:
    return db.session.scalar(db.select(User).where(User.name == name))


def test_practice_asks_exactly_the_missed_facts_in_other_forms(app, student_client):
    attempt_id = start(student_client, count=7, types=ALL_TYPES)
    right = {1, 2}
    questions = _finish(app, student_client, attempt_id, right)
    expected = _expected_missed(questions, right)
    with app.app_context():
        practice = attempts.practise_missed(_user(app, "ana"), attempt_id, seed=3)
        db.session.commit()
        practice_id = practice.id
        assert practice.settings["practice_of"] == attempt_id
        assert practice.finished_at is None and practice.max_score == len(practice.items)
    asked = _asked_facts(app, practice_id)
    assert set(asked) == expected
    practised = frozen(app, practice_id).values()
    before = {q["fact_id"]: q["type"] for q in questions.values()}
    changed = [q for q in practised if q["fact_id"] in before and q["type"] != before[q["fact_id"]]]
    assert changed, "the missed facts come back in other forms"


def test_nothing_to_practise_when_everything_was_right(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    _finish(app, student_client, attempt_id, right={1, 2, 3, 4, 5})
    with app.app_context(), pytest.raises(attempts.NothingMissed):
        attempts.practise_missed(_user(app, "ana"), attempt_id)


def test_practice_only_for_the_owner_of_a_finished_attempt(app, student_client):
    open_id = start(student_client, count=5, types=["short"])
    make_user(app, "boris")
    with app.app_context():
        with pytest.raises(attempts.QuizError):
            attempts.practise_missed(_user(app, "ana"), open_id)
        with pytest.raises(NotFound):
            attempts.practise_missed(_user(app, "boris"), open_id)


def test_hand_written_questions_are_asked_again(app, student_client):
    from quizapp.services.banks import store_bank

    with app.app_context():
        store_bank(written_bank("written"), "w")
        db.session.commit()
        bank_id = db.session.scalar(db.select(StoredBank.id).where(StoredBank.slug == "written"))
    response = student_client.post(
        "/banks/written/start",
        data={
            f"b{bank_id}-language": "en",
            f"b{bank_id}-count": "5",
            f"b{bank_id}-types_en": "mcq",
        },
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    questions = _finish(app, student_client, attempt_id, right={1, 2})
    page = student_client.post(f"/attempts/{attempt_id}/practise")
    practice_id = int(re.search(r"/attempts/(\d+)/q/1$", page.headers["Location"]).group(1))
    again = frozen(app, practice_id)
    assert sorted(q["fact_id"] for q in again.values()) == sorted(
        questions[p]["fact_id"] for p in (3, 4, 5)
    )
    assert {q["stem"] for q in again.values()} == {questions[p]["stem"] for p in (3, 4, 5)}


def test_the_results_page_summarises_before_the_review(app, student_client):
    attempt_id = start(student_client, count=7, types=ALL_TYPES)
    _finish(app, student_client, attempt_id, right={1, 2, 3})
    page = unescape(student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    summary, review = page.split("<h2>Each question</h2>", 1)
    # Three right; a reversed ordering of an odd length keeps its middle item: part credit.
    assert re.search(r"\b3(?:[.,]\d+)? / 7\b", summary) and "Time taken" in summary
    assert summary.count('class="cell ') == 7 and "Right: 3" in summary
    assert '<span class="visually-hidden">Wrong</span>' in summary  # words, not colour alone
    for words in ("Multiple choice", "True or false", "Chronological order", "Matching"):
        assert words in summary
    assert "By topic" in summary and "Practise what I missed" in summary
    assert review.count('class="reviewed ') == 7 and 'id="q-1"' in review


def test_practise_view_is_post_redirect_get_and_says_when_nothing_was_missed(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    _finish(app, student_client, attempt_id, right={1, 2, 3, 4, 5})
    page = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "there is nothing to practise" in page and "Practise what I missed" not in page
    assert student_client.get(f"/attempts/{attempt_id}/practise").status_code == 405
    response = student_client.post(f"/attempts/{attempt_id}/practise")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/attempts/{attempt_id}"
    )
    followed = student_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You answered every question right" in followed


def test_others_cannot_practise_or_discard_a_learners_attempt(app, student_client, teacher_client):
    attempt_id = start(student_client, count=5, types=["short"])
    make_user(app, "boris")
    boris = log_in(app.test_client(), "boris")
    assert boris.post(f"/attempts/{attempt_id}/discard").status_code == 404
    assert teacher_client.post(f"/attempts/{attempt_id}/discard").status_code == 404
    _finish(app, student_client, attempt_id, right=set())
    assert boris.post(f"/attempts/{attempt_id}/practise").status_code == 404
    assert teacher_client.post(f"/attempts/{attempt_id}/practise").status_code == 404
    # A teacher of the learner's class reading the results sees no learner's buttons.
    make_class(app, "profesora", "ana")
    response = teacher_client.get(f"/attempts/{attempt_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Learner: ana" in page
    assert "Practise what I missed" not in page and "same settings" not in page


def test_new_quiz_with_the_same_settings_starts_one(app, student_client):
    attempt_id = start(student_client, language="es", count=6, types=["mcq", "tf"])
    _finish(app, student_client, attempt_id, right={1})
    page = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    form = page.split('action="/banks/romania-ww2/start"', 1)[1].split("</form>", 1)[0]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(unescape(value))
    assert fields["b1-language"] == ["es"] and fields["b1-count"] == ["6"]
    assert sorted(fields["b1-types_es"]) == ["mcq", "tf"]
    response = student_client.post("/banks/romania-ww2/start", data=fields)
    assert response.status_code == 302 and "/q/1" in response.headers["Location"]
    new_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    with app.app_context():
        new = db.session.get(Attempt, new_id)
        assert new.language == "es" and new.settings["count"] == 6
        assert sorted(new.settings["types"]) == ["mcq", "tf"]


def test_home_shows_progress_and_discards_only_own_open_attempts(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    question = frozen(app, attempt_id)[1]
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    home = student_client.get("/").get_data(as_text=True)
    assert ("1 of 5 answered" in home and "seconds ago" in home) or "second ago" in home
    assert f'action="/attempts/{attempt_id}/discard"' in home
    assert student_client.get(f"/attempts/{attempt_id}/discard").status_code == 405
    response = student_client.post(f"/attempts/{attempt_id}/discard")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id) is None
        items = db.select(db.func.count(AttemptItem.id)).where(AttemptItem.attempt_id == attempt_id)
        assert db.session.scalar(items) == 0
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 0
    home = student_client.get("/").get_data(as_text=True)
    assert "The unfinished attempt was discarded." in home and "Pick up where" not in home


def test_a_finished_attempt_cannot_be_discarded(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    _finish(app, student_client, attempt_id, right={1})
    response = student_client.post(f"/attempts/{attempt_id}/discard", follow_redirects=True)
    assert "cannot be discarded" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id) is not None


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_practise_and_discard_need_the_csrf_token(app, student):
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"name": "ana", "password": "correct horse battery",
                                "csrf_token": csrf_token(login)})  # fmt: skip
    home = client.get("/").get_data(as_text=True)
    token = csrf_token(home)
    response = client.post(
        "/banks/romania-ww2/start",
        data={"b1-language": "en", "b1-count": "5", "b1-types_en": "short", "csrf_token": token},
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    assert client.post(f"/attempts/{attempt_id}/discard").status_code == 400
    assert client.post(f"/attempts/{attempt_id}/practise").status_code == 400
    home = client.get("/").get_data(as_text=True)
    assert 'id="csrf_token"' not in home.split("open-attempts", 1)[1].split("</ul>", 1)[0]
    discarded = client.post(f"/attempts/{attempt_id}/discard", data={"csrf_token": token})
    assert discarded.status_code == 302
    with app.app_context():
        assert db.session.get(Attempt, attempt_id) is None


def test_bank_cards_count_hand_written_questions_too(app, client):
    from quizapp.services.banks import store_bank

    with app.app_context():
        store_bank(written_bank("written", 3), "w")
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "English: 3 hand-written questions" in page
    assert re.search(r"English: \d+ facts</li>", page)

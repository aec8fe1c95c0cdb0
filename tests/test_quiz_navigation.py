"""Issue 10, taking a quiz: flags for review, the grid of questions, the step before finishing,
keyboard hints, and the source page opened from feedback (services and views)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from markupsafe import escape

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, User
from quizapp.services import attempts
from tests.conftest import PASSWORD, csrf_token, log_in, make_class, make_user
from tests.quiz_helpers import attempt, frozen, right_answer_form, start


def _user(name: str) -> User:
    user = db.session.scalar(db.select(User).where(User.name == name))
    assert user is not None
    return user


def _flags(app, attempt_id: int) -> dict[int, bool]:
    with app.app_context():
        items = db.session.scalars(
            db.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
        )
        return {item.position: item.flagged for item in items}


# --- services -------------------------------------------------------------------------------


def test_a_flag_is_set_and_removed_and_setting_it_twice_changes_nothing(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    with app.app_context():
        ana = _user("ana")
        assert attempts.set_flag(ana, attempt_id, 2, True) is True
        db.session.commit()
        attempts.set_flag(ana, attempt_id, 2, True)
        attempts.set_flag(ana, attempt_id, 4, True)
        db.session.commit()
        assert attempts.attempt_map(ana, attempt_id).flagged == [2, 4]
        attempts.set_flag(ana, attempt_id, 4, False)
        db.session.commit()
    assert _flags(app, attempt_id) == {1: False, 2: True, 3: False, 4: False, 5: False}


def test_only_the_learner_flags_and_only_while_the_attempt_is_open(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    make_user(app, "bea")
    make_user(app, "profe", role="teacher")
    with app.app_context():
        for name in ("bea", "profe"):
            with pytest.raises(LookupError):
                attempts.set_flag(_user(name), attempt_id, 1, True)
        with pytest.raises(LookupError):
            attempts.set_flag(_user("ana"), attempt_id, 6, True)  # no question 6
        stored = db.session.get(Attempt, attempt_id)
        stored.deadline = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
        db.session.commit()
        with pytest.raises(attempts.QuizError, match="Time is up"):
            attempts.set_flag(_user("ana"), attempt_id, 1, True)
        stored = db.session.get(Attempt, attempt_id)
        stored.deadline = None
        db.session.commit()
        attempts.finish_attempt(_user("ana"), attempt_id)
        db.session.commit()
        with pytest.raises(attempts.QuizError, match="finished"):
            attempts.set_flag(_user("ana"), attempt_id, 1, True)
    assert not any(_flags(app, attempt_id).values())


def test_the_map_says_what_is_answered_unanswered_and_flagged(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    questions = frozen(app, attempt_id)
    for position in (1, 3):
        student_client.post(
            f"/attempts/{attempt_id}/q/{position}", data=right_answer_form(questions[position])
        )
    make_user(app, "bea")
    with app.app_context():
        ana = _user("ana")
        attempts.set_flag(ana, attempt_id, 3, True)
        attempts.set_flag(ana, attempt_id, 5, True)
        db.session.commit()
        nav = attempts.attempt_map(ana, attempt_id)
        assert (nav.total, nav.answered) == (5, 2)
        assert nav.unanswered == [2, 4, 5] and nav.flagged == [3, 5]
        assert nav.next_unanswered == 2 and nav.attempt.finished_at is None
        assert [cell.answered for cell in nav.cells] == [True, False, True, False, False]
        assert attempts.attempt_map(_user("bea"), attempt_id) is None
        assert attempts.attempt_map(ana, attempt_id + 100) is None


def test_linked_evidence_is_the_frozen_source_for_readers_of_the_attempt(app, student_client):
    attempt_id = start(student_client, language="en", count=5, types=["match"], accept=True)
    questions = frozen(app, attempt_id)
    question = questions[1]
    make_user(app, "bea")
    make_user(app, "profe", role="teacher")
    make_user(app, "otra", role="teacher")
    make_class(app, "profe", "ana")
    make_class(app, "otra", "bea")
    with app.app_context():
        # Before the question is answered its marked evidence would be its answer: none.
        assert attempts.linked_evidence(_user("ana"), attempt_id, 1, 1) is None
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    with app.app_context():
        assert attempts.linked_evidence(_user("ana"), attempt_id, 2, 0) is None
        own = attempts.linked_evidence(_user("ana"), attempt_id, 1, 1)
        assert own.own and own.source == question["items"][1]["source"]
        read = attempts.linked_evidence(_user("profe"), attempt_id, 1, 0)
        assert not read.own and read.source == question["items"][0]["source"]
        assert attempts.linked_evidence(_user("bea"), attempt_id, 1, 0) is None
        # A teacher of another class (not ana's) reads nothing of it.
        assert attempts.linked_evidence(_user("otra"), attempt_id, 1, 0) is None
        assert attempts.linked_evidence(_user("ana"), attempt_id, 1, 99) is None
        assert attempts.linked_evidence(_user("ana"), attempt_id, 9, 0) is None


# --- views ----------------------------------------------------------------------------------


def _cell(page: str, position: int) -> str:
    match = re.search(rf'<a [^>]*class="cell[^"]*"[^>]*data-position="{position}"[^>]*>', page)
    assert match, position
    return match.group(0)


def test_the_question_page_shows_the_grid_and_keeps_finish_away_from_submit(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    questions = frozen(app, attempt_id)
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(questions[1]))
    page = student_client.get(f"/attempts/{attempt_id}/q/2").get_data(as_text=True)
    assert "Questions in this quiz" in page
    assert 'class="cell answered"' in _cell(page, 1)
    assert 'aria-current="page"' in _cell(page, 2) and 'class="cell open"' in _cell(page, 2)
    assert "aria-current" not in _cell(page, 3)
    for position in range(1, 6):
        assert f'href="/attempts/{attempt_id}/q/{position}"' in page
    # Every state in words, not only by its look.
    assert 'aria-label="Question 1, answered"' in _cell(page, 1)
    assert 'aria-label="Question 2, not answered"' in _cell(page, 2)
    assert "1 of 5 answered" in page
    # No form finishes the attempt from the question page: a link leads to a confirmation.
    assert f'action="/attempts/{attempt_id}/finish"' not in page
    assert f'href="/attempts/{attempt_id}/finish?from=2"' in page
    assert page.index("Submit answer") < page.index("Questions in this quiz")
    assert page.index("Questions in this quiz") < page.index("Finish the quiz now")
    assert 'id="csrf_token"' not in page  # no duplicate ids for the page's two tokens


def test_flagging_without_javascript_is_a_post_then_a_redirect(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    url = f"/attempts/{attempt_id}/q/3/flag"
    response = student_client.post(url, data={"flagged": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/q/3")
    page = student_client.get(f"/attempts/{attempt_id}/q/3").get_data(as_text=True)
    assert "Question 3 is flagged for review." in page
    assert 'aria-pressed="true"' in page and 'name="flagged" type="hidden" value="0"' in page
    assert "flagged" in _cell(page, 3).split('class="', 1)[1].split('"', 1)[0]
    assert 'aria-label="Question 3, not answered, flagged for review"' in _cell(page, 3)
    other = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert 'aria-pressed="false"' in other and "cell open flagged" in _cell(other, 3)
    student_client.post(url, data={"flagged": "0"})
    assert _flags(app, attempt_id)[3] is False


def test_flagging_from_the_script_answers_json(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    response = student_client.post(
        f"/attempts/{attempt_id}/q/2/flag",
        data={"flagged": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "flagged": True,
        "position": 2,
        "message": "Question 2 is flagged for review.",
    }
    assert _flags(app, attempt_id)[2] is True


def test_flag_requests_that_are_refused(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    base = f"/attempts/{attempt_id}/q"
    assert student_client.post(f"{base}/1/flag", data={"flagged": "yes"}).status_code == 400
    assert student_client.post(f"{base}/1/flag", data={}).status_code == 400
    assert student_client.post(f"{base}/9/flag", data={"flagged": "1"}).status_code == 404
    assert student_client.get(f"{base}/1/flag").status_code == 405
    make_user(app, "bea")
    bea = log_in(app.test_client(), "bea")
    assert bea.post(f"{base}/1/flag", data={"flagged": "1"}).status_code == 404
    student_client.post(f"/attempts/{attempt_id}/finish")
    finished = student_client.post(f"{base}/1/flag", data={"flagged": "1"})
    assert finished.status_code == 302
    json = student_client.post(
        f"{base}/1/flag", data={"flagged": "1"}, headers={"Accept": "application/json"}
    )
    assert json.status_code == 409 and "finished" in json.get_json()["error"]
    assert not any(_flags(app, attempt_id).values())


def test_flagging_after_the_deadline_closes_the_attempt(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    with app.app_context():
        stored = db.session.get(Attempt, attempt_id)
        stored.deadline = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
        db.session.commit()
    response = student_client.post(f"/attempts/{attempt_id}/q/1/flag", data={"flagged": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}")
    assert attempt(app, attempt_id).finished_at is not None


def test_finishing_early_asks_first_and_says_what_is_left(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    questions = frozen(app, attempt_id)
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(questions[1]))
    student_client.post(f"/attempts/{attempt_id}/q/4/flag", data={"flagged": "1"})
    response = student_client.get(f"/attempts/{attempt_id}/finish?from=4")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Finish the quiz?" in page
    assert "You have answered 1 of 5 questions." in page
    assert "4 questions are not answered: they will score 0." in page
    assert "You flagged 1 question for review:" in page
    assert f'href="/attempts/{attempt_id}/q/4">Back to question 4</a>' in page
    assert f'action="/attempts/{attempt_id}/finish"' in page
    assert attempt(app, attempt_id).finished_at is None  # asking finishes nothing
    # A position outside the attempt leads back to the first unanswered question.
    other = student_client.get(f"/attempts/{attempt_id}/finish?from=77").get_data(as_text=True)
    assert "Back to question 2" in other
    student_client.post(f"/attempts/{attempt_id}/finish")
    assert attempt(app, attempt_id).finished_at is not None
    again = student_client.get(f"/attempts/{attempt_id}/finish")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/{attempt_id}")


def test_the_finish_page_is_the_learners_own(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    make_user(app, "profe", role="teacher")
    make_class(app, "profe", "ana")
    teacher = log_in(app.test_client(), "profe")
    assert teacher.get(f"/attempts/{attempt_id}/finish").status_code == 404
    assert teacher.post(f"/attempts/{attempt_id}/finish").status_code == 404
    assert student_client.get("/attempts/999/finish").status_code == 404
    assert app.test_client().get(f"/attempts/{attempt_id}/finish").status_code == 302  # login


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_flagging_and_finishing_need_the_csrf_token(app):
    make_user(app, "ana")
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token})
    home = client.get("/").get_data(as_text=True)
    data = {
        "b1-language": "en",
        "b1-count": "5",
        "b1-types_en": ["short"],
        "csrf_token": csrf_token(home),
    }
    response = client.post("/banks/romania-ww2/start", data=data)
    attempt_id = int(re.search(r"/attempts/(\d+)/q/1", response.headers["Location"]).group(1))
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    token = csrf_token(page)
    url = f"/attempts/{attempt_id}/q/1/flag"
    assert client.post(url, data={"flagged": "1"}).status_code == 400
    assert client.post(url, data={"flagged": "1", "csrf_token": token}).status_code == 302
    assert _flags(app, attempt_id)[1] is True
    finish = client.get(f"/attempts/{attempt_id}/finish").get_data(as_text=True)
    assert client.post(f"/attempts/{attempt_id}/finish").status_code == 400
    assert attempt(app, attempt_id).finished_at is None
    done = client.post(f"/attempts/{attempt_id}/finish", data={"csrf_token": csrf_token(finish)})
    assert done.status_code == 302 and attempt(app, attempt_id).finished_at is not None


def test_next_question_comes_right_after_the_verdict(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    questions = frozen(app, attempt_id)
    url = f"/attempts/{attempt_id}/q/1"
    student_client.post(url, data=right_answer_form(questions[1]))
    page = student_client.get(url).get_data(as_text=True)
    verdict, link = page.index('class="verdict'), page.index(">Next question<")
    assert verdict < link < page.index('<figure class="source"')
    assert page.count(">Next question<") == 1
    # Nothing focusable between the verdict and the link.
    between = page[verdict:link]
    assert "<a " not in between.split('class="next"')[0] and "<button" not in between


def _change_question(app, attempt_id: int, position: int, **changes) -> None:
    with app.app_context():
        item = db.session.scalar(
            db.select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        item.question = dict(item.question, **changes)
        db.session.commit()


def test_hints_for_choose_n_tolerance_and_keys(app, student_client):
    attempt_id = start(student_client, count=5, types=["mcq"])
    options = frozen(app, attempt_id)[1]["options"]
    page = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "Choose one answer" in page and "quiz-keys.js" in page
    assert '<kbd class="key" aria-hidden="true" hidden>1</kbd>' in page
    # Multiple answers (hand-written questions): the legend says how many are right.
    weights = {option: -0.5 for option in options} | {options[0]: 0.5, options[2]: 0.5}
    _change_question(
        app, attempt_id, 1, type="multi", key=[options[0], options[2]], weights=weights
    )
    page = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "Choose 2 answers" in page and 'type="checkbox"' in page
    assert '<kbd class="key" aria-hidden="true" hidden>4</kbd>' in page
    numeric = start(student_client, count=5, types=["numeric"], accept=True)
    _change_question(app, numeric, 1, tolerance=2.5)
    page = student_client.get(f"/attempts/{numeric}/q/1").get_data(as_text=True)
    assert "Answers within ± 2.5 count as right." in page
    assert 'aria-describedby="answer-tolerance"' in page
    student_client.post("/language", data={"language": "es", "next": "/"})
    page = student_client.get(f"/attempts/{numeric}/q/1").get_data(as_text=True)
    assert "± 2,5" in page


def test_the_source_page_from_feedback_marks_the_evidence_and_leads_back(app, student_client):
    attempt_id = start(student_client, count=5, types=["short"])
    question = frozen(app, attempt_id)[1]
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    source = question["source"]
    document, anchor = source["passage_id"].split("#")
    evidence = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
    url = f"/sources/{document}?attempt={attempt_id}&q=1"
    page = student_client.get(url).get_data(as_text=True)
    assert f"<mark>{escape(evidence.split(chr(10))[0])}</mark>" in page
    assert page.count("<mark>") == evidence.count("\n") + 1
    assert page.count(f'href="/attempts/{attempt_id}/q/1">Back to question 1</a>') == 2
    passage = page.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]
    assert "<mark>" in passage
    # Without the question, or for someone who may not read the attempt: no mark, no link.
    plain = student_client.get(f"/sources/{document}").get_data(as_text=True)
    assert "<mark>" not in plain and "Back to question" not in plain
    make_user(app, "bea")
    bea = log_in(app.test_client(), "bea").get(url).get_data(as_text=True)
    assert "<mark>" not in bea and "Back to question" not in bea
    for query in ("attempt=x&q=1", f"attempt={attempt_id}&q=1&part=-1", "attempt=1&q=99999999999"):
        response = student_client.get(f"/sources/{document}?{query}")
        assert response.status_code == 200 and "<mark>" not in response.get_data(as_text=True)
    # A teacher reading the learner's attempt goes back to its results.
    make_user(app, "profe", role="teacher")
    make_class(app, "profe", "ana")
    teacher = log_in(app.test_client(), "profe").get(url).get_data(as_text=True)
    assert "<mark>" in teacher and f'href="/attempts/{attempt_id}">' in teacher

"""Timed quizzes: the deadline is stored at the start; late answers are refused and close."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_time

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.quiz_helpers import attempt, frozen, responses, right_answer_form


def _start_timed(client, minutes):
    data = {
        "b1-language": "en",
        "b1-count": "5",
        "b1-types": ["short"],
        "b1-time_limit": str(minutes),
    }
    response = client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[2])


def _move_deadline(app, attempt_id, seconds_from_now):
    with app.app_context():
        stored = db.session.get(Attempt, attempt_id)
        stored.deadline = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(
            seconds=seconds_from_now
        )
        db.session.commit()


def test_the_deadline_is_stored_when_the_attempt_starts(app, student_client):
    attempt_id = _start_timed(student_client, 10)
    stored = attempt(app, attempt_id)
    assert stored.deadline is not None
    assert dt.timedelta(minutes=9) < stored.deadline - stored.started_at <= dt.timedelta(minutes=10)
    page = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "Time left:" in page


def test_an_untimed_attempt_has_no_deadline(app, student_client):
    attempt_id = _start_timed(student_client, 0)
    assert attempt(app, attempt_id).deadline is None


def test_an_answer_within_the_grace_still_counts(app, student_client):
    attempt_id = _start_timed(student_client, 5)
    _move_deadline(app, attempt_id, -10)  # ten seconds late, inside the 30 s grace
    question = frozen(app, attempt_id)[1]
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    assert set(responses(app, attempt_id)) == {1}


def test_a_late_answer_is_refused_and_closes_the_attempt(app, student_client):
    attempt_id = _start_timed(student_client, 5)
    question = frozen(app, attempt_id)[1]
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    _move_deadline(app, attempt_id, -120)
    second = frozen(app, attempt_id)[2]
    response = student_client.post(
        f"/attempts/{attempt_id}/q/2", data=right_answer_form(second), follow_redirects=True
    )
    assert "Time is up" in response.get_data(as_text=True)
    assert set(responses(app, attempt_id)) == {1}
    closed = attempt(app, attempt_id)
    assert closed.finished_at is not None and closed.score == 1


def test_a_bad_time_limit_rerenders_the_form(app, student_client):
    data = {"b1-language": "en", "b1-count": "5", "b1-types": ["short"], "b1-time_limit": "999"}
    response = student_client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == 400
    assert "Number must be between 0 and 180" in response.get_data(as_text=True)


def test_without_javascript_the_page_says_what_happens_at_zero(app, student_client):
    attempt_id = _start_timed(student_client, 10)
    _move_deadline(app, attempt_id, 300)
    deadline = attempt(app, attempt_id).deadline
    page = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "answers not yet submitted are not counted: submit before" in page
    # In the reader's time zone (UTC here: no browser has said otherwise), in their language.
    clock = format_time(deadline.replace(tzinfo=dt.UTC), "medium", locale="en")
    assert f'<time datetime="{deadline.isoformat(timespec="seconds")}Z">{clock}</time>' in page
    assert 'role="timer"' in page and 'aria-live="polite"' in page
    # For the script: the seconds left, rounded up, and what it says at zero.
    left = int(re.search(r'data-seconds-left="(\d+)"', page).group(1))
    assert 290 <= left <= 300
    assert 'data-expired-message="Time is up: your answer was submitted."' in page
    assert 'role="alert"' in page and "data-answer-form" in page


def test_the_sentence_is_in_spanish_for_a_spanish_learner(app, student_client):
    attempt_id = _start_timed(student_client, 10)
    page = student_client.get(
        f"/attempts/{attempt_id}/q/1", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert "las respuestas aún no enviadas no cuentan" in page


def test_an_answer_sent_at_zero_is_counted_and_closes_the_attempt(app, student_client):
    attempt_id = _start_timed(student_client, 5)
    _move_deadline(app, attempt_id, -2)  # the page submitted itself at zero; it arrives late
    question = frozen(app, attempt_id)[1]
    response = student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}")
    assert set(responses(app, attempt_id)) == {1}
    closed = attempt(app, attempt_id)
    assert closed.finished_at is not None and closed.score == 1
    page = student_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time is up: your answer was submitted and counted." in page and "Results" in page


def test_an_empty_form_sent_at_zero_closes_the_attempt_with_nothing_counted(app, student_client):
    attempt_id = _start_timed(student_client, 5)
    _move_deadline(app, attempt_id, -1)
    response = student_client.post(f"/attempts/{attempt_id}/q/1", data={"answer": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}")
    assert responses(app, attempt_id) == {}
    assert attempt(app, attempt_id).finished_at is not None
    page = student_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "had no complete answer and scores 0" in page


def test_a_question_is_not_shown_after_the_deadline(app, student_client):
    attempt_id = _start_timed(student_client, 5)
    _move_deadline(app, attempt_id, -1)
    response = student_client.get(f"/attempts/{attempt_id}/q/2")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}")
    assert attempt(app, attempt_id).finished_at is not None
    page = student_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time is up: answers can no longer be given." in page


def test_before_the_deadline_an_answer_leaves_the_attempt_open(app, student_client):
    attempt_id = _start_timed(student_client, 5)
    question = frozen(app, attempt_id)[1]
    response = student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/q/1")
    assert attempt(app, attempt_id).finished_at is None

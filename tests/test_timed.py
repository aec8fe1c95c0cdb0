"""Timed quizzes: the deadline is stored at the start; late answers are refused and close."""

from __future__ import annotations

import datetime as dt

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

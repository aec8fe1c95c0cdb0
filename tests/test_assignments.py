"""Assignments: a class's teachers give its learners a quiz with Moodle's quiz settings.

Service rules (window, attempts allowed, overrides, same or own questions, deadlines) and the
pages, with the review options checked in the page source: no right answer, verdict or
source reaches the learner before the assignment allows it.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from quizapp.core.assignment_rules import AFTER_ANSWER, AFTER_ATTEMPT, AFTER_CLOSE
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, User, utcnow
from quizapp.services import (
    assignment_lists,
    assignment_overrides,
    assignments,
    attempts,
    classes,
    permissions,
)
from quizapp.services.assignments import AssignmentError, AssignmentSettings
from quizapp.services.attempts import QuizError
from tests.conftest import PASSWORD, csrf_token, log_in, make_user

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def school(app):
    """A teacher's class with two learners, and a student outside it: their ids by name."""
    ids = {
        "profe": make_user(app, "profe", "teacher"),
        "ana": make_user(app, "ana"),
        "bea": make_user(app, "bea"),
        "fuera": make_user(app, "fuera"),
        "otra": make_user(app, "otra", "teacher"),
    }
    with app.app_context():
        teacher = db.session.get(User, ids["profe"])
        school_class = classes.create_class(teacher, "4º A")
        for name in ("ana", "bea"):
            classes.join_class(db.session.get(User, ids[name]), school_class.join_code)
        db.session.commit()
        ids["class"] = school_class.id
    return ids


def _assign(app, school, **settings) -> int:
    with app.app_context():
        teacher = db.session.get(User, school["profe"])
        school_class = db.session.get(classes.SchoolClass, school["class"])
        bank = db.session.scalar(db.select(Bank))
        values = {
            "title": "Semana 1",
            "bank_id": bank.id,
            "language": "en",
            "types": ["mcq", "short"],
            "count": 6,
        }
        values.update(settings)
        assignment = assignments.create_assignment(
            teacher, school_class, AssignmentSettings(**values), seed=7
        )
        db.session.commit()
        return assignment.id


def _start(app, user_id: int, assignment_id: int) -> int:
    with app.app_context():
        attempt = assignments.start_attempt(db.session.get(User, user_id), assignment_id)
        db.session.commit()
        return attempt.id


def _finish(app, user_id: int, attempt_id: int) -> None:
    with app.app_context():
        attempts.finish_attempt(db.session.get(User, user_id), attempt_id)
        db.session.commit()


def _stems(app, attempt_id: int) -> list[str]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return [item.question["stem"] for item in attempt.items]


def test_the_same_questions_for_everyone_are_frozen_once(app, school):
    assignment_id = _assign(app, school, same_questions=True)
    first = _start(app, school["ana"], assignment_id)
    second = _start(app, school["bea"], assignment_id)
    assert _stems(app, first) == _stems(app, second)
    assert len(_stems(app, first)) == 6
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        assert attempt.assignment_id == assignment_id
        assert attempt.settings["assignment"] == assignment_id


def test_a_set_per_learner_is_drawn_for_each(app, school):
    assignment_id = _assign(app, school, same_questions=False, count=10)
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).questions is None
    first = _start(app, school["ana"], assignment_id)
    second = _start(app, school["bea"], assignment_id)
    assert len(_stems(app, first)) == len(_stems(app, second)) == 10
    with app.app_context():
        seeds = {db.session.get(Attempt, a).settings["seed"] for a in (first, second)}
    assert len(seeds) == 2


def test_starting_again_resumes_the_open_attempt(app, school):
    assignment_id = _assign(app, school)
    assert _start(app, school["ana"], assignment_id) == _start(app, school["ana"], assignment_id)


def test_attempts_allowed_and_an_extra_attempt(app, school):
    assignment_id = _assign(app, school, attempts_allowed=1)
    _finish(app, school["ana"], _start(app, school["ana"], assignment_id))
    with app.app_context(), pytest.raises(AssignmentError, match="every attempt"):
        assignments.start_attempt(db.session.get(User, school["ana"]), assignment_id)
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assignment_overrides.set_override(
            db.session.get(User, school["profe"]), assignment, school["ana"], extra_attempts=1
        )
        db.session.commit()
    _finish(app, school["ana"], _start(app, school["ana"], assignment_id))
    with app.app_context(), pytest.raises(AssignmentError):
        assignments.start_attempt(db.session.get(User, school["ana"]), assignment_id)


def test_the_window_opens_and_closes_and_an_override_extends_it(app, school):
    now = utcnow()
    later = _assign(app, school, opens_at=now + HOUR, closes_at=now + 2 * HOUR)
    with app.app_context(), pytest.raises(AssignmentError, match="not open yet"):
        assignments.start_attempt(db.session.get(User, school["ana"]), later)
    closed = _assign(app, school, opens_at=now - 2 * HOUR, closes_at=now - HOUR)
    with app.app_context(), pytest.raises(AssignmentError, match="closed"):
        assignments.start_attempt(db.session.get(User, school["ana"]), closed)
    with app.app_context():
        assignment = db.session.get(Assignment, closed)
        assignment_overrides.set_override(
            db.session.get(User, school["profe"]), assignment, school["ana"], closes_at=now + HOUR
        )
        db.session.commit()
    attempt_id = _start(app, school["ana"], closed)
    with app.app_context():
        deadline = db.session.get(Attempt, attempt_id).deadline
        assert deadline is not None and abs(deadline - (now + HOUR)) < dt.timedelta(seconds=2)
        # Bea has no override: still closed for her.
        with pytest.raises(AssignmentError, match="closed"):
            assignments.start_attempt(db.session.get(User, school["bea"]), closed)


def test_the_deadline_is_the_time_limit_or_the_close_whichever_is_first(app, school):
    now = utcnow()
    assignment_id = _assign(app, school, time_limit_minutes=30, closes_at=now + 10 * HOUR)
    attempt_id = _start(app, school["ana"], assignment_id)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=30)
    soon = _assign(app, school, time_limit_minutes=30, closes_at=now + dt.timedelta(minutes=5))
    attempt_id = _start(app, school["bea"], soon)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert abs(attempt.deadline - (now + dt.timedelta(minutes=5))) < dt.timedelta(seconds=2)


def test_only_the_class_may_reach_an_assignment(app, school):
    assignment_id = _assign(app, school)
    with app.app_context():
        for name in ("fuera", "otra"):
            with pytest.raises(permissions.NotFound):
                assignments.start_attempt(db.session.get(User, school[name]), assignment_id)
        with pytest.raises(permissions.NotFound):
            assignments.start_attempt(db.session.get(User, school["profe"]), assignment_id)
        with pytest.raises(permissions.Forbidden):
            assignments.get_assignment(db.session.get(User, school["ana"]), assignment_id, "teach")
        with pytest.raises(permissions.NotFound):
            assignments.get_assignment(db.session.get(User, school["otra"]), assignment_id)


def test_settings_are_checked(app, school):
    now = utcnow()
    cases = [
        ({"closes_at": now, "opens_at": now + HOUR}, "closing time"),
        ({"attempts_allowed": 0}, "attempts"),
        ({"count": 2}, "between"),
        ({"language": "fr"}, "language"),
        ({"title": "   "}, "title"),
        ({"grading_method": "best"}, "grading"),
        ({"review": "never"}, "review"),
        ({"types": ["order"], "count": 50}, "can make"),
    ]
    for settings, message in cases:
        with app.app_context(), pytest.raises(AssignmentError, match=message):
            _assign(app, school, **settings)


def test_an_assignment_attempt_cannot_be_discarded(app, school):
    assignment_id = _assign(app, school)
    attempt_id = _start(app, school["ana"], assignment_id)
    with app.app_context(), pytest.raises(QuizError, match="cannot be discarded"):
        attempts.discard_attempt(db.session.get(User, school["ana"]), attempt_id)


def test_learner_states_on_the_home_page(app, school):
    now = utcnow()
    todo = _assign(app, school, title="Todo", closes_at=now + HOUR)
    _assign(app, school, title="Later", opens_at=now + HOUR)
    _assign(app, school, title="Gone", opens_at=now - 2 * HOUR, closes_at=now - HOUR)
    done = _assign(app, school, title="Done")
    _finish(app, school["ana"], _start(app, school["ana"], done))
    _start(app, school["ana"], todo)
    with app.app_context():
        listed = assignment_lists.learner_assignments(db.session.get(User, school["ana"]))
        states = {a.title: a.state for a in listed}
    assert states == {"Todo": "in_progress", "Later": "upcoming", "Gone": "missed", "Done": "done"}
    assert [a.title for a in listed] == ["Todo", "Later", "Done", "Gone"]
    client = log_in(app.test_client(), "ana")
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert "My assignments" in page and "in progress" in page and "missed" in page


# ---------------------------------------------------------------------------------------------
# Review options, in the page source


def _answer_all(client, attempt_id: int, count: int) -> None:
    for position in range(1, count + 1):
        client.post(f"/attempts/{attempt_id}/q/{position}", data={"answer": "zzz"})


def _secrets(app, attempt_id: int) -> list[str]:
    """What must not reach the learner before review: every key and evidence quote."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        found = []
        for item in attempt.items:
            question = item.question
            source = question["source"]
            found.append(source["passage_text"][source["evidence_start"] : source["evidence_end"]])
            if question["type"] == "short":
                found.append(question["key"])
        return found


def _shows_any(page: str, texts: list[str]) -> list[str]:
    page = html.unescape(page)
    return [text for text in texts if text and text in page]


@pytest.mark.parametrize("review", [AFTER_ATTEMPT, AFTER_CLOSE])
def test_nothing_of_the_key_or_source_before_review_opens(app, school, review):
    now = utcnow()
    assignment_id = _assign(
        app, school, types=["short"], count=5, review=review, closes_at=now + HOUR
    )
    client = log_in(app.test_client(), "ana")
    start = client.post(f"/assignments/{assignment_id}/start")
    assert start.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)/", start.headers["Location"]).group(1))
    secrets = _secrets(app, attempt_id)
    client.post(f"/attempts/{attempt_id}/q/1", data={"answer": "zzz"})
    feedback = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "Answer recorded." in feedback
    assert 'class="verdict wrong"' not in feedback and "<mark>" not in feedback
    assert not _shows_any(feedback, secrets)
    # The source page opened with the question's link marks nothing before review.
    with app.app_context():
        source = db.session.get(Attempt, attempt_id).items[0].question["source"]
    document = client.get(f"/sources/{source['document']}?attempt={attempt_id}&q=1")
    assert "<mark" not in document.get_data(as_text=True)
    _answer_all(client, attempt_id, 5)
    client.post(f"/attempts/{attempt_id}/finish")
    results = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    practise = client.post(f"/attempts/{attempt_id}/practise")
    if review == AFTER_ATTEMPT:
        assert _shows_any(results, secrets)  # open once the attempt is finished
    else:
        assert "Your answers are recorded" in results
        assert not _shows_any(results, secrets)
        assert practise.status_code == 302
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1
        # The close passes: review opens.
        with app.app_context():
            db.session.get(Assignment, assignment_id).closes_at = utcnow() - HOUR
            db.session.commit()
        results = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
        assert _shows_any(results, secrets)
        feedback = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
        assert "Answer recorded." not in feedback


def test_after_each_answer_shows_the_feedback_at_once(app, school):
    assignment_id = _assign(app, school, types=["short"], count=5, review=AFTER_ANSWER)
    client = log_in(app.test_client(), "ana")
    start = client.post(f"/assignments/{assignment_id}/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/", start.headers["Location"]).group(1))
    client.post(f"/attempts/{attempt_id}/q/1", data={"answer": "zzz"})
    feedback = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "Answer recorded." not in feedback and 'class="verdict wrong"' in feedback


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_a_teacher_assigns_through_the_form_and_sets_an_override(app, school):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"name": "profe", "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/classes/{school['class']}/assignments/new")
    assert page.status_code == 200
    token = csrf_token(page.get_data(as_text=True))
    with app.app_context():
        bank_id = db.session.scalar(db.select(Bank.id))
    form = {
        "title": "Repaso",
        "bank": bank_id,
        "language": "en",
        "types": ["mcq", "tf"],
        "count": 6,
        "time_limit": 0,
        "opens_at": "",
        "closes_at": "2030-01-10T18:00",
        "attempts_allowed": 2,
        "grading_method": "last",
        "same_questions": "y",
        "review": AFTER_CLOSE,
    }
    assert client.post(f"/classes/{school['class']}/assignments/new", data=form).status_code == 400
    made = client.post(
        f"/classes/{school['class']}/assignments/new", data={**form, "csrf_token": token}
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    with app.app_context():
        assignment = db.session.scalar(db.select(Assignment))
        # Typed in the teacher's zone (UTC by default here), stored in UTC.
        assert assignment.closes_at == dt.datetime(2030, 1, 10, 18, 0)
        assert (assignment.attempts_allowed, assignment.grading_method) == (2, "last")
        assert len(assignment.questions) == 6
    teacher_page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Repaso" in teacher_page and "ana" in teacher_page and "not started" in teacher_page
    override = client.post(
        f"/assignments/{assignment.id}/overrides",
        data={"learner": school["ana"], "extra_attempts": 1, "csrf_token": token},
    )
    assert override.status_code == 302
    with app.app_context():
        learner = db.session.get(User, school["ana"])
        window = assignments.window_for(db.session.get(Assignment, assignment.id), learner.id)
        assert window.attempts_allowed == 3

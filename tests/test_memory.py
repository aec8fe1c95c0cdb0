"""Every learner's memory of every fact: one card per (learner, fact) and its review log,
updated by every path that stores an answer (a quiz, an assignment, an answer sent at the
deadline, practice of what was missed, a hand-written question linked to a fact), and by a
regrade."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
import sqlalchemy as sa

from quizapp.core.authored import AuthoredQuestion, Choice, as_question
from quizapp.core.memory import Rating
from quizapp.core.values import normalise
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    Bank,
    Fact,
    FactCard,
    FactReview,
    Response,
    SchoolClass,
    User,
    utcnow,
)
from quizapp.services import assignments, attempts, classes, memory, regrade
from quizapp.services.assignments import AssignmentSettings
from quizapp.services.attempts.starting import freeze_attempt
from quizapp.services.banks import question_pool
from tests.conftest import log_in, make_user
from tests.quiz_helpers import frozen, right_answer_form, start, wrong_answer_form

DAY = dt.timedelta(days=1)


def _fact_id(key: str) -> int:
    return db.session.scalar(sa.select(Fact.id).where(Fact.key == key))


def _card(app, user_id: int, key: str) -> FactCard | None:
    with app.app_context():
        card = db.session.scalar(
            sa.select(FactCard).join(Fact).where(FactCard.user_id == user_id, Fact.key == key)
        )
        if card is not None:
            db.session.expunge(card)
        return card


def _log(app, user_id: int, key: str) -> list[FactReview]:
    with app.app_context():
        reviews = db.session.scalars(
            sa.select(FactReview)
            .join(FactCard)
            .join(Fact)
            .where(FactCard.user_id == user_id, Fact.key == key)
            .order_by(FactReview.id)
        ).all()
        for review in reviews:
            db.session.expunge(review)
        return reviews


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _single(question: dict) -> bool:
    return question["type"] not in ("order", "match")


# The service itself ---------------------------------------------------------------


def test_record_answer_makes_one_card_per_learner_and_fact_and_logs_each_review(app, student):
    other = make_user(app, "bea")
    now = utcnow()
    with app.app_context():
        fact_id = db.session.scalar(sa.select(Fact.id).order_by(Fact.id).limit(1))
        first = memory.record_answer(student, fact_id, "mcq", True, 3.0, now)
        second = memory.record_answer(student, fact_id, "short", False, 20.0, now + DAY)
        memory.record_answer(other, fact_id, "tf", True, None, now)
        db.session.commit()
        assert first.id == second.id
        cards = db.session.scalars(sa.select(FactCard).order_by(FactCard.user_id)).all()
        assert [(c.user_id, c.fact_id, c.reviews) for c in cards] == [
            (student, fact_id, 2),
            (other, fact_id, 1),
        ]
        log = db.session.scalars(
            sa.select(FactReview).where(FactReview.card_id == first.id).order_by(FactReview.id)
        ).all()
        assert [(r.rating, r.question_type, r.seconds_taken) for r in log] == [
            (Rating.Easy, "mcq", 3.0),
            (Rating.Again, "short", 20.0),
        ]
        assert second.last_type == "short" and second.last_correct is False
        assert second.recall_failures == 1 and second.due <= now + 2 * DAY
        assert memory.cards_of(student, [fact_id, fact_id + 1000]) == {fact_id: second}
        assert memory.cards_of(student, []) == {}


def test_the_learners_desired_retention_sets_the_intervals(app, student):
    other = make_user(app, "bea")
    now = utcnow()
    with app.app_context():
        db.session.get(User, other).desired_retention = 0.97
        fact_id = db.session.scalar(sa.select(Fact.id).order_by(Fact.id).limit(1))
        dues = {}
        for user_id in (student, other):
            memory.record_answer(user_id, fact_id, "mcq", True, 3.0, now)
            card = memory.record_answer(user_id, fact_id, "mcq", True, 3.0, now + 9 * DAY)
            dues[user_id] = card.due
        assert dues[other] < dues[student]


def test_a_card_goes_with_its_learner_and_its_fact(app, student):
    with app.app_context():
        fact_id = db.session.scalar(sa.select(Fact.id).order_by(Fact.id).limit(1))
        memory.record_answer(student, fact_id, "mcq", True, 3.0, utcnow())
        db.session.commit()
        db.session.execute(sa.delete(User).where(User.id == student))
        db.session.commit()
    assert _count(app, FactCard) == 0 and _count(app, FactReview) == 0


# Every answering path ---------------------------------------------------------------


def test_a_quiz_answer_updates_the_card_of_its_fact(app, student, student_client):
    attempt_id = start(student_client, count=6, types=["mcq", "short", "cloze", "tf"])
    questions = frozen(app, attempt_id)
    right, wrong = questions[1], questions[2]
    before = utcnow()
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(right))
    student_client.post(f"/attempts/{attempt_id}/q/2", data=wrong_answer_form(wrong))
    after = utcnow()

    card = _card(app, student, right["fact_id"])
    assert card is not None and card.reviews == 1 and card.last_correct is True
    assert card.last_type == right["type"] and before <= card.last_review <= after
    assert card.due > card.last_review
    (review,) = _log(app, student, right["fact_id"])
    assert review.rating in (Rating.Hard, Rating.Good, Rating.Easy)
    with app.app_context():
        response = db.session.get(Response, review.response_id)
        assert response.item.attempt_id == attempt_id and response.item.position == 1
        assert review.seconds_taken == response.seconds_taken

    missed = _card(app, student, wrong["fact_id"])
    assert missed.last_correct is False and missed.due <= after + DAY
    assert [r.rating for r in _log(app, student, wrong["fact_id"])] == [Rating.Again]


def test_an_ordering_or_matching_answer_updates_each_of_its_facts(app, student, student_client):
    attempt_id = start(student_client, count=5, types=["order", "match"], accept=True)
    position, question = next(iter(frozen(app, attempt_id).items()))
    assert not _single(question)
    student_client.post(f"/attempts/{attempt_id}/q/{position}", data=right_answer_form(question))
    keys = [item["fact_id"] for item in question["items"]]
    assert len(keys) >= 2
    for key in keys:
        card = _card(app, student, key)
        assert card is not None and card.last_type == question["type"] and card.last_correct


def test_an_answer_given_twice_counts_once_and_a_fact_asked_twice_in_one_attempt_once(
    app, student, student_client
):
    attempt_id = start(student_client, count=5, types=["mcq", "tf"])
    question = frozen(app, attempt_id)[1]
    for _ in range(2):
        student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    assert len(_log(app, student, question["fact_id"])) == 1
    # The same fact again in the same attempt (a question it holds twice): no second review.
    with app.app_context():
        item = db.session.scalar(
            sa.select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == 2
            )
        )
        item.question = {**question}
        item.fact_key = question["fact_id"]
        db.session.commit()
    student_client.post(f"/attempts/{attempt_id}/q/2", data=wrong_answer_form(question))
    log = _log(app, student, question["fact_id"])
    assert len(log) == 1 and log[0].rating != Rating.Again
    assert _card(app, student, question["fact_id"]).reviews == 1


def _school(app) -> dict[str, int]:
    ids = {"profe": make_user(app, "profe", "teacher"), "ana": make_user(app, "ana")}
    with app.app_context():
        school_class = classes.create_class(db.session.get(User, ids["profe"]), "4º A")
        classes.join_class(db.session.get(User, ids["ana"]), school_class.join_code)
        db.session.commit()
        ids["class"] = school_class.id
    return ids


def _assign(app, ids, **settings) -> int:
    with app.app_context():
        values = {
            "title": "Semana 1",
            "bank_id": db.session.scalar(sa.select(Bank.id)),
            "language": "en",
            "types": ["short"],
            "count": 5,
        }
        values.update(settings)
        assignment = assignments.create_assignment(
            db.session.get(User, ids["profe"]),
            db.session.get(SchoolClass, ids["class"]),
            AssignmentSettings(**values),
            seed=7,
        )
        db.session.commit()
        return assignment.id


def _start_assignment(app, user_id: int, assignment_id: int) -> int:
    with app.app_context():
        attempt = assignments.start_attempt(db.session.get(User, user_id), assignment_id)
        db.session.commit()
        return attempt.id


def test_an_assignment_answer_updates_the_card(app):
    ids = _school(app)
    attempt_id = _start_assignment(app, ids["ana"], _assign(app, ids))
    client = log_in(app.test_client(), "ana")
    question = frozen(app, attempt_id)[1]
    client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    card = _card(app, ids["ana"], question["fact_id"])
    assert card is not None and card.last_type == "short" and card.last_correct


def test_an_answer_sent_for_the_learner_at_the_deadline_updates_the_card(
    app, student, student_client
):
    data = {"b1-language": "en", "b1-count": "5", "b1-types": ["short"], "b1-time_limit": "5"}
    response = student_client.post("/banks/romania-ww2/start", data=data)
    attempt_id = int(response.headers["Location"].split("/")[2])
    with app.app_context():
        db.session.get(Attempt, attempt_id).deadline = utcnow() - dt.timedelta(seconds=2)
        db.session.commit()
    question = frozen(app, attempt_id)[1]
    # The page submits itself at zero; the answer arrives just after the deadline.
    response = student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(question))
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}")
    assert _card(app, student, question["fact_id"]).reviews == 1
    # The questions left unanswered were not answered: their facts' memory is untouched.
    for position, other in frozen(app, attempt_id).items():
        if position != 1:
            assert _card(app, student, other["fact_id"]) is None


def test_practising_what_was_missed_reviews_the_fact_again(app, student, student_client):
    attempt_id = start(student_client, count=5, types=["mcq", "short"])
    questions = frozen(app, attempt_id)
    for position, question in questions.items():
        form = wrong_answer_form(question) if position == 1 else right_answer_form(question)
        student_client.post(f"/attempts/{attempt_id}/q/{position}", data=form)
    student_client.post(f"/attempts/{attempt_id}/finish")
    response = student_client.post(f"/attempts/{attempt_id}/practise")
    practice_id = int(re.search(r"/attempts/(\d+)/q/1", response.headers["Location"]).group(1))
    again = frozen(app, practice_id)[1]
    assert again["fact_id"] == questions[1]["fact_id"]
    student_client.post(f"/attempts/{practice_id}/q/1", data=right_answer_form(again))
    log = _log(app, student, again["fact_id"])
    assert [r.rating == Rating.Again for r in log] == [True, False]
    card = _card(app, student, again["fact_id"])
    assert card.reviews == 2 and card.last_type == again["type"] and card.last_correct


def test_a_hand_written_question_linked_to_a_fact_updates_that_facts_card(app, teacher_client):
    from tests.test_teach import _add_fact, _add_source, _create_bank

    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    assert _add_fact(teacher_client, app, slug).status_code == 302
    with app.app_context():
        key = db.session.scalar(
            sa.select(Fact.key).join(Bank).where(Bank.slug == "lesson", Fact.retired.is_(False))
        )
    written = {
        "type": "multi",
        "language": "en",
        "text_format": "plain",
        "passage_id": "0",
        "fact_key": key,
        "stem": "Which joined the Axis in November 1940?",
        "choices-0-text": "Romania",
        "choices-0-weight": "100",
        "choices-1-text": "Sweden",
        "choices-1-weight": "-100",
    }
    page = teacher_client.get("/teach/banks/lesson/questions/new").get_data(as_text=True)
    assert f'value="{key}"' in page and "Fact it asks about" in page
    bad = teacher_client.post(
        "/teach/banks/lesson/questions/new", data={**written, "fact_key": "no-such-fact"}
    )
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    saved = teacher_client.post("/teach/banks/lesson/questions/new", data=written)
    assert saved.status_code == 302
    edit = teacher_client.get(saved.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'<option selected value="{re.escape(key)}"', edit)
    assert teacher_client.post("/teach/banks/lesson/publish").status_code == 302

    learner_id = make_user(app, "learner")
    learner = log_in(app.test_client(), "learner")
    with app.app_context():
        # The bank's question as a quiz draws it (core_bank, then as_question).
        bank = db.session.scalar(sa.select(Bank).where(Bank.slug == "lesson"))
        (item,) = question_pool(bank).bank.questions
        asked = as_question(
            item.question, random.Random(3), question_id=f"q:{item.id}", language="en", source=None
        )
        user = db.session.get(User, learner_id)
        attempt_id = freeze_attempt(user, bank, "en", {}, [asked]).id
        db.session.commit()
    question = frozen(app, attempt_id)[1]
    assert question["fact_id"].startswith("q:") and question["linked_fact"] == key
    sweden = str(question["options"].index("Sweden"))
    learner.post(f"/attempts/{attempt_id}/q/1", data={"answer": [sweden]})
    card = _card(app, learner_id, key)
    assert card is not None and card.last_type == "multi" and card.last_correct is False


def test_a_hand_written_question_without_a_fact_leaves_memory_alone(app, student):
    authored = AuthoredQuestion(
        "mcq", "Who?", choices=[Choice("A", True), Choice("B", False)], language="en"
    )
    question = as_question(
        authored, random.Random(1), question_id="q:1", language="en", source=None
    )
    with app.app_context():
        user = db.session.get(User, student)
        bank = db.session.scalar(sa.select(Bank))
        attempt = freeze_attempt(user, bank, "en", {}, [question])
        db.session.commit()
        outcome = attempts.record_answer(user, attempt.id, 1, "A")
        assert outcome.first and outcome.response.correct
    assert _count(app, FactCard) == 0


# Regrading ---------------------------------------------------------------


def test_a_regrade_rates_the_answer_again_and_replays_the_card(app):
    ids = _school(app)
    assignment_id = _assign(app, ids)
    attempt_id = _start_assignment(app, ids["ana"], assignment_id)
    question = frozen(app, attempt_id)[1]
    client = log_in(app.test_client(), "ana")
    typed = "Ionel Popescu the Great"
    client.post(f"/attempts/{attempt_id}/q/1", data={"answer": typed})
    key = question["fact_id"]
    wrong = _card(app, ids["ana"], key)
    assert wrong.last_correct is False and wrong.due <= wrong.last_review + DAY
    with app.app_context():
        teacher = db.session.get(User, ids["profe"])
        attempts.finish_attempt(db.session.get(User, ids["ana"]), attempt_id)
        db.session.commit()
        outcome = regrade.accept_typed_answer(teacher, assignment_id, key, normalise(typed))
        db.session.commit()
    assert outcome.responses_changed == 1
    right = _card(app, ids["ana"], key)
    (review,) = _log(app, ids["ana"], key)
    assert review.rating in (Rating.Hard, Rating.Good, Rating.Easy)
    assert right.last_correct is True and right.recall_failures == 0 and right.reviews == 1
    assert right.due > wrong.due and right.last_review == wrong.last_review
    # The same card as if the answer had been right when given.
    fresh = memory.core.replay([memory.core.Review("short", review.rating, review.reviewed_at)])
    assert (right.due, right.stability, right.state) == (fresh.due, fresh.stability, fresh.state)


@pytest.mark.parametrize("retention", ["0.85", "0.97"])
def test_the_memory_columns_have_their_defaults(app, student, retention):
    with app.app_context():
        user = db.session.get(User, student)
        assert (user.desired_retention, user.daily_new_facts) == (0.9, 20)
        db.session.execute(
            sa.update(User).where(User.id == student).values(desired_retention=float(retention))
        )
        db.session.commit()
        assert db.session.get(User, student).desired_retention == float(retention)


# The fact link in a bank folder -------------------------------------------------------------


QUESTION_YAML = """- id: "1"
  fact_key: {key}
  type: tf
  language: en
  stem: The opposition was in contact with the Western Allies by mid-1943.
  is_true: true
"""


def test_questions_yaml_links_a_question_to_a_fact_and_checks_the_key(bank_copy):
    from quizapp.core.bank import BankError, load_bank
    from quizapp.core.bank_dump import dump_bank

    key = "opposition-western-contacts-year-en"
    (bank_copy / "questions.yaml").write_text(QUESTION_YAML.format(key=key), encoding="utf-8")
    loaded = load_bank(bank_copy)
    (item,) = loaded.questions
    assert item.question.fact_key == key
    question = as_question(
        item.question, random.Random(1), question_id="q:1", language="en", source=None
    )
    assert question.linked_fact == key
    # Linking a question to a fact does not make it another question (imports skip it).
    unlinked = AuthoredQuestion.from_dict({**item.question.to_dict(), "fact_key": None})
    assert unlinked.fingerprint() == item.question.fingerprint()
    assert "fact_key" not in unlinked.to_dict()
    # Written back out, the link stays.
    out = bank_copy.parent / "out"
    dump_bank(loaded, out)
    assert f"fact_key: {key}" in (out / "questions.yaml").read_text(encoding="utf-8")

    (bank_copy / "questions.yaml").write_text(
        QUESTION_YAML.format(key="no-such-fact"), encoding="utf-8"
    )
    with pytest.raises(BankError) as error:
        load_bank(bank_copy)
    assert "unknown fact 'no-such-fact'" in str(error.value)


def test_a_card_written_meanwhile_is_read_again_not_overwritten(app, student):
    """The optimistic write: an answer committed between this answer's read and its write
    (possible on PostgreSQL) makes it read the card again, for an insert and an update."""
    now = utcnow()
    with app.app_context():
        fact_id = db.session.scalar(sa.select(Fact.id).order_by(Fact.id).limit(1))
        params = {"user_id": student, "fact_id": fact_id}

        def reread():
            return db.session.execute(memory._USER_CARD, params).one()

        stale = reread()  # no card yet
        memory.record_answer(student, fact_id, "mcq", True, 3.0, now)  # another answer
        card_id = memory._write_card(stale, "short", Rating.Good, now, reread)
        stale = reread()
        memory.record_answer(student, fact_id, "tf", True, 3.0, now)  # and another
        assert memory._write_card(stale, "cloze", Rating.Again, now, reread) == card_id
        card = db.session.get(FactCard, card_id, populate_existing=True)
        assert card.reviews == 4 and card.last_type == "cloze"

"""Feedback hides, in the passage shown, the answers of the questions still to come."""

from __future__ import annotations

import random

from markupsafe import escape

from quizapp.core.leaks import SetGuard, exposure, fact_answer, reveals
from quizapp.core.question_pool import QuestionPool
from quizapp.core.question_types import TYPES, GenerationContext
from quizapp.extensions import db
from quizapp.models import AttemptItem
from tests.quiz_helpers import right_answer_form, start

MARKER = "hidden: the answer of question 2, still to come"


def _unrelated_questions(bank, passage_id: str, count: int) -> list[dict]:
    """Short-answer questions of other passages whose answers the passage does not hold, to
    fill the rest of an attempt without hiding anything more in that passage."""
    pool = QuestionPool(bank)
    context = GenerationContext(bank, pool.distractors, random.Random(5), forms=pool.answer_forms)
    text = bank.passage(passage_id).text
    found = []
    for fact in pool.eligible[("en", "short")]:
        if fact.passage_id != passage_id and not reveals(text, fact_answer(fact)):
            question = TYPES["short"].build([fact], context)
            if question is not None:
                found.append(question.to_dict())
        if len(found) == count:
            return found
    raise AssertionError("the bank has too few facts of other passages")


def _same_passage_pair(bank):
    """Two short-answer questions of different topics from one passage, neither stem giving
    the other's answer, the second's answer standing in the passage outside the first's."""
    pool = QuestionPool(bank)
    context = GenerationContext(bank, pool.distractors, random.Random(3), forms=pool.answer_forms)
    facts = pool.eligible[("en", "short")]
    for first in facts:
        for second in facts:
            if second.passage_id != first.passage_id or second.topic == first.topic:
                continue
            text = bank.passage(first.passage_id).text
            if not reveals(text, fact_answer(second)) or reveals(second.answer, fact_answer(first)):
                continue
            if any(reveals(form, fact_answer(second)) for form in first.accepted):
                continue
            q1 = TYPES["short"].build([first], context)
            q2 = TYPES["short"].build([second], context)
            guard = SetGuard()
            if (
                q1
                and q2
                and guard.admit(exposure(q1, [first]))
                and guard.admit(exposure(q2, [second]))
            ):
                return q1, q2, second
    raise AssertionError("the bank has no two facts of one passage")


def test_feedback_hides_a_later_answer_until_it_is_answered(app, student_client, bank):
    q1, q2, second = _same_passage_pair(bank)
    attempt_id = start(student_client, language="en", count=5, types=["short"])
    with app.app_context():
        items = db.session.scalars(
            db.select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        ).all()
        items[0].question = q1.to_dict()
        items[1].question = q2.to_dict()
        # The other items, drawn at random, must not hold the second answer too (else it stays
        # hidden while they wait, rightly).
        for item, other in zip(
            items[2:],
            _unrelated_questions(bank, q1.source.passage_id, len(items) - 2),
            strict=True,
        ):
            item.question = other
        db.session.commit()
    first_url = f"/attempts/{attempt_id}/q/1"
    student_client.post(first_url, data=right_answer_form(q1.to_dict()))
    feedback = student_client.get(first_url).get_data(as_text=True)
    for form in second.accepted:
        assert str(escape(form)) not in feedback, form
    assert MARKER in feedback
    assert "▇▇▇▇" in feedback
    assert "Words that answer questions still to come are hidden" in feedback
    assert "<mark>" in feedback  # the first question's own evidence stays highlighted
    # Question 2 answered: question 1's feedback shows its passage in full again.
    second_url = f"/attempts/{attempt_id}/q/2"
    student_client.post(second_url, data=right_answer_form(q2.to_dict()))
    again = student_client.get(first_url).get_data(as_text=True)
    assert str(escape(second.answer)) in again and MARKER not in again
    # Every question answered: the passage in full, its evidence highlighted.
    for position in range(3, 6):
        url = f"/attempts/{attempt_id}/q/{position}"
        student_client.post(url, data={"answer": "Nobody at all"})
    full = student_client.get(first_url).get_data(as_text=True)
    passage = q1.source.passage_text
    start_, end = q1.source.evidence_start, q1.source.evidence_end
    assert f"<mark>{escape(passage[start_:end])}</mark>" in full
    assert str(escape(passage[end:])) in full and str(escape(passage[:start_])) in full
    assert "▇▇▇▇" not in full


def test_the_review_of_a_finished_attempt_shows_every_passage_in_full(app, student_client, bank):
    q1, q2, second = _same_passage_pair(bank)
    attempt_id = start(student_client, language="en", count=5, types=["short"])
    with app.app_context():
        items = db.session.scalars(
            db.select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        ).all()
        items[0].question = q1.to_dict()
        items[1].question = q2.to_dict()
        db.session.commit()
    student_client.post(f"/attempts/{attempt_id}/q/1", data=right_answer_form(q1.to_dict()))
    student_client.post(f"/attempts/{attempt_id}/finish")
    review = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    feedback = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    for page in (review, feedback):
        assert "▇▇▇▇" not in page
        assert str(escape(q1.source.passage_text[q1.source.evidence_end :])) in page
    # Question 2 was never answered, yet question 1's passage now states its answer in full.
    assert str(escape(second.answer)) in feedback


def test_a_mask_across_the_evidence_edge_keeps_the_evidence_marked(app):
    from quizapp.core.masking import HiddenSpan
    from quizapp.web.setup import highlight

    text = "Before the evidence, King Michael acted here. After."
    source = {"passage_text": text, "evidence_start": 21, "evidence_end": 45}
    hidden = [HiddenSpan(text.index("the evidence"), text.index("Michael") + 7, 4)]
    with app.test_request_context():
        html = str(highlight(source, hidden))
    assert "evidence" not in html and "Michael" not in html
    assert html.startswith("Before ") and html.endswith(" acted here.</mark> After.")
    # One marker outside the evidence, one inside it, each saying whose answer it hides.
    assert html.count("hidden: the answer of question 4, still to come") == 2
    assert html.count("<mark>") == 1 and html.index("<mark>") < html.rindex('class="masked"')

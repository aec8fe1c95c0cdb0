"""Marking a typed answer right after the fact, and regrading (Moodle's regrade), issue 11
point 5.

A teacher of an assignment's class sees what learners typed to a fact's typed questions
(short answer, fill in the blank, numeric) and marks one normalised answer right:

1. the answer, as learners typed it most often, joins the accepted answers of the fact in the
   bank (the `facts` row: its `alternatives`, and the bank's version is bumped so every
   worker's question pool is rebuilt) when the teacher may edit the bank. A site bank (kept in
   files, `managed_in == "folder"`) or a bank of someone else cannot be changed in the browser:
   then only the assignment takes it (`scope` "assignment");
2. every frozen copy of the fact's typed questions in the assignment takes it: the attempts'
   items (so reviews show it accepted and answers still to come are checked against it) and,
   with the same questions for everyone, the assignment's own set (attempts started later);
3. every response of the assignment to those questions with that normalised answer and not
   already right gets `correct` and full points, and each finished attempt holding one has its
   score summed again in SQL;
4. the learners' memory of the fact follows (services.memory.regrade_responses): each review
   an answer now right had made as wrong is rated again as right, and the card is replayed
   from its review log, so its due date is as if the answer had been right when given;
5. the change is logged in `regrade_log`.

The answer must read as right to the question's own checker once accepted (a number question
reads answers by value, so "about 300" cannot be made right by listing it), and only
generated questions take answers this way (a hand-written question is edited in the bank).
Marking an answer already accepted everywhere changes nothing and logs nothing, so a second
identical regrade is a no-op. An answer stored while the regrade runs may have been checked
against the old question; regrading again picks it up.

Errors: `permissions.NotFound`/`Forbidden` as `assignments.get_assignment` (teachers of the
class only); `RegradeError` (a translated message) for what cannot be accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.core.item_analysis import TYPED_TYPES
from quizapp.core.practice import WRITTEN_PREFIX
from quizapp.core.question_types import Question, check_answer
from quizapp.core.values import normalise
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    Fact,
    RegradeLog,
    Response,
    User,
)
from quizapp.services import memory, permissions
from quizapp.services.assignment_reports import typed_texts
from quizapp.services.assignments import get_assignment
from quizapp.services.authoring import touch
from quizapp.services.lti import grades as lti_grades

BANK, ASSIGNMENT = "bank", "assignment"


class RegradeError(Exception):
    """An answer that cannot be marked right; the message is meant for the teacher."""


@dataclass(frozen=True)
class RegradeOutcome:
    """What marking an answer right changed: the text accepted, where (`scope` BANK or
    ASSIGNMENT, with `fact_changed` when the bank's fact took it), how many frozen questions,
    responses and attempts changed. `changed` is False when it was accepted everywhere
    already (nothing was written or logged)."""

    answer: str
    scope: str
    fact_changed: bool
    questions_changed: int
    responses_changed: int
    attempts_changed: int

    @property
    def changed(self) -> bool:
        """Whether anything at all changed."""
        return bool(
            self.fact_changed
            or self.questions_changed
            or self.responses_changed
            or self.attempts_changed
        )


def _with_answer(question: dict[str, Any], text: str, folded: str) -> dict[str, Any] | None:
    """The frozen question with `text` among its accepted answers (and its fact's answers,
    which masking hides in other passages), or None when it accepts that answer already."""
    accepted = list(question.get("accepted") or [])
    if any(normalise(form) == folded for form in accepted):
        return None
    changed = dict(question)
    changed["accepted"] = [*accepted, text]
    fact_answers = list(question.get("fact_answers") or [])
    if not any(normalise(form) == folded for form in fact_answers):
        changed["fact_answers"] = [*fact_answers, text]
    return changed


def _fact_items(assignment_id: int, fact_key: str) -> sa.Select:
    """The ids of the items of the assignment's attempts asking `fact_key` by typing."""
    return (
        sa.select(AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.assignment_id == assignment_id,
            AttemptItem.fact_key == fact_key,
            AttemptItem.question_type.in_(TYPED_TYPES),
        )
    )


def _checked_text(assignment: Assignment, fact_key: str, folded: str) -> str:
    """The answer as learners typed it most often, once the question's checker agrees it
    is right when accepted; RegradeError otherwise."""
    if fact_key.startswith(WRITTEN_PREFIX):
        raise RegradeError(
            _("A hand-written question's answers are changed by editing the question in its bank.")
        )
    items = _fact_items(assignment.id, fact_key).subquery("fact_items")
    attempts = (
        sa.select(AttemptItem.attempt_id.label("id"))
        .join(items, items.c.id == AttemptItem.id)
        .distinct()
        .subquery("fact_attempts")
    )
    text = typed_texts(attempts, AttemptItem.fact_key, [fact_key], [folded]).get((fact_key, folded))
    frozen = db.session.scalar(
        sa.select(AttemptItem.question)
        .join(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.id.in_(sa.select(items.c.id)), Response.normalised == folded)
        .order_by(AttemptItem.id)
        .limit(1)
    )
    if text is None or frozen is None:
        raise RegradeError(_("No learner typed this answer to this question."))
    question = Question.from_dict(frozen)
    if question.origin != "generated" or question.weights or question.numeric_answers:
        raise RegradeError(
            _("A hand-written question's answers are changed by editing the question in its bank.")
        )
    text = " ".join(text.split())
    accepting = _with_answer(frozen, text, folded)
    if accepting is not None and not check_answer(Question.from_dict(accepting), text).correct:
        raise RegradeError(
            _(
                "“%(answer)s” cannot be read as an answer of the kind this question asks for "
                "(a number, a year or a date), so it cannot be marked right.",
                answer=text,
            )
        )
    return text


def _accept_in_bank(fact: Fact, bank: Bank, text: str, folded: str) -> bool:
    """Add `text` to the fact's alternatives unless it accepts it already; True when the fact
    changed (the caller has opened the write transaction and checked the right to edit)."""
    if any(normalise(form) == folded for form in [fact.answer, *(fact.alternatives or [])]):
        return False
    fact.alternatives = [*(fact.alternatives or []), text]
    touch(bank)
    return True


def accept_typed_answer(
    user: User, assignment_id: int, fact_key: str, folded: str
) -> RegradeOutcome:
    """Mark the normalised answer `folded` right for the fact `fact_key` of the assignment and
    regrade (see the module). The caller commits; nothing is written when nothing changes."""
    assignment = get_assignment(user, assignment_id, "teach")
    text = _checked_text(assignment, fact_key, folded)
    bank = db.session.get(Bank, assignment.bank_id)
    assert bank is not None
    user_id, assignment_key = user.id, assignment.id
    editable = permissions.can_edit(user, bank)
    begin_write()
    fact = db.session.scalar(sa.select(Fact).where(Fact.bank_id == bank.id, Fact.key == fact_key))
    in_bank = editable and fact is not None
    fact_changed = in_bank and _accept_in_bank(fact, bank, text, folded)
    fact_items = _fact_items(assignment_key, fact_key)

    # The frozen questions: one item per attempt that asked the fact, a class's worth.
    questions_changed = 0
    for item in db.session.scalars(sa.select(AttemptItem).where(AttemptItem.id.in_(fact_items))):
        changed = _with_answer(item.question, text, folded)
        if changed is not None:
            item.question = changed
            questions_changed += 1
    if assignment.questions:
        frozen_set = list(assignment.questions)
        for index, question in enumerate(frozen_set):
            if question.get("fact_id") == fact_key and question.get("type") in TYPED_TYPES:
                changed = _with_answer(question, text, folded)
                if changed is not None:
                    frozen_set[index] = changed
                    questions_changed += 1
                    # A new list, so that the JSON column is seen as changed.
                    assignment.questions = frozen_set
    db.session.flush()

    regraded = sa.and_(
        Response.item_id.in_(fact_items),
        Response.normalised == folded,
        sa.or_(Response.correct.is_(False), Response.points < 1.0),
    )
    attempt_ids = list(
        db.session.scalars(
            sa.select(AttemptItem.attempt_id)
            .join(Response, Response.item_id == AttemptItem.id)
            .where(regraded)
            .distinct()
        )
    )
    # Memory first, while the answers still read as wrong (see memory.regrade_responses).
    memory.regrade_responses(sa.select(Response.id).where(regraded))
    responses_changed = db.session.execute(
        sa.update(Response)
        .where(regraded)
        .values(correct=True, points=1.0)
        .execution_options(synchronize_session=False)
    ).rowcount
    attempts_changed = 0
    if attempt_ids:
        total = (
            sa.select(sa.func.coalesce(sa.func.sum(Response.points), 0.0))
            .join(AttemptItem, Response.item_id == AttemptItem.id)
            .where(AttemptItem.attempt_id == Attempt.id)
            .scalar_subquery()
        )
        # An open attempt's score is summed when it finishes; only finished ones change now.
        attempts_changed = db.session.execute(
            sa.update(Attempt)
            .where(Attempt.id.in_(attempt_ids), Attempt.finished_at.is_not(None))
            .values(score=total)
            .execution_options(synchronize_session=False)
        ).rowcount
        # Regraded attempts of an assignment placed in an LMS course: their grades go back.
        lti_grades.queue_grades(attempt_ids)
    outcome = RegradeOutcome(
        answer=text,
        scope=BANK if in_bank else ASSIGNMENT,
        fact_changed=fact_changed,
        questions_changed=questions_changed,
        responses_changed=responses_changed,
        attempts_changed=attempts_changed,
    )
    if not outcome.changed:
        db.session.rollback()
        return outcome
    db.session.add(
        RegradeLog(
            assignment_id=assignment_key,
            user_id=user_id,
            fact_key=fact_key,
            answer=text,
            normalised=folded,
            scope=outcome.scope,
            responses_changed=responses_changed,
            attempts_changed=attempts_changed,
        )
    )
    db.session.flush()
    db.session.expire_all()
    return outcome

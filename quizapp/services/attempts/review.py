"""A finished attempt read back: per-type tallies, answers given, facts missed."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from quizapp.core.practice import Missed
from quizapp.core.results import Answered, fact_verdicts
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Response
from quizapp.services.attempts.access import frozen_question


@dataclass(frozen=True)
class TypeTally:
    """How an attempt went on one question type."""

    type: str
    questions: int
    right: int
    partly: int
    answered: int
    points: float

    @property
    def wrong(self) -> int:
        """Answered, and no point."""
        return self.answered - self.right - self.partly

    @property
    def unanswered(self) -> int:
        """Not answered at all."""
        return self.questions - self.answered


def type_breakdown(attempt_id: int) -> list[TypeTally]:
    """Per question type of the attempt: questions, right, partly right, answered, points
    (one grouped query), in the order the types first appear in the attempt."""
    right = sa.func.sum(sa.case((Response.correct.is_(True), 1), else_=0))
    partly = sa.func.sum(
        sa.case((sa.and_(Response.correct.is_(False), Response.points > 0), 1), else_=0)
    )
    rows = db.session.execute(
        sa.select(
            AttemptItem.question_type,
            sa.func.count(AttemptItem.id),
            right,
            partly,
            sa.func.count(Response.id),
            sa.func.coalesce(sa.func.sum(Response.points), 0.0),
        )
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt_id)
        .group_by(AttemptItem.question_type)
        .order_by(sa.func.min(AttemptItem.position))
    ).all()
    return [
        TypeTally(kind, count, int(r or 0), int(p or 0), answers, float(points))
        for kind, count, r, p, answers, points in rows
    ]


def answers_of(attempt: Attempt) -> list[Answered]:
    """Each item's frozen question with the answer given to it, in order."""
    answers = []
    for item in attempt.items:
        response = item.response
        answers.append(
            Answered(
                frozen_question(item),
                response is not None,
                response.given if response else None,
                bool(response.correct) if response else False,
                float(response.points) if response else 0.0,
            )
        )
    return answers


def missed_in(answers: list[Answered]) -> list[Missed]:
    """Each fact answered wrongly, partly or not at all, once, with the question it was in."""
    missed: dict[str, Missed] = {}
    for answer in answers:
        for fact_id, right in fact_verdicts(answer):
            if not right and fact_id not in missed:
                missed[fact_id] = Missed(fact_id, answer.question.type, answer.question)
    return list(missed.values())

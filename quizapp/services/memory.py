"""Every learner's memory of every fact: one FSRS card per (learner, fact) and its review log.

`record_answer` reviews a fact's card with the rating an answer earns (core.memory); the
answering path (services.attempts.answering) calls `record_item_answer` for every stored
answer, in the same write transaction as the answer. `cards_of` reads a learner's cards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from quizapp.core import memory as core
from quizapp.extensions import db
from quizapp.models import FactCard, FactReview, User


def record_answer(
    user_id: int,
    fact_id: int,
    question_type: str,
    correct: bool,
    seconds_taken: float | None,
    answered_at: dt.datetime,
    response_id: int | None = None,
) -> FactCard:
    """Review the learner's card of a fact (made on the first answer) with the rating the
    answer earns (`core.memory.rating_for`: wrong is Again, right is Hard/Good/Easy by
    `seconds_taken` against the type's thresholds), scheduled with the learner's desired
    retention, and log the review. `answered_at` is naive UTC. The caller commits.

    One SELECT (the learner's retention and card), then an INSERT or UPDATE of the card and an
    INSERT of the review.
    """
    row = db.session.execute(
        sa.select(User.desired_retention, FactCard)
        .outerjoin(FactCard, sa.and_(FactCard.user_id == User.id, FactCard.fact_id == fact_id))
        .where(User.id == user_id)
    ).one()
    retention, card = row
    state = core.CardState.of(card) if card is not None else core.new_card(answered_at)
    rating = core.rating_for(question_type, correct, seconds_taken)
    after = core.review(state, question_type, rating, answered_at, retention)
    if card is None:
        card = FactCard(user_id=user_id, fact_id=fact_id, **after.fields())
        db.session.add(card)
    else:
        for name, value in after.fields().items():
            setattr(card, name, value)
    db.session.flush()
    db.session.add(
        FactReview(
            card_id=card.id,
            rating=int(rating),
            reviewed_at=core.naive(answered_at),
            question_type=question_type,
            seconds_taken=seconds_taken,
            response_id=response_id,
        )
    )
    db.session.flush()
    return card


def cards_of(user_id: int, fact_ids: Iterable[int]) -> dict[int, FactCard]:
    """The learner's cards of these facts, by fact id (facts never answered are left out).
    One query; the ids are sent as one expanding IN list."""
    ids = list(dict.fromkeys(fact_ids))
    if not ids:
        return {}
    cards = db.session.scalars(
        sa.select(FactCard).where(FactCard.user_id == user_id, FactCard.fact_id.in_(ids))
    )
    return {card.fact_id: card for card in cards}

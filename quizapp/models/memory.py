"""A learner's memory of each fact: an FSRS card per (learner, fact) and its review log.

Written by `quizapp.services.memory` on every answer to a question built from a fact (or a
hand-written question linked to one); the scheduling itself is `quizapp.core.memory` (FSRS).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from quizapp.extensions import db

if TYPE_CHECKING:
    from quizapp.models.banks import Fact
    from quizapp.models.users import User


class FactCard(db.Model):
    """One learner's memory of one fact: the FSRS card fields (naive UTC times) plus what the
    fresh-form rule needs (the type it was last asked as, whether that was right, and the run
    of wrong answers in a recall form)."""

    __tablename__ = "fact_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "fact_id"),
        # Practice asks "which of my facts are due now?": one range scan per learner.
        Index("ix_fact_cards_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    # fsrs.State: 1 Learning, 2 Review, 3 Relearning.
    state: Mapped[int] = mapped_column(default=1)
    step: Mapped[int | None]
    stability: Mapped[float | None]  # days
    difficulty: Mapped[float | None]
    due: Mapped[dt.datetime]
    last_review: Mapped[dt.datetime | None]
    last_type: Mapped[str | None] = mapped_column(String(16))
    last_correct: Mapped[bool | None]
    # Consecutive wrong answers in a recall form (short, cloze, numeric): two switch the fact
    # back to a recognition form (core.memory.next_form).
    recall_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    reviews: Mapped[int] = mapped_column(default=0, server_default="0")
    lapses: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship()
    fact: Mapped[Fact] = relationship()
    # Write-only: read a card's log with a query ordered by reviewed_at.
    review_log: WriteOnlyMapped[FactReview] = relationship(
        back_populates="card", cascade="all, delete-orphan", passive_deletes=True
    )


class FactReview(db.Model):
    """One review of a fact card (fsrs.ReviewLog plus what was asked): the rating given by the
    answer, when, in which question type, how long it took, and the response it came from."""

    __tablename__ = "fact_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(
        ForeignKey("fact_cards.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int]  # fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[dt.datetime]
    question_type: Mapped[str] = mapped_column(String(16))
    seconds_taken: Mapped[float | None]
    # The answer that made this review; kept as None if the attempt is discarded.
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL"), index=True
    )

    card: Mapped[FactCard] = relationship(back_populates="review_log")

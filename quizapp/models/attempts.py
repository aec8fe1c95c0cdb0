"""Attempts: one sitting of a quiz, its frozen questions and the answers given."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.timestamps import utcnow

if TYPE_CHECKING:
    from quizapp.models.banks import Bank
    from quizapp.models.classes import Assignment
    from quizapp.models.users import User


class Attempt(db.Model):
    """One sitting of a quiz by one learner; its questions are frozen in its items."""

    __tablename__ = "attempts"
    __table_args__ = (
        # The reports read an assignment's attempts learner by learner in the order the
        # grading methods number them (finish time, then id): this index hands them over in
        # that order, so window functions need no sort, and a learner's attempts at an
        # assignment are one seek (bench/report.py).
        sa.Index(
            "ix_attempts_assignment_user_finished", "assignment_id", "user_id", "finished_at", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    score: Mapped[float] = mapped_column(default=0.0)
    max_score: Mapped[float] = mapped_column(default=0.0)
    # The assignment this attempt answers (None: a quiz the learner chose); kept as None if the
    # assignment is deleted, so the learner's history stays.
    # (Indexed first in ix_attempts_assignment_user_finished.)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship()
    bank: Mapped[Bank] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    @property
    def percentage(self) -> float:
        """Score as a percentage of the maximum."""
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


class AttemptItem(db.Model):
    """A question of an attempt exactly as the learner saw it (stem, options, source)."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        # The keys the reports group an attempt's items by, next to the attempt: the reports
        # read them from this index and never the rows, which carry the frozen question.
        sa.Index(
            "ix_attempt_items_attempt_keys",
            "attempt_id",
            "fact_key",
            "question_type",
            "position",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_type: Mapped[str] = mapped_column(String(16))
    fact_key: Mapped[str] = mapped_column(String(128))
    question: Mapped[dict[str, Any]] = mapped_column(JSON)
    shown_at: Mapped[dt.datetime | None]
    # Flagged by the learner "for review": a mark to come back to, which changes no score.
    flagged: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    response: Mapped[Response | None] = relationship(
        back_populates="item", uselist=False, cascade="all, delete-orphan"
    )


class Response(db.Model):
    """The one answer given to an attempt item (unique per item: the first answer wins)."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="CASCADE"), unique=True
    )
    given: Mapped[Any] = mapped_column(JSON)
    normalised: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(default=False)
    points: Mapped[float] = mapped_column(default=0.0)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seconds_taken: Mapped[float | None]

    item: Mapped[AttemptItem] = relationship(back_populates="response")

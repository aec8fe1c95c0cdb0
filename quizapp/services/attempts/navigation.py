"""Where the learner is in an attempt: the question grid and flags for review."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.database import upgrade_to_write
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Response, User, utcnow
from quizapp.services.attempts.access import _attempts, _items, _responses
from quizapp.services.attempts.answering import AttemptState
from quizapp.services.attempts.errors import QuizError


@dataclass(frozen=True)
class MapCell:
    """One question of an attempt in its navigation grid."""

    position: int
    answered: bool
    flagged: bool


@dataclass(frozen=True)
class AttemptMap:
    """Where a learner stands in an attempt: each question answered or not, flagged or not."""

    attempt: AttemptState
    cells: list[MapCell]

    @property
    def total(self) -> int:
        """How many questions the attempt holds."""
        return len(self.cells)

    @property
    def answered(self) -> int:
        """How many questions have an answer."""
        return sum(cell.answered for cell in self.cells)

    @property
    def unanswered(self) -> list[int]:
        """Positions of the questions without an answer, in order."""
        return [cell.position for cell in self.cells if not cell.answered]

    @property
    def flagged(self) -> list[int]:
        """Positions of the questions flagged for review, in order."""
        return [cell.position for cell in self.cells if cell.flagged]

    @property
    def next_unanswered(self) -> int | None:
        """The first position without an answer, None when every question has one."""
        return next((cell.position for cell in self.cells if not cell.answered), None)


_MAP = (
    sa.select(
        _attempts.c.user_id,
        _attempts.c.started_at,
        _attempts.c.deadline,
        _attempts.c.finished_at,
        _items.c.position,
        _items.c.flagged,
        _responses.c.id.label("response_id"),
    )
    .select_from(
        _attempts.join(_items, _items.c.attempt_id == _attempts.c.id).outerjoin(
            _responses, _responses.c.item_id == _items.c.id
        )
    )
    .where(_attempts.c.id == sa.bindparam("attempt_id"))
    .order_by(_items.c.position)
)


def attempt_map(user: User, attempt_id: int) -> AttemptMap | None:
    """Every question of the attempt, answered or not and flagged or not, in one query.

    Only the attempt's own learner gets it (None otherwise, as for a missing attempt): it
    drives the question pages' navigation grid and the confirmation before finishing.
    """
    rows = db.session.execute(_MAP, {"attempt_id": attempt_id}).all()
    if not rows or rows[0].user_id != user.id:
        return None
    first = rows[0]
    state = AttemptState(
        attempt_id, first.user_id, first.started_at, first.deadline, first.finished_at
    )
    cells = [MapCell(row.position, row.response_id is not None, bool(row.flagged)) for row in rows]
    return AttemptMap(state, cells)


_ITEM_FOR_FLAG = (
    sa.select(_attempts.c.user_id, _attempts.c.deadline, _attempts.c.finished_at, _items.c.id)
    .select_from(_attempts.join(_items, _items.c.attempt_id == _attempts.c.id))
    .where(
        _attempts.c.id == sa.bindparam("attempt_id"),
        _items.c.position == sa.bindparam("position"),
    )
)


def set_flag(user: User, attempt_id: int, position: int, flagged: bool) -> bool:
    """Flag a question of the learner's own open attempt for review, or remove the flag.

    The flag is a reminder for the learner and changes no score; setting it twice is the same
    as once (the form says which state it wants, so a double click cannot undo it). LookupError
    when the question is not in one of this user's attempts; QuizError when the attempt is
    finished or its time is up. The caller commits.
    """
    row = db.session.execute(
        _ITEM_FOR_FLAG, {"attempt_id": attempt_id, "position": position}
    ).one_or_none()
    if row is None or row.user_id != user.id:
        raise LookupError("no such question in this user's attempts")
    if row.finished_at is not None:
        raise QuizError(_("This attempt is finished; its answers can no longer change."))
    if row.deadline is not None and utcnow() >= row.deadline:
        raise QuizError(_("Time is up: answers can no longer be given."))
    upgrade_to_write()
    changed = db.session.execute(
        _items.update()
        .where(_items.c.id == row.id)
        # Only while the attempt is still open, checked again inside the write transaction.
        .where(sa.exists().where(_attempts.c.id == attempt_id, _attempts.c.finished_at.is_(None)))
        .values(flagged=flagged)
    )
    if changed.rowcount == 0:
        db.session.rollback()
        raise QuizError(_("This attempt is finished; its answers can no longer change."))
    return flagged


def answered_positions(attempt: Attempt) -> set[int]:
    """Positions of the items that have an answer."""
    return set(
        db.session.scalars(
            db.select(AttemptItem.position)
            .join(Response)
            .where(AttemptItem.attempt_id == attempt.id)
        )
    )


def next_unanswered(attempt: Attempt) -> int | None:
    """The first position without an answer, or None when all are answered."""
    answered = answered_positions(attempt)
    for item in attempt.items:
        if item.position not in answered:
            return item.position
    return None

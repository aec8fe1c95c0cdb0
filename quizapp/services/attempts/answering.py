"""Showing a question and recording its answer, each in one short statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quizapp.core.masking import Pending, question_answers
from quizapp.core.question_types import Question, check_answer
from quizapp.database import upgrade_to_write
from quizapp.extensions import db
from quizapp.models import User, utcnow
from quizapp.services import memory
from quizapp.services.assignment_windows import review_open
from quizapp.services.attempts.access import (
    _attempts,
    _grace,
    _items,
    _responses,
    frozen_question,
)
from quizapp.services.attempts.closing import close_attempt
from quizapp.services.attempts.errors import QuizError
from quizapp.services.classes import teaches_learner


@dataclass(frozen=True)
class AttemptState:
    """The attempt's columns a question page needs (a plain row, not an ORM object)."""

    id: int
    user_id: int
    started_at: dt.datetime
    deadline: dt.datetime | None
    finished_at: dt.datetime | None
    assignment_id: int | None = None  # the assignment it answers (its review rules apply)
    live_game: int | None = None  # the live game whose answers it keeps (answered there only)


@dataclass(frozen=True)
class ItemState:
    """One item of an attempt: its frozen question and when it was shown."""

    id: int
    position: int
    question: dict[str, Any]
    shown_at: dt.datetime | None
    flagged: bool = False


@dataclass(frozen=True)
class StoredAnswer:
    """The response stored for an item."""

    id: int
    given: Any
    correct: bool
    points: float


@dataclass(frozen=True)
class QuestionPage:
    """Everything one question, answer or feedback request reads, from a single query."""

    attempt: AttemptState
    item: ItemState
    response: StoredAnswer | None
    total: int
    next_position: int | None  # the first position without an answer, None when all have one


@dataclass(frozen=True)
class AnswerOutcome:
    """The stored response to an item, and whether this request was the one that stored it."""

    response: StoredAnswer
    first: bool


def _question_page_statement() -> sa.Select:
    other = _items.alias("other_item")
    open_item = _items.alias("open_item")
    answered = _responses.alias("answered")
    total = (
        sa.select(sa.func.count())
        .select_from(other)
        .where(other.c.attempt_id == _attempts.c.id)
        .scalar_subquery()
    )
    next_open = (
        sa.select(sa.func.min(open_item.c.position))
        .select_from(open_item.outerjoin(answered, answered.c.item_id == open_item.c.id))
        .where(open_item.c.attempt_id == _attempts.c.id, answered.c.id.is_(None))
        .scalar_subquery()
    )
    return (
        sa.select(
            _attempts.c.user_id,
            _attempts.c.started_at,
            _attempts.c.deadline,
            _attempts.c.finished_at,
            _attempts.c.assignment_id,
            _attempts.c.settings,
            _items.c.id.label("item_id"),
            _items.c.question,
            _items.c.shown_at,
            _items.c.flagged,
            _responses.c.id.label("response_id"),
            _responses.c.given,
            _responses.c.correct,
            _responses.c.points,
            total.label("total"),
            next_open.label("next_open"),
        )
        .select_from(
            _attempts.join(
                _items,
                sa.and_(
                    _items.c.attempt_id == _attempts.c.id,
                    _items.c.position == sa.bindparam("position"),
                ),
            ).outerjoin(_responses, _responses.c.item_id == _items.c.id)
        )
        .where(_attempts.c.id == sa.bindparam("attempt_id"))
    )


_QUESTION_PAGE = _question_page_statement()

# Inside the write transaction: is the attempt still open, and does the item have an answer?
# On PostgreSQL the attempt row is share-locked, so a concurrent finish waits for this answer
# (and sees it in its score) or this answer waits for the finish (and is refused).
_ANSWER_CHECK = (
    sa.select(
        _attempts.c.finished_at,
        _responses.c.id,
        _responses.c.given,
        _responses.c.correct,
        _responses.c.points,
    )
    .select_from(_attempts.outerjoin(_responses, _responses.c.item_id == sa.bindparam("item_id")))
    .where(_attempts.c.id == sa.bindparam("attempt_id"))
    .with_for_update(read=True, of=_attempts)
)
_STORED_ANSWER = sa.select(
    _responses.c.id, _responses.c.given, _responses.c.correct, _responses.c.points
).where(_responses.c.item_id == sa.bindparam("item_id"))
_INSERT_ANSWER = _responses.insert()


def question_page(user: User, attempt_id: int, position: int) -> QuestionPage | None:
    """The attempt, item, stored answer, size and next open position in one query.

    Only the attempt's own learner gets it (None otherwise, as for a missing attempt or item);
    nothing is written, so showing a question never takes the write lock.
    """
    row = db.session.execute(
        _QUESTION_PAGE, {"attempt_id": attempt_id, "position": position}
    ).one_or_none()
    if row is None or row.user_id != user.id:
        return None
    response = None
    if row.response_id is not None:
        response = StoredAnswer(row.response_id, row.given, bool(row.correct), float(row.points))
    return QuestionPage(
        attempt=AttemptState(
            attempt_id,
            row.user_id,
            row.started_at,
            row.deadline,
            row.finished_at,
            row.assignment_id,
            _live_game(row.settings),
        ),
        item=ItemState(row.item_id, position, row.question, row.shown_at, bool(row.flagged)),
        response=response,
        total=row.total,
        next_position=row.next_open,
    )


def _live_game(settings: dict[str, Any] | None) -> int | None:
    """The live game an attempt's settings name, when it keeps a game's answers."""
    if not settings or settings.get("mode") != "live":
        return None
    game = settings.get("live_game")
    return game if isinstance(game, int) else None


@dataclass(frozen=True)
class LinkedEvidence:
    """The frozen source of a question an attempt asked, as a source page opened from its
    feedback shows it: `source` is the SourceRef dict (document, passage, evidence offsets)."""

    attempt_id: int
    position: int
    own: bool  # the reader's own attempt (else a teacher reading a learner's)
    source: dict[str, Any]


_LINKED_ITEM = (
    sa.select(
        _attempts.c.user_id,
        _attempts.c.finished_at,
        _attempts.c.assignment_id,
        _items.c.question,
        _responses.c.id.label("response_id"),
    )
    .select_from(
        _attempts.join(_items, _items.c.attempt_id == _attempts.c.id).outerjoin(
            _responses, _responses.c.item_id == _items.c.id
        )
    )
    .where(
        _attempts.c.id == sa.bindparam("attempt_id"),
        _items.c.position == sa.bindparam("position"),
    )
)


def linked_evidence(
    user: User, attempt_id: int, position: int, part: int | None = None
) -> LinkedEvidence | None:
    """The source of question `position` of an attempt the user may read (see `attempt_for`):
    the question's own, or with `part` the source of that item of an ordering or matching
    question. None when there is no such source or the user may not read the attempt.

    The learner gets it only once the question is answered (or the attempt finished) and the
    review rules of its assignment, if any, let them see sources: the marked evidence is the
    answer.
    """
    row = db.session.execute(
        _LINKED_ITEM, {"attempt_id": attempt_id, "position": position}
    ).one_or_none()
    if row is None:
        return None
    own = row.user_id == user.id
    if not own and not teaches_learner(user, row.user_id):
        return None
    if own:
        finished = row.finished_at is not None
        if row.response_id is None and not finished:
            return None
        if not review_open(row.assignment_id, user.id, finished):
            return None
    frozen = row.question
    if part is None:
        source = frozen.get("source")
    else:
        items = frozen.get("items") or []
        source = items[part].get("source") if 0 <= part < len(items) else None
    if not source:
        return None
    return LinkedEvidence(attempt_id, position, own, dict(source))


_PENDING = (
    sa.select(_items.c.position, _items.c.question)
    .select_from(_items.outerjoin(_responses, _responses.c.item_id == _items.c.id))
    .where(
        _items.c.attempt_id == sa.bindparam("attempt_id"),
        _items.c.position != sa.bindparam("position"),
        _responses.c.id.is_(None),
    )
    .order_by(_items.c.position)
)


def pending_answers(page: QuestionPage) -> list[Pending]:
    """The answers to hide in the feedback of a page: those of the attempt's other questions
    still without an answer, as (position, answers) (see quizapp.core.masking).

    Nothing while the attempt is finished: its review shows every passage in full. One query
    reads the other open items of the attempt (not one per item).
    """
    if page.attempt.finished_at is not None:
        return []
    rows = db.session.execute(
        _PENDING, {"attempt_id": page.attempt.id, "position": page.item.position}
    )
    pending: list[Pending] = []
    for position, frozen in rows:
        answers = question_answers(Question.from_dict(frozen))
        if answers:
            pending.append((position, answers))
    return pending


def record_answer(
    user: User,
    attempt_id: int,
    position: int,
    given: Any,
    *,
    shown_at: dt.datetime | None = None,
    page: QuestionPage | None = None,
    question: Question | None = None,
) -> AnswerOutcome:
    """Check and store an answer; a repeated answer to the same item keeps the first one.

    Reading and checking happen before the write transaction (`page` and `question` may be
    passed when the caller already read them), so the write lock is held only for one check
    and one insert; the unique item id makes a concurrent second answer a no-op.

    The time taken is counted from `shown_at` (when the page with this answer's form was
    shown, as the caller vouches; clamped to the attempt's start and now), else from the item's
    stored `shown_at` (set by earlier versions when a question was shown), and stored with the
    answer as `seconds_taken`. Showing a question writes nothing, so the item's `shown_at` is
    no longer set: `answered_at - seconds_taken` is when the answered page was shown.
    """
    if page is None:
        page = question_page(user, attempt_id, position)
    if page is None:
        raise LookupError("no such question in this attempt")
    if page.response is not None:
        return AnswerOutcome(page.response, first=False)
    attempt, item = page.attempt, page.item
    if attempt.finished_at is not None:
        raise QuizError(_("This attempt is finished; its answers can no longer change."))
    now = utcnow()
    if attempt.deadline is not None and now > attempt.deadline + _grace():
        close_attempt(user, attempt_id)
        db.session.commit()
        raise QuizError(_("Time is up: this answer came after the deadline and was not counted."))
    result = check_answer(question or frozen_question(item), given)
    if shown_at is not None:
        shown_at = min(max(shown_at, attempt.started_at), now)
    elif item.shown_at is not None:
        shown_at = item.shown_at
    seconds = (now - shown_at).total_seconds() if shown_at is not None else None
    upgrade_to_write()
    try:
        check = db.session.execute(
            _ANSWER_CHECK, {"attempt_id": attempt_id, "item_id": item.id}
        ).one()
        if check.id is not None:
            db.session.rollback()
            stored = StoredAnswer(check.id, check.given, bool(check.correct), float(check.points))
            return AnswerOutcome(stored, first=False)
        if check.finished_at is not None:
            db.session.rollback()
            raise QuizError(_("This attempt is finished; its answers can no longer change."))
        response_id = db.session.execute(
            _INSERT_ANSWER,
            {
                "item_id": item.id,
                "given": given,
                "normalised": result.normalised,
                "correct": result.correct,
                "points": result.points,
                "answered_at": now,
                "seconds_taken": seconds,
            },
        ).inserted_primary_key[0]
        # The learner's memory of the facts it asks, in the same transaction as the answer.
        memory.record_item_answer(
            attempt_id, item.question, given, result.correct, seconds, now, response_id
        )
        db.session.commit()
    except IntegrityError:
        # Another request stored an answer to this item first (PostgreSQL): that one stands.
        db.session.rollback()
        row = db.session.execute(_STORED_ANSWER, {"item_id": item.id}).one()
        return AnswerOutcome(
            StoredAnswer(row.id, row.given, bool(row.correct), float(row.points)), first=False
        )
    stored = StoredAnswer(response_id, given, result.correct, float(result.points))
    return AnswerOutcome(stored, first=True)

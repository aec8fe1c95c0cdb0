"""Attempts: start a quiz, answer its questions, finish it, resume it. Integrity rules live here.

The questions of an attempt are frozen when it starts (stem, options in order, key, source), so
its history stays true after the bank is edited. Each answer is committed as it is given; the
first answer to an item is the one kept.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quizapp.core.generation import GenerationError, SetPlan
from quizapp.core.masking import Pending, question_answers
from quizapp.core.practice import Missed, practice_set
from quizapp.core.question_types import TYPES, Question, check_answer
from quizapp.core.results import Answered, fact_verdicts
from quizapp.database import begin_write, upgrade_to_write
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Bank, Response, User, utcnow
from quizapp.services.banks import question_pool
from quizapp.services.permissions import NotFound, can_take, require_take

MIN_QUESTIONS, MAX_QUESTIONS = 5, 50


class QuizError(Exception):
    """A request the quiz rules refuse; the message is meant for the learner."""


class QuizShortfall(QuizError):
    """The bank cannot give the set as asked. `plan` (a SetPlan) says what it can give; the
    same `seed` draws that set again once the learner accepts it (see start_attempt)."""

    def __init__(self, plan: SetPlan, seed: int):
        super().__init__(_("This bank cannot make the quiz exactly as asked."))
        self.plan = plan
        self.seed = seed


def _refusal(error: GenerationError) -> QuizError:
    """The learner's message for a set the generator refuses (its own text is for curators)."""
    messages = {
        "unknown_type": _("Choose question types from the list."),
        "no_types": _("Choose at least one question type."),
        "count": _(
            "Choose between %(low)d and %(high)d questions.", low=MIN_QUESTIONS, high=MAX_QUESTIONS
        ),
        "no_language": _("This bank cannot make a quiz in this language yet."),
        "empty": _("This bank cannot make any question of the chosen types in this language."),
    }
    return QuizError(messages.get(error.code, _("This bank cannot make this quiz.")))


def plan_set(bank: Bank, language: str, count: int, types: list[str], seed: int) -> SetPlan:
    """The set a request would give (see QuestionPool.plan), with the learner's rules applied.

    QuizError (translated) when the request breaks a rule or the bank can make none of it.
    """
    if language not in bank.languages:
        raise QuizError(_("This bank has no questions in %(language)s.", language=language))
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise QuizError(
            _(
                "Choose between %(low)d and %(high)d questions.",
                low=MIN_QUESTIONS,
                high=MAX_QUESTIONS,
            )
        )
    try:
        return question_pool(bank).plan(count, language, seed, types)
    except GenerationError as error:
        raise _refusal(error) from None


@dataclass(frozen=True)
class AttemptState:
    """The attempt's columns a question page needs (a plain row, not an ORM object)."""

    id: int
    user_id: int
    started_at: dt.datetime
    deadline: dt.datetime | None
    finished_at: dt.datetime | None


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


def start_attempt(
    user: User,
    bank: Bank,
    language: str,
    count: int,
    types: list[str],
    seed: int | None = None,
    time_limit_minutes: int | None = None,
    accepted: str | None = None,
) -> Attempt:
    """Draw a question set and freeze it into a new attempt (the caller commits).

    The set holds exactly `count` questions of the requested types, split evenly. When the bank
    cannot give that, QuizShortfall is raised (nothing is stored) with the set it can give;
    the learner accepts it by starting again with the same seed and `accepted` set to that
    plan's `signature()`: the set is then stored if it is still the one announced (else a new
    QuizShortfall says what the bank gives now). Other refusals are QuizError, translated.

    With a time limit, the deadline is stored now; answers after it (plus a short grace) are
    refused and close the attempt. A bank not offered to the user raises
    `permissions.NotFound`.
    """
    require_take(user, bank)
    seed = secrets.randbelow(2**31) if seed is None else seed
    plan = plan_set(bank, language, count, types, seed)
    if not plan.exact and plan.signature() != accepted:
        raise QuizShortfall(plan, seed)
    questions = plan.questions
    user_id = user.id
    started = utcnow()
    deadline = started + dt.timedelta(minutes=time_limit_minutes) if time_limit_minutes else None
    begin_write()
    attempt = Attempt(
        user_id=user_id,
        started_at=started,
        deadline=deadline,
        bank_id=bank.id,
        language=language,
        settings={
            "count": count,
            "types": list(types),
            "seed": seed,
            "version": bank.version,
            "time_limit_minutes": time_limit_minutes or 0,
        },
        max_score=float(len(questions)),
    )
    attempt.items = _frozen_items(questions)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def attempt_for(user: User, attempt_id: int, *, write: bool = False) -> Attempt | None:
    """The attempt if this user may see it (its learner, or a teacher when only reading)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        return None
    if attempt.user_id == user.id or (user.is_teacher and not write):
        return attempt
    return None


def item_at(attempt: Attempt, position: int) -> AttemptItem | None:
    """The attempt's item at a 1-based position."""
    return db.session.scalar(
        db.select(AttemptItem).where(
            AttemptItem.attempt_id == attempt.id, AttemptItem.position == position
        )
    )


def frozen_question(item: AttemptItem | ItemState) -> Question:
    """The question as the learner saw it."""
    return Question.from_dict(item.question)


# The answer path reads and writes with Core statements on the tables, built once: no ORM
# objects, no lazy loads, one query per request for the page and a short write for the answer.
_attempts = Attempt.__table__
_items = AttemptItem.__table__
_responses = Response.__table__


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
            attempt_id, row.user_id, row.started_at, row.deadline, row.finished_at
        ),
        item=ItemState(row.item_id, position, row.question, row.shown_at, bool(row.flagged)),
        response=response,
        total=row.total,
        next_position=row.next_open,
    )


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


@dataclass(frozen=True)
class LinkedEvidence:
    """The frozen source of a question an attempt asked, as a source page opened from its
    feedback shows it: `source` is the SourceRef dict (document, passage, evidence offsets)."""

    attempt_id: int
    position: int
    own: bool  # the reader's own attempt (else a teacher reading a learner's)
    source: dict[str, Any]


_LINKED_ITEM = (
    sa.select(_attempts.c.user_id, _items.c.question)
    .select_from(_attempts.join(_items, _items.c.attempt_id == _attempts.c.id))
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
    question. None when there is no such source or the user may not read the attempt."""
    row = db.session.execute(
        _LINKED_ITEM, {"attempt_id": attempt_id, "position": position}
    ).one_or_none()
    if row is None or not (row.user_id == user.id or user.is_teacher):
        return None
    frozen = row.question
    if part is None:
        source = frozen.get("source")
    else:
        items = frozen.get("items") or []
        source = items[part].get("source") if 0 <= part < len(items) else None
    if not source:
        return None
    return LinkedEvidence(attempt_id, position, row.user_id == user.id, dict(source))


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


def _grace() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config.get("DEADLINE_GRACE_SECONDS", 30))


def finish_attempt(user: User, attempt_id: int) -> Attempt:
    """Close the attempt and total its score in SQL; finishing twice changes nothing."""
    if attempt_for(user, attempt_id, write=True) is None:
        raise LookupError("no such attempt")
    close_attempt(user, attempt_id)
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    return attempt


def close_attempt(user: User, attempt_id: int) -> None:
    """Set the finish time and the score (sum of points) in one short write transaction."""
    begin_write()
    # PostgreSQL: lock the attempt first, so that an answer being stored (which share-locks it)
    # is committed before the score is summed by the next statement. SQLite: a plain read, the
    # IMMEDIATE transaction already excludes every other writer.
    db.session.execute(
        sa.select(_attempts.c.id).where(_attempts.c.id == attempt_id).with_for_update()
    )
    total = (
        db.select(db.func.coalesce(db.func.sum(Response.points), 0.0))
        .join(AttemptItem, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt_id)
        .scalar_subquery()
    )
    db.session.execute(
        db.update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.finished_at.is_(None))
        .values(score=total, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


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


@dataclass(frozen=True)
class OpenAttempt:
    """An attempt still open, with its progress, for the home page."""

    id: int
    bank_titles: dict[str, str]
    language: str
    started_at: dt.datetime
    deadline: dt.datetime | None
    answered: int
    total: int

    @property
    def started_ago(self) -> dt.timedelta:
        """From now back to the start (negative, as a relative time writer expects it)."""
        return min(self.started_at - utcnow(), dt.timedelta(0))

    @property
    def bank_title(self) -> str:
        """The bank's title in the attempt's language (else any title it has)."""
        return self.bank_titles.get(self.language) or next(iter(self.bank_titles.values()), "")


def unfinished_attempts(user: User) -> list[OpenAttempt]:
    """The learner's attempts still open, newest first, with questions answered and asked
    (counted in SQL, one query for the list)."""
    total = (
        sa.select(sa.func.count(AttemptItem.id))
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    answered = (
        sa.select(sa.func.count(Response.id))
        .join(AttemptItem, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            Attempt.id,
            Bank.titles,
            Attempt.language,
            Attempt.started_at,
            Attempt.deadline,
            answered,
            total,
        )
        .join(Bank, Bank.id == Attempt.bank_id)
        .where(Attempt.user_id == user.id, Attempt.finished_at.is_(None))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(10)
    ).all()
    return [OpenAttempt(*row) for row in rows]


def discard_attempt(user: User, attempt_id: int) -> None:
    """Delete one of the user's own open attempts with its answers (the caller commits).

    NotFound for an attempt that is not the user's (a teacher's reading right is no right to
    discard); QuizError for a finished one, which stays in the history.
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(str(attempt_id))
    if attempt.finished_at is not None:
        raise QuizError(_("A finished attempt stays in your history; it cannot be discarded."))
    user_id = user.id
    begin_write()
    # Its items and answers go with it (ON DELETE CASCADE). Finished meanwhile: kept.
    deleted = db.session.execute(
        sa.delete(_attempts).where(
            _attempts.c.id == attempt_id,
            _attempts.c.user_id == user_id,
            _attempts.c.finished_at.is_(None),
        )
    ).rowcount
    if not deleted:
        db.session.rollback()
        raise QuizError(_("A finished attempt stays in your history; it cannot be discarded."))


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


class NothingMissed(QuizError):
    """Every question of the attempt was answered right: there is nothing to practise."""


def practise_missed(user: User, attempt_id: int, seed: int | None = None) -> Attempt:
    """A new attempt on exactly the facts the user missed in one of their finished attempts,
    each asked in another form where the fact can make one (see core.practice); hand-written
    questions are asked again. The caller commits.

    NotFound for an attempt that is not the user's; NothingMissed when every answer was right;
    QuizError when the attempt is still open or its bank is no longer offered.
    """
    attempt = attempt_for(user, attempt_id, write=True)
    if attempt is None:
        raise NotFound(str(attempt_id))
    if attempt.finished_at is None:
        raise QuizError(_("Finish this attempt first; then you can practise what you missed."))
    bank = attempt.bank
    if not can_take(user, bank):
        raise QuizError(_("This bank is no longer offered, so it cannot make a practice quiz."))
    missed = missed_in(answers_of(attempt))
    if not missed:
        raise NothingMissed(_("You answered every question right: there is nothing to practise."))
    seed = secrets.randbelow(2**31) if seed is None else seed
    questions = practice_set(
        question_pool(bank), missed, attempt.language, random.Random(f"practice:{seed}")
    )[:MAX_QUESTIONS]
    settings = {key: attempt.settings[key] for key in ("count", "types") if key in attempt.settings}
    settings.update(seed=seed, version=bank.version, time_limit_minutes=0, practice_of=attempt.id)
    return _store_attempt(user, bank, attempt.language, settings, questions)


def _frozen_items(questions: list[Question]) -> list[AttemptItem]:
    """The attempt's items, each freezing its question as the learner will see it (1-based)."""
    return [
        AttemptItem(
            position=position,
            question_type=question.type,
            fact_key=question.fact_id,
            question=question.to_dict(),
        )
        for position, question in enumerate(questions, start=1)
    ]


def _store_attempt(
    user: User, bank: Bank, language: str, settings: dict[str, Any], questions: list[Question]
) -> Attempt:
    """Freeze questions into a new untimed attempt in a write transaction (the caller commits)."""
    user_id = user.id
    started = utcnow()
    begin_write()
    attempt = Attempt(
        user_id=user_id,
        started_at=started,
        bank_id=bank.id,
        language=language,
        settings=settings,
        max_score=float(len(questions)),
    )
    attempt.items = _frozen_items(questions)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def time_left(attempt: Attempt | AttemptState) -> dt.timedelta | None:
    """Time until the deadline (never negative), or None for an untimed attempt."""
    if attempt.deadline is None or attempt.finished_at is not None:
        return None
    return max(attempt.deadline - utcnow(), dt.timedelta(0))


def deadline_passed(attempt: Attempt | AttemptState, now: dt.datetime | None = None) -> bool:
    """Whether a timed attempt still open has reached its deadline (untimed ones never do).

    Past the deadline no question is shown any more; an answer sent in the grace after it
    (`DEADLINE_GRACE_SECONDS`, for the page that submits itself at zero) is still recorded by
    `record_answer`, and the attempt is then closed.
    """
    if attempt.deadline is None or attempt.finished_at is not None:
        return False
    return (now or utcnow()) >= attempt.deadline


def duration(attempt: Attempt) -> dt.timedelta | None:
    """Time from start to finish."""
    if attempt.finished_at is None:
        return None
    return attempt.finished_at - attempt.started_at


def known_types() -> list[str]:
    """Every registered question type, in registry order."""
    return list(TYPES)

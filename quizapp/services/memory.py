"""Every learner's memory of every fact: one FSRS card per (learner, fact) and its review log.

`record_answer` reviews a fact's card with the rating an answer earns (core.memory); the
answering path (services.attempts.answering) calls `record_item_answer` for every stored
answer, in the same write transaction as the answer. `cards_of` reads a learner's cards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.core import memory as core
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Fact, FactCard, FactReview, Response, User


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

    One SELECT (the learner's retention and card), an INSERT or UPDATE of the card, an INSERT
    of the review (and a read of the card as an ORM object to return it). Answers stored by
    the attempts go through `record_item_answer` instead, which finds the facts by key.
    """
    params = {"user_id": user_id, "fact_id": fact_id}
    row = db.session.execute(_USER_CARD, params).one()
    rating = core.rating_for(question_type, correct, seconds_taken)
    card_id = _write_card(
        row,
        question_type,
        rating,
        answered_at,
        lambda: db.session.execute(_USER_CARD, params).one(),
    )
    db.session.execute(
        _reviews.insert().values(
            card_id=card_id,
            rating=int(rating),
            reviewed_at=core.naive(answered_at),
            question_type=question_type,
            seconds_taken=seconds_taken,
            response_id=response_id,
        )
    )
    card = db.session.get(FactCard, card_id, populate_existing=True)
    assert card is not None
    return card


class MemorySettingsError(ValueError):
    """A practice setting out of its range; the message is meant for the learner."""


def set_memory_settings(user: User, desired_retention: float, daily_new_facts: int) -> None:
    """Set the learner's desired retention (a probability, MIN_RETENTION..MAX_RETENTION of
    core.memory) and daily limit of new facts (MIN_DAILY_NEW_FACTS..MAX_DAILY_NEW_FACTS).
    MemorySettingsError (translated) when either is out of range; the caller commits. Cards
    already scheduled keep their due dates: the retention sets the next intervals."""
    if not core.MIN_RETENTION <= desired_retention <= core.MAX_RETENTION:
        raise MemorySettingsError(
            _(
                "Choose a desired retention between %(low)d%% and %(high)d%%.",
                low=round(core.MIN_RETENTION * 100),
                high=round(core.MAX_RETENTION * 100),
            )
        )
    if not core.MIN_DAILY_NEW_FACTS <= daily_new_facts <= core.MAX_DAILY_NEW_FACTS:
        raise MemorySettingsError(
            _(
                "Choose between %(low)d and %(high)d new facts a day.",
                low=core.MIN_DAILY_NEW_FACTS,
                high=core.MAX_DAILY_NEW_FACTS,
            )
        )
    user.desired_retention = float(desired_retention)
    user.daily_new_facts = int(daily_new_facts)


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


_cards = FactCard.__table__
_reviews = FactReview.__table__
_facts = Fact.__table__
_users = User.__table__
_attempts = Attempt.__table__
_items = AttemptItem.__table__
_responses = Response.__table__

# Tries of the optimistic write of a card before giving up (another answer of the same learner
# to the same fact committed in between: on PostgreSQL only, SQLite has one writer at a time).
WRITE_TRIES = 3


def _item_cards_statement() -> sa.Select:
    """The learner's retention and, for each fact key of the answer that the attempt's bank
    has, the fact id and its card (NULLs when there is none yet), and whether an answer of
    this same attempt already reviewed it (`seen`): one SELECT, by index (attempt by id, facts
    by (bank_id, key), cards by (user_id, fact_id), reviews by card_id)."""
    earlier = (
        sa.select(sa.literal(1))
        .select_from(
            _reviews.join(_responses, _responses.c.id == _reviews.c.response_id).join(
                _items, _items.c.id == _responses.c.item_id
            )
        )
        .where(_reviews.c.card_id == _cards.c.id, _items.c.attempt_id == _attempts.c.id)
        .exists()
    )
    return (
        sa.select(
            _attempts.c.user_id,
            _users.c.desired_retention,
            _facts.c.id.label("fact_id"),
            _facts.c.key,
            _cards.c.id.label("card_id"),
            *[_cards.c[name] for name in _STATE_COLUMNS],
            earlier.label("seen"),
        )
        .select_from(
            _attempts.join(_users, _users.c.id == _attempts.c.user_id)
            .join(
                _facts,
                sa.and_(
                    _facts.c.bank_id == _attempts.c.bank_id,
                    _facts.c.key.in_(sa.bindparam("keys", expanding=True)),
                ),
            )
            .outerjoin(
                _cards,
                sa.and_(_cards.c.user_id == _attempts.c.user_id, _cards.c.fact_id == _facts.c.id),
            )
        )
        .where(_attempts.c.id == sa.bindparam("attempt_id"))
    )


_STATE_COLUMNS = tuple(core.CardState.__dataclass_fields__)
_ITEM_CARDS = _item_cards_statement()
_USER_CARD = (
    sa.select(
        _users.c.id.label("user_id"),
        _users.c.desired_retention,
        sa.bindparam("fact_id", type_=sa.Integer).label("fact_id"),
        _cards.c.id.label("card_id"),
        *[_cards.c[name] for name in _STATE_COLUMNS],
    )
    .select_from(
        _users.outerjoin(
            _cards,
            sa.and_(_cards.c.user_id == _users.c.id, _cards.c.fact_id == sa.bindparam("fact_id")),
        )
    )
    .where(_users.c.id == sa.bindparam("user_id"))
)


def record_item_answer(
    attempt_id: int,
    question: dict[str, Any],
    given: Any,
    correct: bool,
    seconds_taken: float | None,
    answered_at: dt.datetime,
    response_id: int | None,
) -> int:
    """Review the learner's cards of every fact an answer to an attempt's frozen question
    tells about (`core.memory.facts_answered`: the question's fact; each fact of an ordering
    or matching question, right or wrong item by item; the fact a hand-written question is
    linked to), inside the caller's write transaction. Returns how many cards were reviewed.

    A fact this attempt already reviewed (asked twice in one attempt, say as a fact question
    and inside a matching question) is not reviewed again: one attempt is one review. Facts the
    bank no longer has are passed over. Cost: one SELECT, then per fact one INSERT or UPDATE of
    its card, and one INSERT of the reviews.
    """
    answered = dict(core.facts_answered(question, given, correct))
    if not answered:
        return 0
    question_type = str(question.get("type") or "")
    params = {"attempt_id": attempt_id, "keys": list(answered)}
    rows = db.session.execute(_ITEM_CARDS, params).all()
    logged = []
    for row in rows:
        if row.seen:
            continue
        rating = core.rating_for(question_type, answered[row.key], seconds_taken)
        card_id = _write_card(
            row,
            question_type,
            rating,
            answered_at,
            lambda key=row.key: db.session.execute(_ITEM_CARDS, {**params, "keys": [key]}).one(),
        )
        logged.append(
            {
                "card_id": card_id,
                "rating": int(rating),
                "reviewed_at": core.naive(answered_at),
                "question_type": question_type,
                "seconds_taken": seconds_taken,
                "response_id": response_id,
            }
        )
    if logged:
        db.session.execute(_reviews.insert(), logged)
    return len(logged)


def _write_card(
    row: Any,
    question_type: str,
    rating: core.Rating,
    answered_at: dt.datetime,
    reread: Callable[[], Any],
) -> int:
    """Insert or update one card from a row of `_ITEM_CARDS` or `_USER_CARD` (user_id,
    desired_retention, fact_id, card_id and the state columns) and return its id,
    optimistically: the insert does nothing on a conflict and the update needs the review
    count read, so that an answer committed in between (PostgreSQL) makes this one read the
    card again (`reread`) and retry."""
    for _try in range(WRITE_TRIES):
        if row.card_id is None:
            state = core.new_card(answered_at)
        else:
            state = core.CardState(**{name: row._mapping[name] for name in _STATE_COLUMNS})
        after = core.review(state, question_type, rating, answered_at, row.desired_retention)
        if row.card_id is None:
            inserted = db.session.execute(
                _insert_card(), {"user_id": row.user_id, "fact_id": row.fact_id, **after.fields()}
            ).scalar()
            if inserted is not None:
                return inserted
        else:
            updated = db.session.execute(
                _UPDATE_CARD,
                {"card_id": row.card_id, "reviews_read": state.reviews, **after.fields()},
            ).rowcount
            if updated:
                return row.card_id
        row = reread()
    raise RuntimeError(f"could not write the memory card of fact {row.fact_id}")


# Built once: the answer path only binds values (building a statement per answer costs more
# than running it).
_UPDATE_CARD = _cards.update().where(
    _cards.c.id == sa.bindparam("card_id"), _cards.c.reviews == sa.bindparam("reviews_read")
)
_INSERT_CARD: dict[str, Any] = {}


def _insert_card() -> Any:
    """INSERT INTO fact_cards ... ON CONFLICT (user_id, fact_id) DO NOTHING RETURNING id, in
    the session's dialect (SQLite or PostgreSQL), built once per dialect."""
    name = db.session.get_bind().dialect.name
    if name not in _INSERT_CARD:
        if name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        _INSERT_CARD[name] = (
            insert(_cards)
            .on_conflict_do_nothing(index_elements=[_cards.c.user_id, _cards.c.fact_id])
            .returning(_cards.c.id)
        )
    return _INSERT_CARD[name]


def regrade_responses(response_ids: sa.Select) -> int:
    """What a regrade does to memory: the answers `response_ids` (a SELECT of Response ids)
    are now right, so each wrong review they made (rating Again) is rated again as a right
    answer (`rating_for` with its stored seconds and type), and every card holding such a
    review is replayed from its whole review log, in time order, with the learner's desired
    retention of now (`core.memory.replay`): due date, stability, difficulty, lapses and the
    fresh-form fields come out as if the answer had been right when given. Reviews already
    right, and answers that made no review (a fact asked twice in one attempt), change
    nothing. Returns how many cards were replayed; the caller commits.

    Three statements besides the writes: the reviews to change, the logs of their cards, and
    the learners' retention; then one UPDATE per review and per card.
    """
    changed = db.session.execute(
        sa.select(
            _reviews.c.id, _reviews.c.card_id, _reviews.c.question_type, _reviews.c.seconds_taken
        ).where(
            _reviews.c.response_id.in_(response_ids.scalar_subquery()),
            _reviews.c.rating == int(core.Rating.Again),
        )
    ).all()
    if not changed:
        return 0
    ratings = {
        row.id: int(core.rating_for(row.question_type, True, row.seconds_taken)) for row in changed
    }
    db.session.execute(
        _reviews.update()
        .where(_reviews.c.id == sa.bindparam("review_id"))
        .values(rating=sa.bindparam("new_rating")),
        [{"review_id": key, "new_rating": value} for key, value in ratings.items()],
    )
    card_ids = sorted({row.card_id for row in changed})
    logs: dict[int, list[core.Review]] = {card_id: [] for card_id in card_ids}
    for row in db.session.execute(
        sa.select(
            _reviews.c.card_id, _reviews.c.question_type, _reviews.c.rating, _reviews.c.reviewed_at
        )
        .where(_reviews.c.card_id.in_(card_ids))
        .order_by(_reviews.c.card_id, _reviews.c.reviewed_at, _reviews.c.id)
    ):
        logs[row.card_id].append(core.Review(row.question_type, row.rating, row.reviewed_at))
    retention = dict(
        db.session.execute(
            sa.select(_cards.c.id, _users.c.desired_retention)
            .join(_users, _users.c.id == _cards.c.user_id)
            .where(_cards.c.id.in_(card_ids))
        ).all()
    )
    for card_id, log in logs.items():
        card = core.replay(log, retention[card_id])
        assert card is not None
        db.session.execute(_cards.update().where(_cards.c.id == card_id).values(**card.fields()))
    return len(card_ids)

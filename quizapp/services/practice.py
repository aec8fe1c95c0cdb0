"""Spaced practice of one bank in one language: what is due, what is new, what a session
would ask, and starting that session as an attempt (`settings["mode"] == "practice"`).

A learner's memory of each fact is a `FactCard` (`services.memory` keeps it, from every
answer). On the practice page of a bank and language:
- **due now**: facts whose card is due (`FactCard.due <= now`);
- **new**: facts with no review yet;
- a session (`core.practice_session`): the due facts, lowest retrievability first, then new
  facts in the bank's order, up to the learner's daily allowance (`User.daily_new_facts`
  less the facts they first met today, in any bank and in quizzes too: the limit is one per
  account, on how much new material a day brings), SESSION_SIZE at most; each asked in a
  fresh form (`core.memory.next_form`).

Only facts practice can ask are counted: live (not retired, not waiting for a teacher's
review after an edit of their source) and askable as a single question in that language.
The session is frozen like a quiz (`attempts.starting.freeze_attempt`), so its questions,
answers, feedback and source passages are a quiz's own. One session per bank and language is
open at a time: "Practise now" while one is open continues it.

The rows read are bounded by the bank's size in one language (one query); mastery and the
forecast are then computed by the core on them.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.core.mastery import Mastery, TopicMastery, mastery_by_topic, mastery_of
from quizapp.core.memory import next_form, retrievability
from quizapp.core.practice_session import (
    SESSION_SIZE,
    LastSeen,
    SessionPlan,
    askable_forms,
    new_allowance,
    plan_session,
    practice_questions,
)
from quizapp.core.review_forecast import ForecastDay, due_forecast
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Fact, FactCard, FactReview, User, utcnow
from quizapp.services.attempt_modes import PRACTICE, practice_clause
from quizapp.services.attempts.errors import QuizError
from quizapp.services.attempts.starting import freeze_attempt
from quizapp.services.banks import offered_banks, question_pool
from quizapp.services.permissions import require_take


class NothingToPractise(QuizError):
    """Nothing is due and no new fact is allowed today; `next_due` (naive UTC) is when the
    next fact falls due, None when no fact is scheduled."""

    def __init__(self, message: str, next_due: dt.datetime | None):
        super().__init__(message)
        self.next_due = next_due


@dataclass(frozen=True)
class FactMemory:
    """One live fact of the bank and language with the learner's card (None: never
    answered) and its retrievability now (0 when never answered)."""

    fact_id: int
    key: str
    topic: str
    card: FactCard | None
    retrievability: float

    @property
    def studied(self) -> bool:
        """Whether the learner has answered this fact at least once."""
        return self.card is not None and self.card.last_review is not None


@dataclass(frozen=True)
class PracticeOverview:
    """The practice page of one bank and language for one learner (times naive UTC)."""

    bank: Bank
    language: str
    due_now: int
    new: int
    daily_limit: int
    introduced_today: int
    new_allowed: int
    plan: SessionPlan
    next_due: dt.datetime | None
    forecast: list[ForecastDay]
    mastery: Mastery
    topics: list[TopicMastery]
    open_attempt_id: int | None
    size: int = SESSION_SIZE
    askable: int = 0


def _require_language(bank: Bank, language: str) -> None:
    if language not in bank.languages:
        raise QuizError(_("This bank has no questions in %(language)s.", language=language))


def fact_memories(user: User, bank: Bank, language: str, now: dt.datetime) -> list[FactMemory]:
    """Every live fact of the bank in the language (bank order) with the learner's card, in one
    query (facts outer-joined to this learner's cards)."""
    rows = db.session.execute(
        sa.select(Fact.id, Fact.key, Fact.topic, FactCard)
        .outerjoin(FactCard, sa.and_(FactCard.fact_id == Fact.id, FactCard.user_id == user.id))
        .where(
            Fact.bank_id == bank.id,
            Fact.language == language,
            Fact.retired.is_(False),
            Fact.needs_review.is_(False),
        )
        .order_by(Fact.id)
    ).all()
    retention = user.desired_retention
    return [
        FactMemory(
            fact_id,
            key,
            topic,
            card,
            retrievability(card, now, retention) if card is not None else 0.0,
        )
        for fact_id, key, topic, card in rows
    ]


def introduced_since(user_id: int, since: dt.datetime) -> int:
    """How many facts the learner answered for the first time at or after `since` (naive UTC:
    the start of their day), in any bank, in practice or in a quiz. One query: cards with a
    review since then and none before."""
    since_then = sa.exists().where(
        FactReview.card_id == FactCard.id, FactReview.reviewed_at >= since
    )
    before = sa.exists().where(FactReview.card_id == FactCard.id, FactReview.reviewed_at < since)
    return int(
        db.session.scalar(
            sa.select(sa.func.count(FactCard.id)).where(
                FactCard.user_id == user_id, since_then, ~before
            )
        )
        or 0
    )


def open_practice(user: User, bank: Bank, language: str) -> Attempt | None:
    """The learner's unfinished practice session of this bank and language, if any."""
    return db.session.scalar(
        sa.select(Attempt)
        .where(
            Attempt.user_id == user.id,
            Attempt.bank_id == bank.id,
            Attempt.language == language,
            Attempt.finished_at.is_(None),
            practice_clause(),
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
    )


def _session_plan(
    memories: list[FactMemory], askable: set[str], now: dt.datetime, allowed: int
) -> SessionPlan:
    due = [
        (m.key, m.retrievability)
        for m in memories
        if m.key in askable and m.studied and m.card.due <= now
    ]
    new = [m.key for m in memories if m.key in askable and not m.studied]
    return plan_session(due, new, allowed)


def practice_overview(
    user: User,
    bank: Bank,
    language: str,
    *,
    now: dt.datetime,
    day_starts: list[dt.datetime],
    today: dt.date,
) -> PracticeOverview:
    """The practice page's figures (see the module's docstring). `day_starts` are the naive UTC
    starts of the learner's days from today (`core.review_forecast.day_starts`): the first is
    the start of today, for the daily limit, and together they bound the forecast's days.

    `permissions.NotFound` when the bank is not offered to the learner; QuizError for a
    language the bank does not have.
    """
    require_take(user, bank)
    _require_language(bank, language)
    memories = fact_memories(user, bank, language, now)
    askable = set(askable_forms(question_pool(bank), language))
    practised = [m for m in memories if m.key in askable]
    introduced = introduced_since(user.id, day_starts[0])
    allowed = new_allowance(user.daily_new_facts, introduced)
    plan = _session_plan(memories, askable, now, allowed)
    upcoming = [m.card.due for m in practised if m.studied]
    later = [due for due in upcoming if due > now]
    open_attempt = open_practice(user, bank, language)
    return PracticeOverview(
        bank=bank,
        language=language,
        due_now=sum(1 for due in upcoming if due <= now),
        new=sum(1 for m in practised if not m.studied),
        daily_limit=user.daily_new_facts,
        introduced_today=introduced,
        new_allowed=allowed,
        plan=plan,
        next_due=min(later) if later else None,
        forecast=due_forecast(upcoming, day_starts, today),
        mastery=mastery_of(m.retrievability if m.studied else None for m in memories),
        topics=mastery_by_topic(
            (m.topic, m.retrievability if m.studied else None) for m in memories
        ),
        open_attempt_id=open_attempt.id if open_attempt is not None else None,
        askable=len(practised),
    )


def start_practice(
    user: User,
    bank: Bank,
    language: str,
    *,
    day_start: dt.datetime,
    now: dt.datetime | None = None,
    seed: int | None = None,
) -> Attempt:
    """Freeze a practice session into a new attempt (the caller commits), or hand back the
    session of this bank and language that is still open.

    The session asks the due facts (lowest retrievability first), then new facts up to the
    learner's allowance for the day that started at `day_start` (naive UTC), SESSION_SIZE at
    most, each in the form `core.memory.next_form` picks. NothingToPractise (with the next due
    time) when none is due and no new fact is allowed or left; `permissions.NotFound` when the
    bank is not offered to the learner; QuizError for a language it does not have.
    """
    require_take(user, bank)
    _require_language(bank, language)
    now = now or utcnow()
    existing = open_practice(user, bank, language)
    if existing is not None:
        return existing
    pool = question_pool(bank)
    memories = fact_memories(user, bank, language, now)
    askable = set(askable_forms(pool, language))
    allowed = new_allowance(user.daily_new_facts, introduced_since(user.id, day_start))
    plan = _session_plan(memories, askable, now, allowed)
    seed = secrets.randbelow(2**31) if seed is None else seed
    by_key = {m.key: m for m in memories}
    seen = {
        key: LastSeen(card.last_type, card.last_correct, card.recall_failures or 0)
        for key in plan.keys
        if (card := by_key[key].card) is not None
    }
    spare = [m.key for m in memories if m.key in askable and not m.studied]
    questions = practice_questions(
        pool, plan, language, seen, random.Random(f"spaced:{seed}"), next_form, spare_new=spare
    )
    if not questions:
        later = [m.card.due for m in memories if m.key in askable and m.studied]
        upcoming = [due for due in later if due > now]
        raise NothingToPractise(
            _("Nothing to practise now in this bank and language."),
            min(upcoming) if upcoming else None,
        )
    due = set(plan.due)
    settings = {
        "mode": PRACTICE,
        "seed": seed,
        "version": bank.version,
        "time_limit_minutes": 0,
        "due": sum(1 for q in questions if q.fact_id in due),
        "new": sum(1 for q in questions if q.fact_id not in due),
    }
    begin_write()
    # Checked again inside the write transaction: two clicks start one session.
    existing = open_practice(user, bank, language)
    if existing is not None:
        return existing
    return freeze_attempt(user, bank, language, settings, questions, started_at=now, in_write=True)


@dataclass(frozen=True)
class PracticeSummary:
    """One line of the practice index: a bank in one language, with what is due and new now
    and the learner's mastery of it."""

    bank: Bank
    language: str
    due_now: int
    new: int
    mastery: Mastery


def practice_summaries(user: User, now: dt.datetime) -> list[PracticeSummary]:
    """Per bank offered to the learner and per language it can make questions in, the
    learner's due and new facts (as on the practice page) and mastery, by bank slug. One
    query per bank and language (each bounded by the bank's size in it)."""
    summaries = []
    for bank, _count, offer in offered_banks(user):
        pool = question_pool(bank)
        for language in offer:
            askable = set(askable_forms(pool, language))
            if not askable:
                continue
            memories = fact_memories(user, bank, language, now)
            practised = [m for m in memories if m.key in askable]
            summaries.append(
                PracticeSummary(
                    bank,
                    language,
                    due_now=sum(1 for m in practised if m.studied and m.card.due <= now),
                    new=sum(1 for m in practised if not m.studied),
                    mastery=mastery_of(m.retrievability if m.studied else None for m in memories),
                )
            )
    return summaries

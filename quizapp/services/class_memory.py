"""What a class is forgetting (issue 12, point 6): the facts with the lowest mean
retrievability now over the class's learners, for the class's teachers.

A fact's mean is over the class's current learners who have answered it at least once (a
learner who never met a fact has no memory of it to measure: counting them as 0 would rank
the facts nobody has reached yet, not the ones being forgotten); the page says how many
learners that is for each fact. Facts that are retired, waiting for a teacher's review, or in
a bank the teacher may not see are left out.

Everything is computed in one grouped SQL query, on both databases: FSRS's forgetting curve
R = (1 + F·t/S)^(−d) (`core.memory.retrievability`; t whole days since the last review, S
the stability in days, d and F from the scheduler's parameters) is written in SQL with
`power()` (SQLite has it with its math functions, which `quizapp.database` supplies when the
library lacks them), then averaged per fact, ordered and limited. Its agreement with the core
is tested on both databases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from quizapp.core.memory import scheduler
from quizapp.extensions import db
from quizapp.models import (
    Bank,
    ClassMembership,
    Fact,
    FactCard,
    Passage,
    SchoolClass,
    Source,
    User,
)
from quizapp.services import permissions
from quizapp.services.classes import LEARNER, learner_id_select, require_teaching

FACTS_SHOWN = 20
_EPOCH = dt.datetime(1970, 1, 1)
_DAY_SECONDS = 86_400


@dataclass(frozen=True)
class FadingFact:
    """A fact the class is forgetting: its mean retrievability now (0-1) over the `learners`
    of the class who answered it, and where its evidence is (source slug, passage anchor)."""

    fact_id: int
    key: str
    bank_id: int
    bank_titles: dict[str, str]
    language: str
    topic: str
    statement: str
    source_slug: str
    anchor: str
    mean_retrievability: float
    learners: int

    def bank_title(self, language: str) -> str:
        """The bank's title in a language, falling back to any title it has."""
        return self.bank_titles.get(language) or next(iter(self.bank_titles.values()), "?")


@dataclass(frozen=True)
class ClassMemory:
    """The class's fading facts (lowest mean first) and how many of its learners have answered
    any fact at all (the others are not in any mean)."""

    facts: list[FadingFact]
    learners: int
    learners_studying: int


def retrievability_sql(now: dt.datetime) -> sa.ColumnElement[float]:
    """FactCard's retrievability at `now` (naive UTC) as a SQL expression: FSRS's curve with
    the default parameters (the forgetting curve does not depend on the desired retention), t
    the whole days since the last review (never negative), as `fsrs` counts them. Only
    meaningful where `last_review` and a positive `stability` are set."""
    parameters = scheduler().parameters
    decay = -float(parameters[20])
    factor = 0.9 ** (1 / decay) - 1
    now_seconds = int((now - _EPOCH).total_seconds())
    seconds = now_seconds - sa.cast(sa.extract("epoch", FactCard.last_review), sa.BigInteger)
    days = sa.case((seconds < 0, 0), else_=seconds // _DAY_SECONDS)
    base = sa.literal(1.0, sa.Float) + sa.literal(factor, sa.Float) * days / FactCard.stability
    return sa.func.power(base, sa.literal(decay, sa.Float), type_=sa.Float)


def fading_facts(
    user: User, school_class: SchoolClass, now: dt.datetime, limit: int = FACTS_SHOWN
) -> ClassMemory:
    """The `limit` facts with the lowest mean retrievability at `now` over the class's current
    learners who answered them (ties: fewer learners first, then bank order). The class's
    teachers only (`classes.require_teaching`: NotFound outside the class, Forbidden for a
    learner)."""
    require_teaching(user, school_class)
    learners = learner_id_select(school_class.id)
    mean = sa.func.avg(retrievability_sql(now)).label("mean")
    counted = sa.func.count(FactCard.id).label("learners")
    ranked = (
        sa.select(FactCard.fact_id.label("fact_id"), mean, counted)
        .join(Fact, Fact.id == FactCard.fact_id)
        .join(Bank, Bank.id == Fact.bank_id)
        .where(
            FactCard.user_id.in_(learners),
            FactCard.last_review.is_not(None),
            FactCard.stability > 0,
            Fact.retired.is_(False),
            Fact.needs_review.is_(False),
            permissions.viewable_clause(user),
        )
        .group_by(FactCard.fact_id)
        .order_by(mean, counted, FactCard.fact_id)
        .limit(limit)
        .subquery()
    )
    # Ranked first, joined to the facts after: PostgreSQL cannot group by a JSON column.
    rows = db.session.execute(
        sa.select(
            Fact.id,
            Fact.key,
            Bank.id,
            Bank.titles,
            Fact.language,
            Fact.topic,
            Fact.statement,
            Source.slug,
            Passage.anchor,
            ranked.c.mean,
            ranked.c.learners,
        )
        .select_from(ranked)
        .join(Fact, Fact.id == ranked.c.fact_id)
        .join(Bank, Bank.id == Fact.bank_id)
        .join(Passage, Passage.id == Fact.passage_id)
        .join(Source, Source.id == Passage.source_id)
        .order_by(ranked.c.mean, ranked.c.learners, Fact.id)
    ).all()
    in_class = db.session.scalar(sa.select(sa.func.count()).select_from(learners.subquery()))
    # One probe of (user_id, due) per learner, not a scan of every card of the class.
    answered = (
        sa.exists()
        .where(FactCard.user_id == ClassMembership.user_id, FactCard.last_review.is_not(None))
        .correlate(ClassMembership)
    )
    studying = db.session.scalar(
        sa.select(sa.func.count(ClassMembership.id)).where(
            ClassMembership.class_id == school_class.id,
            ClassMembership.role == LEARNER,
            answered,
        )
    )
    facts = [
        FadingFact(
            fact_id,
            key,
            bank_id,
            titles,
            language,
            topic,
            statement,
            source_slug,
            anchor,
            float(mean_value or 0.0),
            int(count),
        )
        for (
            fact_id,
            key,
            bank_id,
            titles,
            language,
            topic,
            statement,
            source_slug,
            anchor,
            mean_value,
            count,
        ) in rows
    ]
    return ClassMemory(facts, int(in_class or 0), int(studying or 0))

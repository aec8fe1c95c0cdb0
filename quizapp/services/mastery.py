"""A learner's mastery per bank and language, and per topic (issue 12, point 5), for their
history page: the share of the bank's live facts in that language that they would recall now
with probability >= 0.9 (`core.mastery`, FSRS retrievability by `core.memory`).

Listed are the banks and languages in which the learner has answered at least one fact.
Facts are the live ones (not retired, not waiting for a teacher's review), as on the practice
page. The rows read are those banks' facts with the learner's cards (one query for the
pairs, one for the facts); the retrievability of each is the core's formula, so that the
history and the practice page agree to the last fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from quizapp.core.mastery import Mastery, TopicMastery, mastery_by_topic, mastery_of
from quizapp.core.memory import retrievability
from quizapp.extensions import db
from quizapp.models import Bank, Fact, FactCard, User


@dataclass(frozen=True)
class BankMastery:
    """The learner's mastery of one bank in one language, overall and per topic."""

    bank_id: int
    slug: str
    titles: dict[str, str]
    language: str
    mastery: Mastery
    topics: list[TopicMastery]

    def title(self, language: str) -> str:
        """The bank's title in a language, falling back to any title it has."""
        return self.titles.get(language) or next(iter(self.titles.values()), self.slug)


def _live() -> list[sa.ColumnElement[bool]]:
    return [Fact.retired.is_(False), Fact.needs_review.is_(False)]


def learner_mastery(
    learner: User,
    now: dt.datetime,
    bank_id: int | None = None,
    language: str | None = None,
) -> list[BankMastery]:
    """Per bank and language the learner has answered facts in (optionally one bank, one
    language), their mastery at `now` (naive UTC), by bank slug then language. The caller has
    checked that the viewer may read this learner's history (`history.learner_for`)."""
    pairs_query = (
        sa.select(Fact.bank_id, Fact.language)
        .join(FactCard, FactCard.fact_id == Fact.id)
        .where(FactCard.user_id == learner.id, FactCard.last_review.is_not(None), *_live())
        .distinct()
    )
    if bank_id is not None:
        pairs_query = pairs_query.where(Fact.bank_id == bank_id)
    if language is not None:
        pairs_query = pairs_query.where(Fact.language == language)
    pairs = {(b, lang) for b, lang in db.session.execute(pairs_query)}
    if not pairs:
        return []
    banks = {
        bank.id: bank
        for bank in db.session.scalars(sa.select(Bank).where(Bank.id.in_({b for b, _l in pairs})))
    }
    rows = db.session.execute(
        sa.select(Fact.bank_id, Fact.language, Fact.topic, FactCard)
        .outerjoin(FactCard, sa.and_(FactCard.fact_id == Fact.id, FactCard.user_id == learner.id))
        .where(
            Fact.bank_id.in_(banks),
            Fact.language.in_({lang for _b, lang in pairs}),
            *_live(),
        )
        .order_by(Fact.bank_id, Fact.language, Fact.id)
    ).all()
    retention = learner.desired_retention
    grouped: dict[tuple[int, str], list[tuple[str, float | None]]] = {}
    for fact_bank, fact_language, topic, card in rows:
        if (fact_bank, fact_language) not in pairs:
            continue
        value = (
            retrievability(card, now, retention)
            if card is not None and card.last_review is not None
            else None
        )
        grouped.setdefault((fact_bank, fact_language), []).append((topic, value))
    listed = [
        BankMastery(
            bank_id=key[0],
            slug=banks[key[0]].slug,
            titles=dict(banks[key[0]].titles),
            language=key[1],
            mastery=mastery_of(value for _topic, value in facts),
            topics=mastery_by_topic(facts),
        )
        for key, facts in grouped.items()
    ]
    return sorted(listed, key=lambda row: (row.slug, row.language))

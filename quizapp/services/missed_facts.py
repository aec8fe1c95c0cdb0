"""What the class misses (issue 11, point 5): the facts and topics of an assignment ranked by
the share of learners who got them wrong, each fact with its passage, and for typed questions
the answers learners typed most often, which a teacher may mark right (`services.regrade`).

A learner "got a fact wrong" when, in the attempts read (each learner's first finished attempt,
or all of them: `assignment_reports.chosen_attempts`), at least one answer to a question of
that fact was not right; a question left unanswered in a finished attempt counts as wrong.
Ordering and matching questions ask several facts at once, under their first fact's key, so
they are left out of the ranking. Hand-written questions are ranked as facts of their own (no
topic). Everything is counted by grouped SQL; only the ranked facts' representative frozen
questions (for their passage) and their top answers reach Python.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from quizapp.core.checking import MAX_ANSWER_CHARS, answers_match
from quizapp.core.item_analysis import TYPED_TYPES
from quizapp.core.practice import WRITTEN_PREFIX
from quizapp.core.question_types import TYPES
from quizapp.extensions import db
from quizapp.models import Assignment, AttemptItem, Bank, Fact, Response, User
from quizapp.services import permissions
from quizapp.services.assignment_reports import (
    FIRST_ATTEMPTS,
    chosen_attempts,
    typed_texts,
)
from quizapp.services.assignments import get_assignment

GROUP_TYPES = tuple(name for name, kind in TYPES.items() if kind.group)
FACTS_SHOWN = 30
TOPICS_SHOWN = 20
TYPED_SHOWN = 5  # answers per typed question


@dataclass(frozen=True)
class TypedAnswer:
    """One answer typed to a fact's typed questions: its normalised form (the regrade's key),
    the text as typed most often, how many responses gave it and how many of those are right."""

    normalised: str
    text: str
    responses: int
    right: int
    # Whether the question's kind reads it at all ("Napoleon" is no year): if not, accepting
    # it could never make it right, and no button offers to.
    readable: bool = True

    @property
    def all_right(self) -> bool:
        """Whether every response with this answer is marked right."""
        return self.right >= self.responses

    @property
    def can_be_read(self) -> bool:
        """Whether a checker reads this answer at all: not too long (longer ones are refused
        unread) and of the question's kind (a number for a number), so that marking it right
        would count."""
        return self.readable and len(self.text) <= MAX_ANSWER_CHARS


@dataclass(frozen=True)
class MissedFact:
    """A fact (or hand-written question) with the learners asked and those who got it wrong,
    its topic and statement, a frozen question of it (its stem, type and source, for the
    passage), and its most typed answers (empty unless it was asked as a typed question)."""

    fact_key: str
    asked: int
    missed: int
    topic: str | None
    statement: str
    question: dict[str, Any]
    typed: list[TypedAnswer]

    @property
    def share(self) -> float:
        """The learners who got it wrong, in % of those asked."""
        return 100 * self.missed / self.asked if self.asked else 0.0

    @property
    def written(self) -> bool:
        """Whether this is a hand-written question rather than a fact of the bank."""
        return self.fact_key.startswith(WRITTEN_PREFIX)

    @property
    def can_accept(self) -> bool:
        """Whether a typed answer may be marked right here: generated questions only (a
        hand-written question's answers and weights are edited in the bank)."""
        return not self.written and self.question.get("origin", "generated") == "generated"


@dataclass(frozen=True)
class MissedTopic:
    """A topic of the bank (its key, and a fact's label or statement that names it) with the
    learners asked one of its facts and those who got at least one of them wrong."""

    topic: str
    asked: int
    missed: int
    label: str = ""

    @property
    def share(self) -> float:
        """The learners who got it wrong, in % of those asked."""
        return 100 * self.missed / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class ClassMisses:
    """The page's figures: the ranked facts (at most FACTS_SHOWN, only those someone got
    wrong) and topics, the learners whose attempts were read, and whether this teacher's
    right answers go into the bank (`bank_editable`) or only into the assignment."""

    assignment: Assignment
    which: str
    learners: int
    facts: list[MissedFact]
    topics: list[MissedTopic]
    bank_editable: bool
    site_bank: bool


def _wrong() -> sa.ColumnElement[int]:
    # No response (unanswered) is wrong too: the outer join leaves `correct` NULL.
    return sa.case((Response.correct.is_(True), 0), else_=1)


def _ranked_facts(chosen: sa.Subquery, limit: int) -> list[tuple[str, int, int]]:
    """(fact_key, learners asked, learners wrong), the largest share wrong first."""
    per_learner = (
        sa.select(
            chosen.c.user_id,
            AttemptItem.fact_key,
            sa.func.max(_wrong()).label("wrong"),
        )
        .select_from(chosen)
        .join(AttemptItem, AttemptItem.attempt_id == chosen.c.id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.question_type.not_in(GROUP_TYPES))
        .group_by(chosen.c.user_id, AttemptItem.fact_key)
        .subquery("per_learner")
    )
    asked = sa.func.count()
    missed = sa.func.sum(per_learner.c.wrong)
    rows = db.session.execute(
        sa.select(per_learner.c.fact_key, asked, missed)
        .group_by(per_learner.c.fact_key)
        .having(missed > 0)
        .order_by((missed * 1.0 / asked).desc(), missed.desc(), per_learner.c.fact_key)
        .limit(limit)
    ).all()
    return [(key, int(n), int(wrong)) for key, n, wrong in rows]


def _ranked_topics(
    chosen: sa.Subquery, bank_id: int, language: str, limit: int
) -> list[MissedTopic]:
    """The topics, the largest share of learners wrong first, named in `language`."""
    per_learner = (
        sa.select(chosen.c.user_id, Fact.topic, sa.func.max(_wrong()).label("wrong"))
        .select_from(chosen)
        .join(AttemptItem, AttemptItem.attempt_id == chosen.c.id)
        .join(Fact, sa.and_(Fact.bank_id == bank_id, Fact.key == AttemptItem.fact_key))
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.question_type.not_in(GROUP_TYPES))
        .group_by(chosen.c.user_id, Fact.topic)
        .subquery("per_learner_topic")
    )
    asked = sa.func.count()
    missed = sa.func.sum(per_learner.c.wrong)
    rows = db.session.execute(
        sa.select(per_learner.c.topic, asked, missed)
        .group_by(per_learner.c.topic)
        .having(missed > 0)
        .order_by((missed * 1.0 / asked).desc(), missed.desc(), per_learner.c.topic)
        .limit(limit)
    ).all()
    topics = [topic for topic, _n, _wrong in rows]
    labels = dict(
        db.session.execute(
            sa.select(Fact.topic, sa.func.min(sa.func.coalesce(Fact.label, Fact.statement)))
            .where(Fact.bank_id == bank_id, Fact.topic.in_(topics), Fact.language == language)
            .group_by(Fact.topic)
        ).all()
    )
    return [
        MissedTopic(topic, int(n), int(wrong), labels.get(topic) or "") for topic, n, wrong in rows
    ]


def _representatives(chosen: sa.Subquery, keys: list[str]) -> dict[str, dict[str, Any]]:
    """One frozen question per fact key (its earliest item among the attempts read),
    preferring a typed one, whose accepted answers the page shows."""
    typed_first = sa.case((AttemptItem.question_type.in_(TYPED_TYPES), 0), else_=1)
    ranked = (
        sa.select(
            AttemptItem.id,
            sa.func.row_number()
            .over(partition_by=AttemptItem.fact_key, order_by=(typed_first, AttemptItem.id))
            .label("rank"),
        )
        .select_from(chosen)
        .join(AttemptItem, AttemptItem.attempt_id == chosen.c.id)
        .where(AttemptItem.fact_key.in_(keys), AttemptItem.question_type.not_in(GROUP_TYPES))
        .subquery("ranked_items")
    )
    rows = db.session.execute(
        sa.select(AttemptItem.fact_key, AttemptItem.question)
        .join(ranked, ranked.c.id == AttemptItem.id)
        .where(ranked.c.rank == 1)
    )
    return {key: dict(question) for key, question in rows}


def most_typed(
    chosen: sa.Subquery, keys: list[str], per_key: int = TYPED_SHOWN
) -> dict[str, list[TypedAnswer]]:
    """Per fact key, its typed questions' `per_key` most frequent normalised answers (most
    responses first), each with its count of responses and of right ones. Blank answers are
    left out."""
    if not keys:
        return {}
    count = sa.func.count()
    right = sa.func.sum(sa.case((Response.correct.is_(True), 1), else_=0))
    grouped = (
        sa.select(
            AttemptItem.fact_key,
            Response.normalised,
            count.label("responses"),
            right.label("right"),
            sa.func.row_number()
            .over(
                partition_by=AttemptItem.fact_key,
                order_by=(count.desc(), Response.normalised),
            )
            .label("rank"),
        )
        .select_from(chosen)
        .join(AttemptItem, AttemptItem.attempt_id == chosen.c.id)
        .join(Response, Response.item_id == AttemptItem.id)
        .where(
            AttemptItem.fact_key.in_(keys),
            AttemptItem.question_type.in_(TYPED_TYPES),
            Response.normalised != "",
        )
        .group_by(AttemptItem.fact_key, Response.normalised)
        .subquery("typed")
    )
    rows = db.session.execute(
        sa.select(grouped.c.fact_key, grouped.c.normalised, grouped.c.responses, grouped.c.right)
        .where(grouped.c.rank <= per_key)
        .order_by(grouped.c.fact_key, grouped.c.rank)
    ).all()
    texts = typed_texts(chosen, AttemptItem.fact_key, keys, [row.normalised for row in rows])
    answers: dict[str, list[TypedAnswer]] = {}
    for key, folded, responses, right_count in rows:
        answers.setdefault(key, []).append(
            TypedAnswer(
                folded, texts.get((key, folded), folded), int(responses), int(right_count or 0)
            )
        )
    return answers


def class_misses(
    user: User,
    assignment_id: int,
    which: str = FIRST_ATTEMPTS,
    *,
    limit: int = FACTS_SHOWN,
) -> ClassMisses:
    """What the class misses on an assignment (see the module), for a teacher of its class."""
    assignment = get_assignment(user, assignment_id, "teach")
    chosen = chosen_attempts(assignment, which)
    learners = db.session.scalar(sa.select(sa.func.count(sa.distinct(chosen.c.user_id)))) or 0
    ranked = _ranked_facts(chosen, limit)
    keys = [key for key, _asked, _missed in ranked]
    questions = _representatives(chosen, keys)
    typed = most_typed(chosen, keys)
    facts = {
        fact.key: fact
        for fact in db.session.scalars(
            sa.select(Fact).where(Fact.bank_id == assignment.bank_id, Fact.key.in_(keys))
        )
    }
    bank = db.session.get(Bank, assignment.bank_id)
    assert bank is not None
    missed = []
    for key, asked, wrong in ranked:
        question = questions.get(key, {})
        fact = facts.get(key)
        kind = question.get("kind") or (fact.kind if fact else "")
        answers = [
            replace(answer, readable=answers_match(answer.text, [answer.text], kind))
            for answer in typed.get(key, [])
        ]
        missed.append(
            MissedFact(
                fact_key=key,
                asked=asked,
                missed=wrong,
                topic=fact.topic if fact else None,
                statement=(fact.statement if fact else question.get("statement")) or "",
                question=question,
                typed=answers,
            )
        )
    return ClassMisses(
        assignment=assignment,
        which=which,
        learners=int(learners),
        facts=missed,
        topics=_ranked_topics(chosen, assignment.bank_id, assignment.language, TOPICS_SHOWN),
        bank_editable=permissions.can_edit(user, bank),
        site_bank=permissions.is_site_bank(bank),
    )

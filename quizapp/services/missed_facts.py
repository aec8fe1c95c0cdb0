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
from quizapp.database import for_large_report
from quizapp.extensions import db
from quizapp.models import Assignment, AttemptItem, Bank, Fact, Response, User
from quizapp.services import permissions
from quizapp.services.assignment_reports import FIRST_ATTEMPTS, chosen_attempts, decoded
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


@dataclass(frozen=True)
class _Ranked:
    """A fact's or topic's line of the ranking: learners asked and wrong, and for a fact the
    item whose frozen question represents it (its earliest typed item, else its earliest)."""

    name: str
    asked: int
    missed: int
    item_id: int | None = None


def _rankings(
    chosen: sa.Subquery, which: str, bank_id: int, fact_limit: int, topic_limit: int
) -> tuple[list[_Ranked], list[_Ranked]]:
    """The facts and the topics, the largest share of learners wrong first (then the most
    learners wrong, then the key), only those someone got wrong, at most `fact_limit` and
    `topic_limit`: one statement.

    The items of the attempts read are grouped once per (learner, fact): wrong if any
    answer was, with the fact's earliest typed and earliest item. Facts and topics are
    then counted from those groups (a topic through the bank's `facts` row; a learner got a
    topic wrong when they got any of its facts wrong), rather than from the responses
    again, and each fact's representative item comes from the same groups.

    With each learner's first attempt only, a (learner, fact) group is an (attempt, fact)
    group, and grouped by (learner, finish time, attempt, fact) the rows already come in
    that order from the indexes (attempts by learner and finish time, an attempt's items by
    fact): SQLite then groups them as they come instead of sorting them all first.
    """
    typed = AttemptItem.question_type.in_(TYPED_TYPES)
    if which == FIRST_ATTEMPTS:
        groups = (chosen.c.user_id, chosen.c.finished_at, chosen.c.id, AttemptItem.fact_key)
    else:
        groups = (chosen.c.user_id, AttemptItem.fact_key)
    per_learner = (
        sa.select(
            chosen.c.user_id,
            AttemptItem.fact_key,
            sa.func.max(_wrong()).label("wrong"),
            sa.func.min(sa.case((typed, AttemptItem.id))).label("typed_item"),
            sa.func.min(AttemptItem.id).label("first_item"),
        )
        .select_from(chosen)
        .join(AttemptItem, AttemptItem.attempt_id == chosen.c.id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.question_type.not_in(GROUP_TYPES))
        .group_by(*groups)
        .cte("per_learner")
    )

    def ranked(kind: str, name: Any, wrong: Any, item: Any, source: Any) -> sa.Select:
        asked, missed = sa.func.count(), sa.func.sum(wrong)
        rank = sa.func.row_number().over(
            order_by=((missed * 1.0 / asked).desc(), missed.desc(), name)
        )
        return (
            sa.select(
                sa.literal(kind).label("kind"),
                name.label("name"),
                asked.label("asked"),
                missed.label("missed"),
                item.label("item_id"),
                rank.label("rank"),
            )
            .select_from(source)
            .group_by(name)
            .having(missed > 0)
        )

    representative = sa.func.coalesce(
        sa.func.min(per_learner.c.typed_item), sa.func.min(per_learner.c.first_item)
    )
    facts = ranked("fact", per_learner.c.fact_key, per_learner.c.wrong, representative, per_learner)
    per_topic = (
        sa.select(
            per_learner.c.user_id, Fact.topic, sa.func.max(per_learner.c.wrong).label("wrong")
        )
        .join(Fact, sa.and_(Fact.bank_id == bank_id, Fact.key == per_learner.c.fact_key))
        .group_by(per_learner.c.user_id, Fact.topic)
        .subquery("per_topic")
    )
    topics = ranked("topic", per_topic.c.topic, per_topic.c.wrong, sa.null(), per_topic)
    both = sa.union_all(facts, topics).subquery("ranked")
    rows = db.session.execute(
        sa.select(both)
        .where(
            sa.or_(
                sa.and_(both.c.kind == "fact", both.c.rank <= fact_limit),
                sa.and_(both.c.kind == "topic", both.c.rank <= topic_limit),
            )
        )
        .order_by(both.c.kind, both.c.rank)
    ).all()
    lines: dict[str, list[_Ranked]] = {"fact": [], "topic": []}
    for kind, name, asked, missed, item_id, _rank in rows:
        lines[kind].append(_Ranked(name, int(asked), int(missed), item_id))
    return lines["fact"], lines["topic"]


def _topic_labels(bank_id: int, language: str, topics: list[str]) -> dict[str, str]:
    """A name for each topic in `language`: the first label or statement of its facts."""
    return dict(
        db.session.execute(
            sa.select(Fact.topic, sa.func.min(sa.func.coalesce(Fact.label, Fact.statement)))
            .where(Fact.bank_id == bank_id, Fact.topic.in_(topics), Fact.language == language)
            .group_by(Fact.topic)
        ).all()
    )


def most_typed(
    chosen: sa.Subquery, keys: list[str], per_key: int = TYPED_SHOWN
) -> dict[str, list[TypedAnswer]]:
    """Per fact key, its typed questions' `per_key` most frequent normalised answers (most
    responses first, then by the normalised text), each with its count of responses and of
    right ones, and its text as learners typed it most often (ties: the first in text
    order; counted over every question of the fact, as `assignment_reports.typed_texts`).
    Blank answers are left out.

    One pass over the keys' responses, grouped by (fact, typed or not, normalised answer,
    stored answer as text): the ranking and the texts are both read from those groups, so
    the responses are not read a second time for the texts. The stored JSON is compared as
    text, as PostgreSQL cannot group JSON values.
    """
    if not keys:
        return {}
    rows = (
        sa.select(
            AttemptItem.fact_key.label("fact_key"),
            AttemptItem.question_type.in_(TYPED_TYPES).label("typed"),
            Response.normalised.label("normalised"),
            sa.cast(Response.given, sa.Text).label("given"),
            sa.case((Response.correct.is_(True), 1), else_=0).label("right"),
        )
        .select_from(chosen)
        .join(AttemptItem, AttemptItem.attempt_id == chosen.c.id)
        .join(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.fact_key.in_(keys))
        .subquery("answer_rows")
    )
    answers = (
        sa.select(
            rows.c.fact_key,
            rows.c.typed,
            rows.c.normalised,
            rows.c.given,
            sa.func.count().label("n"),
            sa.func.sum(rows.c.right).label("right"),
        )
        .group_by(rows.c.fact_key, rows.c.typed, rows.c.normalised, rows.c.given)
        .cte("answers")
    )
    total = sa.func.sum(answers.c.n)
    top = (
        sa.select(
            answers.c.fact_key,
            answers.c.normalised,
            total.label("responses"),
            sa.func.sum(answers.c.right).label("right"),
            sa.func.row_number()
            .over(partition_by=answers.c.fact_key, order_by=(total.desc(), answers.c.normalised))
            .label("rank"),
        )
        .where(answers.c.typed.is_(True), answers.c.normalised != "")
        .group_by(answers.c.fact_key, answers.c.normalised)
        .subquery("top")
    )
    texts = (
        sa.select(
            answers.c.fact_key,
            answers.c.normalised,
            answers.c.given,
            sa.func.row_number()
            .over(
                partition_by=(answers.c.fact_key, answers.c.normalised),
                order_by=(total.desc(), answers.c.given),
            )
            .label("pick"),
        )
        .group_by(answers.c.fact_key, answers.c.normalised, answers.c.given)
        .subquery("texts")
    )
    result: dict[str, list[TypedAnswer]] = {}
    for key, folded, responses, right, raw in db.session.execute(
        sa.select(top.c.fact_key, top.c.normalised, top.c.responses, top.c.right, texts.c.given)
        .join(
            texts,
            sa.and_(
                texts.c.fact_key == top.c.fact_key,
                texts.c.normalised == top.c.normalised,
                texts.c.pick == 1,
            ),
        )
        .where(top.c.rank <= per_key)
        .order_by(top.c.fact_key, top.c.rank)
    ):
        result.setdefault(key, []).append(
            TypedAnswer(folded, decoded(raw), int(responses), int(right or 0))
        )
    return result


def class_misses(
    user: User,
    assignment_id: int,
    which: str = FIRST_ATTEMPTS,
    *,
    limit: int = FACTS_SHOWN,
) -> ClassMisses:
    """What the class misses on an assignment (see the module), for a teacher of its class."""
    assignment = get_assignment(user, assignment_id, "teach")
    for_large_report()
    chosen = chosen_attempts(assignment, which)
    learners = db.session.scalar(sa.select(sa.func.count(sa.distinct(chosen.c.user_id)))) or 0
    ranked, ranked_topics = _rankings(chosen, which, assignment.bank_id, limit, TOPICS_SHOWN)
    keys = [line.name for line in ranked]
    questions = dict(
        db.session.execute(
            sa.select(AttemptItem.id, AttemptItem.question).where(
                AttemptItem.id.in_([line.item_id for line in ranked])
            )
        ).all()
    )
    # Only a fact asked as a typed question has typed answers: its representative is then
    # typed (typed items come first), and only those facts' responses are read again.
    typed = most_typed(
        chosen,
        [
            line.name
            for line in ranked
            if (questions.get(line.item_id) or {}).get("type") in TYPED_TYPES
        ],
    )
    facts = {
        fact.key: fact
        for fact in db.session.scalars(
            sa.select(Fact).where(Fact.bank_id == assignment.bank_id, Fact.key.in_(keys))
        )
    }
    bank = db.session.get(Bank, assignment.bank_id)
    assert bank is not None
    missed = []
    for line in ranked:
        key, asked, wrong = line.name, line.asked, line.missed
        question = dict(questions.get(line.item_id) or {})
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
    labels = _topic_labels(
        assignment.bank_id, assignment.language, [line.name for line in ranked_topics]
    )
    return ClassMisses(
        assignment=assignment,
        which=which,
        learners=int(learners),
        facts=missed,
        topics=[
            MissedTopic(line.name, line.asked, line.missed, labels.get(line.name) or "")
            for line in ranked_topics
        ],
        bank_editable=permissions.can_edit(user, bank),
        site_bank=permissions.is_site_bank(bank),
    )

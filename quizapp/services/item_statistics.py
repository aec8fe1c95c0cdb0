"""Item analysis of an assignment with Moodle's quiz statistics (issue 11, point 6): per question
position when everyone got the same questions, per fact when each learner got a set of their
own; the test's statistics; how often each option of a multiple-choice question was picked.

The formulas are the core's (`core.item_analysis`, `core.score_statistics`,
`core.response_analysis`); this module feeds them SQL aggregates over the attempts read
(`assignment_reports.chosen_attempts`: each learner's first finished attempt by default, as
Moodle, or all of them):

- totals: `GROUP BY attempt score` ({total: attempts}) over the attempts read;
- everything per item from ONE pass over the items of those attempts with their responses,
  `GROUP BY item, mark, total − mark, option picked` (see `_one_pass`): the
  marks' and the rests' distributions, `SUM(mark × (total − mark))`, each item's first row
  and types, and the picks of each option of multiple-choice (and, with the same questions
  for everyone, true/false) questions are sums over those few groups. A question left
  unanswered in a finished attempt has mark 0 (Moodle's treatment of incomplete attempts).
  At a million responses, reading them once instead of once per figure is what keeps the
  analysis to a few seconds (bench/report.py).

A mark is a response's points (0 to 1: every question is worth one point) and a total the
attempt's stored score (the sum of its points, kept true by regrades). Ordering and matching
questions ask several facts under their first fact's key, so the per-fact analysis leaves them
out as items (their marks still count in the totals).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from quizapp.core.item_analysis import (
    ItemStatistics,
    ItemSums,
    analyse,
    random_guess_score,
)
from quizapp.core.response_analysis import OptionShare, option_frequencies
from quizapp.core.score_statistics import OverallStatistics
from quizapp.core.values import normalise
from quizapp.database import for_large_report
from quizapp.extensions import db
from quizapp.models import Assignment, AttemptItem, Fact, Response, User
from quizapp.services.assignment_reports import FIRST_ATTEMPTS, chosen_attempts, typed_texts
from quizapp.services.assignments import get_assignment
from quizapp.services.missed_facts import GROUP_TYPES

BY_POSITION, BY_FACT = "position", "fact"
MAX_MARK = 1.0  # every question is worth one point (core.checking.CheckResult.max_points)


@dataclass(frozen=True)
class ItemRow:
    """One item of the analysis: its key (a position or a fact key), a label (the stem, or the
    fact's statement), its question type (None when a fact was asked as several types), its
    statistics, and for choice questions each option's picks (`options`, the key marked)
    with the option's text by normalised form (`option_texts`)."""

    key: Hashable
    label: str
    question_type: str | None
    stats: ItemStatistics
    options: list[OptionShare]
    option_texts: dict[str, str]


@dataclass(frozen=True)
class ItemReport:
    """The analysis: how items are keyed (BY_POSITION or BY_FACT), which attempts were read,
    the test's statistics (mark-valued ones in % of the maximum total, `max_total` marks),
    and the items in order (positions; facts in order of first appearance)."""

    assignment: Assignment
    which: str
    by: str
    max_total: float
    overall: OverallStatistics
    items: list[ItemRow]


def _guess(question: dict[str, Any]) -> float | None:
    """The random guess score (%) of a frozen question (Moodle's, per type)."""
    kind = question.get("type", "")
    options = question.get("options")
    weights = question.get("weights")
    try:
        if kind == "mcq":
            values = list(weights.values()) if weights else None
            return random_guess_score(kind, len(options or []) or None, values)
        if kind == "match":
            right = (options or {}).get("right") or []
            return random_guess_score(kind, len(right) or None)
        return random_guess_score(kind)
    except ValueError:
        return None


@dataclass
class _Pass:
    """What one grouped pass over the items read gives the analysis (see `_one_pass`)."""

    marks: defaultdict[Hashable, Counter[float]]
    rests: defaultdict[Hashable, Counter[float]]
    products: defaultdict[Hashable, float]
    first_item: dict[Hashable, int]
    types: defaultdict[Hashable, set[str]]
    # (item, normalised option, picks) of the choice questions' answers, by item, most
    # picked first, then by option (in the database's text order).
    options: list[tuple[Hashable, str, int]]

    def sums(self) -> list[ItemSums]:
        """The core's per-item inputs."""
        return [
            ItemSums(item, MAX_MARK, dict(marks), dict(self.rests[item]), self.products[item])
            for item, marks in self.marks.items()
        ]

    def order(self) -> list[Hashable]:
        """The items in order of first appearance (their earliest item row)."""
        return sorted(self.first_item, key=self.first_item.__getitem__)


def _one_pass(
    chosen: sa.Subquery, key: sa.ColumnElement[Any], keep: sa.ColumnElement[bool], by: str
) -> _Pass:
    """Every per-item figure from one grouped pass over the items of the attempts read (each
    with its response, if any): per (item, mark, rest, option picked) the count, the
    earliest item row, Σ mark × rest and the first and last question type (the question
    type is not a grouping key: a narrower key is a cheaper sort on SQLite). The marks' and
    the rests' distributions, the products, each item's first row and question types, and
    the options picked are sums over those groups, which are few (items × marks × totals ×
    options), so a million responses are read once, not once per figure.

    A mark is the response's points (0 when unanswered), a rest the attempt's total minus
    it; the option is the normalised answer of a choice question (true/false too when
    everyone has the same questions), and NULL otherwise or when unanswered.
    """
    # True/false keys differ from learner to learner when each has a set of their own.
    choice_types = ("mcq", "tf") if by == BY_POSITION else ("mcq",)
    mark = sa.func.coalesce(Response.points, 0.0)
    rows = (
        sa.select(
            key.label("item"),
            AttemptItem.question_type.label("question_type"),
            mark.label("mark"),
            (chosen.c.score - mark).label("rest"),
            sa.case((AttemptItem.question_type.in_(choice_types), Response.normalised)).label(
                "option"
            ),
            AttemptItem.id.label("item_id"),
        )
        .select_from(chosen)
        .join(AttemptItem, AttemptItem.attempt_id == chosen.c.id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(keep)
        .subquery("rows")
    )
    grouped = (
        sa.select(
            rows.c.item,
            sa.func.min(rows.c.question_type).label("question_type"),
            sa.func.max(rows.c.question_type).label("last_type"),
            rows.c.mark,
            rows.c.rest,
            rows.c.option,
            sa.func.count().label("n"),
            sa.func.min(rows.c.item_id).label("first_item"),
            sa.func.sum(rows.c.mark * rows.c.rest).label("product"),
        )
        .group_by(rows.c.item, rows.c.mark, rows.c.rest, rows.c.option)
        .subquery("grouped")
    )
    picks = sa.func.sum(grouped.c.n).over(partition_by=(grouped.c.item, grouped.c.option))
    result = _Pass(
        defaultdict(Counter), defaultdict(Counter), defaultdict(float), {}, defaultdict(set), []
    )
    seen_options: set[tuple[Hashable, str]] = set()
    statement = sa.select(grouped, picks.label("picks")).order_by(
        grouped.c.item, picks.desc(), grouped.c.option
    )
    for (
        item,
        kind,
        last_kind,
        value,
        rest,
        option,
        count,
        first,
        product,
        picked,
    ) in db.session.execute(statement):
        result.marks[item][float(value)] += int(count)
        result.rests[item][float(rest)] += int(count)
        result.products[item] += float(product)
        result.first_item[item] = min(result.first_item.get(item, first), first)
        # The group's first and last question type: an item asked as several types has two.
        result.types[item].update((kind, last_kind))
        if option is not None and (item, option) not in seen_options:
            seen_options.add((item, option))
            result.options.append((item, option, int(picked)))
    return result


def _totals(chosen: sa.Subquery) -> tuple[dict[float, int], float]:
    """{attempt total: attempts} over the attempts read, and the largest maximum total."""
    totals = Counter[float]()
    max_total = 0.0
    for total, count, largest in db.session.execute(
        sa.select(chosen.c.score, sa.func.count(), sa.func.max(chosen.c.max_score)).group_by(
            chosen.c.score
        )
    ):
        totals[float(total)] += int(count)
        max_total = max(max_total, float(largest or 0.0))
    return dict(totals), max_total


def _frozen_questions(first_items: dict[Hashable, int]) -> dict[Hashable, dict[str, Any]]:
    """A frozen question of each item: that of its earliest item row."""
    questions = dict(
        db.session.execute(
            sa.select(AttemptItem.id, AttemptItem.question).where(
                AttemptItem.id.in_(list(first_items.values()))
            )
        ).all()
    )
    return {item: dict(questions[first]) for item, first in first_items.items()}


def item_analysis(user: User, assignment_id: int, which: str = FIRST_ATTEMPTS) -> ItemReport:
    """The item analysis of an assignment (see the module) for a teacher of its class."""
    assignment = get_assignment(user, assignment_id, "teach")
    for_large_report()
    chosen = chosen_attempts(assignment, which)
    by = BY_POSITION if assignment.same_questions else BY_FACT
    if by == BY_POSITION:
        key: sa.ColumnElement[Any] = AttemptItem.position
        keep: sa.ColumnElement[bool] = sa.true()
    else:
        key = AttemptItem.fact_key
        keep = AttemptItem.question_type.not_in(GROUP_TYPES)
    figures = _one_pass(chosen, key, keep, by)
    totals, max_total = _totals(chosen)
    order = figures.order()
    questions = _frozen_questions(figures.first_item)
    type_counts = {item: len(figures.types[item]) for item in order}
    guesses = {item: _guess(questions[item]) if type_counts[item] == 1 else None for item in order}
    analysis = analyse(totals, figures.sums(), guesses)
    overall = analysis.overall
    if max_total > 0:
        overall = overall.as_percentages(max_total)

    option_rows = figures.options
    choice_items = {item for item, _folded, _count in option_rows}
    keys: dict[Hashable, list[str]] = {}
    options: dict[Hashable, list[str]] = {}
    texts: dict[Hashable, dict[str, str]] = {}
    for item in choice_items:
        question = questions.get(item, {})
        right = [question.get("key")] if by == BY_POSITION else question.get("accepted") or []
        keys[item] = [normalise(str(form)) for form in right if form]
        if by == BY_POSITION:
            shown = [str(option) for option in question.get("options") or []]
            options[item] = [normalise(option) for option in shown]
            texts[item] = {normalise(option): option for option in shown}
    if by == BY_FACT and option_rows:
        typed = typed_texts(
            chosen, key, choice_items, [folded for _item, folded, _count in option_rows]
        )
        for (item, folded), text in typed.items():
            texts.setdefault(item, {})[folded] = text
    shares = option_frequencies(option_rows, keys, options)

    facts: dict[str, Fact] = {}
    if by == BY_FACT:
        facts = {
            fact.key: fact
            for fact in db.session.scalars(
                sa.select(Fact).where(
                    Fact.bank_id == assignment.bank_id, Fact.key.in_([str(k) for k in order])
                )
            )
        }
    stats = {row.item: row for row in analysis.items}
    items = []
    for item in order:
        question = questions[item]
        fact = facts.get(str(item))
        label = (fact.label or fact.statement) if fact else question.get("stem", "")
        items.append(
            ItemRow(
                key=item,
                label=label or "",
                question_type=question.get("type") if type_counts[item] == 1 else None,
                stats=stats[item],
                options=shares.get(item, []) if item in choice_items else [],
                option_texts=texts.get(item, {}),
            )
        )
    return ItemReport(assignment, which, by, float(max_total), overall, items)

"""Practising what was missed: a question set on exactly the facts a learner got wrong, each
asked in another form where the fact can make one. Pure logic on an indexed bank (no Flask).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.core.authored import as_question
from quizapp.core.bank import BankQuestion, Fact
from quizapp.core.leaks import SetGuard, exposure
from quizapp.core.question_pool import BUILD_TRIES, QuestionPool
from quizapp.core.question_types import TYPES, GenerationContext, Question

# Hand-written questions are named in an attempt by this prefix and their stored id.
WRITTEN_PREFIX = "q:"


@dataclass(frozen=True)
class Missed:
    """A fact (or a hand-written question, `q:<id>`) the learner missed, and how it was asked."""

    fact_id: str
    asked_as: str
    frozen: Question  # the question it was missed in: asked again when nothing else fits


def practice_set(
    pool: QuestionPool, missed: Sequence[Missed], language: str, rng: random.Random
) -> list[Question]:
    """One question per missed fact, in the order given.

    A fact is asked in another single-fact form it is eligible for (drawn at random), else in
    the same form built anew (other options), else as it was frozen; a fact missed in an
    ordering or matching question that makes no single question brings that group back once.
    A hand-written question is asked again from the bank (options shuffled anew), or as it
    was frozen when the bank no longer has it. As in any set, a new form whose stem or options
    would give another question's answer away is passed over for another form.
    """
    context = GenerationContext(pool.bank, pool.distractors, rng, forms=pool.answer_forms)
    facts = {fact.id: fact for fact in pool.facts.get(language, [])}
    written = {item.id: item for item in pool.bank.questions}
    guard = SetGuard()
    groups_back: set[int] = set()
    # Questions that cannot change form take their places first; the facts that can then
    # avoid forms that would give those away.
    fixed = [m for m in missed if m.fact_id.startswith(WRITTEN_PREFIX) or m.fact_id not in facts]
    flexible = [m for m in missed if m not in fixed]
    chosen: dict[int, Question] = {}
    for entry in fixed + flexible:
        question = None
        if entry.fact_id.startswith(WRITTEN_PREFIX):
            item = written.get(entry.fact_id.removeprefix(WRITTEN_PREFIX))
            if item is not None:
                question = _written_again(item, entry.fact_id, language, context)
                guard.admit(exposure(question))
        elif entry.fact_id in facts:
            question = _other_form(facts[entry.fact_id], entry.asked_as, context, rng, guard)
        if question is None:
            frozen = entry.frozen
            if frozen.type in ("order", "match"):
                if id(frozen) in groups_back:
                    continue
                groups_back.add(id(frozen))
            guard.admit(exposure(frozen))
            question = frozen
        chosen[id(entry)] = question
    return [chosen[id(entry)] for entry in missed if id(entry) in chosen]


def _written_again(
    item: BankQuestion, question_id: str, language: str, context: GenerationContext
) -> Question:
    source = context.passage_ref(item.passage_id) if item.passage_id else None
    return as_question(
        item.question, context.rng, question_id=question_id, language=language, source=source
    )


def _other_form(
    fact: Fact,
    asked_as: str,
    context: GenerationContext,
    rng: random.Random,
    guard: SetGuard,
) -> Question | None:
    """The fact in a single-fact form other than `asked_as` if it can make one, else in
    `asked_as` again (when that is a single-fact form); None when neither builds or fits."""
    singles = [
        name
        for name, kind in TYPES.items()
        if kind.from_facts
        and not kind.group
        and name not in fact.skip_types
        and kind.eligible(fact, context)
    ]
    others = [name for name in singles if name != asked_as]
    rng.shuffle(others)
    order = others + ([asked_as] if asked_as in singles else [])
    for name in order:
        for _ in range(BUILD_TRIES):
            question = TYPES[name].build([fact], context)
            if question is None:
                break
            if guard.admit(exposure(question, [fact])):
                return question
    return None

"""One fact's question forms: which single-fact types it can be asked as, and one question of
it in a chosen type (the reader's "ask me this"). Pure logic on an indexed bank (no Flask)."""

from __future__ import annotations

import random

from quizapp.core.bank_model import Fact
from quizapp.core.question_pool import BUILD_TRIES, QuestionPool
from quizapp.core.question_types import TYPES, GenerationContext, Question


def single_forms(pool: QuestionPool, fact: Fact) -> list[str]:
    """The single-fact question types the fact can be asked as, in registry order.

    A type counts when it is made from one fact (not ordering or matching, which need
    partners), the curator did not skip it for this fact, and the bank can build it
    (`QuestionPool.eligible` judged it with the bank's distractors and sentences).
    """
    return [
        name
        for name, kind in TYPES.items()
        if kind.from_facts
        and not kind.group
        and name not in fact.skip_types
        and fact in pool.eligible.get((fact.language, name), ())
    ]


def fact_question(
    pool: QuestionPool, fact: Fact, type_name: str, rng: random.Random
) -> Question | None:
    """A question of `fact` in the type `type_name`, or None when it is not one of the fact's
    forms or does not build in BUILD_TRIES tries (a builder may draw unluckily)."""
    if type_name not in single_forms(pool, fact):
        return None
    context = GenerationContext(pool.bank, pool.distractors, rng, forms=pool.answer_forms)
    for _ in range(BUILD_TRIES):
        question = TYPES[type_name].build([fact], context)
        if question is not None:
            return question
    return None


__all__ = ["fact_question", "single_forms"]

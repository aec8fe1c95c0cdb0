"""Question sets from facts: seeded, so the same seed always gives the same set.

`generate_quiz` indexes a bank and draws one set. The drawing itself is
`quizapp.core.question_pool.QuestionPool` (index a bank once, then draw many sets); what a
request asks and how a set falls short of it (`SetPlan`, `SetShortfall`, `GenerationError`) is
`quizapp.core.set_plan`, whose names this module also gives.
"""

from __future__ import annotations

from collections.abc import Iterable

from quizapp.core.bank import Bank
from quizapp.core.question_pool import DEFAULT_TYPES, QuestionPool
from quizapp.core.question_types import Question
from quizapp.core.set_plan import GenerationError, SetPlan, SetShortfall

__all__ = [
    "GenerationError",
    "SetPlan",
    "SetShortfall",
    "generate_quiz",
]


def generate_quiz(
    bank: Bank,
    count: int,
    language: str,
    seed: int | str,
    types: Iterable[str] = DEFAULT_TYPES,
    *,
    accept_shortfall: bool = False,
) -> list[Question]:
    """Index the bank and draw one question set (see QuestionPool.generate)."""
    return QuestionPool(bank).generate(
        count, language, seed, types, accept_shortfall=accept_shortfall
    )

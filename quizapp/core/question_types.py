"""The question types: each registers once, in TYPES, with its eligibility, builder, checker
and template.

A builder turns one fact (or, for ordering and matching, a few) into a `Question` carrying
everything a learner sees and everything needed to check and explain the answer, including
the source passage. The parts live by concept: `question_model` (Question, SourceRef,
GenerationContext), `question_builders` (eligibility and builders), `answer_checkers`; this
module is the registry and re-exports their public names. Nothing here knows about Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quizapp.core.answer_checkers import (
    check_choice,
    check_match,
    check_multi,
    check_order,
    check_typed,
)
from quizapp.core.bank_model import Fact
from quizapp.core.checking import CheckResult
from quizapp.core.question_builders import (
    GROUP_SELECTORS,
    build_cloze,
    build_match,
    build_multiple_choice,
    build_numeric,
    build_order,
    build_short_answer,
    build_true_false,
    cloze_blanks,
    cloze_eligible,
    match_eligible,
    mcq_eligible,
    numeric_eligible,
    order_eligible,
    select_match,
    select_order,
    short_eligible,
    tf_eligible,
)
from quizapp.core.question_model import (
    BLANK,
    MAX_GROUP,
    MIN_GROUP,
    PHRASES,
    GenerationContext,
    Question,
    SourceRef,
)

Builder = Callable[[list[Fact], GenerationContext], "Question | None"]
Checker = Callable[[Question, Any], CheckResult]
# eligible(fact, ctx=None): with the bank's GenerationContext the answer is truthful (an
# eligible fact builds); without one it judges by the fact alone.
Eligibility = Callable[..., bool]


@dataclass(frozen=True)
class QuestionType:
    """A registered question type: which facts it can use, how to build it, how to check it."""

    name: str
    eligible: Eligibility
    build: Builder
    check: Checker
    template: str
    group: bool = False
    from_facts: bool = True


TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType(
            "mcq",
            mcq_eligible,
            build_multiple_choice,
            check_choice,
            "quiz/types/choice.html",
        ),
        QuestionType(
            "tf",
            tf_eligible,
            build_true_false,
            check_choice,
            "quiz/types/choice.html",
        ),
        QuestionType(
            "cloze",
            cloze_eligible,
            build_cloze,
            check_typed,
            "quiz/types/text.html",
        ),
        QuestionType(
            "short",
            short_eligible,
            build_short_answer,
            check_typed,
            "quiz/types/text.html",
        ),
        QuestionType(
            "numeric",
            numeric_eligible,
            build_numeric,
            check_typed,
            "quiz/types/numeric.html",
        ),
        QuestionType(
            "multi",
            lambda fact, ctx=None: False,  # only hand-written questions have several keys
            lambda facts, ctx: None,
            check_multi,
            "quiz/types/multi.html",
            from_facts=False,
        ),
        QuestionType(
            "order",
            order_eligible,
            build_order,
            check_order,
            "quiz/types/order.html",
            group=True,
        ),
        QuestionType(
            "match",
            match_eligible,
            build_match,
            check_match,
            "quiz/types/match.html",
            group=True,
        ),
    )
}


def check_answer(question: Question, given: Any) -> CheckResult:
    """Check a response with its type's registered checker."""
    return TYPES[question.type].check(question, given)


def eligible_types(fact: Fact, ctx: GenerationContext) -> list[str]:
    """The names of the types the fact can make in its bank (truthful: each of them builds,
    for group types given enough partners)."""
    return [name for name, t in TYPES.items() if t.from_facts and t.eligible(fact, ctx)]


__all__ = [
    "BLANK",
    "GROUP_SELECTORS",
    "MAX_GROUP",
    "MIN_GROUP",
    "PHRASES",
    "TYPES",
    "Builder",
    "Checker",
    "GenerationContext",
    "Question",
    "QuestionType",
    "SourceRef",
    "build_cloze",
    "build_match",
    "build_multiple_choice",
    "build_numeric",
    "build_order",
    "build_short_answer",
    "build_true_false",
    "check_answer",
    "check_choice",
    "check_match",
    "check_multi",
    "check_order",
    "check_typed",
    "cloze_blanks",
    "cloze_eligible",
    "eligible_types",
    "match_eligible",
    "mcq_eligible",
    "numeric_eligible",
    "order_eligible",
    "select_match",
    "select_order",
    "short_eligible",
    "tf_eligible",
]

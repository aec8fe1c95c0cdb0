"""Which facts cannot make which questions, and why: the warnings `bank check` lists.

A fact is still valid when it cannot make a multiple-choice or a true/false question; the
curator is told so, with the fix: give a category, add pool entries to that category, give a
Spanish answer its gender, or write a false statement.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizapp.core.bank_model import NAME_KINDS, Bank, Fact, Problem
from quizapp.core.distractors import WRONG_OPTIONS, DistractorIndex
from quizapp.core.question_model import GenerationContext
from quizapp.core.question_types import TYPES

NO_CATEGORY = "no-category"
FEW_OPTIONS = "few-options"
NO_FALSE_FORM = "no-false-form"
HEADINGS = {
    NO_CATEGORY: "name facts with no category (no multiple choice, and no true/false without "
    "false_statements; categories: docs/bank-format.md, Taxonomy)",
    FEW_OPTIONS: f"facts with fewer than {WRONG_OPTIONS} usable wrong answers (no multiple choice)",
    NO_FALSE_FORM: "facts with no false form (no true/false question)",
}


@dataclass(frozen=True)
class Readiness:
    """A warning about one fact: which rule (`code`, a HEADINGS key) and the problem."""

    code: str
    problem: Problem


def readiness_warnings(bank: Bank, index: DistractorIndex | None = None) -> list[Readiness]:
    """Every fact that cannot make a multiple-choice or a true/false question, with why."""
    index = index or DistractorIndex(bank.facts, bank.pools)
    context = GenerationContext(bank, index, random.Random(0))
    warnings: list[Readiness] = []
    for fact in bank.facts:
        for code, message in fact_readiness(fact, context):
            warnings.append(Readiness(code, Problem(fact.file, fact.line, message, fact.id)))
    return warnings


def fact_readiness(fact: Fact, context: GenerationContext) -> list[tuple[str, str]]:
    """(code, message) for each question type the fact cannot make that it could with a fix."""
    found: list[tuple[str, str]] = []
    if fact.kind in NAME_KINDS and not fact.category:
        found.append((NO_CATEGORY, f"{fact.kind} fact without a category"))
        if not fact.false_statements:
            return found  # no true/false either, as the heading says
    elif "mcq" not in fact.skip_types and not TYPES["mcq"].eligible(fact, context):
        index = context.distractors
        if fact.kind in NAME_KINDS:
            usable = len(index.name_candidates(fact))
            message = (
                f"{fact.kind}/{fact.category} in {fact.language} has {usable} usable wrong "
                f"answer(s), {WRONG_OPTIONS} needed: add entries to pools/{fact.language}.yaml"
            )
        else:
            usable = len(index.choose(fact, WRONG_OPTIONS, random.Random(0)))
            message = (
                f"only {usable} value(s) near {fact.answer!r} are free (the others are accepted, "
                "within the tolerance, or true of the same subject)"
            )
        found.append((FEW_OPTIONS, message))
    # A form the curator ruled out (skip_types) needs no warning that it cannot be made.
    if "tf" not in fact.skip_types and not TYPES["tf"].eligible(fact, context):
        found.append((NO_FALSE_FORM, _no_false_form_reason(fact)))
    return found


def _no_false_form_reason(fact: Fact) -> str:
    if fact.kind in NAME_KINDS and not fact.category:
        why = "no category to swap from"
    elif fact.language == "es" and fact.kind in NAME_KINDS and not fact.gender:
        why = "no gender given for a Spanish answer"
    elif fact.kind in NAME_KINDS:
        why = (
            f"no value of {fact.kind}/{fact.category} fits the sentence "
            f"(same {'gender and ' if fact.language == 'es' else ''}number, not true of it)"
        )
    else:
        why = "no nearby value can be swapped in"
    return f"{why}; write false_statements or fix the grammar fields"

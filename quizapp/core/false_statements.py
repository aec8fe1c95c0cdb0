"""False statements for true/false questions that read as well as the true ones.

A false statement is either one a curator wrote (`false_statements` on the fact) or the
statement with its answer's span swapped for a wrong value of the same category that keeps the
sentence's agreement (see core.agreement). A swap is never made with a value that may be true:
an accepted answer, an excluded value, one named in the evidence or the statement, an answer of
a fact about the same subject, or one that turns the sentence into another fact's statement.
A fact with neither kind of false statement makes no true/false question at all: if it could
only ever be true, the key would be predictable.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from quizapp.core.agreement import (
    after_spanish_article,
    after_the,
    agrees,
    answer_span,
    place_takes_spanish_article,
    place_takes_the,
    replace_span,
)
from quizapp.core.bank_model import NAME_KINDS, Fact
from quizapp.core.distractors import NEAR_VALUES, DistractorIndex
from quizapp.core.question_fitness import bounded_figure
from quizapp.core.values import contains_phrase, normalise


def swapped_statements(
    fact: Fact, index: DistractorIndex, rng: random.Random | None = None, limit: int = 1
) -> list[str]:
    """Up to `limit` false statements made by swapping the answer's span (in random order
    with an rng, in the index's order without). Empty when no swap keeps the sentence right:
    a name fact needs a category and (Spanish) a gender; the statement must hold the answer as
    whole words."""
    span = answer_span(fact.statement, fact.answer)
    if span is None:
        return []
    values: Iterable[str]
    if fact.kind in NAME_KINDS:
        values = (
            c.text
            for c in index.iter_name_candidates(fact, rng)
            if agrees(fact.language, fact.gender, fact.number, c.gender, c.number)
            and _same_article(fact, span, c.text, c.number, index)
        )
    elif bounded_figure(fact):
        return []  # "at least 13,227" is true if at least 13,266 died: no swap is false
    elif rng is None:
        values = index.near_values(fact)
    else:
        values = index.choose(fact, NEAR_VALUES, rng)
    made: list[str] = []
    for value in values:
        if contains_phrase(fact.statement, value):
            continue  # "Hungary and Hungary": a value already in the sentence reads wrong
        statement = replace_span(fact.language, fact.statement, span, value)
        if normalise(statement) in index.statements:
            continue  # it is another fact's true statement
        made.append(statement)
        if len(made) >= limit:
            break
    return made


def _same_article(
    fact: Fact, span: tuple[int, int], value: str, number: str, index: DistractorIndex
) -> bool:
    """Places: the article before the answer must suit the value too, and its absence ("the
    Soviet Union" for "Hungary" reads wrong in English, "Unión Soviética" without "la" in
    Spanish)."""
    if fact.kind != "place":
        return True
    said_with = normalise(value) in index.said_with_article[fact.language]
    if fact.language == "en":
        takes_the = place_takes_the(value, number) or said_with
        return after_the(fact.statement, span) == takes_the
    if fact.language == "es":
        takes_article = place_takes_spanish_article(value, number) or said_with
        return after_spanish_article(fact.statement, span) == takes_article
    return True


def can_be_false(fact: Fact, index: DistractorIndex) -> bool:
    """Whether the fact has a false form: a curated false statement or a safe swap."""
    if fact.false_statements:
        return True
    key = ("can_be_false", fact)
    if key not in index.memo:
        index.memo[key] = bool(swapped_statements(fact, index))
    return bool(index.memo[key])


def false_statement(fact: Fact, index: DistractorIndex, rng: random.Random) -> str | None:
    """One false statement for the fact: a curated one when it has any, else a swap; None
    when it has neither.

    A curator writes false statements where a swap would read wrong or absurd (an alliance of
    another war, a body of another side), so they replace the swaps rather than share with them.
    """
    if fact.false_statements:
        return rng.choice(fact.false_statements)
    swapped = swapped_statements(fact, index, rng)
    return swapped[0] if swapped else None

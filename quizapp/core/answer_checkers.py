"""Checking a response against a frozen question, one checker per kind of answer."""

from __future__ import annotations

from typing import Any

from quizapp.core.checking import CheckResult, answers_match, normalised_answer
from quizapp.core.question_model import Question, matching_numeric
from quizapp.core.short_answers import short_answer_accepts
from quizapp.core.values import PartialDate, normalise


def _result(correct: bool, given: Any, points: float | None = None) -> CheckResult:
    earned = (1.0 if correct else 0.0) if points is None else points
    return CheckResult(correct, earned, 1.0, normalised_answer(given))


def _weighted(given: Any, fraction: float) -> CheckResult:
    """A result from a weight: right at full marks, partly right above zero, never below 0."""
    points = max(0.0, min(1.0, fraction))
    return _result(points >= 1.0 - 1e-9, given, points)


def check_choice(question: Question, given: Any) -> CheckResult:
    """One option picked: right when it is the key (or, for true/false, its plain value)."""
    if not isinstance(given, str):
        return _result(False, "")
    if question.weights:
        return _weighted(given, question.weights.get(given, 0.0))
    folded = normalise(given)
    return _result(any(folded == normalise(form) for form in question.accepted), given)


def check_multi(question: Question, given: Any) -> CheckResult:
    """Several options picked: their weights add up (wrong ones subtract), from 0 to 1 point."""
    if not isinstance(given, list) or not all(isinstance(g, str) for g in given):
        return _result(False, [])
    weights = question.weights or {}
    chosen = list(dict.fromkeys(given))
    return _weighted(chosen, sum(weights.get(option, 0.0) for option in chosen))


def check_typed(question: Question, given: Any) -> CheckResult:
    """A typed answer, compared as text, date or number by the fact's kind."""
    if not isinstance(given, str):
        return _result(False, "")
    if question.numeric_answers:
        answer = matching_numeric(question, given)
        return _weighted(given, answer["weight"] if answer else 0.0)
    if question.weights:
        return _weighted(given, _weight_of_typed(question, given))
    known = PartialDate(*question.known_date) if question.known_date else None
    right = answers_match(
        given,
        question.accepted,
        question.kind,
        question.tolerance,
        language=question.language,
        derived=question.derived_forms,
        rivals=question.rival_names,
        known_date=known,
        stem=question.stem,
    )
    return _result(right, given)


def _weight_of_typed(question: Question, given: str) -> float:
    """The weight of a typed answer to a question with weighted answers (hand-written ones).

    A text that accepts the answer as written (after `normalise`, with Moodle's wildcards:
    core/short_answers.py) gives its weight; otherwise the answer is read fairly (plurals,
    prepositions, typos in long names) against each weighted text, and takes the best weight
    only when every text it could be read as is weighted above zero, so a misspelling is never
    given the credit of a right answer it is as near as a wrong one.
    """
    weights = question.weights or {}
    exact = [w for text, w in weights.items() if short_answer_accepts(text, given)]
    if exact:
        return max(exact)
    fair = [
        w
        for text, w in weights.items()
        if answers_match(given, [text], question.kind, language=question.language)
    ]
    return max(fair) if fair and min(fair) > 0 else 0.0


def check_order(question: Question, given: Any) -> CheckResult:
    """A sequence: full marks for the right order, a share for each item in its place."""
    key = list(question.key)
    if not isinstance(given, list) or len(given) != len(key):
        return _result(False, given if isinstance(given, list) else [])
    in_place = sum(1 for mine, right in zip(given, key, strict=True) if mine == right)
    return _result(in_place == len(key), given, in_place / len(key))


def check_match(question: Question, given: Any) -> CheckResult:
    """Pairs: full marks when every left item has its right partner, a share for each."""
    key = dict(question.key)  # type: ignore[arg-type]
    if not isinstance(given, dict):
        return _result(False, {})
    right = sum(1 for left, answer in key.items() if given.get(left) == answer)
    return _result(right == len(key), {k: given.get(k, "") for k in key}, right / len(key))

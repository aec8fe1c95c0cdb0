"""Reading a finished attempt: each question's outcome, which facts were missed, and how the
learner did per topic. Pure logic on frozen questions and their answers (no Flask, no database).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from quizapp.core.question_model import Question

RIGHT, PARTLY, WRONG, UNANSWERED = "right", "partly", "wrong", "unanswered"
OUTCOMES = (RIGHT, PARTLY, WRONG, UNANSWERED)


@dataclass(frozen=True)
class Answered:
    """One question of an attempt with what the learner gave (answered False: nothing)."""

    question: Question
    answered: bool
    given: Any = None
    correct: bool = False
    points: float = 0.0


@dataclass(frozen=True)
class TopicTally:
    """How many of a topic's facts were asked and how many were answered right.

    `topic` is the source document's title; None gathers questions without a source.
    """

    topic: str | None
    asked: int
    right: int


def outcome(answer: Answered) -> str:
    """RIGHT, PARTLY (some points, not all), WRONG or UNANSWERED."""
    if not answer.answered:
        return UNANSWERED
    if answer.correct:
        return RIGHT
    return PARTLY if answer.points > 0 else WRONG


def fact_verdicts(answer: Answered) -> list[tuple[str, bool]]:
    """(fact id, answered right) for each fact the question asked, in the question's order.

    A question of one fact is right or not as a whole. An ordering or matching question asks
    several facts: each is right when its own item was placed or paired rightly, so a partly
    right group names exactly the facts that were missed. A hand-written question counts as
    one "fact" whose id is the question's (`q:<id>`).
    """
    question = answer.question
    if question.type not in ("order", "match") or not question.items:
        return [(question.fact_id, answer.answered and answer.correct)]
    given = answer.given if answer.answered else None
    verdicts = []
    if question.type == "order":
        key = list(question.key)
        placed = given if isinstance(given, list) else []
        for item in question.items:
            label = item.get("label") or ""
            index = key.index(label) if label in key else -1
            right = 0 <= index < len(placed) and placed[index] == label
            verdicts.append((item["fact_id"], right))
    else:
        key = dict(question.key)  # type: ignore[arg-type]
        pairs = given if isinstance(given, dict) else {}
        for item in question.items:
            label = item.get("label") or ""
            verdicts.append((item["fact_id"], label in key and pairs.get(label) == key[label]))
    return verdicts


def missed_facts(answers: Iterable[Answered]) -> list[str]:
    """The ids of the facts answered wrongly, partly or not at all, once each, in order."""
    missed: dict[str, None] = {}
    for answer in answers:
        for fact_id, right in fact_verdicts(answer):
            if not right:
                missed.setdefault(fact_id, None)
    return list(missed)


def _topics(question: Question) -> list[str | None]:
    """The topic of each fact the question asked, as `fact_verdicts` lists them."""
    if question.type in ("order", "match") and question.items:
        return [(item.get("source") or {}).get("document_title") for item in question.items]
    return [question.source.document_title if question.source else None]


def topic_breakdown(answers: Iterable[Answered]) -> list[TopicTally]:
    """Facts asked and answered right per source document, in the order first met.

    A group question counts each of its facts under its own document, so the tallies add up
    to the facts asked, not the questions.
    """
    asked: dict[str | None, list[int]] = {}
    for answer in answers:
        verdicts = fact_verdicts(answer)
        for topic, (_fact, right) in zip(_topics(answer.question), verdicts, strict=True):
            tally = asked.setdefault(topic, [0, 0])
            tally[0] += 1
            tally[1] += int(right)
    return [TopicTally(topic, n, right) for topic, (n, right) in asked.items()]

"""Unit tests for reading a finished attempt and building a practice set (no Flask)."""

from __future__ import annotations

import random

from quizapp.core.practice import Missed, practice_set
from quizapp.core.question_model import Question, SourceRef
from quizapp.core.results import (
    PARTLY,
    RIGHT,
    UNANSWERED,
    WRONG,
    Answered,
    fact_verdicts,
    missed_facts,
    outcome,
    topic_breakdown,
)


def _source(title: str) -> SourceRef:
    return SourceRef("doc", title, "someone", "doc#p1", "text", 0, 4)


def _single(fact_id: str, title: str | None = "Overview", kind: str = "mcq") -> Question:
    return Question(
        type=kind,
        language="en",
        stem=f"About {fact_id}?",
        options=["a", "b"],
        key="a",
        accepted=["a"],
        fact_id=fact_id,
        source=_source(title) if title else None,
        kind="term",
        statement="",
    )


def _group(kind: str, labels: list[str], titles: list[str]) -> Question:
    items = [
        {
            "fact_id": f"f-{label}",
            "label": label,
            "answer": f"ans-{label}",
            "accepted": [],
            "statement": "",
            "source": {"document_title": title},
        }
        for label, title in zip(labels, titles, strict=True)
    ]
    key: list[str] | dict[str, str] = (
        list(labels) if kind == "order" else {label: f"ans-{label}" for label in labels}
    )
    return Question(
        type=kind,
        language="en",
        stem="Put these in order",
        options=list(labels) if kind == "order" else {"left": labels, "right": []},
        key=key,
        accepted=[],
        fact_id=items[0]["fact_id"],
        source=None,
        kind=kind,
        statement="",
        items=items,
    )


def test_outcomes_in_words_the_results_page_uses():
    question = _single("a")
    assert outcome(Answered(question, True, "a", True, 1.0)) == RIGHT
    assert outcome(Answered(question, True, "b", False, 0.5)) == PARTLY
    assert outcome(Answered(question, True, "b", False, 0.0)) == WRONG
    assert outcome(Answered(question, False)) == UNANSWERED


def test_a_partly_right_ordering_names_exactly_the_misplaced_facts():
    question = _group("order", ["x", "y", "z"], ["A", "A", "B"])
    given = ["x", "z", "y"]  # x in place, y and z swapped
    answer = Answered(question, True, given, False, 1 / 3)
    assert fact_verdicts(answer) == [("f-x", True), ("f-y", False), ("f-z", False)]
    assert missed_facts([answer]) == ["f-y", "f-z"]


def test_a_partly_right_matching_names_exactly_the_wrong_pairs():
    question = _group("match", ["x", "y", "z"], ["A", "A", "A"])
    given = {"x": "ans-x", "y": "ans-z", "z": "ans-y"}
    answer = Answered(question, True, given, False, 1 / 3)
    assert missed_facts([answer]) == ["f-y", "f-z"]


def test_unanswered_questions_are_missed_and_right_ones_are_not():
    answers = [
        Answered(_single("a"), True, "a", True, 1.0),
        Answered(_single("b"), True, "b", False, 0.0),
        Answered(_single("c"), False),
        Answered(_group("order", ["x", "y", "z"], ["A"] * 3), False),
    ]
    assert missed_facts(answers) == ["b", "c", "f-x", "f-y", "f-z"]


def test_topics_count_facts_per_source_document():
    answers = [
        Answered(_single("a", "Overview"), True, "a", True, 1.0),
        Answered(_single("b", "Occupation"), True, "b", False, 0.0),
        Answered(_single("q:7", None), True, "a", True, 1.0),
        Answered(
            _group("match", ["x", "y", "z"], ["Overview", "Occupation", "Occupation"]),
            True,
            {"x": "ans-x", "y": "ans-y", "z": "wrong"},
            False,
            2 / 3,
        ),
    ]
    tallies = {t.topic: (t.asked, t.right) for t in topic_breakdown(answers)}
    assert tallies == {"Overview": (2, 2), "Occupation": (3, 1), None: (1, 1)}


def test_a_practice_set_asks_each_missed_fact_in_another_form(pool):
    facts = [f for f in pool.facts["en"]][:40]
    missed = []
    for fact in facts:
        eligible = [t for t in ("mcq", "tf", "short") if fact in pool.eligible[("en", t)]]
        if len(eligible) >= 2:
            frozen = _single(fact.id, kind=eligible[0])
            missed.append(Missed(fact.id, eligible[0], frozen))
        if len(missed) == 6:
            break
    questions = practice_set(pool, missed, "en", random.Random(1))
    assert [q.fact_id for q in questions] == [m.fact_id for m in missed]
    assert all(q.type != m.asked_as for q, m in zip(questions, missed, strict=True))
    assert all(q.type not in ("order", "match") for q in questions)


def test_a_practice_set_asks_a_fact_it_no_longer_knows_as_it_was_frozen(pool):
    frozen = _single("gone-fact", kind="mcq")
    (question,) = practice_set(pool, [Missed("gone-fact", "mcq", frozen)], "en", random.Random(1))
    assert question is frozen

"""Answers of questions still to come, found in a passage to be hidden (core.masking)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.leaks import Answer, fact_answer, reveals
from quizapp.core.masking import (
    MASK,
    answer_spans,
    hidden_spans,
    leaks_through,
    masked_reading,
    masked_text,
    question_answers,
)
from quizapp.core.question_pool import QuestionPool
from quizapp.core.question_types import TYPES
from quizapp.core.values import parse_date

ALL_TYPES = [name for name, t in TYPES.items() if t.from_facts]


def _texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_whole_words_only_case_and_accents_folded():
    text = "Romania joined the Axis; the Romanians of Bucureşti and BUCURESTI alike."
    assert _texts(text, answer_spans(text, [Answer(("Romania",))])) == ["Romania"]
    assert _texts(text, answer_spans(text, [Answer(("Bucuresti",))])) == [
        "Bucureşti",
        "BUCURESTI",
    ]
    assert answer_spans(text, [Answer(("Axi",))]) == []


def test_articles_and_punctuation_around_a_form():
    text = "He fought in the Battle of the Bulge, then (briefly) in Paris."
    spans = answer_spans(text, [Answer(("Battle of Bulge",)), Answer(("Paris",))])
    assert _texts(text, spans) == ["Battle of the Bulge", "Paris"]
    assert masked_text(text, spans) == f"He fought in the {MASK}, then (briefly) in {MASK}."


def test_dates_match_in_any_form():
    date = parse_date("23 August 1944")
    answer = Answer(("23 August 1944",), frozenset({date}))
    text = "On August 23, 1944 the king acted; el 23 de agosto de 1944 también. In 1945 not."
    spans = answer_spans(text, [answer])
    assert _texts(text, spans) == ["August 23, 1944", "23 de agosto de 1944"]
    assert not reveals(masked_text(text, spans), answer)


def test_overlapping_answers_are_merged_and_labelled_by_the_first():
    text = "The Iron Guard rebellion of the Iron Guard ended."
    spans = answer_spans(text, [Answer(("Iron Guard rebellion",)), Answer(("Guard",))])
    assert _texts(text, spans) == ["Iron Guard rebellion", "Guard"]
    hidden = hidden_spans(text, [(3, [Answer(("Guard",))]), (5, [Answer(("Iron Guard",))])])
    assert [(text[h.start : h.end], h.label) for h in hidden] == [
        ("Iron Guard", 3),
        ("Iron Guard", 3),
    ]


def test_grouped_numbers_are_found_across_tokens():
    text = "About 12 345 soldiers and 1,500 tanks."
    assert _texts(text, answer_spans(text, [Answer(("12345",))])) == ["12 345"]
    assert _texts(text, answer_spans(text, [Answer(("1500",))])) == ["1,500"]
    mixed = "1,500 men and 1 500 horses"
    assert _texts(mixed, answer_spans(mixed, [Answer(("1500",))])) == ["1,500", "1 500"]


def test_own_evidence_keeps_its_words_around_a_hidden_answer():
    text = "In 1941 Antonescu sent the army to Odessa, which fell in October."
    evidence = (0, text.index(","))
    spans = answer_spans(text, [Answer(("Odessa",))])
    assert _texts(text, spans) == ["Odessa"]
    start, end = spans[0]
    # Only the later answer's words are hidden; the rest of the evidence stays to be marked.
    assert evidence[0] < start and end <= evidence[1]
    assert masked_text(text, spans)[:start] == text[:start]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Paris", "1,500", "the", "Iaşi", "of", "war", "-40", "Iasi."]), max_size=12
    ),
    st.sampled_from(["Paris", "1500", "Iasi", "war", "40", "-40", "of war"]),
)
def test_after_masking_no_answer_is_stated(words, form):
    text = " ".join(words)
    answer = Answer((form,))
    assert not reveals(masked_reading(text, answer_spans(text, [answer])), answer)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_passage_of_a_set_hides_the_answers_still_to_come(bank, language):
    facts = {f.id: f for f in bank.facts}
    pool = QuestionPool(bank)
    checked = 0
    for seed in range(6):
        questions = pool.generate(12, language, seed, ALL_TYPES, accept_shortfall=True)
        for i, question in enumerate(questions):
            later = [(j + 1, question_answers(q)) for j, q in enumerate(questions) if j > i]
            sources = [question.source] if question.source else []
            sources += [item["source"] for item in question.items]
            for source in sources:
                text = source["passage_text"] if isinstance(source, dict) else source.passage_text
                assert not leaks_through(text, later), (seed, i)
                checked += 1
        # The frozen answers are the facts' (what the drawing guard compared).
        for question in questions:
            if question.type not in ("order", "match") and question.fact_id in facts:
                fact = facts[question.fact_id]
                assert question_answers(question)[0].forms == fact_answer(fact).forms
    assert checked > 50

"""Sets honour the request: capacity per type, announced shortfalls, no answer given away."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.authored import AuthoredQuestion, Choice
from quizapp.core.bank import BankQuestion
from quizapp.core.generation import GenerationError, SetShortfall
from quizapp.core.leaks import says
from quizapp.core.masking import hidden_spans, masked_text, question_answers
from quizapp.core.question_pool import QuestionPool
from quizapp.core.question_types import TYPES
from quizapp.core.set_plan import requested_split
from quizapp.core.values import contains_phrase, find_dates, parse_date

ALL_TYPES = [name for name, t in TYPES.items() if t.from_facts]


def _small(bank, passages: int, language: str = "en"):
    """The bank cut down to the facts of its first `passages` passages in one language."""
    facts = [f for f in bank.facts if f.language == language]
    kept = list(dict.fromkeys(f.passage_id for f in facts))[:passages]
    return replace(bank, facts=[f for f in facts if f.passage_id in kept], questions=[])


def test_the_split_is_even_and_the_first_types_take_the_remainder():
    assert requested_split(8, ["mcq", "order", "match"]) == {"mcq": 3, "order": 3, "match": 2}
    assert requested_split(2, ["mcq", "tf", "short"]) == {"mcq": 1, "tf": 1, "short": 0}


def test_capacity_counts_one_question_per_topic_several_per_passage(bank):
    small = _small(bank, 2)
    pool = QuestionPool(small)
    capacity = pool.capacity("en")
    assert list(capacity) == list(TYPES)
    # Two passages, several facts each: a set can hold several questions of each passage
    # (their answers are masked in the feedback until answered), one per topic.
    topics = {f.topic for f in pool.eligible[("en", "short")]}
    assert 2 < capacity["short"] <= len(topics)
    assert max(pool.plan(capacity["short"], "en", s, ["short"]).total for s in range(3)) > 2
    assert capacity["multi"] == 0  # only ever hand-written
    assert capacity["order"] <= 1 and capacity["match"] <= 1
    assert pool.capacity("fr") == dict.fromkeys(TYPES, 0)
    assert pool.producible("fr") == []


def test_capacity_counts_hand_written_questions_and_is_computed_once(bank, monkeypatch):
    written = [
        BankQuestion(
            str(n),
            AuthoredQuestion(
                "multi",
                f"Which {n}?",
                choices=[Choice("A", True), Choice("B", True), Choice("C", False)],
                language="en",
            ),
        )
        for n in range(3)
    ]
    pool = QuestionPool(replace(_small(bank, 1), questions=written))
    calls = []
    original = pool._count
    monkeypatch.setattr(pool, "_count", lambda *args: calls.append(args) or original(*args))
    assert pool.capacity("en")["multi"] == 3
    assert "multi" in pool.producible("en")
    pool.capacity("en")
    assert len(calls) == len(TYPES)  # the second call is served from the cache


def test_capacity_of_the_founding_bank_is_what_a_set_can_really_hold(pool):
    for language in ("en", "es"):
        capacity = pool.capacity(language)
        for type_name in ("mcq", "short", "numeric", "order", "match"):
            wanted = capacity[type_name]
            assert wanted > 0
            if TYPES[type_name].group:
                continue
            # Asking for the capacity of one single type gives it, or nearly: the count is a
            # greedy set whose stems and options give no answer away, and a random draw may
            # reach a smaller such set; never more than it announces.
            plans = [pool.plan(max(wanted, 1), language, seed, [type_name]) for seed in range(3)]
            made = max(plan.total for plan in plans)
            assert 0.85 * wanted <= made <= wanted, (language, type_name, made, wanted)
            assert all(plan.capacity[type_name] >= plan.total for plan in plans)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_feasible_request_is_given_exactly(pool, language):
    for seed in range(8):
        plan = pool.plan(7, language, seed, ALL_TYPES)
        assert plan.exact, (seed, plan.planned)
        questions = pool.generate(7, language, seed, ALL_TYPES)
        assert len(questions) == 7
        assert sorted(q.type for q in questions) == sorted(ALL_TYPES)


@pytest.mark.parametrize(
    ("count", "types"),
    [
        (12, ["order", "match"]),
        (45, ["mcq"]),
        (30, ALL_TYPES),
        (14, ["order", "mcq"]),  # 7 orderings: more than either language holds
        (50, ["numeric", "short"]),
    ],
)
def test_a_request_the_bank_cannot_meet_is_announced_and_never_filled_with_other_types(
    pool, count, types
):
    for language in ("en", "es"):
        for seed in range(2):
            with pytest.raises(SetShortfall) as raised:
                pool.generate(count, language, seed, types)
            plan = raised.value.plan
            assert not plan.exact
            assert plan.requested == requested_split(count, types)
            assert set(plan.planned) == set(types)
            assert 0 < plan.total <= count
            for type_name in plan.short_types():
                # A short type either cannot be made that often, or the set says how many fit.
                assert plan.planned[type_name] <= plan.capacity[type_name]
            accepted = pool.generate(count, language, seed, types, accept_shortfall=True)
            assert [q.to_dict() for q in accepted] == [q.to_dict() for q in plan.questions]
            assert {q.type for q in accepted} <= set(types)
            assert {t: sum(q.type == t for q in accepted) for t in types} == plan.planned


def test_a_short_type_gives_its_slots_to_the_other_requested_types(bank):
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]
    written = [
        AuthoredQuestion("short", f"Say the word {n}?", choices=[Choice(word, True)], language="en")
        for n, word in enumerate(words)
    ]
    written.append(
        AuthoredQuestion(
            "mcq",
            "Which one?",
            choices=[Choice("kilo", True), Choice("lima", False)],
            language="en",
        )
    )
    pool = QuestionPool(
        replace(bank, facts=[], questions=[BankQuestion(str(n), q) for n, q in enumerate(written)])
    )
    for seed in range(5):
        with pytest.raises(SetShortfall) as raised:
            pool.generate(10, "en", seed, ["mcq", "short"])
        plan = raised.value.plan
        assert plan.capacity == {"mcq": 1, "short": 9}
        assert plan.planned == {"mcq": 1, "short": 9}  # mcq's four missing slots went to short
        assert plan.total == 10 and plan.short_types() == ["mcq"]


def test_a_type_the_bank_cannot_make_is_refused_not_replaced(bank):
    pool = QuestionPool(_small(bank, 3))
    with pytest.raises(GenerationError) as raised:
        pool.generate(5, "en", 1, ["multi"], accept_shortfall=True)
    assert raised.value.code == "empty"
    with pytest.raises(GenerationError) as raised:
        pool.generate(5, "fr", 1, ["mcq"])
    assert raised.value.code == "no_language"


def _answers(question, facts):
    """Every accepted form of the question's answers (its facts'), as the checks read them."""
    ids = [i["fact_id"] for i in question.items] or [question.fact_id]
    return [form for i in ids if i in facts for form in facts[i].accepted]


def _dates(forms):
    return {d for d in map(parse_date, forms) if d is not None and d.day is not None}


def _states(text, forms):
    if any(contains_phrase(text, form) for form in forms):
        return True
    wanted = _dates(forms)
    return bool(wanted) and any(m.date in wanted for m in find_dates(text))


def _shown(question):
    options = question.options
    if isinstance(options, dict):
        options = [o for column in options.values() for o in column]
    return [question.stem, *(options or [])]


def _passages(question):
    sources = [question.source] if question.source else []
    sources += [i["source"] for i in question.items]
    return [s["passage_text"] if isinstance(s, dict) else s.passage_text for s in sources]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_question_gives_another_answer_away(pool, bank, language):
    facts = {f.id: f for f in bank.facts}
    checked = 0
    for seed in range(20):
        for count in (7, 12):
            questions = pool.generate(count, language, seed, ALL_TYPES, accept_shortfall=True)
            for i, question in enumerate(questions):
                for j, other in enumerate(questions):
                    if i == j:
                        continue
                    forms = _answers(other, facts)
                    for text in _shown(question):
                        assert not _states(text, forms), (seed, question.stem, forms)
                    if j > i:
                        # The passages as shown after question i: later answers masked.
                        later = [(k + 1, question_answers(q)) for k, q in enumerate(questions)]
                        later = later[i + 1 :]
                        for passage in _passages(question):
                            seen = masked_text(passage, hidden_spans(passage, later))
                            assert not _states(seen, forms), (seed, question.type, forms)
                    checked += 1
    assert checked > 1000


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcAé 19,.4-'", max_size=40),
    st.text(alphabet="abcAé 19,.4-'", max_size=12),
)
def test_the_cached_phrase_test_agrees_with_contains_phrase(text, form):
    assert says(text, form) == contains_phrase(text, form)

"""Issue 8: options of the key's category, false statements that read right, clean blanks,
ordering of events only. On the synthetic categorised bank of tests/synthetic_bank.py."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.agreement import answer_span, cut_words, english_article, replace_span
from quizapp.core.bank import Evidence, Fact, PoolEntry
from quizapp.core.distractors import DistractorIndex
from quizapp.core.question_pool import QuestionPool
from quizapp.core.question_types import (
    BLANK,
    TYPES,
    GenerationContext,
    cloze_blanks,
    eligible_types,
)
from quizapp.core.values import normalise
from tests.synthetic_bank import categorised_bank

SINGLE_TYPES = [n for n, t in TYPES.items() if t.from_facts and not t.group]


@pytest.fixture(scope="module")
def synthetic():
    return categorised_bank()


@pytest.fixture(scope="module")
def spool(synthetic):
    return QuestionPool(synthetic)


def _facts(bank):
    return {f.id: f for f in bank.facts}


def _category_values(bank, fact) -> set[str]:
    values = {
        normalise(e.text)
        for e in bank.pools[fact.language]
        if e.kind == fact.kind and e.category == fact.category
    }
    values |= {
        normalise(f.answer)
        for f in bank.facts
        if (f.language, f.kind, f.category) == (fact.language, fact.kind, fact.category)
    }
    return values


def _questions(pool, language, types, seeds=range(40), count=10):
    for seed in seeds:
        yield from pool.generate(count, language, seed, types)


# --- multiple choice ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_option_is_of_the_keys_category_and_language(spool, synthetic, language):
    facts = _facts(synthetic)
    checked = 0
    for question in _questions(spool, language, ["mcq"]):
        fact = facts[question.fact_id]
        if fact.kind in ("date", "year", "number"):
            continue
        values = _category_values(synthetic, fact)
        for option in question.options:
            assert normalise(option) in values, (fact.id, option, question.options)
        checked += 1
    assert checked >= 100


def test_a_historian_is_offered_historians_only(spool, synthetic):
    historians = {"Radu Ioanid", "Dennis Deletant", "Keith Hitchins", "Lucian Boia"}
    seen = 0
    for question in _questions(spool, "en", ["mcq"]):
        if question.fact_id == "historian-en":
            assert set(question.options) <= historians
            seen += 1
    assert seen


def test_no_multiple_choice_without_three_wrong_options_of_the_category(synthetic):
    front = Fact(
        id="front-en",
        language="en",
        topic="front",
        passage_id="doc-en#p1",
        evidence=synthetic.facts[0].evidence,
        statement="Romanian troops fought on the Southern Front.",
        answer="Southern Front",
        kind="place",
        stems=("On which front?",),
        category="front",  # the pool has two other fronts only
    )
    bank = replace(synthetic, facts=[*synthetic.facts, front])
    pool = QuestionPool(bank)
    context = GenerationContext(bank, pool.distractors, random.Random(1))
    assert not TYPES["mcq"].eligible(front, context)
    assert TYPES["mcq"].build([front], context) is None
    uncategorised = next(f for f in bank.facts if f.id == "curated-only-en")
    assert not TYPES["mcq"].eligible(uncategorised, context)
    assert not TYPES["mcq"].eligible(uncategorised)  # without a context too
    mcq_facts = {q.fact_id for q in _questions(pool, "en", ["mcq"], range(30))}
    assert "front-en" not in mcq_facts and "curated-only-en" not in mcq_facts


def test_old_flat_pool_entries_are_never_offered_to_a_categorised_fact(spool):
    for question in _questions(spool, "en", ["mcq", "tf"]):
        assert "Old Flat Entry" not in (question.options or []) + [question.stem]


def test_eligibility_is_truthful_every_eligible_fact_builds(synthetic):
    pool = QuestionPool(synthetic)
    for seed in range(8):
        context = GenerationContext(synthetic, pool.distractors, random.Random(seed))
        for fact in synthetic.facts:
            for name in eligible_types(fact, context):
                if TYPES[name].group:
                    continue
                assert TYPES[name].build([fact], context) is not None, (fact.id, name, seed)
            for name in SINGLE_TYPES:
                if name not in eligible_types(fact, context):
                    assert fact not in pool.eligible[(fact.language, name)]


def test_a_value_true_of_the_same_subject_is_never_offered(synthetic):
    # A second fact of the same topic makes Hungary true of the subject as well.
    base = _facts(synthetic)["liberate-czechoslovakia-en"]
    also = replace(base, id="liberate-hungary-en", answer="Hungary")
    also = replace(also, statement=base.statement.replace("Czechoslovakia", "Hungary"))
    excluded = replace(base, exclude_distractors=("Bulgaria",))
    facts = [f for f in synthetic.facts if f.id != base.id] + [excluded, also]
    bank = replace(synthetic, facts=facts)
    index = DistractorIndex(bank.facts, bank.pools)
    context = GenerationContext(bank, index, random.Random(0))
    for seed in range(60):
        context.rng = random.Random(seed)
        mcq = TYPES["mcq"].build([excluded], context)
        assert mcq is not None
        assert not {"Hungary", "Bulgaria"} & set(mcq.options), mcq.options
        tf = TYPES["tf"].build([excluded], context)
        assert tf is not None
        assert "Hungary" not in tf.stem and "Bulgaria" not in tf.stem


# --- true/false --------------------------------------------------------------------------------


def _false_stems(pool, language, fact_id, seeds=range(200)):
    """The false statements true/false questions of one fact show, over many seeds."""
    fact = next(f for f in pool.bank.facts if f.id == fact_id and f.language == language)
    stems = set()
    for seed in seeds:
        context = GenerationContext(pool.bank, pool.distractors, random.Random(seed))
        question = TYPES["tf"].build([fact], context)
        if question is not None and question.accepted[-1] == "false":
            stems.add(question.stem)
    return stems


def test_swaps_stand_on_word_boundaries_roma_never_inside_romanians(spool):
    stems = _false_stems(spool, "en", "deported-en")
    assert stems
    for stem in stems:
        assert stem.startswith("Romanians under Antonescu deported the "), stem
        assert "Roma " not in stem and stem != "Romanians under Antonescu deported the Roma"


def test_english_articles_are_chosen_by_inflect():
    statement = "The Soviet Union established an army in the north."
    span = answer_span(statement, "army")
    assert replace_span("en", statement, span, "Wehrmacht").startswith(
        "The Soviet Union established a Wehrmacht"
    )
    assert "an ultimatum" in replace_span("en", "They signed a treaty.", (14, 20), "ultimatum")
    assert english_article("hour") == "an" and english_article("union") == "a"


def test_false_statements_keep_the_article_right(spool):
    stems = _false_stems(spool, "en", "armistice-en")
    assert len(stems) >= 2
    for stem in stems:
        article, word = re.search(r"signed (an?) (\w+)", stem).groups()
        assert article == english_article(word), stem
        assert "an treaty" not in stem and "an memorandum" not in stem


def test_a_plural_answer_is_swapped_for_plurals_only(spool):
    stems = _false_stems(spool, "en", "bombings-en")
    assert stems
    assert all("Operation Tidal Wave" not in s for s in stems)


def test_an_english_place_keeps_its_the(spool, synthetic):
    # "the Soviet Union" has no other place said with "the" in its category: no swap at all.
    index = DistractorIndex(synthetic.facts, synthetic.pools)
    fact = _facts(synthetic)["ceded-bessarabia-to-en"]
    context = GenerationContext(synthetic, index, random.Random(0))
    assert not TYPES["tf"].eligible(fact, context)
    for stem in _false_stems(spool, "en", "liberate-czechoslovakia-en", range(60)):
        assert "liberate the " not in stem and "United States" not in stem


@pytest.mark.parametrize(
    ("fact_id", "allowed", "refused"),
    [
        (
            "iron-guard-es",
            {"Unión Patriótica", "Falange", "Cruz Flechada"},
            {"Partido Comunista", "Frente Nacional Democrático"},
        ),
        (
            "sovroms-es",
            {"cooperativas", "fábricas estatales", "sociedades anónimas"},
            {"bancos privados", "una empresa"},
        ),
        ("regime-es", {"monarquía", "república", "regencia"}, {"régimen"}),
    ],
)
def test_spanish_swaps_keep_gender_and_number(spool, synthetic, fact_id, allowed, refused):
    fact = _facts(synthetic)[fact_id]
    stems = _false_stems(spool, "es", fact_id)
    assert stems
    for stem in stems:
        prefix, _, rest = fact.statement.partition(fact.answer)
        used = stem[len(prefix) : len(stem) - len(rest)] if stem.startswith(prefix[:3]) else ""
        assert used in allowed | {v[:1].upper() + v[1:] for v in allowed}, stem
        assert not any(r in stem for r in refused), stem


def test_a_spanish_fact_without_gender_makes_no_swap(synthetic):
    index = DistractorIndex(synthetic.facts, synthetic.pools)
    context = GenerationContext(synthetic, index, random.Random(0))
    fact = _facts(synthetic)["no-gender-es"]
    assert not TYPES["tf"].eligible(fact, context)
    assert TYPES["mcq"].eligible(fact, context)  # options need no agreement


def test_curated_false_statements_are_used(spool, synthetic):
    facts = _facts(synthetic)
    only = _false_stems(spool, "en", "curated-only-en")
    assert only == set(facts["curated-only-en"].false_statements)
    # A fact with curated false statements uses them only, although a swap exists for it.
    both = _false_stems(spool, "en", "iron-guard-en")
    assert both == set(facts["iron-guard-en"].false_statements)


def test_a_fact_without_any_false_form_makes_no_true_false(synthetic):
    fact = _facts(synthetic)["curated-only-en"]
    bare = replace(fact, false_statements=())
    index = DistractorIndex([*synthetic.facts, bare], synthetic.pools)
    assert not TYPES["tf"].eligible(bare, GenerationContext(synthetic, index, random.Random()))
    assert not TYPES["tf"].eligible(bare)


def test_a_false_statement_is_never_a_true_statement_of_the_bank(spool, synthetic):
    statements = {normalise(f.statement) for f in synthetic.facts}
    for language in ("en", "es"):
        for question in _questions(spool, language, ["tf"], range(60)):
            if question.accepted[-1] == "false":
                assert normalise(question.stem) not in statements, question.stem


# --- cloze -------------------------------------------------------------------------------------


def test_cloze_never_blanks_inside_a_word(spool, synthetic):
    fact = _facts(synthetic)["trained-es"]
    stem, key = cloze_blanks(fact, fact.statement)
    assert stem == f"Los soldados entrenados y adoctrinados formaban {BLANK} divisiones."
    assert key == "dos"
    for question in _questions(spool, "es", ["cloze"], range(30)):
        assert not cut_words(question.stem, BLANK), question.stem


WORD = st.text(alphabet="abcdosné", min_size=1, max_size=7)


@given(
    words=st.lists(WORD, min_size=1, max_size=12),
    answer=WORD,
    separators=st.lists(st.sampled_from([" ", ", ", " (", ") ", "-", "'"]), min_size=12),
)
def test_a_blanked_sentence_never_cuts_a_word(words, answer, separators):
    sentence = "".join(w + s for w, s in zip(words, separators, strict=False)).strip() + "."
    fact = Fact(
        id="f",
        language="es",
        topic="t",
        passage_id="d#p1",
        evidence=Evidence(sentence, 0, len(sentence)),
        statement=sentence,
        answer=answer,
        kind="term",
        stems=("?",),
    )
    blanked = cloze_blanks(fact, sentence)
    if blanked is None:
        return
    stem, key = blanked
    assert not cut_words(stem, BLANK)
    assert normalise(key) == normalise(answer)
    # Every whole-word occurrence went: none is left standing.
    assert not re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", stem, re.IGNORECASE)


# --- ordering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_ordering_uses_events_only(spool, synthetic, language):
    facts = _facts(synthetic)
    seen = 0
    for question in _questions(spool, language, ["order"], range(30), count=1):
        for item in question.items:
            assert facts[item["fact_id"]].event, item
        seen += 1
    assert seen >= 20
    for fact_id in ("prices-year", "constitution"):
        fact = facts.get(f"{fact_id}-{language}")
        if fact is not None:
            assert not TYPES["order"].eligible(fact)


def test_order_and_match_items_carry_their_own_passage(spool, synthetic):
    for question in _questions(spool, "en", ["order", "match"], range(10), count=2):
        for item in question.items:
            fact = _facts(synthetic)[item["fact_id"]]
            assert item["source"]["passage_id"] == fact.passage_id
            assert item["source"]["passage_text"] == synthetic.passage(fact.passage_id).text


def test_a_pool_entry_carries_its_grammar(synthetic):
    entry = next(e for e in synthetic.pools["es"] if e.text == "Estados Unidos")
    assert entry == PoolEntry("place", "Estados Unidos", "country", "m", "plural")

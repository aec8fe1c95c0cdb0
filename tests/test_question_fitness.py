"""Facts that would make an unfair question of some form (issue 8's review): bounds on figures,
long phrases asked by typing, blanks in sentences that do not stand alone, aliases as options."""

from __future__ import annotations

import random

import pytest

from quizapp.core.bank import Evidence, Fact, PoolEntry
from quizapp.core.distractors import DistractorIndex
from quizapp.core.false_statements import swapped_statements
from quizapp.core.question_builders import cloze_eligible, mcq_eligible, short_eligible
from quizapp.core.question_fitness import bounded_figure, cloze_fair, typed_fair


def _fact(answer: str, statement: str, kind: str = "number", **fields) -> Fact:
    return Fact(
        id="f",
        language=fields.pop("language", "en"),
        topic="t",
        passage_id="doc#p1",
        evidence=Evidence(statement, 0, len(statement)),
        statement=statement,
        answer=answer,
        kind=kind,
        stems=("?",),
        **fields,
    )


@pytest.mark.parametrize(
    ("answer", "statement", "kind", "language", "bounded"),
    [
        (
            "13.266",
            "El pogromo se saldó con el asesinato de al menos 13.266 judíos.",
            "number",
            "es",
            True,
        ),
        ("260,000", "They massacred more than 260,000 Jews.", "number", "en", True),
        ("110,000", "About 110,000 soldiers had been killed.", "number", "en", True),
        ("300", "Unos 300 soldados llegaron.", "number", "es", True),
        ("13,266", "The pogrom killed 13,266 Jews.", "number", "en", False),
        # A year after "until" is a date, not a bound; an approximate year is one.
        ("1947", "Lascăr served as minister until 1947.", "year", "en", False),
        ("1956", "Las SovRom duraron hasta 1956.", "year", "es", False),
        ("1940", "The movement grew around 1940.", "year", "en", True),
        ("Iași", "At least Iași was spared.", "place", "en", False),  # not a figure
    ],
)
def test_a_figure_stated_as_a_bound(answer, statement, kind, language, bounded):
    assert bounded_figure(_fact(answer, statement, kind, language=language)) is bounded


def test_a_bounded_figure_makes_no_multiple_choice_and_no_swapped_false_statement():
    fact = _fact("13,266", "The pogrom killed at least 13,266 Jews.")
    index = DistractorIndex([fact], {})
    assert not mcq_eligible(fact)
    assert swapped_statements(fact, index, random.Random(1)) == []
    assert short_eligible(fact)  # still asked by typing


def test_a_long_phrase_is_not_asked_by_typing():
    fact = _fact(
        "diplomatic and bureaucratic means",
        "The Romanians resisted by diplomatic and bureaucratic means.",
        "term",
        category="measure",
    )
    assert not typed_fair(fact) and not short_eligible(fact) and not cloze_eligible(fact)
    assert typed_fair(_fact("armistice", "They signed an armistice.", "term"))


@pytest.mark.parametrize(
    ("answer", "sentence", "kind", "fields", "fair"),
    [
        (
            "12 de septiembre",
            "Para el 12 de septiembre, el Ejército Rojo controlaba el país.",
            "date",
            {"language": "es"},
            False,
        ),  # no year: any later date is true as well
        ("Red Army", "Thus the Red Army entered Bucharest.", "organisation", {}, False),
        (
            "armisticio",
            "En esa fecha, el rey aceptó el armisticio.",
            "term",
            {"language": "es"},
            False,
        ),
        (
            "Iași",
            "The pogrom took place in Iași.",
            "place",
            {"source_garbled": True, "note": "garbled"},
            False,
        ),
        (
            "23 de agosto de 1944",
            "El golpe fue el 23 de agosto de 1944.",
            "date",
            {"language": "es"},
            True,
        ),
        ("Red Army", "In 1944 the Red Army entered Bucharest.", "organisation", {}, True),
        # Photo captions speak of a picture the learner does not see.
        (
            "Joachim von Ribbentrop",
            "Hitler and Antonescu are pictured here with Joachim von Ribbentrop (far right).",
            "person",
            {},
            False,
        ),
        ("Keitel", "Keitel (left) meets Antonescu in Munich.", "person", {}, False),
        (
            "Antonescu",
            "En la foto, Antonescu saluda a las tropas.",
            "person",
            {"language": "es"},
            False,
        ),
        (
            "Antonescu",
            "Antonescu, fotografiado en Múnich, firmó el acuerdo.",
            "person",
            {"language": "es"},
            False,
        ),
        # "Pictures" or "left" as ordinary words are no caption.
        ("Antonescu", "Antonescu left Bucharest for Munich in June.", "person", {}, True),
    ],
)
def test_a_blank_needs_a_sentence_that_stands_alone(answer, sentence, kind, fields, fair):
    assert cloze_fair(_fact(answer, sentence, kind, **fields), sentence) is fair


def test_one_option_inside_another_is_never_offered_with_it():
    fact = _fact(
        "Iron Guard", "The Iron Guard ruled with Antonescu.", "organisation", category="party"
    )
    pool = {
        "en": [
            PoolEntry("organisation", "Romanian Communist Party", "party"),
            PoolEntry("organisation", "Communist Party", "party"),
            PoolEntry("organisation", "National Peasant Party", "party"),
            PoolEntry("organisation", "National Liberal Party", "party"),
        ]
    }
    index = DistractorIndex([fact], pool)
    for seed in range(20):
        options = index.choose(fact, 3, random.Random(seed))
        assert len(options) == 3
        assert not {"Romanian Communist Party", "Communist Party"} <= set(options), options


def _one_fact_bank(fact: Fact):
    """A bank holding one fact, whose passage is the fact's statement."""
    from quizapp.core.bank import Bank, Passage, Source

    text = fact.statement
    passage = Passage(id="doc#p1", document_id="doc", anchor="p1", text=text, position=0)
    source = Source(
        id="doc",
        title="Doc",
        language=fact.language,
        origin="test",
        licence="CC0",
        attribution="test",
        cleaning="",
        passages=[passage],
    )
    return Bank(
        id="b",
        title={"en": "B"},
        description={"en": ""},
        subject="history",
        licence="CC0",
        languages=[fact.language],
        sources={"doc": source},
        facts=[fact],
    )


def test_a_curator_can_rule_out_a_form_for_one_fact():
    from quizapp.core.question_pool import QuestionPool

    text = "In 1944 the Red Army entered Bucharest."
    fact = _fact("Red Army", text, "organisation", category="army")
    skipped = _fact("Red Army", text, "organisation", category="army", skip_types=("cloze",))
    for candidate, makes_cloze in ((fact, True), (skipped, False)):
        pool = QuestionPool(_one_fact_bank(candidate))
        assert (candidate in pool.eligible[("en", "cloze")]) is makes_cloze
        assert candidate in pool.eligible[("en", "short")]


def test_curated_false_statements_replace_swaps():
    from quizapp.core.false_statements import false_statement

    wrong = "The Triple Entente entered Bucharest in 1944."
    fact = _fact(
        "Red Army",
        "In 1944 the Red Army entered Bucharest.",
        "organisation",
        category="army",
        false_statements=(wrong,),
    )
    pool = {"en": [PoolEntry("organisation", name, "army") for name in ("Wehrmacht", "US Army")]}
    index = DistractorIndex([fact], pool)
    assert swapped_statements(fact, index)  # a swap exists, and is still not used
    assert {false_statement(fact, index, random.Random(seed)) for seed in range(30)} == {wrong}


def test_excluded_years_are_never_offered_and_years_stay_near():
    fact = _fact(
        "1946",
        "Antonescu was executed in 1946.",
        "year",
        exclude_distractors=("1941", "1942", "1943"),
    )
    index = DistractorIndex([fact], {})
    for seed in range(40):
        options = index.choose(fact, 3, random.Random(seed))
        assert len(options) == 3
        assert not {"1941", "1942", "1943"} & set(options), options
        assert all(abs(int(option) - 1946) <= 4 for option in options), options


@pytest.mark.parametrize(
    ("answer", "statement", "language"),
    [
        ("dos", "Se formaron dos divisiones de voluntarios.", "es"),
        ("two", "Two divisions of volunteers were formed.", "en"),
        ("2", "Se formaron 2 divisiones de voluntarios.", "es"),
    ],
)
def test_a_count_keeps_its_plural_and_its_words(answer, statement, language):
    from quizapp.core.numbers import NUMBER_WORDS, parse_quantity

    fact = _fact(answer, statement, "number", language=language)
    index = DistractorIndex([fact], {})
    for seed in range(20):
        for option in index.choose(fact, 3, random.Random(seed)):
            assert parse_quantity(option).value >= 2, option  # never "1 divisiones"
            if not answer.isdigit():
                word = option.split()[0].casefold()
                assert word in NUMBER_WORDS or word == "dieciséis", option  # "tres", not "3"
                assert option[:1].isupper() == answer[:1].isupper()


@pytest.mark.parametrize(
    ("statement", "span_text", "value", "expected"),
    [
        (
            "Francia y Gran Bretaña garantizaron la frontera.",
            "Gran Bretaña",
            "Italia",
            "Francia e Italia garantizaron la frontera.",
        ),
        (
            "Francia e Italia firmaron.",
            "Italia",
            "Alemania",
            "Francia y Alemania firmaron.",
        ),
        ("Francia y Hierro.", "Hierro", "Hielo", "Francia y Hielo."),  # "hie-" keeps "y"
        ("siete o nueve divisiones", "nueve", "ocho", "siete u ocho divisiones"),
        ("siete u ocho divisiones", "ocho", "nueve", "siete o nueve divisiones"),
    ],
)
def test_spanish_conjunctions_follow_the_new_word(statement, span_text, value, expected):
    from quizapp.core.agreement import replace_span

    start = statement.index(span_text)
    assert replace_span("es", statement, (start, start + len(span_text)), value) == expected


def test_a_spanish_place_swap_keeps_the_article_right():
    statement = "Francia y Gran Bretaña garantizaron las fronteras de Rumania."
    fact = _fact("Francia", statement, "place", language="es", category="country", gender="f")
    pool = {
        "es": [
            PoolEntry("place", "Unión Soviética", "country", "f"),
            PoolEntry("place", "Italia", "country", "f"),
            PoolEntry("place", "Alemania", "country", "f"),
        ]
    }
    index = DistractorIndex([fact], pool)
    made = set(swapped_statements(fact, index, limit=5))
    assert made and not any("Unión Soviética" in s for s in made), made  # it needs "la"


@pytest.mark.parametrize("closing", ["", "”"])
def test_a_sentence_keeps_its_closing_quote(closing):
    from quizapp.core.passages import sentence_span

    text = "It concluded that “the state is responsible.” Roma were deported."
    end = text.index("responsible.") + len("responsible.") + len(closing)
    start, stop = sentence_span(text, text.index("the state"), end)
    assert text[start:stop] == "It concluded that “the state is responsible.”"


def test_a_skipped_form_gets_no_readiness_warning():
    from quizapp.core.question_builders import GenerationContext
    from quizapp.core.readiness import NO_FALSE_FORM, fact_readiness

    statement = "The Iron Guard ruled with Antonescu."
    fact = _fact("Iron Guard", statement, "organisation", category="party")
    skipped = _fact(
        "Iron Guard", statement, "organisation", category="party", skip_types=("tf", "mcq")
    )
    for candidate, warned in ((fact, True), (skipped, False)):
        index = DistractorIndex([candidate], {})
        context = GenerationContext(_one_fact_bank(candidate), index, random.Random(0))
        codes = [code for code, _ in fact_readiness(candidate, context)]
        assert (NO_FALSE_FORM in codes) is warned, codes
        assert bool(codes) is warned, codes


def test_a_blank_of_a_date_needs_its_year_in_the_blanked_words():
    from quizapp.core.question_builders import cloze_blanks

    sentence = "The armistice was signed on September 12 in Moscow."
    fact = _fact("12 September 1944", sentence, "date", alternatives=("September 12", "12/09/1944"))
    assert cloze_blanks(fact, sentence) is None  # any year would fit "signed on _____"
    dated = "The armistice was signed on 12 September 1944 in Moscow."
    assert cloze_blanks(_fact("12 September 1944", dated, "date"), dated) == (
        "The armistice was signed on _____ in Moscow.",
        "12 September 1944",
    )

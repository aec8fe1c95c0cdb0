"""Fact suggestion from a pasted text (pure unit and property tests, English and Spanish)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.suggest import KINDS, Suggestion, paragraph_spans, sentence_spans, suggest
from quizapp.core.values import contains_phrase, normalise

# Copied from questions/romania-ww2/sources/romania-overview-en.md (p1 and p5).
OVERVIEW_EN = (
    "The Kingdom of Romania initially adopted a position of neutrality in WWII, which ended with "
    "a 1940 coup that brought fascist sympathiser Marshal Ion Antonescu to power. Romania joined "
    "the war on the side of the Axis on November 23rd 1940, invaded the Soviet Union in June of "
    "1941, and committed more troops to the Eastern Front than all of Nazi Germany’s other "
    "allies put together.\n"
    "\n"
    "Only when significant Allied bombing and Soviet invasion made a military defeat look "
    "inevitable did King Michael lead a coup to depose Antonescu on 23rd August 1944, backed by "
    "most opposition groups at the time, at which point Romania switched back to supporting the "
    "Allies. Antonescu was executed in 1946 for war crimes."
)
# Copied from questions/romania-ww2/sources/ocupacion-sovietica-es.md (p5) and
# pogromo-iasi-es.md (p1 and the start of p3).
OCUPACION_ES = (
    "Para el 12 de septiembre, el Ejército Rojo ya había ganado el control sobre gran parte del "
    "territorio rumano.\n"
    "En el lado rumano, los cuatro firmantes fueron Gheorghe Tătărescu, Lucreţiu Pătrăşcanu, "
    "Ştefan Voitec y Dumitru Dămăceanu."
)
POGROMO_ES = (
    "Las autoridades rumanas lanzan uno de los pogromos más violentos de la historia judía en la "
    "ciudad de Iași, que resulta en el asesinato de al menos 13.266 judíos.\n"
    "\n"
    "Tras el estallido de la Segunda Guerra Mundial el 1 de septiembre de 1939, el Reino de "
    "Rumanía bajo el mando del rey Carol II adoptó oficialmente una posición de neutralidad. Sin "
    "embargo, la situación rápidamente cambiante en Europa durante 1940, así como la agitación "
    "política interna, socavaron esta postura. Las fuerzas políticas fascistas como la Guardia "
    "de Hierro aumentaron en popularidad y poder, instando a una alianza con la Alemania nazi y "
    "sus aliados."
)
SAMPLES = [(OVERVIEW_EN, "en"), (OCUPACION_ES, "es"), (POGROMO_ES, "es")]


def by_answer(suggestions: list[Suggestion]) -> dict[str, Suggestion]:
    return {s.answer: s for s in suggestions}


def assert_well_formed(text: str, language: str, suggestions: list[Suggestion], limit: int):
    """Every property a suggestion must have, whatever the text."""
    for s in suggestions:
        assert text[s.start : s.end] == s.answer
        assert s.answer.strip() == s.answer and s.answer
        assert s.kind in KINDS
        assert s.evidence_start <= s.start < s.end <= s.evidence_end
        assert s.statement == text[s.evidence_start : s.evidence_end]
        assert not contains_phrase(s.stem, s.answer), (s.answer, s.stem)
        assert s.stem.endswith("?")
        assert s.stem.startswith("¿") if language == "es" else not s.stem.startswith("¿")
    for start, end in paragraph_spans(text):
        inside = [s for s in suggestions if start <= s.start < end]
        assert len(inside) <= limit
        keys = [normalise(s.answer) for s in inside]
        assert len(keys) == len(set(keys))
    assert sum(1 for _ in paragraph_spans(text)) * limit >= len(suggestions)


# ---------------------------------------------------------------------------------------------
# The Romania bank's own sources


@pytest.mark.parametrize(("text", "language"), SAMPLES)
def test_suggestions_on_the_bank_sources_are_well_formed(text, language):
    assert_well_formed(text, language, suggest(text, language), 12)


def test_english_source_dates_years_and_names():
    found = by_answer(suggest(OVERVIEW_EN, "en"))
    assert found["November 23rd 1940"].kind == "date"
    assert found["23rd August 1944"].kind == "date"
    assert found["June of 1941"].kind == "date"
    assert found["1940"].kind == "year"
    assert found["1946"].kind == "year"
    # The title goes from a full name, and stays on a lone first name.
    assert found["Ion Antonescu"].kind == "person"
    assert "Marshal Ion Antonescu" not in found
    assert found["King Michael"].kind == "person"
    assert found["Kingdom of Romania"].kind == "place"
    assert found["Soviet Union"].kind == "place"
    # Capitalised adjectives are not names.
    assert "Allied" not in found and "Soviet" not in found


def test_english_stems_read_as_questions():
    found = by_answer(suggest(OVERVIEW_EN, "en"))
    assert found["23rd August 1944"].stem.endswith("to depose Antonescu on what date?")
    assert "a coup in what year that brought" in found["1940"].stem
    assert found["1946"].stem == "Antonescu was executed in what year for war crimes?"
    assert "sympathiser which marshal to power" in found["Ion Antonescu"].stem
    assert "invaded the Soviet Union in what month and year, and" in found["June of 1941"].stem


def test_spanish_source_dates_numbers_and_names():
    found = by_answer(suggest(OCUPACION_ES, "es"))
    assert found["12 de septiembre"].kind == "date"
    assert found["12 de septiembre"].stem == (
        "¿Para qué fecha, el Ejército Rojo ya había ganado el control sobre gran parte del "
        "territorio rumano?"
    )
    assert found["Ejército Rojo"].kind == "organisation"
    assert found["cuatro"].kind == "number"
    assert "los cuántos firmantes" in found["cuatro"].stem
    for name in ("Gheorghe Tătărescu", "Lucreţiu Pătrăşcanu", "Ştefan Voitec", "Dumitru Dămăceanu"):
        assert found[name].kind == "person"
    # One sentence per line: the evidence is the line, not the paragraph.
    assert found["12 de septiembre"].statement == OCUPACION_ES.split("\n")[0]


def test_spanish_pogrom_source():
    found = by_answer(suggest(POGROMO_ES, "es"))
    assert found["13.266"].kind == "number"
    assert found["13.266"].stem.endswith("el asesinato de al menos cuántos judíos?")
    assert found["Iași"].kind == "place"
    assert "en qué ciudad" in found["Iași"].stem
    assert found["1 de septiembre de 1939"].kind == "date"
    assert found["1940"].kind == "year"
    assert found["Guardia de Hierro"].kind == "organisation"
    assert "como qué organización aumentaron" in found["Guardia de Hierro"].stem
    assert found["Carol II"].kind == "person"
    assert found["Segunda Guerra Mundial"].kind == "event"
    assert found["Reino de Rumanía"].kind == "place"


def test_offsets_are_in_the_whole_text_for_every_paragraph():
    suggestions = suggest(POGROMO_ES, "es")
    second = POGROMO_ES.index("Tras el estallido")
    carol = by_answer(suggestions)["Carol II"]
    assert carol.start > second
    assert POGROMO_ES[carol.evidence_start :].startswith("Tras el estallido")


# ---------------------------------------------------------------------------------------------
# Rules on small texts


@pytest.mark.parametrize(
    ("text", "language", "answer", "kind"),
    [
        ("The treaty was signed on 12 May 1705 in the city.", "en", "12 May 1705", "date"),
        ("El tratado se firmó el 27 de enero de 1967.", "es", "27 de enero de 1967", "date"),
        ("The mission failed in July 1961.", "en", "July 1961", "date"),
        ("The band formed in 1979.", "en", "1979", "year"),
        ("The style grew in the 1950s.", "en", "1950s", "year"),
        ("It ruled from 1321 to 1323 over the region.", "en", "1321 to 1323", "year"),
        ("The defense gave up just 308 points.", "en", "308", "number"),
        ("The region lost 12% of its forest.", "en", "12%", "number"),
        ("He was paid £30m for it.", "en", "£30m", "number"),
        ("It carries over 37 million passengers.", "en", "37 million", "number"),
        ("Transporta más de 37 millones de pasajeros.", "es", "37 millones", "number"),
        ("The storm winds reached 110 mph near the coast.", "en", "110 mph", "number"),
        ("Quedaban tan solo 17 segundos en el marcador.", "es", "17 segundos", "number"),
        ("The Panthers won 24–10 that night.", "en", "24–10", "number"),
        ("Se formaron dos divisiones de voluntarios.", "es", "dos", "number"),
        ("The defense had four interceptions.", "en", "four", "number"),
        ("The leader of the Iron Guard spoke.", "en", "Iron Guard", "organisation"),
        (
            "It was reported by the International Commission.",
            "en",
            "International Commission",
            "organisation",
        ),
        (
            "El líder del Partido Nacional Liberal habló.",
            "es",
            "Partido Nacional Liberal",
            "organisation",
        ),
        ("The army reached the St. Johns River quickly.", "en", "St. Johns River", "place"),
        ("Hitler met him in Munich in secret.", "en", "Munich", "place"),
        ("Las tropas entraron en Besarabia sin lucha.", "es", "Besarabia", "place"),
        ("It was led by General Wilhelm Keitel himself.", "en", "Wilhelm Keitel", "person"),
        ("Lo dirigía el mariscal Ion Antonescu entonces.", "es", "Ion Antonescu", "person"),
        ("The Battle of Tannenberg ended it.", "en", "Battle of Tannenberg", "event"),
        ("The satellite Astra 2A was launched.", "en", "Astra 2A", "person"),
    ],
)
def test_finds_each_kind(text, language, answer, kind):
    found = by_answer(suggest(text, language))
    assert answer in found, list(found)
    assert found[answer].kind == kind
    assert_well_formed(text, language, list(found.values()), 12)


def test_question_phrases_by_kind_and_language():
    stems = {
        s.answer: s.stem
        for s in suggest(
            "In 1941 Romania invaded the Soviet Union with 300,000 men. "
            "The king lived in Bucharest. Then Antonescu met Hitler on 12 June 1941.",
            "en",
        )
    }
    assert stems["1941"].startswith("In what year Romania invaded")
    assert "with how many men" in stems["300,000"]
    assert stems["Bucharest"] == "The king lived in which city?"
    assert stems["Hitler"] == "Then Antonescu met who on 12 June 1941?"
    assert stems["Antonescu"] == "Then who met Hitler on 12 June 1941?"
    assert stems["12 June 1941"] == "Then Antonescu met Hitler on what date?"
    spanish = {
        s.answer: s.stem
        for s in suggest("En 1941 Rumania tenía 300.000 soldados en Besarabia.", "es")
    }
    assert spanish["1941"] == "¿En qué año Rumania tenía 300.000 soldados en Besarabia?"
    assert spanish["300.000"] == "¿En 1941 Rumania tenía cuántos soldados en Besarabia?"
    assert spanish["Besarabia"] == "¿En 1941 Rumania tenía 300.000 soldados en qué región?"


@pytest.mark.parametrize(
    ("text", "language", "absent"),
    [
        ("Students were sent to Moscow.", "en", "Students"),  # a sentence-initial common word
        ("It rained in March and again on Monday.", "en", "March"),  # a month alone
        ("It rained in March and again on Monday.", "en", "Monday"),  # a weekday
        ("Romanian troops crossed the river.", "en", "Romanian"),  # an adjective
        ("Tropas rumanas cruzaron el río.", "es", "Tropas"),
        ("Hubo un golpe de Estado en agosto.", "es", "Estado"),  # a cue word alone
        ("The 24-yard line was close.", "en", "24"),  # part of a compound adjective
        ("It may be 5 may 2001 somewhere.", "en", "5 may 2001"),  # "may" lower case
        ("The Prime Minister resigned.", "en", "Prime Minister"),  # a title without a name
    ],
)
def test_skips_what_is_not_worth_asking(text, language, absent):
    assert absent not in by_answer(suggest(text, language))


def test_no_duplicates_and_the_first_occurrence_is_kept():
    text = "In 1944 Antonescu fell. Antonescu was tried in 1946. Antonescu died in 1946."
    suggestions = suggest(text, "en")
    answers = [s.answer for s in suggestions]
    assert answers.count("Antonescu") == 1
    assert answers.count("1946") == 1
    assert by_answer(suggestions)["1946"].start == text.index("1946")


def test_figures_restated_in_brackets_are_not_suggested_twice():
    text = "Winds reached 110 mph (180 km/h) over an area of 20 mi (32 km) by the coast."
    answers = [s.answer for s in suggest(text, "en")]
    assert "110 mph" in answers and "20 mi" in answers
    assert "180 km/h" not in answers and "32 km" not in answers


def test_dates_and_years_rank_before_names():
    text = (
        "Hermann Goring, Joachim von Ribbentrop, Heinrich Himmler and Joseph Goebbels met "
        "Ion Antonescu and Mihai Antonescu in Berlin on 12 June 1941, before the war of 1941."
    )
    suggestions = suggest(text, "en")
    assert [s.answer for s in suggestions[:2]] == ["12 June 1941", "1941"]


def test_limit_is_per_paragraph():
    paragraph = " ".join(f"In {1800 + i} the town grew." for i in range(20))
    text = f"{paragraph}\n\n{paragraph}\n   \n{paragraph}"
    assert len(paragraph_spans(text)) == 3
    for limit in (0, 1, 5, 12):
        suggestions = suggest(text, "en", limit=limit)
        assert len(suggestions) == 3 * limit
        assert_well_formed(text, "en", suggestions, limit)


def test_unknown_language_is_read_as_english():
    assert suggest("In 1941 the war began.", "fr")[0].stem == "In what year the war began?"


def test_sentences_do_not_end_at_initials_or_abbreviations():
    text = "Nicholas E. Golovin led it. It reached St. Johns River. Then it ended."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Nicholas E. Golovin led it.",
        "It reached St. Johns River.",
        "Then it ended.",
    ]


def test_a_stem_never_gives_the_answer_away_even_when_the_sentence_repeats_it():
    text = "The Holocaust in Romania is what the report on the Holocaust describes."
    for s in suggest(text, "en"):
        assert not contains_phrase(s.stem, s.answer)
        assert s.stem.endswith("?")


def test_empty_and_blank_texts():
    assert suggest("", "en") == []
    assert suggest(" \n\n \t\n", "es") == []


# ---------------------------------------------------------------------------------------------
# Properties on arbitrary text

# Pieces that exercise every rule: names, connectors, titles, dates, numbers, units, quotes.
PIECES = [
    "Ion",
    "Antonescu",
    "King",
    "Michael",
    "de",
    "of",
    "the",
    "la",
    "Guardia",
    "Hierro",
    "12",
    "23rd",
    "August",
    "1944",
    "de septiembre",
    "13.266",
    "260,000",
    "£30m",
    "12 %",
    "four",
    "cuatro",
    "million",
    "millones",
    "to",
    "a",
    "y",
    "and",
    "between",
    "in",
    "en",
    "May",
    "mayo",
    "Monday",
    "(",
    ")",
    ",",
    ".",
    ";",
    ":",
    "?",
    "¿",
    "“",
    "”",
    "'s",
    "–",
    "-",
    "\n",
    "\n\n",
    "E.",
    "St.",
    "River",
    "Party",
    "Battle",
    "Iași",
    "Ştefan",
    "ibn",
    "&",
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.text(max_size=300),
)


@settings(max_examples=150, deadline=None)
@given(texts, st.sampled_from(["en", "es"]), st.integers(min_value=0, max_value=12))
def test_every_suggestion_is_an_exact_span_within_the_limit(text, language, limit):
    assert_well_formed(text, language, suggest(text, language, limit=limit), limit)


@settings(max_examples=50, deadline=None)
@given(texts, st.sampled_from(["en", "es"]))
def test_suggestion_is_deterministic(text, language):
    assert suggest(text, language) == suggest(text, language)


# ---------------------------------------------------------------------------------------------
# Categories: a suggestion knows what it names, and its draft question asks for that


@pytest.mark.parametrize(
    ("text", "language", "answer", "category", "stem"),
    [
        # A title before a name becomes the question word: never "President who".
        (
            "In 1977 President Jimmy Carter signed the treaty.",
            "en",
            "Jimmy Carter",
            "politician",
            "In 1977 which president signed the treaty?",
        ),
        (
            "In 1940 a coup brought Marshal Ion Antonescu to power.",
            "en",
            "Ion Antonescu",
            "general",
            "In 1940 a coup brought which marshal to power?",
        ),
        (
            "Adolf Hitler received the Romanian Head of State Ion Antonescu in Munich.",
            "en",
            "Ion Antonescu",
            None,
            "Adolf Hitler received which Romanian head of state in Munich?",
        ),
        (
            "En 1941 el mariscal Ion Antonescu gobernaba el país con mano dura.",
            "es",
            "Ion Antonescu",
            "general",
            "¿En 1941 qué mariscal gobernaba el país con mano dura?",
        ),
        (
            "Las divisiones estaban bajo el mando del coronel Nicolae Cambrea desde 1943.",
            "es",
            "Nicolae Cambrea",
            "general",
            "¿Las divisiones estaban bajo el mando de qué coronel desde 1943?",
        ),
        # A country is asked as a country, a city as a city, a river as a river.
        (
            "In June 1941 Romania invaded the Soviet Union together with Germany.",
            "en",
            "Soviet Union",
            "country",
            "In June 1941 Romania invaded which country together with Germany?",
        ),
        (
            "The king lived in Bucharest until the coup.",
            "en",
            "Bucharest",
            "city",
            "The king lived in which city until the coup?",
        ),
        (
            "En 1941 las tropas rumanas ocuparon Ucrania hasta el río Bug.",
            "es",
            "Ucrania",
            "country",
            "¿En 1941 las tropas rumanas ocuparon qué país hasta el río Bug?",
        ),
        (
            "En 1941 las tropas rumanas ocuparon Ucrania hasta el río Bug.",
            "es",
            "Bug",
            "river",
            "¿En 1941 las tropas rumanas ocuparon Ucrania hasta qué río?",
        ),
        (
            "A finales de 1946 había tropas soviéticas en Sibiu y en Craiova.",
            "es",
            "Sibiu",
            "city",
            "¿A finales de 1946 había tropas soviéticas en qué ciudad y en Craiova?",
        ),
        # Organisations and events by their cue words.
        (
            "In 1944 the Red Army crossed the Prut into Moldavia.",
            "en",
            "Red Army",
            "army",
            "In 1944 which army crossed the Prut into Moldavia?",
        ),
        (
            "En 1941 las tropas rumanas entraron en la guerra con la Operación Barbarroja.",
            "es",
            "Operación Barbarroja",
            "operation",
            "¿En 1941 las tropas rumanas entraron en la guerra con qué operación?",
        ),
    ],
)
def test_draft_questions_ask_for_the_category(text, language, answer, category, stem):
    found = by_answer(suggest(text, language))
    assert found[answer].category == category
    assert found[answer].stem == stem


def test_a_place_of_no_known_category_stays_generic():
    found = by_answer(suggest("In 1944 the two men met at the Colentina depot in Bucharest.", "en"))
    assert found["Bucharest"].category == "city"
    colentina = found.get("Colentina")
    if colentina is not None:  # a name the rules cannot place: no category, no invented one
        assert colentina.category is None


BANK_SOURCES = [
    ("romania-overview-en.md", "en"),
    ("armistice-soviet-occupation-en.md", "en"),
    ("ocupacion-sovietica-es.md", "es"),
    ("pogromo-iasi-es.md", "es"),
]
TITLE_THEN_WHO = (
    r"\b(?:King|Queen|President|General|Marshal|Colonel|Minister|Rey|Reina|Presidente|"
    r"General|Mariscal|Coronel|Ministro|rey|reina|presidente|general|mariscal|coronel|"
    r"ministro)\s+(?:who|whom|quién)\b"
)


@pytest.mark.parametrize(("name", "language"), BANK_SOURCES)
def test_bank_sources_never_ask_a_country_as_a_place_or_a_title_as_who(name, language):
    from pathlib import Path

    from quizapp.core.suggest.categories import CATEGORY_NOUNS

    path = Path(__file__).resolve().parent.parent / "questions" / "romania-ww2" / "sources" / name
    text = path.read_text(encoding="utf-8").split("---", 2)[2]
    suggestions = suggest(text, language)
    assert suggestions
    for s in suggestions:
        assert not re.search(TITLE_THEN_WHO, s.stem), s
        if s.category == "country":
            assert "which place" not in s.stem and "qué lugar" not in s.stem, s
        if s.category is not None:
            assert s.category in CATEGORY_NOUNS["en"] or s.kind == "person", s


def test_every_category_has_a_question_word_in_both_languages():
    from quizapp.core.suggest.categories import CATEGORY_NOUNS, PERSON_TITLES

    assert set(CATEGORY_NOUNS["en"]) == set(CATEGORY_NOUNS["es"])
    assert set(PERSON_TITLES.values()) <= {
        "monarch",
        "general",
        "politician",
        "historian",
        "diplomat",
    }

"""Answer checking: accepted forms pass, wrong values never do (unit and property tests)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizapp.core.checking import answers_match

COUP = ["23 August 1944", "August 23, 1944", "23/08/1944"]
IASI = ["Iași", "Iasi", "Jassy"]


@pytest.mark.parametrize(
    "typed",
    [
        "23 August 1944",
        "august 23 1944",
        "23/08/1944",
        "23.8.1944",
        "1944-08-23",
        "23rd August, 1944",
        "23 de agosto de 1944",
        "  23 AUGUST 1944. ",
    ],
)
def test_dates_in_any_form_pass(typed):
    assert answers_match(typed, COUP, "date")


@pytest.mark.parametrize(
    "typed", ["23 August 1940", "24 August 1944", "23 September 1944", "August 1944", "1944", ""]
)
def test_wrong_or_vaguer_dates_fail(typed):
    assert not answers_match(typed, COUP, "date")


@pytest.mark.parametrize("typed", ["Iași", "iasi", "IAȘI", "Jassy", "jassy.", "Iaşi"])
def test_place_alternatives_and_diacritics_pass(typed):
    assert answers_match(typed, IASI, "place")


@pytest.mark.parametrize("typed", ["Iai", "Bucharest", "Iasi Jassy", "Ias"])
def test_other_places_fail(typed):
    assert not answers_match(typed, IASI, "place")


@pytest.mark.parametrize("typed", ["13,266", "13.266", "13 266", "13266", "13\u202f266"])
def test_number_formats_pass(typed):
    assert answers_match(typed, ["13.266"], "number")


def test_articles_and_punctuation_are_ignored():
    assert answers_match("the Iron Guard", ["Iron Guard"], "organisation")
    assert answers_match("La Guardia de Hierro", ["Guardia de Hierro"], "organisation")
    assert not answers_match("Iron", ["Iron Guard"], "organisation")


def test_a_wrong_year_never_passes():
    assert not answers_match("1940", ["1944"], "year")
    assert answers_match("1944", ["1944"], "year")


def test_tolerance_bounds_numeric_answers():
    assert answers_match("105,000", ["110,000"], "number", tolerance=10000)
    assert not answers_match("99,999", ["110,000"], "number", tolerance=10000)


@pytest.mark.parametrize(
    ("stem", "given", "key", "right"),
    [
        # The stem names the scale: the bare figure is the answer in its unit.
        ("How much, in millions of US dollars, did Romania pay?", "300", "US$300 million", True),
        ("How many million US dollars did Romania pay?", "300", "US$300 million", True),
        ("¿Cuántos millones de dólares pagó Rumanía?", "300", "300 millones de dólares", True),
        ("How much, in billions, was the booty?", "2", "US$2 billion", True),
        # It does not: a bare figure is another value (the review's 201-21, 202-18, 203-11).
        ("How much did Romania pay in reparations?", "300", "US$300 million", False),
        ("Estimates of the total booty reach how much?", "2", "US$2 billion", False),
        ("¿Cuánto pagó Rumanía?", "300", "300 millones de dólares", False),
        # Another scale than the stem's is no help.
        ("How much, in thousands of dollars?", "300", "US$300 million", False),
        # Written in full, with any stem.
        ("How much did Romania pay?", "300 million", "US$300 million", True),
        ("How much did Romania pay?", "$300,000,000", "US$300 million", True),
        ("How many million US dollars did Romania pay?", "200", "US$300 million", False),
    ],
)
def test_a_bare_figure_needs_the_scale_named_by_the_question(stem, given, key, right):
    assert answers_match(given, [key], "number", stem=stem) is right


def test_word_numbers_are_read():
    assert answers_match("fifteen", ["15"], "number")
    assert answers_match("quince", ["15"], "number")


@given(st.integers(1000, 2100), st.integers(1000, 2100))
def test_distinct_years_never_match(key, typed):
    assume(key != typed)
    assert not answers_match(str(typed), [str(key)], "year")


@given(
    st.integers(1000, 10**8),
    st.sampled_from([",", ".", " ", "\u00a0", ""]),
)
def test_a_number_matches_itself_in_any_grouping(value, separator):
    written = f"{value:,}".replace(",", separator)
    assert answers_match(written, [f"{value:,}"], "number")


@given(st.integers(0, 10**8), st.integers(0, 10**8))
def test_distinct_numbers_never_match_without_tolerance(key, typed):
    assume(key != typed)
    assert not answers_match(f"{typed:,}", [f"{key:,}"], "number")


@given(
    st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(2099, 12, 31)),
    st.sampled_from(["%d %B %Y", "%B %d, %Y", "%d/%m/%Y", "%Y-%m-%d"]),
)
def test_a_date_matches_itself_in_any_form(date, form):
    key = date.strftime("%d %B %Y")
    assert answers_match(date.strftime(form), [key], "date")


@given(st.text(max_size=30))
def test_checking_never_crashes_on_any_text(typed):
    for kind in ("date", "year", "number", "person"):
        assert answers_match(typed, ["23 August 1944"], kind) in (True, False)


@pytest.mark.parametrize(
    ("given", "key", "kind", "right"),
    [
        # Two letters from the key, and the opposite of it (the review's 201-10, 203-22).
        ("southern Bukovina", "northern Bukovina", "place", False),
        ("Southern Bukovina", "Northern Bukovina", "place", False),
        ("eastern front", "western front", "place", False),
        ("Bucovina del Sur", "Bucovina del Norte", "place", False),
        ("Bucovina oriental", "Bucovina occidental", "place", False),
        ("frente este", "frente oeste", "place", False),
        ("second Vienna Award", "first Vienna Award", "event", False),
        # A typo inside a contrast word that is no other contrast word is still a typo.
        ("nothern Bukovina", "northern Bukovina", "place", True),
        ("northern Bucovina", "northern Bukovina", "place", True),
        ("Bucovina septentrinal", "Bucovina septentrional", "place", True),
    ],
)
def test_a_contrast_word_is_never_a_typo_of_another(given, key, kind, right):
    assert answers_match(given, [key], kind) is right


@pytest.mark.parametrize(
    ("given", "key", "kind", "right"),
    [
        # A day in words reads as the day (the review's 201-13, 203-9, 204-7).
        ("primero de septiembre de 1939", "1 de septiembre de 1939", "date", True),
        ("el primero de septiembre de 1939", "1 de septiembre de 1939", "date", True),
        ("the first of September 1939", "1 September 1939", "date", True),
        ("September first, 1939", "1 September 1939", "date", True),
        ("second of September 1939", "1 September 1939", "date", False),
        ("primero de octubre de 1939", "1 de septiembre de 1939", "date", False),
        # Ordinals in figures or words name the same thing (the review's 204-11).
        ("1ª Guerra Mundial", "Primera Guerra Mundial", "event", True),
        ("la 1.ª Guerra Mundial", "Primera Guerra Mundial", "event", True),
        ("1st World War", "First World War", "event", True),
        ("2ª Guerra Mundial", "Primera Guerra Mundial", "event", False),
        ("Segunda Guerra Mundial", "Primera Guerra Mundial", "event", False),
        ("Second World War", "1st World War", "event", False),
    ],
)
def test_days_and_ordinals_in_words_or_figures(given, key, kind, right):
    assert answers_match(given, [key], kind) is right


def test_a_range_of_months_makes_neither_month_the_known_one():
    """ "Mayo a junio de 1940": a month added to the year is not known, so neither end of the
    range is taken for the date (before, "junio" was kept and "mayo" refused)."""
    from quizapp.core.values import find_dates

    for text in (
        "la Caída de Francia (mayo a junio de 1940)",
        "between May and June 1940",
        "May–June 1940",
    ):
        assert [(d.date.year, d.date.month) for d in find_dates(text)] == [(1940, 5), (1940, 6)]
    # With both months among the accepted forms, either is right, and a day in it is not known.
    accepted = ["1940", "mayo de 1940", "junio de 1940"]
    assert answers_match("mayo de 1940", accepted, "year")
    assert answers_match("junio de 1940", accepted, "year")
    assert not answers_match("julio de 1940", accepted, "year")
    assert not answers_match("22 de junio de 1940", accepted, "year")


@pytest.mark.parametrize(
    ("given", "key", "right"),
    [
        # Scale abbreviations of news and finance (the review's 401-27, 402-10, 403-9...).
        ("$300m", "US$300 million", True),
        ("$300M", "US$300 million", True),
        ("300mn", "US$300 million", True),
        ("300 mln", "US$300 million", True),
        ("$2bn", "US$2 billion", True),
        ("$2B", "US$2 billion", True),
        ("US$2bn", "US$2 billion", True),
        ("2,5 bn", "2.500 millones de dólares", True),
        ("5k", "5,000", True),
        # Another value stays wrong, whatever its scale.
        ("$3bn", "US$2 billion", False),
        ("$2m", "US$2 billion", False),
        ("$300k", "US$300 million", False),
        # A lone letter a space apart is no scale ("2 b" could be anything).
        ("2 b", "US$2 billion", False),
        # A glued letter may be a unit: 300m of height is 300 (metres), not 300 million.
        ("300m", "300 m", True),
        ("300m", "300 metres", True),
    ],
)
def test_scale_abbreviations_glued_to_a_figure(given, key, right):
    assert answers_match(given, [key], "number") is right

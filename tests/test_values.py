"""Reading answers as values: normalisation, numbers and dates (pure unit and property tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.values import (
    PartialDate,
    find_dates,
    format_date_like,
    format_like,
    normalise,
    parse_date,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23 August 1944", PartialDate(1944, 8, 23)),
        ("August 23, 1944", PartialDate(1944, 8, 23)),
        ("23/08/1944", PartialDate(1944, 8, 23)),
        ("1944-08-23", PartialDate(1944, 8, 23)),
        ("23rd August 1944", PartialDate(1944, 8, 23)),
        ("November 23rd 1940", PartialDate(1940, 11, 23)),
        ("23 de agosto de 1944", PartialDate(1944, 8, 23)),
        ("el 22 de junio de 1941", PartialDate(1941, 6, 22)),
        ("12 de septiembre", PartialDate(None, 9, 12)),
        ("agosto de 1944", PartialDate(1944, 8, None)),
        ("June of 1941", PartialDate(1941, 6, None)),
        ("August 23", PartialDate(None, 8, 23)),
        ("1944", PartialDate(1944, None, None)),
    ],
)
def test_parse_date_reads_english_and_spanish_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["Iași", "31 February 1944", "King Michael", "", "13.266"])
def test_parse_date_rejects_what_is_not_a_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("13,266", 13266),
        ("13.266", 13266),
        ("13 266", 13266),
        ("13\u00a0266", 13266),
        ("260,000", 260000),
        ("US$300 million", 300_000_000),
        ("fifteen", 15),
        ("quince", 15),
        ("2,5", Decimal("2.5")),
        ("about 110,000", 110000),
    ],
)
def test_parse_number_reads_number_formats(text, value):
    assert parse_number(text) == Decimal(value)


def test_parse_number_refuses_two_numbers():
    assert parse_number("1954-1956") is None


@pytest.mark.parametrize(
    ("template", "date", "expected"),
    [
        ("23rd August 1944", PartialDate(1943, 10, 2), "2nd October 1943"),
        ("23 de agosto de 1944", PartialDate(1943, 10, 2), "2 de octubre de 1943"),
        ("August 23, 1944", PartialDate(1943, 1, 12), "January 12, 1943"),
        ("23/08/1944", PartialDate(1943, 1, 2), "02/01/1943"),
        ("agosto de 1944", PartialDate(1945, 3, None), "marzo de 1945"),
    ],
)
def test_format_date_like_keeps_the_form(template, date, expected):
    assert format_date_like(template, date) == expected


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("13.266", 12500, "12.500"),
        ("260,000", 240000, "240,000"),
        ("US$300 million", 250, "US$250 million"),
        ("15", 12, "12"),
    ],
)
def test_format_like_keeps_separators_and_units(template, value, expected):
    assert format_like(template, Decimal(value)) == expected


def test_find_dates_locates_a_date_in_a_sentence():
    text = "King Michael lead a coup to depose Antonescu on 23rd August 1944, backed by most"
    (mention,) = find_dates(text)
    assert mention.date == PartialDate(1944, 8, 23)
    assert text[mention.start : mention.end] == "23rd August 1944"


def test_normalise_folds_case_accents_punctuation_and_articles():
    assert normalise("  The  Iron-Guard! ") == "iron guard"
    assert normalise("Iași") == normalise("IASI") == "iasi"
    assert normalise("Lucreţiu Pătrăşcanu") == normalise("Lucrețiu Pătrășcanu")
    assert normalise("la Guardia de Hierro") == "guardia de hierro"


words = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=40
)


@given(words)
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


latin_words = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x24F, categories=["L", "N", "Zs"]),
    max_size=40,
)


@given(latin_words)
def test_normalise_ignores_case_and_accents(text):
    assert normalise(text.upper()) == normalise(text.lower()) == normalise(text)


@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from([",", ".", " ", "\u00a0"]))
def test_grouped_numbers_read_the_same_with_any_separator(number, separator):
    written = f"{number:,}".replace(",", separator)
    assert parse_number(written) == number
    assert normalise(written) == str(number)


@pytest.mark.parametrize(
    ("text", "value"), [(",5", "0.5"), (",00", "0"), (".25", "0.25"), ("-,5", "-0.5")]
)
def test_a_decimal_may_start_with_its_mark_in_either_style(text, value):
    # Found by the idempotence property: ",00" read as "00" once and as "0" the second time.
    assert parse_number(text) == Decimal(value)
    assert normalise(normalise(text)) == normalise(text) == value

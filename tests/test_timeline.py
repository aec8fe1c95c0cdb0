"""The timeline's order with partial dates, what it dates, and how it groups a bilingual bank."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.bank import Evidence, Fact
from quizapp.core.timeline import (
    Entry,
    When,
    counterparts,
    fact_when,
    in_order,
    parse_when,
    stated_when,
    timeline,
)
from quizapp.core.values import PartialDate


def _fact(key, answer, kind="date", topic=None, event=True, statement=None, label=None, **more):
    return Fact(
        id=key,
        language=more.pop("language", "en"),
        topic=topic or key,
        passage_id="doc#p1",
        evidence=Evidence("x", 0, 1),
        statement=statement or f"It happened in {answer}.",
        answer=answer,
        kind=kind,
        stems=("When?",),
        event=event,
        label=label,
        **more,
    )


def _when(year, month=None, day=None):
    return When(PartialDate(year, month, day))


def _entry(when, key="f"):
    return Entry(when, key, "en", (_fact(key, "1940"),), True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1943", _when(1943)),
        ("April 1944", _when(1944, 4)),
        ("23 August 1944", _when(1944, 8, 23)),
        ("23 de agosto de 1944", _when(1944, 8, 23)),
        ("septiembre de 1940", _when(1940, 9)),
        ("in June of 1941", _when(1941, 6)),
        ("1941–1944", When(PartialDate(1941, None, None), PartialDate(1944, None, None))),
        ("entre 1941 y 1944", When(PartialDate(1941, None, None), PartialDate(1944, None, None))),
        ("May to June 1940", When(PartialDate(1940, 5, None), PartialDate(1940, 6, None))),
        ("mayo a junio de 1940", When(PartialDate(1940, 5, None), PartialDate(1940, 6, None))),
        ("1 to 3 September 1939", When(PartialDate(1939, 9, 1), PartialDate(1939, 9, 3))),
        ("12 de septiembre", None),  # no year: fact_when completes it from the fact
        ("1944–1941", None),  # a range that ends before it starts
        ("the Iron Guard", None),
    ],
)
def test_answers_read_as_times(text, expected):
    assert parse_when(text) == expected


def test_a_date_without_its_year_takes_the_year_the_fact_states():
    fact = _fact(
        "control",
        "12 de septiembre",
        statement="Para el 12 de septiembre de 1944, el Ejército Rojo controlaba el país.",
        language="es",
    )
    assert fact_when(fact) == _when(1944, 9, 12)
    alone = _fact("alone", "12 de septiembre", statement="El 12 de septiembre llegó.")
    assert fact_when(alone) is None


def test_event_facts_are_dated_by_their_statement_when_its_dates_agree():
    assert stated_when("On 12 September 1944 Romania signed an armistice.") == _when(1944, 9, 12)
    assert stated_when("In 1941, on 22 June 1941, the invasion began.") == _when(1941, 6, 22)
    assert stated_when("En 1941, las tropas entraron en la guerra.") == _when(1941)
    assert stated_when("Annexed in 1940 and retaken in 1941.") is None
    assert stated_when("More than 260,000 Jews and 1,500 others.") is None
    assert stated_when("No date here.") is None
    name = _fact("pact", "Molotov-Ribbentrop Pact", kind="event", statement="Signed in 1939.")
    assert fact_when(name) == _when(1939)
    person = _fact("who", "Ion Antonescu", kind="person", statement="In 1940 he rose.")
    assert fact_when(person) is None


def test_a_year_comes_before_its_months_and_a_month_before_its_days():
    times = [
        _when(1941, 6, 22),
        _when(1941, 1, 1),
        _when(1941),
        _when(1941, 6),
        _when(1940, 12, 31),
        _when(1942),
        When(PartialDate(1941, None, None), PartialDate(1944, None, None)),
        When(PartialDate(1941, 6, None), PartialDate(1941, 7, None)),
    ]
    ordered = [e.when for e in in_order(_entry(t, f"k{i}") for i, t in enumerate(times))]
    assert ordered == [
        _when(1940, 12, 31),
        _when(1941),
        When(PartialDate(1941, None, None), PartialDate(1944, None, None)),
        _when(1941, 1, 1),
        _when(1941, 6),
        When(PartialDate(1941, 6, None), PartialDate(1941, 7, None)),
        _when(1941, 6, 22),
        _when(1942),
    ]


def test_first_and_last_days_of_partial_dates():
    assert (_when(1944, 2).first_day, _when(1944, 2).last_day) == (
        dt.date(1944, 2, 1),
        dt.date(1944, 2, 29),
    )
    assert _when(1943, 12).last_day == dt.date(1943, 12, 31)
    assert _when(1943).last_day == dt.date(1943, 12, 31)
    with pytest.raises(ValueError):
        When(PartialDate(None, 9, 12))
    with pytest.raises(ValueError):
        When(PartialDate(1944, None, None), PartialDate(1943, None, None))


@st.composite
def partial_dates(draw):
    year = draw(st.integers(min_value=1900, max_value=1950))
    month = draw(st.none() | st.integers(min_value=1, max_value=12))
    day = None
    if month is not None:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        day = draw(st.none() | st.integers(min_value=1, max_value=last))
    return PartialDate(year, month, day)


@st.composite
def times(draw):
    start = draw(partial_dates())
    end = draw(st.none() | partial_dates())
    if end is not None and When(end).last_day < When(start).first_day:
        start, end = end, start
    if end is not None and When(end).last_day < When(start).first_day:
        end = None
    return When(start, end)


@settings(max_examples=300)
@given(st.lists(times(), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_the_order_is_chronological_whatever_the_input_order(whens, rng):
    entries = [_entry(when, f"k{i}") for i, when in enumerate(whens)]
    ordered = in_order(entries)
    shuffled = list(entries)
    rng.shuffle(shuffled)
    assert in_order(shuffled) == ordered
    for index, earlier in enumerate(ordered):
        for later in ordered[index + 1 :]:
            a, b = earlier.when, later.when
            # Never after an entry that can only begin sooner, nor one wholly before it.
            assert not b.first_day < a.first_day
            assert not b.last_day < a.first_day
            # A coarser date comes before the finer dates it contains.
            if b.end is None and a.end is None and b.start != a.start:
                contains = all(
                    getattr(b.start, part) in (None, getattr(a.start, part))
                    for part in ("year", "month", "day")
                )
                assert not contains, (a, b)


def test_a_bilingual_bank_lists_an_event_once_per_language_linked_by_topic():
    facts = [
        _fact("coup-date-en", "23 August 1944", topic="coup", label="a royal coup"),
        _fact(
            "coup-event-en",
            "coup",
            kind="event",
            topic="coup",
            statement="On 23 August 1944 King Michael led a coup.",
        ),
        _fact("coup-year-en", "1944", kind="year", topic="coup"),
        _fact("coup-date-es", "agosto de 1944", topic="coup", language="es"),
        _fact("pact-year-es", "1939", kind="year", topic="pact", language="es"),
        _fact("pact-es", "Pacto", kind="event", topic="pact", statement="Un pacto.", language="es"),
        _fact("prices-en", "1938", kind="year", topic="prices", event=False),
        _fact("shuffled-es", "1950", kind="year", topic="other", language="es"),
    ]
    random.Random(3).shuffle(facts)
    english = timeline(facts, "en")
    assert [(e.topic, e.when.slug) for e in english.events] == [
        ("coup", "1944"),
        ("coup", "1944-08-23"),
    ]
    same_day = english.events[1]
    assert [f.id for f in same_day.facts] == ["coup-date-en", "coup-event-en"]
    assert same_day.anchor == "coup-1944-08-23" and same_day.label == "a royal coup"
    assert [e.topic for e in english.other_dates] == ["prices"]
    spanish = timeline(facts, "es")
    assert [(e.topic, [f.id for f in e.facts]) for e in spanish.events] == [
        ("pact", ["pact-year-es", "pact-es"]),  # a name without a date joins its topic's event
        ("coup", ["coup-date-es"]),
        ("other", ["shuffled-es"]),
    ]
    # The same topic in the other language, closest in time first.
    assert [e.when.slug for e in counterparts(spanish.events[1], english.events)] == [
        "1944-08-23",
        "1944",
    ]
    assert [e.when.slug for e in counterparts(same_day, spanish.entries())] == ["1944-08"]
    assert counterparts(english.other_dates[0], spanish.entries()) == []


def test_the_founding_bank_in_time_order(bank):
    english = timeline(bank.facts, "en")
    slugs = [entry.when.slug for entry in english.events]
    assert slugs[:3] == ["1927", "1940", "1940-11-23"]
    assert slugs.index("1941-06") < slugs.index("1941-06-12")  # June 1941 before a day of it
    armistice = next(e for e in english.events if e.topic == "armistice-signed")
    assert {f.id for f in armistice.facts} == {
        "armistice-signed-date-en",
        "armistice-signed-event-en",
    }
    assert "soviet-reparations-prices" in {e.topic for e in english.other_dates}
    spanish = timeline(bank.facts, "es")
    assert all(f.language == "es" for e in spanish.entries() for f in e.facts)
    topics_en = {e.topic for e in english.events}
    assert {"coup-1944", "axis-entry-date"} <= topics_en & {e.topic for e in spanish.events}

"""Unit tests of spaced practice's pure parts: the session plan, the fresh-form question
builder, mastery, and the forecast of reviews due (core.practice_session, core.mastery,
core.review_forecast; no Flask, no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import zoneinfo
from itertools import pairwise

import pytest

from quizapp.core import review_forecast as rf
from quizapp.core.bar_charts import LABEL_GAP
from quizapp.core.charts import WIDTH
from quizapp.core.mastery import MASTERED, Mastery, mastery_by_topic, mastery_of
from quizapp.core.practice_session import (
    SESSION_SIZE,
    SINGLE_FORMS,
    LastSeen,
    askable_forms,
    new_allowance,
    plan_session,
    practice_questions,
)
from quizapp.core.question_types import TYPES

# ---------------------------------------------------------------------------------------------
# The session plan


def test_due_facts_come_first_lowest_retrievability_first():
    due = [("a", 0.7), ("b", 0.2), ("c", 0.95), ("d", 0.2)]
    plan = plan_session(due, ["n1", "n2"], new_allowed=5)
    assert plan.due == ("b", "d", "a", "c")  # ties keep the order given
    assert plan.new == ("n1", "n2")
    assert plan.keys == ("b", "d", "a", "c", "n1", "n2")


def test_new_facts_stop_at_the_allowance_and_the_session_at_its_size():
    new = [f"n{i}" for i in range(50)]
    assert plan_session([], new, new_allowed=3).new == ("n0", "n1", "n2")
    assert plan_session([], new, new_allowed=0).new == ()
    full = plan_session([], new, new_allowed=200)
    assert len(full) == SESSION_SIZE
    due = [(f"d{i}", i / 100) for i in range(15)]
    mixed = plan_session(due, new, new_allowed=200)
    assert (len(mixed.due), len(mixed.new)) == (15, SESSION_SIZE - 15)
    many_due = [(f"d{i}", 0.5) for i in range(30)]
    assert plan_session(many_due, new, new_allowed=200).new == ()
    assert len(plan_session(many_due, new, new_allowed=200)) == SESSION_SIZE


def test_a_fact_is_asked_once():
    plan = plan_session([("a", 0.1), ("a", 0.3)], ["a", "b", "b"], new_allowed=5)
    assert plan.keys == ("a", "b")


@pytest.mark.parametrize(
    ("limit", "today", "left"), [(20, 0, 20), (20, 5, 15), (20, 20, 0), (20, 31, 0), (0, 0, 0)]
)
def test_the_allowance_counts_what_was_introduced_today(limit, today, left):
    assert new_allowance(limit, today) == left


# ---------------------------------------------------------------------------------------------
# Questions in a fresh form


def _first_choice(available, last_type, last_correct, recall_failures, rng):
    """A stand-in for core.memory.next_form: the first form that is not the last one."""
    others = [name for name in available if name != last_type]
    return (others or list(available))[0]


def test_askable_forms_are_single_fact_forms_the_fact_is_eligible_for(pool):
    forms = askable_forms(pool, "en")
    assert forms
    for key, names in forms.items():
        assert names and set(names) <= set(SINGLE_FORMS)
        for name in names:
            assert key in {f.id for f in pool.eligible[("en", name)]}
    # skip_types are respected: a fact that skips every form but cloze is askable only so
    skipping = next(
        f for f in pool.facts["en"] if {"mcq", "tf", "short", "numeric"} <= set(f.skip_types)
    )
    assert set(forms.get(skipping.id, [])) <= {"cloze"}


def test_each_fact_is_asked_in_the_chosen_fresh_form(pool):
    forms = askable_forms(pool, "en")
    keys = [key for key, names in forms.items() if len(names) >= 2][:8]
    seen = {key: LastSeen(forms[key][0], True, 0) for key in keys}
    plan = plan_session([(key, 0.5) for key in keys], [], 0)
    questions = practice_questions(pool, plan, "en", seen, random.Random(3), _first_choice)
    asked = [q.fact_id for q in questions]
    # In the order given; a fact whose every form would give another's answer away is left out.
    assert asked == [key for key in keys if key in asked] and len(asked) >= 6
    for question in questions:
        assert question.type == forms[question.fact_id][1]  # not the one last seen


def test_a_form_that_does_not_build_falls_back_to_another(pool, monkeypatch):
    forms = askable_forms(pool, "en")
    key = next(key for key, names in forms.items() if len(names) >= 2)
    broken = forms[key][0]
    monkeypatch.setitem(
        TYPES, broken, dataclasses.replace(TYPES[broken], build=lambda facts, ctx: None)
    )
    offers = []

    def chooser(available, *rest):
        offers.append(list(available))
        return available[0]

    plan = plan_session([], [key], 1)
    questions = practice_questions(pool, plan, "en", {}, random.Random(1), chooser)
    assert offers == [forms[key], forms[key][1:]]
    assert [q.type for q in questions] == [forms[key][1]]


def test_a_chooser_outside_the_offer_is_a_bug(pool):
    key = next(iter(askable_forms(pool, "en")))
    with pytest.raises(ValueError):
        practice_questions(
            pool, plan_session([], [key], 1), "en", {}, random.Random(1), lambda *a: "order"
        )


def test_unknown_keys_are_left_out(pool):
    forms = askable_forms(pool, "en")
    key = next(iter(forms))
    plan = plan_session([("no-such-fact", 0.1), (key, 0.2)], [], 0)
    questions = practice_questions(pool, plan, "en", {}, random.Random(2), _first_choice)
    assert [q.fact_id for q in questions] == [key]


def test_a_new_fact_that_cannot_be_asked_gives_its_place_to_the_next(pool):
    keys = list(askable_forms(pool, "en"))
    plan = plan_session([], ["no-such-fact", keys[0]], 2)
    questions = practice_questions(
        pool, plan, "en", {}, random.Random(2), _first_choice, spare_new=keys
    )
    assert [q.fact_id for q in questions][:2] == keys[:2]
    assert len(questions) == 2


# ---------------------------------------------------------------------------------------------
# Mastery


def test_mastery_counts_every_fact_and_only_recall_at_ninety_percent():
    mastery = mastery_of([None, 0.0, 0.5, MASTERED, 0.99, 1.0])
    assert mastery == Mastery(facts=6, mastered=3, studied=5)
    assert mastery.share == pytest.approx(50.0)
    assert mastery_of([]).share is None
    assert mastery_of([0.8999999]).mastered == 0


def test_mastery_by_topic_keeps_the_bank_order():
    rows = [("b", 0.95), ("a", None), ("b", 0.1), ("a", 0.92)]
    topics = mastery_by_topic(rows)
    assert [t.topic for t in topics] == ["b", "a"]
    assert [(t.mastery.facts, t.mastery.mastered) for t in topics] == [(2, 1), (2, 1)]


# ---------------------------------------------------------------------------------------------
# The forecast of reviews due


def _to_utc(zone: str):
    tz = zoneinfo.ZoneInfo(zone)
    return lambda local: local.replace(tzinfo=tz).astimezone(dt.UTC).replace(tzinfo=None)


def test_days_start_at_local_midnight_across_a_clock_change():
    # Bucharest leaves summer time on 26 October 2025: that day lasts 25 hours.
    starts = rf.day_starts(dt.date(2025, 10, 25), _to_utc("Europe/Bucharest"), days=3)
    assert starts == [
        dt.datetime(2025, 10, 24, 21, 0),
        dt.datetime(2025, 10, 25, 21, 0),
        dt.datetime(2025, 10, 26, 22, 0),
        dt.datetime(2025, 10, 27, 22, 0),
    ]
    with pytest.raises(ValueError):
        rf.day_starts(dt.date(2025, 1, 1), _to_utc("UTC"), days=0)


def test_due_moments_are_counted_on_their_local_day():
    today = dt.date(2025, 3, 10)
    starts = rf.day_starts(today, _to_utc("America/New_York"), days=3)  # 04:00 UTC, EDT
    dues = [
        dt.datetime(2025, 1, 1),  # long overdue: today
        dt.datetime(2025, 3, 11, 3, 59),  # 23:59 local on the 10th: today
        dt.datetime(2025, 3, 11, 4, 0),  # midnight local: tomorrow
        dt.datetime(2025, 3, 13, 3, 0),  # 23:00 local on the 12th: the third day
        dt.datetime(2025, 3, 13, 4, 0),  # after the last day: not counted
    ]
    days = rf.due_forecast(dues, starts, today)
    assert [(d.day, d.count) for d in days] == [
        (dt.date(2025, 3, 10), 2),
        (dt.date(2025, 3, 11), 1),
        (dt.date(2025, 3, 12), 1),
    ]


def _svg(days):
    return rf.forecast_svg(
        days,
        title="Reviews due <soon>",
        description="Per day",
        day_label=lambda day: day.strftime("%b %d"),
        bar_label=lambda day: f"{day.day}: {day.count}",
    )


def test_the_chart_has_a_bar_per_day_with_reviews_and_escapes_its_text():
    today = dt.date(2025, 3, 10)
    counts = [3, 0, 1, 0, 0, 7, 0, 0, 0, 0, 2, 0, 0, 1]
    days = [rf.ForecastDay(today + dt.timedelta(days=k), n) for k, n in enumerate(counts)]
    svg = _svg(days)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "Reviews due &lt;soon&gt;" in svg and "<soon>" not in svg
    bars = re.findall(
        r'<rect class="bar[^"]*" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg
    )
    assert len(bars) == sum(1 for n in counts if n)
    heights = [float(h) for *_rest, h in bars]
    assert heights[2] == max(heights)  # the 7
    xs = [float(x) for x, *_ in bars]
    assert xs == sorted(xs)


def test_day_labels_never_touch_and_start_today():
    today = dt.date(2025, 12, 25)
    days = [rf.ForecastDay(today + dt.timedelta(days=k), 1) for k in range(rf.FORECAST_DAYS)]
    labels = rf.day_labels(days, lambda day: day.strftime("%d %B %Y"))
    assert labels[0][0] == 0
    for (_a, left), (_b, right) in pairwise(labels):
        assert left.extent[1] + LABEL_GAP <= right.extent[0]
    assert all(label.extent[0] >= 0 and label.extent[1] <= WIDTH for _k, label in labels)


def test_an_empty_forecast_draws_nothing_and_an_idle_one_draws_axes():
    assert _svg([]) == ""
    idle = _svg([rf.ForecastDay(dt.date(2025, 1, 1), 0)])
    assert "<rect" not in idle and 'class="axis"' in idle

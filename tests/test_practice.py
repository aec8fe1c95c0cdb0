"""Spaced practice as a service: what a session asks and in what order, the daily limit of new
facts, the fresh form, retired facts, mastery, and practice attempts in the history
(services.practice, services.mastery, services.history). Memory is made through
services.memory.record_answer, as answering does."""

from __future__ import annotations

import datetime as dt

import pytest

from quizapp.core.mastery import MASTERED
from quizapp.core.memory import RECALL, RECOGNITION, retrievability
from quizapp.core.practice_session import SESSION_SIZE, askable_forms
from quizapp.core.review_forecast import day_starts
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Fact, FactCard, User
from quizapp.services import class_lists, classes, history, mastery, memory, practice
from quizapp.services.attempt_modes import is_practice
from quizapp.services.banks import question_pool
from quizapp.services.users import create_user

NOW = dt.datetime(2026, 3, 10, 12, 0)
TODAY_START = dt.datetime(2026, 3, 10, 0, 0)


def _starts():
    return day_starts(NOW.date(), lambda local: local)  # the learner's zone is UTC here


def _setup(app, student):
    """The learner, the bank, and the bank's English facts that practice can ask (bank order)."""
    user = db.session.get(User, student)
    bank = db.session.scalar(db.select(Bank))
    askable = askable_forms(question_pool(bank), "en")
    facts = [
        f
        for f in db.session.scalars(
            db.select(Fact).where(Fact.language == "en", Fact.retired.is_(False)).order_by(Fact.id)
        )
        if f.key in askable
    ]
    return user, bank, facts, askable


def _answer(user, fact, correct, when, question_type="short", seconds=15.0):
    return memory.record_answer(user.id, fact.id, question_type, correct, seconds, when)


def _keys(attempt: Attempt) -> list[str]:
    return [item.fact_key for item in attempt.items]


def _overview(user, bank, now=NOW):
    return practice.practice_overview(
        user, bank, "en", now=now, day_starts=_starts(), today=now.date()
    )


def test_due_facts_come_first_lowest_retrievability_first_then_new_ones_in_bank_order(app, student):
    with app.app_context():
        user, bank, facts, _askable = _setup(app, student)
        weak, strong, later = facts[5], facts[9], facts[12]
        # weak: wrong twice, two days ago; strong: right twice, ten days ago; both are due.
        # later: right twice yesterday, due in days.
        _answer(user, weak, False, NOW - dt.timedelta(days=3))
        _answer(user, weak, False, NOW - dt.timedelta(days=2))
        for days in (11, 10):
            _answer(user, strong, True, NOW - dt.timedelta(days=days))
        _answer(user, later, True, NOW - dt.timedelta(days=1), seconds=3)
        _answer(user, later, True, NOW - dt.timedelta(hours=20), seconds=3)
        cards = memory.cards_of(user.id, [weak.id, strong.id, later.id])
        assert cards[weak.id].due <= NOW and cards[strong.id].due <= NOW
        assert cards[later.id].due > NOW
        r_weak = retrievability(cards[weak.id], NOW)
        r_strong = retrievability(cards[strong.id], NOW)
        assert r_weak < r_strong
        user.daily_new_facts = 4
        db.session.commit()

        session = practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        db.session.commit()
        keys = _keys(session)
        never = [f.key for f in facts if f.id not in (weak.id, strong.id, later.id)]
        assert keys[:2] == [weak.key, strong.key]
        # Then four new facts in the bank's order (one whose every form would give another
        # question's answer away gives its place to the next).
        assert len(keys) == 6 and keys[2] == never[0]
        assert keys[2:] == [key for key in never if key in keys[2:]]
        assert later.key not in keys
        assert session.settings["mode"] == "practice" and is_practice(session)
        assert (session.settings["due"], session.settings["new"]) == (2, 4)
        assert session.assignment_id is None and session.max_score == len(keys)


def test_the_daily_limit_counts_new_facts_met_today_in_any_bank_or_quiz(app, student):
    with app.app_context():
        user, bank, facts, _askable = _setup(app, student)
        user.daily_new_facts = 5
        # Three facts met for the first time today (one in Spanish: the limit is the
        # account's), one met yesterday and again today (not new today).
        spanish = db.session.scalar(db.select(Fact).where(Fact.language == "es"))
        for fact in (facts[0], facts[1]):
            _answer(user, fact, True, NOW - dt.timedelta(hours=3))
        _answer(user, spanish, True, NOW - dt.timedelta(hours=3))
        _answer(user, facts[2], True, NOW - dt.timedelta(days=1, hours=2))
        _answer(user, facts[2], True, NOW - dt.timedelta(hours=2))
        db.session.commit()
        assert practice.introduced_since(user.id, TODAY_START) == 3

        overview = _overview(user, bank)
        assert (overview.introduced_today, overview.new_allowed) == (3, 2)
        assert len(overview.plan.new) == 2
        session = practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        assert session.settings["new"] == 2

        # Once the limit is met, a session asks only what is due.
        db.session.rollback()
        user = db.session.get(User, student)
        user.daily_new_facts = 3
        db.session.commit()
        overview = _overview(user, bank)
        assert overview.new_allowed == 0 and overview.plan.new == ()


def test_nothing_due_and_no_new_fact_allowed_says_when_the_next_is_due(app, student):
    with app.app_context():
        user, bank, facts, _askable = _setup(app, student)
        user.daily_new_facts = 0
        db.session.commit()
        with pytest.raises(practice.NothingToPractise) as nothing:
            practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        assert nothing.value.next_due is None
        card = _answer(user, facts[0], True, NOW - dt.timedelta(days=1), seconds=2)
        _answer(user, facts[0], True, NOW - dt.timedelta(hours=23), seconds=2)
        db.session.commit()
        assert card.due > NOW
        with pytest.raises(practice.NothingToPractise) as nothing:
            practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        assert nothing.value.next_due == card.due
        overview = _overview(user, bank)
        assert overview.plan.keys == () and overview.next_due == card.due
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


def test_each_fact_is_asked_in_a_fresh_form(app, student):
    with app.app_context():
        user, bank, facts, askable = _setup(app, student)
        user.daily_new_facts = 0
        # Facts with a recognition and a recall form, last answered right as a recognition
        # type: asked next in a recall form. Facts failed twice in recall: recognition.
        both = [
            f for f in facts if set(askable[f.key]) & RECOGNITION and set(askable[f.key]) & RECALL
        ]
        recognised, failed = both[:4], both[4:8]
        for fact in recognised:
            kind = sorted(set(askable[fact.key]) & RECOGNITION)[0]
            _answer(user, fact, True, NOW - dt.timedelta(days=30), question_type=kind)
        for fact in failed:
            kind = sorted(set(askable[fact.key]) & RECALL)[0]
            _answer(user, fact, False, NOW - dt.timedelta(days=3), question_type=kind)
            _answer(user, fact, False, NOW - dt.timedelta(days=2), question_type=kind)
        db.session.commit()
        session = practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        asked = {item.fact_key: item.question_type for item in session.items}
        cards = memory.cards_of(user.id, [f.id for f in recognised + failed])
        for fact in recognised:
            assert asked[fact.key] in RECALL
            assert asked[fact.key] != cards[fact.id].last_type
        for fact in failed:
            assert asked[fact.key] in RECOGNITION


def test_retired_facts_and_facts_under_review_are_never_practised(app, student):
    with app.app_context():
        user, bank, facts, _askable = _setup(app, student)
        retired, flagged = facts[0], facts[1]
        for fact in (retired, flagged, facts[2]):
            _answer(user, fact, False, NOW - dt.timedelta(days=1))
        retired.retired = True
        flagged.needs_review = True
        user.daily_new_facts = 200
        db.session.commit()
        overview = _overview(user, bank)
        assert overview.due_now == 1
        session = practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        keys = _keys(session)
        assert retired.key not in keys and flagged.key not in keys
        assert keys[0] == facts[2].key and len(keys) == SESSION_SIZE


def test_an_open_session_is_continued_not_doubled(app, student):
    with app.app_context():
        user, bank, _facts, _askable = _setup(app, student)
        first = practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        db.session.commit()
        again = practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        assert again.id == first.id
        assert _overview(user, bank).open_attempt_id == first.id
        # Another language is another session.
        other = practice.start_practice(user, bank, "es", day_start=TODAY_START, now=NOW)
        assert other.id != first.id


def _card(user, fact, *, days_ago: float, stability: float) -> FactCard:
    """A reviewed card whose retrievability at NOW is set by its stability and last review."""
    last = NOW - dt.timedelta(days=days_ago)
    card = FactCard(
        user_id=user.id,
        fact_id=fact.id,
        state=2,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=last + dt.timedelta(days=stability),
        last_review=last,
        last_type="short",
        last_correct=True,
    )
    db.session.add(card)
    return card


def test_mastery_is_the_share_of_facts_recalled_now_at_ninety_percent(app, student):
    with app.app_context():
        user, bank, _facts, _askable = _setup(app, student)
        live = list(
            db.session.scalars(
                db.select(Fact)
                .where(Fact.language == "en", Fact.retired.is_(False))
                .order_by(Fact.id)
            )
        )
        # R >= 0.9 while the whole days since the last review are at most the stability.
        cards = [
            _card(user, live[0], days_ago=2.5, stability=5.0),  # 2 days: mastered
            _card(user, live[1], days_ago=5.9, stability=5.0),  # 5 days: exactly 0.9
            _card(user, live[2], days_ago=6.1, stability=5.0),  # 6 days: not mastered
            _card(user, live[3], days_ago=40, stability=3.0),  # long forgotten
        ]
        db.session.commit()
        values = [retrievability(card, NOW) for card in cards]
        assert [v >= MASTERED for v in values] == [True, True, False, False]

        overview = _overview(user, bank)
        assert (overview.mastery.facts, overview.mastery.mastered) == (len(live), 2)
        assert overview.mastery.studied == 4
        assert overview.mastery.share == pytest.approx(200 / len(live))
        topics = {t.topic: t.mastery for t in overview.topics}
        assert sum(m.facts for m in topics.values()) == len(live)
        assert topics[live[0].topic].mastered >= 1
        assert list(topics) == list(dict.fromkeys(f.topic for f in live))

        # The history page's figure is the same.
        rows = mastery.learner_mastery(user, NOW)
        assert [(row.slug, row.language) for row in rows] == [("romania-ww2", "en")]
        assert rows[0].mastery == overview.mastery
        assert rows[0].topics == overview.topics
        assert mastery.learner_mastery(user, NOW, language="es") == []


def test_practice_sessions_stay_out_of_score_summaries_but_are_listed(app, student):
    with app.app_context():
        user, bank, _facts, _askable = _setup(app, student)
        session = practice.start_practice(user, bank, "en", day_start=TODAY_START, now=NOW)
        session.finished_at = NOW
        session.score = 0.0
        db.session.commit()
        assert history.bank_summaries(user.id) == []
        assert history.trend(user.id) == []
        assert [a.id for a in history.attempts_page(user.id, 1).items] == [session.id]
        # Nor in a class's results per bank.
        teacher = create_user("profe", "correct horse battery", "teacher")
        school_class = classes.create_class(teacher, "3B")
        classes.join_class(user, school_class.join_code)
        db.session.commit()
        assert class_lists.learner_results(teacher, school_class, [user.id]) == {}

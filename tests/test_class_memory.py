"""What a class is forgetting (services.class_memory): FSRS retrievability in SQL agrees with
the core on both databases, facts ranked by the class's mean, only the class's learners and
live facts counted, only the class's teachers allowed; the source page marks the fact's
evidence for them."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from quizapp.core.memory import retrievability
from quizapp.extensions import db
from quizapp.models import Fact, FactCard, SchoolClass, User
from quizapp.services import class_memory, classes
from quizapp.services.permissions import Forbidden, NotFound
from tests.conftest import log_in, make_class, make_user

NOW = dt.datetime(2026, 3, 10, 12, 0, 0)


def _card(user_id: int, fact_id: int, *, days_ago: float, stability: float) -> FactCard:
    last = NOW - dt.timedelta(days=days_ago)
    card = FactCard(
        user_id=user_id,
        fact_id=fact_id,
        state=2,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=last + dt.timedelta(days=stability),
        last_review=last,
        last_type="mcq",
        last_correct=True,
    )
    db.session.add(card)
    return card


def _facts(count: int) -> list[Fact]:
    return list(
        db.session.scalars(
            db.select(Fact).where(Fact.language == "en").order_by(Fact.id).limit(count)
        )
    )


def test_retrievability_in_sql_is_the_cores(app):
    learner = make_user(app, "ana")
    with app.app_context():
        facts = _facts(60)
        rng = random.Random(12)
        cards = []
        for fact in facts:
            days_ago = rng.choice([0, 0.4, 1, 1.0001, 2.9999, 3, rng.uniform(0, 400)])
            cards.append(
                _card(learner, fact.id, days_ago=days_ago, stability=rng.uniform(0.05, 300))
            )
        # A review "after now" (a clock ahead): no negative elapsed time, as fsrs.
        cards.append(_card(learner, _facts(61)[-1].id, days_ago=-2, stability=3.0))
        db.session.commit()
        got = dict(
            db.session.execute(db.select(FactCard.id, class_memory.retrievability_sql(NOW))).all()
        )
        for card in cards:
            assert got[card.id] == pytest.approx(retrievability(card, NOW), rel=1e-9, abs=1e-12)


@pytest.fixture
def world(app):
    """A class owned by `maestra` with co-teacher `coprofe` and learners ana and bea; cati is in
    no class; `ajena` is a teacher of another class."""
    make_user(app, "maestra", "teacher")
    make_user(app, "coprofe", "teacher")
    make_user(app, "ajena", "teacher")
    ids = {name: make_user(app, name) for name in ("ana", "bea", "cati")}
    class_id = make_class(app, "maestra", "ana", "bea")
    make_class(app, "ajena", "cati", name="Other")
    with app.app_context():
        owner = db.session.scalar(db.select(User).where(User.name == "maestra"))
        classes.add_teacher(owner, db.session.get(SchoolClass, class_id), "coprofe")
        db.session.commit()
    return class_id, ids


def _user(name: str) -> User:
    return db.session.scalar(db.select(User).where(User.name == name))


def test_facts_are_ranked_by_the_class_mean_over_learners_who_met_them(app, world):
    class_id, ids = world
    with app.app_context():
        f = _facts(6)
        # fact 0: both forgot it (lowest); fact 1: one forgot, one knows; fact 2: known.
        _card(ids["ana"], f[0].id, days_ago=50, stability=2)
        _card(ids["bea"], f[0].id, days_ago=40, stability=2)
        _card(ids["ana"], f[1].id, days_ago=30, stability=1)
        _card(ids["bea"], f[1].id, days_ago=1, stability=20)
        _card(ids["ana"], f[2].id, days_ago=1, stability=30)
        # Only cati (not in the class) forgot fact 3: not in this class's report.
        _card(ids["cati"], f[3].id, days_ago=90, stability=1)
        # A retired fact is left out however forgotten.
        _card(ids["ana"], f[4].id, days_ago=90, stability=1)
        f[4].retired = True
        db.session.commit()
        report = class_memory.fading_facts(
            _user("maestra"), db.session.get(SchoolClass, class_id), NOW
        )
        assert [row.fact_id for row in report.facts] == [f[0].id, f[1].id, f[2].id]
        assert [row.learners for row in report.facts] == [2, 2, 1]
        means = [row.mean_retrievability for row in report.facts]
        assert means == sorted(means)
        cards = db.session.scalars(db.select(FactCard).where(FactCard.fact_id == f[1].id))
        expected = sum(retrievability(c, NOW) for c in cards if c.user_id != ids["cati"]) / 2
        assert means[1] == pytest.approx(expected)
        assert (report.learners, report.learners_studying) == (2, 2)
        row = report.facts[0]
        assert (row.key, row.language, row.topic) == (f[0].key, "en", f[0].topic)
        assert (
            f"{row.source_slug}#{row.anchor}" == f"{f[0].passage.source.slug}#{f[0].passage.anchor}"
        )
        assert (
            len(
                class_memory.fading_facts(
                    _user("maestra"), db.session.get(SchoolClass, class_id), NOW, limit=1
                ).facts
            )
            == 1
        )


def test_only_the_class_teachers_see_it(app, world):
    class_id, _ids = world
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        assert class_memory.fading_facts(_user("coprofe"), school_class, NOW).facts == []
        with pytest.raises(NotFound):
            class_memory.fading_facts(_user("ajena"), school_class, NOW)
        with pytest.raises(NotFound):
            class_memory.fading_facts(_user("cati"), school_class, NOW)
        with pytest.raises(Forbidden):
            class_memory.fading_facts(_user("ana"), school_class, NOW)


def test_the_page_links_each_fact_to_its_passage_with_the_evidence_marked(app, world):
    class_id, ids = world
    with app.app_context():
        fact = _facts(1)[0]
        _card(ids["ana"], fact.id, days_ago=20, stability=1)
        db.session.commit()
        evidence, slug, anchor = fact.evidence_text, fact.passage.source.slug, fact.passage.anchor
    teacher = log_in(app.test_client(), "maestra")
    page = teacher.get(f"/classes/{class_id}/memory").get_data(as_text=True)
    assert "What the class is forgetting" in page
    link = re.search(rf'href="(/sources/{slug}\?[^"]+)#{anchor}"', page)
    assert link, page
    source = teacher.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    marked = re.search(r"<mark>(.*?)</mark>", source, re.S)
    assert marked and evidence.startswith(marked.group(1)[:20])
    assert f'/classes/{class_id}/memory"' in source  # the way back
    # A learner reading the same source sees it unmarked.
    learner = log_in(app.test_client(), "ana")
    plain = learner.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "<mark>" not in plain
    assert learner.get(f"/classes/{class_id}/memory").status_code == 403
    assert log_in(app.test_client(), "ajena").get(f"/classes/{class_id}/memory").status_code == 404


def test_sqlite_without_math_functions_gets_power_from_python(monkeypatch):
    import sqlite3

    from quizapp import database

    monkeypatch.setattr(database, "_sqlite_has_power", lambda: False)
    connection = sqlite3.connect(":memory:")
    database._on_connect(connection, None)
    assert connection.execute("SELECT power(4.0, 0.5), power(NULL, 2)").fetchone() == (2.0, None)
    assert database._power(-8.0, 0.5) is None  # not a real number: NULL, as SQLite's own
    connection.close()

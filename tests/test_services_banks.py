"""Service tests: storing banks idempotently, updating in place, keeping learners' history."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Attempt, Fact, Passage
from quizapp.services.banks import core_bank, load_folder, store_bank
from tests.conftest import BANK_DIR, log_in, make_user
from tests.quiz_helpers import frozen, start


def test_loading_an_unchanged_folder_twice_changes_nothing(app):
    with app.app_context():
        first = load_folder(BANK_DIR)
        db.session.commit()
        count = db.session.scalar(db.select(db.func.count(Fact.id)))
        second = load_folder(BANK_DIR)
        db.session.commit()
        assert first.status == "updated" and second.status == "unchanged"
        assert db.session.scalar(db.select(db.func.count(Fact.id))) == count


def test_a_changed_bank_updates_in_place_and_keeps_history(app, bank):
    make_user(app, "ana2")
    client = log_in(app.test_client(), "ana2")
    attempt_id = start(client, count=5, types=["short"])
    before = frozen(app, attempt_id)
    dropped = bank.facts[0]
    edited_fact = replace(bank.facts[1], statement=bank.facts[1].statement + " ")
    changed = replace(bank, facts=[edited_fact, *bank.facts[2:]])
    with app.app_context():
        passage_ids = set(db.session.scalars(db.select(Passage.id)))
        result = store_bank(changed, "changed")
        db.session.commit()
        assert result.status == "updated"
        retired = db.session.scalar(db.select(Fact).where(Fact.key == dropped.id))
        assert retired is not None and retired.retired
        assert set(db.session.scalars(db.select(Passage.id))) == passage_ids
        assert db.session.get(Attempt, attempt_id) is not None
        rebuilt = core_bank(
            db.session.scalar(db.select(Attempt).where(Attempt.id == attempt_id)).bank
        )
        assert dropped.id not in {f.id for f in rebuilt.facts}
    assert frozen(app, attempt_id) == before


def test_a_bad_bank_folder_stores_nothing(app, bank_copy):
    source = bank_copy / "sources" / "romania-overview-en.md"
    source.write_text(source.read_text(encoding="utf-8").replace("{#p2}", "{#p1}"), "utf-8")
    with app.app_context():
        result = load_folder(bank_copy)
        assert result.status == "invalid" and result.problems


def test_the_stored_bank_generates_like_the_folder(app, bank, pool):
    from quizapp.core.question_pool import QuestionPool
    from quizapp.models import Bank

    with app.app_context():
        stored = core_bank(db.session.scalar(db.select(Bank)))
    again = QuestionPool(stored).generate(10, "es", 3)
    assert [q.to_dict() for q in again] == [q.to_dict() for q in pool.generate(10, "es", 3)]


def test_production_must_set_a_secret_key():
    with pytest.raises(RuntimeError, match="QUIZAPP_SECRET_KEY"):
        create_app({"PRODUCTION": True})


def test_a_local_secret_key_is_made_once_and_kept():
    first = create_app({"TESTING": True}).config["SECRET_KEY"]
    second = create_app({"TESTING": True}).config["SECRET_KEY"]
    assert first and first == second


def test_settings_come_from_quizapp_environment_variables(monkeypatch):
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", "sqlite:////tmp/from-env.sqlite3")
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "from env")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/from-env.sqlite3"
    assert app.config["SECRET_KEY"] == "from env"

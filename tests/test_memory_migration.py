"""The memory migration (c4e8a2f6d913): upgrading keeps every learner and gives them the
default practice settings; downgrading drops the cards and the settings and keeps the rest."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from quizapp.extensions import db
from tests.test_migrations import empty_app  # noqa: F401  (the fixture: a database with no tables)

MEMORY = "c4e8a2f6d913"
BEFORE = "b7d3e9f1a2c4"


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def _user_columns() -> set[str]:
    return {column["name"] for column in sa.inspect(db.engine).get_columns("users")}


def test_upgrade_and_downgrade_of_the_memory_tables(empty_app, bank):  # noqa: F811
    from quizapp.services.banks import store_bank

    with empty_app.app_context():
        upgrade(revision=BEFORE)
        assert "fact_cards" not in _tables()
        db.session.execute(
            text(
                "INSERT INTO users (name, password_hash, role, must_change_password, created_at,"
                " session_version) VALUES ('ana', 'x', 'student', false, CURRENT_TIMESTAMP, 1)"
            )
        )
        db.session.commit()

        upgrade(revision=MEMORY)
        assert {"fact_cards", "fact_reviews"} <= _tables()
        row = db.session.execute(
            text("SELECT desired_retention, daily_new_facts FROM users WHERE name = 'ana'")
        ).one()
        assert tuple(row) == (0.9, 20)
        store_bank(bank, "x")
        db.session.commit()
        fact_id = db.session.execute(text("SELECT min(id) FROM facts")).scalar()
        db.session.execute(
            text(
                "INSERT INTO fact_cards (user_id, fact_id, state, due) VALUES (1, :fact, 1,"
                " CURRENT_TIMESTAMP)"
            ),
            {"fact": fact_id},
        )
        card_id = db.session.execute(text("SELECT id FROM fact_cards")).scalar()
        db.session.execute(
            text(
                "INSERT INTO fact_reviews (card_id, rating, reviewed_at, question_type)"
                " VALUES (:card, 3, CURRENT_TIMESTAMP, 'mcq')"
            ),
            {"card": card_id},
        )
        db.session.commit()
        # The server defaults fill what a bare insert leaves out.
        counts = db.session.execute(
            text("SELECT recall_failures, reviews, lapses FROM fact_cards")
        ).one()
        assert tuple(counts) == (0, 0, 0)
        # One card per learner and fact.
        duplicate_refused = False
        try:
            with db.session.begin_nested():
                db.session.execute(
                    text(
                        "INSERT INTO fact_cards (user_id, fact_id, state, due) VALUES (1, :fact,"
                        " 1, CURRENT_TIMESTAMP)"
                    ),
                    {"fact": fact_id},
                )
        except sa.exc.IntegrityError:
            duplicate_refused = True
        assert duplicate_refused
        db.session.commit()

        downgrade(revision=BEFORE)
        assert not {"fact_cards", "fact_reviews"} & _tables()
        assert not {"desired_retention", "daily_new_facts"} & _user_columns()
        assert db.session.execute(text("SELECT name FROM users")).scalar() == "ana"
        assert db.session.execute(text("SELECT count(*) FROM facts")).scalar() == len(bank.facts)
        db.session.rollback()  # end the read, so that the upgrade may alter the tables

        upgrade()
        assert {"desired_retention", "daily_new_facts"} <= _user_columns()

"""Migrations: upgrading an empty database gives exactly the models' schema, and round-trips."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from quizapp import create_app
from quizapp.extensions import db
from quizapp.services.search import SEARCH_OBJECTS
from tests.conftest import BACKENDS, PASSWORD, postgres_url


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path):
    """An app on a database with no tables at all."""

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        url = postgres_url()
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _drop_everything()
    yield app
    with app.app_context():
        db.session.remove()
        _drop_everything()
        db.engine.dispose()


def _drop_everything() -> None:
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DROP TABLE IF EXISTS passages_fts"))
        db.session.commit()
    db.drop_all()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


def test_upgrade_gives_exactly_the_models_schema(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    "include_object": lambda obj, name, *rest: (
                        not (name or "").startswith(SEARCH_OBJECTS)
                    ),
                },
            )
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_downgrade_upgrade_keeps_working_with_data(empty_app, bank):
    from quizapp.services.banks import store_bank
    from quizapp.services.users import create_user

    with empty_app.app_context():
        upgrade()
        store_bank(bank, "x")
        create_user("ana", PASSWORD, "student")
        db.session.commit()
        downgrade(revision="base")
        upgrade()
        store_bank(bank, "x")
        create_user("ana", PASSWORD, "student")
        db.session.commit()
        assert db.session.execute(text("SELECT count(*) FROM facts")).scalar() == len(bank.facts)


def test_upgrading_a_database_that_holds_data_from_the_first_revision(empty_app, bank):
    """A learner's history made on the first schema survives every later migration."""
    from quizapp.services.banks import store_bank
    from quizapp.services.users import create_user

    with empty_app.app_context():
        upgrade(revision="4de44fa3d340")
        db.session.execute(
            text(
                "INSERT INTO users (name, password_hash, role, must_change_password, created_at)"
                " VALUES ('ana', 'x', 'student', false, CURRENT_TIMESTAMP)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO banks (slug, titles, descriptions, languages, subject, licence, "
                "pools, content_hash, version, updated_at) VALUES ('b', '{}', '{}', '[]',"
                " '', '', '{}', '', 1, CURRENT_TIMESTAMP)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO sources (bank_id, slug, title, language, origin, licence, "
                "attribution, cleaning, position) VALUES (1, 's', 'S', 'en', 'o', 'l', 'a', '', 0)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO attempts (user_id, bank_id, language, settings, started_at, score,"
                " max_score) VALUES (1, 1, 'en', '{}', CURRENT_TIMESTAMP, 3, 5)"
            )
        )
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT count(*) FROM attempts")).scalar() == 1
        assert db.session.execute(text("SELECT slug, archived FROM banks")).one() == ("b", False)
        store_bank(bank, "x")
        create_user("bea", PASSWORD, "student")
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# ---------------------------------------------------------------------------------------------
# Bank owners and the admin role (revision 7aca8f91b025)


def test_the_migration_gives_browser_banks_owners_and_makes_the_first_teacher_admin(empty_app):
    with empty_app.app_context():
        upgrade(revision="cbbd8b9ed578")
        for number, (name, role) in enumerate(
            [("ana", "student"), ("first", "teacher"), ("second", "teacher")], start=1
        ):
            db.session.execute(
                text(
                    "INSERT INTO users (name, password_hash, role, must_change_password,"
                    " created_at) VALUES (:name, 'x', :role, false, :created)"
                ),
                {"name": name, "role": role, "created": f"2026-01-0{number} 00:00:00"},
            )
        for slug, managed_in, creator in [
            ("site", "folder", None),
            ("by-second", "browser", 3),
            ("unknown", "browser", None),
        ]:
            db.session.execute(
                text(
                    "INSERT INTO banks (slug, titles, descriptions, languages, subject, licence,"
                    " pools, content_hash, version, updated_at, managed_in, archived,"
                    " created_by_id) VALUES (:slug, '{}', '{}', '[]', '', '', '{}', '', 1,"
                    " CURRENT_TIMESTAMP, :managed_in, false, :creator)"
                ),
                {"slug": slug, "managed_in": managed_in, "creator": creator},
            )
        db.session.commit()
        upgrade()
        roles = dict(db.session.execute(text("SELECT name, role FROM users")).all())
        assert roles == {"ana": "student", "first": "admin", "second": "teacher"}
        banks = {
            slug: (owner, bool(published))
            for slug, owner, published in db.session.execute(
                text("SELECT slug, owner_id, published FROM banks")
            )
        }
        assert banks == {"site": (None, False), "by-second": (3, True), "unknown": (2, True)}

"""The test fixtures' database: every test starts on exactly what creating every table and
storing the founding bank gives, although the suite builds that once per process and copies
it (SQLite) or resets to it (PostgreSQL) between tests (see tests/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Fact, Source
from quizapp.services.banks import store_bank
from tests.conftest import (
    BACKENDS,
    FAST_PASSWORD_HASH,
    FOUNDING_HASH,
    founding_copy,
    make_class,
    make_user,
)

# Stamped with the time they were written: a copy keeps the template's.
CLOCK_COLUMNS = {"created_at", "updated_at"}


def _contents(app) -> dict[str, list[tuple]]:
    """Every row of every table, ordered by primary key, without the clock columns."""
    with app.app_context():
        contents = {}
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in CLOCK_COLUMNS]
            query = select(*columns).order_by(*table.primary_key.columns)
            contents[table.name] = [tuple(row) for row in db.session.execute(query)]
        db.session.remove()
        return contents


def _next_ids(app) -> tuple[int, int]:
    """The ids the next user and the next source get."""
    user = make_user(app, "zoe")
    with app.app_context():
        bank_id = db.session.scalar(select(Source.bank_id).limit(1))
        source = Source(
            bank_id=bank_id,
            slug="next",
            title="Next",
            language="en",
            origin="",
            licence="",
            attribution="",
        )
        db.session.add(source)
        db.session.commit()
        return user, source.id


def _app(url: str):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        }
    )


@pytest.fixture
def fresh(tmp_path, bank):
    """An app on a database made the slow way: create every table, store the bank."""
    app = _app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    with app.app_context():
        db.create_all()
        store_bank(bank, FOUNDING_HASH)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _write_everywhere(app) -> None:
    """What a test may leave behind: users, a class, an edited and a retired fact."""
    make_user(app, "profesora", role="teacher")
    make_user(app, "ana")
    make_class(app, "profesora", "ana")
    with app.app_context():
        facts = db.session.scalars(select(Fact).order_by(Fact.id).limit(2)).all()
        facts[0].answer = "edited"
        facts[1].retired = True
        db.session.commit()


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_test_starts_on_the_founding_database_whatever_came_before(
    request, backend, tmp_path, fresh
):
    if backend == "sqlite":
        template = request.getfixturevalue("founding_sqlite")
        target = tmp_path / "copy.sqlite3"
        written = _app(founding_copy(template, target))
        _write_everywhere(written)  # the template itself is never written
        with written.app_context():
            db.engine.dispose()
        app = _app(founding_copy(template, tmp_path / "next.sqlite3"))
    else:
        founding = request.getfixturevalue("founding_postgres")
        founding.reset()
        app = _app(founding.url)
        _write_everywhere(app)
        founding.reset()
    expected = _contents(fresh)
    assert expected["facts"] and expected["users"] == []
    assert _contents(app) == expected
    assert _next_ids(app) == _next_ids(fresh)
    with app.app_context():
        db.engine.dispose()


def test_a_dropped_schema_is_built_again_by_the_next_reset(request, fresh):
    if "postgresql" not in BACKENDS:
        pytest.skip("QUIZAPP_TEST_DATABASE_URL is not set")
    founding = request.getfixturevalue("founding_postgres")
    app = _app(founding.url)
    with app.app_context():
        db.drop_all()  # as tests/test_migrations.py does
        db.engine.dispose()
    founding.reset()
    assert _contents(app) == _contents(fresh)
    with app.app_context():
        db.engine.dispose()

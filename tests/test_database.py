"""SQLite under concurrency: connection settings, IMMEDIATE write transactions, no lost answers."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import text

from quizapp.database import BUSY_TIMEOUT_MS, begin_write
from quizapp.extensions import db
from tests.conftest import log_in, make_user
from tests.quiz_helpers import frozen, responses, right_answer_form, start


def test_every_sqlite_connection_is_set_up_for_concurrency(sqlite_app):
    with sqlite_app.app_context(), db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL


def test_begin_write_takes_the_write_lock_at_once(sqlite_app, tmp_path):
    with sqlite_app.app_context():
        db.session.execute(text("SELECT 1"))  # a read transaction first
        begin_write()
        other = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        db.session.rollback()
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


def test_reads_do_not_take_the_write_lock(sqlite_app, tmp_path):
    with sqlite_app.app_context():
        db.session.execute(text("SELECT count(*) FROM facts"))
        other = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
        db.session.rollback()


def test_concurrent_learners_lose_no_answer(sqlite_app):
    learners = 12
    for number in range(learners):
        make_user(sqlite_app, f"learner{number}")
    clients = [log_in(sqlite_app.test_client(), f"learner{n}") for n in range(learners)]
    attempt_ids = [start(client, count=5, types=["short", "mcq"]) for client in clients]
    errors: list[str] = []

    def answer_all(client, attempt_id):
        for position, question in frozen(sqlite_app, attempt_id).items():
            # Two submits of the same answer at once: one is stored, the other is a no-op.
            for _ in range(2):
                response = client.post(
                    f"/attempts/{attempt_id}/q/{position}", data=right_answer_form(question)
                )
                if response.status_code != 302:
                    errors.append(f"{response.status_code} {response.get_data(as_text=True)[:200]}")
        client.post(f"/attempts/{attempt_id}/finish")

    threads = [
        threading.Thread(target=answer_all, args=(client, attempt_id))
        for client, attempt_id in zip(clients, attempt_ids, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    for attempt_id in attempt_ids:
        stored = responses(sqlite_app, attempt_id)
        assert sorted(stored) == [1, 2, 3, 4, 5]
        assert all(r.correct for r in stored.values())
    with sqlite_app.app_context():
        rows = db.session.execute(
            text(
                "SELECT a.score, (SELECT coalesce(sum(r.points), 0) FROM responses r "
                "JOIN attempt_items i ON r.item_id = i.id WHERE i.attempt_id = a.id) "
                "FROM attempts a"
            )
        ).all()
        assert rows and all(score == total == 5 for score, total in rows)

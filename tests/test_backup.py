"""Backups: the online backup API copies a database that is being written to."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import text

from quizapp.backup import integrity
from quizapp.extensions import db
from quizapp.services.users import create_user


def _count_users(path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM users").fetchone()[0]
    finally:
        connection.close()


def test_backup_during_writes_gives_a_sound_copy(sqlite_app, tmp_path):
    stop = threading.Event()
    written = []

    def writer():
        with sqlite_app.app_context():
            number = 0
            while not stop.is_set() and number < 400:
                db.session.execute(
                    text(
                        "INSERT INTO users (name, password_hash, role, must_change_password,"
                        " created_at) VALUES (:n, 'x', 'student', 0, CURRENT_TIMESTAMP)"
                    ),
                    {"n": f"writer{number}"},
                )
                db.session.commit()
                written.append(number)
                number += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            pass
        target = tmp_path / "copy.sqlite3"
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    finally:
        stop.set()
        thread.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    assert integrity(target) == "ok"
    copied = _count_users(target)
    assert 20 <= copied <= len(written)


def test_restore_brings_a_backup_back(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    target = tmp_path / "before.sqlite3"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    with sqlite_app.app_context():
        create_user("late-comer", "long enough password")
        db.session.commit()
        db.engine.dispose()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with sqlite_app.app_context():
        names = db.session.scalars(text("SELECT name FROM users")).all()
    assert "late-comer" not in names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["restore", "/nonexistent/backup.sqlite3", "--yes"], "there is no backup"),
        (["backup", "{existing}"], "exists; choose a new file name"),
    ],
)
def test_backup_and_restore_refuse_bad_files_with_a_message(sqlite_app, tmp_path, args, message):
    existing = tmp_path / "existing.sqlite3"
    existing.write_text("not a database")
    args = [a.replace("{existing}", str(existing)) for a in args]
    result = sqlite_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1 and message in result.output


def test_restore_refuses_a_file_that_is_not_a_database(sqlite_app, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("hello")
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1 and "not a SQLite database" in result.output


def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    from quizapp import create_app

    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/d"})
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code == 1 and "pg_dump" in result.output

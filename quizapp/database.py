"""Database engine behaviour: SQLite settings for concurrency, and short write transactions.

Every SQLite connection runs in WAL mode with a busy timeout, foreign keys on and
synchronous=NORMAL. Python's sqlite3 driver starts transactions lazily and DEFERRED; a read that
later writes can then fail at once with "database is locked" when another writer got in
between. So the driver's own transaction handling is switched off and SQLAlchemy's "begin" event
emits BEGIN itself: IMMEDIATE (take the write lock first, wait for it under the busy timeout)
for transactions opened by `begin_write()`, plain BEGIN for the rest.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from quizapp.extensions import db

BUSY_TIMEOUT_MS = 15_000
WRITE_OPTION = "quizapp_write"
_installed = False


def install_engine_events() -> None:
    """Register the connect and begin listeners once per process, for SQLite engines only."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    event.listen(Engine, "begin", _on_begin)
    _installed = True


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    if not _is_sqlite(dbapi_connection):
        return
    # Let SQLAlchemy's begin event, not the driver, open transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(connection: Any) -> None:
    if connection.dialect.name != "sqlite":
        return
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith(("sqlite3", "pysqlite2"))


def begin_write() -> None:
    """End any read transaction and open a write transaction (IMMEDIATE on SQLite)."""
    session = db.session()  # the scoped session itself does not proxy in_transaction()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})

"""Database engine behaviour: SQLite settings for concurrency, and short write transactions.

Every SQLite connection runs in WAL mode with a busy timeout, foreign keys on and
synchronous=NORMAL. Python's sqlite3 driver starts transactions lazily and DEFERRED; a read that
later writes can then fail at once with "database is locked" when another writer got in
between. So the driver's own transaction handling is switched off and SQLAlchemy's "begin" event
emits BEGIN itself: IMMEDIATE (take the write lock first, wait for it under the busy timeout)
for transactions opened by `begin_write()`, plain BEGIN for the rest. `upgrade_to_write()` turns
a request's read transaction into a write transaction on the same connection (the answer path).
"""

from __future__ import annotations

import functools
import math
import re
import sqlite3
from typing import Any

import sqlalchemy as sa
from flask import current_app
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
    if not _sqlite_has_power():
        # Reports compute FSRS's forgetting curve in SQL (services.class_memory); SQLite has
        # power() only when built with its math functions.
        dbapi_connection.create_function("power", 2, _power, deterministic=True)


@functools.cache
def _sqlite_has_power() -> bool:
    """Whether this process's SQLite library has the math function power() (checked once)."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("SELECT power(2.0, 0.5)")
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()
    return True


def _power(base: float | None, exponent: float | None) -> float | None:
    """SQL power(): NULL in, NULL out, as SQLite's own; NULL where the result is not real."""
    if base is None or exponent is None:
        return None
    try:
        return math.pow(base, exponent)
    except (ValueError, OverflowError):
        return None


def _on_begin(connection: Any) -> None:
    if connection.dialect.name != "sqlite":
        return
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


WORK_MEM = re.compile(r"\d{1,7}\s*(kB|MB|GB)")


def for_large_report() -> None:
    """Give the current transaction's large sorts and hashes room, for the teacher's reports
    over up to a million responses (item analysis, what the class misses, the gradebook).

    PostgreSQL: the REPORT_WORK_MEM setting ("128MB" by default) as `work_mem`, instead of the
    server's (4 MB by default). With 4 MB PostgreSQL plans sorts that spill to disk (external
    merge) and hash tables in batches, and the report's time grows faster than its
    responses; with room to hash in memory the grouping is one pass. `set_config(..., true)`
    is SET LOCAL: it ends with the transaction, so no other request is affected.

    SQLite has no hash aggregation: it groups by sorting. REPORT_SORT_THREADS (2 by default)
    becomes the connection's `PRAGMA threads`, the helper threads SQLite's sorter may start
    to sort the runs of a sort larger than the page cache at once (sqlite.org/pragma.html
    #pragma_threads). It stays with the pooled connection, where it changes nothing but
    such sorts, which only these reports make.

    Raises ValueError when REPORT_WORK_MEM is not a size such as "64MB" (kB, MB or GB), or
    REPORT_SORT_THREADS not a whole number from 0 to 8."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        threads = current_app.config.get("REPORT_SORT_THREADS", 0)
        if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads <= 8:
            raise ValueError(
                f"REPORT_SORT_THREADS must be a whole number from 0 to 8, not {threads!r}"
            )
        db.session.execute(sa.text(f"PRAGMA threads={threads}"))
        return
    if dialect != "postgresql":
        return
    value = str(current_app.config.get("REPORT_WORK_MEM") or "").strip()
    if not WORK_MEM.fullmatch(value):
        raise ValueError(f"REPORT_WORK_MEM must be a size such as 128MB, not {value!r}")
    db.session.execute(sa.select(sa.func.set_config("work_mem", value.replace(" ", ""), True)))


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith(("sqlite3", "pysqlite2"))


def begin_write() -> None:
    """End any read transaction and open a write transaction (IMMEDIATE on SQLite)."""
    session = db.session()  # the scoped session itself does not proxy in_transaction()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})


def upgrade_to_write() -> None:
    """Like `begin_write()`, for a session that has only read so far, keeping its connection.

    SQLite: COMMIT the read transaction and BEGIN IMMEDIATE on the same connection, so the write
    lock is taken (waiting under the busy timeout) before the write's own checks, without the
    session handing its connection back to the pool and taking it again in between. ORM objects
    already loaded are neither flushed nor expired. Other databases: nothing to do, as each
    statement of a READ COMMITTED transaction sees the latest commits and row locks do the rest.
    A session with pending ORM changes, or none open, gets `begin_write()` instead.
    """
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        begin_write()
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("BEGIN IMMEDIATE")

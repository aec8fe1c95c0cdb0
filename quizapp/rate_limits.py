"""Rate-limit counters in the app's own database, shared by every worker that uses it.

Flask-Limiter counts through a `limits` storage. Its in-memory storage counts per process, so
with two gunicorn workers every limit was twice as loose (and more with more workers); Redis
shares the counts but is one more service to run. `SqlStorage` keeps the counters in the table
`rate_limit_counters` of the database the app already uses, so all workers of a machine (SQLite)
or of every server (PostgreSQL) count together. It is selected by the storage URI
`quizapp-sql://` (the default when QUIZAPP_REDIS_URL is not set) and implements the fixed-window
strategy, Flask-Limiter's default.

Each hit is one statement in one short write transaction: an INSERT ... ON CONFLICT DO UPDATE
that starts a new window when the stored one has expired and otherwise adds to its count,
returning the new count. SQLite runs it under BEGIN IMMEDIATE (the app's write discipline,
see quizapp.database), PostgreSQL under the row lock the upsert takes, so two processes
incrementing at once never lose a count. Counters live on their own connection, committed at
once, whatever the request's own transaction does later: a refused login still counts.
Expired rows are deleted in passing, every PURGE_EVERY writes of a process.

The storage needs an application context (Flask-Limiter calls it within requests): it uses the
current app's engine, so one Limiter object serves whichever app is handling the request.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from quizapp.database import WRITE_OPTION
from quizapp.extensions import db
from quizapp.models import RateLimitCounter

SCHEME = "quizapp-sql"
URI = f"{SCHEME}://"
MAX_KEY_LENGTH = 255
PURGE_EVERY = 200

_table = RateLimitCounter.__table__


class SqlStorage(Storage):
    """A `limits` storage (fixed window) over the `rate_limit_counters` table."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012  (the `limits` registry reads a class attribute)

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        clock: Callable[[], float] = time.time,
        **options: float | str | bool,
    ) -> None:
        """`clock` gives the current time in seconds since the epoch (tests pass their own)."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.clock = clock
        self._writes = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        """Database errors, which Flask-Limiter may wrap or swallow as storage errors."""
        return SQLAlchemyError

    @staticmethod
    def _key(key: str) -> str:
        """The stored key: as given, or its SHA-256 when longer than the column allows
        (a login key holds whatever name was typed)."""
        if len(key) <= MAX_KEY_LENGTH:
            return key
        return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a write transaction (BEGIN IMMEDIATE on SQLite), committed on exit."""
        with db.engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add `amount` to the counter of `key` and return its new value.

        A missing or expired counter starts again at `amount`, expiring `expiry` seconds from
        now (a fixed window).
        """
        now = self.clock()
        key = self._key(key)
        expired = _table.c.expires_at <= now
        with self._write() as connection:
            statement = _upsert(connection)(_table).values(
                key=key, count=amount, expires_at=now + expiry
            )
            statement = statement.on_conflict_do_update(
                index_elements=[_table.c.key],
                set_={
                    "count": sa.case((expired, amount), else_=_table.c.count + amount),
                    "expires_at": sa.case((expired, now + expiry), else_=_table.c.expires_at),
                },
            ).returning(_table.c.count)
            count = connection.execute(statement).scalar_one()
            self._writes += 1
            if self._writes % PURGE_EVERY == 0:
                connection.execute(sa.delete(_table).where(_table.c.expires_at <= now))
        return count

    def get(self, key: str) -> int:
        """The current count of `key` (0 when missing or expired)."""
        with db.engine.connect() as connection:
            count = connection.execute(
                sa.select(_table.c.count).where(
                    _table.c.key == self._key(key), _table.c.expires_at > self.clock()
                )
            ).scalar()
            connection.rollback()
        return count or 0

    def get_expiry(self, key: str) -> float:
        """When the window of `key` ends, in seconds since the epoch (now when there is none)."""
        now = self.clock()
        with db.engine.connect() as connection:
            expires_at = connection.execute(
                sa.select(_table.c.expires_at).where(
                    _table.c.key == self._key(key), _table.c.expires_at > now
                )
            ).scalar()
            connection.rollback()
        return expires_at if expires_at is not None else now

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with db.engine.connect() as connection:
                connection.execute(sa.select(sa.literal(1)))
                connection.rollback()
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Delete every counter; return how many there were."""
        with self._write() as connection:
            return connection.execute(sa.delete(_table)).rowcount

    def clear(self, key: str) -> None:
        """Delete the counter of `key`."""
        with self._write() as connection:
            connection.execute(sa.delete(_table).where(_table.c.key == self._key(key)))


def _upsert(connection: Connection) -> Callable:
    """The dialect's INSERT that supports ON CONFLICT DO UPDATE (SQLite and PostgreSQL)."""
    name = connection.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        raise NotImplementedError(
            f"rate-limit counters in the database need SQLite or PostgreSQL, not {name}; "
            "set QUIZAPP_REDIS_URL instead"
        )
    return insert

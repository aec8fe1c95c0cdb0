"""Short-lived launch values shared by every server: an OIDC login's state with its nonce, and a
validated launch kept for the pages that follow it (deep linking).

In the app's database (table `lti_launch_values`) by default, in Redis when QUIZAPP_REDIS_URL
is set, so a login answered by one server and a launch answered by another agree. Each value
is written once with a lifetime and **taken** once: `take` reads and deletes in one atomic step
(a DELETE whose row count says who won, or Redis GETDEL), so a state, and the nonce stored with
it, serve one launch only, however many copies of the form are posted at once.

Database values live on their own connection, committed at once, whatever the request's own
transaction does later: a launch refused after its state was taken does not give it back.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from flask import current_app

from quizapp.database import WRITE_OPTION
from quizapp.extensions import db
from quizapp.models import LtiLaunchValue, utcnow

REDIS_PREFIX = "quizapp:lti:"
_table = LtiLaunchValue.__table__


def _redis():
    """The Redis client of QUIZAPP_REDIS_URL (one per app), or None to use the database."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("lti_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url)
        current_app.extensions["lti_redis"] = client
    return client


def put(key: str, value: Any, lifetime_seconds: int) -> None:
    """Keep the JSON-able `value` under `key` for `lifetime_seconds` (replacing any)."""
    client = _redis()
    if client is not None:
        client.set(REDIS_PREFIX + key, json.dumps(value), ex=lifetime_seconds)
        return
    now = utcnow()
    expires = now + dt.timedelta(seconds=lifetime_seconds)
    with db.engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            connection.execute(sa.delete(_table).where(_table.c.key == key))
            # Expired values are deleted in passing: each write clears what has lapsed.
            connection.execute(sa.delete(_table).where(_table.c.expires_at <= now))
            connection.execute(sa.insert(_table).values(key=key, value=value, expires_at=expires))


def get(key: str) -> Any | None:
    """The value under `key` if it is there and has not expired (it stays)."""
    client = _redis()
    if client is not None:
        raw = client.get(REDIS_PREFIX + key)
        return None if raw is None else json.loads(raw)
    with db.engine.connect() as connection:
        value = connection.execute(
            sa.select(_table.c.value).where(_table.c.key == key, _table.c.expires_at > utcnow())
        ).scalar()
        connection.rollback()
    return value


def take(key: str) -> Any | None:
    """The value under `key`, deleted in the same step; None when it is missing, expired or
    already taken by someone else (exactly one caller ever gets it)."""
    client = _redis()
    if client is not None:
        raw = client.getdel(REDIS_PREFIX + key)
        return None if raw is None else json.loads(raw)
    with db.engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            row = connection.execute(
                sa.select(_table.c.value, _table.c.expires_at).where(_table.c.key == key)
            ).first()
            if row is None:
                return None
            deleted = connection.execute(sa.delete(_table).where(_table.c.key == key)).rowcount
    if deleted != 1 or row.expires_at <= utcnow():
        return None
    return row.value

"""How a live game's streams learn of new events, on one server or several.

The record is always the database's event log (`events`): a stream reads the events after the
last number it sent with one indexed query. Between two reads it waits:

- default set-up (no Redis): `POLL_SECONDS` (a quarter of a second), so a change reaches every
  stream of every worker within about that much; the query is one index range scan on
  (game_id, seq) that usually finds nothing.
- with `QUIZAPP_REDIS_URL`: each commit that logged an event publishes the game's channel
  (`quizapp:live:<game id>`) and each stream blocks on its subscription, waking at once on any
  server; it still reads the log (what it wakes for, and every `REDIS_POLL_SECONDS` in case a
  message was lost), so a reconnecting stream resumes from the log as before.

Streams end by themselves (`STREAM_SECONDS`, and at once when the worker is told to stop:
`DRAINING`, set by gunicorn.conf.py's `worker_int`/`worker_abort`-style hooks), so a worker
can restart; the browser's EventSource reconnects and resumes from Last-Event-ID.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from quizapp.services.live.events import CHANGED_KEY

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
REDIS_POLL_SECONDS = 2.0
STREAM_SECONDS = 120.0
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 1000
CHANNEL = "quizapp:live:{game_id}"
REDIS_KEY = "quizapp_live_redis"

# Set when this worker process should stop: every stream then ends at its next wake.
DRAINING = threading.Event()
_installed = False


def install(app: Flask) -> None:
    """After every commit that logged a live event, publish its game's channel on Redis when
    the app has `REDIS_URL` (registered once per process, for every session)."""
    global _installed
    app.config.setdefault("LIVE_POLL_SECONDS", POLL_SECONDS)
    app.config.setdefault("LIVE_STREAM_SECONDS", STREAM_SECONDS)
    app.config.setdefault("LIVE_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
    if not _installed:
        sa_event.listen(Session, "after_commit", _announce)
        sa_event.listen(Session, "after_rollback", _forget)
        _installed = True


def _forget(session: Session) -> None:
    session.info.pop(CHANGED_KEY, None)


def _announce(session: Session) -> None:
    changed = session.info.pop(CHANGED_KEY, None)
    if not changed:
        return
    try:
        client = redis_client()
    except RuntimeError:  # outside an app context (scripts): nothing to wake
        return
    if client is None:
        return
    for game_id in changed:
        try:
            client.publish(CHANNEL.format(game_id=game_id), "1")
        except Exception:  # Redis down: streams still find the event at their next poll
            log.warning("live: could not publish game %s on Redis", game_id, exc_info=True)


def redis_client() -> Any | None:
    """The app's Redis client (made once per app), or None without `REDIS_URL`."""
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get(REDIS_KEY)
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=5, health_check_interval=30)
        app.extensions[REDIS_KEY] = client
    return client


class Waiter:
    """What a stream waits on between two reads of the log: a sleep of `LIVE_POLL_SECONDS`,
    or the game's Redis channel (woken by any server's commit; `REDIS_POLL_SECONDS` at most)."""

    def __init__(self, game_id: int) -> None:
        self.poll = float(current_app.config.get("LIVE_POLL_SECONDS", POLL_SECONDS))
        self.pubsub = None
        client = redis_client()
        if client is not None:
            try:
                self.pubsub = client.pubsub(ignore_subscribe_messages=True)
                self.pubsub.subscribe(CHANNEL.format(game_id=game_id))
            except Exception:
                log.warning("live: Redis subscription failed; polling", exc_info=True)
                self.pubsub = None

    def wait(self, limit: float) -> None:
        """Wait until woken or `limit` seconds (at most one poll interval without Redis)."""
        if self.pubsub is None:
            time.sleep(max(0.0, min(self.poll, limit)))
            return
        try:
            message = self.pubsub.get_message(timeout=max(0.0, min(REDIS_POLL_SECONDS, limit)))
            # Drain what else arrived: one read of the log answers them all.
            while message is not None:
                message = self.pubsub.get_message(timeout=0)
        except Exception:
            log.warning("live: Redis wait failed; polling", exc_info=True)
            self.close()
            time.sleep(max(0.0, min(self.poll, limit)))

    def close(self) -> None:
        """Leave the channel."""
        if self.pubsub is not None:
            with contextlib.suppress(Exception):
                self.pubsub.close()
            self.pubsub = None

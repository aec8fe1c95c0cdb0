"""How a live game's streams learn of new events, on one server or several.

The record is always the database's event log (`events`), read by sequence number with one
indexed query (the unique (game_id, seq) index). In each worker process one `Hub` thread reads
the log of every game its streams follow and wakes them; the streams wait on it:

- default set-up (no Redis): the hub reads each followed game's log every `POLL_SECONDS` (a
  quarter of a second), so a change made by another worker reaches every stream within about
  that much; a change made in the same process wakes the hub at once (an `after_commit` hook).
  One query per game and process every 250 ms, whatever the number of streams: 200 streams
  polling the log each on their own made 800 queries and 800 thread wake-ups a second, which
  took most of the two cores on SQLite (bench/live.py).
- with `QUIZAPP_REDIS_URL`: each commit that logged an event publishes the game's channel
  (`quizapp:live:<game id>`); every process's hub listens to them all and reads the log at once
  on any server's change, and every `REDIS_POLL_SECONDS` anyway in case a message was lost.
  The log stays the record, so a reconnecting stream resumes from it as before.

Streams end by themselves (`STREAM_SECONDS`), and at once when their worker is told to stop
(`drain`, called by gunicorn.conf.py's SIGTERM handler), so a worker can restart; the
browser's EventSource reconnects and resumes from Last-Event-ID.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import LiveEvent
from quizapp.services.live.events import CHANGED_KEY, Event, events_after

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
REDIS_POLL_SECONDS = 2.0
STREAM_SECONDS = 120.0
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 1000
CHANNEL = "quizapp:live:{game_id}"
REDIS_KEY = "quizapp_live_redis"
HUB_KEY = "quizapp_live_hub"
RECENT_EVENTS = 256
_hubs_lock = threading.Lock()
_HUBS: weakref.WeakSet[Hub] = weakref.WeakSet()

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
        app = current_app._get_current_object()
    except RuntimeError:  # outside an app context (scripts): nothing to wake
        return
    local = app.extensions.get(HUB_KEY)
    if local is not None:
        local.wake.set()  # this process's streams: at once
    client = redis_client()
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


class _Feed:
    """What the hub knows of one game: the last event number seen, the latest events, the
    streams following it, and the condition they wait on."""

    def __init__(self, last: int, lock: threading.Lock) -> None:
        self.last = last
        self.recent: deque[Event] = deque(maxlen=RECENT_EVENTS)
        self.followers = 0
        self.changed = threading.Condition(lock)


class Hub:
    """One per app and worker process: a single thread reads the log of every game that some
    stream of this process follows, every `LIVE_POLL_SECONDS` (one indexed query per game, not
    one per stream), and wakes those streams; a commit in this process, or a Redis message from
    any server, wakes it at once. Streams then take their events from the hub's recent events
    (or from the log, when they are further behind)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.poll = float(app.config.get("LIVE_POLL_SECONDS", POLL_SECONDS))
        self.lock = threading.Lock()
        self.feeds: dict[int, _Feed] = {}
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.listener: threading.Thread | None = None
        _HUBS.add(self)

    def follow(self, game_id: int) -> _Feed:
        """Start following a game (a stream opens); starts the hub's thread if needed."""
        with self.lock:
            feed = self.feeds.get(game_id)
            if feed is None:
                feed = _Feed(_last_seq(game_id), self.lock)
                self.feeds[game_id] = feed
            feed.followers += 1
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="live-hub", daemon=True)
                self.thread.start()
            if self.listener is None and self.app.config.get("REDIS_URL"):
                self.listener = threading.Thread(
                    target=self._listen, name="live-redis", daemon=True
                )
                self.listener.start()
        return feed

    def leave(self, game_id: int) -> None:
        """A stream of the game closed; the game is forgotten when none is left."""
        with self.lock:
            feed = self.feeds.get(game_id)
            if feed is not None:
                feed.followers -= 1
                if feed.followers <= 0:
                    del self.feeds[game_id]

    def wait(self, feed: _Feed, last: int, timeout: float) -> None:
        """Block until the game has an event after `last`, the worker drains, or `timeout`."""
        with feed.changed:
            if feed.last <= last and not DRAINING.is_set():
                feed.changed.wait(timeout)

    def after(self, game_id: int, feed: _Feed, last: int) -> list[Event]:
        """The events after `last`: from the recent ones when they reach back that far, else
        read from the log."""
        with self.lock:
            recent = list(feed.recent)
            newest = feed.last
        if newest <= last:
            return []
        if recent and recent[0].seq <= last + 1:
            return [event for event in recent if event.seq > last]
        with self.app.app_context():
            return events_after(game_id, last)

    def _run(self) -> None:
        while not DRAINING.is_set():
            with self.lock:
                if not self.feeds:  # no stream left: the thread ends (follow restarts it)
                    self.thread = None
                    return
                followed = {game_id: feed.last for game_id, feed in self.feeds.items()}
            for game_id, last in followed.items():
                try:
                    with self.app.app_context():
                        new = events_after(game_id, last)
                except Exception:  # the database is away: try again at the next poll
                    log.warning("live: reading game %s's log failed", game_id, exc_info=True)
                    continue
                if not new:
                    continue
                with self.lock:
                    feed = self.feeds.get(game_id)
                    if feed is None:
                        continue
                    for event in new:
                        if event.seq > feed.last:
                            feed.recent.append(event)
                            feed.last = event.seq
                    feed.changed.notify_all()
            self.wake.wait(REDIS_POLL_SECONDS if self.listener is not None else self.poll)
            self.wake.clear()
        with self.lock:
            for feed in self.feeds.values():
                feed.changed.notify_all()

    def _listen(self) -> None:
        """Redis: every server's commits wake this process's hub at once."""
        while not DRAINING.is_set():
            try:
                with self.app.app_context():
                    pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(CHANNEL.format(game_id="*"))
                while not DRAINING.is_set():
                    with self.lock:
                        if not self.feeds:
                            self.listener = None
                            pubsub.close()
                            return
                    if pubsub.get_message(timeout=1.0) is not None:
                        self.wake.set()
            except Exception:
                log.warning("live: Redis subscription lost; polling", exc_info=True)
                self.wake.set()
                time.sleep(1.0)


def drain() -> None:
    """This worker is stopping: every stream of every hub returns now (their hubs wake, see
    DRAINING, wake their streams and stop)."""
    DRAINING.set()
    for each in list(_HUBS):
        each.wake.set()


def hub() -> Hub:
    """The current app's hub in this process (made on first use, never at import)."""
    app = current_app._get_current_object()
    with _hubs_lock:
        found = app.extensions.get(HUB_KEY)
        if found is None:
            found = Hub(app)
            app.extensions[HUB_KEY] = found
    return found


def _last_seq(game_id: int) -> int:
    with db.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.coalesce(sa.func.max(LiveEvent.seq), 0)).where(
                    LiveEvent.game_id == game_id
                )
            ).scalar_one()
        )

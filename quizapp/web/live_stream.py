"""The live games' Server-Sent Events streams: `text/event-stream`, one event per logged change
with `id:` its sequence number, resuming after `Last-Event-ID` (or `?after=`, the number the
page was drawn at) so a reconnecting browser misses nothing.

A stream holds one of its worker's threads (gunicorn's gthread workers, see gunicorn.conf.py)
but no database connection between two reads of the log, ends after `LIVE_STREAM_SECONDS` or
as soon as its worker drains (the browser reconnects, maybe to another worker), sends a
comment every `LIVE_HEARTBEAT_SECONDS` so proxies keep it open, and a worker never holds more
than `LIVE_MAX_STREAMS` of them: the rest of its threads stay free for pages. The teacher's
stream also reveals a question when its time is up and sends how many have answered
(`answered`, without an id: it is not in the log).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

from flask import Response, abort, current_app, request, stream_with_context
from flask_login import current_user, login_required

from quizapp.core import live_game as core
from quizapp.extensions import db
from quizapp.models import LiveGame
from quizapp.services.live import events, games, results, transport
from quizapp.web.admission import long_lived
from quizapp.web.live import _game_for_player, _player_of, bp

_open = 0
_open_lock = threading.Lock()


def _after() -> int:
    """The last event the browser has: Last-Event-ID (a reconnection), else `?after=`."""
    raw = request.headers.get("Last-Event-ID") or request.args.get("after") or "0"
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return 0
    return int(raw)


def sse(event: events.Event) -> str:
    """One logged event in the event-stream format (its data one line of JSON)."""
    data = json.dumps({"seq": event.seq, **event.data}, separators=(",", ":"))
    return f"id: {event.seq}\nevent: {event.kind}\ndata: {data}\n\n"


def _stream(game_id: int, after: int, teacher: bool) -> Response:
    config = current_app.config
    lifetime = float(config.get("LIVE_STREAM_SECONDS", transport.STREAM_SECONDS))
    heartbeat = float(config.get("LIVE_HEARTBEAT_SECONDS", transport.HEARTBEAT_SECONDS))
    limit = int(config.get("LIVE_MAX_STREAMS", 1000))

    def generate() -> Iterator[str]:
        global _open
        # Nothing of the request's transaction is kept while the stream is open.
        db.session.rollback()
        with _open_lock:
            full = _open >= limit
            if not full:
                _open += 1
        if full:
            # Busy worker: the browser retries in a few seconds, likely on another worker.
            yield "retry: 3000\n: busy\n\n"
            return
        hub = transport.hub()
        feed = hub.follow(game_id)
        try:
            yield f"retry: {transport.RETRY_MILLISECONDS}\n\n"
            last = after
            started = beat = time.monotonic()
            counted: tuple[int, int, int] | None = None
            while not transport.DRAINING.is_set():
                for event in hub.after(game_id, feed, last):
                    yield sse(event)
                    last = event.seq
                if teacher:
                    count = _teacher_tick(game_id)
                    if count is not None and count != counted:
                        counted = count
                        data = {"position": count[0], "answered": count[1], "players": count[2]}
                        yield f"event: answered\ndata: {json.dumps(data)}\n\n"
                now = time.monotonic()
                if now - started >= lifetime:
                    break
                if now - beat >= heartbeat:
                    yield ": heartbeat\n\n"
                    beat = now
                # The teacher's stream also looks at the clock and the answers every poll.
                wait = hub.poll if teacher else heartbeat
                hub.wait(feed, last, max(0.0, min(wait, lifetime - (now - started))))
        finally:
            hub.leave(game_id)
            with _open_lock:
                _open -= 1

    response = Response(stream_with_context(generate()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _teacher_tick(game_id: int) -> tuple[int, int, int] | None:
    """Reveal the question if its time is up; (position, answered, players) while a question
    is open or revealed, else None. The session's transaction ends before the stream waits."""
    try:
        game = db.session.get(LiveGame, game_id, populate_existing=True)
        if game is None or game.phase not in (core.QUESTION, core.REVEAL):
            return None
        position = game.position
        if game.phase == core.QUESTION:
            games.reveal_if_due(game_id, position)
        answered, players_in = results.answered_count(game_id, position)
        return position, answered, players_in
    finally:
        db.session.rollback()


@bp.route("/live/games/<int:game_id>/events")
@long_lived
@login_required
def screen_events(game_id: int):
    """The projected screen's event stream (the game's teacher only)."""
    game = games.teacher_game(current_user, game_id)
    return _stream(game.id, _after(), teacher=True)


@bp.route("/live/<pin>/events")
@long_lived
def player_events(pin: str):
    """A player's event stream (403 for a browser that is not in the game)."""
    game = _game_for_player(pin)
    if _player_of(game) is None:
        abort(403)
    return _stream(game.id, _after(), teacher=False)

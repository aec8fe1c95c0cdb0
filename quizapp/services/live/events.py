"""A live game's event log: numbered changes in the database, read by every server's streams.

Each change of a game (a player joined or was removed, a question opened, a reveal, the
leaderboard, a pause, the end) raises the game's `seq` and appends one `LiveEvent` with that
number, in the transaction that makes the change, under the game's row lock (SQLite: the
IMMEDIATE write transaction). So the log is gap-free and in order, every worker and server
sees it once committed, and a stream that reconnects resumes after the last number it got
(Last-Event-ID). After the commit, the game's channel is announced (Redis pub/sub when
`QUIZAPP_REDIS_URL` is set, see `services.live.transport`), which only wakes streams sooner:
the log stays the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import LiveEvent, LiveGame

_events = LiveEvent.__table__
# The streams' one indexed query (the unique (game_id, seq) index), at most `limit` rows.
_AFTER = (
    sa.select(_events.c.seq, _events.c.kind, _events.c.data)
    .where(_events.c.game_id == sa.bindparam("game_id"), _events.c.seq > sa.bindparam("after"))
    .order_by(_events.c.seq)
    .limit(sa.bindparam("limit"))
)
CHANGED_KEY = "quizapp_live_changed"


@dataclass(frozen=True)
class Event:
    """One logged change: its number, kind and data (JSON-ready)."""

    seq: int
    kind: str
    data: dict[str, Any]


def append(game: LiveGame, kind: str, data: dict[str, Any] | None = None) -> Event:
    """Log a change of `game` with the next number. The caller holds the game's row lock in a
    write transaction (`games.locked_game`) and commits; the channel is announced after the
    commit (see `transport.install`)."""
    game.seq = (game.seq or 0) + 1
    payload = dict(data or {})
    db.session.add(LiveEvent(game_id=game.id, seq=game.seq, kind=kind, data=payload))
    db.session.info.setdefault(CHANGED_KEY, set()).add(game.id)
    return Event(game.seq, kind, payload)


def events_after(game_id: int, after: int, limit: int = 100) -> list[Event]:
    """The game's events numbered above `after`, oldest first (at most `limit`), on a
    connection of its own that goes back to the pool at once (a stream holds no transaction
    between two reads)."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            _AFTER, {"game_id": game_id, "after": after, "limit": limit}
        ).all()
    return [Event(row.seq, row.kind, dict(row.data or {})) for row in rows]

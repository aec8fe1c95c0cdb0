"""Live class games (issue 13): a game with its PIN, settings and frozen questions, its
players (learners and guests), their answers, and the game's event log.

The game's state (`phase`, `position`, clock) mirrors `core.live_game.GameState`; every change
of it raises `seq` and appends one `LiveEvent` with that number in the same transaction, so the
log is the record every server's streams read (services.live.events).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.timestamps import utcnow


class LiveGame(db.Model):
    """One live game run by one teacher: its PIN (unique among games not ended), the questions
    frozen when it was made, its settings and where it is."""

    __tablename__ = "live_games"
    __table_args__ = (
        # A PIN names one running game; ended games free theirs (a partial unique index).
        sa.Index(
            "uq_live_games_running_pin",
            "pin",
            unique=True,
            sqlite_where=sa.text("phase <> 'end'"),
            postgresql_where=sa.text("phase <> 'end'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pin: Mapped[str] = mapped_column(String(8))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    # The assignment it was made from, if any (its questions and class).
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    # Frozen Question dicts, as attempts freeze them (position n is questions[n - 1]).
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, deferred=True)
    question_count: Mapped[int]
    # {"points": int, "speed": bool, "streak": bool, "seconds": int, "guests": bool}
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    phase: Mapped[str] = mapped_column(String(16), default="lobby")
    position: Mapped[int] = mapped_column(default=0)
    phase_started_at: Mapped[dt.datetime | None]
    deadline: Mapped[dt.datetime | None]
    paused_left: Mapped[float | None]
    skipped: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The last event's sequence number (0: none yet).
    seq: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]


class LivePlayer(db.Model):
    """One player of a game: a logged-in learner (`user_id`, with the attempt that keeps their
    answers in their history) or a guest (no user, no attempt). `nickname_key` is the nickname
    folded for the duplicate check. A removed player keeps their answers but plays no more."""

    __tablename__ = "live_players"
    __table_args__ = (
        UniqueConstraint("game_id", "user_id"),
        UniqueConstraint("game_id", "nickname_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("live_games.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    nickname: Mapped[str] = mapped_column(String(40))
    nickname_key: Mapped[str] = mapped_column(String(80))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    score: Mapped[int] = mapped_column(default=0, server_default="0")
    streak: Mapped[int] = mapped_column(default=0, server_default="0")
    removed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LiveAnswer(db.Model):
    """A player's one answer to one question of a game (unique: an answer sent twice counts
    once), checked and scored when it arrived."""

    __tablename__ = "live_answers"
    __table_args__ = (
        UniqueConstraint("player_id", "position"),
        # The reveal and the teacher's counter read one question's answers.
        sa.Index("ix_live_answers_game_position", "game_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("live_games.id", ondelete="CASCADE"))
    player_id: Mapped[int] = mapped_column(ForeignKey("live_players.id", ondelete="CASCADE"))
    position: Mapped[int]
    # The answer as text: the option chosen, or what was typed (grouped for the spread).
    answer: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(default=False)
    fraction: Mapped[float] = mapped_column(default=0.0)
    points: Mapped[int] = mapped_column(default=0)
    seconds_taken: Mapped[float] = mapped_column(default=0.0)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LiveEvent(db.Model):
    """One change of a game, numbered: `seq` runs 1, 2, 3... per game (unique), the number a
    stream sends as the event's id and resumes after (Last-Event-ID)."""

    __tablename__ = "live_events"
    __table_args__ = (UniqueConstraint("game_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("live_games.id", ondelete="CASCADE"))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

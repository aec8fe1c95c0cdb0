"""Live games: making one (from a bank or an assignment), its rights, and the teacher's moves.

Only the teacher who made a game drives it and reads its results: another teacher gets
`NotFound` (404, the game is not theirs to know of), a student `Forbidden` (the teachers'
area). Every move runs the pure state machine (`core.live_game`) on the game's row, locked
for the move, stores the new state and logs one event (`events.append`) in the same short
write transaction, which the service commits. A move names the phase and question the
teacher saw, so a double click or a second tab that is behind changes nothing and says so.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.core import live_game as core
from quizapp.core.generation import GenerationError
from quizapp.core.live_spread import LIVE_TYPES
from quizapp.core.question_types import Question
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    Bank,
    LiveGame,
    LivePlayer,
    Response,
    User,
    utcnow,
)
from quizapp.services import assignments, permissions
from quizapp.services.banks import question_pool
from quizapp.services.live import events

MIN_COUNT, MAX_COUNT = 1, 50
PIN_DIGITS = 6
TITLE_MAX = 200


class LiveError(Exception):
    """A request the game's rules refuse; the message is meant for the user."""


@dataclass(frozen=True)
class GameSettings:
    """A game's options: points per question, points for speed, the streak bonus, seconds per
    question, and whether guests (a nickname, no account) may join."""

    points: int = 1000
    speed: bool = True
    streak: bool = True
    seconds: int = 20
    guests: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The settings as stored in `LiveGame.settings`."""
        return {
            "points": self.points,
            "speed": self.speed,
            "streak": self.streak,
            "seconds": self.seconds,
            "guests": self.guests,
        }


def settings_of(game: LiveGame) -> GameSettings:
    """The game's stored settings."""
    stored = game.settings or {}
    return GameSettings(
        points=int(stored.get("points", 1000)),
        speed=bool(stored.get("speed", True)),
        streak=bool(stored.get("streak", True)),
        seconds=int(stored.get("seconds", 20)),
        guests=bool(stored.get("guests", False)),
    )


def scoring_of(game: LiveGame) -> core.Scoring:
    """The game's scoring options for `core.live_game.award`."""
    settings = settings_of(game)
    return core.Scoring(settings.points, settings.speed, settings.streak)


def state_of(game: LiveGame) -> core.GameState:
    """The game's state as the pure state machine reads it."""
    return core.GameState(
        phase=game.phase,
        position=game.position,
        count=game.question_count,
        seconds=settings_of(game).seconds,
        phase_started_at=game.phase_started_at,
        deadline=game.deadline,
        paused_left=game.paused_left,
        skipped=tuple(game.skipped or ()),
    )


def _store_state(game: LiveGame, state: core.GameState) -> None:
    game.phase = state.phase
    game.position = state.position
    game.phase_started_at = state.phase_started_at
    game.deadline = state.deadline
    game.paused_left = state.paused_left
    game.skipped = list(state.skipped)


# A game's questions never change once frozen: each process keeps the latest games' questions
# parsed, so the pages and answers of a running game do not read and parse the frozen JSON
# (some 2 kB a question, with its passage) on every request. Keyed by the database too.
_QUESTIONS_KEPT = 32
_questions: OrderedDict[tuple[str, int, Any], list[Question]] = OrderedDict()
_questions_lock = threading.Lock()


def questions_of(game: LiveGame) -> list[Question]:
    """The game's frozen questions, parsed (cached per process, see `_questions`)."""
    key = (str(db.engine.url), game.id, game.created_at)
    with _questions_lock:
        found = _questions.get(key)
        if found is not None:
            _questions.move_to_end(key)
            return found
    parsed = [Question.from_dict(frozen) for frozen in game.questions]
    with _questions_lock:
        _questions[key] = parsed
        while len(_questions) > _QUESTIONS_KEPT:
            _questions.popitem(last=False)
    return parsed


def question_at(game: LiveGame, position: int) -> Question:
    """The frozen question at a 1-based position."""
    return questions_of(game)[position - 1]


# ---------------------------------------------------------------------------------------------
# Making a game


def _check_settings(settings: GameSettings) -> None:
    if not core.MIN_SECONDS <= settings.seconds <= core.MAX_SECONDS:
        raise LiveError(
            _(
                "Give each question between %(low)d and %(high)d seconds.",
                low=core.MIN_SECONDS,
                high=core.MAX_SECONDS,
            )
        )
    if not core.MIN_POINTS <= settings.points <= core.MAX_POINTS:
        raise LiveError(
            _(
                "Points per question are between %(low)d and %(high)d.",
                low=core.MIN_POINTS,
                high=core.MAX_POINTS,
            )
        )


def _new_pin() -> str:
    """Six digits no running game holds (drawn with `secrets`; the partial unique index on
    running games' PINs stands behind the check)."""
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))
        taken = db.session.scalar(
            sa.select(sa.literal(1)).where(LiveGame.pin == pin, LiveGame.phase != core.END)
        )
        if not taken:
            return pin


def _store_game(
    user: User,
    bank: Bank,
    language: str,
    title: str,
    questions: list[dict[str, Any]],
    settings: GameSettings,
    assignment_id: int | None = None,
) -> LiveGame:
    if not questions:
        raise LiveError(_("A live game needs at least one question it can ask."))
    begin_write()
    game = LiveGame(
        pin=_new_pin(),
        teacher_id=user.id,
        bank_id=bank.id,
        language=language,
        title=title[:TITLE_MAX],
        assignment_id=assignment_id,
        questions=questions,
        question_count=len(questions),
        settings=settings.as_dict(),
        phase=core.LOBBY,
        position=0,
        skipped=[],
    )
    db.session.add(game)
    db.session.flush()
    events.append(game, "created", {"phase": core.LOBBY, "position": 0})
    return game


def create_from_bank(
    user: User,
    bank: Bank,
    language: str,
    types: list[str],
    count: int,
    settings: GameSettings,
    seed: int | None = None,
) -> LiveGame:
    """A game of `count` questions of `types` (live types only: multiple choice, true/false,
    typed answers) drawn from a bank the teacher may see. The caller commits.

    Forbidden for a student, NotFound for a bank the teacher may not see, LiveError for
    settings out of range or a set the bank cannot make (the message says what it can make).
    """
    permissions.require_teacher(user)
    permissions.require_view(user, bank)
    _check_settings(settings)
    if language not in bank.languages:
        raise LiveError(_("This bank has no questions in this language."))
    chosen = [t for t in dict.fromkeys(types) if t in LIVE_TYPES]
    if not chosen or len(chosen) != len(set(types)):
        raise LiveError(_("Choose question types from the list."))
    if not MIN_COUNT <= count <= MAX_COUNT:
        raise LiveError(
            _("Choose between %(low)d and %(high)d questions.", low=MIN_COUNT, high=MAX_COUNT)
        )
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        plan = question_pool(bank).plan(count, language, seed, chosen)
    except GenerationError:
        raise LiveError(
            _("This bank cannot make any question of the chosen types in this language.")
        ) from None
    if not plan.exact:
        raise LiveError(
            _(
                "This bank can make %(made)d of the %(asked)d questions asked with these types; "
                "ask for fewer questions or other types.",
                made=plan.total,
                asked=count,
            )
        )
    title = bank.titles.get(language) or next(iter(bank.titles.values()), bank.slug)
    questions = [question.to_dict() for question in plan.questions]
    return _store_game(user, bank, language, title, questions, settings)


def create_from_assignment(user: User, assignment_id: int, settings: GameSettings) -> LiveGame:
    """A game of an assignment's questions, for a teacher of its class: its frozen set (same
    questions for everyone) or a set drawn with its settings, keeping the questions a live game
    can ask (multiple choice, true/false, typed). The caller commits.

    NotFound / Forbidden as `assignments.get_assignment`; LiveError when none is left.
    """
    permissions.require_teacher(user)
    assignment = assignments.get_assignment(user, assignment_id, need="teach")
    _check_settings(settings)
    bank = assignment.bank
    if assignment.questions:
        frozen = [dict(q) for q in assignment.questions]
    else:
        try:
            plan = question_pool(bank).plan(
                assignment.question_count, assignment.language, assignment.seed, assignment.types
            )
        except GenerationError:
            frozen = []
        else:
            frozen = [question.to_dict() for question in plan.questions]
    questions = [q for q in frozen if q.get("type") in LIVE_TYPES][:MAX_COUNT]
    if not questions:
        raise LiveError(
            _(
                "None of this assignment's questions can be asked live: a live game asks "
                "multiple choice, true/false and typed answers."
            )
        )
    return _store_game(
        user, bank, assignment.language, assignment.title, questions, settings, assignment.id
    )


# ---------------------------------------------------------------------------------------------
# Finding a game and its rights


def teacher_game(user: User, game_id: int) -> LiveGame:
    """The game if `user` is the teacher who made it. Forbidden for a student account,
    NotFound for a missing game or another teacher's."""
    permissions.require_teacher(user)
    game = db.session.get(LiveGame, game_id)
    if game is None or game.teacher_id != user.id:
        raise permissions.NotFound(str(game_id))
    return game


def running_game(pin: str) -> LiveGame | None:
    """The game not ended that holds this PIN (digits only; spaces typed are ignored)."""
    digits = "".join(ch for ch in (pin or "") if not ch.isspace())
    if not (digits.isascii() and digits.isdigit()) or len(digits) != PIN_DIGITS:
        return None
    return db.session.scalar(
        sa.select(LiveGame).where(LiveGame.pin == digits, LiveGame.phase != core.END)
    )


def game_by_pin(pin: str) -> LiveGame | None:
    """The latest game that held this PIN, ended or not (a player's page after the end)."""
    if not (pin.isascii() and pin.isdigit()):
        return None
    return db.session.scalar(
        sa.select(LiveGame).where(LiveGame.pin == pin).order_by(LiveGame.id.desc()).limit(1)
    )


# The first key of the games' advisory locks on PostgreSQL ("LIVE" in ASCII), the game's id the
# second: no other lock of the application uses it.
ADVISORY_LOCK_CLASS = 0x4C495645


def locked_game(game_id: int, *, share: bool = False) -> LiveGame:
    """The game read again in a new write transaction, locked until the transaction ends, its
    attributes fresh. `share` (an answer: it only reads the phase) lets any number of
    holders in at once; without it (a move, a reveal, a join) the holder is alone.

    PostgreSQL: a transaction-level advisory lock on (ADVISORY_LOCK_CLASS, game id), shared
    or exclusive, then the row FOR UPDATE when exclusive. Not FOR SHARE: each of a class's
    answers arriving together would rewrite the row's lockers as a new MultiXact holding
    all the others, a cost that grows with the players (200 answers took half a second each
    in bench/live.py); an advisory lock lives only in the lock table. SQLite: the IMMEDIATE
    transaction excludes every other writer.

    NotFound (after a rollback) when there is no such game."""
    begin_write()
    statement = (
        sa.select(LiveGame).where(LiveGame.id == game_id).execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        lock = sa.func.pg_advisory_xact_lock_shared if share else sa.func.pg_advisory_xact_lock
        db.session.execute(sa.select(lock(ADVISORY_LOCK_CLASS, game_id)))
        if not share:
            statement = statement.with_for_update(of=LiveGame)
    game = db.session.scalar(statement)
    if game is None:
        db.session.rollback()
        raise permissions.NotFound(str(game_id))
    return game


# ---------------------------------------------------------------------------------------------
# The teacher's moves

MOVES = {
    "next": core.advance,
    "pause": core.pause,
    "resume": core.resume,
    "skip": core.skip,
    "end": core.end,
}


def teacher_move(
    user: User,
    game_id: int,
    move: str,
    seen_phase: str,
    seen_position: int,
    now: dt.datetime | None = None,
) -> core.GameState:
    """Apply one of MOVES to the teacher's game, if it is still where the teacher saw it
    (`seen_phase`, `seen_position`), and commit. LiveError when it had moved on or the move
    does not apply there."""
    teacher_game(user, game_id)
    if move not in MOVES:
        raise LiveError(_("That move does not exist."))
    game = locked_game(game_id)
    state = state_of(game)
    if (state.phase, state.position) != (seen_phase, seen_position):
        db.session.rollback()
        raise LiveError(_("The game had already moved on; here is where it is now."))
    now = now or utcnow()
    try:
        new = MOVES[move](state, now)
    except core.MoveRefused:
        db.session.rollback()
        raise LiveError(_("That move is not possible at this point of the game.")) from None
    _apply(game, new, move, now)
    db.session.commit()
    return new


def _apply(game: LiveGame, new: core.GameState, kind: str, now: dt.datetime) -> None:
    """Store the new state, log it, and close the game's attempts when it ends."""
    _store_state(game, new)
    events.append(game, kind, {"phase": new.phase, "position": new.position})
    if new.phase == core.END:
        game.ended_at = now
        _finish_attempts(game, new)


def reveal_if_due(game_id: int, position: int, *, all_answered: bool = False) -> bool:
    """Reveal question `position` when its time is up (server time) or, with `all_answered`,
    because every player answered; True when this call revealed it. Reading first, so the
    frequent case (nothing to do) takes no write lock; the game is checked again under it."""
    now = utcnow()
    game = db.session.get(LiveGame, game_id, populate_existing=True)
    if game is None or game.phase != core.QUESTION or game.position != position:
        return False
    if not all_answered and not core.time_is_up(state_of(game), now):
        return False
    game = locked_game(game_id)
    state = state_of(game)
    if state.phase != core.QUESTION or state.position != position:
        db.session.rollback()
        return False
    if not all_answered and not core.time_is_up(state, now):
        db.session.rollback()
        return False
    _apply(game, core.reveal(state, now), "reveal", now)
    db.session.commit()
    return True


def _finish_attempts(game: LiveGame, state: core.GameState) -> None:
    """At the end, each logged-in player's attempt keeps the questions the game showed (the
    others are deleted: never asked, never answered), is scored in SQL and finished, so it is
    a finished attempt in the learner's history like a quiz's. A game ended in its lobby asked
    nothing: its attempts are deleted."""
    asked = max(state.position, 0)
    attempt_ids = sa.select(LivePlayer.attempt_id).where(
        LivePlayer.game_id == game.id, LivePlayer.attempt_id.is_not(None)
    )
    if asked == 0:
        db.session.execute(
            sa.delete(Attempt)
            .where(Attempt.id.in_(attempt_ids))
            .execution_options(synchronize_session=False)
        )
        return
    db.session.execute(
        sa.delete(AttemptItem)
        .where(AttemptItem.attempt_id.in_(attempt_ids), AttemptItem.position > asked)
        .execution_options(synchronize_session=False)
    )
    items = (
        sa.select(sa.func.count(AttemptItem.id))
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    total = (
        sa.select(sa.func.coalesce(sa.func.sum(Response.points), 0.0))
        .join(AttemptItem, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id.in_(attempt_ids), Attempt.finished_at.is_(None))
        .values(max_score=sa.cast(items, sa.Float), score=total, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def teacher_games(user: User, limit: int = 20) -> list[LiveGame]:
    """The teacher's latest games, newest first."""
    permissions.require_teacher(user)
    return list(
        db.session.scalars(
            sa.select(LiveGame)
            .where(LiveGame.teacher_id == user.id)
            .order_by(LiveGame.created_at.desc(), LiveGame.id.desc())
            .limit(limit)
        )
    )

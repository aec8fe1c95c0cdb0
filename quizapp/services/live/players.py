"""Players of a live game: joining (learners as themselves, guests by nickname when the
teacher allows them), being removed, and answering.

A logged-in player's answers are kept twice: in the game (`LiveAnswer`, scored with the
game's options) and in an attempt of their own (mode `live`, frozen with the game's questions
when they join), through the quiz's single answering path (`attempts.record_answer`), so the
answer is in their history and updates their memory of the fact as any quiz answer does.
A guest has no account: their answers stay in the game only.

An answer counts once (a unique player and question: the first stored stands) and only while
its question is open by the server's clock (`core.live_game.accepts_answer`), checked inside
the answer's write transaction with the game's row share-locked, so a reveal and a late
answer cannot cross.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quizapp.core import live_game as core
from quizapp.core.question_types import check_answer
from quizapp.extensions import db
from quizapp.models import LiveAnswer, LiveGame, LivePlayer, User, utcnow
from quizapp.services import attempt_modes, attempts
from quizapp.services.attempts.starting import freeze_attempt
from quizapp.services.live import events, results
from quizapp.services.live.games import (
    LiveError,
    locked_game,
    question_at,
    reveal_if_due,
    scoring_of,
    state_of,
    teacher_game,
)

log = logging.getLogger(__name__)

NICKNAME_MIN, NICKNAME_MAX = 2, 20
MAX_PLAYERS = 500


def nickname_key(nickname: str) -> str:
    """A nickname folded for the duplicate check: NFKC, case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", nickname).casefold().split())


def clean_nickname(nickname: str) -> str:
    """The nickname with its spaces collapsed; LiveError when it is too short or long, or
    holds anything but letters, digits, spaces and . - _ ' (so no one impersonates the page)."""
    cleaned = " ".join(unicodedata.normalize("NFKC", nickname or "").split())
    if not NICKNAME_MIN <= len(cleaned) <= NICKNAME_MAX:
        raise LiveError(
            _(
                "A nickname has %(low)d to %(high)d characters.",
                low=NICKNAME_MIN,
                high=NICKNAME_MAX,
            )
        )
    if not all(ch.isalnum() or ch in " .-_'" for ch in cleaned):
        raise LiveError(_("A nickname may hold letters, digits, spaces and . - _ ' only."))
    return cleaned


def _user_key(user_id: int) -> str:
    # "#" never survives clean_nickname, so a guest cannot take a learner's key.
    return f"#{user_id}"


def player_for(game: LiveGame, user: User | None, guest_id: int | None) -> LivePlayer | None:
    """The player this browser is in `game`: the logged-in user's, else the guest player whose
    id the (signed) session holds."""
    if user is not None and user.is_authenticated:
        return db.session.scalar(
            sa.select(LivePlayer).where(
                LivePlayer.game_id == game.id, LivePlayer.user_id == user.id
            )
        )
    if guest_id is None:
        return None
    player = db.session.get(LivePlayer, guest_id)
    if player is None or player.game_id != game.id or player.user_id is not None:
        return None
    return player


def join(game_id: int, user: User | None, nickname: str | None = None) -> LivePlayer:
    """Join a game not ended, and commit: a logged-in user as themselves (joining again gives
    back their player, score and all), a visitor as a guest with a nickname when the game
    allows guests. LiveError (translated) when the game ended, refuses guests, is full, the
    nickname is taken or the player was removed."""
    game = db.session.get(LiveGame, game_id)
    if game is None or game.phase == core.END:
        raise LiveError(_("This game has ended."))
    logged_in = user is not None and user.is_authenticated
    if logged_in:
        existing = player_for(game, user, None)
        if existing is not None:
            if existing.removed:
                raise LiveError(_("The teacher removed you from this game."))
            return existing
        name, key = user.name, _user_key(user.id)
    else:
        if not (game.settings or {}).get("guests"):
            raise LiveError(_("This game is for learners with an account: log in to join."))
        name = clean_nickname(nickname or "")
        key = nickname_key(name)
    game = locked_game(game_id)
    if game.phase == core.END:
        db.session.rollback()
        raise LiveError(_("This game has ended."))
    players = db.session.scalar(
        sa.select(sa.func.count(LivePlayer.id)).where(LivePlayer.game_id == game.id)
    )
    if players >= MAX_PLAYERS:
        db.session.rollback()
        raise LiveError(_("This game is full."))
    if not logged_in and _name_taken(game.id, key):
        db.session.rollback()
        raise LiveError(_("Someone in this game already has that nickname; choose another."))
    player = LivePlayer(game_id=game.id, user_id=user.id if logged_in else None)
    player.nickname, player.nickname_key = name, key
    if logged_in:
        attempt = freeze_attempt(
            user,
            game_bank(game),
            game.language,
            {"mode": attempt_modes.LIVE, "live_game": game.id, "count": game.question_count},
            list(game.questions),
            in_write=True,
        )
        player.attempt_id = attempt.id
    db.session.add(player)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if logged_in:  # the same learner joining in two tabs at once: the first one stands
            again = player_for(game, user, None)
            if again is not None:
                return again
        raise LiveError(
            _("Someone in this game already has that nickname; choose another.")
        ) from None
    events.append(game, "joined", {"phase": game.phase, "position": game.position})
    db.session.commit()
    return player


def game_bank(game: LiveGame):
    """The game's bank (for freezing a learner's attempt)."""
    from quizapp.models import Bank

    bank = db.session.get(Bank, game.bank_id)
    assert bank is not None
    return bank


def _name_taken(game_id: int, key: str) -> bool:
    """Whether a guest's folded nickname is another guest's, or a learner's name, in the game."""
    from quizapp.models import User as UserModel

    guest = sa.select(sa.literal(1)).where(
        LivePlayer.game_id == game_id, LivePlayer.nickname_key == key
    )
    learner_names = (
        sa.select(UserModel.name)
        .join(LivePlayer, LivePlayer.user_id == UserModel.id)
        .where(LivePlayer.game_id == game_id)
    )
    if db.session.scalar(guest):
        return True
    return any(nickname_key(name) == key for name in db.session.scalars(learner_names))


def remove_player(user: User, game_id: int, player_id: int) -> str:
    """The game's teacher removes a player (who plays no more; their answers stay), and
    commits; returns the player's name. NotFound for a player of another game."""
    teacher_game(user, game_id)
    game = locked_game(game_id)
    player = db.session.get(LivePlayer, player_id)
    if player is None or player.game_id != game.id:
        db.session.rollback()
        from quizapp.services.permissions import NotFound

        raise NotFound(str(player_id))
    name = player.nickname
    if not player.removed:
        player.removed = True
        events.append(game, "removed", {"phase": game.phase, "position": game.position})
    db.session.commit()
    return name


@dataclass(frozen=True)
class AnswerReceipt:
    """What became of an answer: `first` when this request stored it (else the stored one
    stands), and that stored answer's verdict and points."""

    first: bool
    correct: bool
    points: int


_REFUSALS = {
    "not_open": lambda: _("This question is closed: your answer was not counted."),
    "paused": lambda: _("The game is paused: answer when it goes on."),
    "late": lambda: _("Time was up: this answer came too late and was not counted."),
}


def answer(
    game_id: int,
    player_id: int,
    position: int,
    given: str,
    user: User | None = None,
    now: dt.datetime | None = None,
) -> AnswerReceipt:
    """Check, score and store a player's answer to question `position`, and commit; then the
    learner's attempt gets it through `attempts.record_answer` (`user`: the logged-in player),
    and the question is revealed if every player has now answered.

    LiveError (translated) when the question is not open (closed, paused, too late by the
    server's clock) or the player was removed. An answer sent again returns the stored one.
    """
    game = db.session.get(LiveGame, game_id)
    player = db.session.get(LivePlayer, player_id)
    if game is None or player is None or player.game_id != game_id:
        raise LiveError(_("You are not in this game."))
    if player.removed:
        raise LiveError(_("The teacher removed you from this game."))
    if not 1 <= position <= game.question_count:
        raise LiveError(_("This question is closed: your answer was not counted."))
    stored = _stored(player_id, position)
    if stored is not None:
        return stored
    question = question_at(game, position)
    result = check_answer(question, given)
    scoring = scoring_of(game)
    game = locked_game(game_id, share=True)
    now = now or utcnow()
    state = state_of(game)
    refusal = core.accepts_answer(state, position, now)
    if refusal is not None:
        db.session.rollback()
        raise LiveError(_REFUSALS[refusal]())
    assert state.phase_started_at is not None
    taken = min(max((now - state.phase_started_at).total_seconds(), 0.0), state.seconds)
    streak = db.session.scalar(sa.select(LivePlayer.streak).where(LivePlayer.id == player_id))
    award = core.award(
        scoring,
        float(result.points),
        taken,
        state.seconds,
        _streak_before(game, player_id, position, int(streak or 0)),
    )
    try:
        db.session.add(
            LiveAnswer(
                game_id=game_id,
                player_id=player_id,
                position=position,
                answer=str(given),
                normalised=result.normalised,
                correct=result.correct,
                fraction=float(result.points),
                points=award.total,
                seconds_taken=taken,
                answered_at=now,
            )
        )
        db.session.execute(
            sa.update(LivePlayer)
            .where(LivePlayer.id == player_id)
            .values(score=LivePlayer.score + award.total, streak=award.streak)
        )
        db.session.commit()
    except IntegrityError:
        # The same answer sent twice at once (PostgreSQL): the first one stands.
        db.session.rollback()
        stored = _stored(player_id, position)
        assert stored is not None
        return stored
    attempt_id = db.session.scalar(
        sa.select(LivePlayer.attempt_id).where(LivePlayer.id == player_id)
    )
    if attempt_id is not None and user is not None and user.is_authenticated:
        try:
            attempts.record_answer(
                user, attempt_id, position, given, shown_at=state.phase_started_at
            )
        except (attempts.QuizError, LookupError):
            # The learner finished or discarded the attempt by hand: the game's answer stands.
            db.session.rollback()
            log.warning("live answer not kept in attempt %s", attempt_id)
    if _everyone_answered(game_id, position):
        reveal_if_due(game_id, position, all_answered=True)
    return AnswerReceipt(True, result.correct, award.total)


def _stored(player_id: int, position: int) -> AnswerReceipt | None:
    row = db.session.execute(
        sa.select(LiveAnswer.correct, LiveAnswer.points).where(
            LiveAnswer.player_id == player_id, LiveAnswer.position == position
        )
    ).one_or_none()
    return None if row is None else AnswerReceipt(False, bool(row.correct), int(row.points))


def _streak_before(game: LiveGame, player_id: int, position: int, streak: int) -> int:
    """The player's run of right answers going into `position`: their stored streak if they
    answered the last question asked before it that was not skipped, else 0 (a question left
    unanswered ends a streak)."""
    skipped = set(game.skipped or ())
    earlier = [p for p in range(1, position) if p not in skipped]
    if not earlier or not streak:
        return 0
    answered = db.session.scalar(
        sa.select(sa.literal(1)).where(
            LiveAnswer.player_id == player_id, LiveAnswer.position == earlier[-1]
        )
    )
    return streak if answered else 0


def _everyone_answered(game_id: int, position: int) -> bool:
    """Whether every player still in the game has answered `position` (the screens' count,
    `results.answered_count`: one statement)."""
    answered, players_in = results.answered_count(game_id, position)
    return players_in > 0 and answered >= players_in

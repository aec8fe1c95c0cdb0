"""A live class game, pure: its phases, the teacher's moves, which answers count, and scoring.

A game runs teacher-paced through five phases (Kahoot's flow):

    lobby ─start→ question 1 ─(time up, all answered, or "next")→ reveal ─next→ leaderboard
          ─next→ question 2 … ─next after the last leaderboard→ end

The teacher may also pause and resume a question's clock, skip a question (it closes unrevealed
and scores nothing) and end the game from any phase. Every move is a function from a
`GameState` to a new one; a move that does not apply to the phase raises `MoveRefused`, so the
services can turn a stale click (two teachers' tabs, a double click) into a message.

Times are naive UTC `datetime`s, as stored; durations are seconds. Nothing here knows about
Flask or a database.

Scoring (`award`) follows Kahoot's published rule ("How points work", Kahoot! help centre):
a right answer earns the question's points times (1 − (t / T) / 2), where t is the seconds
taken and T the time allowed, rounded to a whole point, so an instant answer earns all of them
and one at the buzzer half; with points for speed off, a right answer earns them all. A typed
answer that is partly right earns that fraction. The streak bonus adds a tenth of the
question's points for each right answer in a row before this one, at most five tenths (Kahoot's
answer streak bonus is capped in the same way); a wrong or missing answer ends the streak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

LOBBY, QUESTION, REVEAL, LEADERBOARD, END = "lobby", "question", "reveal", "leaderboard", "end"
PHASES = (LOBBY, QUESTION, REVEAL, LEADERBOARD, END)

# Seconds after the deadline during which an answer sent at zero still counts: the time one
# request takes to cross a school's network, not enough to wait for the reveal.
ANSWER_GRACE = 1.0
MIN_SECONDS, MAX_SECONDS = 5, 240
MIN_POINTS, MAX_POINTS = 0, 5000
MAX_STREAK_STEPS = 5
STREAK_STEP = 0.1


class MoveRefused(ValueError):
    """A move that does not apply to the game's phase; `code` says which rule refused it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Scoring:
    """A game's scoring options: points per question, points for speed, the streak bonus."""

    points: int = 1000
    speed: bool = True
    streak: bool = True

    def __post_init__(self) -> None:
        if not MIN_POINTS <= self.points <= MAX_POINTS:
            raise ValueError(f"points per question must be {MIN_POINTS}..{MAX_POINTS}")


@dataclass(frozen=True)
class GameState:
    """Where a game is.

    `position` is the question being asked, revealed or followed by the leaderboard (1-based;
    0 in the lobby). In the question phase `deadline` is when time is up, or None while paused,
    when `paused_left` holds the seconds that were left. `skipped` lists the positions the
    teacher skipped; `asked` how many questions have been shown.
    """

    phase: str = LOBBY
    position: int = 0
    count: int = 0
    seconds: int = 20
    phase_started_at: dt.datetime | None = None
    deadline: dt.datetime | None = None
    paused_left: float | None = None
    skipped: tuple[int, ...] = field(default_factory=tuple)

    @property
    def paused(self) -> bool:
        """Whether the question's clock is stopped."""
        return self.phase == QUESTION and self.paused_left is not None

    @property
    def is_last(self) -> bool:
        """Whether the current question is the game's last."""
        return self.position >= self.count

    def seconds_left(self, now: dt.datetime) -> float | None:
        """Seconds until time is up (never below 0); None outside a question."""
        if self.phase != QUESTION:
            return None
        if self.paused_left is not None:
            return self.paused_left
        assert self.deadline is not None
        return max(0.0, (self.deadline - now).total_seconds())


def new_game(count: int, seconds: int) -> GameState:
    """A game of `count` questions, `seconds` each, waiting in its lobby.

    ValueError when there is no question or the time is out of MIN_SECONDS..MAX_SECONDS.
    """
    if count < 1:
        raise ValueError("a game needs at least one question")
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ValueError(f"seconds per question must be {MIN_SECONDS}..{MAX_SECONDS}")
    return GameState(count=count, seconds=seconds)


def _ask(state: GameState, position: int, now: dt.datetime) -> GameState:
    return replace(
        state,
        phase=QUESTION,
        position=position,
        phase_started_at=now,
        deadline=now + dt.timedelta(seconds=state.seconds),
        paused_left=None,
    )


def _require(state: GameState, *phases: str) -> None:
    if state.phase not in phases:
        raise MoveRefused(f"not_in_{'_or_'.join(phases)}")


def start(state: GameState, now: dt.datetime) -> GameState:
    """Lobby → the first question."""
    _require(state, LOBBY)
    return _ask(state, 1, now)


def reveal(state: GameState, now: dt.datetime) -> GameState:
    """Question → its reveal (time up, everyone answered, or the teacher's "next")."""
    _require(state, QUESTION)
    return replace(state, phase=REVEAL, phase_started_at=now, deadline=None, paused_left=None)


def advance(state: GameState, now: dt.datetime) -> GameState:
    """The teacher's "next": lobby → first question, question → reveal, reveal →
    leaderboard, leaderboard → the next question (or the end after the last)."""
    if state.phase == LOBBY:
        return start(state, now)
    if state.phase == QUESTION:
        return reveal(state, now)
    if state.phase == REVEAL:
        return replace(state, phase=LEADERBOARD, phase_started_at=now)
    if state.phase == LEADERBOARD:
        if state.is_last:
            return end(state, now)
        return _ask(state, state.position + 1, now)
    raise MoveRefused("ended")


def pause(state: GameState, now: dt.datetime) -> GameState:
    """Stop a question's clock, keeping the seconds left."""
    _require(state, QUESTION)
    if state.paused:
        raise MoveRefused("paused")
    return replace(state, deadline=None, paused_left=state.seconds_left(now))


def resume(state: GameState, now: dt.datetime) -> GameState:
    """Restart a paused question's clock with the seconds it had left."""
    _require(state, QUESTION)
    if not state.paused:
        raise MoveRefused("not_paused")
    assert state.paused_left is not None
    # The question counts as shown as long ago as it ran before the pause, so that points for
    # speed count only the seconds the clock ran.
    ran = dt.timedelta(seconds=max(state.seconds - state.paused_left, 0.0))
    return replace(
        state,
        phase_started_at=now - ran,
        deadline=now + dt.timedelta(seconds=state.paused_left),
        paused_left=None,
    )


def skip(state: GameState, now: dt.datetime) -> GameState:
    """Close the current question unrevealed (it scores nothing) and ask the next one; after
    the last question, end the game. Allowed while a question is asked or revealed."""
    _require(state, QUESTION, REVEAL)
    skipped = (*state.skipped, state.position)
    if state.is_last:
        return end(replace(state, skipped=skipped), now)
    return _ask(replace(state, skipped=skipped), state.position + 1, now)


def end(state: GameState, now: dt.datetime) -> GameState:
    """End the game from any phase (ending twice is refused)."""
    if state.phase == END:
        raise MoveRefused("ended")
    return replace(state, phase=END, phase_started_at=now, deadline=None, paused_left=None)


def time_is_up(state: GameState, now: dt.datetime) -> bool:
    """Whether a running question's time has run out (a paused one never does)."""
    return state.phase == QUESTION and state.deadline is not None and now > state.deadline


def accepts_answer(state: GameState, position: int, now: dt.datetime) -> str | None:
    """None when an answer to `position` sent at `now` (server time) counts, else why not:
    "not_open" (not the question being asked, or the game is elsewhere), "paused", "late"
    (after the deadline and its ANSWER_GRACE)."""
    if state.phase != QUESTION or position != state.position:
        return "not_open"
    if state.paused:
        return "paused"
    assert state.deadline is not None
    if now > state.deadline + dt.timedelta(seconds=ANSWER_GRACE):
        return "late"
    return None


def asked_positions(state: GameState) -> list[int]:
    """The positions that were shown to the players, in order (skipped ones included)."""
    if state.phase == LOBBY:
        return []
    last = state.position
    if state.phase == END and state.position == 0:
        return []
    return list(range(1, last + 1))


@dataclass(frozen=True)
class Award:
    """The points one answer earns: `base` (for being right, by speed when that is on),
    `bonus` (the streak), `total`, and the streak after it (right answers in a row)."""

    base: int
    bonus: int
    total: int
    streak: int


def award(
    scoring: Scoring,
    fraction: float,
    seconds_taken: float,
    time_allowed: float,
    streak_before: int,
) -> Award:
    """The points for one answer: `fraction` is how right it is (0 wrong, 1 right, between for
    a partly right typed answer), `seconds_taken` from the question's start, `time_allowed`
    the question's seconds, `streak_before` the right answers in a row before it (see the
    module's docstring for the rule and its source). A partly right answer keeps the streak
    going only when it earns at least half."""
    fraction = min(max(fraction, 0.0), 1.0)
    if fraction <= 0:
        return Award(0, 0, 0, 0)
    factor = 1.0
    if scoring.speed and time_allowed > 0:
        share = min(max(seconds_taken / time_allowed, 0.0), 1.0)
        factor = 1 - share / 2
    base = round(scoring.points * fraction * factor)
    bonus = 0
    if scoring.streak:
        steps = min(streak_before, MAX_STREAK_STEPS)
        bonus = round(scoring.points * STREAK_STEP * steps)
    streak = streak_before + 1 if fraction >= 0.5 else 0
    return Award(base, bonus, base + bonus, streak)


@dataclass(frozen=True)
class Standing:
    """A player's place: `rank` 1-based, ties share a rank ("1, 2, 2, 4")."""

    rank: int
    player_id: int
    name: str
    score: int


def standings(players: Iterable[tuple[int, str, int]]) -> list[Standing]:
    """Players as (id, name, score) ranked by score (highest first), ties by name then id,
    with standard competition ranking: equal scores share the rank of the first of them."""
    ordered = sorted(players, key=lambda p: (-p[2], p[1].casefold(), p[0]))
    ranked: list[Standing] = []
    for index, (player_id, name, score) in enumerate(ordered):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else index + 1
        ranked.append(Standing(rank, player_id, name, score))
    return ranked


def podium(ranked: Sequence[Standing], places: int = 3) -> list[Standing]:
    """The players whose rank is within the first `places` (ties may make it more than three)."""
    return [standing for standing in ranked if standing.rank <= places]

"""What a live game's screens and reports read: players, standings, answers counted, the
spread of a question's answers, the per-question summary and the answers for a CSV. Every
figure is a SQL aggregate (counts, sums, a rank as a count of higher scores); the core ranks
and draws."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from quizapp.core import live_game as core
from quizapp.core.live_spread import CHOICE_TYPES, Spread, choice_spread, typed_spread
from quizapp.core.question_types import Question
from quizapp.extensions import db
from quizapp.models import LiveAnswer, LiveGame, LivePlayer
from quizapp.services.live.games import questions_of, state_of


@dataclass(frozen=True)
class PlayerRow:
    """A player as the lobby and the report list them."""

    id: int
    nickname: str
    guest: bool
    removed: bool
    score: int
    answered: int
    right: int


def players(game_id: int) -> list[PlayerRow]:
    """The game's players in joining order, with their answers and right answers counted (one
    grouped query)."""
    answered = sa.func.count(LiveAnswer.id)
    right = sa.func.coalesce(sa.func.sum(sa.case((LiveAnswer.correct, 1), else_=0)), 0)
    rows = db.session.execute(
        sa.select(
            LivePlayer.id,
            LivePlayer.nickname,
            LivePlayer.user_id,
            LivePlayer.removed,
            LivePlayer.score,
            answered,
            right,
        )
        .outerjoin(LiveAnswer, LiveAnswer.player_id == LivePlayer.id)
        .where(LivePlayer.game_id == game_id)
        .group_by(LivePlayer.id)
        .order_by(LivePlayer.joined_at, LivePlayer.id)
    ).all()
    return [
        PlayerRow(r.id, r.nickname, r.user_id is None, bool(r.removed), r.score, r[5], int(r[6]))
        for r in rows
    ]


def standings(game_id: int) -> list[core.Standing]:
    """The players still in the game, ranked (core.live_game.standings)."""
    rows = db.session.execute(
        sa.select(LivePlayer.id, LivePlayer.nickname, LivePlayer.score).where(
            LivePlayer.game_id == game_id, LivePlayer.removed.is_(False)
        )
    ).all()
    return core.standings((r.id, r.nickname, r.score) for r in rows)


def standing_of(game_id: int, player_id: int) -> tuple[int, int, int] | None:
    """(rank, score, players) of one player: the rank is one more than the players with a
    higher score (ties share it, as in `core.live_game.standings`); one statement."""
    higher = sa.alias(LivePlayer.__table__, "higher")
    everyone = sa.alias(LivePlayer.__table__, "everyone")
    above = (
        sa.select(sa.func.count(higher.c.id))
        .where(
            higher.c.game_id == game_id,
            higher.c.removed.is_(False),
            higher.c.score > LivePlayer.score,
        )
        .scalar_subquery()
    )
    count = (
        sa.select(sa.func.count(everyone.c.id))
        .where(everyone.c.game_id == game_id, everyone.c.removed.is_(False))
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(above, LivePlayer.score, count).where(LivePlayer.id == player_id)
    ).one_or_none()
    if row is None:
        return None
    return int(row[0]) + 1, int(row[1]), int(row[2])


def answered_count(game_id: int, position: int) -> tuple[int, int]:
    """(answers to `position` by players still in, players still in): one statement."""
    players_in = (
        sa.select(sa.func.count(LivePlayer.id))
        .where(LivePlayer.game_id == game_id, LivePlayer.removed.is_(False))
        .scalar_subquery()
    )
    answered = (
        sa.select(sa.func.count(LiveAnswer.id))
        .join(LivePlayer, LivePlayer.id == LiveAnswer.player_id)
        .where(
            LiveAnswer.game_id == game_id,
            LiveAnswer.position == position,
            LivePlayer.removed.is_(False),
        )
        .scalar_subquery()
    )
    row = db.session.execute(sa.select(answered, players_in)).one()
    return int(row[0]), int(row[1])


def spread(game: LiveGame, position: int, question: Question, other_label: str) -> Spread:
    """How a question was answered: per option for a choice question (a `GROUP BY` of the
    answers' text), per reading for a typed one (grouped by normalised reading and text)."""
    _answered, players_in = answered_count(game.id, position)
    if question.type in CHOICE_TYPES:
        rows = db.session.execute(
            sa.select(LiveAnswer.answer, sa.func.count(LiveAnswer.id))
            .where(LiveAnswer.game_id == game.id, LiveAnswer.position == position)
            .group_by(LiveAnswer.answer)
        ).all()
        given = [text for text, number in rows for _ in range(number)]
        return choice_spread(question.options or [], str(question.key), given, players_in)
    rows = db.session.execute(
        sa.select(
            LiveAnswer.answer,
            LiveAnswer.normalised,
            LiveAnswer.correct,
            sa.func.count(LiveAnswer.id),
        )
        .where(LiveAnswer.game_id == game.id, LiveAnswer.position == position)
        .group_by(LiveAnswer.answer, LiveAnswer.normalised, LiveAnswer.correct)
    ).all()
    answers = [(r[0], r[1], bool(r[2])) for r in rows for _ in range(r[3])]
    return typed_spread(answers, players_in, other_label)


@dataclass(frozen=True)
class OwnAnswer:
    """A player's stored answer to one question."""

    answer: str
    correct: bool
    fraction: float
    points: int


def own_answer(player_id: int, position: int) -> OwnAnswer | None:
    """The player's answer to `position`, if any."""
    row = db.session.execute(
        sa.select(
            LiveAnswer.answer, LiveAnswer.correct, LiveAnswer.fraction, LiveAnswer.points
        ).where(LiveAnswer.player_id == player_id, LiveAnswer.position == position)
    ).one_or_none()
    if row is None:
        return None
    return OwnAnswer(row.answer, bool(row.correct), float(row.fraction), int(row.points))


@dataclass(frozen=True)
class QuestionSummary:
    """One question of a game at its end: asked, skipped, answers and right answers, the mean
    points of those who answered."""

    position: int
    question: Question
    asked: bool
    skipped: bool
    answered: int
    right: int
    mean_points: float | None

    @property
    def right_share(self) -> float | None:
        """Right answers as a percentage of answers (None without any)."""
        return 100 * self.right / self.answered if self.answered else None


def question_summaries(game: LiveGame) -> list[QuestionSummary]:
    """Every question of the game with its answers counted (one grouped query)."""
    rows = db.session.execute(
        sa.select(
            LiveAnswer.position,
            sa.func.count(LiveAnswer.id),
            sa.func.coalesce(sa.func.sum(sa.case((LiveAnswer.correct, 1), else_=0)), 0),
            sa.func.avg(LiveAnswer.points),
        )
        .where(LiveAnswer.game_id == game.id)
        .group_by(LiveAnswer.position)
    ).all()
    counts = {r[0]: (int(r[1]), int(r[2]), float(r[3]) if r[3] is not None else None) for r in rows}
    asked = set(core.asked_positions(_state(game)))
    skipped = set(game.skipped or ())
    summaries = []
    for index, question in enumerate(questions_of(game), start=1):
        answered, right, mean = counts.get(index, (0, 0, None))
        summaries.append(
            QuestionSummary(
                index,
                question,
                index in asked,
                index in skipped,
                answered,
                right,
                mean,
            )
        )
    return summaries


def _state(game: LiveGame) -> core.GameState:
    return state_of(game)


@dataclass(frozen=True)
class AnswerRow:
    """One answer for the results' CSV."""

    player: str
    guest: bool
    position: int
    answer: str
    correct: bool
    points: int
    seconds_taken: float
    answered_at: dt.datetime


def answer_rows(game_id: int) -> Iterator[AnswerRow]:
    """Every answer of the game by player then question, read in batches."""
    result = db.session.execute(
        sa.select(
            LivePlayer.nickname,
            LivePlayer.user_id,
            LiveAnswer.position,
            LiveAnswer.answer,
            LiveAnswer.correct,
            LiveAnswer.points,
            LiveAnswer.seconds_taken,
            LiveAnswer.answered_at,
        )
        .join(LivePlayer, LivePlayer.id == LiveAnswer.player_id)
        .where(LiveAnswer.game_id == game_id)
        .order_by(LivePlayer.nickname, LivePlayer.id, LiveAnswer.position)
        .execution_options(yield_per=500)
    )
    for r in result:
        yield AnswerRow(
            r.nickname,
            r.user_id is None,
            r.position,
            r.answer,
            bool(r.correct),
            int(r.points),
            float(r.seconds_taken),
            r.answered_at,
        )

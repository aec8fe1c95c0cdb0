"""Live games' services: making a game, who may drive it, joining (learners and guests),
answers counted once and refused when late, scoring options, the event log, and the learners'
attempts that keep their answers in their history and memory (quizapp.services.live)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from quizapp.core import live_game as core
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    Bank,
    FactReview,
    LiveAnswer,
    LiveEvent,
    LiveGame,
    LivePlayer,
    Response,
    User,
    utcnow,
)
from quizapp.services import assignments, attempts, classes, permissions
from quizapp.services.assignments import AssignmentSettings
from quizapp.services.live import games, players, results
from quizapp.services.live.games import GameSettings, LiveError
from tests.conftest import make_user


@pytest.fixture
def people(app):
    return {
        "teacher": make_user(app, "profe", "teacher"),
        "other": make_user(app, "otra", "teacher"),
        "ana": make_user(app, "ana"),
        "luis": make_user(app, "luis"),
    }


def user(name: str) -> User:
    return db.session.scalar(sa.select(User).where(User.name == name))


def new_game(count: int = 3, types=("mcq", "tf"), **settings) -> LiveGame:
    bank = db.session.scalar(sa.select(Bank))
    game = games.create_from_bank(
        user("profe"), bank, "en", list(types), count, GameSettings(**settings), seed=3
    )
    db.session.commit()
    return game


def move(game: LiveGame, name: str, now: dt.datetime | None = None) -> core.GameState:
    fresh = db.session.get(LiveGame, game.id, populate_existing=True)
    return games.teacher_move(user("profe"), game.id, name, fresh.phase, fresh.position, now=now)


def key_of(game: LiveGame, position: int) -> str:
    return str(games.question_at(game, position).key)


def wrong_of(game: LiveGame, position: int) -> str:
    question = games.question_at(game, position)
    return next(o for o in question.options if o != question.key)


def test_a_whole_game_with_a_learner_and_a_guest(app, people):
    with app.app_context():
        game = new_game(count=2, guests=True, speed=False, streak=False)
        assert len(game.pin) == 6 and game.pin.isdigit()
        ana = players.join(game.id, user("ana"), None)
        guest = players.join(game.id, None, "  Zorro  ")
        assert guest.nickname == "Zorro" and guest.user_id is None and guest.attempt_id is None
        attempt = db.session.get(Attempt, ana.attempt_id)
        assert attempt.settings["mode"] == "live" and len(attempt.items) == 2
        # The open live attempt is not offered to resume from the home page.
        assert attempts.unfinished_attempts(user("ana")) == []
        move(game, "next")
        receipt = players.answer(game.id, ana.id, 1, key_of(game, 1), user("ana"))
        assert receipt.first and receipt.correct and receipt.points == 1000
        again = players.answer(game.id, ana.id, 1, wrong_of(game, 1), user("ana"))
        assert not again.first and again.correct and again.points == 1000
        players.answer(game.id, guest.id, 1, wrong_of(game, 1))
        # Everyone answered: the question is revealed by the last answer.
        assert db.session.get(LiveGame, game.id, populate_existing=True).phase == core.REVEAL
        spread = results.spread(game, 1, games.question_at(game, 1), "other")
        assert spread.answered == 2 and sum(b.count for b in spread.bars if b.right) == 1
        move(game, "next")
        ranked = results.standings(game.id)
        assert [(s.rank, s.name, s.score) for s in ranked] == [(1, "ana", 1000), (2, "Zorro", 0)]
        assert results.standing_of(game.id, guest.id) == (2, 0, 2)
        move(game, "next")  # question 2
        players.answer(game.id, guest.id, 2, key_of(game, 2))
        move(game, "end")
        ended = db.session.get(LiveGame, game.id, populate_existing=True)
        assert ended.phase == core.END and ended.ended_at is not None
        attempt = db.session.get(Attempt, ana.attempt_id, populate_existing=True)
        assert attempt.finished_at is not None and attempt.max_score == 2 and attempt.score == 1
        # Her answer went through the quiz's answering path: a response and a memory review.
        assert db.session.scalar(sa.select(sa.func.count(FactReview.id))) == 1
        responses = db.session.scalar(
            sa.select(sa.func.count(Response.id))
            .join(AttemptItem)
            .where(AttemptItem.attempt_id == attempt.id)
        )
        assert responses == 1
        # The guest's answers are in the game only.
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1
        seqs = db.session.scalars(
            sa.select(LiveEvent.seq).where(LiveEvent.game_id == game.id).order_by(LiveEvent.seq)
        ).all()
        assert seqs == list(range(1, len(seqs) + 1)) and seqs[-1] == ended.seq


def test_late_and_closed_answers_are_refused_by_server_time(app, people):
    with app.app_context():
        game = new_game(seconds=10)
        ana = players.join(game.id, user("ana"), None)
        players.join(game.id, user("luis"), None)
        start = utcnow()
        move(game, "next", now=start)
        late = start + dt.timedelta(seconds=10 + core.ANSWER_GRACE + 1)
        with pytest.raises(LiveError):
            players.answer(game.id, ana.id, 1, key_of(game, 1), user("ana"), now=late)
        with pytest.raises(LiveError):
            players.answer(game.id, ana.id, 2, key_of(game, 2), user("ana"), now=start)
        assert db.session.scalar(sa.select(sa.func.count(LiveAnswer.id))) == 0
        # The time being up (server clock), the next look reveals it.
        fresh = db.session.get(LiveGame, game.id, populate_existing=True)
        fresh.deadline = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
        assert games.reveal_if_due(game.id, 1)
        assert not games.reveal_if_due(game.id, 1)


def test_paused_questions_take_no_answers_and_resume(app, people):
    with app.app_context():
        game = new_game()
        ana = players.join(game.id, user("ana"), None)
        move(game, "next")
        move(game, "pause")
        with pytest.raises(LiveError):
            players.answer(game.id, ana.id, 1, key_of(game, 1), user("ana"))
        state = move(game, "resume")
        assert state.deadline is not None
        assert players.answer(game.id, ana.id, 1, key_of(game, 1), user("ana")).first


def test_a_stale_move_changes_nothing(app, people):
    with app.app_context():
        game = new_game()
        games.teacher_move(user("profe"), game.id, "next", "lobby", 0)
        with pytest.raises(LiveError):  # the second click of a double click
            games.teacher_move(user("profe"), game.id, "next", "lobby", 0)
        assert db.session.get(LiveGame, game.id, populate_existing=True).phase == core.QUESTION
        with pytest.raises(LiveError):
            games.teacher_move(user("profe"), game.id, "resume", "question", 1)


def test_only_the_games_teacher_drives_it(app, people):
    with app.app_context():
        game = new_game()
        with pytest.raises(permissions.NotFound):
            games.teacher_move(user("otra"), game.id, "next", "lobby", 0)
        with pytest.raises(permissions.Forbidden):
            games.teacher_move(user("ana"), game.id, "next", "lobby", 0)
        ana = players.join(game.id, user("ana"), None)
        with pytest.raises(permissions.NotFound):
            players.remove_player(user("otra"), game.id, ana.id)
        with pytest.raises(permissions.Forbidden):
            games.create_from_bank(
                user("ana"), db.session.scalar(sa.select(Bank)), "en", ["mcq"], 3, GameSettings()
            )


def test_guests_only_when_allowed_and_nicknames_are_checked(app, people):
    with app.app_context():
        closed = new_game()
        with pytest.raises(LiveError):
            players.join(closed.id, None, "Zorro")
        game = new_game(guests=True)
        players.join(game.id, None, "Zorro")
        players.join(game.id, user("ana"), None)
        for taken in ("zorro", " ZORRO ", "Ana"):
            with pytest.raises(LiveError):
                players.join(game.id, None, taken)
        for bad in ("Z", "x" * 21, "<b>hi</b>", "#12"):
            with pytest.raises(LiveError):
                players.join(game.id, None, bad)
        assert db.session.scalar(sa.select(sa.func.count(LivePlayer.id))) == 2  # Zorro, ana
        # A learner joining again gets their own player back.
        first = players.join(game.id, user("ana"), None)
        assert players.join(game.id, user("ana"), None).id == first.id


def test_a_removed_player_answers_no_more_and_is_off_the_board(app, people):
    with app.app_context():
        game = new_game()
        ana = players.join(game.id, user("ana"), None)
        luis = players.join(game.id, user("luis"), None)
        assert players.remove_player(user("profe"), game.id, luis.id) == "luis"
        move(game, "next")
        with pytest.raises(LiveError):
            players.answer(game.id, luis.id, 1, key_of(game, 1), user("luis"))
        with pytest.raises(LiveError):
            players.join(game.id, user("luis"), None)
        players.answer(game.id, ana.id, 1, key_of(game, 1), user("ana"))
        # Only ana is still in: her answer was everyone's.
        assert db.session.get(LiveGame, game.id, populate_existing=True).phase == core.REVEAL
        assert [s.name for s in results.standings(game.id)] == ["ana"]


def test_streak_bonus_and_points_for_speed_follow_the_options(app, people):
    with app.app_context():
        game = new_game(count=3, speed=False, streak=True, points=100)
        ana = players.join(game.id, user("ana"), None)
        points = []
        for position in (1, 2, 3):
            if position > 1:
                move(game, "next")  # leaderboard
                move(game, "next")  # next question
            else:
                move(game, "next")
            points.append(players.answer(game.id, ana.id, position, key_of(game, position)).points)
            assert db.session.get(LiveGame, game.id, populate_existing=True).phase == core.REVEAL
        assert points == [100, 110, 120]
        slow = new_game(count=1, speed=True, streak=False, points=100, seconds=20)
        luis = players.join(slow.id, user("luis"), None)
        start = utcnow()
        move(slow, "next", now=start)
        late = players.answer(
            slow.id, luis.id, 1, key_of(slow, 1), now=start + dt.timedelta(seconds=20)
        )
        assert late.points == 50


def test_skipped_questions_and_ending_keep_only_what_was_asked(app, people):
    with app.app_context():
        game = new_game(count=3)
        ana = players.join(game.id, user("ana"), None)
        move(game, "next")
        move(game, "skip")
        state = move(game, "end")
        assert state.skipped == (1,) and state.position == 2
        attempt = db.session.get(Attempt, ana.attempt_id, populate_existing=True)
        assert attempt.finished_at is not None and [i.position for i in attempt.items] == [1, 2]
        summaries = results.question_summaries(game)
        assert [(s.asked, s.skipped) for s in summaries] == [
            (True, True),
            (True, False),
            (False, False),
        ]
        lobby = new_game()
        attempt_id = players.join(lobby.id, user("luis"), None).attempt_id
        move(lobby, "end")
        assert attempt_id is not None and db.session.get(Attempt, attempt_id) is None


def test_a_game_from_an_assignment_asks_its_live_questions(app, people):
    with app.app_context():
        teacher = user("profe")
        school_class = classes.create_class(teacher, "4B")
        bank = db.session.scalar(sa.select(Bank))
        assignment = assignments.create_assignment(
            teacher,
            school_class,
            AssignmentSettings("Week", bank.id, "es", ["mcq", "order"], 6),
            seed=5,
        )
        db.session.commit()
        game = games.create_from_assignment(teacher, assignment.id, GameSettings())
        db.session.commit()
        assert game.assignment_id == assignment.id and game.title == "Week"
        assert {q["type"] for q in game.questions} == {"mcq"}
        with pytest.raises(permissions.NotFound):
            games.create_from_assignment(user("otra"), assignment.id, GameSettings())


def test_game_settings_are_checked(app, people):
    with app.app_context():
        bank = db.session.scalar(sa.select(Bank))
        for settings in (GameSettings(seconds=1), GameSettings(points=-5)):
            with pytest.raises(LiveError):
                games.create_from_bank(user("profe"), bank, "en", ["mcq"], 3, settings)
        for types, count in ((["order"], 3), (["mcq"], 0), (["mcq"], 500)):
            with pytest.raises(LiveError):
                games.create_from_bank(user("profe"), bank, "en", types, count, GameSettings())

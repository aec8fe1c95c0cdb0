"""Live games' pages without JavaScript (plain forms, self-reloading pages), the event stream
(Server-Sent Events resumed from Last-Event-ID), and who may open which page: the routes of the
`live` blueprint × teacher owner, other teacher, student, guest and anonymous."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Bank, LiveGame, LivePlayer, User
from quizapp.services.live import games
from quizapp.services.live.games import GameSettings
from tests.conftest import csrf_token, log_in, make_user


def _game(app, guests: bool = True, count: int = 2) -> tuple[int, str]:
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.name == "profe"))
        bank = db.session.scalar(sa.select(Bank))
        game = games.create_from_bank(
            teacher, bank, "en", ["mcq", "tf"], count, GameSettings(guests=guests), seed=2
        )
        db.session.commit()
        return game.id, game.pin


@pytest.fixture
def cast(app):
    make_user(app, "profe", "teacher")
    make_user(app, "otra", "teacher")
    make_user(app, "ana")
    return app


def _state(app, game_id: int) -> tuple[str, int]:
    with app.app_context():
        game = db.session.get(LiveGame, game_id)
        return game.phase, game.position


def _key(app, game_id: int, position: int) -> str:
    with app.app_context():
        return str(games.question_at(db.session.get(LiveGame, game_id), position).key)


def test_a_game_played_without_javascript(cast):
    app = cast
    teacher = log_in(app.test_client(), "profe")
    page = teacher.get("/live/new")
    assert page.status_code == 200
    created = teacher.post(
        "/live/new",
        data={
            "source": "romania-ww2:en",
            "types": ["mcq", "tf"],
            "count": 2,
            "seconds": 30,
            "points": 1000,
            "speed": "y",
            "guests": "y",
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    game_id = int(re.search(r"/live/games/(\d+)/screen", created.headers["Location"])[1])
    with app.app_context():
        pin = db.session.get(LiveGame, game_id).pin
    screen = teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)
    assert pin in screen and "<svg" in screen and f"/live/{pin}" in screen
    assert '<noscript><meta http-equiv="refresh"' in screen

    learner = log_in(app.test_client(), "ana")
    joined = learner.post("/live", data={"pin": f"{pin[:3]} {pin[3:]}"})
    assert joined.status_code == 302 and joined.headers["Location"].endswith(f"/live/{pin}/play")
    guest = app.test_client()
    refused = guest.post("/live", data={"pin": pin})
    assert refused.status_code == 400  # a guest needs a nickname
    assert guest.post("/live", data={"pin": pin, "nickname": "Zorro"}).status_code == 302
    lobby = guest.get(f"/live/{pin}/play").get_data(as_text=True)
    assert "Waiting for the teacher" in lobby and '<noscript><meta http-equiv="refresh"' in lobby
    assert "Zorro" in teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)

    assert (
        teacher.post(
            f"/live/games/{game_id}/move", data={"move": "next", "phase": "lobby", "position": 0}
        ).status_code
        == 302
    )
    question = learner.get(f"/live/{pin}/play").get_data(as_text=True)
    assert 'name="answer"' in question and "live-answer answer-0" in question
    key = _key(app, game_id, 1)
    answered = learner.post(f"/live/{pin}/answer", data={"position": 1, "answer": key})
    assert answered.status_code == 302
    waiting = learner.get(f"/live/{pin}/play").get_data(as_text=True)
    assert "Your answer is in" in waiting
    again = learner.post(f"/live/{pin}/answer", data={"position": 1, "answer": "nonsense"})
    assert again.status_code == 302
    assert "already answered" in learner.get(f"/live/{pin}/play").get_data(as_text=True)
    screen = teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)
    assert "1 of 2 have answered" in screen
    # A double click on "Show the answer": the second changes nothing.
    for _ in range(2):
        teacher.post(
            f"/live/games/{game_id}/move", data={"move": "next", "phase": "question", "position": 1}
        )
    assert _state(app, game_id) == ("reveal", 1)
    reveal = teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)
    assert 'class="chart spread"' in reveal and "<mark>" in reveal and "<table" in reveal
    mine = learner.get(f"/live/{pin}/play").get_data(as_text=True)
    assert "Right!" in mine
    # The guest reloads: still the same player, with the score kept.
    assert "No answer" in guest.get(f"/live/{pin}/play").get_data(as_text=True)
    teacher.post(
        f"/live/games/{game_id}/move", data={"move": "end", "phase": "reveal", "position": 1}
    )
    end = teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)
    assert "Podium" in end and "ana" in end
    report = teacher.get(f"/live/games/{game_id}/results")
    assert report.status_code == 200 and "Zorro" in report.get_data(as_text=True)
    csv = teacher.get(f"/live/games/{game_id}/results.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    body = csv.get_data(as_text=True)
    assert "ana" in body and key in body
    assert "number 1 of 2" in learner.get(f"/live/{pin}/play").get_data(as_text=True)


def test_the_event_stream_resumes_after_the_last_event_id(cast):
    app = cast
    app.config.update(LIVE_STREAM_SECONDS=0.3, LIVE_POLL_SECONDS=0.05)
    game_id, pin = _game(app)
    guest = app.test_client()
    guest.post("/live", data={"pin": pin, "nickname": "Zorro"})
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.name == "profe"))
        games.teacher_move(teacher, game_id, "next", "lobby", 0)
    response = guest.get(f"/live/{pin}/events", headers={"Last-Event-ID": "1"})
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    body = response.get_data(as_text=True)
    assert "id: 1\n" not in body
    assert "id: 2\nevent: joined" in body and "id: 3\nevent: next" in body
    assert "retry:" in body
    resumed = guest.get(f"/live/{pin}/events?after=2").get_data(as_text=True)
    assert "id: 2\n" not in resumed and "id: 3\n" in resumed
    teacher_client = log_in(app.test_client(), "profe")
    screen = teacher_client.get(f"/live/games/{game_id}/events?after=3").get_data(as_text=True)
    assert "event: answered" in screen and '"answered": 0' in screen
    # A browser that is not in the game gets no stream.
    assert app.test_client().get(f"/live/{pin}/events").status_code == 403


def test_a_learners_live_attempt_is_answered_only_in_the_game(cast):
    app = cast
    game_id, pin = _game(app)
    learner = log_in(app.test_client(), "ana")
    learner.post("/live", data={"pin": pin})
    with app.app_context():
        attempt_id = db.session.scalar(sa.select(LivePlayer.attempt_id))
    page = learner.get(f"/attempts/{attempt_id}/q/1")
    assert page.status_code == 302 and page.headers["Location"].endswith(
        f"/live/games/{game_id}/play"
    )


def test_joining_a_game_without_guests_asks_to_log_in(cast):
    app = cast
    _game_id, pin = _game(app, guests=False)
    visitor = app.test_client()
    response = visitor.post("/live", data={"pin": pin, "nickname": "Zorro"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert visitor.post("/live", data={"pin": "000000"}).status_code == 400


# ---------------------------------------------------------------------------------------------
# Who may open what

ROLES = ("anonymous", "student", "guest", "other_teacher", "owner")
# Expected status per role: teacher pages are the owner's; anyone else logged in as a student
# gets 403 (the teachers' area), another teacher 404 (not theirs to know of), anonymous visitors
# and guests the login page.
TEACHER_ONLY = {"anonymous": 302, "guest": 302, "student": 403, "other_teacher": 404}


def _routes(game_id: int, pin: str, player_id: int) -> list[tuple[str, str, dict, dict]]:
    """(method, path, form, expected status per role)."""
    move = {"move": "pause", "phase": "question", "position": 1}
    return [
        ("GET", f"/live/games/{game_id}/screen", {}, {**TEACHER_ONLY, "owner": 200}),
        ("POST", f"/live/games/{game_id}/move", move, {**TEACHER_ONLY, "owner": 302}),
        ("GET", f"/live/games/{game_id}/results", {}, {**TEACHER_ONLY, "owner": 200}),
        ("GET", f"/live/games/{game_id}/results.csv", {}, {**TEACHER_ONLY, "owner": 200}),
        ("GET", f"/live/games/{game_id}/events?after=99", {}, {**TEACHER_ONLY, "owner": 200}),
        (
            "POST",
            f"/live/games/{game_id}/players/{player_id}/remove",
            {},
            {**TEACHER_ONLY, "owner": 302},
        ),
        ("GET", "/live/new", {}, {**TEACHER_ONLY, "other_teacher": 200, "owner": 200}),
        (
            "GET",
            f"/live/{pin}/play",
            {},
            {"anonymous": 302, "guest": 200, "student": 200, "other_teacher": 302, "owner": 302},
        ),
        (
            "GET",
            f"/live/{pin}/events?after=99",
            {},
            {"anonymous": 403, "guest": 200, "student": 200, "other_teacher": 403, "owner": 403},
        ),
        ("GET", "/live", {}, dict.fromkeys(ROLES, 200)),
        ("GET", f"/live/{pin}", {}, {**dict.fromkeys(ROLES, 200), "guest": 302, "student": 302}),
    ]


def test_every_live_route_is_in_the_table(cast):
    app = cast
    listed = {
        "live.screen",
        "live.move",
        "live.results_page",
        "live.results_csv",
        "live.screen_events",
        "live.remove_player",
        "live.new",
        "live.play",
        "live.player_events",
        "live.join",
        "live.join_link",
        # Covered by the flows above: starting from an assignment, answering, the attempt's link.
        "live.new_from_assignment",
        "live.answer",
        "live.game_player",
    }
    rules = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("live.")
    }
    assert rules == listed


def test_permissions_table(cast):
    app = cast
    app.config.update(LIVE_STREAM_SECONDS=0.05, LIVE_POLL_SECONDS=0.01)
    game_id, pin = _game(app)
    clients = {
        "anonymous": app.test_client(),
        "student": log_in(app.test_client(), "ana"),
        "guest": app.test_client(),
        "other_teacher": log_in(app.test_client(), "otra"),
        "owner": log_in(app.test_client(), "profe"),
    }
    clients["student"].post("/live", data={"pin": pin})
    clients["guest"].post("/live", data={"pin": pin, "nickname": "Zorro"})
    with app.app_context():
        player_id = db.session.scalar(sa.select(LivePlayer.id).where(LivePlayer.user_id.is_(None)))
        teacher = db.session.scalar(sa.select(User).where(User.name == "profe"))
        games.teacher_move(teacher, game_id, "next", "lobby", 0)
    failures = []
    for method, path, form, expected in _routes(game_id, pin, player_id):
        for role in ROLES:
            client = clients[role]
            response = client.open(path, method=method, data=form)
            response.get_data()
            if response.status_code != expected[role]:
                failures.append(
                    f"{role} {method} {path}: {response.status_code} != {expected[role]}"
                )
            if path.endswith("/move") and role == "owner":
                # Put the game back where the next role's request expects it.
                with app.app_context():
                    owner = db.session.scalar(sa.select(User).where(User.name == "profe"))
                    games.teacher_move(owner, game_id, "resume", "question", 1)
    assert not failures, failures


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_teacher_moves_need_the_csrf_token(cast):
    app = cast
    game_id, _pin = _game(app)
    teacher = app.test_client()
    login_page = teacher.get("/login").get_data(as_text=True)
    teacher.post(
        "/login",
        data={
            "name": "profe",
            "password": "correct horse battery",
            "csrf_token": csrf_token(login_page),
        },
    )
    refused = teacher.post(
        f"/live/games/{game_id}/move", data={"move": "next", "phase": "lobby", "position": 0}
    )
    assert refused.status_code == 400
    screen = teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)
    accepted = teacher.post(
        f"/live/games/{game_id}/move",
        data={"move": "next", "phase": "lobby", "position": 0, "csrf_token": csrf_token(screen)},
    )
    assert accepted.status_code == 302 and _state(app, game_id) == ("question", 1)

"""The live game's pure core: the state machine, which answers count, scoring, standings and
the spread of answers (quizapp.core.live_game, quizapp.core.live_spread)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import live_game as game
from quizapp.core.live_game import Award, MoveRefused, Scoring
from quizapp.core.live_spread import choice_spread, spread_svg, typed_spread

T0 = dt.datetime(2026, 12, 1, 9, 0, 0)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_whole_game_goes_through_every_phase_in_order():
    state = game.new_game(2, 20)
    assert state.phase == game.LOBBY and state.position == 0
    state = game.advance(state, at(0))
    assert (state.phase, state.position, state.deadline) == (game.QUESTION, 1, at(20))
    state = game.advance(state, at(5))
    assert state.phase == game.REVEAL and state.deadline is None
    state = game.advance(state, at(10))
    assert state.phase == game.LEADERBOARD
    state = game.advance(state, at(15))
    assert (state.phase, state.position, state.deadline) == (game.QUESTION, 2, at(35))
    state = game.reveal(state, at(36))
    state = game.advance(game.advance(state, at(40)), at(41))
    assert state.phase == game.END and state.position == 2
    with pytest.raises(MoveRefused):
        game.advance(state, at(42))
    assert game.asked_positions(state) == [1, 2]


def test_moves_that_do_not_apply_are_refused():
    lobby = game.new_game(3, 20)
    for move in (game.reveal, game.pause, game.resume, game.skip):
        with pytest.raises(MoveRefused):
            move(lobby, at(0))
    asked = game.start(lobby, at(0))
    with pytest.raises(MoveRefused):
        game.start(asked, at(1))
    with pytest.raises(MoveRefused):
        game.resume(asked, at(1))
    with pytest.raises(MoveRefused):
        game.end(game.end(asked, at(2)), at(3))


def test_pause_keeps_the_seconds_left_and_resume_gives_them_back():
    state = game.start(game.new_game(1, 20), at(0))
    paused = game.pause(state, at(8))
    assert paused.paused and paused.paused_left == 12 and paused.deadline is None
    assert game.seconds_left(paused, at(100)) if False else paused.seconds_left(at(100)) == 12
    assert not game.time_is_up(paused, at(100))
    assert game.accepts_answer(paused, 1, at(9)) == "paused"
    with pytest.raises(MoveRefused):
        game.pause(paused, at(9))
    resumed = game.resume(paused, at(100))
    assert resumed.deadline == at(112) and not resumed.paused
    assert game.accepts_answer(resumed, 1, at(111)) is None


def test_skip_records_the_question_and_moves_on_or_ends():
    state = game.start(game.new_game(2, 20), at(0))
    state = game.skip(state, at(3))
    assert (state.phase, state.position, state.skipped) == (game.QUESTION, 2, (1,))
    state = game.skip(state, at(4))
    assert state.phase == game.END and state.skipped == (1, 2)


def test_ending_from_the_lobby_asked_nothing():
    assert game.asked_positions(game.end(game.new_game(3, 20), at(0))) == []


def test_answers_count_only_for_the_open_question_until_the_deadline_and_its_grace():
    state = game.start(game.new_game(2, 10), at(0))
    assert game.accepts_answer(state, 1, at(10)) is None
    assert game.accepts_answer(state, 1, at(10 + game.ANSWER_GRACE)) is None
    assert game.accepts_answer(state, 1, at(10 + game.ANSWER_GRACE + 0.01)) == "late"
    assert game.accepts_answer(state, 2, at(1)) == "not_open"
    assert game.time_is_up(state, at(10.5)) and not game.time_is_up(state, at(10))
    revealed = game.reveal(state, at(4))
    assert game.accepts_answer(revealed, 1, at(5)) == "not_open"


def test_new_game_checks_its_settings():
    with pytest.raises(ValueError):
        game.new_game(0, 20)
    with pytest.raises(ValueError):
        game.new_game(3, game.MAX_SECONDS + 1)
    with pytest.raises(ValueError):
        Scoring(points=game.MAX_POINTS + 1)


@pytest.mark.parametrize(
    ("scoring", "fraction", "taken", "streak", "expected"),
    [
        (Scoring(1000, speed=True, streak=False), 1, 0, 0, Award(1000, 0, 1000, 1)),
        (Scoring(1000, speed=True, streak=False), 1, 20, 0, Award(500, 0, 500, 1)),
        (Scoring(1000, speed=True, streak=False), 1, 10, 0, Award(750, 0, 750, 1)),
        (Scoring(1000, speed=False, streak=False), 1, 19, 3, Award(1000, 0, 1000, 4)),
        (Scoring(1000, speed=False, streak=True), 1, 19, 3, Award(1000, 300, 1300, 4)),
        (Scoring(1000, speed=False, streak=True), 1, 19, 9, Award(1000, 500, 1500, 10)),
        (Scoring(1000, speed=False, streak=True), 0, 1, 9, Award(0, 0, 0, 0)),
        (Scoring(1000, speed=False, streak=True), 0.5, 1, 2, Award(500, 200, 700, 3)),
        (Scoring(1000, speed=False, streak=True), 0.25, 1, 2, Award(250, 200, 450, 0)),
        (Scoring(0, speed=True, streak=True), 1, 1, 2, Award(0, 0, 0, 3)),
    ],
)
def test_award_follows_the_scoring_options(scoring, fraction, taken, streak, expected):
    assert game.award(scoring, fraction, taken, 20, streak) == expected


@settings(deadline=None)  # a busy machine must not fail a property
@given(
    points=st.integers(0, game.MAX_POINTS),
    speed=st.booleans(),
    streak=st.booleans(),
    fraction=st.floats(0, 1),
    taken=st.floats(0, 500),
    before=st.integers(0, 50),
)
def test_award_is_bounded_and_faster_is_never_worse(points, speed, streak, fraction, taken, before):
    scoring = Scoring(points, speed, streak)
    result = game.award(scoring, fraction, taken, 20, before)
    assert 0 <= result.base <= points
    assert 0 <= result.bonus <= round(points * game.STREAK_STEP * game.MAX_STREAK_STEPS)
    assert result.total == result.base + result.bonus
    faster = game.award(scoring, fraction, taken / 2, 20, before)
    assert faster.total >= result.total
    if fraction > 0 and speed:
        assert result.base >= round(points * fraction / 2) - 1


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.text(max_size=5), st.integers(0, 9)), max_size=30)
)
def test_standings_rank_by_score_with_shared_ranks(players):
    players = list({p[0]: p for p in players}.values())
    ranked = game.standings(players)
    assert len(ranked) == len(players)
    for index, (above, below) in enumerate(itertools.pairwise(ranked)):
        assert above.score >= below.score
        if above.score == below.score:
            assert above.rank == below.rank
        else:
            assert below.rank == index + 2
    if ranked:
        assert ranked[0].rank == 1
        assert all(s.rank <= 3 for s in game.podium(ranked))


def test_choice_spread_counts_each_option_and_the_silent():
    spread = choice_spread(["A", "B", "C"], "B", ["A", "B", "B"], players=5)
    assert [(bar.label, bar.count, bar.right, bar.shape) for bar in spread.bars] == [
        ("A", 1, False, 0),
        ("B", 2, True, 1),
        ("C", 0, False, 2),
    ]
    assert (spread.answered, spread.unanswered) == (3, 2)
    svg = spread_svg(spread, title="T <x>", description="D", right_mark="(right)")
    assert svg.startswith("<svg") and "T &lt;x&gt;" in svg and "B: 2 (right)" in svg
    assert "✔ ◆ B" in svg
    assert 'class="bar answer-1 right"' in svg


def test_typed_spread_groups_by_reading_and_sums_the_rest():
    answers = [("Bucharest", "bucharest", True), ("bucharest", "bucharest", True)]
    answers += [(f"w{i}", f"w{i}", False) for i in range(7)]
    spread = typed_spread(answers, players=10, other_label="other")
    assert spread.bars[0].label in ("Bucharest", "bucharest") and spread.bars[0].count == 2
    assert spread.bars[0].right
    assert spread.bars[-1].label == "other" and spread.bars[-1].count == 3
    assert (spread.answered, spread.unanswered) == (9, 1)
    assert spread_svg(typed_spread([], 3, "o"), title="t", description="d", right_mark="r") == ""

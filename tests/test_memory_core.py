"""The pure memory core: ratings by response time, FSRS scheduling of a fact's card, replay,
retrievability, which facts an answer tells about, and the fresh-form rule."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core import memory
from quizapp.core.memory import (
    RECALL,
    RECOGNITION,
    RESPONSE_THRESHOLDS,
    CardState,
    Rating,
    Review,
    facts_answered,
    new_card,
    next_form,
    rating_for,
    replay,
    retrievability,
    review,
)

T0 = dt.datetime(2026, 3, 2, 9, 0)
ALL_TYPES = ["mcq", "multi", "tf", "match", "short", "cloze", "numeric", "order"]


# Ratings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("question_type", sorted(RESPONSE_THRESHOLDS))
def test_thresholds_give_easy_good_and_hard(question_type):
    easy, good = RESPONSE_THRESHOLDS[question_type]
    assert 0 < easy < good
    assert rating_for(question_type, True, 0.5) == Rating.Easy
    assert rating_for(question_type, True, easy) == Rating.Easy  # at the threshold: Easy
    assert rating_for(question_type, True, easy + 0.01) == Rating.Good
    assert rating_for(question_type, True, good) == Rating.Good
    assert rating_for(question_type, True, good + 0.01) == Rating.Hard
    assert rating_for(question_type, True, 3600) == Rating.Hard


def test_recall_types_allow_more_time_than_true_or_false():
    assert RESPONSE_THRESHOLDS["short"][0] > RESPONSE_THRESHOLDS["tf"][0]
    assert RESPONSE_THRESHOLDS["short"][1] > RESPONSE_THRESHOLDS["tf"][1]


def test_a_wrong_answer_is_again_whatever_the_time():
    for seconds in (None, 0.1, 5, 500):
        assert rating_for("mcq", False, seconds) == Rating.Again


def test_missing_or_negative_seconds_are_good():
    assert rating_for("short", True, None) == Rating.Good
    assert rating_for("short", True, -3) == Rating.Good


def test_an_unknown_type_uses_the_default_thresholds():
    easy, good = memory.DEFAULT_THRESHOLDS
    assert rating_for("essay", True, easy) == Rating.Easy
    assert rating_for("essay", True, good + 1) == Rating.Hard


# Scheduling ----------------------------------------------------------------------------------


def test_a_wrong_answer_makes_the_fact_due_within_a_day():
    card = review(new_card(T0), "short", Rating.Again, T0)
    assert card.due <= T0 + dt.timedelta(days=1)
    # And after a run of right answers, a lapse too.
    for _ in range(5):
        card = review(card, "short", Rating.Good, card.due)
    assert card.due - card.last_review > dt.timedelta(days=10)
    lapsed_at = card.due
    card = review(card, "short", Rating.Again, lapsed_at)
    assert card.due <= lapsed_at + dt.timedelta(days=1)
    assert card.lapses == 1 and card.last_correct is False


@pytest.mark.parametrize("rating", [Rating.Hard, Rating.Good, Rating.Easy])
def test_repeated_right_answers_push_the_fact_further_out_each_time(rating):
    card = new_card(T0)
    now = T0
    intervals = []
    for _ in range(6):
        card = review(card, "mcq", rating, now)
        intervals.append(card.due - now)
        now = card.due  # answered right when due
    assert all(later > earlier for earlier, later in itertools.pairwise(intervals))
    assert intervals[-1] > dt.timedelta(days=10)
    assert card.reviews == 6 and card.lapses == 0


def test_slow_but_right_answers_still_leave_the_learning_steps():
    card = new_card(T0)
    for _ in range(3):
        card = review(card, "short", Rating.Hard, card.due)
    assert card.state == memory.State.Review
    assert card.due - card.last_review >= dt.timedelta(days=1)


def test_easy_schedules_further_than_good_and_good_than_hard():
    card = new_card(T0)
    for _ in range(3):
        card = review(card, "mcq", Rating.Good, card.due)
    dues = {
        rating: review(card, "mcq", rating, card.due).due
        for rating in (Rating.Hard, Rating.Good, Rating.Easy)
    }
    assert dues[Rating.Hard] < dues[Rating.Good] < dues[Rating.Easy]


def test_a_higher_desired_retention_reviews_sooner():
    def after(retention):
        card = review(new_card(T0), "mcq", Rating.Easy, T0, retention)
        return review(card, "mcq", Rating.Good, card.due, retention).due

    assert after(0.97) < after(0.90) < after(0.80)


def test_times_are_stored_naive_utc_and_aware_ones_are_converted():
    aware = dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    card = review(new_card(aware), "tf", Rating.Good, aware)
    assert card.last_review == T0 and card.last_review.tzinfo is None
    assert card.due.tzinfo is None


def test_an_answer_recorded_out_of_order_never_goes_back_in_time():
    card = review(new_card(T0), "mcq", Rating.Good, T0)
    earlier = review(card, "mcq", Rating.Good, T0 - dt.timedelta(hours=5))
    assert earlier.last_review == T0


def test_the_scheduler_is_shared_per_retention_and_clamped():
    assert memory.scheduler(0.9) is memory.scheduler(0.9000001)
    assert memory.scheduler(0.5).desired_retention == memory.MIN_RETENTION
    assert memory.scheduler(0.999).desired_retention == memory.MAX_RETENTION
    assert memory.scheduler().enable_fuzzing is False


def test_a_card_round_trips_through_fsrs():
    card = review(review(new_card(T0), "mcq", Rating.Good, T0), "short", Rating.Hard, T0)
    back = memory.from_fsrs(memory.to_fsrs(card), card)
    assert back == card


def test_recall_failures_count_wrong_recall_answers_in_a_row():
    card = new_card(T0)
    card = review(card, "short", Rating.Again, T0)
    card = review(card, "mcq", Rating.Again, T0)  # recognition leaves the count
    card = review(card, "cloze", Rating.Again, T0)
    assert card.recall_failures == 2
    card = review(card, "numeric", Rating.Good, T0)
    assert card.recall_failures == 0 and card.last_type == "numeric" and card.last_correct


def test_replay_of_a_log_gives_the_card_that_answering_gave():
    answers = [
        ("mcq", Rating.Good, T0),
        ("short", Rating.Again, T0 + dt.timedelta(days=1)),
        ("cloze", Rating.Hard, T0 + dt.timedelta(days=1, minutes=20)),
        ("tf", Rating.Easy, T0 + dt.timedelta(days=9)),
    ]
    card = new_card(T0)
    for question_type, rating, when in answers:
        card = review(card, question_type, rating, when, 0.85)
    assert replay([Review(*answer) for answer in answers], 0.85) == card
    assert replay([], 0.9) is None


def test_retrievability():
    assert retrievability(new_card(T0), T0) == 0.0
    card = review(review(new_card(T0), "mcq", Rating.Good, T0), "mcq", Rating.Good, T0)
    assert retrievability(card, card.last_review) == pytest.approx(1.0)
    # At the due date FSRS expects the desired retention, and less afterwards.
    assert retrievability(card, card.due) == pytest.approx(0.9, abs=0.01)
    assert retrievability(card, card.due + dt.timedelta(days=30)) < 0.9


def test_card_state_reads_a_row_like_object():
    class Row:
        due, state, step, stability, difficulty = T0, 2, None, 3.5, 5.0
        last_review, last_type, last_correct = T0, "mcq", True
        recall_failures, reviews, lapses = None, 4, 1

    state = CardState.of(Row())
    assert state.recall_failures == 0 and state.reviews == 4
    assert state.fields()["stability"] == 3.5


# Which facts an answer tells about ------------------------------------------------------------


def test_a_fact_question_tells_about_its_fact():
    question = {"type": "mcq", "fact_id": "f1", "origin": "generated"}
    assert facts_answered(question, "x", True) == [("f1", True)]


def test_an_ordering_question_tells_about_each_fact_by_its_place():
    question = {
        "type": "order",
        "fact_id": "a",
        "key": ["A", "B", "C"],
        "items": [{"fact_id": "a"}, {"fact_id": "b"}, {"fact_id": "c"}],
    }
    assert facts_answered(question, ["A", "C", "B"], False) == [
        ("a", True),
        ("b", False),
        ("c", False),
    ]
    assert facts_answered(question, ["A"], False) == [("a", False), ("b", False), ("c", False)]


def test_a_matching_question_tells_about_each_fact_by_its_pair():
    question = {
        "type": "match",
        "fact_id": "a",
        "key": {"A": "1940", "B": "1944"},
        "items": [{"fact_id": "a", "label": "A"}, {"fact_id": "b", "label": "B"}],
    }
    assert facts_answered(question, {"A": "1940", "B": "1940"}, False) == [
        ("a", True),
        ("b", False),
    ]
    assert facts_answered(question, "nonsense", False) == [("a", False), ("b", False)]


def test_a_hand_written_question_tells_about_its_linked_fact_only():
    written = {"type": "mcq", "fact_id": "q:12", "origin": "authored"}
    assert facts_answered(written, "x", True) == []
    assert facts_answered({**written, "linked_fact": "f9"}, "x", False) == [("f9", False)]


# The fresh-form rule ----------------------------------------------------------------------------


def test_never_the_same_type_twice_when_another_is_available():
    rng = random.Random(1)
    for _ in range(50):
        assert next_form(["mcq", "short"], "mcq", False, 0, rng) == "short"
    assert next_form(["short"], "short", False, 0, rng) == "short"  # nothing else to ask


def test_recall_after_recognition_answered_right():
    rng = random.Random(2)
    seen = {next_form(ALL_TYPES, "mcq", True, 0, rng) for _ in range(200)}
    assert seen == set(RECALL)


def test_recognition_after_recall_failed_twice():
    rng = random.Random(3)
    seen = {next_form(ALL_TYPES, "short", False, 2, rng) for _ in range(200)}
    assert seen == set(RECOGNITION)
    # Once is not enough: any other type.
    once = {next_form(ALL_TYPES, "short", False, 1, rng) for _ in range(300)}
    assert once == set(ALL_TYPES) - {"short"}


def test_recognition_right_moves_on_to_recall_even_after_recall_failures():
    rng = random.Random(4)
    assert next_form(["tf", "mcq", "cloze"], "tf", True, 3, rng) == "cloze"


def test_without_a_preferred_type_available_any_other_type():
    rng = random.Random(5)
    assert next_form(["tf", "mcq"], "tf", True, 0, rng) == "mcq"
    assert next_form(["short", "cloze"], "short", False, 2, rng) == "cloze"


def test_a_fact_never_asked_gets_any_available_type():
    rng = random.Random(6)
    seen = {next_form(["tf", "short", "mcq"], None, None, 0, rng) for _ in range(100)}
    assert seen == {"tf", "short", "mcq"}


def test_nothing_available_is_an_error():
    with pytest.raises(ValueError):
        next_form([], "mcq", True, 0, random.Random(0))


@given(
    available=st.lists(st.sampled_from(ALL_TYPES), min_size=1, max_size=8),
    last_type=st.none() | st.sampled_from(ALL_TYPES),
    last_correct=st.none() | st.booleans(),
    recall_failures=st.integers(min_value=0, max_value=10),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_next_form_properties(available, last_type, last_correct, recall_failures, seed):
    chosen = next_form(available, last_type, last_correct, recall_failures, random.Random(seed))
    assert chosen in available
    others = set(available) - {last_type}
    if others:
        assert chosen != last_type
    if last_type in RECOGNITION and last_correct and others & RECALL:
        assert chosen in RECALL
    elif recall_failures >= 2 and others & RECOGNITION:
        assert chosen in RECOGNITION
    # The same seed, the same choice.
    again = next_form(available, last_type, last_correct, recall_failures, random.Random(seed))
    assert again == chosen

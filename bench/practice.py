"""Benchmark: FSRS scheduling of facts against a fixed schedule and no review, on simulated
learners whose memory follows a known forgetting curve.

The model (the "true" memory; the schedulers never see it). Each learner ℓ has an ability
a_ℓ (lognormal, σ 0.25) and each fact f a difficulty D_f in [1, 10] (1 + 9·Beta(2, 2)); a
learner's memory of a fact is its stability S in days, the time after which recall falls to
0.9, with recall probability t days after the last review

    R(t) = (1 + t / (9 S)) ** -1                    (a power-law forgetting curve)

* learning (day 0, every fact, every strategy alike, not counted as a review):
  S = a_ℓ · exp(1.2 − 0.25 (D − 1)), from 3.3 days (D = 1) to 0.35 days (D = 10);
* a right answer at recall probability R multiplies S by
  1 + e^1.5 · (11 − D) · S^−0.15 · (e^(1 − R) − 1): more for easy facts, and more the more
  the fact had faded (the spacing effect: a review while it is still fresh adds almost nothing);
* a wrong answer (the learner then reads the right answer and its source, as in the app) sets
  S to min(S, 2 · D^−0.1 · ((S + 1)^0.3 − 1) · e^(2 (1 − R))).

This is the DSR model of memory that FSRS itself is built on (Ye, Su and Cao, KDD 2022), with
parameters of our own and the brief's power-law curve (FSRS-6 assumes another curve), and a
fixed per-fact difficulty that FSRS must find from the answers. Whether an answer is right is
drawn from the true R; a right answer's time (for the rating) is 6 + 40 (1 − R) seconds, times
a lognormal factor (σ 0.3): quick when the fact is fresh.

The strategies, for `--days` days after the day of learning (day 0):

(a) **FSRS**: every fact is a card of `quizapp.core.memory` (the app's own scheduling: FSRS-6
    default parameters, desired retention `--retention`, learning steps of 1 and 10 minutes,
    no fuzzing); learning is its first review, rated Good; each day at 18:00 the learner
    answers every card due that day, in due order, waiting for a learning step that falls due
    later the same day; each answer is rated by `core.memory.rating_for` as a short answer
    (wrong: Again; right: Easy, Good or Hard by its time).
(b) **fixed**: every fact reviewed every 3 days (facts staggered over the three days, so that
    the daily load is even), on days 1–3, 4–6, ...: exactly facts × days / 3 reviews when days
    is a multiple of 3.
(c) **none**: no review after learning.

At the end of the last day (midnight) the share of facts recalled is the mean true recall
probability over every (learner, fact): the expected share a test then would find. Printed: the
reviews each strategy spent and that share, and the ratios FSRS / fixed of both. Goal: the same
or better recall with at most half the reviews of the fixed schedule. Also printed: the mean
recall over the days (every (learner, fact) each day before that day's reviews: how much of
the time the learner would have known the fact), and, for comparison, a fixed interval chosen
to spend about FSRS's number of reviews.

    .venv/bin/python bench/practice.py [--learners 20] [--facts 100] [--days 90] [--seed 1]
        [--retention 0.9]

Seeded and deterministic: the same options print the same figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fsrs import Rating  # noqa: E402

from quizapp.core.memory import new_card, rating_for, review  # noqa: E402

DAY = dt.timedelta(days=1)
# The day of learning, at the hour of every daily session.
START = dt.datetime(2026, 1, 5, 18, 0)
# The type the simulated answers are rated as (a recall form: short answer).
ASKED_AS = "short"
# Seconds between two answers beside the answer's own time (reading the feedback).
FEEDBACK_SECONDS = 5.0


@dataclass
class Memory:
    """A learner's true memory of one fact: stability (days) and the last review's time."""

    stability: float
    last: dt.datetime


def recall(memory: Memory, now: dt.datetime) -> float:
    """The true probability of recall at `now`: R = (1 + t / (9 S)) ** -1, t in days."""
    elapsed = max(0.0, (now - memory.last).total_seconds() / 86400)
    return 1.0 / (1.0 + elapsed / (9.0 * memory.stability))


def initial_stability(ability: float, difficulty: float) -> float:
    """Stability right after learning (days)."""
    return ability * math.exp(1.2 - 0.25 * (difficulty - 1.0))


def answer(memory: Memory, difficulty: float, now: dt.datetime, rng: random.Random) -> bool:
    """One answer at `now`: right with the true recall probability; the memory updates."""
    chance = recall(memory, now)
    right = rng.random() < chance
    s = memory.stability
    if right:
        s *= 1.0 + math.exp(1.5) * (11.0 - difficulty) * s**-0.15 * (math.exp(1.0 - chance) - 1.0)
    else:
        relearnt = 2.0 * difficulty**-0.1 * ((s + 1.0) ** 0.3 - 1.0) * math.exp(2.0 * (1 - chance))
        s = min(s, relearnt)
    memory.stability, memory.last = s, now
    return right


def answer_seconds(chance: float, rng: random.Random) -> float:
    """A right answer's time: quick when the fact is fresh, slower as it fades."""
    return (6.0 + 40.0 * (1.0 - chance)) * rng.lognormvariate(0.0, 0.3)


@dataclass
class Outcome:
    """What one strategy cost and gave: reviews spent, the mean recall at the end, and the
    mean recall over the days (each day at 18:00, before that day's reviews)."""

    name: str
    reviews: int
    recall: float
    daily: float


def _learners(count: int, seed: int) -> list[float]:
    rng = random.Random(f"{seed}:learners")
    return [rng.lognormvariate(0.0, 0.25) for _ in range(count)]


def _facts(count: int, seed: int) -> list[float]:
    rng = random.Random(f"{seed}:facts")
    return [1.0 + 9.0 * rng.betavariate(2.0, 2.0) for _ in range(count)]


def _learnt(ability: float, difficulties: list[float]) -> list[Memory]:
    return [Memory(initial_stability(ability, d), START) for d in difficulties]


def _mean_recall(memories: list[list[Memory]], days: int) -> float:
    test = START.replace(hour=0) + (days + 1) * DAY  # midnight after the last day
    values = [recall(m, test) for row in memories for m in row]
    return sum(values) / len(values)


def _recall_sum(memories: list[Memory], now: dt.datetime) -> float:
    return sum(recall(m, now) for m in memories)


def simulate_fsrs(
    abilities: list[float], difficulties: list[float], days: int, seed: int, retention: float
) -> Outcome:
    """(a) Every fact scheduled by the app's FSRS cards; every due card answered each day."""
    reviews = 0
    daily = 0.0
    memories = []
    for learner, ability in enumerate(abilities):
        rng = random.Random(f"{seed}:fsrs:{learner}")
        truth = _learnt(ability, difficulties)
        cards = [
            review(new_card(START), ASKED_AS, Rating.Good, START, retention) for _ in difficulties
        ]
        due = [(card.due, index) for index, card in enumerate(cards)]
        heapq.heapify(due)
        for day in range(days + 1):
            now = START + day * DAY
            if day:
                daily += _recall_sum(truth, now)
            end_of_day = START.replace(hour=0) + (day + 1) * DAY
            while due and due[0][0] < end_of_day:
                when, index = heapq.heappop(due)
                now = max(now, when)
                chance = recall(truth[index], now)
                right = answer(truth[index], difficulties[index], now, rng)
                seconds = answer_seconds(chance, rng) if right else 20.0
                rating = rating_for(ASKED_AS, right, seconds)
                cards[index] = review(cards[index], ASKED_AS, rating, now, retention)
                reviews += 1
                now += dt.timedelta(seconds=seconds + FEEDBACK_SECONDS)
                heapq.heappush(due, (cards[index].due, index))
        memories.append(truth)
    return Outcome(
        f"FSRS (retention {retention:.2f})",
        reviews,
        _mean_recall(memories, days),
        daily / (days * len(abilities) * len(difficulties)),
    )


def simulate_fixed(
    abilities: list[float], difficulties: list[float], days: int, seed: int, every: int = 3
) -> Outcome:
    """(b) Every fact reviewed every `every` days, facts staggered over the first `every`."""
    reviews = 0
    daily = 0.0
    memories = []
    for learner, ability in enumerate(abilities):
        rng = random.Random(f"{seed}:fixed:{learner}")
        truth = _learnt(ability, difficulties)
        for day in range(1, days + 1):
            now = START + day * DAY
            daily += _recall_sum(truth, now)
            for index, difficulty in enumerate(difficulties):
                if (day - 1) % every == index % every:
                    answer(truth[index], difficulty, now, rng)
                    reviews += 1
        memories.append(truth)
    return Outcome(
        f"fixed (every {every} days)",
        reviews,
        _mean_recall(memories, days),
        daily / (days * len(abilities) * len(difficulties)),
    )


def simulate_none(abilities: list[float], difficulties: list[float], days: int) -> Outcome:
    """(c) Learning only."""
    memories = [_learnt(ability, difficulties) for ability in abilities]
    daily = sum(
        _recall_sum(row, START + day * DAY) for row in memories for day in range(1, days + 1)
    )
    return Outcome(
        "no review",
        0,
        _mean_recall(memories, days),
        daily / (days * len(abilities) * len(difficulties)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--facts", type=int, default=100)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--retention", type=float, default=0.9)
    args = parser.parse_args(argv)
    if min(args.learners, args.facts, args.days) < 1:
        parser.error("learners, facts and days must be at least 1")

    started = time.perf_counter()
    abilities = _learners(args.learners, args.seed)
    difficulties = _facts(args.facts, args.seed)
    fsrs = simulate_fsrs(abilities, difficulties, args.days, args.seed, args.retention)
    fixed = simulate_fixed(abilities, difficulties, args.days, args.seed)
    none = simulate_none(abilities, difficulties, args.days)
    cards = args.learners * args.facts
    # For comparison only: a fixed interval that spends about what FSRS spent.
    every = max(1, round(args.days * cards / fsrs.reviews)) if fsrs.reviews else args.days
    budget = simulate_fixed(abilities, difficulties, args.days, args.seed, every=every)
    budget.name += ", FSRS's budget"
    print(
        f"practice benchmark: {args.learners} learners x {args.facts} facts, "
        f"{args.days} days after learning, seed {args.seed}"
    )
    heading = f"recall at day {args.days}"
    print(f"{'strategy':<36} {'reviews':>8} {'per fact':>8} {heading:>17} {'mean recall':>11}")
    for outcome in (fsrs, fixed, none, budget):
        print(
            f"{outcome.name:<36} {outcome.reviews:>8} {outcome.reviews / cards:>8.1f} "
            f"{outcome.recall:>17.3f} {outcome.daily:>11.3f}"
        )
    review_ratio = fsrs.reviews / fixed.reviews if fixed.reviews else float("nan")
    recall_ratio = fsrs.recall / fixed.recall if fixed.recall else float("nan")
    print(f"FSRS / fixed reviews: {review_ratio:.3f}")
    print(f"FSRS / fixed recall: {recall_ratio:.3f}")
    met = review_ratio <= 0.5 and fsrs.recall >= fixed.recall
    verdict = "met" if met else "not met"
    print(f"goal (recall at least the fixed schedule's, at most half its reviews): {verdict}")
    print(f"simulated in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: what updating the learner's memory of a fact costs each stored answer.

Every answer stored by `services.attempts.record_answer` also reviews the FSRS card of its
facts (`services.memory.record_item_answer`, in the same write transaction). This script
times the answer path with and without that step, on a database whose memory tables are empty
and on one already holding `--cards` cards (each with `--reviews` reviews) of other learners,
so that a query scanning the tables instead of using their indexes would show as a slower
filled run. It prints, for each, the median CPU time of one answer (the whole service call:
page read, check, write transaction and commit), the SQL statements per answer, and the
ratios.

    .venv/bin/python bench/memory_answer.py [--learners 30] [--questions 10]
        [--cards 100000] [--reviews 3] [--database sqlite|postgresql] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # scratch_database.py, beside this

import sqlalchemy as sa  # noqa: E402
from scratch_database import PASSWORD_HASH, insert_rows, scratch_database  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.core.bank import load_bank  # noqa: E402
from quizapp.extensions import db  # noqa: E402

BANK = ROOT / "questions" / "romania-ww2"
TYPES = ["mcq", "tf", "short", "cloze", "numeric"]


def _users(count: int, prefix: str) -> list[int]:
    from quizapp.models import User

    now = dt.datetime(2026, 1, 1)
    rows = [
        {
            "name": f"{prefix}{n}",
            "password_hash": PASSWORD_HASH,
            "role": "student",
            "created_at": now,
        }
        for n in range(count)
    ]
    insert_rows(db.session, User, rows)
    return list(
        db.session.scalars(sa.select(User.id).where(User.name.like(f"{prefix}%")).order_by(User.id))
    )


def fill(cards: int, reviews: int, seed: int = 1) -> None:
    """`cards` cards of other learners over the bank's facts, each with `reviews` reviews."""
    from quizapp.models import Fact, FactCard, FactReview

    rng = random.Random(seed)
    facts = list(db.session.scalars(sa.select(Fact.id)))
    owners = _users(max(1, cards // len(facts)), "other")
    now = dt.datetime(2026, 1, 1)
    rows = [
        {
            "user_id": owner,
            "fact_id": fact,
            "state": 2,
            "step": None,
            "stability": rng.uniform(1, 100),
            "difficulty": rng.uniform(1, 10),
            "due": now + dt.timedelta(days=rng.randint(0, 60)),
            "last_review": now,
            "last_type": rng.choice(TYPES),
            "last_correct": True,
            "recall_failures": 0,
            "reviews": reviews,
            "lapses": 0,
        }
        for owner in owners
        for fact in facts
    ][:cards]
    insert_rows(db.session, FactCard, rows)
    card_ids = list(db.session.scalars(sa.select(FactCard.id)))
    log = [
        {
            "card_id": card,
            "rating": rng.randint(1, 4),
            "reviewed_at": now,
            "question_type": rng.choice(TYPES),
            "seconds_taken": rng.uniform(2, 40),
            "response_id": None,
        }
        for card in card_ids
        for _ in range(reviews)
    ]
    insert_rows(db.session, FactReview, log)
    db.session.commit()


def run(app, learners: int, questions: int, with_memory: bool, label: str) -> tuple[float, float]:
    """Median CPU seconds of this process per answer (SQLite runs in it, so its work counts;
    PostgreSQL's server does not) and SQL statements per answer, over every learner answering
    every question of a fresh attempt right. CPU time, not wall time: other work on a shared
    machine moves it far less."""
    from quizapp.models import Bank, User
    from quizapp.services import attempts
    from quizapp.services.attempts import answering

    statements = 0

    def count(*_args, **_kwargs) -> None:
        nonlocal statements
        statements += 1

    original = answering.memory.record_item_answer
    if not with_memory:
        answering.memory.record_item_answer = lambda *args, **kwargs: 0
    timings: list[float] = []
    answered = 0
    try:
        with app.app_context():
            bank = db.session.scalar(sa.select(Bank))
            ids = _users(learners, f"{label}-")
            db.session.commit()
            plans = []
            for index, user_id in enumerate(ids):
                user = db.session.get(User, user_id)
                attempt = attempts.start_attempt(
                    user, bank, "en", questions, TYPES, seed=index, accepted=None
                )
                plans.append((user_id, attempt.id, [i.question for i in attempt.items]))
                db.session.commit()
            sa.event.listen(db.engine, "before_cursor_execute", count)
            for user_id, attempt_id, frozen in plans:
                user = db.session.get(User, user_id)
                for position, question in enumerate(frozen, start=1):
                    start = time.process_time()
                    attempts.record_answer(user, attempt_id, position, question["key"])
                    timings.append(time.process_time() - start)
                    answered += 1
                db.session.remove()
            sa.event.remove(db.engine, "before_cursor_execute", count)
    finally:
        answering.memory.record_item_answer = original
    # Statements also counted the user loads between learners: per answer, they are few.
    return statistics.median(timings), statements / answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    from quizapp.services.banks import store_bank

    with scratch_database(args.database, args.pg_url, "memory") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            store_bank(load_bank(BANK), "bench")
            db.session.commit()
        figures = {}
        for stage in ("empty", "filled"):
            if stage == "filled":
                with app.app_context():
                    start = time.perf_counter()
                    fill(args.cards, args.reviews)
                    print(
                        f"filled {args.cards:,} cards and {args.cards * args.reviews:,} reviews "
                        f"in {time.perf_counter() - start:.0f} s",
                        flush=True,
                    )
            for with_memory in (False, True):
                label = f"{stage}-{'memory' if with_memory else 'plain'}"
                seconds, statements = run(app, args.learners, args.questions, with_memory, label)
                figures[label] = seconds
                print(
                    f"{args.database} {stage:6} memory tables, "
                    f"{'with' if with_memory else 'without':7} the memory step: "
                    f"{seconds * 1000:6.2f} ms CPU per answer, {statements:4.1f} SQL statements",
                    flush=True,
                )
        with app.app_context():
            db.engine.dispose()
    empty = figures["empty-memory"] / figures["empty-plain"]
    filled = figures["filled-memory"] / figures["filled-plain"]
    growth = figures["filled-memory"] / figures["empty-memory"]
    print(
        f"\nanswer time with the memory step / without: empty tables x{empty:.2f}, "
        f"filled x{filled:.2f}; with it, filled / empty x{growth:.2f}"
    )


if __name__ == "__main__":
    main()

"""Benchmark: what the practice pages and the class report of fading facts cost.

Builds a database with the founding bank and classes of `--sizes` learners, each learner with
a memory card for every English fact (random stability and last review, as after weeks of
practice), then times (median of `--runs`):
- a learner's practice page (`services.practice.practice_overview`: one query of the bank's
  facts with the learner's cards, retrievability, forecast and mastery in Python);
- "Practise now" (`services.practice.start_practice`, rolled back each time);
- the history's mastery (`services.mastery.learner_mastery`);
- a class's fading facts (`services.class_memory.fading_facts`: one grouped SQL query over
  every card of the class's learners), for each class size.
It prints each time and, for the class report, the ratio of time to the smallest class's
next to the ratio of cards: a report that grows no faster than its cards scales linearly.

    .venv/bin/python bench/practice_pages.py [--sizes 30,300,1000] [--runs 5]
        [--database sqlite|postgresql] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
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
NOW = dt.datetime(2026, 3, 10, 12, 0)


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return statistics.median(times)


def _class_of(size: int, teacher, fact_ids: list[int], rng: random.Random):
    """A class of `size` new learners, each with a card for every fact; the class."""
    from quizapp.models import ClassMembership, FactCard, SchoolClass, User
    from quizapp.services import classes

    school_class = classes.create_class(teacher, f"Class of {size}")
    prefix = f"l{size}_"
    db.session.execute(
        sa.insert(User),
        [
            {"name": f"{prefix}{n}", "password_hash": PASSWORD_HASH, "role": "student"}
            for n in range(size)
        ],
    )
    ids = list(db.session.scalars(sa.select(User.id).where(User.name.like(f"{prefix}%"))))
    db.session.execute(
        sa.insert(ClassMembership),
        [{"class_id": school_class.id, "user_id": i, "role": "learner"} for i in ids],
    )
    cards = []
    for user_id in ids:
        for fact_id in fact_ids:
            last = NOW - dt.timedelta(days=rng.uniform(0, 60))
            stability = rng.uniform(0.2, 90)
            cards.append(
                {
                    "user_id": user_id,
                    "fact_id": fact_id,
                    "state": 2,
                    "stability": stability,
                    "difficulty": rng.uniform(1, 10),
                    "due": last + dt.timedelta(days=stability),
                    "last_review": last,
                    "last_type": rng.choice(["mcq", "short", "tf", "cloze"]),
                    "last_correct": rng.random() < 0.8,
                    "reviews": 3,
                }
            )
    insert_rows(db.session, FactCard, cards)
    db.session.commit()
    return db.session.get(SchoolClass, school_class.id), ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="30,300,1000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(7)

    from quizapp.models import Bank, Fact, User
    from quizapp.services import class_memory, mastery, practice
    from quizapp.services.banks import store_bank
    from quizapp.services.users import create_user

    with scratch_database(args.database, args.pg_url, "practice") as url:
        app = create_app(
            {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False}
        )
        with app.app_context():
            db.create_all()
            store_bank(load_bank(BANK), "bench")
            teacher = create_user("profe", "correct horse battery", "teacher")
            db.session.commit()
            bank = db.session.scalar(sa.select(Bank))
            fact_ids = list(db.session.scalars(sa.select(Fact.id).where(Fact.language == "en")))
            made = {size: _class_of(size, teacher, fact_ids, rng) for size in sizes}
            if args.database == "postgresql":
                # A live database's tables have statistics (autovacuum); freshly loaded ones
                # do not, and the planner then guesses.
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            learner = db.session.get(User, made[sizes[0]][1][0])
            starts = [NOW.replace(hour=0) + dt.timedelta(days=k) for k in range(15)]
            print(
                f"{args.database}: {len(fact_ids)} English facts; every learner has a card "
                f"for each; median of {args.runs} runs"
            )
            page = _median_ms(
                lambda: practice.practice_overview(
                    learner, bank, "en", now=NOW, day_starts=starts, today=NOW.date()
                ),
                args.runs,
            )
            start = _median_ms(
                lambda: practice.start_practice(learner, bank, "en", day_start=starts[0], now=NOW),
                args.runs,
            )
            history = _median_ms(lambda: mastery.learner_mastery(learner, NOW), args.runs)
            print(f"  practice page   {page:8.1f} ms")
            print(f"  practise now    {start:8.1f} ms")
            print(f"  history mastery {history:8.1f} ms")
            first = None
            owner = db.session.get(User, teacher.id)
            for size in sizes:
                school_class = made[size][0]
                took = _median_ms(
                    lambda school_class=school_class: class_memory.fading_facts(
                        owner, school_class, NOW
                    ),
                    args.runs,
                )
                cards = size * len(fact_ids)
                first = first or (took, cards)
                print(
                    f"  class of {size:5d} ({cards:7d} cards): fading facts {took:8.1f} ms; "
                    f"time x{took / first[0]:.1f} for cards x{cards / first[1]:.1f}"
                )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()

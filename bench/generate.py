"""Benchmark: time to draw a 20-question set from banks of 100, 10,000 and 100,000 facts.

Synthetic facts of every kind are built in memory. For each size it prints the time to index
the bank once (QuestionPool) and the median time to draw one set, over several seeds. Cost
should grow no faster than the bank: indexing is linear, drawing a set is about flat.

    .venv/bin/python bench/generate.py [--sizes 100,10000,100000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.core.bank import NAME_KINDS, Bank, Evidence, Fact
from quizapp.core.passages import Passage, Source
from quizapp.core.question_pool import QuestionPool

MONTHS = "January February March April May June July August September October November December"


def synthetic_bank(size: int, seed: int = 0) -> Bank:
    """A bank of `size` English facts spread over kinds, ten facts to a passage."""
    rng = random.Random(seed)
    source = Source("synthetic-en", "Synthetic", "en", "bench", "none", "bench")
    facts: list[Fact] = []
    for i in range(size):
        kind = ("date", "year", "number", "person", "place", "organisation", "event", "term")[i % 8]
        if kind == "date":
            month = MONTHS.split()[rng.randrange(12)]
            answer = f"{rng.randint(1, 28)} {month} {rng.randint(1900, 1999)}"
        elif kind == "year":
            answer = str(rng.randint(1800, 1999))
        elif kind == "number":
            answer = f"{rng.randint(2, 900) * 1000:,}"
        else:
            answer = f"{kind.title()} {i:06d}"
        text = f"Item {i} is recorded as {answer} in the register."
        passage = Passage(f"synthetic-en#p{i}", "synthetic-en", f"p{i}", text, i + 1, 1)
        source.passages.append(passage)
        start = text.index(answer)
        facts.append(
            Fact(
                id=f"f{i}-en",
                language="en",
                topic=f"topic-{i}",
                passage_id=passage.id,
                evidence=Evidence(answer, start, start + len(answer)),
                statement=f"Item {i} is recorded as {answer}.",
                answer=answer,
                kind=kind,
                stems=(f"How is item {i} recorded?",),
                label=f"item {i}",
                # Names need a category for wrong options; dated facts are events to order.
                category="register" if kind in NAME_KINDS else None,
                event=kind in ("date", "year"),
            )
        )
    bank = Bank("synthetic", {"en": "Synthetic"}, {"en": ""}, "bench", "none", ["en"])
    bank.sources[source.id] = source
    bank.facts = facts
    return bank


def main() -> None:
    """Print index and draw times per bank size, and their ratios to the smallest bank."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        bank = synthetic_bank(size)
        started = time.perf_counter()
        pool = QuestionPool(bank)
        index_seconds = time.perf_counter() - started
        draws = []
        for seed in range(args.repeat):
            started = time.perf_counter()
            questions = pool.generate(args.count, "en", seed)
            draws.append(time.perf_counter() - started)
            assert len(questions) == args.count, (size, len(questions))
        rows.append((size, index_seconds, statistics.median(draws)))
    base_index, base_draw = rows[0][1], rows[0][2]
    print(f"{'facts':>8} {'index once':>12} {'x':>7} {'draw 20 (median)':>17} {'x':>7}")
    for size, index_seconds, draw in rows:
        print(
            f"{size:>8} {index_seconds * 1000:>10.1f}ms {index_seconds / base_index:>6.1f}x "
            f"{draw * 1000:>15.2f}ms {draw / base_draw:>6.2f}x"
        )
    print(
        f"bank grows {sizes[-1] / sizes[0]:.0f}x; drawing a set grows "
        f"{rows[-1][2] / base_draw:.2f}x; indexing grows {rows[-1][1] / base_index:.0f}x"
    )


if __name__ == "__main__":
    main()

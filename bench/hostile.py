"""Benchmark: reading hostile text (uploads, pasted sources, typed answers) takes time in
proportion to its size.

tests/bounded.py counts the Python lines the readers run, which is the same on every machine but
blind to work inside C code, above all inside the regular-expression engine. This benchmark times
the same hostile shapes (and the issue's examples: a 160 KB GIFT comment of "[id:" repeats, a
line of 100 000 spaces) at n and 4n, so a pattern that backtracks shows as a ratio near 16 where
linear work gives about 4. It fails (exit 1) when a ratio passes 8 while the larger size takes
over a quarter of a second (shorter times are mostly noise), or a shape takes longer than CAP
seconds at its larger size; a failing shape is measured a second time before it counts, so that a
busy machine does not fail it.

The shapes cover every reader of user text: the import formats, bank YAML and line ends, fact
suggestion on a pasted source (issue 9's "long run of spaces"), and answer reading (numbers,
dates, names typed by a learner).

    .venv/bin/python bench/hostile.py [--size 100000] [--cap 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.core import passages, safe_yaml
from quizapp.core.checking import answers_match
from quizapp.core.formats import aiken, gift
from quizapp.core.formats import csv as csv_format
from quizapp.core.short_answers import short_answer_accepts
from quizapp.core.suggest import suggest
from quizapp.core.text_files import control_characters, normalise_line_ends
from quizapp.core.values import normalise, parse_date

SHAPES: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "gift: comment of [id: repeats": (gift.parse, lambda n: "// " + "[id:" * n + "\nQ {T}\n"),
    "gift: comment of [tag:\\ repeats": (
        gift.parse,
        lambda n: "// " + "[tag:\\" * n + "\nQ {T}\n",
    ),
    "gift: runs of spaces": (gift.parse, lambda n: "Q" + " " * n + "x {=a" + " " * n + "~b}\n"),
    "gift: digits then spaces": (gift.parse, lambda n: "Q {#" + "1" * n + " " * n + "x}\n"),
    "gift: many answers": (gift.parse, lambda n: "Q {" + "~a#b " * (n // 5) + "=c}\n"),
    "gift: unclosed braces": (gift.parse, lambda n: "Q {" * (n // 3)),
    "aiken: spaces after a letter": (
        aiken.parse,
        lambda n: "Q\nA." + " " * n + "x\nANSWER:" + " " * n + "\n",
    ),
    "csv: escapes in one cell": (
        csv_format.parse,
        lambda n: "type,stem,answers\nshort,q," + "a\\|" * (n // 3),
    ),
    "csv: digits then spaces": (
        csv_format.parse,
        lambda n: "type,stem,answers\nnumeric,q," + "1" * n + " " * n + "x",
    ),
    "line ends: \\r\\r runs": (normalise_line_ends, lambda n: "\r" * n + "\n"),
    "control characters": (control_characters, lambda n: "a\x00\n" * (n // 3)),
    "yaml: long flow list": (safe_yaml.load, lambda n: "[" + "1, " * (n // 3) + "1]"),
    "passages: sentences": (
        lambda text: passages.sentence_span(text, len(text) - 1, len(text)),
        lambda n: '."' * (n // 2) + " end",
    ),
    # Fact suggestion on a pasted source: runs of spaces, digit groups, dots, question marks.
    "suggest: spaces inside a sentence": (
        lambda text: suggest(text, "en"),
        lambda n: "In 1939 King Carol" + " " * n + "signed it.",
    ),
    "suggest: digit groups after spaces": (
        lambda text: suggest(text, "es"),
        lambda n: "Hubo 1" + " 111" * (n // 4) + "x.",
    ),
    "suggest: a run of dots": (
        lambda text: suggest(text, "en"),
        lambda n: "In 1939 King Carol " + "." * n,
    ),
    "suggest: a run of question marks": (
        lambda text: suggest(text, "es"),
        lambda n: "El 12 de mayo " + "¿" * n,
    ),
    # Answer reading: what a learner may type into an answer box.
    "answers: digit groups and a decimal": (normalise, lambda n: "0" + " 000" * (n // 4) + ",5"),
    "answers: commas between digits": (normalise, lambda n: "1," * (n // 2)),
    "answers: a date with spaces": (parse_date, lambda n: "1" + " " * n + "x"),
    "answers: a long typed name": (
        lambda text: answers_match(text, ["Ion Antonescu"], "person", language="en"),
        lambda n: "Ion " * (n // 4),
    ),
    # A teacher's pattern is short; a learner's answer can be as long as a form takes.
    "short answer: long answer, wildcards": (
        lambda answer: short_answer_accepts("*".join("abcdefghijklmnopqrstuvwxyz") + "!", answer),
        lambda n: "abcdefghijklmnopqrstuvwxy " * (n // 26),
    ),
}


def _seconds(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Time every shape at `--size` and four times that; print a table; 1 if one failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="characters (default 100000)")
    parser.add_argument("--cap", type=float, default=5.0, help="seconds at 4 x size (default 5)")
    args = parser.parse_args()
    failed = False
    print(f"{'shape':36} {'n':>8} {'n ms':>9} {'4n ms':>9} {'ratio':>6}")
    for name, (function, make) in SHAPES.items():
        for _attempt in range(2):
            small = _seconds(function, make(args.size))
            large = _seconds(function, make(4 * args.size))
            ratio = large / max(small, 1e-6)
            bad = (ratio > 8 and large > 0.25) or large > args.cap
            if not bad:
                break
        failed |= bad
        print(
            f"{name:36} {args.size:8} {small * 1000:9.1f} {large * 1000:9.1f} {ratio:6.1f}"
            + ("  TOO SLOW" if bad else "")
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

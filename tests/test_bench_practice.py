"""bench/practice.py, small: its printed structure, the fixed schedule's exact number of reviews,
the no-review strategy spending none, and the same figures for the same seed. Never how fast."""

from __future__ import annotations

import importlib
import re
import sys

import pytest

from tests.conftest import ROOT

LEARNERS, FACTS, DAYS = 3, 12, 12
ROW = re.compile(
    r"^(?P<name>.+?)\s+(?P<reviews>\d+)\s+(?P<per>[\d.]+)\s+(?P<end>[\d.]+)\s+(?P<mean>[\d.]+)$"
)


@pytest.fixture(scope="module")
def practice():
    """The benchmark module, imported from bench/ (not a package)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        yield importlib.import_module("practice")
    finally:
        sys.path.remove(str(ROOT / "bench"))


def _run(practice, capsys, *extra: str) -> list[str]:
    argv = [f"--learners={LEARNERS}", f"--facts={FACTS}", f"--days={DAYS}", *extra]
    assert practice.main(argv) == 0
    return capsys.readouterr().out.splitlines()


def test_a_small_run_prints_every_strategy_and_both_ratios(practice, capsys):
    lines = _run(practice, capsys, "--seed=4")
    assert lines[0] == (
        f"practice benchmark: {LEARNERS} learners x {FACTS} facts, {DAYS} days after learning, "
        "seed 4"
    )
    assert lines[1].split()[:3] == ["strategy", "reviews", "per"]
    rows = {}
    for line in lines[2:6]:
        match = ROW.match(line)
        assert match, line
        rows[match["name"]] = match
    fsrs, fixed, none, budget = (rows[name] for name in rows)
    assert list(rows)[:3] == ["FSRS (retention 0.90)", "fixed (every 3 days)", "no review"]
    assert list(rows)[3].endswith("FSRS's budget")
    # The fixed schedule reviews every fact every 3 days: facts x days / 3 for each learner.
    assert int(fixed["reviews"]) == LEARNERS * FACTS * DAYS // 3
    assert float(fixed["per"]) == DAYS / 3
    assert int(none["reviews"]) == 0
    # FSRS reviews each fact at least once after learning (its 10-minute learning step).
    assert int(fsrs["reviews"]) >= LEARNERS * FACTS
    for row in (fsrs, fixed, none, budget):
        assert 0 <= float(row["end"]) <= 1 and 0 <= float(row["mean"]) <= 1
    # Reviewing helps: without review, less is remembered.
    assert float(none["end"]) < float(fixed["end"]) and float(none["end"]) < float(fsrs["end"])
    ratio_reviews = float(re.fullmatch(r"FSRS / fixed reviews: ([\d.]+)", lines[6])[1])
    ratio_recall = float(re.fullmatch(r"FSRS / fixed recall: ([\d.]+)", lines[7])[1])
    assert ratio_reviews == pytest.approx(int(fsrs["reviews"]) / int(fixed["reviews"]), abs=1e-3)
    assert ratio_recall == pytest.approx(float(fsrs["end"]) / float(fixed["end"]), abs=2e-3)
    assert re.fullmatch(r"goal \(.*\): (met|not met)", lines[8])
    assert lines[9].startswith("simulated in ")


def test_the_same_seed_gives_the_same_figures_and_another_seed_others(practice, capsys):
    first = _run(practice, capsys, "--seed=7")[:9]
    again = _run(practice, capsys, "--seed=7")[:9]
    other = _run(practice, capsys, "--seed=8")[:9]
    assert first == again
    assert first != other


def test_a_higher_retention_spends_more_reviews(practice, capsys):
    def fsrs_reviews(retention: str) -> int:
        line = _run(practice, capsys, f"--retention={retention}")[2]
        return int(ROW.match(line)["reviews"])

    assert fsrs_reviews("0.8") < fsrs_reviews("0.97")


def test_the_true_forgetting_curve_is_the_documented_one(practice):
    import datetime as dt

    memory = practice.Memory(stability=2.0, last=practice.START)
    # R = 0.9 after S days; (1 + t / 9S) ** -1 elsewhere.
    assert practice.recall(memory, practice.START + dt.timedelta(days=2)) == pytest.approx(0.9)
    assert practice.recall(memory, practice.START + dt.timedelta(days=18)) == pytest.approx(0.5)
    assert practice.recall(memory, practice.START) == 1.0

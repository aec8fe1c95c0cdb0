"""bench/exam_load.py, tiny: a class of 5 takes a 5-question assignment against a real gunicorn.

The run is the benchmark itself with think times of at most 0.2 s: seeding through the
services, logins over HTTP, the open-loop driver, every step's request, the integrity check.
It asserts what the run did, never how fast (the machine is shared).
"""

from __future__ import annotations

import importlib
import os
import sys

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import BACKENDS, ROOT

LEARNERS, QUESTIONS = 5, 5


@pytest.fixture(scope="module")
def exam_load():
    """The benchmark module, imported from bench/ (not a package)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        yield importlib.import_module("exam_load")
    finally:
        sys.path.remove(str(ROOT / "bench"))


@pytest.mark.parametrize("database", BACKENDS)
def test_a_tiny_exam_runs_end_to_end(exam_load, database: str, capsys) -> None:
    argv = [
        f"--learners={LEARNERS}",
        f"--questions={QUESTIONS}",
        "--think-min=0",
        "--think-max=0.2",
        "--spread=1",
        "--workers=2",
        "--threads=8",
        "--deadline=240",
        f"--database={database}",
    ]
    if database == "postgresql":
        admin = make_url(os.environ["QUIZAPP_TEST_DATABASE_URL"]).set(
            drivername="postgresql+psycopg"
        )
        argv.append(f"--pg-url={admin.render_as_string(hide_password=False)}")
    args = exam_load.parse_args(argv)

    result = exam_load.run_exam(args, LEARNERS)

    output = capsys.readouterr().out
    assert result.errors == 0, output
    assert result.problems == 0, output
    assert result.done == LEARNERS, output
    # home, start, per question its page, answer and feedback, finish, review.
    assert result.requests == LEARNERS * (2 + 3 * QUESTIONS + 2), output
    assert set(result.p95) == set(exam_load.EXAM_ENDPOINTS), output
    assert result.peak >= 1
    assert f"logged in: {LEARNERS} of {LEARNERS}" in output
    assert "integrity: OK" in output
    assert f"{LEARNERS * QUESTIONS} acknowledged answers stored exactly once" in output
    assert "verdict: p95 under 300 ms" in output


def test_the_open_loop_driver_runs_each_step_when_due(exam_load) -> None:
    """Steps run no earlier than due, each learner's in order, on fewer threads than learners."""
    import threading
    import time

    class Stepper:
        def __init__(self, name: str) -> None:
            self.name, self.left, self.seen = name, 3, []

        def run_step(self, due: float) -> float | None:
            self.seen.append((due, time.perf_counter(), threading.current_thread().name))
            self.left -= 1
            return 0.05 if self.left else None

    loop = exam_load.OpenLoop(threads=2, deadline=time.monotonic() + 30)
    steppers = [Stepper(str(i)) for i in range(10)]
    start = time.perf_counter() + 0.05
    for index, stepper in enumerate(steppers):
        loop.add(start + index * 0.01, stepper)
    assert loop.run() == 0
    assert loop.live == 0
    for stepper in steppers:
        assert len(stepper.seen) == 3
        assert all(ran >= due for due, ran, _thread in stepper.seen)
        dues = [due for due, _ran, _thread in stepper.seen]
        assert dues == sorted(dues)
    assert len(loop.lags) == 30
    threads = {thread for stepper in steppers for _due, _ran, thread in stepper.seen}
    assert len(threads) <= 2

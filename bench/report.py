"""Benchmark: the teacher's reports at 100,000 and 1,000,000 stored responses.

For each size the script builds, in a fresh database (SQLite in a temporary folder, or a
PostgreSQL database created for the run and dropped after it; on PostgreSQL the tables are
then vacuumed and analysed, as autovacuum would have done by the time a teacher reads a
report), classes whose learners have each finished one attempt at their class's assignment
of `--questions` questions (the same frozen set for everyone, every item storing its frozen
question as a real attempt does), right or wrong at random, so that the database holds
`size` responses. Two shapes (`--grow`):

- `assignment` (the default): ONE class and ONE assignment hold every response, so the
  assignment itself grows tenfold (5,000 then 50,000 learners at 20 questions). The reports
  read every response of it: their cost can at best grow tenfold.
- `database`: the measured class keeps `--class-size` learners (1,000) and the other
  responses belong to other classes of that size, each with its own assignment: the
  database grows tenfold around an assignment of fixed size, whose reports should cost the
  same at both sizes.

It then times, through the services a page calls, as the measured class's teacher:

- the assignment report (status counts, grades by the grading method, distribution);
- what the class misses (facts ranked, the answers typed most often);
- the item analysis (Moodle's statistics from SQL aggregates);
- the gradebook (its first page) and the whole gradebook as CSV rows, when the gradebook
  service is present;

each the median of `--repeat` runs, in time and in this process's CPU time (SQLite's work
included: the steadier figure on a shared machine), with the peak of memory Python allocated
during one run (tracemalloc): flat memory means no response list is held in Python. It
prints the ratio of the largest to the smallest size of each (goal: at most the ratio of the
sizes with `--grow assignment`, about 1 with `--grow database`).

Then a learner's history page: one learner in a class of 10 and one in a class of 1,000,
each with the same attempts, the page rendered by the app (median of `--repeat` runs, at
least 25: the page takes milliseconds), as the learner and as their teacher: each ratio
should be about 1.

    .venv/bin/python bench/report.py [--sizes 100000,1000000] [--questions 20]
        [--grow assignment|database] [--class-size 1000]
        [--database sqlite|postgresql] [--pg-url URL] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # scratch_database.py, beside this

import sqlalchemy as sa  # noqa: E402
from scratch_database import PASSWORD_HASH, insert_rows, scratch_database  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.core.bank import load_bank  # noqa: E402
from quizapp.extensions import db  # noqa: E402

BANK = ROOT / "questions" / "romania-ww2"


# Parallel query off on PostgreSQL: a parallel worker's CPU time is gone with it (ServerCpu).
PG_OPTIONS = "?options=-c%20max_parallel_workers_per_gather%3D0"


def _insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    insert_rows(db.session, table, rows)


def build(
    app, responses: int, questions: int, seed: int = 1, class_size: int | None = None
) -> dict[str, int]:
    """Classes, their teacher, learners and their finished attempts: ids to time with (the
    measured class is the first one). With `class_size` None, one class holds every
    response; else every class has `class_size` learners (the last one what is left)."""
    from quizapp.models import Bank, ClassMembership, Response, User
    from quizapp.services import assignments, classes
    from quizapp.services.banks import store_bank
    from quizapp.services.users import create_user

    rng = random.Random(seed)
    learners = responses // questions
    sizes = [learners] if class_size is None else []
    while class_size is not None and sum(sizes) < learners:
        sizes.append(min(class_size, learners - sum(sizes)))
    with app.app_context():
        db.create_all()
        store_bank(load_bank(BANK), "bench")
        teacher = create_user("teacher", "a long bench password 1", "teacher")
        db.session.commit()
        bank = db.session.scalar(sa.select(Bank))
        first_user = db.session.scalar(sa.select(sa.func.max(User.id))) + 1
        _insert(
            User.__table__,
            [
                {"id": first_user + i, "name": f"learner{i:06d}", "role": "student",
                 "password_hash": PASSWORD_HASH}
                for i in range(learners)
            ],
        )  # fmt: skip
        db.session.commit()
        made = []
        start = 0
        for number, size in enumerate(sizes):
            school_class = classes.create_class(teacher, f"Bench class {number + 1}")
            assignment = assignments.create_assignment(
                teacher,
                school_class,
                assignments.AssignmentSettings(
                    "Bench", bank.id, "en", ["mcq", "tf", "short", "numeric"], questions
                ),
                seed=seed,
            )
            db.session.commit()
            _insert(
                ClassMembership.__table__,
                [
                    {"class_id": school_class.id, "user_id": first_user + i, "role": "learner"}
                    for i in range(start, start + size)
                ],
            )
            db.session.commit()
            made.append((school_class.id, assignment.id, assignment.questions, start, size))
            start += size
        item_id = 1
        for _class_id, assignment_id, frozen, start, size in made:
            item_id = _answer(rng, bank.id, assignment_id, frozen, first_user, start, size, item_id)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                for table in ("attempts", "attempt_items", "responses"):
                    connection.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
                connection.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as auto:
                auto.execute(sa.text("VACUUM ANALYZE"))
        stored = db.session.scalar(sa.select(sa.func.count(Response.id)))
        return {
            "teacher": teacher.id,
            "class": made[0][0],
            "assignment": made[0][1],
            "class_learners": made[0][4],
            "classes": len(made),
            "responses": stored,
            "learner": first_user,
        }


def _answer(rng, bank_id, assignment_id, frozen, first_user, start, size, item_id) -> int:
    """Each of the class's learners finishes one attempt at the assignment; the next item id."""
    from quizapp.models import Attempt, AttemptItem, Response

    started = dt.datetime(2026, 11, 1, 9, 0)
    for first in range(start, start + size, 1_000):
        block = range(first, min(first + 1_000, start + size))
        attempts, items, answers = [], [], []
        for i in block:
            attempt_id = i + 1
            rights = [rng.random() < 0.3 + 0.6 * (i % 10) / 10 for _ in frozen]
            attempts.append(
                {
                    "id": attempt_id,
                    "user_id": first_user + i,
                    "bank_id": bank_id,
                    "language": "en",
                    "settings": {"assignment": assignment_id},
                    "started_at": started,
                    "finished_at": started + dt.timedelta(minutes=20, seconds=i % 600),
                    "score": float(sum(rights)),
                    "max_score": float(len(frozen)),
                    "assignment_id": assignment_id,
                }
            )
            for position, (question, right) in enumerate(zip(frozen, rights, strict=True), 1):
                items.append(
                    {
                        "id": item_id,
                        "attempt_id": attempt_id,
                        "position": position,
                        "question_type": question["type"],
                        "fact_key": question["fact_id"] or f"q{position}",
                        "question": question,
                    }
                )
                given = question["key"] if right else f"wrong {rng.randrange(5)}"
                answers.append(
                    {
                        "item_id": item_id,
                        "given": given,
                        "normalised": str(given).casefold(),
                        "correct": right,
                        "points": 1.0 if right else 0.0,
                        "seconds_taken": 5.0 + rng.random() * 40,
                    }
                )
                item_id += 1
        _insert(Attempt.__table__, attempts)
        _insert(AttemptItem.__table__, items)
        _insert(Response.__table__, answers)
        db.session.commit()
    return item_id


def _cpu_seconds(pid: int) -> float:
    """Seconds process `pid` has run on a CPU, from /proc/<pid>/schedstat (nanoseconds: finer
    than /proc/<pid>/stat's clock ticks); 0.0 when the process is gone."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


class ServerCpu:
    """The CPU time PostgreSQL's backends spend for this benchmark's database: the sum over
    the backends connected to it (pg_stat_activity, the measuring connection left out) of
    their /proc CPU time. The server runs on this machine, so /proc is readable; the figure
    counts only work done for these queries, not what other processes take of the cores,
    which makes it the steady figure on a shared machine (as this process's CPU time is for
    SQLite). Parallel query is turned off for the run (see `database`), as parallel workers
    end with their query and their CPU time could not be read."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def _backends(self) -> list[int]:
        with self.engine.connect() as connection:
            return list(
                connection.scalars(
                    sa.text(
                        "SELECT pid FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            )

    def total(self) -> float:
        """Seconds of CPU the database's backends have used so far."""
        return sum(_cpu_seconds(pid) for pid in self._backends())

    def close(self) -> None:
        self.engine.dispose()


def timed(
    call: Callable[[], Any], repeat: int, server: ServerCpu | None = None
) -> tuple[float, float, float]:
    """(median seconds over `repeat` runs, median seconds of CPU over them, peak MiB Python
    allocated during one run).

    The CPU time is this process's (SQLite's work included, as it runs in this process), plus
    on PostgreSQL the server's backends' (`server`): neither counts what other processes take
    of a shared machine, so it is the steadier figure when the cores are busy. A connection
    a call opens in the pool stays open after it (the pool keeps it), so its backend is
    counted across the call."""
    call()  # warm the caches (statements, bank pool) and open the pool's connections
    times, cpu = [], []
    for _ in range(repeat):
        server_start = server.total() if server else 0.0
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append(time.perf_counter() - start)
        used = time.process_time() - start_cpu
        cpu.append(used + (server.total() - server_start if server else 0.0))
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), statistics.median(cpu), peak / 2**20


def measures(app, ids: dict[str, int]) -> dict[str, Callable[[], Any]]:
    """The report services, called as the teacher would call them through their pages."""
    from quizapp.models import SchoolClass, User
    from quizapp.services import assignment_reports, item_statistics, missed_facts

    def as_teacher(work: Callable[[User], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with app.app_context():
                teacher = db.session.get(User, ids["teacher"])
                result = work(teacher)
                db.session.rollback()
                return result

        return run

    calls = {
        "assignment report": as_teacher(
            lambda t: assignment_reports.assignment_report(t, ids["assignment"])
        ),
        "what the class misses": as_teacher(
            lambda t: missed_facts.class_misses(t, ids["assignment"])
        ),
        "item analysis": as_teacher(lambda t: item_statistics.item_analysis(t, ids["assignment"])),
    }
    try:
        from quizapp.services import gradebook
    except ImportError:
        return calls

    def page(teacher):
        school_class = db.session.get(SchoolClass, ids["class"])
        return gradebook.gradebook_page(teacher, school_class, 1)

    def csv_rows(teacher):
        school_class = db.session.get(SchoolClass, ids["class"])
        _columns, rows = gradebook.gradebook_rows(teacher, school_class)
        return sum(1 for _ in rows)

    calls["gradebook page"] = as_teacher(page)
    calls["gradebook CSV (all rows)"] = as_teacher(csv_rows)
    return calls


HISTORY_REPEAT = 25  # at least: the page takes milliseconds, the machine is shared


def history_timing(kind: str, pg_url: str, repeat: int) -> dict[tuple[int, str], float]:
    """Median time of a learner's history page in a class of 10 and of 1,000, read by the
    learner (`/history`) and by their teacher (`/history/<id>`): {(class size, reader): s}."""
    results = {}
    for size in (10, 1_000):
        with scratch_database(kind, pg_url, "report", PG_OPTIONS) as url:
            app = create_app(
                {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
            )
            ids = build(app, size * 20, 20)
            with app.app_context():
                from werkzeug.security import generate_password_hash

                from quizapp.models import User

                learner = db.session.get(User, ids["learner"])
                learner.password_hash = generate_password_hash("a long bench password 2")
                # The request log would print a line per timed page.
                logging.getLogger("quizapp.requests").setLevel(logging.WARNING)
                logins = {
                    "learner": (learner.name, "a long bench password 2", "/history"),
                    "teacher": (
                        "teacher",
                        "a long bench password 1",
                        f"/history/{ids['learner']}",
                    ),
                }
                db.session.commit()
            for reader, (name, password, path) in logins.items():
                client = app.test_client()
                login = client.post("/login", data={"name": name, "password": password})
                assert login.status_code == 302, login.status_code
                response = client.get(path)
                assert response.status_code == 200, response.status_code
                seconds, _cpu, _peak = timed(
                    lambda client=client, path=path: client.get(path), max(repeat, HISTORY_REPEAT)
                )
                results[(size, reader)] = seconds
            with app.app_context():
                db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--grow", choices=("assignment", "database"), default="assignment")
    parser.add_argument("--class-size", type=int, default=1_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-history", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    class_size = args.class_size if args.grow == "database" else None
    if class_size is None:
        print(
            "Shape: the ONE assignment grows (one class holds every response, so the reports "
            "read 10 times as many responses at 10 times the size)."
        )
    else:
        print(
            f"Shape: the database grows around an assignment of fixed size (every class has "
            f"{class_size:,} learners; the reports read the first class's assignment)."
        )
    figures: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sizes:
        with scratch_database(args.database, args.pg_url, "report", PG_OPTIONS) as url:
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
            start = time.perf_counter()
            ids = build(app, size, args.questions, class_size=class_size)
            print(
                f"{args.database}: {ids['responses']:,} responses in {ids['classes']:,} "
                f"class(es) built in {time.perf_counter() - start:.0f} s; the measured "
                f"assignment holds {ids['class_learners'] * args.questions:,} of them "
                f"({ids['class_learners']:,} learners)",
                flush=True,
            )
            figures[size] = {}
            server = ServerCpu(url) if args.database == "postgresql" else None
            for name, call in measures(app, ids).items():
                seconds, cpu, peak = timed(call, args.repeat, server)
                figures[size][name] = (seconds, cpu, peak)
                print(
                    f"  {name:28} {seconds * 1000:9.1f} ms   cpu {cpu * 1000:9.1f} ms   "
                    f"peak {peak:7.1f} MiB",
                    flush=True,
                )
            if server:
                server.close()
            with app.app_context():
                db.engine.dispose()
    if len(sizes) >= 2:
        low, high = sizes[0], sizes[-1]
        goal = f"at most {high / low:.0f}" if class_size is None else "about 1"
        print(f"\nratio {high:,} / {low:,} responses (goal: {goal}):")
        for name, (seconds, cpu, peak) in figures[high].items():
            base_seconds, base_cpu, base_peak = figures[low][name]
            print(
                f"  {name:28} time x{seconds / base_seconds:5.2f}   "
                f"cpu x{cpu / max(base_cpu, 1e-9):5.2f}   "
                f"memory x{peak / max(base_peak, 1e-9):5.2f}"
            )
        if args.database == "postgresql":
            print(
                "  (cpu: this process and the database's PostgreSQL backends, parallel query off)"
            )
    if not args.skip_history:
        history = history_timing(args.database, args.pg_url, args.repeat)
        for reader in ("learner", "teacher"):
            small, large = history[(10, reader)], history[(1_000, reader)]
            print(
                f"\nhistory page read by the {reader}: class of 10 {small * 1000:.1f} ms, "
                f"class of 1,000 {large * 1000:.1f} ms (ratio x{large / small:.2f})"
            )


if __name__ == "__main__":
    main()

"""Load test in the shape of a real exam: a class takes the same assignment at the same time.

Moodle's published load tests use this shape (their figure: about 167 concurrent quiz takers
per web vCPU). Before the measured window the script starts gunicorn on a fresh database (as
bench/load.py does, whose server, client, integrity check and report it reuses), seeds a
teacher, a class of N learners and one assignment with the same questions for everyone
(review after the attempt, so each answer's feedback says only "Answer recorded."), and logs
every learner in over HTTP (GET and POST /login: real sessions and CSRF tokens). The learner
accounts are inserted with one password hash made once, because hashing N passwords is setup
that nobody measures; each login still checks it on the server.

Then the window: the learners start within `--spread` seconds (60; start times uniform,
seeded). Each one loads the home page, presses Start (POST /assignments/<id>/start), and for
every question loads its page, thinks `--think-min` to `--think-max` seconds (30 to 90,
uniform, seeded), posts the answer, reads the feedback and follows "Next question"; after the
last one it finishes the attempt and reads its review.

The requests are driven open-loop: a heap of due requests is served by a bounded pool of
client threads, so thousands of learners need no thousand threads, and a request's latency
runs from when it was due, not from when a thread was free to send it: a slow server shows as
latency, never as fewer requests. The report gives p50/p95/p99 per endpoint, errors, requests
per second, how late the client sent requests (its own lag, included in the latencies), the
server log summary, the integrity check (every acknowledged answer stored once, each finished
attempt's score the sum of its points), and the verdict: p95 under `--p95-ms` (300) on every
endpoint with no error. `--find-max` runs growing classes (`--sizes`, each on a fresh server
and database) and reports the largest that passes. Exit status 0 only when every run passed
(with --find-max: when at least one size passed).

    .venv/bin/python bench/exam_load.py [--learners 500] [--questions 10] [--think-min 30]
        [--think-max 90] [--spread 60] [--workers 4] [--threads 200] [--seed 1]
        [--database sqlite|postgresql] [--pg-url URL] [--find-max] [--sizes 250,500,1000,2000]
    .venv/bin/python bench/load.py --mode exam ...   # the same
    # a smoke test in seconds:
    .venv/bin/python bench/exam_load.py --learners 5 --questions 5 --think-min 0 \\
        --think-max 0.2 --spread 1
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import itertools
import math
import os
import platform
import queue
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # load.py, beside this file
import load
from load import ATTEMPT_PATH, FINISH_PATH, REVIEW_PATH, FlowError, PageParser

# The measured endpoints, in the order a learner reaches them.
EXAM_ENDPOINTS: dict[str, str] = {
    "home": "home           GET /",
    "start": "start          POST /assignments/<id>/start",
    "question": "question page  GET /attempts/<id>/q/<n>",
    "answer": "answer         POST /attempts/<id>/q/<n>",
    "feedback": "feedback       GET /attempts/<id>/q/<n>",
    "finish": "finish         POST /attempts/<id>/finish",
    "review": "review         GET /attempts/<id>",
}
LOGIN_ENDPOINTS = {"login_page": "login page     GET /login", "login": "login          POST /login"}
EXAM_TYPES = ["mcq", "tf", "cloze", "short", "numeric", "order", "match"]
LOGIN_THREADS = 16  # logins hash a password on the server: a few in flight keep it busy
MOODLE_PER_CPU = 167  # Moodle's published figure: concurrent quiz takers per web vCPU
GOAL_PER_CORE = 1000  # issue 11's goal


@dataclass(frozen=True)
class Exam:
    """The settings and seeded objects every learner shares."""

    port: int
    assignment_id: int
    questions: int
    think_min: float
    think_max: float
    seed: int
    deadline: float  # time.monotonic()
    timeout: float

    @property
    def start_path(self) -> str:
        """The assignment's start form action."""
        return f"/assignments/{self.assignment_id}/start"


@dataclass
class Progress:
    """Learners inside the exam now (started, not finished) and the most at once."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    now: int = 0
    peak: int = 0

    def change(self, delta: int) -> None:
        """One learner started (+1) or finished (-1)."""
        with self.lock:
            self.now += delta
            self.peak = max(self.peak, self.now)


class ExamStats(load.Stats):
    """The exam's measurements, also split by when each request was due: during the starts
    (the first `spread` seconds of the window, when the whole class loads the home page and
    presses Start) or after them, when learners only answer at their own pace."""

    def __init__(self, window_start: float, spread: float) -> None:
        super().__init__(EXAM_ENDPOINTS)
        self.spread = spread
        self.starts_until = window_start + spread
        self.by_phase: dict[str, list[float]] = {"starts": [], "after": []}

    def success(self, endpoint: str, started: float, ended: float) -> None:
        """Record one request (`started` is its due time) in its endpoint and its phase."""
        super().success(endpoint, started, ended)
        with self.lock:
            phase = "starts" if started < self.starts_until else "after"
            self.by_phase[phase].append(ended - started)


class ExamLearner:
    """One learner: logs in before the window, then one request per step. Each step takes the
    time it was due and returns the seconds until the next one (None after the last)."""

    def __init__(
        self,
        index: int,
        name: str,
        exam: Exam,
        stats: load.Stats,
        outcome: load.Outcome,
        progress: Progress,
    ) -> None:
        self.name = name
        self.exam = exam
        self.outcome = outcome
        self.progress = progress
        self.client = load.Client(exam.port, stats, exam.deadline, exam.timeout)
        self.rng = random.Random(f"{exam.seed}:{index}")
        self.step = self.home
        self.token = ""
        self.attempt_id = 0
        self.path = ""  # the current question's path
        self.position = 0
        self.seen = 0
        self.fields: list[tuple[str, str]] = []
        self.answer: list[tuple[str, str]] = []
        self.finish_path = ""

    def log_in(self) -> None:
        """GET the login page and POST the learner's name and password (before the window)."""
        client = self.client
        page = PageParser(client.request("login_page", "GET", "/login").body)
        token = load.csrf_from(client, "login_page", page.form(lambda f: f.action is None))
        fields = [("csrf_token", token), ("name", self.name), ("password", load.PASSWORD)]
        reply = client.request("login", "POST", "/login", fields, expect=302)
        client.redirect_path("login", reply, re.compile(r"^/$"))

    def home(self, due: float) -> float:
        """Load the home page, which lists the assignment with its Start form."""
        body = self.client.request("home", "GET", "/", due=due).body
        form = PageParser(body).form(lambda f: f.action == self.exam.start_path)
        self.token = load.csrf_from(self.client, "home", form)
        self.step = self.start
        return 0.0

    def start(self, due: float) -> float:
        """Press Start: the reply redirects to the first question."""
        client = self.client
        reply = client.request(
            "start", "POST", self.exam.start_path, [("csrf_token", self.token)], 302, due
        )
        match = client.redirect_path("start", reply, ATTEMPT_PATH)
        self.attempt_id, self.path = int(match.group(1)), match.group(0)
        self.position = int(match.group(2))
        with self.outcome.lock:
            self.outcome.started.add(self.attempt_id)
        self.progress.change(+1)
        self.step = self.question
        return 0.0

    def question(self, due: float) -> float:
        """Load the question page, then think before answering."""
        self.seen += 1
        if self.seen > self.exam.questions:
            self.client.stats.error("feedback", f"{self.path}: more questions than the exam has")
            raise FlowError
        body = self.client.request("question", "GET", self.path, due=due).body
        form = PageParser(body).form(lambda f: not f.action)
        self.fields, self.answer = load.answer_fields(self.client, form, self.rng)
        self.step = self.submit
        return self.rng.uniform(self.exam.think_min, self.exam.think_max)

    def submit(self, due: float) -> float:
        """POST the answer; its redirect is the acknowledgement (checked for integrity)."""
        client = self.client
        reply = client.request("answer", "POST", self.path, self.fields, 302, due)
        client.redirect_path("answer", reply, ATTEMPT_PATH)
        with self.outcome.lock:
            self.outcome.answers.append((self.attempt_id, self.position, tuple(self.answer)))
        self.step = self.feedback
        return 0.0

    def feedback(self, due: float) -> float:
        """Read the feedback ("Answer recorded.": the review opens after the attempt), then go
        to the next question or, after the last, to the finish form."""
        client = self.client
        body = client.request("feedback", "GET", self.path, due=due).body
        if 'class="flash error"' in body or 'class="verdict recorded"' not in body:
            client.stats.error("feedback", f"GET {self.path}: {load.page_problem(body)}")
            raise FlowError
        page = PageParser(body)
        nexts = [m for m in map(ATTEMPT_PATH.match, page.links) if m is not None]
        nexts = [m for m in nexts if int(m.group(2)) != self.position]  # not the nav's own
        finish = page.form(lambda f: bool(f.action and FINISH_PATH.match(f.action)))
        if nexts and finish is None:
            self.path, self.position = nexts[0].group(0), int(nexts[0].group(2))
            self.step = self.question
        elif finish is not None and finish.action:
            self.finish_path = finish.action
            self.token = load.csrf_from(client, "feedback", finish)
            self.step = self.finish
        else:
            client.stats.error("feedback", f"GET {self.path}: neither a next question nor finish")
            raise FlowError
        return 0.0

    def finish(self, due: float) -> float:
        """POST the finish form; it redirects to the attempt's review."""
        client = self.client
        reply = client.request(
            "finish", "POST", self.finish_path, [("csrf_token", self.token)], 302, due
        )
        client.redirect_path("finish", reply, REVIEW_PATH)
        with self.outcome.lock:
            self.outcome.finished.add(self.attempt_id)
        self.progress.change(-1)
        self.step = self.review
        return 0.0

    def review(self, due: float) -> float | None:
        """Read the review of the finished attempt: the learner is done."""
        self.client.request("review", "GET", f"/attempts/{self.attempt_id}", due=due)
        with self.outcome.lock:
            self.outcome.learners_done += 1
        return None

    def run_step(self, due: float) -> float | None:
        """The next step; a failed request or the deadline ends this learner (counted)."""
        try:
            return self.step(due)
        except FlowError:
            with self.outcome.lock:
                self.outcome.learners_failed += 1
        except load.DeadlineReached:
            with self.outcome.lock:
                self.outcome.learners_cut += 1
        return None


class OpenLoop:
    """Open-loop driver: a heap of (due, learner) served by a bounded pool of client threads.

    The calling thread moves each step onto a ready queue when it is due; `threads` workers
    send them. When every worker is busy waiting on a slow server, due steps wait in the queue,
    and since latencies run from the due time, that wait is counted as latency. Times are
    `time.perf_counter()` values.
    """

    def __init__(self, threads: int, deadline: float) -> None:
        self.threads = threads
        self.deadline = deadline  # time.monotonic()
        self.heap: list[tuple[float, int, ExamLearner]] = []
        self.cond = threading.Condition()
        self.ready: queue.SimpleQueue[tuple[float, int, ExamLearner] | None] = queue.SimpleQueue()
        self.order = itertools.count()
        self.live = 0  # learners not done yet
        self.lags: list[float] = []  # seconds from due to sent, per request

    def add(self, due: float, learner: ExamLearner) -> None:
        """Schedule a learner's first step."""
        with self.cond:
            heapq.heappush(self.heap, (due, next(self.order), learner))
            self.live += 1
            self.cond.notify()

    def run(self) -> int:
        """Serve every step until all learners are done or the deadline; return how many
        learners were still waiting for a step at the deadline."""
        workers = [threading.Thread(target=self._work, daemon=True) for _ in range(self.threads)]
        for worker in workers:
            worker.start()
        with self.cond:
            while self.live and time.monotonic() < self.deadline:
                now = time.perf_counter()
                while self.heap and self.heap[0][0] <= now:
                    self.ready.put(heapq.heappop(self.heap))
                wait = self.heap[0][0] - now if self.heap else 1.0
                self.cond.wait(min(wait, 1.0, max(self.deadline - time.monotonic(), 0.0)))
            waiting = len(self.heap)
        for _ in workers:
            self.ready.put(None)
        for worker in workers:
            # Requests time out by the deadline, so the threads end; the margin is a safety net.
            worker.join(timeout=max(0.0, self.deadline - time.monotonic()) + 30)
        return waiting

    def _work(self) -> None:
        while (item := self.ready.get()) is not None:
            due, _order, learner = item
            lag = time.perf_counter() - due
            delay = learner.run_step(due)
            with self.cond:
                self.lags.append(lag)
                if delay is None:
                    self.live -= 1
                else:
                    heapq.heappush(
                        self.heap, (time.perf_counter() + delay, next(self.order), learner)
                    )
                self.cond.notify()


def warm_up(crowd: list[ExamLearner], logged_in: list[bool], workers: int, deadline: float) -> None:
    """Load the home page a few times at once before the window, unmeasured and with no CSRF
    token kept, so that each worker has built what it builds on its first home page (several
    seconds on a busy machine) as a server that has been up for a while would have."""
    ready = [learner for learner, ok in zip(crowd, logged_in, strict=True) if ok]
    if not ready:
        return
    stats = load.Stats(["home"])

    def home(index: int) -> None:
        learner = ready[index % len(ready)]
        client = load.Client(learner.exam.port, stats, deadline, learner.exam.timeout)
        client.cookies = dict(learner.client.cookies)  # its session; its own jar stays as it is
        with contextlib.suppress(FlowError, load.DeadlineReached):
            client.request("home", "GET", "/")

    started = time.perf_counter()
    jobs = 3 * workers
    load.run_threads(jobs, jobs, home, deadline)
    print(
        f"warm-up: {jobs} home pages at once in {time.perf_counter() - started:.1f} s "
        f"(not measured), {stats.total_errors()} errors"
    )


# ---------------------------------------------------------------------------------------------
# Seeding


def seed_exam(database_url: str, learners: int, questions: int, tag: str, seed: int) -> int:
    """A teacher, a class of `learners` learners and one assignment (same questions for
    everyone, one attempt, review after the attempt), through the app's services; return the
    assignment's id. The learners are named `exam-<tag>-<i>` and share one password hash."""
    from werkzeug.security import generate_password_hash

    from quizapp import create_app
    from quizapp.core.assignment_rules import AFTER_ATTEMPT
    from quizapp.extensions import db
    from quizapp.models import Bank, User
    from quizapp.services import classes, users
    from quizapp.services.assignments import (
        AssignmentError,
        AssignmentSettings,
        create_assignment,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secrets.token_hex()})
    with app.app_context():
        try:
            teacher = users.create_user(f"exam-{tag}-teacher", load.PASSWORD, role="teacher")
            school_class = classes.create_class(teacher, f"Exam {tag}")
            bank = db.session.scalar(db.select(Bank).where(Bank.slug == load.BANK_SLUG))
            if bank is None:
                raise RuntimeError(f"bank {load.BANK_SLUG} is missing after flask setup")
            settings = AssignmentSettings(
                title=f"Exam {tag}",
                bank_id=bank.id,
                language="en",
                types=EXAM_TYPES,
                count=questions,
                attempts_allowed=1,
                same_questions=True,
                review=AFTER_ATTEMPT,
            )
            try:
                assignment = create_assignment(teacher, school_class, settings, seed=seed)
            except AssignmentError as error:
                raise RuntimeError(f"cannot make the assignment: {error}") from None
            assignment_id, code = assignment.id, school_class.join_code
            db.session.commit()
            password_hash = generate_password_hash(load.PASSWORD)
            accounts = [
                User(name=learner_name(tag, i), role="student", password_hash=password_hash)
                for i in range(learners)
            ]
            db.session.add_all(accounts)
            db.session.commit()
            for account in accounts:
                classes.join_class(account, code)
            db.session.commit()
            return assignment_id
        finally:
            db.session.remove()
            db.engine.dispose()


def learner_name(tag: str, index: int) -> str:
    """A seeded learner's user name."""
    return f"exam-{tag}-{index:05d}"


# ---------------------------------------------------------------------------------------------
# One run


@dataclass
class ExamResult:
    """What one class size gave."""

    learners: int
    done: int = 0
    errors: int = 0
    problems: int = 0
    p95: dict[str, float] = field(default_factory=dict)  # seconds, per endpoint
    requests: int = 0
    seconds: float = 0.0
    peak: int = 0
    passed: bool = False

    def line(self) -> str:
        """One line: the size, the verdict and each endpoint's p95."""
        worst = max(self.p95.values(), default=math.nan)
        figures = ", ".join(f"{key} {1000 * p:.0f}" for key, p in self.p95.items())
        rate = self.requests / self.seconds if self.seconds else math.nan
        return (
            f"{self.learners:>6} learners: {'PASS' if self.passed else 'FAIL'}; "
            f"{self.done} finished, {self.errors} errors, {self.problems} integrity problems, "
            f"peak {self.peak} at once, {rate:.1f} req/s; worst p95 {1000 * worst:.0f} ms "
            f"(p95 ms: {figures})"
        )


def run_exam(args: argparse.Namespace, learners: int) -> ExamResult:
    """Start a server on a fresh database, seed, log in, run the exam, report; stop it all."""
    result = ExamResult(learners)
    tag = secrets.token_hex(3)
    deadline_seconds = args.deadline or (args.spread + args.questions * (args.think_max + 60) + 300)
    run_deadline = time.monotonic() + deadline_seconds
    port = args.port or load.free_port()
    workdir = Path(tempfile.mkdtemp(prefix="quizapp-exam-"))
    pg_name = f"quizapp_exam_{tag}"
    pg_created = False
    server: subprocess.Popen | None = None
    print(
        f"\nexam: learners={learners} questions={args.questions} "
        f"think={args.think_min:g}-{args.think_max:g}s spread={args.spread:g}s "
        f"workers={args.workers} threads={args.threads} database={args.database} seed={args.seed} "
        f"deadline={deadline_seconds:.0f}s"
    )
    try:
        if args.database == "sqlite":
            database_url = f"sqlite:///{workdir / 'exam.sqlite3'}"
        else:
            database_url = load.create_pg_database(args.pg_url, pg_name)
            pg_created = True
        env = load.server_environment(database_url)
        load.run_setup(env, workdir / "setup.log")
        started = time.perf_counter()
        assignment_id = seed_exam(database_url, learners, args.questions, tag, args.seed)
        print(
            f"seeded: {load.database_version(database_url)}, a class of {learners}, assignment "
            f"{assignment_id} ({args.questions} questions) in {time.perf_counter() - started:.1f} s"
        )
        server = load.start_server(env, port, args.workers, workdir / "gunicorn.log")
        ready = load.wait_ready(server, port)
        print(
            f"server: gunicorn, {args.workers} workers on {load.HOST}:{port}, "
            f"ready in {ready:.1f} s"
        )

        exam = Exam(
            port,
            assignment_id,
            args.questions,
            args.think_min,
            args.think_max,
            args.seed,
            run_deadline,
            args.timeout,
        )
        login_stats = load.Stats(LOGIN_ENDPOINTS)
        outcome = load.Outcome()
        progress = Progress()
        names = [learner_name(tag, i) for i in range(learners)]
        crowd = [
            ExamLearner(i, name, exam, login_stats, outcome, progress)
            for i, name in enumerate(names)
        ]
        logged_in = [False] * learners

        def log_in(index: int) -> None:
            try:
                crowd[index].log_in()
                logged_in[index] = True
            except (FlowError, load.DeadlineReached):
                pass

        seconds = load.run_threads(min(LOGIN_THREADS, learners), learners, log_in, run_deadline)
        print(f"logged in: {sum(logged_in)} of {learners} in {seconds:.1f} s (before the window)")
        warm_up(crowd, logged_in, args.workers, run_deadline)

        loop = OpenLoop(args.threads, run_deadline)
        offsets = random.Random(args.seed)
        window_start = time.perf_counter() + 1.0
        stats = ExamStats(window_start, args.spread)
        for learner, ready_ in zip(crowd, logged_in, strict=True):
            if ready_:
                learner.client.stats = stats
                loop.add(window_start + offsets.uniform(0, args.spread), learner)
        before = load.cpu_sample()
        waiting = loop.run()
        window = time.perf_counter() - window_start
        usage = load.cpu_usage(before, load.cpu_sample())
        load.stop_server(server)
        server = None

        result.done, result.peak, result.seconds = outcome.learners_done, progress.peak, window
        result.requests = sum(len(s.latencies) for s in stats.endpoints.values())
        result.errors = stats.total_errors() + login_stats.total_errors()
        result.p95 = {
            key: load.percentile(sorted(s.latencies), 95)
            for key, s in stats.endpoints.items()
            if s.latencies
        }
        print(
            f"window: {window:.1f} s; {outcome.learners_done} finished, "
            f"{outcome.learners_failed} failed, {outcome.learners_cut + waiting} cut by the "
            f"deadline; {progress.peak} in the exam at once; {usage}"
        )
        report(stats, login_stats, loop.lags, result, workdir / "gunicorn.log")
        problems, note = load.check_integrity(database_url, outcome)
        result.problems = len(problems)
        print(f"integrity: {'OK (' + note + ')' if not problems else 'PROBLEMS'}")
        for problem in problems:
            print(f"  {problem}")
        worst = max(result.p95.values(), default=math.inf)
        result.passed = (
            result.errors == 0
            and not problems
            and result.done == learners
            and worst < args.p95_ms / 1000
        )
        print(
            f"verdict: p95 under {args.p95_ms:g} ms on every endpoint with no error: "
            f"{'YES' if result.passed else 'NO'} (worst p95 {1000 * worst:.0f} ms)"
        )
        return result
    finally:
        if server is not None:
            load.stop_server(server)
        if pg_created:
            load.drop_pg_database(args.pg_url, pg_name)
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(
    stats: ExamStats,
    login_stats: load.Stats,
    lags: list[float],
    result: ExamResult,
    log: Path,
) -> None:
    """Print the latency table, the client's lag, the errors and the server's log summary."""
    print(
        f"requests: {result.requests} in {result.seconds:.1f} s = "
        f"{result.requests / max(result.seconds, 1e-9):.1f} req/s; latency from when each "
        f"request was due (client lag included)"
    )
    for line in load.format_table(stats, {}, EXAM_ENDPOINTS):
        print(line)
    print(
        f"by phase (every endpoint together): during the starts (first "
        f"{stats.spread:g} s) "
        + phase_figures(stats.by_phase["starts"])
        + "; after them "
        + phase_figures(stats.by_phase["after"])
    )
    ordered = sorted(lags)
    print(
        "client lag (due -> sent): "
        + ", ".join(f"p{p} {1000 * load.percentile(ordered, p):.1f} ms" for p in (50, 95, 99))
        + (f", max {1000 * ordered[-1]:.1f} ms" if ordered else "")
    )
    for kind, table in (("exam", stats), ("login", login_stats)):
        for label, endpoint in table.endpoints.items():
            for example in endpoint.examples:
                print(f"  error ({kind}) {label}: {example}")
    print(f"errors: {result.errors}")
    counts, examples = load.server_log_summary(log)
    print("server log: " + ", ".join(f"{count} {label}" for label, count in counts.items()))
    for example in examples:
        print(f"  {example}")
    shares, means = load.server_time_shares(log)
    print(f"server time by endpoint: {shares}")
    print(f"server time per request (mean, as the app logs it): {means}")


def phase_figures(latencies: list[float]) -> str:
    """ "N requests, p50 A / p95 B / p99 C ms" for one phase."""
    ordered = sorted(latencies)
    figures = " / ".join(f"{1000 * load.percentile(ordered, p):.0f}" for p in (50, 95, 99))
    return f"{len(ordered)} requests, p50/p95/p99 {figures} ms"


# ---------------------------------------------------------------------------------------------
# Main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500, help="class size (500)")
    parser.add_argument("--questions", type=int, default=10, help="questions, 5 to 50 (10)")
    parser.add_argument("--think-min", type=float, default=30.0, help="seconds (30)")
    parser.add_argument("--think-max", type=float, default=90.0, help="seconds (90)")
    parser.add_argument("--spread", type=float, default=60.0, help="starts over seconds (60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=200, help="client threads (200)")
    parser.add_argument("--seed", type=int, default=1, help="think times, starts, answers (1)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=load.DEFAULT_PG_URL,
        help=f"admin URL, used to create and drop a database for each run ({load.DEFAULT_PG_URL})",
    )
    parser.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds (60)")
    parser.add_argument(
        "--deadline",
        type=float,
        default=0.0,
        help="seconds per run (0: spread + questions * (think-max + 60) + 300)",
    )
    parser.add_argument("--p95-ms", type=float, default=300.0, help="the p95 goal (300)")
    parser.add_argument(
        "--find-max", action="store_true", help="run --sizes in turn until one fails"
    )
    parser.add_argument(
        "--sizes",
        default="250,500,1000,2000,4000",
        help="class sizes for --find-max (250,500,1000,2000,4000)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args(argv)
    try:
        args.size_list = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error("--sizes is a comma-separated list of class sizes")
    if args.learners < 1 or args.workers < 1 or args.threads < 1 or min(args.size_list) < 1:
        parser.error("--learners, --sizes, --workers and --threads must be positive")
    if not 5 <= args.questions <= 50:
        parser.error("--questions is 5 to 50, as for any assignment")
    if not 0 <= args.think_min <= args.think_max or args.spread < 0 or args.timeout <= 0:
        parser.error("need 0 <= --think-min <= --think-max, --spread >= 0, --timeout > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run one class, or growing classes with --find-max; return the exit status."""
    args = parse_args(argv)
    cores = os.cpu_count() or 1
    before = load.cpu_sample()
    time.sleep(1)
    print("quizapp exam load test")
    print(
        f"machine: {cores} cores ({len(os.sched_getaffinity(0))} usable), "
        f"{platform.platform()}, Python {platform.python_version()}; before the run: "
        f"{load.cpu_usage(before, load.cpu_sample())}; Moodle's figure for {cores} cores: "
        f"~{MOODLE_PER_CPU * cores} takers; the issue's goal: {GOAL_PER_CORE * cores}"
    )
    sizes = args.size_list if args.find_max else [args.learners]
    results: list[ExamResult] = []
    try:
        for size in sizes:
            results.append(run_exam(args, size))
            if not results[-1].passed:
                break
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        print(f"exam load test aborted: {error}", file=sys.stderr)
        return 2
    print(f"\nsummary ({args.database}, {args.workers} workers, {cores} cores):")
    for result in results:
        print(result.line())
    passed = [result.learners for result in results if result.passed]
    if args.find_max:
        largest = max(passed, default=0)
        print(
            f"largest class served with p95 < {args.p95_ms:g} ms and no error: {largest} "
            f"learners ({largest / cores:.0f} per core)"
        )
        return 0 if passed else 1
    return 0 if len(passed) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())

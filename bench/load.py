"""Load test: simulated learners register, take a quiz and finish it against a real gunicorn.

The script starts gunicorn on 127.0.0.1 on a fresh database (SQLite in a temporary folder, or a
PostgreSQL database created for the run and dropped after it), first hammers GET /healthz as the
baseline, then runs the learners. Each learner registers, starts a quiz, answers every question
(question page, answer, feedback) and finishes the attempt, every step a real request with its
own session cookie and CSRF tokens, as a browser would send them.

How the answer-submit throughput is measured (--mode):

- rounds (the default): the class moves in lock-step, as in a classroom where everyone answers
  the same question number at about the same time. Everyone joins (register, home, start);
  then, for each question, everyone loads the question page, then everyone submits the answer,
  then everyone reads the feedback; then everyone finishes. Each step runs as a phase of its
  own on the same client threads, timed from its first request to its last reply. The
  answer-submit throughput is the number of acknowledged answer POSTs divided by the time of
  the answer steps: the answer endpoint's throughput while the server was serving answers
  only, not diluted by the registrations (password hashing), pages and feedback that every
  learner must also go through. The same learners, answers and database writes as in free
  mode; nothing is cached or skipped.
- free: each learner goes through its quiz at its own pace, `threads` learners at a time;
  the answer figure is the answer POSTs over the whole learner phase.
- exam: a class in the shape of a real exam (Moodle's load-test shape): learners logged in
  beforehand start the same assignment within a minute, think 30-90 s on each question page,
  driven open-loop. It lives in bench/exam_load.py, which reuses this module's server, client
  and report; `--mode exam` hands every other option over to it (see its --help).

The /healthz baseline runs before and again after the learners; the answers are compared with
the higher of the two rates, so that other work on the machine during one of them cannot flatter
the share. Both modes also print the plain learner-phase figure (answers over the whole learner
phase, registration included), p50/p95/p99 latency per endpoint, the errors, the server's own
time per endpoint from its request log, in rounds the CPU time gunicorn's processes spent per
request of each step (a figure other load on the machine hardly moves; on PostgreSQL the
database server's own processes are not in it), and an integrity check read straight from the
database: every acknowledged answer is stored exactly once, and every finished attempt's score
is the sum of its answers' points. It exits non-zero on any error or integrity problem.

    .venv/bin/python bench/load.py [--learners 200] [--think 0] [--questions 10] [--workers 4]
        [--database sqlite|postgresql] [--pg-url URL] [--port 0] [--baseline-seconds 10]
        [--threads 64] [--timeout 60] [--deadline 600] [--mode rounds|free|exam] [--keep]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import itertools
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BANK_SLUG = "romania-ww2"
HEALTH_PATH = "/healthz"
HOST = "127.0.0.1"  # the only host this script ever talks to
LOAD_DATABASE = "quizapp_load"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "load-test-password"
TEXT_ANSWER = "1944"  # valid for every typed question (text, date or number): usually wrong
HIGH_LIMIT = "1000000 per minute"  # the app's rate limits must never throttle the simulation
RATE_LIMIT_VARIABLES = (
    "QUIZAPP_RATELIMIT_LOGIN",
    "QUIZAPP_RATELIMIT_REGISTER",
    "QUIZAPP_RATELIMIT_WRONG_ANSWERS",
    "QUIZAPP_RATELIMIT_START",
)
EXAMPLES_PER_ENDPOINT = 3
# The learner steps that, in rounds, are timed over their own steps.
STEP_ENDPOINTS = ("question", "answer", "feedback")

# Endpoint key -> label in the table. The required ones are register, start, question, answer,
# feedback, finish and healthz; the two page reads that carry CSRF tokens are reported as well.
ENDPOINTS: dict[str, str] = {
    "register_page": "register page  GET /register",
    "register": "register       POST /register",
    "home": "home           GET /",
    "start": "start          POST /banks/<slug>/start",
    "question": "question page  GET /attempts/<id>/q/<n>",
    "answer": "answer         POST /attempts/<id>/q/<n>",
    "feedback": "feedback       GET /attempts/<id>/q/<n>",
    "finish": "finish         POST /attempts/<id>/finish",
    "healthz": "healthz        GET /healthz (baseline)",
}

ATTEMPT_PATH = re.compile(r"^/attempts/(\d+)/q/(\d+)$")
FINISH_PATH = re.compile(r"^/attempts/(\d+)/finish$")
REVIEW_PATH = re.compile(r"^/attempts/(\d+)$")


class DeadlineReached(Exception):
    """The global deadline passed: stop quietly, the run is reported as cut short."""


class FlowError(Exception):
    """A request failed (already counted): this learner cannot go on."""


# ---------------------------------------------------------------------------------------------
# Measurements


@dataclass
class EndpointStats:
    """Latencies of the successful requests to one endpoint, and its errors."""

    latencies: list[float] = field(default_factory=list)
    first_start: float = math.inf
    last_end: float = -math.inf
    errors: int = 0
    examples: list[str] = field(default_factory=list)


class Stats:
    """Thread-safe per-endpoint measurements (the endpoints of this run's table)."""

    def __init__(self, endpoints: Iterable[str] = ENDPOINTS) -> None:
        self.lock = threading.Lock()
        self.endpoints = {key: EndpointStats() for key in endpoints}

    def success(self, endpoint: str, started: float, ended: float) -> None:
        """Record one successful request and its latency."""
        with self.lock:
            stats = self.endpoints[endpoint]
            stats.latencies.append(ended - started)
            stats.first_start = min(stats.first_start, started)
            stats.last_end = max(stats.last_end, ended)

    def error(self, endpoint: str, message: str) -> None:
        """Count one failed request; keep the first few messages as examples."""
        with self.lock:
            stats = self.endpoints[endpoint]
            stats.errors += 1
            if len(stats.examples) < EXAMPLES_PER_ENDPOINT:
                stats.examples.append(message)

    def total_errors(self) -> int:
        """Errors over every endpoint."""
        with self.lock:
            return sum(stats.errors for stats in self.endpoints.values())


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list (share in 0..100)."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


# ---------------------------------------------------------------------------------------------
# HTTP client: http.client, one connection per request (gunicorn's sync workers close every
# connection anyway), cookies kept per simulated user, redirects never followed automatically.


@dataclass
class Reply:
    """A response read in full."""

    status: int
    location: str | None
    body: str


@dataclass
class Form:
    """A parsed HTML form: its action, inputs (attribute dicts) and selects (option values)."""

    action: str | None
    method: str
    inputs: list[dict[str, str | None]] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)

    def hidden(self, name: str) -> str | None:
        """The value of a hidden input, e.g. the CSRF token."""
        for attrs in self.inputs:
            if attrs.get("type") == "hidden" and attrs.get("name") == name:
                return attrs.get("value") or ""
        return None


class PageParser(HTMLParser):
    """The forms and links of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect forms with their inputs and select options, and link targets."""
        values = dict(attrs)
        if tag == "form":
            self._form = Form(values.get("action"), values.get("method") or "get")
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif self._form is None:
            return
        elif tag == "input":
            self._form.inputs.append(values)
        elif tag == "select" and values.get("name"):
            self._select = values["name"] or ""
            self._form.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self._form.selects[self._select].append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        """Close the current form or select."""
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None

    def form(self, predicate: Callable[[Form], bool]) -> Form | None:
        """The first form that matches."""
        return next((form for form in self.forms if predicate(form)), None)


def page_problem(body: str) -> str:
    """A short description of an unexpected page: its title and any form or flash errors."""
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    errors = re.findall(r'<ul class="errors"[^>]*>(.*?)</ul>', body, re.S)
    flashes = re.findall(r'<li class="flash error">(.*?)</li>', body, re.S)
    parts = [title.group(1).strip() if title else body[:120].strip()]
    parts += [re.sub(r"<[^>]+>", " ", text).strip() for text in errors + flashes]
    return re.sub(r"\s+", " ", " | ".join(part for part in parts if part))[:200]


class Client:
    """One simulated browser: a cookie jar and timed requests to 127.0.0.1 only."""

    def __init__(self, port: int, stats: Stats, deadline: float, timeout: float) -> None:
        self.port = port
        self.stats = stats
        self.deadline = deadline
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self,
        endpoint: str,
        method: str,
        path: str,
        fields: Iterable[tuple[str, str]] | None = None,
        expect: int = 200,
        due: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request, time it, and count it as a success or an error (then raise).

        `headers`: extra request headers (bench/live.py's answers ask for the new stage).

        `due` (a `time.perf_counter()` value): when the request was meant to leave. An
        open-loop driver passes it so that the latency runs from then, not from when a client
        thread got round to sending it: time spent waiting for a free thread behind a slow
        server counts as latency, as the learner would feel it.
        """
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineReached
        headers = {"Connection": "close", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(list(fields)).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(
            HOST, self.port, timeout=min(self.timeout, remaining)
        )
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            if time.monotonic() >= self.deadline:
                # Cut off by the global deadline (the timeout was clamped to it): not an error
                # of the server, the run is reported as cut short instead.
                raise DeadlineReached from error
            self.stats.error(endpoint, f"{method} {path}: {type(error).__name__}: {error}")
            raise FlowError from error
        finally:
            connection.close()
        ended = time.perf_counter()
        if due is not None:
            started = min(started, due)
        for header in response.headers.get_all("Set-Cookie") or []:
            self._keep_cookies(header)
        reply = Reply(
            response.status, response.getheader("Location"), data.decode("utf-8", "replace")
        )
        if reply.status != expect:
            self.stats.error(
                endpoint,
                f"{method} {path}: HTTP {reply.status} (expected {expect}): "
                f"{page_problem(reply.body)}",
            )
            raise FlowError
        self.stats.success(endpoint, started, ended)
        return reply

    def redirect_path(self, endpoint: str, reply: Reply, pattern: re.Pattern[str]) -> re.Match[str]:
        """The local path a redirect points to, which must match `pattern`."""
        parts = urlsplit(reply.location or "")
        # A redirect elsewhere than this server is an error: traffic goes to 127.0.0.1 only.
        if parts.netloc and parts.netloc != f"{HOST}:{self.port}":
            self.stats.error(endpoint, f"redirect off this server: {reply.location}")
            raise FlowError
        match = pattern.match(parts.path)
        if match is None:
            self.stats.error(endpoint, f"unexpected redirect to {reply.location!r}")
            raise FlowError
        return match

    def _keep_cookies(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


# ---------------------------------------------------------------------------------------------
# One learner


@dataclass
class Outcome:
    """What the learners saw acknowledged, for the integrity check."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: list[tuple[int, int, tuple[tuple[str, str], ...]]] = field(default_factory=list)
    started: set[int] = field(default_factory=set)
    finished: set[int] = field(default_factory=set)
    learners_done: int = 0
    learners_failed: int = 0
    learners_cut: int = 0


@dataclass(frozen=True)
class Plan:
    """The settings every learner follows."""

    port: int
    run_tag: str
    questions: int
    think: float
    deadline: float
    timeout: float


def think(plan: Plan) -> None:
    """Pause between actions like a reader would, never past the deadline."""
    if plan.think > 0:
        pause = min(plan.think, plan.deadline - time.monotonic())
        if pause <= 0:
            raise DeadlineReached
        time.sleep(pause)


def csrf_from(client: Client, endpoint: str, form: Form | None, name: str = "csrf_token") -> str:
    """The CSRF token of a form that must be on the page."""
    token = form.hidden(name) if form is not None else None
    if not token:
        client.stats.error(endpoint, f"no form with a {name} on the page")
        raise FlowError
    return token


def start_fields(
    client: Client, form: Form | None, language: str, count: int
) -> list[tuple[str, str]]:
    """Fill the bank's start form like a browser: language, count, every type, other defaults."""
    if form is None:
        client.stats.error("home", f"no start form for {BANK_SLUG} on the home page")
        raise FlowError
    fields: list[tuple[str, str]] = []
    for attrs in form.inputs:
        name, kind = attrs.get("name") or "", attrs.get("type") or "text"
        # Hidden: the prefixed CSRF token; checkboxes: the question types, all of them.
        if kind in ("hidden", "checkbox"):
            fields.append((name, attrs.get("value") or ""))
        elif name.endswith("-count"):
            fields.append((name, str(count)))
        elif name and kind not in ("radio", "submit", "button"):
            fields.append((name, attrs.get("value") or ""))  # as a browser sends a default
    for name, options in form.selects.items():
        if name.endswith("-language"):
            if language not in options:
                client.stats.error("home", f"language {language!r} not offered: {options}")
                raise FlowError
            fields.append((name, language))
    return fields


def answer_fields(
    client: Client, form: Form | None, rng: random.Random
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every hidden input, as a browser sends them, and a valid answer for any question type.

    Returns (all the fields to post, the answer fields alone).
    """
    if form is None:
        client.stats.error("question", "no answer form on the question page")
        raise FlowError
    csrf_from(client, "question", form)  # the page must carry a CSRF token
    hidden = [
        (attrs.get("name") or "", attrs.get("value") or "")
        for attrs in form.inputs
        if attrs.get("type") == "hidden" and attrs.get("name")
    ]
    answer: list[tuple[str, str]] = []
    radios = [a.get("value") or "" for a in form.inputs if a.get("type") == "radio"]
    texts = [a for a in form.inputs if a.get("name") == "answer" and a.get("type") == "text"]
    selects = {name: [v for v in values if v] for name, values in form.selects.items()}
    if radios:  # multiple choice, true/false: a random option, so that scores vary
        answer.append(("answer", rng.choice(radios)))
    elif texts:  # cloze, short, numeric
        answer.append(("answer", TEXT_ANSWER))
    elif selects and all(selects.values()):
        # order (place_i) and match (pair_i): a random permutation, so some land in place and
        # the attempt earns fractional points, which the score check then has to add up.
        values = next(iter(selects.values()))
        shuffled = rng.sample(values, len(values))
        for index, name in enumerate(selects):
            answer.append((name, shuffled[index % len(shuffled)]))
    else:
        client.stats.error("question", f"unknown answer inputs: {form.inputs} {form.selects}")
        raise FlowError
    return hidden + answer, answer


class Learner:
    """One simulated learner, step by step: join (register, start), then per question its page,
    its answer and its feedback, then finish. A step that fails raises FlowError (counted)."""

    def __init__(self, index: int, plan: Plan, stats: Stats, outcome: Outcome) -> None:
        self.index = index
        self.plan = plan
        self.outcome = outcome
        self.client = Client(plan.port, stats, plan.deadline, plan.timeout)
        self.rng = random.Random(index)
        self.attempt_id = 0
        self.current: re.Match[str] | None = None  # the next question's path, if any
        self.questions_seen = 0
        self.fields: list[tuple[str, str]] = []
        self.answer: list[tuple[str, str]] = []
        self.feedback_path = ""
        self.finish_path: str | None = None
        self.finish_token = ""

    @property
    def has_question(self) -> bool:
        """Whether a question is still to be answered (bounded: a quiz has `questions` items)."""
        return self.current is not None and self.questions_seen < self.plan.questions + 2

    def join(self) -> None:
        """Register, read the home page, start a quiz; remember the first question's path."""
        client, plan = self.client, self.plan
        page = PageParser(client.request("register_page", "GET", "/register").body)
        token = csrf_from(client, "register_page", page.form(lambda f: f.action is None))
        think(plan)
        name = f"load-{plan.run_tag}-{self.index:04d}"
        reply = client.request(
            "register",
            "POST",
            "/register",
            [("csrf_token", token), ("name", name), ("password", PASSWORD), ("confirm", PASSWORD)],
            expect=302,
        )
        client.redirect_path("register", reply, re.compile(r"^/$"))

        start_path = f"/banks/{BANK_SLUG}/start"
        page = PageParser(client.request("home", "GET", "/").body)
        language = ("en", "es")[self.index % 2]
        form = page.form(lambda f: f.action == start_path)
        fields = start_fields(client, form, language, plan.questions)
        think(plan)
        reply = client.request("start", "POST", start_path, fields, expect=302)
        self.current = client.redirect_path("start", reply, ATTEMPT_PATH)
        self.attempt_id = int(self.current.group(1))
        with self.outcome.lock:
            self.outcome.started.add(self.attempt_id)

    def load_question(self) -> None:
        """GET the current question page and fill its form (hidden inputs and an answer)."""
        assert self.current is not None
        self.questions_seen += 1
        page = PageParser(self.client.request("question", "GET", self.current.group(0)).body)
        self.fields, self.answer = answer_fields(
            self.client, page.form(lambda f: not f.action), self.rng
        )
        think(self.plan)

    def submit_answer(self) -> None:
        """POST the answer; its redirect (302) is the acknowledgement the learner relies on."""
        assert self.current is not None
        path, position = self.current.group(0), int(self.current.group(2))
        reply = self.client.request("answer", "POST", path, self.fields, expect=302)
        self.feedback_path = self.client.redirect_path("answer", reply, ATTEMPT_PATH).group(0)
        with self.outcome.lock:
            self.outcome.answers.append((self.attempt_id, position, tuple(self.answer)))

    def read_feedback(self) -> None:
        """GET the feedback; find the next question's link or, after the last, the finish form."""
        client = self.client
        feedback = client.request("feedback", "GET", self.feedback_path)
        if 'class="flash error"' in feedback.body:
            client.stats.error(
                "feedback", f"GET {self.feedback_path}: {page_problem(feedback.body)}"
            )
            raise FlowError
        page = PageParser(feedback.body)
        nexts = [m for m in map(ATTEMPT_PATH.match, page.links) if m is not None]
        finish = page.form(lambda f: bool(f.action and FINISH_PATH.match(f.action)))
        self.current = nexts[0] if nexts else None
        if self.current is None and finish is not None:
            self.finish_path = finish.action
            self.finish_token = csrf_from(client, "feedback", finish)
        think(self.plan)

    def finish(self) -> None:
        """POST the finish form, which must lead to the review page."""
        client = self.client
        if self.finish_path is None:
            client.stats.error(
                "feedback", f"attempt {self.attempt_id}: no finish form after the questions"
            )
            raise FlowError
        reply = client.request(
            "finish", "POST", self.finish_path, [("csrf_token", self.finish_token)], expect=302
        )
        client.redirect_path("finish", reply, REVIEW_PATH)
        with self.outcome.lock:
            self.outcome.finished.add(self.attempt_id)
            self.outcome.learners_done += 1

    def take_quiz(self) -> None:
        """The whole flow at the learner's own pace (the free-running mode)."""
        self.join()
        while self.has_question:
            self.load_question()
            self.submit_answer()
            self.read_feedback()
        self.finish()


def guarded(learner: Learner, step: Callable[[], None]) -> bool:
    """Run one step; on failure or at the deadline count the learner out; True if it went on."""
    try:
        step()
    except FlowError:
        with learner.outcome.lock:
            learner.outcome.learners_failed += 1
        return False
    except DeadlineReached:
        with learner.outcome.lock:
            learner.outcome.learners_cut += 1
        return False
    return True


@dataclass(frozen=True)
class Baseline:
    """One run of the /healthz baseline."""

    seconds: float
    requests: int
    server_cpu: float  # CPU seconds of the server's processes meanwhile

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        return self.requests / self.seconds if self.seconds > 0 else math.nan


@dataclass
class LearnerPhase:
    """The learner phase's wall time and, in rounds, the time spent in each kind of step."""

    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)
    step_server_cpu: dict[str, float] = field(default_factory=dict)  # server CPU seconds
    rounds: int = 0


def run_free(
    learners: list[Learner], threads: int, deadline: float, server_cpu: Callable[[], float]
) -> LearnerPhase:
    """Every learner takes its quiz at its own pace, `threads` learners at a time."""
    seconds = run_threads(
        threads, len(learners), lambda i: guarded(learners[i], learners[i].take_quiz), deadline
    )
    return LearnerPhase(seconds)


def run_rounds(
    learners: list[Learner], threads: int, deadline: float, server_cpu: Callable[[], float]
) -> LearnerPhase:
    """A class in lock-step: everyone joins; then, per question, everyone loads the page, then
    everyone answers, then everyone reads the feedback; then everyone finishes. Each step is a
    phase of its own (`threads` requests in flight), timed from its first request to its last
    reply, so the answer POSTs' throughput is measured while the server serves only them."""
    phase = LearnerPhase()
    started = time.perf_counter()
    active = list(learners)

    def step(kind: str, method: Callable[[Learner], Callable[[], None]]) -> None:
        nonlocal active
        ok = [True] * len(active)

        def job(i: int) -> None:
            ok[i] = guarded(active[i], method(active[i]))

        cpu_before = server_cpu()
        phase.step_seconds[kind] = phase.step_seconds.get(kind, 0.0) + run_threads(
            threads, len(active), job, deadline
        )
        phase.step_server_cpu[kind] = (
            phase.step_server_cpu.get(kind, 0.0) + server_cpu() - cpu_before
        )
        active = [learner for learner, went_on in zip(active, ok, strict=True) if went_on]

    step("join", lambda learner: learner.join)
    while time.monotonic() < deadline:
        active_before = active
        active = [learner for learner in active_before if learner.has_question]
        done = [learner for learner in active_before if not learner.has_question]
        if not active:
            active = done
            break
        phase.rounds += 1
        step("question", lambda learner: learner.load_question)
        step("answer", lambda learner: learner.submit_answer)
        step("feedback", lambda learner: learner.read_feedback)
        active = active + done
    step("finish", lambda learner: learner.finish)
    phase.seconds = time.perf_counter() - started
    return phase


# ---------------------------------------------------------------------------------------------
# CPU: client and server share the machine, so say how busy it was and how much was the client.


@dataclass(frozen=True)
class CpuSample:
    """Machine busy and total jiffies (from /proc/stat) and this process's CPU seconds."""

    busy: int
    total: int
    client: float
    wall: float


def cpu_sample() -> CpuSample:
    """Read the counters now (machine counters are zero where /proc/stat is missing)."""
    busy = total = 0
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        total = sum(values[:8])  # steal included; guest time is already in user
        busy = total - idle
    except (OSError, ValueError, IndexError):
        pass
    return CpuSample(busy, total, time.process_time(), time.monotonic())


def cpu_usage(before: CpuSample, after: CpuSample) -> str:
    """'machine N% busy, client M% of the machine' over an interval."""
    cores = os.cpu_count() or 1
    wall = max(after.wall - before.wall, 1e-9)
    client = 100 * (after.client - before.client) / (wall * cores)
    if after.total <= before.total:
        return f"client {client:.0f}% of the machine"
    machine = 100 * (after.busy - before.busy) / (after.total - before.total)
    return f"machine {machine:.0f}% busy, client (this script) {client:.0f}% of the machine"


def server_cpu_seconds(group: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group (the
    gunicorn master and its workers); 0 where /proc is missing. Unlike wall time, it does not
    depend on what else the machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if len(fields) > 12 and fields[2] == str(group):
            total += int(fields[11]) + int(fields[12])
    return total / ticks


# ---------------------------------------------------------------------------------------------
# Phases


def run_threads(threads: int, jobs: int, job: Callable[[int], None], deadline: float) -> float:
    """Run `jobs` jobs on `threads` threads; return the wall time from start to the last end."""
    counter = itertools.count()
    counter_lock = threading.Lock()

    def worker() -> None:
        while time.monotonic() < deadline:
            with counter_lock:
                number = next(counter)
            if number >= jobs:
                return
            job(number)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        # Requests time out before the deadline, so the threads end; the margin is a safety net.
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 30)
    return time.perf_counter() - started


def run_baseline(
    port: int, stats: Stats, threads: int, seconds: float, deadline: float, timeout: float
) -> float:
    """Hammer GET /healthz from `threads` threads for `seconds`; return the phase's wall time."""
    until = min(time.monotonic() + seconds, deadline)

    def hammer(_: int) -> None:
        # The same client as the learners' (a connection per request), for a fair comparison.
        client = Client(port, stats, deadline, timeout)
        # Bounded by time, and by count as a guard against a clock that does not move.
        for _ in range(10_000_000):
            if time.monotonic() >= until:
                return
            try:
                client.request("healthz", "GET", HEALTH_PATH)
            except FlowError:
                time.sleep(0.01)  # an error is counted; do not spin on a dead server
            except DeadlineReached:
                return

    return run_threads(threads, threads, hammer, deadline)


# ---------------------------------------------------------------------------------------------
# Server and database


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def create_pg_database(admin_url: str, name: str = LOAD_DATABASE) -> str:
    """Create the fresh database `name` (dropping a leftover); return the app's URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(admin_url: str, name: str = LOAD_DATABASE) -> None:
    """Drop the run's database, closing any connection still open to it."""
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def database_version(url: str) -> str:
    """The database server's version, for the machine facts."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if url.startswith("sqlite"):
                version = connection.execute(text("select sqlite_version()")).scalar_one()
                return f"SQLite {version}"
            version = connection.execute(text("show server_version")).scalar_one()
            return f"PostgreSQL {version}"
    finally:
        engine.dispose()


def server_environment(database_url: str) -> dict[str, str]:
    """The app's environment: the fresh database, a random key, rate limits out of the way."""
    env = dict(os.environ)
    env["QUIZAPP_DATABASE_URL"] = database_url
    env["QUIZAPP_SECRET_KEY"] = secrets.token_hex(32)
    for name in RATE_LIMIT_VARIABLES:
        env[name] = HIGH_LIMIT
    return env


def run_setup(env: dict[str, str], log: Path) -> None:
    """`flask setup` on the fresh database: schema, banks, first teacher (password ignored)."""
    with log.open("w") as out:
        result = subprocess.run(
            [str(VENV_BIN / "flask"), "--app", "quizapp", "setup"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=300,
            check=False,
        )
    if result.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError("flask setup failed:\n" + "\n".join(tail))


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    """Start gunicorn in its own process group, its output going to `log`."""
    out = log.open("w")
    try:
        return subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
                *gunicorn_options(),
                "quizapp:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that a SIGKILL can reach the workers too
        )
    finally:
        out.close()  # the child has its own copy


def gunicorn_options() -> list[str]:
    """gunicorn 27 and later share one control socket path between instances: turn it off."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        major = int(version("gunicorn").split(".")[0])
    except (PackageNotFoundError, ValueError):
        return []
    return ["--no-control-socket"] if major >= 27 else []


def wait_ready(server: subprocess.Popen, port: int, limit: float = 60.0) -> float:
    """Poll GET /healthz until it answers 200 with status ok; return the seconds it took."""
    started = time.monotonic()
    last = "no answer"
    while time.monotonic() - started < limit:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before it was ready")
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", HEALTH_PATH)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            if response.status == 200 and _health_ok(body):
                return time.monotonic() - started
            last = f"HTTP {response.status}: {body[:200]}"
        except (OSError, http.client.HTTPException) as error:
            last = f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn not ready after {limit:.0f} s: {last}")


def _health_ok(body: str) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("status") == "ok"


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM (graceful), then SIGKILL to the whole group if it does not stop in time."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def server_log_summary(log: Path) -> tuple[dict[str, int], list[str]]:
    """Counts of worrying lines in gunicorn's output, and a few distinct examples."""
    patterns = {
        "tracebacks": "Traceback (most recent call last)",
        "database is locked": "database is locked",
        "worker timeouts": "WORKER TIMEOUT",
        "error lines": "[ERROR]",
    }
    counts = dict.fromkeys(patterns, 0)
    examples: list[str] = []
    if not log.exists():
        return counts, examples
    counts["5xx in request log"] = 0
    for line in log.read_text(errors="replace").splitlines():
        # The app logs one JSON line per request: count the server errors among them.
        if line.startswith("{") and '"status": 5' in line:
            counts["5xx in request log"] += 1
            if len(examples) < 6:
                examples.append(line.strip()[:200])
            continue
        for label, needle in patterns.items():
            if needle in line:
                counts[label] += 1
        worrying = re.search(r"Error|error|Exception|locked|TIMEOUT", line)
        if worrying and line.strip() not in examples and len(examples) < 6:
            examples.append(line.strip()[:200])
    return counts, examples


def server_time_shares(log: Path) -> tuple[str, str]:
    """Where the workers spent their time, from the app's JSON request log lines, if any:
    each endpoint's share of the whole, and its mean time per request."""
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    if log.exists():
        for line in log.read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
                method, ms = entry["method"], float(entry["duration_ms"])
                path = re.sub(r"\d+", "N", entry["path"])
            except (ValueError, KeyError, TypeError):
                continue
            # A question page and its feedback share one URL: they are one row here.
            key = f"{method} {path}".replace("romania-wwN", BANK_SLUG)
            totals[key] = totals.get(key, 0.0) + ms
            counts[key] = counts.get(key, 0) + 1
    whole = sum(totals.values())
    if not whole:
        return "no request log", "no request log"
    ranked = sorted(totals.items(), key=lambda pair: -pair[1])
    shares = ", ".join(f"{key} {100 * ms / whole:.0f}%" for key, ms in ranked if ms / whole >= 0.01)
    means = ", ".join(f"{key} {ms / counts[key]:.2f} ms" for key, ms in ranked)
    return shares, means


# ---------------------------------------------------------------------------------------------
# Integrity


def check_integrity(url: str, outcome: Outcome) -> tuple[list[str], str]:
    """Compare what learners saw acknowledged with the database; return problems and a note."""
    from sqlalchemy import create_engine, text

    problems: list[str] = []
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored: dict[tuple[int, int], int] = {
                (attempt_id, position): count
                for attempt_id, position, count in connection.execute(
                    text(
                        "SELECT i.attempt_id, i.position, COUNT(r.id) FROM attempt_items i "
                        "JOIN responses r ON r.item_id = i.id GROUP BY i.attempt_id, i.position"
                    )
                )
            }
            scores = connection.execute(
                text(
                    "SELECT a.id, a.score, COALESCE(SUM(r.points), 0) FROM attempts a "
                    "LEFT JOIN attempt_items i ON i.attempt_id = a.id "
                    "LEFT JOIN responses r ON r.item_id = i.id "
                    "WHERE a.finished_at IS NOT NULL GROUP BY a.id, a.score"
                )
            ).all()
    finally:
        engine.dispose()

    acknowledged: dict[tuple[int, int], int] = {}
    for attempt_id, position, _fields in outcome.answers:
        acknowledged[(attempt_id, position)] = acknowledged.get((attempt_id, position), 0) + 1
    lost = [key for key in acknowledged if stored.get(key, 0) == 0]
    duplicated = [key for key in acknowledged if stored.get(key, 0) > 1]
    acked_twice = [key for key, count in acknowledged.items() if count > 1]
    if lost:
        problems.append(f"{len(lost)} lost answers (acknowledged, not stored), e.g. {lost[:5]}")
    if duplicated:
        problems.append(f"{len(duplicated)} answers stored more than once, e.g. {duplicated[:5]}")
    if acked_twice:
        problems.append(f"{len(acked_twice)} items acknowledged twice, e.g. {acked_twice[:5]}")

    wrong_scores = [
        (attempt_id, score, total)
        for attempt_id, score, total in scores
        if not math.isclose(float(score), float(total), rel_tol=0.0, abs_tol=1e-9)
    ]
    if wrong_scores:
        problems.append(
            f"{len(wrong_scores)} finished attempts whose score is not the sum of its answers, "
            f"e.g. (id, score, sum) {wrong_scores[:5]}"
        )
    finished_in_db = {attempt_id for attempt_id, _score, _total in scores}
    not_finished = sorted(outcome.finished - finished_in_db)
    if not_finished:
        problems.append(
            f"{len(not_finished)} acknowledged finishes not recorded: {not_finished[:5]}"
        )
    extra = sum(1 for key in stored if key not in acknowledged)
    note = (
        f"{len(acknowledged)} acknowledged answers stored exactly once; "
        f"{len(scores)} finished attempts, every score = sum of its points"
        + (f"; {extra} stored answers were never acknowledged to the client" if extra else "")
    )
    return problems, note


# ---------------------------------------------------------------------------------------------
# Report


def format_table(
    stats: Stats, phases: dict[str, float], labels: dict[str, str] = ENDPOINTS
) -> list[str]:
    """One row per endpoint of `labels` (key -> label): successes, errors, throughput and
    latency percentiles.

    `phases` gives the window for endpoints measured over a whole phase (answer: the learner
    phase, healthz: the baseline phase); the others use the time they were being exercised.
    """
    lines = [
        f"{'endpoint':<42} {'ok':>6} {'errors':>6} {'req/s':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    ]
    for key, label in labels.items():
        endpoint = stats.endpoints[key]
        ordered = sorted(endpoint.latencies)
        window = phases.get(key, endpoint.last_end - endpoint.first_start)
        rate = len(ordered) / window if ordered and window > 0 else math.nan
        figures = [rate] + [percentile(ordered, p) * 1000 for p in (50, 95, 99)]
        lines.append(
            f"{label:<42} {len(ordered):>6} {endpoint.errors:>6} "
            + " ".join("       -" if math.isnan(x) else f"{x:>8.1f}" for x in figures)
        )
    return lines


def throughput(stats: Stats, key: str, seconds: float) -> float:
    """Successful requests per second over `seconds`."""
    count = len(stats.endpoints[key].latencies)
    return count / seconds if seconds > 0 else math.nan


# ---------------------------------------------------------------------------------------------
# Main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200, help="simulated learners (200)")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between actions (0)")
    parser.add_argument("--questions", type=int, default=10, help="questions per quiz (10)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=DEFAULT_PG_URL,
        help=f"admin URL used only to create and drop {LOAD_DATABASE} ({DEFAULT_PG_URL})",
    )
    parser.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    parser.add_argument(
        "--baseline-seconds",
        type=float,
        default=10.0,
        help="how long to hammer /healthz, before and again after the learners (10)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=64,
        help="client threads, for the baseline and the learners alike: min(learners, this) (64)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds (60)")
    parser.add_argument(
        "--deadline", type=float, default=600.0, help="the whole run stops by then, seconds (600)"
    )
    parser.add_argument(
        "--mode",
        choices=("rounds", "free", "exam"),
        default="rounds",
        help="rounds: the class moves in lock-step, each step timed on its own (the answer "
        "figure is over the answer steps); free: each learner at its own pace, the answer figure "
        "over the whole learner phase; exam: a class taking an assignment as in a real exam, "
        "run by bench/exam_load.py with the other options (rounds)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.learners < 1 or args.questions < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--learners, --questions, --workers and --threads must be positive")
    if args.think < 0 or args.baseline_seconds <= 0 or args.timeout <= 0 or args.deadline <= 0:
        parser.error("--think must be >= 0; --baseline-seconds, --timeout, --deadline > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the whole benchmark; return the exit status (0 only when clean)."""
    argv = sys.argv[1:] if argv is None else argv
    picker = argparse.ArgumentParser(add_help=False)
    picker.add_argument("--mode")
    chosen, rest = picker.parse_known_args(argv)
    if chosen.mode == "exam":
        # The exam shape has options of its own: its module parses them.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import exam_load

        return exam_load.main(rest)
    args = parse_args(argv)
    run_deadline = time.monotonic() + args.deadline
    threads = min(args.learners, args.threads)
    port = args.port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="quizapp-load-"))
    server: subprocess.Popen | None = None
    pg_created = False
    stats = Stats()
    outcome = Outcome()
    print("quizapp load test")
    # Other work on the machine skews every figure: measure how busy it is before starting.
    idle_check = cpu_sample()
    time.sleep(1)
    print(
        f"machine: {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), "
        f"{platform.platform()}, Python {platform.python_version()}; before the run: "
        f"{cpu_usage(idle_check, cpu_sample())}"
    )
    print(
        f"settings: learners={args.learners} think={args.think:g}s questions={args.questions} "
        f"workers={args.workers} threads={threads} database={args.database} port={port} "
        f"baseline={args.baseline_seconds:g}s timeout={args.timeout:g}s "
        f"deadline={args.deadline:g}s bank={BANK_SLUG}"
    )
    try:
        if args.database == "sqlite":
            database_url = f"sqlite:///{workdir / 'load.sqlite3'}"
        else:
            database_url = create_pg_database(args.pg_url)
            pg_created = True
        env = server_environment(database_url)
        run_setup(env, workdir / "setup.log")
        print(f"database: {database_url} ({database_version(database_url)}), fresh")
        server = start_server(env, port, args.workers, workdir / "gunicorn.log")
        ready = wait_ready(server, port)
        print(f"server: gunicorn, {args.workers} workers on {HOST}:{port}, ready in {ready:.1f} s")

        server_cpu = functools.partial(server_cpu_seconds, server.pid)

        def baseline(when: str) -> Baseline:
            print(
                f"baseline {when}: GET {HEALTH_PATH} from {threads} threads "
                f"for {args.baseline_seconds:g} s"
            )
            sys.stdout.flush()
            before = cpu_sample()
            count_before, cpu_before = len(stats.endpoints["healthz"].latencies), server_cpu()
            seconds = run_baseline(
                port, stats, threads, args.baseline_seconds, run_deadline, args.timeout
            )
            result = Baseline(
                seconds,
                len(stats.endpoints["healthz"].latencies) - count_before,
                server_cpu() - cpu_before,
            )
            print(f"baseline {when}: {result.rate:.1f} req/s; {cpu_usage(before, cpu_sample())}")
            return result

        baselines = [baseline("before the learners")]
        print(f"learners: {args.learners} on {threads} threads, {args.mode} ...")
        sys.stdout.flush()
        plan = Plan(
            port, secrets.token_hex(3), args.questions, args.think, run_deadline, args.timeout
        )
        learners = [Learner(index, plan, stats, outcome) for index in range(args.learners)]
        before = cpu_sample()
        run = run_rounds if args.mode == "rounds" else run_free
        phase = run(learners, threads, run_deadline, server_cpu)
        learner_seconds = phase.seconds
        with outcome.lock:
            never_started = (
                args.learners
                - outcome.learners_done
                - outcome.learners_failed
                - outcome.learners_cut
            )
        print(
            f"learners: {outcome.learners_done} finished, {outcome.learners_failed} failed, "
            f"{outcome.learners_cut + never_started} cut by the deadline, "
            f"in {learner_seconds:.1f} s; {cpu_usage(before, cpu_sample())}"
        )
        if phase.step_seconds:
            print(
                f"rounds: {phase.rounds}; time in each step: "
                + ", ".join(f"{kind} {sec:.1f} s" for kind, sec in phase.step_seconds.items())
            )
        # Background load on the machine lowers a baseline: measure it again after the learners
        # and compare the answers with the higher of the two (the stricter comparison).
        baselines.append(baseline("after the learners"))
        best = max(baselines, key=lambda b: b.rate)
        baseline_seconds = sum(b.seconds for b in baselines)
        stop_server(server)
        server = None

        print()
        # Windows: healthz over the baseline phase; in rounds, question, answer and feedback over
        # the time their own steps took; in free mode, answers over the whole learner phase.
        windows = {"healthz": baseline_seconds}
        if args.mode == "rounds":
            windows.update({kind: phase.step_seconds.get(kind, 0.0) for kind in STEP_ENDPOINTS})
        else:
            windows["answer"] = learner_seconds
        for line in format_table(stats, windows):
            print(line)
        print()
        errors = stats.total_errors()
        if errors:
            print(f"errors: {errors}")
            for key, label in ENDPOINTS.items():
                for example in stats.endpoints[key].examples:
                    print(f"  {label.split()[0]}: {example}")
        else:
            print("errors: 0")
        counts, examples = server_log_summary(workdir / "gunicorn.log")
        print("server log: " + ", ".join(f"{count} {label}" for label, count in counts.items()))
        for example in examples:
            print(f"  {example}")
        shares, means = server_time_shares(workdir / "gunicorn.log")
        print(f"server time by endpoint: {shares}")
        print(f"server time per request (mean, as the app logs it): {means}")

        problems, note = check_integrity(database_url, outcome)
        if problems:
            print("integrity: PROBLEMS")
            for problem in problems:
                print(f"  {problem}")
        else:
            print(f"integrity: OK ({note})")

        baseline_rate = best.rate
        print(
            f"{HEALTH_PATH} baseline: "
            + ", ".join(f"{b.rate:.1f} req/s" for b in baselines)
            + f" (before, after the learners); compared with: {baseline_rate:.1f} req/s"
        )
        if phase.step_server_cpu and best.server_cpu > 0:
            per_request = {"healthz": 1000 * best.server_cpu / max(best.requests, 1)}
            for kind in STEP_ENDPOINTS:
                count = len(stats.endpoints[kind].latencies)
                if count:
                    per_request[kind] = 1000 * phase.step_server_cpu.get(kind, 0.0) / count
            print(
                "server CPU per request (gunicorn's processes, user + system; independent of "
                "other load): "
                + ", ".join(
                    f"{kind} {ms:.2f} ms ({ms / per_request['healthz']:.1f}x healthz)"
                    for kind, ms in per_request.items()
                )
            )
        plain_rate = throughput(stats, "answer", learner_seconds)
        plain_share = 100 * plain_rate / baseline_rate if baseline_rate else math.nan
        if args.mode == "rounds":
            answer_rate = throughput(stats, "answer", phase.step_seconds.get("answer", 0.0))
            measure = "answer POSTs per second of the answer steps"
        else:
            answer_rate = plain_rate
            measure = "answer POSTs per second of the whole learner phase"
        share = 100 * answer_rate / baseline_rate if baseline_rate else math.nan
        print(
            f"answer-submit throughput ({measure}): {answer_rate:.1f} req/s = {share:.1f}% of "
            f"{HEALTH_PATH} baseline ({baseline_rate:.1f} req/s)"
        )
        print(
            f"learner phase as a whole (register, start, pages, answers, finish; "
            f"{learner_seconds:.1f} s): {plain_rate:.1f} answers/s = {plain_share:.1f}% of "
            f"{HEALTH_PATH}"
        )
        clean = (
            not errors
            and not problems
            and outcome.learners_done == args.learners
            and stats.endpoints["healthz"].errors == 0
        )
        print(
            f"summary: {'PASS' if clean else 'FAIL'} {args.database}, "
            f"{outcome.learners_done}/{args.learners} learners, "
            f"{len(outcome.answers)} answers acknowledged, {errors} errors, "
            f"{len(problems)} integrity problems, answers ({args.mode}) {answer_rate:.1f} req/s "
            f"= {share:.1f}% of {HEALTH_PATH} {baseline_rate:.1f} req/s "
            f"(whole learner phase {plain_share:.1f}%)"
        )
        return 0 if clean else 1
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        print(f"load test aborted: {error}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            stop_server(server)
        if pg_created:
            drop_pg_database(args.pg_url)
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

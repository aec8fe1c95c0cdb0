"""Live class game under load: one game, N players on their phones, against a real gunicorn.

The script starts gunicorn as `make run` does (two workers, gunicorn.conf.py: gthread) on a
fresh database (SQLite, or with `--database postgresql` a PostgreSQL database made for the run;
`--redis` sets QUIZAPP_REDIS_URL so Redis pub/sub wakes the streams), seeds a teacher and N
learners (bench/exam_load.py's `seed_exam`, one password hash), logs everyone in over HTTP,
and lets the teacher create a game of `--questions` multiple-choice and true/false questions
(POST /live/new) that every learner joins (POST /live with the PIN).

Each player then holds the game's Server-Sent Events stream open (GET /live/<pin>/events, a
thread reading it line by line, reconnecting with Last-Event-ID when the server ends it), and
does what static/live.js does: on every event it fetches the stage (GET ?stage=1), and on a
question it answers after a seeded think of 0.5–3 s (POST /live/<pin>/answer). The teacher
presses "next" (POST /live/games/<id>/move) to open each question, waits until everyone has
answered (the last answer reveals the question) or the time is up, shows the leaderboard, and
goes on; at the end it ends the game. Meanwhile a side load requests normal pages (the home
page and a learner's history) at a steady rate.

Figures: from the teacher's "next" to the question's event reaching each player's stream,
p50/p95 over every (player, question), and per question the time until it reached every player
(p50/p95 over the questions); answers acknowledged (HTTP 302 with the game page) and stored
exactly once (live_answers, and each learner's attempt: one response per acknowledged answer);
errors; the side load's p95. Goal: p95 under 1 s at 200 players, no lost answer, pages' p95
under 300 ms. Exit status 0 only when every goal is met.

    .venv/bin/python bench/live.py [--players 200] [--questions 10] [--seconds 20]
        [--database sqlite|postgresql] [--pg-url URL] [--redis] [--redis-url URL]
        [--workers 2] [--side-rate 10] [--seed 1] [--keep]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # load.py, exam_load.py, beside this
import exam_load
import load
from load import FlowError, PageParser

ENDPOINTS = {
    "login_page": "login page     GET /login",
    "login": "login          POST /login",
    "new_page": "new game page  GET /live/new",
    "create": "create game    POST /live/new",
    "screen": "screen         GET /live/games/<id>/screen",
    "move": "teacher move   POST /live/games/<id>/move",
    "join_page": "join page      GET /live",
    "join": "join           POST /live",
    "stage": "player stage   GET /live/<pin>/play?stage=1",
    "answer": "answer         POST /live/<pin>/answer",
}
SIDE_ENDPOINTS = {
    "page_home": "side: home     GET /",
    "page_history": "side: history  GET /history",
}
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
THINK = (0.5, 3.0)
# The events a player's page follows (static/live.js, data-live-kinds on the player page).
PLAYER_KINDS = {"next", "pause", "resume", "skip", "reveal", "end", "removed"}
PLAYER_IGNORED = {"leaderboard"}  # data-live-ignore


@dataclass
class Arrivals:
    """When each player's stream got each event: {(player, seq): perf_counter time}."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[tuple[int, int], float] = field(default_factory=dict)
    # seq -> (kind, phase, position)
    kinds: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    reconnects: int = 0
    stream_errors: int = 0


class Player:
    """One learner: a stream reader thread and actions run on the shared action pool."""

    def __init__(self, index: int, name: str, port: int, stats: load.Stats, deadline: float):
        self.index = index
        self.name = name
        self.port = port
        self.client = load.Client(port, stats, deadline, 30.0)
        self.rng = random.Random(f"live:{index}")
        self.pin = ""
        self.acked: set[int] = set()
        self.answered: set[int] = set()
        self.last_seq = 0
        self.last_stage = ""

    def log_in(self) -> None:
        page = PageParser(self.client.request("login_page", "GET", "/login").body)
        token = load.csrf_from(self.client, "login_page", page.form(lambda f: f.action is None))
        fields = [("csrf_token", token), ("name", self.name), ("password", load.PASSWORD)]
        self.client.request("login", "POST", "/login", fields, expect=302)

    def join(self, pin: str) -> None:
        self.pin = pin
        page = PageParser(self.client.request("join_page", "GET", "/live").body)
        token = load.csrf_from(self.client, "join_page", page.form(lambda f: f.action == "/live"))
        self.client.request("join", "POST", "/live", [("csrf_token", token), ("pin", pin)], 302)
        # The game page opens its stream after the event it was drawn at (as live.js does).
        body = self.client.request("stage", "GET", f"/live/{pin}/play").body
        found = re.search(r"/live/\d+/events\?after=(\d+)", body)
        self.last_seq = int(found[1]) if found else 0

    def read_stream(self, arrivals: Arrivals, stop: threading.Event, on_event) -> None:
        """Hold the stream open; record each event's arrival; reconnect after the server ends
        it, with Last-Event-ID."""
        while not stop.is_set():
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())}
            if self.last_seq:
                headers["Last-Event-ID"] = str(self.last_seq)
            connection = http.client.HTTPConnection(load.HOST, self.port, timeout=30)
            try:
                connection.request("GET", f"/live/{self.pin}/events", headers=headers)
                response = connection.getresponse()
                if response.status != 200:
                    with arrivals.lock:
                        arrivals.stream_errors += 1
                    time.sleep(1)
                    continue
                seq, kind, data = None, None, None
                while not stop.is_set():
                    line = response.readline()
                    if not line:
                        break
                    text = line.decode().rstrip("\n")
                    if text.startswith("id: "):
                        seq = int(text[4:])
                    elif text.startswith("event: "):
                        kind = text[7:]
                    elif text.startswith("data: "):
                        data = json.loads(text[6:])
                    elif text == "":
                        if seq is not None and kind is not None:
                            now = time.perf_counter()
                            self.last_seq = seq
                            with arrivals.lock:
                                arrivals.times[(self.index, seq)] = now
                                arrivals.kinds.setdefault(
                                    seq,
                                    (
                                        kind,
                                        str((data or {}).get("phase", "")),
                                        int((data or {}).get("position", 0)),
                                    ),
                                )
                            on_event(self, kind, data or {})
                        seq, kind, data = None, None, None
            except (OSError, http.client.HTTPException, ValueError):
                if not stop.is_set():
                    with arrivals.lock:
                        arrivals.stream_errors += 1
                    time.sleep(0.5)
            finally:
                connection.close()
            with arrivals.lock:
                arrivals.reconnects += 1

    def stage(self) -> str:
        self.last_stage = self.client.request("stage", "GET", f"/live/{self.pin}/play?stage=1").body
        return self.last_stage

    def answer(self, position: int) -> None:
        """Answer the open question with a random option from the stage the question's event
        fetched (as live.js does; fetched here only if that has not come back yet)."""
        if position in self.answered:
            return
        body = self.last_stage
        if f'name="position" value="{position}"' not in body:
            body = self.stage()
        form = PageParser(body).form(lambda f: f.action == f"/live/{self.pin}/answer")
        if form is None:
            return  # no longer open (everyone answered, or the time was up)
        options = re.findall(r'<button type="submit" name="answer" value="([^"]*)"', body)
        field_position = next(
            (a.get("value") for a in form.inputs if a.get("name") == "position"), None
        )
        if not options or field_position != str(position):
            return
        token = load.csrf_from(self.client, "stage", form)
        import html

        choice = html.unescape(self.rng.choice(options))
        self.answered.add(position)
        fields = [("csrf_token", token), ("position", str(position)), ("answer", choice)]
        # As live.js: the reply is the new stage (200), not a redirect.
        reply = self.client.request(
            "answer",
            "POST",
            f"/live/{self.pin}/answer",
            fields,
            expect=200,
            headers={"X-Live-Stage": "1"},
        )
        self.last_stage = reply.body
        if 'class="flash error"' in reply.body:
            self.client.stats.error("answer", f"refused: {load.page_problem(reply.body)}")
            return
        self.acked.add(position)


def login_teacher(port: int, stats: load.Stats, deadline: float, name: str) -> load.Client:
    client = load.Client(port, stats, deadline, 30.0)
    page = PageParser(client.request("login_page", "GET", "/login").body)
    token = load.csrf_from(client, "login_page", page.form(lambda f: f.action is None))
    fields = [("csrf_token", token), ("name", name), ("password", load.PASSWORD)]
    client.request("login", "POST", "/login", fields, expect=302)
    return client


def create_game(teacher: load.Client, questions: int, seconds: int) -> tuple[int, str]:
    page = PageParser(teacher.request("new_page", "GET", "/live/new").body)
    token = load.csrf_from(teacher, "new_page", page.form(lambda f: f.action == "/live/new"))
    fields = [
        ("csrf_token", token),
        ("source", f"{load.BANK_SLUG}:en"),
        ("types", "mcq"),
        ("types", "tf"),
        ("count", str(questions)),
        ("seconds", str(seconds)),
        ("points", "1000"),
        ("speed", "y"),
        ("streak", "y"),
    ]
    reply = teacher.request("create", "POST", "/live/new", fields, expect=302)
    game_id = int(re.search(r"/live/games/(\d+)/screen", reply.location or "")[1])
    screen = teacher.request("screen", "GET", f"/live/games/{game_id}/screen").body
    pin = re.search(r'class="live-pin">(\d+)<', screen)[1]
    return game_id, pin


def teacher_move(teacher: load.Client, game_id: int, move: str) -> tuple[str, int, float]:
    """Read the screen's move form and press `move`; return (phase, position) it was pressed
    in and the moment the POST was sent."""
    body = teacher.request("screen", "GET", f"/live/games/{game_id}/screen?stage=1").body
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body)
    phase = re.search(r'name="phase" value="([a-z]+)"', body)
    position = re.search(r'name="position" value="(\d+)"', body)
    if not (token and phase and position):
        teacher.stats.error("move", "no move form on the screen")
        raise FlowError
    fields = [
        ("csrf_token", token[1]),
        ("move", move),
        ("phase", phase[1]),
        ("position", position[1]),
    ]
    sent = time.perf_counter()
    teacher.request("move", "POST", f"/live/games/{game_id}/move", fields, expect=302)
    return phase[1], int(position[1]), sent


def side_load(
    port: int, stats: load.Stats, deadline: float, stop: threading.Event, learner: str, rate: float
) -> None:
    """Normal pages at `rate` per second: the home page (visitor) and a learner's history."""
    visitor = load.Client(port, stats, deadline, 30.0)
    reader = login_teacher(port, load.Stats(ENDPOINTS), deadline, learner)
    reader.stats = stats
    pause = 1.0 / rate if rate > 0 else 1.0
    turn = 0
    while not stop.is_set():
        due = time.perf_counter()
        try:
            if turn % 2:
                reader.request("page_history", "GET", "/history", due=due)
            else:
                visitor.request("page_home", "GET", "/", due=due)
        except (FlowError, load.DeadlineReached):
            pass
        turn += 1
        time.sleep(max(0.0, due + pause - time.perf_counter()))


def integrity(url: str, players: list[Player]) -> list[str]:
    """Every acknowledged answer stored exactly once, in the game and in the learner's attempt."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    problems = []
    try:
        with engine.connect() as connection:
            live = {
                (name, position): count
                for name, position, count in connection.execute(
                    text(
                        "SELECT u.name, a.position, COUNT(*) FROM live_answers a "
                        "JOIN live_players p ON p.id = a.player_id "
                        "JOIN users u ON u.id = p.user_id "
                        "GROUP BY u.name, a.position"
                    )
                )
            }
            kept = {
                (name, position): count
                for name, position, count in connection.execute(
                    text(
                        "SELECT u.name, i.position, COUNT(r.id) FROM live_players p "
                        "JOIN users u ON u.id = p.user_id "
                        "JOIN attempt_items i ON i.attempt_id = p.attempt_id "
                        "JOIN responses r ON r.item_id = i.id GROUP BY u.name, i.position"
                    )
                )
            }
    finally:
        engine.dispose()
    acked = {(p.name, position) for p in players for position in p.acked}
    lost = [key for key in acked if live.get(key, 0) != 1]
    not_kept = [key for key in acked if kept.get(key, 0) != 1]
    extra = [key for key in live if key not in acked]
    if lost:
        problems.append(f"{len(lost)} acknowledged answers not stored once in the game: {lost[:3]}")
    if not_kept:
        problems.append(f"{len(not_kept)} not stored once in the attempts: {not_kept[:3]}")
    if extra:
        problems.append(f"{len(extra)} stored answers never acknowledged: {extra[:3]}")
    return problems


def run(args: argparse.Namespace) -> int:
    tag = secrets.token_hex(3)
    workdir = Path(tempfile.mkdtemp(prefix="quizapp-live-"))
    pg_name = f"quizapp_live_{tag}"
    pg_created = False
    server = None
    port = load.free_port()
    deadline = time.monotonic() + 60 * 60
    stop = threading.Event()
    try:
        if args.database == "sqlite":
            url = f"sqlite:///{workdir / 'live.sqlite3'}"
        else:
            url = load.create_pg_database(args.pg_url, pg_name)
            pg_created = True
        env = load.server_environment(url)
        env.pop("QUIZAPP_REDIS_URL", None)
        if args.redis:
            env["QUIZAPP_REDIS_URL"] = args.redis_url
        load.run_setup(env, workdir / "setup.log")
        exam_load.seed_exam(url, args.players + 1, 5, tag, args.seed)
        server = load.start_server(env, port, args.workers, workdir / "gunicorn.log")
        load.wait_ready(server, port)
        print(
            f"live: {args.players} players, {args.questions} questions of {args.seconds} s, "
            f"{load.database_version(url)}{' + Redis pub/sub' if args.redis else ''}, gunicorn "
            f"{args.workers} workers (gunicorn.conf.py: gthread), {os.cpu_count()} cores"
        )
        stats = load.Stats(ENDPOINTS)
        teacher = login_teacher(port, stats, deadline, f"exam-{tag}-teacher")
        game_id, pin = create_game(teacher, args.questions, args.seconds)
        crowd = [
            Player(i, exam_load.learner_name(tag, i), port, stats, deadline)
            for i in range(args.players)
        ]

        def enter(index: int) -> None:
            try:
                crowd[index].log_in()
                crowd[index].join(pin)
            except (FlowError, load.DeadlineReached):
                pass  # counted as an error

        seconds = load.run_threads(16, len(crowd), enter, deadline)
        print(f"joined: {len(crowd)} players logged in and joined in {seconds:.1f} s")

        arrivals = Arrivals()
        actions: queue.PriorityQueue = queue.PriorityQueue()
        counter = iter(range(10**9))

        def on_event(player: Player, kind: str, data: dict) -> None:
            now = time.perf_counter()
            if kind not in PLAYER_KINDS or data.get("phase") in PLAYER_IGNORED:
                # Another player joined, or the leaderboard (the phone shows its rank from the
                # reveal on): this player's page does not change.
                return
            # As live.js: a question at once, other changes within a second at random.
            spread = 0.0 if data.get("phase") == "question" else player.rng.uniform(0, 1.0)
            actions.put((now + spread, next(counter), player, "stage", 0))
            if kind == "next" and data.get("phase") == "question":
                think = player.rng.uniform(*THINK)
                actions.put((now + think, next(counter), player, "answer", data["position"]))

        def act() -> None:
            while not stop.is_set():
                try:
                    due, _n, player, what, position = actions.get(timeout=0.2)
                except queue.Empty:
                    continue
                time.sleep(max(0.0, due - time.perf_counter()))
                try:
                    if what == "answer":
                        player.answer(position)
                    else:
                        player.stage()
                except (FlowError, load.DeadlineReached):
                    pass

        threads = [
            threading.Thread(target=p.read_stream, args=(arrivals, stop, on_event), daemon=True)
            for p in crowd
        ]
        threads += [threading.Thread(target=act, daemon=True) for _ in range(48)]
        side_stats = load.Stats(SIDE_ENDPOINTS)
        threads.append(
            threading.Thread(
                target=side_load,
                args=(
                    port,
                    side_stats,
                    deadline,
                    stop,
                    exam_load.learner_name(tag, args.players),
                    args.side_rate,
                ),
                daemon=True,
            )
        )
        for thread in threads:
            thread.start()
        time.sleep(3)  # every stream open
        sent_at: dict[int, float] = {}
        for position in range(1, args.questions + 1):
            _phase, _pos, sent = teacher_move(teacher, game_id, "next")
            sent_at[position] = sent
            limit = time.perf_counter() + args.seconds + 3
            while time.perf_counter() < limit:
                body = teacher.request(
                    "screen", "GET", f"/live/games/{game_id}/screen?stage=1"
                ).body
                if 'data-phase="reveal"' in body:
                    break
                time.sleep(0.5)
            time.sleep(1)
            teacher_move(teacher, game_id, "next")  # reveal -> leaderboard
            time.sleep(1)
            if position == args.questions:
                teacher_move(teacher, game_id, "end")
        time.sleep(2)
        stop.set()

        # Question events: seq -> position; latency per (player, question).
        question_seqs = {
            seq: pos
            for seq, (kind, phase, pos) in arrivals.kinds.items()
            if kind == "next" and phase == "question"
        }
        per_delivery: list[float] = []
        per_question: list[float] = []
        missing = 0
        for seq, position in sorted(question_seqs.items()):
            times = [arrivals.times.get((p.index, seq)) for p in crowd]
            got = [t - sent_at[position] for t in times if t is not None]
            missing += sum(1 for t in times if t is None)
            per_delivery += got
            if got:
                per_question.append(max(got))
        per_delivery.sort()
        per_question.sort()
        p = load.percentile
        print(
            f"question event reached a player's stream (ms from 'next'): "
            f"p50 {1000 * p(per_delivery, 50):.0f}, p95 {1000 * p(per_delivery, 95):.0f}, "
            f"max {1000 * (per_delivery[-1] if per_delivery else float('nan')):.0f} "
            f"({len(per_delivery)} deliveries, {missing} missing)"
        )
        print(
            f"reached every player (ms, over {len(per_question)} questions): "
            f"p50 {1000 * p(per_question, 50):.0f}, p95 {1000 * p(per_question, 95):.0f}"
        )
        acked = sum(len(pl.acked) for pl in crowd)
        problems = integrity(url, crowd)
        verdict = problems or "OK: each stored exactly once in the game and in the attempt"
        print(f"answers: {acked} acknowledged; integrity {verdict}")
        print(
            f"streams: {arrivals.reconnects} reconnections, {arrivals.stream_errors} stream errors"
        )
        for line in load.format_table(stats, {}, ENDPOINTS):
            print(line)
        side = sorted(
            side_stats.endpoints["page_home"].latencies
            + side_stats.endpoints["page_history"].latencies
        )
        print(
            f"side load: {len(side)} page requests, p50 {1000 * p(side, 50):.0f} ms, "
            f"p95 {1000 * p(side, 95):.0f} ms, {side_stats.total_errors()} errors"
        )
        errors = stats.total_errors() + side_stats.total_errors()
        summary, examples = load.server_log_summary(workdir / "gunicorn.log")
        print(f"errors: {errors} client errors; server log {summary}")
        for example in examples[:5]:
            print(f"  {example}")
        met = (
            per_delivery
            and p(per_delivery, 95) < 1.0
            and not problems
            and missing == 0
            and errors == 0
            and p(side, 95) < 0.3
        )
        print(
            "goals (p95 < 1 s, no lost answer, pages p95 < 300 ms, no error): "
            + ("MET" if met else "NOT MET")
        )
        return 0 if met else 1
    finally:
        stop.set()
        if server is not None:
            load.stop_server(server)
        if pg_created:
            load.drop_pg_database(args.pg_url, pg_name)
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=200)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20, help="seconds per question")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make run: 2)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=load.DEFAULT_PG_URL)
    parser.add_argument("--redis", action="store_true", help="set QUIZAPP_REDIS_URL")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--side-rate", type=float, default=10.0, help="page requests a second")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(run(parse_args()))

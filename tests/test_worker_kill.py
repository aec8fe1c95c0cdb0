"""A gunicorn worker killed with SIGKILL while answers arrive loses no acknowledged answer."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.extensions import db
from quizapp.services.banks import store_bank
from quizapp.services.users import create_user
from tests.conftest import PASSWORD, ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")
LEARNERS = 8


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Learner:
    """One browser-like client with its own cookies."""

    def __init__(self, base: str):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=20) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return (
                error.code,
                error.read().decode(errors="replace"),
                error.headers.get("Location", ""),
            )


@pytest.fixture
def server(tmp_path, bank):
    """gunicorn with two workers on a fresh SQLite database holding the bank and learners."""
    url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        store_bank(bank, "x")
        for number in range(LEARNERS):
            create_user(f"killtest{number}", PASSWORD)
        db.session.commit()
        db.engine.dispose()
    port = _free_port()
    env = dict(
        os.environ,
        QUIZAPP_DATABASE_URL=url,
        QUIZAPP_SECRET_KEY="kill test",
        QUIZAPP_WTF_CSRF_ENABLED="false",
        QUIZAPP_RATELIMIT_LOGIN="100000 per minute",
        QUIZAPP_RATELIMIT_WRONG_ANSWERS="100000 per minute",
    )
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}", "quizapp:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    # Generous: on a loaded two-core machine the workers' imports alone take many seconds.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start:\n" + log.read_text(errors="replace")[-2000:])
    yield base, process, tmp_path / "kill.sqlite3"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _workers(master_pid: int) -> list[int]:
    output = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in output.split()]


def test_sigkill_of_a_worker_loses_no_acknowledged_answer(server):
    base, process, database = server
    acknowledged: list[tuple[int, int]] = []
    lock = threading.Lock()
    started = threading.Event()

    def learn(number: int) -> None:
        learner = Learner(base)
        for _ in range(20):  # retry: the worker serving us may have just been killed
            try:
                status, _, _ = learner.request(
                    "/login", {"name": f"killtest{number}", "password": PASSWORD}
                )
                if status == 302:
                    break
            except OSError:
                time.sleep(0.2)
        for _ in range(3):  # three quizzes each, to keep answers coming during the kill
            try:
                status, _, location = learner.request(
                    "/banks/romania-ww2/start",
                    {"b1-language": "en", "b1-count": "10", "b1-types": ["short"]},
                )
            except OSError:
                continue
            match = re.search(r"/attempts/(\d+)/q/1", location)
            if status != 302 or not match:
                continue
            attempt_id = int(match.group(1))
            for position in range(1, 11):
                started.set()
                for _ in range(5):
                    try:
                        status, _, _ = learner.request(
                            f"/attempts/{attempt_id}/q/{position}", {"answer": "1944"}
                        )
                    except OSError:
                        time.sleep(0.1)  # connection cut by the kill: not acknowledged, retry
                        continue
                    if status == 302:
                        with lock:
                            acknowledged.append((attempt_id, position))
                        break

    threads = [threading.Thread(target=learn, args=(n,)) for n in range(LEARNERS)]
    for thread in threads:
        thread.start()
    assert started.wait(timeout=60)
    # Kill while answers are still arriving: once a tenth of them are in (a fixed pause is too
    # long now that every answer can be in within half a second).
    expected = LEARNERS * 3 * 10
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= expected // 10:
                break
        time.sleep(0.001)
    killed = _workers(process.pid)
    assert killed, "no gunicorn workers found"
    os.kill(killed[0], signal.SIGKILL)
    with lock:
        assert len(acknowledged) < expected, "every answer was in before the kill"
    for thread in threads:
        thread.join(timeout=180)
    assert acknowledged
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the master reaps the killed worker and forks another
        replacement = _workers(process.pid)
        if killed[0] not in replacement and len(replacement) == 2:
            break
        time.sleep(0.1)
    assert killed[0] not in replacement and len(replacement) == 2  # gunicorn replaced it

    connection = sqlite3.connect(database)
    try:
        stored = set(
            connection.execute(
                "SELECT i.attempt_id, i.position FROM responses r "
                "JOIN attempt_items i ON r.item_id = i.id"
            ).fetchall()
        )
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    lost = [pair for pair in acknowledged if pair not in stored]
    assert not lost, f"{len(lost)} acknowledged answers were lost"
    assert integrity == "ok"

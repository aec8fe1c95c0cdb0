"""With two gunicorn workers and no Redis, a limit of 10 wrong logins means 10, not 10 per worker.

Each worker is paused in turn (SIGSTOP) while half of the wrong logins arrive, so that both
workers certainly answer some of them: with counts kept per worker the 11th try would pass.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.extensions import db
from quizapp.services.banks import store_bank
from quizapp.services.users import create_user
from tests.conftest import PASSWORD, ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")
LIMIT = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _workers(master_pid: int) -> list[int]:
    output = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in output.split()]


def _post(url: str, data: dict) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def server(tmp_path, bank):
    """gunicorn, two workers, a fresh SQLite database, no Redis; an access log naming the pid."""
    url = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        store_bank(bank, "x")
        create_user("ana", PASSWORD)
        db.session.commit()
        db.engine.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    env.update(
        QUIZAPP_DATABASE_URL=url,
        QUIZAPP_SECRET_KEY="limits test",
        QUIZAPP_WTF_CSRF_ENABLED="false",
        # Per hour, so that the count cannot be cut by a window ending mid-test.
        QUIZAPP_RATELIMIT_LOGIN=f"{LIMIT} per hour",
    )
    access_log = tmp_path / "access.log"
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s %(U)s",
            "quizapp:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    # Generous: on a loaded two-core machine the workers' imports alone take many seconds.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            if len(_workers(process.pid)) == 2:
                break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start two workers")
    yield base, process, access_log
    for pid in _workers(process.pid):
        os.kill(pid, signal.SIGCONT)
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_the_login_limit_holds_across_two_workers(server):
    base, process, access_log = server
    first, second = _workers(process.pid)
    wrong = {"name": "ana", "password": "not the password"}
    statuses = []
    for paused in (second, first):  # half the tries to each worker
        os.kill(paused, signal.SIGSTOP)
        try:
            statuses += [_post(base + "/login", wrong) for _ in range(LIMIT // 2)]
        finally:
            os.kill(paused, signal.SIGCONT)
    assert statuses == [400] * LIMIT
    assert _post(base + "/login", wrong) == 429  # the 11th, whichever worker answers it
    assert _post(base + "/login", {"name": "ana", "password": PASSWORD}) == 429

    served = Counter(
        int(pid.strip("<>"))
        for pid, status, path in (line.split() for line in access_log.read_text().splitlines())
        if path == "/login" and status == "400"
    )
    assert served == {first: LIMIT // 2, second: LIMIT // 2}

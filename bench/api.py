"""What the JSON API costs next to the pages, on SQLite with Flask's test client (no network):
reading an attempt as JSON and polling it with its ETag (304), against the question page.

    .venv/bin/python bench/api.py [--requests 200]

Prints the median server time per request (from the app's own request log: from its first
`before_request` to its last `after_request`, so the token check is counted and the test
client is not) and the ratios; figures from one run on one machine, to compare with each
other, not across machines.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class _Durations(logging.Handler):
    """Collects the `duration_ms` of each request the app logs."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.values.append(json.loads(record.getMessage())["duration_ms"])


def _timed(function, requests: int, durations: _Durations) -> float:
    """The median server milliseconds of `requests` calls of `function` (after a warm-up)."""
    function()
    durations.values.clear()
    for _ in range(requests):
        function()
    return statistics.median(durations.values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)

    from quizapp import create_app
    from quizapp.core.bank import load_bank
    from quizapp.extensions import db
    from quizapp.services import tokens
    from quizapp.services.banks import store_bank
    from quizapp.services.users import create_user

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        durations = _Durations()
        request_log = logging.getLogger("quizapp.requests")
        request_log.handlers[:] = [durations]
        request_log.setLevel(logging.INFO)
        request_log.propagate = False
        with app.app_context():
            db.create_all()
            store_bank(load_bank(ROOT / "questions" / "romania-ww2"), "bench")
            user = create_user("bench", "correct horse battery")
            secret = tokens.create_token(user, "bench", "write").secret
            db.session.commit()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {secret}"}
        body = {"bank": "romania-ww2", "language": "en", "count": 10, "types": ["mcq", "short"]}
        attempt = client.post("/api/v1/attempts", json=body, headers=headers).get_json()
        path = f"/api/v1/attempts/{attempt['id']}"
        tag = client.get(path, headers=headers).headers["ETag"]
        browser = app.test_client()
        browser.post("/login", data={"name": "bench", "password": "correct horse battery"})

        def api_read():
            assert client.get(path, headers=headers).status_code == 200

        def api_poll():
            polled = client.get(path, headers={**headers, "If-None-Match": tag})
            assert polled.status_code == 304

        def api_question():
            assert client.get(f"{path}/questions/1", headers=headers).status_code == 200

        def page_question():
            assert browser.get(f"/attempts/{attempt['id']}/q/1").status_code == 200

        figures = {
            "question page (HTML)": _timed(page_question, args.requests, durations),
            "API: one question": _timed(api_question, args.requests, durations),
            "API: whole attempt (10 questions)": _timed(api_read, args.requests, durations),
            "API: attempt polled, 304": _timed(api_poll, args.requests, durations),
        }
        base = figures["question page (HTML)"]
        for name, value in figures.items():
            print(f"{name:36} {value:7.2f} ms  ×{value / base:.2f}")
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

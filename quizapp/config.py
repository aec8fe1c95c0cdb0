"""Defaults, and settings read from QUIZAPP_* environment variables."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

PREFIX = "QUIZAPP_"

DEFAULTS: dict[str, Any] = {
    "BANKS_DIR": "questions",
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # Requests larger than this are refused with a 413 page that says the limit.
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # An uploaded import waits this many seconds for the teacher's confirmation, then it is
    # deleted (on the next import, or by `flask bank purge-imports`). The file it keeps is no
    # larger than PENDING_IMPORT_MAX_BYTES, which defaults to MAX_CONTENT_LENGTH when unset.
    "PENDING_IMPORT_SECONDS": 3600,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # "Keep me logged in" lasts this many seconds (it also ends at logout and password change).
    "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
    # Rate limits (Flask-Limiter syntax); counted in Redis when REDIS_URL is set, else in the
    # app's database (quizapp.rate_limits), shared by every worker either way.
    "RATELIMIT_LOGIN": "10 per minute",
    "RATELIMIT_REGISTER": "100 per hour",
    "RATELIMIT_WRONG_ANSWERS": "30 per minute",
    "RATELIMIT_START": "20 per minute",
    # Join codes tried (typed, or join links opened) per user.
    "RATELIMIT_JOIN": "30 per minute",
    "RATELIMIT_HEADERS_ENABLED": False,
    # The time zone of dates and times for readers whose browser has not told theirs (an IANA
    # name such as "Europe/Bucharest"; QUIZAPP_TIMEZONE). The browser's, when known, wins.
    "TIMEZONE": "UTC",
    # Seconds after a timed attempt's deadline during which an answer still counts.
    "DEADLINE_GRACE_SECONDS": 30,
    # Requests of one worker process inside the app at once, and how long one waits for its
    # turn before a 503 (quizapp.web.admission): a crowd queues instead of fighting over the
    # cores, the database and the connection pool (15 a process). 0: no limit.
    "PAGE_SLOTS": 12,
    "PAGE_QUEUE_SECONDS": 60,
    # PostgreSQL's work_mem for the transactions of the teacher's large reports (item
    # analysis, what the class misses, the gradebook and answer downloads): enough for their
    # groupings to be hashed in memory at a million responses instead of sorted through disk
    # (quizapp.database.for_large_report). Other requests keep the server's setting.
    "REPORT_WORK_MEM": "128MB",
    # SQLite's helper threads for the sorts of those reports (PRAGMA threads, 0 to 8): a sort
    # larger than the page cache is split into runs that helper threads sort at once, so a
    # million-response grouping uses both cores of a small server instead of one.
    "REPORT_SORT_THREADS": 2,
}


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings from QUIZAPP_* variables: QUIZAPP_DATABASE_URL -> DATABASE_URL, and so on.

    Values that read as JSON (numbers, true/false) become those values; the rest stay text.
    """
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(PREFIX) or name == PREFIX:
            continue
        key = name[len(PREFIX) :]
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        settings[key] = value if isinstance(value, bool | int | float) else raw
    return settings

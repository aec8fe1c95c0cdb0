"""Admission of requests: at most PAGE_SLOTS of a worker process's requests run at once; the
others wait their turn, in arrival order as far as the threads are woken so, for at most
PAGE_QUEUE_SECONDS, then get 503 with Retry-After.

Why: `make run` serves with gunicorn's gthread workers (gunicorn.conf.py), 240 threads each, so
that a live game's Server-Sent Events streams each have a thread. Pages ran on as many threads
at once as arrived. When a class of 3,000 started an exam within a minute (bench/exam_load.py),
more than the two cores could do, hundreds of requests per worker were inside the app at once:
they fought over the GIL, the database's write lock and the worker's 15 pooled connections,
and after 30 s waiting for a connection a request failed (2,393 "QueuePool limit reached"
errors). A sync worker queues such a crowd outside the app instead, where waiting costs
nothing; this does the same inside a threaded worker. With at most PAGE_SLOTS requests in the
app (12 by default: below the pool's 15, which leaves connections for the streams' short
reads) no request waits for a connection, and a crowd waits here, holding nothing, for as long
as the work before it takes.

Long-lived views (the event streams, marked with `long_lived`) are not counted: they hold a
thread for minutes but no connection, and `LIVE_MAX_STREAMS` bounds them. PAGE_SLOTS 0 turns
admission off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext as _

View = TypeVar("View", bound=Callable[..., Any])
EXTENSION = "quizapp_admission"


def long_lived(view: View) -> View:
    """Mark a view whose responses stay open for long (a stream): admission does not count it."""
    view.long_lived = True  # type: ignore[attr-defined]
    return view


def install(app: Flask) -> None:
    """Count `app`'s requests against PAGE_SLOTS (see the module). Call it before any other
    `before_request` function is registered, so that a waiting request has done nothing yet.

    Raises ValueError when PAGE_SLOTS is not a whole number from 0 to 1,000 or
    PAGE_QUEUE_SECONDS not a positive number."""
    slots = app.config.get("PAGE_SLOTS", 0)
    wait = app.config.get("PAGE_QUEUE_SECONDS", 60)
    if isinstance(slots, bool) or not isinstance(slots, int) or not 0 <= slots <= 1000:
        raise ValueError(f"PAGE_SLOTS must be a whole number from 0 to 1000, not {slots!r}")
    if isinstance(wait, bool) or not isinstance(wait, int | float) or not wait > 0:
        raise ValueError(f"PAGE_QUEUE_SECONDS must be a positive number, not {wait!r}")
    if not slots:
        return
    app.extensions[EXTENSION] = threading.BoundedSemaphore(slots)
    app.before_request(_admit)
    app.teardown_request(_leave)


def _admit() -> Response | None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "long_lived", False):
        return None
    semaphore: threading.BoundedSemaphore = current_app.extensions[EXTENSION]
    if not semaphore.acquire(timeout=float(current_app.config.get("PAGE_QUEUE_SECONDS", 60))):
        response = Response(
            _("The server is very busy. Please try again in a few seconds."),
            status=503,
            mimetype="text/plain",
        )
        response.headers["Retry-After"] = "5"
        return response
    g.admitted = True
    return None


def _leave(_error: BaseException | None) -> None:
    if g.pop("admitted", False):
        current_app.extensions[EXTENSION].release()

"""gunicorn settings for `make run` (and the benches, which start gunicorn from this folder,
where gunicorn reads this file by itself; options on the command line win).

Why threads (gthread): a live game keeps one Server-Sent Events stream open per player and per
projected screen, each waiting most of the time. gunicorn's default sync worker serves one
request at a time, so two workers would be taken by the first two streams and every page would
wait. A gthread worker serves each connection on a thread of its pool: `threads` streams and
pages at once per worker, each waiting stream costing a sleeping thread and no database
connection (it reads the event log with one short query per wake). gevent would serve more
streams per worker, but it must patch the standard library before anything else is imported,
and psycopg's C implementation and SQLite's driver block the whole worker in a query unless
they are made cooperative, so the database calls every page makes would stall every other
stream of the worker. Threads need none of that: the drivers release the GIL while they wait.

Sizing: a class of 200 players (and the odd teacher tab) per game; with two workers each takes
about half the streams, but the kernel does not split connections evenly, so each worker gets
room for all of them plus the pages. `QUIZAPP_LIVE_MAX_STREAMS` keeps `PAGE_THREADS` threads
of each worker for pages whatever happens: a stream beyond it is told to retry (EventSource
does, after 3 s, most likely on the other worker).

Restarts: streams end by themselves after QUIZAPP_LIVE_STREAM_SECONDS (120 s) and send a
heartbeat comment every 15 s; when a worker is told to stop (SIGTERM: a restart, a reload, a
deploy), the handler installed by `post_worker_init` below first sets the live transport's
DRAINING flag, so every stream of the worker returns at once (its wait is woken) and the
browser reconnects to a worker that is running, resuming from its last event id; the worker
then stops within `graceful_timeout`.
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("QUIZAPP_THREADS", "240"))
PAGE_THREADS = 40
# Seconds a worker may take to finish its requests when stopping: streams leave at once.
graceful_timeout = 20
# gthread keeps idle keep-alive connections open this long (pages, not streams).
keepalive = 5
raw_env = [f"QUIZAPP_LIVE_MAX_STREAMS={max(threads - PAGE_THREADS, 1)}"]


def _drain(worker) -> None:
    from quizapp.services.live import transport

    transport.drain()


def post_worker_init(worker):
    """Wrap the worker's exit handler so that a stop request first ends the live streams."""
    handle_exit = worker.handle_exit

    def drain_then_exit(sig, frame):
        _drain(worker)
        handle_exit(sig, frame)

    worker.handle_exit = drain_then_exit
    # The signal was installed with the original handler: install the wrapper instead.
    import signal

    signal.signal(signal.SIGTERM, drain_then_exit)

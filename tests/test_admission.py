"""Admission of requests (quizapp.web.admission): at most PAGE_SLOTS of a process's requests
in the app at once; the others wait their turn, then get 503 with Retry-After; the live
streams are not counted."""

from __future__ import annotations

import threading

import pytest

from quizapp import create_app
from quizapp.web.admission import EXTENSION


def _semaphore(app) -> threading.BoundedSemaphore:
    return app.extensions[EXTENSION]


def test_a_request_waits_for_a_free_slot_and_then_is_served(app, client):
    """With every slot taken a request waits, and is served as soon as one is freed."""
    semaphore = _semaphore(app)
    taken = 0
    while semaphore.acquire(blocking=False):
        taken += 1
    assert taken == app.config["PAGE_SLOTS"] == 12
    app.config["PAGE_QUEUE_SECONDS"] = 30
    threading.Timer(0.3, semaphore.release).start()
    page = client.get("/login")
    assert page.status_code == 200
    for _ in range(taken - 1):
        semaphore.release()
    # Every slot is back: the request gave its own back when it ended.
    assert all(semaphore.acquire(blocking=False) for _ in range(taken))
    assert not semaphore.acquire(blocking=False)
    for _ in range(taken):
        semaphore.release()


def test_a_request_that_waits_too_long_gets_503_with_retry_after(app, client):
    semaphore = _semaphore(app)
    taken = 0
    while semaphore.acquire(blocking=False):
        taken += 1
    app.config["PAGE_QUEUE_SECONDS"] = 0.05
    try:
        page = client.get("/login")
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        assert "very busy" in page.get_data(as_text=True)
    finally:
        for _ in range(taken):
            semaphore.release()
    # The refused request took no slot.
    assert client.get("/login").status_code == 200


def test_a_failing_request_gives_its_slot_back(app, client):
    semaphore = _semaphore(app)
    for _ in range(3):
        assert client.get("/no-such-page").status_code == 404
    taken = 0
    while semaphore.acquire(blocking=False):
        taken += 1
    assert taken == app.config["PAGE_SLOTS"]
    for _ in range(taken):
        semaphore.release()


def test_the_live_event_streams_are_not_counted(app):
    """A stream holds its thread for minutes: it must not hold a page slot too."""
    streams = [endpoint for endpoint in app.view_functions if endpoint.endswith("_events")]
    assert sorted(streams) == ["live.player_events", "live.screen_events"]
    assert all(getattr(app.view_functions[e], "long_lived", False) for e in streams)
    long_lived = [e for e, view in app.view_functions.items() if getattr(view, "long_lived", 0)]
    assert sorted(long_lived) == sorted(streams)


@pytest.mark.parametrize(
    ("name", "value"),
    [("PAGE_SLOTS", -1), ("PAGE_SLOTS", 1001), ("PAGE_SLOTS", "8"), ("PAGE_SLOTS", True),
     ("PAGE_QUEUE_SECONDS", 0), ("PAGE_QUEUE_SECONDS", -3), ("PAGE_QUEUE_SECONDS", "60")],
)  # fmt: skip
def test_settings_that_make_no_sense_are_refused_with_their_value(name, value, tmp_path):
    with pytest.raises(ValueError, match=name):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}", name: value})


def test_no_slots_means_no_admission(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                      "PAGE_SLOTS": 0})  # fmt: skip
    assert EXTENSION not in app.extensions

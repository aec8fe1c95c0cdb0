"""Rate limits: the database-backed storage, shared by processes; Redis when configured."""

from __future__ import annotations

import multiprocessing
import uuid

import pytest

from quizapp import create_app
from quizapp.extensions import db, limiter
from quizapp.rate_limits import SqlStorage
from tests.conftest import PASSWORD, log_in, make_user
from tests.quiz_helpers import start


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def storage(app):
    with app.app_context():
        yield SqlStorage("quizapp-sql://", clock=Clock())


def test_the_app_counts_in_its_database_unless_redis_is_set(app):
    from limits.storage import RedisStorage

    assert app.config["RATELIMIT_STORAGE_URI"] == "quizapp-sql://"
    assert isinstance(limiter.storage, SqlStorage)
    create_app({"SECRET_KEY": "x", "REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert isinstance(limiter.storage, RedisStorage)


def test_increments_add_up_per_key(storage):
    assert storage.incr("a", 60) == 1
    assert storage.incr("a", 60) == 2
    assert storage.incr("a", 60, amount=3) == 5
    assert storage.incr("b", 60) == 1
    assert storage.get("a") == 5 and storage.get("b") == 1 and storage.get("c") == 0


def test_a_window_expires_and_starts_again(storage):
    clock = storage.clock
    start_time = clock.now
    storage.incr("k", 60)
    clock.now += 30
    assert storage.incr("k", 60) == 2  # same window: the expiry does not move
    assert storage.get_expiry("k") == start_time + 60
    clock.now = start_time + 60
    assert storage.get("k") == 0  # the window is over
    assert storage.get_expiry("k") == clock.now
    assert storage.incr("k", 60) == 1  # a new window, from now
    assert storage.get_expiry("k") == start_time + 120


def test_clear_reset_and_check(storage):
    storage.incr("x", 60)
    storage.incr("y", 60)
    storage.clear("x")
    assert storage.get("x") == 0 and storage.get("y") == 1
    assert storage.reset() == 1
    assert storage.get("y") == 0
    assert storage.check()


def test_long_keys_are_stored_hashed_and_still_distinct(storage):
    first, second = "login/" + "a" * 5000, "login/" + "a" * 4999 + "b"
    assert storage.incr(first, 60) == 1
    assert storage.incr(first, 60) == 2
    assert storage.incr(second, 60) == 1


def test_expired_counters_are_deleted_in_passing(app, storage):
    from quizapp.models import RateLimitCounter
    from quizapp.rate_limits import PURGE_EVERY

    for number in range(10):
        storage.incr(f"old{number}", 5)
    storage.clock.now += 10
    for _ in range(PURGE_EVERY):
        storage.incr("current", 60)
    keys = db.session.scalars(db.select(RateLimitCounter.key)).all()
    db.session.rollback()
    assert keys == ["current"]


def _increment(url: str, key: str, times: int, ready, go, results) -> None:
    """In a separate process: increment `key` `times` times; put every count returned."""
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    counts = []
    with app.app_context():
        storage = SqlStorage("quizapp-sql://")
        storage.get(key)  # connect before the start signal
        ready.release()
        go.wait(timeout=60)
        for _ in range(times):
            counts.append(storage.incr(key, 3600))
        db.engine.dispose()
    results.put(counts)


def test_two_processes_incrementing_at_once_lose_no_count(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    key = f"concurrent-{uuid.uuid4().hex}"
    times = 150
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Semaphore(0), context.Event(), context.Queue()
    processes = [
        context.Process(target=_increment, args=(url, key, times, ready, go, results))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        assert ready.acquire(timeout=120)
    go.set()
    counts = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    # Every increment saw a different count, and together they make the exact total.
    assert sorted(counts[0] + counts[1]) == list(range(1, 2 * times + 1))
    with app.app_context():
        assert SqlStorage("quizapp-sql://").get(key) == 2 * times


@pytest.mark.settings(RATELIMIT_LOGIN="3 per minute")
def test_login_counts_are_kept_in_the_database(app, client, student):
    from quizapp.models import RateLimitCounter

    for _ in range(3):
        client.post("/login", data={"name": "ana", "password": "wrong guess"})
    with app.app_context():
        rows = db.session.scalars(db.select(RateLimitCounter)).all()
        assert [(row.count, "|ana" in row.key) for row in rows] == [(3, True)]
    assert client.post("/login", data={"name": "ana", "password": PASSWORD}).status_code == 429


@pytest.mark.settings(RATELIMIT_START="2 per minute")
def test_starting_attempts_is_rate_limited_per_learner(app, student_client):
    start(student_client)
    start(student_client)
    response = student_client.post(
        "/banks/romania-ww2/start",
        data={"b1-language": "en", "b1-count": "5", "b1-types": ["short"]},
    )
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "You started too many quizzes in a short time" in page
    assert "Please slow down" in page
    make_user(app, "boris")
    start(log_in(app.test_client(), "boris"))  # another learner is not held back


@pytest.mark.settings(RATELIMIT_START="1 per minute")
def test_the_start_limit_page_speaks_spanish(app, student_client):
    student_client.post("/language", data={"language": "es"})
    start(student_client)
    response = student_client.post(
        "/banks/romania-ww2/start",
        data={"b1-language": "en", "b1-count": "5", "b1-types": ["short"]},
    )
    assert response.status_code == 429
    assert "Has empezado demasiados cuestionarios" in response.get_data(as_text=True)


def test_redis_is_used_when_configured(tmp_path, bank):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from quizapp.models import RateLimitCounter
    from quizapp.services.banks import store_bank

    # Flask-Limiter keeps the first key prefix it was given (the Limiter is global), so the
    # keys are found by the user name below; the prefix only keeps them apart from real ones.
    prefix = f"quizapp-test-{uuid.uuid4().hex}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'redis.sqlite3'}",
            "REDIS_URL": url,
            "RATELIMIT_KEY_PREFIX": prefix,
            "RATELIMIT_LOGIN": "2 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        store_bank(bank, "x")
        db.session.commit()
    name = f"redis.{uuid.uuid4().hex[:12]}"  # the login key holds the name: find it in Redis
    make_user(app, name)
    client = app.test_client()
    wrong = {"name": name, "password": "not the password"}
    assert client.post("/login", data=wrong).status_code == 400
    assert client.post("/login", data=wrong).status_code == 400
    assert client.post("/login", data=wrong).status_code == 429
    keys = redis.Redis.from_url(url).keys(f"*{name}*")
    assert keys  # counted in Redis ...
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RateLimitCounter)) == 0
        db.engine.dispose()
    redis.Redis.from_url(url).delete(*keys)

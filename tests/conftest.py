"""Shared fixtures: the founding bank, the app on a fresh database per test, users, clients.

The suite runs on SQLite always, and on PostgreSQL too when QUIZAPP_TEST_DATABASE_URL is set:
every test that uses `app` runs once per database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import hypothesis
import jinja2
import jinja2.bccache
import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from quizapp import create_app
from quizapp.core.bank import Bank, load_bank
from quizapp.core.question_pool import QuestionPool
from tests.page_tour import browser_log_in, click_through  # noqa: F401  (for the browser tests)

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "questions" / "romania-ww2"
PASSWORD = "correct horse battery"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("QUIZAPP_TEST_DATABASE_URL") else [])

# Hypothesis: no deadline anywhere (a per-example time limit is a timing assert, and this machine
# is shared); in CI the same examples every run ("derandomize", so a red run is reproducible and a
# green one stays green), locally fresh random examples with the failures remembered in
# .hypothesis/. Choose with HYPOTHESIS_PROFILE=ci|dev. Tests' own max_examples are kept.
hypothesis.settings.register_profile("ci", deadline=None, derandomize=True, database=None)
hypothesis.settings.register_profile("dev", deadline=None)
hypothesis.settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The founding bank, loaded once (tests must not change it)."""
    return load_bank(BANK_DIR)


@pytest.fixture(scope="session")
def pool(bank: Bank) -> QuestionPool:
    """The founding bank indexed for generation."""
    return QuestionPool(bank)


class _SharedPools:
    """`QuestionPool` as `services.banks` builds it, built once per bank content in a test run.

    A web request indexes a bank into a `QuestionPool` once per process and bank version
    (`services.banks.question_pool`), and counting what the pool can make costs about a second
    of CPU for the founding bank. Every test has a new database, so every test that shows the
    quizzes paid for it again. A pool is a function of the core bank alone (its counts use
    seeded random sources), so tests whose stored bank has the same content share one: the key
    is a digest of the core bank `question_pool` rebuilt from the database, so an edited bank
    gets its own pool, as in production.
    """

    def __init__(self, build: type[QuestionPool], size: int = 16):
        self.build = build
        self.size = size
        self.pools: dict[bytes, QuestionPool] = {}

    def __call__(self, core_bank: Bank) -> QuestionPool:
        key = hashlib.sha256(pickle.dumps(core_bank, protocol=pickle.HIGHEST_PROTOCOL)).digest()
        pool = self.pools.pop(key, None) or self.build(core_bank)
        self.pools[key] = pool  # the most recent last; the least recent leaves first
        while len(self.pools) > self.size:
            del self.pools[next(iter(self.pools))]
        return pool


@pytest.fixture(scope="session", autouse=True)
def shared_question_pools():
    """Pools shared between tests by bank content (see _SharedPools)."""
    from quizapp.services import banks

    real = banks.QuestionPool
    banks.QuestionPool = _SharedPools(real)
    yield
    banks.QuestionPool = real


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for every app of the test run.

    Each test makes its own app, whose Jinja environment would compile every template it
    renders again; a bytecode cache entry is keyed by template name and checked against the
    template's source, so a changed template is compiled afresh.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from memory when this template was compiled before."""
        data = self.compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a freshly compiled template."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def new_app(settings: dict):
    """`create_app(settings)` with the run's compiled templates (see _CompiledTemplates)."""
    application = create_app(settings)
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return application


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the founding bank folder, for tests that break or edit it."""
    target = tmp_path / "romania-ww2"
    shutil.copytree(BANK_DIR, target)
    return target


# The password hash of test users: one cheap PBKDF2 round instead of scrypt's tens of
# milliseconds of CPU (honoured only with TESTING on; tests/test_views_auth.py checks that the
# production default is scrypt).
FAST_PASSWORD_HASH = "pbkdf2:sha256:1"
FOUNDING_HASH = "founding"

_postgres_databases: dict[str, str] = {}


def postgres_url() -> str:
    """QUIZAPP_TEST_DATABASE_URL, or under pytest-xdist a database of this worker's own beside
    it (`test_gw0`, created when missing), so that parallel workers never share tables."""
    base = os.environ["QUIZAPP_TEST_DATABASE_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return base
    if worker not in _postgres_databases:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        url = make_url(base)
        name = f"{url.database}_{worker}"
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        _postgres_databases[worker] = url.set(database=name).render_as_string(hide_password=False)
    return _postgres_databases[worker]


def _build_founding(url: str, bank: Bank, fresh_schema: bool = False) -> None:
    """Create every table at `url` and store the founding bank in it, as a new site would."""
    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    application = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with application.app_context():
        if fresh_schema:
            db.drop_all()  # a schema left by an older run may differ from the models
        db.create_all()
        store_bank(bank, FOUNDING_HASH)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def founding_sqlite(tmp_path_factory, bank) -> Path:
    """A SQLite file with every table and the founding bank, built once per test process.

    The SQLite fixtures (`app`, `sqlite_app`, `live_server`) start from a copy of it: copying a
    file is a millisecond, creating the tables and storing the bank a large share of a test.
    """
    path = tmp_path_factory.mktemp("founding") / "founding.sqlite3"
    _build_founding(f"sqlite:///{path}", bank)
    # Fold the write-ahead log into the file, so that the file alone is the whole database.
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def founding_copy(template: Path, target: Path, content_hash: str = FOUNDING_HASH) -> str:
    """Copy the founding database file to `target` (with the bank's stored content hash set
    to `content_hash`, as `store_bank(bank, content_hash)` would); its SQLAlchemy URL."""
    shutil.copyfile(template, target)
    if content_hash != FOUNDING_HASH:
        with contextlib.closing(sqlite3.connect(target)) as connection:
            connection.execute("UPDATE banks SET content_hash = ?", (content_hash,))
            connection.commit()
    return f"sqlite:///{target}"


class FoundingPostgres:
    """This process's PostgreSQL database, put back to "every table, only the founding bank"
    before each test that uses it.

    The founding bank is stored once through `store_bank`, and its rows copied into the schema
    `founding_copy`. A reset is then one round trip: DELETE every table's rows (children first),
    restart every id sequence, copy the bank's rows back with INSERT ... SELECT, and set their
    sequences to where storing the bank left them. DELETE, not TRUNCATE: TRUNCATE makes new
    files for each of the ~20 tables and their indexes, ten times slower than deleting the few
    rows a test wrote. The bank's `updated_at` becomes the reset's time, as a fresh store would
    make it, so the per-process question-pool cache (keyed by URL, bank and update time) never
    hands one test the pool of another test's edited bank.
    """

    SCHEMA = "founding_copy"

    def __init__(self, url: str, bank: Bank):
        """Build the schema and the bank's copy at `url` (dropping what an older run left)."""
        from sqlalchemy import create_engine

        from quizapp.extensions import db

        self.url = url
        _build_founding(url, bank, fresh_schema=True)
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        tables = db.metadata.sorted_tables
        copies: list[str] = []
        restores: list[str] = []
        restarts: list[str] = []
        sequences: list[str] = []
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {self.SCHEMA}")
            for table in tables:
                count = connection.exec_driver_sql(f"SELECT count(*) FROM {table.name}").scalar()
                if count:
                    columns = ", ".join(f'"{column.name}"' for column in table.columns)
                    copies.append(
                        f"CREATE TABLE {self.SCHEMA}.{table.name} AS SELECT * FROM {table.name}"
                    )
                    restores.append(
                        f"INSERT INTO {table.name} ({columns}) "
                        f"SELECT {columns} FROM {self.SCHEMA}.{table.name}"
                    )
                for column in table.primary_key.columns:
                    sequence = connection.scalar(
                        text("SELECT pg_get_serial_sequence(:table, :column)"),
                        {"table": table.name, "column": column.name},
                    )
                    if not sequence:
                        continue
                    restarts.append(f"setval('{sequence}', 1, false)")
                    if count:
                        last, called = connection.execute(
                            text(f"SELECT last_value, is_called FROM {sequence}")
                        ).one()
                        sequences.append(f"setval('{sequence}', {last}, {called})")
            for statement in copies:
                connection.exec_driver_sql(statement)
        self.reset_sql = ";\n".join(
            [
                *(f"DELETE FROM {table.name}" for table in reversed(tables)),
                f"SELECT {', '.join(restarts)}",
                *restores,
                "UPDATE banks SET updated_at = now() AT TIME ZONE 'UTC'",
                f"SELECT {', '.join(sequences)}",
            ]
        )

    def reset(self) -> None:
        """Every table empty but for the founding bank, as if just created and stored.

        Recreates the tables first when a test dropped them (tests/test_migrations.py does).
        """
        from psycopg.errors import UndefinedTable

        try:
            self._execute(self.reset_sql)
        except UndefinedTable:
            _build_schema(self.url)
            self._execute(self.reset_sql)

    def _execute(self, sql: str) -> None:
        # Several statements in one simple query: one round trip, and one implicit transaction.
        connection = self.engine.raw_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()


def _build_schema(url: str) -> None:
    from quizapp.extensions import db

    application = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with application.app_context():
        db.create_all()
        db.engine.dispose()


@pytest.fixture(scope="session")
def founding_postgres(bank) -> FoundingPostgres:
    """This process's PostgreSQL database with the founding bank's copy (see FoundingPostgres)."""
    founding = FoundingPostgres(postgres_url(), bank)
    yield founding
    founding.engine.dispose()


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path, bank):
    """The app with test settings on an empty database holding the founding bank.

    The database is a copy of one built once per test process (SQLite: the file of
    `founding_sqlite`; PostgreSQL: `FoundingPostgres.reset`), the same rows as creating every
    table and storing the bank for each test, in a fraction of the time.
    """
    from quizapp.extensions import db

    if request.param == "sqlite":
        url = founding_copy(request.getfixturevalue("founding_sqlite"), tmp_path / "test.sqlite3")
    else:
        founding = request.getfixturevalue("founding_postgres")
        founding.reset()
        url = founding.url
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
    }
    settings.update(getattr(request, "param_settings", {}))
    marker = request.node.get_closest_marker("settings")
    if marker:
        settings.update(marker.kwargs)
    application = new_app(settings)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A browser-like client, not logged in."""
    return app.test_client()


def make_user(app, name: str, role: str = "student"):
    """Create a user with the shared test password; return its id."""
    from quizapp.extensions import db
    from quizapp.services.users import create_user

    with app.app_context():
        user = create_user(name, PASSWORD, role)
        db.session.commit()
        return user.id


def make_class(app, teacher_name: str, *learner_names: str, name: str = "Class") -> int:
    """A class owned by the teacher `teacher_name` that the named learners joined; its id.
    (A teacher reads a learner's history and attempts only when teaching a class they are in.)
    """
    from quizapp.extensions import db
    from quizapp.services import classes
    from quizapp.services.users import find_user

    with app.app_context():
        school_class = classes.create_class(find_user(teacher_name), name)
        for learner in learner_names:
            classes.join_class(find_user(learner), school_class.join_code)
        db.session.commit()
        return school_class.id


def log_in(client, name: str):
    """Log a client in through the login form."""
    response = client.post("/login", data={"name": name, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def student(app):
    """A student's id."""
    return make_user(app, "ana")


@pytest.fixture
def teacher(app):
    """A teacher's id."""
    return make_user(app, "profesora", role="teacher")


@pytest.fixture
def student_client(app, student):
    """A client logged in as the student."""
    return log_in(app.test_client(), "ana")


@pytest.fixture
def teacher_client(app, teacher):
    """A client logged in as the teacher."""
    return log_in(app.test_client(), "profesora")


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def sqlite_app(tmp_path, founding_sqlite):
    """An app on a SQLite file holding the founding bank, whatever the other backends."""
    from quizapp.extensions import db

    app = new_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": founding_copy(
                founding_sqlite, tmp_path / "db.sqlite3", content_hash="x"
            ),
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(tmp_path, founding_sqlite):
    """The app with CSRF on, served on a free local port by a thread."""
    from werkzeug.serving import make_server

    from quizapp.extensions import db

    app = new_app(
        {
            "SECRET_KEY": "browser test",
            "SQLALCHEMY_DATABASE_URI": founding_copy(
                founding_sqlite, tmp_path / "browser.sqlite3", content_hash="browser"
            ),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the test module (a launch costs about a second of CPU).

    Tests open their own contexts on it (`page`, or `chromium.new_context(...)`): a context
    has its own cookies, storage and cache, so tests stay as apart as with a browser each.
    Module scope, not session: the sync API keeps an event loop running in this thread while
    it lives, which must not outlast the browser tests.
    """
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "Debian's chromium package must be installed"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh Chromium page, in a context of its own."""
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def answer_shown_question(page) -> None:
    """In a browser, answer whatever question is shown through its inputs, then submit; returns
    once the page after the answer (the feedback) has loaded.

    It first waits for the question's form: called right after a click that leads to the
    question, counting inputs at once could count them on the page before it."""
    page.locator("form[data-answer-form]").wait_for()
    radios = page.locator("input[type=radio]")
    if radios.count():
        radios.first.check()
    elif page.locator("input[name=answer]").count():
        page.fill("input[name=answer]", "1944")
    else:
        selects = page.locator("select")
        for index in range(selects.count()):
            selects.nth(index).select_option(index=index + 1)
    click_through(page, page.get_by_role("button", name="Submit answer", exact=True))

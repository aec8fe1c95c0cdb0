"""Shared fixtures: the founding bank, the app on a fresh database per test, users, clients.

The suite runs on SQLite always, and on PostgreSQL too when QUIZAPP_TEST_DATABASE_URL is set:
every test that uses `app` runs once per database.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from quizapp import create_app
from quizapp.core.bank import Bank, load_bank
from quizapp.core.generation import QuestionPool
from tests.page_tour import browser_log_in  # noqa: F401  (for the browser tests)

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


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The founding bank, loaded once (tests must not change it)."""
    return load_bank(BANK_DIR)


@pytest.fixture(scope="session")
def pool(bank: Bank) -> QuestionPool:
    """The founding bank indexed for generation."""
    return QuestionPool(bank)


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the founding bank folder, for tests that break or edit it."""
    target = tmp_path / "romania-ww2"
    shutil.copytree(BANK_DIR, target)
    return target


_postgres_schema_ready = False


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


def _database_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return postgres_url()


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path, bank):
    """The app with test settings on an empty database holding the founding bank."""
    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    global _postgres_schema_ready
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "SQLALCHEMY_DATABASE_URI": _database_url(request.param, tmp_path),
        "WTF_CSRF_ENABLED": False,
    }
    settings.update(getattr(request, "param_settings", {}))
    marker = request.node.get_closest_marker("settings")
    if marker:
        settings.update(marker.kwargs)
    application = create_app(settings)
    with application.app_context():
        if request.param == "sqlite":
            db.create_all()
        else:
            if not _postgres_schema_ready:
                db.drop_all()  # a schema left by an older run may differ from the models
                _postgres_schema_ready = True
            db.create_all()  # other tests (migrations) may have dropped the tables
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        store_bank(bank, "founding")
        db.session.commit()
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
def sqlite_app(tmp_path, bank):
    """An app on a SQLite file, whatever the other backends."""
    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    with app.app_context():
        db.create_all()
        store_bank(bank, "x")
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(tmp_path, bank):
    """The app with CSRF on, served on a free local port by a thread."""
    from werkzeug.serving import make_server

    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    app = create_app(
        {
            "SECRET_KEY": "browser test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
        }
    )
    with app.app_context():
        db.create_all()
        store_bank(bank, "browser")
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page():
    """A fresh Chromium page."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "Debian's chromium package must be installed"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


def answer_shown_question(page) -> None:
    """In a browser, answer whatever question is shown through its inputs, then submit."""
    radios = page.locator("input[type=radio]")
    if radios.count():
        radios.first.check()
    elif page.locator("input[name=answer]").count():
        page.fill("input[name=answer]", "1944")
    else:
        selects = page.locator("select")
        for index in range(selects.count()):
            selects.nth(index).select_option(index=index + 1)
    page.get_by_role("button", name="Submit answer", exact=True).click()

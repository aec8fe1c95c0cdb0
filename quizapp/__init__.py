"""quizapp: quizzes generated from curated facts, every answer linked to its source passage."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from quizapp.config import DEFAULTS, from_environment

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then QUIZAPP_* environment, then `config`."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(DEFAULTS)
    app.config.update(from_environment())
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _resolve_paths(app)
    _secret_key(app)
    _security_settings(app)

    from quizapp.database import install_engine_events
    from quizapp.extensions import babel, csrf, db, limiter, login_manager, migrate
    from quizapp.web.formatting import current_timezone
    from quizapp.web.i18n import current_language

    install_engine_events()
    db.init_app(app)
    from quizapp.web import admission

    admission.install(app)  # first: a request waiting for its turn has done nothing yet
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=current_language, timezone_selector=current_timezone)

    from quizapp import cli
    from quizapp.services.live import transport

    transport.install(app)
    from quizapp.services import search  # noqa: F401  (registers the passage-search DDL)
    from quizapp.web import setup

    setup.register(app)
    cli.register(app)
    return app


def _resolve_paths(app: Flask) -> None:
    banks_dir = Path(app.config["BANKS_DIR"])
    if not banks_dir.is_absolute():
        app.config["BANKS_DIR"] = str(PROJECT_ROOT / banks_dir)
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{Path(app.instance_path) / 'quizapp.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _security_settings(app: Flask) -> None:
    """Secure cookies over HTTPS; rate limits counted in Redis when it is configured, else in
    the app's database, so that every worker (and server) shares the same counts."""
    from quizapp import rate_limits  # registers the quizapp-sql:// storage scheme

    https = bool(app.config.get("HTTPS"))
    app.config["SESSION_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_SECURE"] = https
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or rate_limits.URI)


def _secret_key(app: Flask) -> None:
    """Production must set QUIZAPP_SECRET_KEY; local runs make one and keep it."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("PRODUCTION"):
        raise RuntimeError("QUIZAPP_SECRET_KEY must be set when QUIZAPP_PRODUCTION=1")
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()

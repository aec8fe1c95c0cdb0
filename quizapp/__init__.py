"""quizapp: quizzes generated from curated facts, every answer linked to its source passage."""

from __future__ import annotations

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
    banks_dir = Path(app.config["BANKS_DIR"])
    if not banks_dir.is_absolute():
        app.config["BANKS_DIR"] = str(PROJECT_ROOT / banks_dir)

    from quizapp import cli

    cli.register(app)
    return app

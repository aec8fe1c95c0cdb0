"""Operations: /healthz, one structured log line per request, and security headers."""

from __future__ import annotations

import json
import logging
import time

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from sqlalchemy import text

from quizapp.extensions import db

bp = Blueprint("ops", __name__)
request_log = logging.getLogger("quizapp.requests")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@bp.route("/healthz")
def healthz():
    """Liveness and database check, as JSON (503 when the database does not answer)."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as error:  # any database failure means "unhealthy", never a 500 page
        db.session.rollback()
        return jsonify(status="error", database="error", detail=type(error).__name__), 503
    return jsonify(status="ok", database="ok")


def register(app: Flask) -> None:
    """Attach the blueprint, the request timer and log, and the security headers."""
    app.register_blueprint(bp)
    if not request_log.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response: Response) -> Response:
        _security_headers(response)
        started = g.pop("request_started", None)
        if started is not None:
            request_log.info(
                json.dumps(
                    {
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    }
                )
            )
        return response


def _framers() -> list[str]:
    """The origins of LMSs that show quizapp inside their pages (QUIZAPP_LTI_FRAME_ANCESTORS,
    space-separated, see docs/lti.md): they may frame it; nobody else may."""
    return str(current_app.config.get("LTI_FRAME_ANCESTORS") or "").split()


def content_security_policy() -> str:
    """The pages' Content-Security-Policy (framing allowed to the configured LMSs only)."""
    framers = _framers()
    if not framers:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors " + " ".join(framers)
    )


def _security_headers(response: Response) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if not _framers():
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")

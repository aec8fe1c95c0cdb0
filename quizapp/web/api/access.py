"""Who is calling the JSON API, and what every API blueprint shares: bearer-token
authentication, scopes, rate limits, the problem documents for refusals, cache headers.

The API reads only `Authorization: Bearer <token>` (RFC 6750), never the session cookie, so a
page on another site cannot make a browser act through it: that is why its blueprints are
exempt from CSRF tokens, and only they are. A request without a token is a 401, with a token
that is unknown, revoked or expired a 401 too (and counts against the login rate limit of its
address, so tokens cannot be guessed faster than passwords); a read-only token on a request
that changes something is a 403. The user is read again on every request, so their rights
are those of their role now, exactly as in the browser.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_smorest import Blueprint
from limits import parse
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from quizapp.extensions import csrf, db, limiter
from quizapp.models import User
from quizapp.services import permissions, tokens
from quizapp.services.assignments import AssignmentError
from quizapp.services.attempts import QuizError
from quizapp.services.authoring import AuthoringError
from quizapp.services.classes import ClassError
from quizapp.web.api.problems import problem

PREFIX = "/api/v1"
CHALLENGE = 'Bearer realm="quizapp"'
# Per-field messages of a refused body or query, as webargs reports them.
VALIDATION_STATUSES = (400, 422)


def api_user() -> User:
    """The user the request's token acts for (set by `authenticate`)."""
    return g.api_user


def _wrong_token_allowed() -> bool:
    """Count a wrong token against its address's login limit (`RATELIMIT_LOGIN`, the
    browser's limit on wrong passwords); False once past it."""
    item = parse(current_app.config["RATELIMIT_LOGIN"])
    return limiter.limiter.hit(item, "api-token", request.remote_addr or "")


def _holds_nul(value: object) -> bool:
    """Whether a parsed JSON value holds a NUL character in any string (PostgreSQL can store
    none; the pages refuse one in any form field the same way, `web.setup`)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def authenticate() -> Response | None:
    """Find the token of `Authorization: Bearer ...` and its user; refuse the request else.

    A JSON body holding a NUL character is refused here too (400), before any view reads it.
    """
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return problem(
            401,
            _(
                "Send a personal access token in the header “Authorization: Bearer <token>”. "
                "Make one on your account page."
            ),
            headers={"WWW-Authenticate": CHALLENGE},
        )
    token = tokens.authenticate(secret)
    if token is None:
        if not _wrong_token_allowed():
            return problem(
                429,
                _("Too many requests with a wrong token; please wait a minute and try again."),
                headers={"Retry-After": "60"},
            )
        return problem(
            401,
            _("This token is unknown, revoked or expired. Make a new one on your account page."),
            headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'},
        )
    user = db.session.get(User, token.user_id)
    if user is None:  # pragma: no cover - the token row goes with its user (ON DELETE CASCADE)
        return problem(401, _("This token's account no longer exists."))
    if user.must_change_password:
        return problem(
            403,
            _("Change your one-time password on the website first; then your tokens work."),
        )
    if not tokens.allows(token, request.method):
        return problem(
            403,
            _("This token may only read. Make a token that may also change things to do this."),
            headers={"WWW-Authenticate": f'{CHALLENGE}, error="insufficient_scope"'},
        )
    g.api_user = user
    g.api_token = token
    if request.is_json and _holds_nul(request.get_json(silent=True)):
        return problem(
            400,
            _("What was sent contains a NUL character (code 0), which no text here may hold."),
        )
    return None


def private_cache(response: Response) -> Response:
    """Answers depend on the token: no shared cache may keep them; a client may keep one and
    ask again with its ETag (`no-cache` means revalidate, not "do not store")."""
    if response.status_code < 400:
        response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Authorization")
    return response


def handle_http_exception(error: HTTPException) -> Response:
    """Any HTTP error raised in an API view as a problem document: refused bodies and queries
    (webargs' 422) with their per-field messages, 429 with Retry-After, 405 with Allow."""
    status = error.code or 500
    if status >= 500:
        db.session.rollback()  # the error has been logged by Flask; nothing half-done stays
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in ("content-type", "content-length")
    }
    if status in VALIDATION_STATUSES and errors:
        return problem(
            422,
            _("The request is not valid: see “errors” for each field."),
            errors=_flatten_locations(errors),
        )
    if isinstance(error, RateLimitExceeded):
        headers.setdefault("Retry-After", "60")
        return problem(429, _(str(error.description)), headers=headers)
    detail = data.get("message") or DETAILS.get(status)
    return problem(
        status, str(detail() if callable(detail) else detail or error.description), headers=headers
    )


def _flatten_locations(errors: dict) -> dict:
    """webargs nests messages by location ("json", "query"); a client wants the fields."""
    flat: dict = {}
    for location, fields in errors.items():
        if isinstance(fields, dict) and location in ("json", "query", "path", "headers", "form"):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


DETAILS = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Send a personal access token: “Authorization: Bearer <token>”."),
    403: lambda: _("You may not do this."),
    404: lambda: _("There is no such resource here, or it is not yours to see."),
    405: lambda: _("This method is not allowed here: see the Allow header."),
    409: lambda: _("The request conflicts with the resource's state."),
    413: lambda: _("What was sent is too large."),
    415: lambda: _("Send the body as JSON (Content-Type: application/json)."),
    500: lambda: _("Something went wrong on the server. The error has been logged."),
}


def _not_found(error: permissions.NotFound) -> Response:
    db.session.rollback()
    return problem(404, DETAILS[404]())


def _forbidden(error: permissions.Forbidden) -> Response:
    db.session.rollback()
    return problem(403, str(error))


def _conflict(error: Exception) -> Response:
    db.session.rollback()
    return problem(409, str(error))


def _refused(error: AuthoringError) -> Response:
    db.session.rollback()
    return problem(422, str(error), errors={"problems": list(error.problems)})


def api_blueprint(name: str, import_name: str, title: str, description: str) -> Blueprint:
    """A blueprint of the API under /api/v1: token authentication first, problem documents
    for every refusal, private caching, no CSRF token (no cookie is read).

    `name` prefixes its endpoints and names its OpenAPI tag (flask-smorest's rule); `title` is
    what the reference page calls that tag."""
    blueprint = Blueprint(name, import_name, url_prefix=PREFIX, description=description)
    blueprint.title = title  # type: ignore[attr-defined]
    blueprint.before_request(authenticate)
    blueprint.after_request(private_cache)
    blueprint.register_error_handler(HTTPException, handle_http_exception)
    blueprint.register_error_handler(permissions.NotFound, _not_found)
    blueprint.register_error_handler(permissions.Forbidden, _forbidden)
    blueprint.register_error_handler(AuthoringError, _refused)
    for conflict in (QuizError, AssignmentError, ClassError):
        blueprint.register_error_handler(conflict, _conflict)
    csrf.exempt(blueprint)
    return blueprint

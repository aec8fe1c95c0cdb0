"""Errors of the JSON API as `application/problem+json` (RFC 9457, "Problem Details for HTTP
APIs"): every error response under /api/ carries `type`, `title`, `status` and a `detail`
that says what went wrong and, where it can, what to do; a refused request body adds
`errors`, the problems per field.

`type` is "about:blank" (RFC 9457 section 4.2.1: the problem is just the HTTP status, and
`title` is the status's phrase); the `detail` carries the specific reason.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Response, request

MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def is_api_request() -> bool:
    """Whether the request is for the JSON API (its errors are problem documents)."""
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def problem(
    status: int,
    detail: str,
    *,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """A problem document response: `status`, its phrase as `title`, and `detail`.

    `errors` (field name -> list of messages, nested for nested fields) is added for a
    refused request body or query. `headers` are added to the response (Allow for 405,
    Retry-After for 429, WWW-Authenticate for 401); `extra` members follow (RFC 9457 section
    3.2: a problem type may add its own, as a shortfall adds the `plan` the bank can give).
    """
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    # Errors are never cached: the next request may well succeed.
    response.headers["Cache-Control"] = "no-store"
    return response


class ProblemSchema(ma.Schema):
    """A problem document (RFC 9457), as every error of the API is sent."""

    type = ma.fields.String(
        required=True, metadata={"description": 'Always "about:blank": the status says it.'}
    )
    title = ma.fields.String(required=True, metadata={"description": "The status's phrase."})
    status = ma.fields.Integer(required=True, metadata={"description": "The HTTP status."})
    detail = ma.fields.String(
        required=True, metadata={"description": "What went wrong, in the user's language."}
    )
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "For a refused body or query: the problems of each field."},
    )
    plan = ma.fields.Dict(
        metadata={"description": "A quiz the bank cannot give as asked: what it can give."}
    )

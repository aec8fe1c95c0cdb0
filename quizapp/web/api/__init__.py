"""The JSON API (`/api/v1`, issue 14): resources over the same services as the pages,
personal access tokens (`access`), problem documents for errors (`problems`), pages and ETags
(`paging`), and the OpenAPI 3.1 document generated from the code by flask-smorest and apispec
(`/api/v1/openapi.json`) with a reference page rendered from it (`reference`).

`init_api(app)` binds one `Api` per app (the document is built from the blueprints
registered on that app), after the app's own blueprints and its bounded `int` converter.
"""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.routing import UnicodeConverter

from quizapp.web.api.problems import MEDIA_TYPE, ProblemSchema
from quizapp.web.numbers import DB_INTEGER_MAX, BoundedIntegerConverter

SETTINGS = {
    "API_TITLE": "quizapp API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
DESCRIPTION = (
    "Quizzes generated from curated facts, every answer linked to the passage that proves it. "
    "Authenticate with a personal access token made on your account page: "
    "`Authorization: Bearer <token>`. A read-only token may only GET. Errors are "
    "`application/problem+json` (RFC 9457). Lists are paged (`page`, `per_page`; links in the "
    "body and the `Link` header). Reads that clients poll carry an `ETag`: send it back in "
    "`If-None-Match` to get `304 Not Modified` while nothing changed. A question's key is "
    "never sent before it is answered."
)


class QuizappApi(Api):
    """flask-smorest's Api, with errors documented (and sent) as problem documents.

    Its own JSON error handler is not installed: the API blueprints answer with
    `problems.problem` (`access.api_blueprint`), and the app's handlers do so for any path
    under /api/ (`web.setup`), so the HTML error pages of the site stay as they are.
    """

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"

    def _register_error_handlers(self) -> None:
        """Nothing: errors are problem documents (see the class)."""

    def _register_responses(self) -> None:
        """The components' error responses, as `application/problem+json`."""
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as a problem document.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def _int_parameter(converter: BoundedIntegerConverter) -> dict:
    return {
        "type": "integer",
        "minimum": converter.min if converter.min is not None else 1,
        "maximum": converter.max if converter.max is not None else DB_INTEGER_MAX,
        "examples": [1],
    }


def _slug_parameter(converter: UnicodeConverter) -> dict:
    return {"type": "string", "examples": ["romania-ww2"]}


def init_api(app: Flask) -> QuizappApi:
    """Bind the API to `app`: its blueprints, the OpenAPI document and the reference page."""
    from quizapp.web.api import (
        attempts,
        authoring,
        banks,
        classes,
        me,
        questions,
        reference,
        reports,
    )

    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": DESCRIPTION},
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "A personal access token (account page).",
                    }
                }
            },
            "security": [{"bearerAuth": []}],
        },
    )
    api = QuizappApi()
    # Path parameters with an example each, which Schemathesis tries first (and a reader too).
    api.register_converter(BoundedIntegerConverter, _int_parameter)
    api.register_converter(UnicodeConverter, _slug_parameter)
    api.init_app(app)
    for module in (me, banks, authoring, questions, attempts, classes, reports):
        api.register_blueprint(module.blp)
    app.register_blueprint(reference.bp)
    return api

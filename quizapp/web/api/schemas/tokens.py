"""The JSON shapes of `/me`: who a token acts for and the token itself (never its secret)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from quizapp.models import TOKEN_SCOPES
from quizapp.web.api.schemas.common import UtcDateTime, nullable


class TokenSchema(ma.Schema):
    """The token this request uses (never its secret)."""

    name = fields.String(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(TOKEN_SCOPES))
    expires_at = nullable(UtcDateTime)


class MeSchema(ma.Schema):
    """Who the token acts for."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    token = fields.Nested(TokenSchema, required=True)

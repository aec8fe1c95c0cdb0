"""Who a token acts for: the first call a client makes to check its token."""

from __future__ import annotations

from flask import g

from quizapp.web.api.access import api_blueprint, api_user
from quizapp.web.api.schemas import tokens as schemas

blp = api_blueprint("api_me", __name__, "Your account", "The token's user and the token itself.")


@blp.route("/me")
@blp.response(200, schemas.MeSchema)
def me():
    """The user this token acts for (their role decides what they may do) and the token's
    name, scope and expiry."""
    user = api_user()
    token = g.api_token
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role,
        "token": {"name": token.name, "scope": token.scope, "expires_at": token.expires_at},
    }

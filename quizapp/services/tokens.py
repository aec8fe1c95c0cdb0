"""Personal access tokens for the JSON API: made, listed, revoked and checked here.

A token is `qz_` followed by 43 URL-safe characters from `secrets` (256 random bits). Only its
SHA-256 is stored: a token carries its full entropy, so a slow password hash would add nothing
against guessing and would cost every API request; a fast hash still means that a copy of the
database does not give anyone a usable token (RFC 6750 bearer tokens; the same reasoning as
GitHub's personal access tokens). The token itself is handed back once, when it is made, and
never again.

Scopes: "read" allows GET (and HEAD) requests only, "write" every request the user's own
rights allow. A token acts as its user with the role the user has at each request (a teacher
demoted to student loses the teachers' routes at once). Revoking or expiry stops a token at
once; a token of a user who must change a one-time password is refused until they do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _

from quizapp.extensions import db
from quizapp.models import TOKEN_SCOPES, ApiToken, User, utcnow
from quizapp.services.permissions import NotFound

PREFIX = "qz_"
# The characters of a token shown in the list, so its owner can tell tokens apart.
SHOWN_PREFIX = 10
MAX_TOKENS = 20
MAX_EXPIRY_DAYS = 366
MAX_NAME = 64


class TokenError(ValueError):
    """A refused token change; the message is meant for the user."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: its row, and the secret to show once."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    """The hex SHA-256 of a token's text (UTF-8), as stored in `api_tokens.token_hash`."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    user: User,
    name: str,
    scope: str,
    expires_in_days: int | None = None,
    now: dt.datetime | None = None,
) -> NewToken:
    """Make a token for `user` (the caller commits) and return it with its secret.

    `scope` is "read" or "write"; `expires_in_days` (1 to MAX_EXPIRY_DAYS) sets the expiry
    that many days from `now`, None never. TokenError (translated) for a blank or long name,
    an unknown scope, an expiry out of range, or more than MAX_TOKENS live tokens.
    """
    now = now or utcnow()
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Give the token a name, such as the program that will use it."))
    if len(name) > MAX_NAME:
        raise TokenError(_("A token's name has at most %(max)d characters.", max=MAX_NAME))
    if scope not in TOKEN_SCOPES:
        raise TokenError(_("Choose whether the token may only read or also change things."))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise TokenError(
            _("A token expires after 1 to %(max)d days, or never.", max=MAX_EXPIRY_DAYS)
        )
    if len(list_tokens(user, now)) >= MAX_TOKENS:
        raise TokenError(_("You have %(max)d tokens already: revoke one first.", max=MAX_TOKENS))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:SHOWN_PREFIX],
        scope=scope,
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.flush()
    return NewToken(token, secret)


def list_tokens(user: User, now: dt.datetime | None = None) -> list[ApiToken]:
    """The user's tokens that still work at `now` (neither revoked nor expired), newest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            db.select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                ApiToken.revoked_at.is_(None),
                db.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
            )
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int, now: dt.datetime | None = None) -> ApiToken:
    """Revoke one of the user's tokens (the caller commits); revoking twice is no error.

    NotFound for a token that is not the user's, as for one that does not exist.
    """
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(str(token_id))
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
    return token


def authenticate(secret: str, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token whose SHA-256 is that of `secret`, or None (unknown, revoked, expired).

    One indexed lookup by hash; comparing hashes by equality in SQL leaks nothing useful, as
    the hash of a guess says nothing about the stored token's text.
    """
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.active(now or utcnow()):
        return None
    return token


def allows(token: ApiToken, method: str) -> bool:
    """Whether the token's scope allows a request with this HTTP method."""
    return token.scope == "write" or method in ("GET", "HEAD", "OPTIONS")

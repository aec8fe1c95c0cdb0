"""Personal access tokens for the JSON API (issue 14, point 2)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.timestamps import utcnow

# "read": GET requests only; "write": every request the user's rights allow.
TOKEN_SCOPES = ("read", "write")


class ApiToken(db.Model):
    """One personal access token of a user, kept only as the SHA-256 of its secret.

    The secret is shown once, when it is made (`services.tokens.create_token`); `prefix` (its
    first characters, not enough to use it) lets its owner recognise it in the list.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (sa.CheckConstraint("scope IN ('read', 'write')", name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    # Hex SHA-256 of the whole token: looked up by equality, unique.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(8), default="read")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Naive UTC; None: never expires.
    expires_at: Mapped[dt.datetime | None] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()

    def active(self, now: dt.datetime) -> bool:
        """Whether the token may be used at `now` (naive UTC): not revoked, not expired."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at

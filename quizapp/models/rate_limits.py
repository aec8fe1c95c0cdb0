"""Rate-limit counters shared by every worker."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db


class RateLimitCounter(db.Model):
    """One fixed-window rate-limit counter, shared by every worker that uses this database.

    Written only by `quizapp.rate_limits.SqlStorage`; `expires_at` is seconds since the epoch.
    """

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)

"""The one clock every stored time is read from."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """The current time in UTC, stored without a zone (every stored time is UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)

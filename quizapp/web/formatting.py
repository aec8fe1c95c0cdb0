"""Numbers, dates and times as the reader expects them: in the interface language ("3,53" in
Spanish) and in the reader's time zone (every stored time is UTC, without a zone).

The time zone is the browser's, which static/timezone.js keeps in a cookie; without it (no
JavaScript, a first visit) the configured default, QUIZAPP_TIMEZONE, else UTC. The filters
below are the only way templates show a number with decimals, a percentage or a moment.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from babel import dates as babel_dates
from flask import Flask, current_app, has_request_context, request
from flask_babel import format_decimal, format_percent, get_locale, to_user_timezone

TIMEZONE_COOKIE = "quizapp_tz"
DEFAULT_TIMEZONE = "UTC"


@functools.cache
def known_timezones() -> frozenset[str]:
    """The IANA time zone names this system knows (read once)."""
    return frozenset(zoneinfo.available_timezones())


def current_timezone() -> str:
    """The reader's time zone: the browser's (cookie), else QUIZAPP_TIMEZONE, else UTC."""
    if has_request_context():
        chosen = request.cookies.get(TIMEZONE_COOKIE, "")
        if chosen in known_timezones():
            return chosen
    configured = current_app.config.get("TIMEZONE") or DEFAULT_TIMEZONE
    return configured if configured in known_timezones() else DEFAULT_TIMEZONE


def number(value: float | int | None, digits: int = 2) -> str:
    """A number with at most `digits` decimals, in the interface language: 3.53, 3,53, 1,250."""
    if value is None:
        return "—"
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(round(float(value), digits), format=pattern)


def percent(value: float | int | None) -> str:
    """A percentage given from 0 to 100, rounded to a whole number: 83%, 83 % (Spanish)."""
    if value is None:
        return "—"
    return format_percent(round(float(value)) / 100)


def _local(moment: dt.datetime) -> dt.datetime:
    """A stored moment (naive UTC, or aware) in the reader's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return to_user_timezone(moment)


def when(moment: dt.datetime | None) -> str:
    """A date and time for people: "Nov 30, 2026, 2:02 PM", "30 nov 2026, 14:02"."""
    if moment is None:
        return "—"
    local, locale = _local(moment), get_locale()
    day = babel_dates.format_skeleton("yMMMd", local, locale=locale)
    time = babel_dates.format_time(local, "short", locale=locale)
    pattern = babel_dates.get_datetime_format("medium", locale=locale)
    return str(pattern).replace("{1}", day).replace("{0}", time)


def day(moment: dt.datetime | None) -> str:
    """A date for people: "Nov 30, 2026", "30 nov 2026"."""
    if moment is None:
        return "—"
    return babel_dates.format_skeleton("yMMMd", _local(moment), locale=get_locale())


def clock(moment: dt.datetime | None) -> str:
    """A time of day with seconds, for deadlines: "2:02:05 PM", "14:02:05"."""
    if moment is None:
        return "—"
    return babel_dates.format_time(_local(moment), "medium", locale=get_locale())


def iso_utc(moment: dt.datetime) -> str:
    """A moment for a `<time datetime>` attribute (machine-readable, never shown)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds") + "Z"


def install(app: Flask) -> None:
    """Register the filters (number, percent, when, day, clock, iso_utc)."""
    app.jinja_env.filters.update(
        number=number, percent=percent, when=when, day=day, clock=clock, iso_utc=iso_utc
    )

"""Spaced practice: the index of banks to practise, each bank's practice page (due and new
facts, the forecast of reviews, mastery) and "Practise now", which starts a session as an
attempt and sends the learner to its first question (`services.practice`).

Days are the learner's: the daily limit of new facts starts again at their midnight, and the
forecast's days are theirs (`formatting.current_timezone`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from babel.dates import format_skeleton
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from quizapp.core import review_forecast
from quizapp.extensions import db
from quizapp.models import Bank, utcnow
from quizapp.services import attempts, permissions, practice
from quizapp.web import formatting
from quizapp.web.forms import LANGUAGE_NAMES, EmptyForm
from quizapp.web.quiz.limits import start_limit

bp = Blueprint("practice", __name__)


@bp.before_request
@login_required
def logged_in_only() -> None:
    """Practice is a learner's own memory: every page needs a login."""


@dataclass(frozen=True)
class LearnerDays:
    """The learner's days: now (naive UTC), today's local date, and the naive UTC starts of
    today and of the forecast's following days."""

    now: dt.datetime
    today: dt.date
    starts: list[dt.datetime]


def learner_days(now: dt.datetime | None = None) -> LearnerDays:
    """Now and the learner's days, in their time zone."""
    zone = zoneinfo.ZoneInfo(formatting.current_timezone())
    now = now or utcnow()
    today = now.replace(tzinfo=dt.UTC).astimezone(zone).date()

    def to_utc(local: dt.datetime) -> dt.datetime:
        return local.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)

    return LearnerDays(now, today, review_forecast.day_starts(today, to_utc))


def _bank(slug: str, language: str) -> Bank:
    """The bank by slug if offered to the learner and it has the language; 404 otherwise."""
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or not permissions.can_take(current_user, bank):
        abort(404)
    if language not in bank.languages:
        abort(404)
    return bank


@bp.route("/practice")
def index():
    """Every bank and language the learner can practise, with what is due and new."""
    summaries = practice.practice_summaries(current_user, utcnow())
    return render_template("practice/index.html", summaries=summaries)


@dataclass(frozen=True)
class ForecastRow:
    """One day of the forecast as its data table lists it."""

    day: str
    count: int


def _forecast(days: list[review_forecast.ForecastDay]):
    """The forecast's SVG and its data table's rows."""
    locale = get_locale()

    def short(day: dt.date) -> str:
        return format_skeleton("MMMd", day, locale=locale)

    def long(day: dt.date) -> str:
        return format_skeleton("yMMMEd", day, locale=locale)

    def bar(day: review_forecast.ForecastDay) -> str:
        return ngettext(
            "%(day)s: %(num)d fact due", "%(day)s: %(num)d facts due", day.count, day=long(day.day)
        )

    svg = review_forecast.forecast_svg(
        days,
        title=_("Facts falling due each day, today and the next %(num)d days", num=len(days) - 1),
        description=ngettext(
            "%(num)d review in the next two weeks; the data table below gives each day's.",
            "%(num)d reviews in the next two weeks; the data table below gives each day's.",
            sum(d.count for d in days),
        ),
        day_label=short,
        bar_label=bar,
    )
    rows = [ForecastRow(long(d.day), d.count) for d in days]
    return Markup(svg), rows


@bp.route("/practice/<slug>/<language>")
def page(slug: str, language: str):
    """A bank's practice page in one language: due and new facts, what "Practise now" would
    ask, the reviews due over the next two weeks, and mastery overall and per topic."""
    bank = _bank(slug, language)
    days = learner_days()
    overview = practice.practice_overview(
        current_user, bank, language, now=days.now, day_starts=days.starts, today=days.today
    )
    chart, chart_rows = _forecast(overview.forecast)
    return render_template(
        "practice/page.html",
        overview=overview,
        bank=bank,
        language=language,
        language_name=LANGUAGE_NAMES.get(language, language),
        chart=chart,
        chart_rows=chart_rows,
        form=EmptyForm(formdata=None),
    )


@bp.route("/practice/<slug>/<language>/start", methods=["POST"])
@start_limit  # like a quiz's start, each session freezes a question set
def start(slug: str, language: str):
    """Start a practice session (or continue the one open) and go to its first question."""
    bank = _bank(slug, language)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    days = learner_days()
    try:
        session = practice.start_practice(
            current_user, bank, language, day_start=days.starts[0], now=days.now
        )
    except practice.NothingToPractise as nothing:
        if nothing.next_due is not None:
            flash(
                _(
                    "Nothing to practise now: the next fact is due %(when)s.",
                    when=formatting.when(nothing.next_due),
                ),
                "info",
            )
        else:
            flash(str(nothing), "info")
    except attempts.QuizError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        return redirect(url_for("quiz.review", attempt_id=session.id))
    return redirect(url_for("practice.page", slug=slug, language=language))

"""Score history: a learner's own, and for the teachers of their classes theirs (with the
assignments of those classes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_skeleton
from flask import Blueprint, render_template, request
from flask_babel import format_datetime, format_percent, get_locale, ngettext, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from quizapp.core import charts
from quizapp.models import User, utcnow
from quizapp.services import history, mastery
from quizapp.web.assignment_forms import ASSIGNMENT_STATES, GRADING_NAMES
from quizapp.web.forms import LANGUAGE_NAMES
from quizapp.web.i18n import current_language
from quizapp.web.numbers import last_page_or_404, page_argument

bp = Blueprint("history", __name__)


@bp.route("/history")
@login_required
def mine():
    """The current learner's history."""
    return _render_history(current_user)


@bp.route("/history/<int:user_id>")
@login_required
def learner(user_id: int):
    """A learner's history: for the teachers of a class the learner is in, or the learner
    themself; anyone else gets a 404 (`services.history.learner_for`)."""
    return _render_history(history.learner_for(current_user, user_id))


@dataclass(frozen=True)
class ChartRow:
    """One attempt of the chart, as its data table lists it."""

    number: int
    attempt_id: int
    when: str
    series: str
    percentage: str


def _filters(choices: history.FilterChoices) -> history.Filters:
    """The bank and language filters of the query string; unknown values mean "all"."""
    bank = request.args.get("bank", "")
    language = request.args.get("language", "")
    bank_ids = {bank_id for bank_id, _titles in choices.banks}
    bank_id = int(bank) if bank.isascii() and bank.isdigit() and int(bank) in bank_ids else None
    return history.Filters(bank_id, language if language in choices.languages else None)


def _day_label(days: list[dt.date]):
    """A short date writer for the x axis: without the year when every day is in one year."""
    skeleton = "MMMd" if len({d.year for d in days}) <= 1 else "yMMMd"
    locale = get_locale()
    return lambda day: format_skeleton(skeleton, day, locale=locale)


def _chart(points: list[history.TrendPoint], titles: dict[int, str]):
    """The chart's SVG, its legend and its data table, one series per bank and language."""
    keys = list(dict.fromkeys((p.bank_id, p.language) for p in points))
    names = [
        f"{titles.get(bank_id, '?')} ({LANGUAGE_NAMES.get(language, language)})"
        for bank_id, language in keys
    ]
    index = {key: i for i, key in enumerate(keys)}
    chart_points, rows = [], []
    for number, point in enumerate(points, start=1):
        series = index[(point.bank_id, point.language)]
        when = format_datetime(point.finished_at, "short")
        percentage = format_percent(round(point.percentage) / 100)
        chart_points.append(
            charts.ChartPoint(
                series,
                to_user_timezone(point.finished_at),
                point.percentage,
                f"{names[series]}: {percentage} ({when})",
            )
        )
        rows.append(ChartRow(number, point.attempt_id, when, names[series], percentage))
    layout = charts.layout(chart_points, _day_label([p.when.date() for p in chart_points]))
    svg = charts.trend_svg(
        layout,
        len(names),
        title=_("Score of each finished attempt, oldest to newest"),
        description=ngettext(
            "%(num)d finished attempt; the data table below gives its score.",
            "%(num)d finished attempts; the data table below gives their scores.",
            len(points),
        ),
        tick_label=lambda tick: format_percent(tick / 100),
    )
    legend = [(name, Markup(charts.legend_key(i))) for i, name in enumerate(names)]
    return Markup(svg), legend, rows


def _render_history(user: User):
    language = current_language()
    choices = history.filter_choices(user.id)
    filters = _filters(choices)
    page = history.attempts_page(user.id, page_argument(), filters=filters)
    last_page_or_404(page.page, page.total or 0, page.per_page)
    summaries = history.bank_summaries(user.id, filters)
    titles = {
        bank_id: titles.get(language) or next(iter(titles.values()), "?")
        for bank_id, titles in choices.banks
    }
    chart, legend, chart_rows = _chart(history.trend(user.id, filters), titles)
    masteries = mastery.learner_mastery(user, utcnow(), filters.bank_id, filters.language)
    query = {
        key: value
        for key, value in (("bank", filters.bank_id), ("language", filters.language))
        if value is not None
    }
    return render_template(
        "history/index.html",
        learner=user,
        standings=history.assignment_standings(current_user, user),
        state_names=ASSIGNMENT_STATES,
        grading_names=GRADING_NAMES,
        page=page,
        summaries=summaries,
        masteries=masteries,
        chart=chart,
        legend=legend,
        chart_rows=chart_rows,
        chart_limit=history.TREND_LIMIT,
        choices=choices,
        titles=titles,
        filters=filters,
        query=query,
        language=language,
    )

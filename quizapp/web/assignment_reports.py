"""The teachers' reports on an assignment (issue 11, points 4 to 6): the report (who has
started and finished, grades, the distribution as an SVG histogram with its data table, the
regrade log), what the class misses (with "mark this typed answer right" and its regrade) and
the item analysis. Views call `services.assignment_reports`, `missed_facts`, `regrade` and
`item_statistics`, which check that the user teaches the assignment's class.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_percent, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from quizapp.core import item_analysis as items_core
from quizapp.core.checking import MAX_ANSWER_CHARS
from quizapp.core.histograms import HistogramBin, histogram_svg
from quizapp.extensions import db
from quizapp.models import SchoolClass
from quizapp.services import assignment_reports as reports
from quizapp.services import assignments, item_statistics, missed_facts, regrade
from quizapp.web.assignment_forms import GRADING_NAMES
from quizapp.web.fields import AppForm
from quizapp.web.numbers import last_page_or_404, page_argument

bp = Blueprint("assignment_reports", __name__)

STATUS_NAMES = {
    reports.NOT_STARTED: _l("Not started"),
    reports.IN_PROGRESS: _l("In progress"),
    reports.FINISHED: _l("Finished"),
}
# Short, for a table cell; "What the figures mean" on the page gives the thresholds.
FLAG_NAMES = {
    items_core.LOW_EFFICIENCY: _l("discriminates poorly"),
    items_core.TOO_HARD: _l("too hard"),
    items_core.TOO_EASY: _l("too easy"),
}


class AcceptAnswerForm(AppForm):
    """Mark one typed answer right: the fact it answers and its normalised form."""

    fact_key = HiddenField(validators=[DataRequired(), Length(max=128)])
    answer = HiddenField(validators=[DataRequired(), Length(max=MAX_ANSWER_CHARS * 2)])


@bp.before_request
@login_required
def logged_in_only() -> None:
    """The reports are for a class's teachers: every page here needs a login."""


@bp.app_template_filter("percent1")
def percent_one_decimal(value: float | None) -> str:
    """A percentage given from 0 to 100 with one decimal: 53.3%, 53,3 % (Spanish)."""
    if value is None:
        return "—"
    # The locale's own percent pattern (its spacing, its sign's place) with one decimal.
    pattern = get_locale().percent_formats[None].pattern
    pattern = re.sub(r"0(?![^;]*0)", "0.0", pattern.split(";")[0], count=1)
    return format_percent(round(float(value), 1) / 100, format=pattern)


def _which() -> str:
    return reports.attempt_choice(request.args.get("attempts"))


def _context(assignment, section: str, which: str | None = None) -> dict:
    """What every report page shows around its figures (title, class, navigation; base.html
    keeps `section` for the main menu)."""
    return {
        "assignment": assignment,
        "school_class": db.session.get(SchoolClass, assignment.class_id),
        "report_section": section,
        "which": which,
    }


def _histogram(distribution) -> Markup:
    def bar_label(histogram_bin: HistogramBin) -> str:
        return ngettext(
            "%(range)s: %(num)d learner",
            "%(range)s: %(num)d learners",
            histogram_bin.count,
            range=_bin_range(histogram_bin),
        )

    svg = histogram_svg(
        distribution,
        title=_("Learners' grades, in bands of 10 percentage points"),
        description=ngettext(
            "%(num)d learner with a grade; the table below gives the count in each band.",
            "%(num)d learners with a grade; the table below gives the count in each band.",
            distribution.count,
        ),
        tick_label=lambda edge: format_percent(edge / 100),
        bar_label=bar_label,
    )
    return Markup(svg)


def _bin_range(histogram_bin: HistogramBin) -> str:
    low, high = format_percent(histogram_bin.low / 100), format_percent(histogram_bin.high / 100)
    if histogram_bin.closed:
        return _("%(low)s to %(high)s", low=low, high=high)
    return _("%(low)s to under %(high)s", low=low, high=high)


@bp.route("/assignments/<int:assignment_id>/report")
def report(assignment_id: int):
    """The assignment report: learners by status with their grades, the grades' distribution
    (histogram and table, mean, median, standard deviation) and the regrade log."""
    page = page_argument()
    status = request.args.get("status") or None
    data = reports.assignment_report(current_user, assignment_id, page=page, status=status)
    last_page_or_404(page, data.total, data.per_page)
    return render_template(
        "assignments/reports/report.html",
        report=data,
        histogram=_histogram(data.distribution),
        bin_range=_bin_range,
        status_names=STATUS_NAMES,
        grading=GRADING_NAMES.get(data.assignment.grading_method),
        **_context(data.assignment, "report"),
    )


@bp.route("/assignments/<int:assignment_id>/report/misses")
def misses(assignment_id: int):
    """What the class misses: facts and topics by the share of learners who got them wrong,
    with their passages and the answers typed most often (each may be marked right)."""
    which = _which()
    data = missed_facts.class_misses(current_user, assignment_id, which)
    return render_template(
        "assignments/reports/misses.html",
        misses=data,
        accept_form=AcceptAnswerForm(formdata=None),
        regrades=reports.regrade_log(data.assignment, limit=10),
        **_context(data.assignment, "misses", which),
    )


@bp.route("/assignments/<int:assignment_id>/report/accept", methods=["POST"])
def accept(assignment_id: int):
    """Mark a typed answer right and regrade the assignment's attempts (PRG)."""
    # The right first: a learner gets 403 and an outsider 404 whatever the form holds.
    assignments.get_assignment(current_user, assignment_id, "teach")
    form = AcceptAnswerForm()
    back = url_for("assignment_reports.misses", assignment_id=assignment_id)
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = regrade.accept_typed_answer(
            current_user, assignment_id, form.fact_key.data, form.answer.data
        )
    except regrade.RegradeError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    if not outcome.changed:
        flash(_("“%(answer)s” was accepted already: nothing changed.", answer=outcome.answer))
    else:
        where = (
            _("It is now accepted by the fact in the bank and by this assignment's questions.")
            if outcome.scope == regrade.BANK
            else _("It is now accepted by this assignment's questions (not by the bank).")
        )
        flash(
            " ".join(
                [
                    _("“%(answer)s” is marked right.", answer=outcome.answer),
                    where,
                    ngettext(
                        "%(num)d answer regraded",
                        "%(num)d answers regraded",
                        outcome.responses_changed,
                    ),
                    ngettext(
                        "in %(num)d attempt.", "in %(num)d attempts.", outcome.attempts_changed
                    ),
                ]
            ),
            "success",
        )
    return redirect(back)


@bp.route("/assignments/<int:assignment_id>/report/items")
def items(assignment_id: int):
    """The item analysis with Moodle's quiz statistics, and the options picked."""
    which = _which()
    data = item_statistics.item_analysis(current_user, assignment_id, which)
    return render_template(
        "assignments/reports/items.html",
        analysis=data,
        flag_names=FLAG_NAMES,
        **_context(data.assignment, "items", which),
    )

"""Score history: a learner's own, and for teachers any learner's and the class view."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.models import Bank, User
from quizapp.services import history
from quizapp.web.charts import legend, trend_chart
from quizapp.web.i18n import current_language
from quizapp.web.numbers import last_page_or_404, page_argument

bp = Blueprint("history", __name__)
CLASS_PER_PAGE = 20


@bp.route("/history")
@login_required
def mine():
    """The current learner's history."""
    return _render_history(current_user)


@bp.route("/history/<int:user_id>")
@login_required
def learner(user_id: int):
    """A learner's history: for teachers, or the learner themself; others get a 404."""
    if user_id != current_user.id and not current_user.is_teacher:
        abort(404)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return _render_history(user)


def _render_history(user: User):
    language = current_language()
    page = history.attempts_page(user.id, page_argument())
    last_page_or_404(page.page, page.total or 0, page.per_page)
    summaries = history.bank_summaries(user.id)
    raw = history.trend(user.id)
    titles = {
        b.id: b.title(language)
        for b in db.session.scalars(db.select(Bank).where(Bank.id.in_(list(raw))))
    }
    series = {titles[bank_id]: values for bank_id, values in raw.items()}
    chart = trend_chart(
        series,
        _("Percentage over time, per bank"),
        _("finished attempts, oldest to newest"),
    )
    return render_template(
        "history/index.html",
        learner=user,
        page=page,
        summaries=summaries,
        chart=chart,
        legend=legend(list(series)),
        language=language,
    )


@bp.route("/class")
@login_required
def class_view():
    """Teachers: every learner with attempts, average and last activity."""
    if not current_user.is_teacher:
        abort(403)
    page = page_argument()
    learners, total = history.learners_page(page, CLASS_PER_PAGE)
    pages = last_page_or_404(page, total, CLASS_PER_PAGE)
    return render_template("history/class.html", learners=learners, page=page, pages=pages)

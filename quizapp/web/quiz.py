"""Taking a quiz: home, start, one question per page with feedback, finish, review."""

from __future__ import annotations

import datetime as dt
import math
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, Signer

from quizapp.core.question_types import TYPES
from quizapp.extensions import db, limiter
from quizapp.models import Bank
from quizapp.services import attempts, banks
from quizapp.web.forms import EmptyForm, StartQuizForm, answer_form, answer_from
from quizapp.web.i18n import current_language

bp = Blueprint("quiz", __name__)


def _start_form(bank: Bank) -> StartQuizForm:
    form = StartQuizForm(prefix=f"b{bank.id}")
    form.set_choices(bank.languages)
    if not form.is_submitted() and current_language() in bank.languages:
        # Offer quizzes in the interface's language first.
        form.language.data = current_language()
    return form


@bp.route("/")
def home():
    """The banks, a start form for each, and any attempt to resume."""
    listed = [
        (bank, count, banks.facts_by_language(bank.id), _start_form(bank))
        for bank, count in banks.list_banks()
    ]
    unfinished = attempts.unfinished_attempts(current_user) if current_user.is_authenticated else []
    return render_template("quiz/home.html", banks=listed, unfinished=unfinished)


@bp.route("/banks/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    """Start a new attempt with its own frozen question set."""
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or bank.archived:
        abort(404)
    form = _start_form(bank)
    if form.validate_on_submit():
        try:
            attempt = attempts.start_attempt(
                current_user,
                bank,
                form.language.data,
                form.count.data,
                form.types.data,
                time_limit_minutes=form.time_limit.data or None,
            )
        except attempts.QuizError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
    listed = [
        (b, count, banks.facts_by_language(b.id), form if b.id == bank.id else _start_form(b))
        for b, count in banks.list_banks()
    ]
    unfinished = attempts.unfinished_attempts(current_user)
    return render_template("quiz/home.html", banks=listed, unfinished=unfinished), 400


def _owned_attempt(attempt_id: int, write: bool = False):
    attempt = attempts.attempt_for(current_user, attempt_id, write=write)
    if attempt is None:
        abort(404)
    return attempt


def _learner_key() -> str:
    return f"learner:{current_user.get_id()}"


@bp.route("/attempts/<int:attempt_id>/q/<int:position>", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["RATELIMIT_WRONG_ANSWERS"],
    methods=["POST"],
    key_func=_learner_key,
    # Only wrong answers count, so that guessing answers by brute force is slowed down.
    deduct_when=lambda response: bool(g.get("wrong_answer")),
    error_message="Too many wrong answers in a short time; wait a minute before answering again.",
)
def question(attempt_id: int, position: int):
    """Show a question; on POST check and store the answer, then show its feedback (PRG).

    One query reads the attempt, the item and any stored answer; showing a question writes
    nothing (the time it was shown travels, signed, in the answer form), and an answer is one
    short write transaction.
    """
    page = attempts.question_page(current_user, attempt_id, position)
    if page is None:
        abort(404)
    question = attempts.frozen_question(page.item)
    if page.response is None and page.attempt.finished_at is None:
        form = answer_form(question)
        if request.method == "POST" and form.validate_on_submit():
            try:
                outcome = attempts.record_answer(
                    current_user,
                    attempt_id,
                    position,
                    answer_from(form, question),
                    shown_at=_shown_at(form.shown.data, page.item.id),
                    page=page,
                    question=question,
                )
            except attempts.QuizError as error:
                if attempts.deadline_passed(page.attempt):
                    return _time_is_up(attempt_id, str(error))
                flash(str(error), "error")
            else:
                g.wrong_answer = outcome.first and not outcome.response.correct
                if attempts.deadline_passed(page.attempt):
                    # Sent at zero (by the page itself) within the grace: counted, then closed.
                    return _time_is_up(
                        attempt_id, _("Time is up: your answer was submitted and counted.")
                    )
            return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
        if attempts.deadline_passed(page.attempt):
            if request.method == "POST":
                message = _("Time is up: this question had no complete answer and scores 0.")
            else:
                message = _("Time is up: answers can no longer be given.")
            return _time_is_up(attempt_id, message)
        if not form.shown.data:
            form.shown.data = _shown_token(page.item.id)
        time_left = attempts.time_left(page.attempt)
        return render_template(
            "quiz/question.html",
            attempt=page.attempt,
            item=page.item,
            question=question,
            form=form,
            template=TYPES[question.type].template,
            total=page.total,
            time_left=time_left,
            # Rounded up, so that the page's countdown reaches zero at or just after the deadline.
            seconds_left=None if time_left is None else math.ceil(time_left.total_seconds()),
        ), (400 if form.errors else 200)
    if request.method == "POST":
        if page.response is None:
            flash(_("This attempt is finished; its answers can no longer change."), "error")
        else:
            # A second answer (double click, replay, back button): the first one stands.
            flash(_("This question was already answered; your first answer is kept."), "info")
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
    return render_template(
        "quiz/feedback.html",
        attempt=page.attempt,
        item=page.item,
        question=question,
        response=page.response,
        total=page.total,
        next_position=page.next_position,
    )


def _time_is_up(attempt_id: int, message: str):
    """Close a timed attempt whose deadline has passed and show its results with `message`."""
    attempts.close_attempt(current_user, attempt_id)
    db.session.commit()
    flash(message, "info")
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


def _shown_signer() -> Signer:
    return Signer(current_app.secret_key, salt="quizapp.question-shown")


def _shown_token(item_id: int) -> str:
    """`<item id>.<milliseconds since the epoch>`, signed: when this question page was shown."""
    return _shown_signer().sign(f"{item_id}.{time.time_ns() // 1_000_000}").decode()


def _shown_at(token: str | None, item_id: int) -> dt.datetime | None:
    """The time a page for this item was shown, from its signed token (None if not valid)."""
    if not token:
        return None
    try:
        value = _shown_signer().unsign(token).decode()
    except BadSignature:
        return None
    shown_item, _dot, millis = value.partition(".")
    if shown_item != str(item_id) or not (millis.isascii() and millis.isdigit()):
        return None
    return dt.datetime.fromtimestamp(int(millis) / 1000, dt.UTC).replace(tzinfo=None)


@bp.route("/attempts/<int:attempt_id>/finish", methods=["POST"])
@login_required
def finish(attempt_id: int):
    """Close the attempt and show its results."""
    _owned_attempt(attempt_id, write=True)
    form = EmptyForm()
    if form.validate_on_submit():
        attempts.finish_attempt(current_user, attempt_id)
        db.session.commit()
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def review(attempt_id: int):
    """The results of an attempt, or the way back into it when it is still open."""
    attempt = _owned_attempt(attempt_id)
    if attempt.finished_at is None and attempt.user_id == current_user.id:
        position = attempts.next_unanswered(attempt)
        if position is not None:
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))
    rows = [(item, attempts.frozen_question(item), item.response) for item in attempt.items]
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        rows=rows,
        duration=attempts.duration(attempt),
        finish_form=EmptyForm(),
    )

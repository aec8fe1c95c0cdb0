"""Taking a quiz: one question per page, its answer and feedback (PRG), flags, the time limit,
and finishing (with a confirmation when finishing early)."""

from __future__ import annotations

import math

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.core.public_questions import tolerance_of
from quizapp.core.question_types import TYPES, Question
from quizapp.extensions import db
from quizapp.services import assignment_windows, attempts
from quizapp.web.forms import EmptyForm, answer_form, answer_from
from quizapp.web.numbers import whole_number
from quizapp.web.quiz import bp
from quizapp.web.quiz.limits import count_wrong_answer, wrong_answer_limit
from quizapp.web.quiz.results import owned_attempt, review_note
from quizapp.web.shown_tokens import PAGE_SALT, shown_at, shown_token


@bp.route("/attempts/<int:attempt_id>/q/<int:position>", methods=["GET", "POST"])
@login_required
@wrong_answer_limit
def question(attempt_id: int, position: int):
    """Show a question; on POST check and store the answer, then show its feedback (PRG).

    One query reads the attempt, the item and any stored answer; showing a question writes
    nothing (the time it was shown travels, signed, in the answer form), and an answer is one
    short write transaction.
    """
    page = attempts.question_page(current_user, attempt_id, position)
    if page is None:
        abort(404)
    if page.attempt.live_game is not None and page.attempt.finished_at is None:
        # A live game's questions are answered in the game, at the teacher's pace.
        return redirect(url_for("live.game_player", game_id=page.attempt.live_game))
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
                    shown_at=shown_at(form.shown.data, page.item.id, PAGE_SALT),
                    page=page,
                    question=question,
                )
            except attempts.QuizError as error:
                if attempts.deadline_passed(page.attempt):
                    return _time_is_up(attempt_id, str(error))
                flash(str(error), "error")
            else:
                count_wrong_answer(outcome)
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
            form.shown.data = shown_token(page.item.id, PAGE_SALT)
        time_left = attempts.time_left(page.attempt)
        return render_template(
            "quiz/question.html",
            attempt=page.attempt,
            item=page.item,
            question=question,
            form=form,
            template=TYPES[question.type].template,
            total=page.total,
            nav=attempts.attempt_map(current_user, attempt_id),
            tolerance=numeric_tolerance(question),
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
    finished = page.attempt.finished_at is not None
    if not assignment_windows.review_open(page.attempt.assignment_id, current_user.id, finished):
        return render_template(
            "quiz/recorded.html",
            attempt=page.attempt,
            item=page.item,
            question=question,
            total=page.total,
            next_position=page.next_position,
            nav=attempts.attempt_map(current_user, attempt_id),
            review_note=review_note(page.attempt.assignment_id, finished),
        )
    return render_template(
        "quiz/feedback.html",
        attempt=page.attempt,
        item=page.item,
        question=question,
        response=page.response,
        total=page.total,
        next_position=page.next_position,
        nav=attempts.attempt_map(current_user, attempt_id),
        # Words of the passage that answer questions still to come are hidden until answered.
        pending=attempts.pending_answers(page),
    )


def numeric_tolerance(question: Question) -> str | None:
    """How far from the right number an answer may be and still count, in the interface
    language ("5", "0,5"), for a numeric question with a tolerance; None otherwise.

    A hand-written question gives ranges per answer: its best answer's half-width is shown.
    """
    tolerance = tolerance_of(question)
    return None if tolerance is None else format_decimal(tolerance)


def _wants_json() -> bool:
    """Whether the request comes from a page's script asking for JSON (not a form's POST)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.route("/attempts/<int:attempt_id>/q/<int:position>/flag", methods=["POST"])
@login_required
def flag(attempt_id: int, position: int):
    """Flag a question for review or remove its flag (`flagged` is "1" or "0").

    A form's POST is redirected back to the question (PRG); the page's script asks for JSON
    and changes the page in place. The form names the state it wants, so a second click or a
    replayed POST never undoes the first.
    """
    wanted = request.form.get("flagged")
    if wanted not in ("0", "1"):
        abort(400)
    flagged = wanted == "1"
    try:
        attempts.set_flag(current_user, attempt_id, position, flagged)
    except LookupError:
        abort(404)
    except attempts.QuizError as error:
        if _wants_json():
            return {"error": str(error)}, 409
        attempt = owned_attempt(attempt_id, write=True)
        if attempts.deadline_passed(attempt):
            return _time_is_up(attempt_id, str(error))
        flash(str(error), "error")
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
    db.session.commit()
    if flagged:
        message = _("Question %(n)s is flagged for review.", n=position)
    else:
        message = _("Question %(n)s is no longer flagged.", n=position)
    if _wants_json():
        return {"flagged": flagged, "position": position, "message": message}
    flash(message, "info")
    return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))


def _time_is_up(attempt_id: int, message: str):
    """Close a timed attempt whose deadline has passed and show its results with `message`."""
    attempts.close_attempt(current_user, attempt_id)
    db.session.commit()
    flash(message, "info")
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


def _confirm_finish(attempt_id: int):
    """The step before finishing early: how many questions are unanswered or flagged, the
    button that finishes, and the way back to the question the learner came from (`from`)."""
    nav = attempts.attempt_map(current_user, attempt_id)
    if nav is None:
        abort(404)
    if nav.attempt.finished_at is not None:
        return redirect(url_for("quiz.review", attempt_id=attempt_id))
    if attempts.deadline_passed(nav.attempt):
        return _time_is_up(attempt_id, _("Time is up: answers can no longer be given."))
    back = whole_number(request.args.get("from"), 1, nav.total) or nav.next_unanswered or 1
    return render_template(
        "quiz/finish.html",
        attempt=nav.attempt,
        nav=nav,
        back=back,
        time_left=attempts.time_left(nav.attempt),
    )


# One rule for both methods: with a GET rule and a POST rule on one path, Werkzeug answers 405
# instead of 404 for an id its converter refuses (it notes the other rule's method first).
@bp.route("/attempts/<int:attempt_id>/finish", methods=["GET", "POST"])
@login_required
def finish(attempt_id: int):
    """GET: the confirmation before finishing early. POST: close the attempt, show results."""
    if request.method == "GET":
        return _confirm_finish(attempt_id)
    owned_attempt(attempt_id, write=True)
    form = EmptyForm()
    if form.validate_on_submit():
        attempts.finish_attempt(current_user, attempt_id)
        db.session.commit()
    return redirect(url_for("quiz.review", attempt_id=attempt_id))

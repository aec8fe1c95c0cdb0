"""An attempt's results: the review page (or the note that an assignment's review opens
later), practising the facts an attempt missed, and discarding an unfinished attempt."""

from __future__ import annotations

from collections import Counter

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.core import results
from quizapp.extensions import db
from quizapp.services import assignment_windows, attempt_modes, attempts, permissions
from quizapp.web import formatting
from quizapp.web.forms import EmptyForm, type_field_name
from quizapp.web.quiz import bp
from quizapp.web.quiz.limits import start_limit


def owned_attempt(attempt_id: int, write: bool = False):
    """The attempt if the current user may read it (`write`: answer or finish it), else 404."""
    attempt = attempts.attempt_for(current_user, attempt_id, write=write)
    if attempt is None:
        abort(404)
    return attempt


@bp.route("/attempts/<int:attempt_id>")
@login_required
def review(attempt_id: int):
    """The results of an attempt, or the way back into it when it is still open.

    A summary comes first (score, time, a grid of every question's outcome, how each question
    type and each topic went, and what to do next), then each question in detail.
    """
    attempt = owned_attempt(attempt_id)
    own = attempt.user_id == current_user.id
    if attempt.finished_at is None and own:
        position = attempts.next_unanswered(attempt)
        if position is not None:
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))
    finished = attempt.finished_at is not None
    if own and not assignment_windows.review_open(attempt.assignment_id, current_user.id, finished):
        return render_template(
            "quiz/attempt_recorded.html",
            attempt=attempt,
            assignment=attempt.assignment,
            review_note=review_note(attempt.assignment_id, finished),
        )
    answers = attempts.answers_of(attempt)
    rows = [
        (item, answer.question, item.response)
        for item, answer in zip(attempt.items, answers, strict=True)
    ]
    offered = own and finished and permissions.can_take(current_user, attempt.bank)
    grid = [
        (item.position, results.outcome(answer))
        for item, answer in zip(attempt.items, answers, strict=True)
    ]
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        rows=rows,
        grid=grid,
        counts=Counter(outcome for _position, outcome in grid),
        by_type=attempts.type_breakdown(attempt.id) if finished else [],
        by_topic=results.topic_breakdown(answers) if finished else [],
        missed=len(attempts.missed_in(answers)) if offered else 0,
        offered=offered,
        # An assignment's settings are the teacher's: a quiz of one's own is started from home.
        same_settings=_same_settings(attempt) if offered and not attempt.assignment_id else None,
        duration=attempts.duration(attempt),
        practice_session=attempt_modes.is_practice(attempt),
        finish_form=EmptyForm(),
        action_form=EmptyForm(),
    )


def review_note(assignment_id: int | None, finished: bool) -> str:
    """When the learner will see right answers and sources of an assignment's attempt."""
    opens = assignment_windows.review_opens_for(assignment_id, current_user.id)
    if opens is not None:
        return _(
            "Right answers and sources are shown once the assignment closes, %(when)s.",
            when=formatting.when(opens),
        )
    if not finished:
        return _("Right answers and sources are shown once you finish the attempt.")
    return _("Right answers and sources are shown once the assignment closes.")


def _same_settings(attempt) -> dict[str, object] | None:
    """The start form's fields for a new quiz like this attempt (bank, language, count, types,
    time limit), or None when its settings do not say them (attempts of older versions)."""
    settings = attempt.settings or {}
    if "count" not in settings or not settings.get("types"):
        return None
    prefix = f"b{attempt.bank_id}-"
    return {
        f"{prefix}language": attempt.language,
        f"{prefix}count": settings["count"],
        f"{prefix}time_limit": settings.get("time_limit_minutes") or 0,
        f"{prefix}{type_field_name(attempt.language)}": list(settings["types"]),
    }


@bp.route("/attempts/<int:attempt_id>/practise", methods=["POST"])
@login_required
@start_limit  # like a start, each practice freezes a question set
def practise(attempt_id: int):
    """Start a new attempt on the facts missed in this one, asked in other forms (PRG)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        practice = attempts.practise_missed(current_user, attempt_id)
    except attempts.NothingMissed as nothing:
        flash(str(nothing), "info")
    except attempts.QuizError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        return redirect(url_for("quiz.question", attempt_id=practice.id, position=1))
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/discard", methods=["POST"])
@login_required
def discard(attempt_id: int):
    """Discard one of the learner's own unfinished attempts, then go home (PRG)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempts.discard_attempt(current_user, attempt_id)
    except attempts.QuizError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The unfinished attempt was discarded."), "success")
    return redirect(url_for("quiz.home"))

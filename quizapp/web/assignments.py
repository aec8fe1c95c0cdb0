"""Assignments: a class's teachers assign a quiz; its learners start and resume attempts.

One page per assignment: its learners see the settings and start or resume an attempt; its
teachers see the settings, the learners' progress and the overrides. Views validate a form,
call `services.assignments`, commit and redirect.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.models import Assignment, SchoolClass
from quizapp.services import (
    assignment_lists,
    assignment_overrides,
    assignments,
    attempts,
    classes,
)
from quizapp.services.assignments import AssignmentError, AssignmentSettings
from quizapp.web.assignment_forms import (
    GRADING_NAMES,
    REVIEW_NAMES,
    AssignForm,
    OverrideForm,
    to_utc,
)
from quizapp.web.formatting import current_timezone
from quizapp.web.forms import LANGUAGE_NAMES, TYPE_NAMES, EmptyForm

bp = Blueprint("assignments", __name__)


@bp.before_request
@login_required
def logged_in_only() -> None:
    """Assignments belong to classes: every page here needs a logged-in member."""


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


def _assign_form(school_class: SchoolClass, **kwargs) -> AssignForm:
    form = AssignForm(**kwargs)
    form.bank.choices = [
        (bank.id, bank.title(bank.languages[0] if bank.languages else ""))
        for bank in assignments.assignable_banks(current_user)
    ]
    return form


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
def new(class_id: int):
    """The form that assigns a quiz to a class; on POST the assignment is made (PRG)."""
    school_class = classes.get_class(current_user, class_id, "teach")
    form = _assign_form(school_class)
    if form.validate_on_submit():
        settings = AssignmentSettings(
            **form.quiz_choice(),
            time_limit_minutes=form.time_limit.data or None,
            opens_at=to_utc(form.opens_at.data),
            closes_at=to_utc(form.closes_at.data),
            attempts_allowed=form.attempts_allowed.data or None,
            grading_method=form.grading_method.data,
            same_questions=bool(form.same_questions.data),
            review=form.review.data,
        )
        try:
            assignment = assignments.create_assignment(current_user, school_class, settings)
        except AssignmentError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The quiz is assigned to %(name)s.", name=school_class.name), "success")
            return redirect(url_for("assignments.show", assignment_id=assignment.id))
    status = 400 if form.errors or form.is_submitted() else 200
    return render_template(
        "assignments/new.html", school_class=school_class, form=form, zone=current_timezone()
    ), status


def _settings_lines(assignment: Assignment) -> dict[str, object]:
    return {
        "language": LANGUAGE_NAMES.get(assignment.language, assignment.language),
        "types": [TYPE_NAMES.get(t, t) for t in assignment.types],
        "grading": GRADING_NAMES.get(assignment.grading_method),
        "review": REVIEW_NAMES.get(assignment.review),
    }


@bp.route("/assignments/<int:assignment_id>")
def show(assignment_id: int):
    """A learner's view (settings, their attempts, start or resume) or a teacher's view
    (settings, learners' progress, overrides) of one assignment."""
    assignment = assignments.get_assignment(current_user, assignment_id, need="member")
    school_class = db.session.get(SchoolClass, assignment.class_id)
    if classes.teaches(current_user, school_class):
        override_form = OverrideForm()
        override_form.learner.choices = [
            (learner.id, learner.name) for learner in assignments.learners_of(school_class)
        ]
        return render_template(
            "assignments/teacher.html",
            assignment=assignment,
            school_class=school_class,
            lines=_settings_lines(assignment),
            progress=assignment_lists.learner_progress(current_user, assignment),
            overrides=assignment_overrides.overrides_of(assignment),
            override_form=override_form,
            remove_form=EmptyForm(),
        )
    mine = assignment_lists.learner_view(current_user, assignment)
    return render_template(
        "assignments/learner.html",
        assignment=assignment,
        school_class=school_class,
        lines=_settings_lines(assignment),
        mine=mine,
        start_form=EmptyForm(),
    )


@bp.route("/assignments/<int:assignment_id>/start", methods=["POST"])
def start(assignment_id: int):
    """Start or resume the learner's attempt, then show its first unanswered question."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempt = assignments.start_attempt(current_user, assignment_id)
    except AssignmentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("assignments.show", assignment_id=assignment_id))
    db.session.commit()
    position = attempts.next_unanswered(attempt) or 1
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))


@bp.route("/assignments/<int:assignment_id>/overrides", methods=["POST"])
def set_override(assignment_id: int):
    """Give one learner a later close, extra attempts or another time limit (PRG)."""
    assignment = assignments.get_assignment(current_user, assignment_id, need="teach")
    school_class = db.session.get(SchoolClass, assignment.class_id)
    form = OverrideForm()
    form.learner.choices = [
        (learner.id, learner.name) for learner in assignments.learners_of(school_class)
    ]
    if not form.validate_on_submit():
        _flash_form_errors(form)
    else:
        try:
            assignment_overrides.set_override(
                current_user,
                assignment,
                form.learner.data,
                closes_at=to_utc(form.closes_at.data),
                extra_attempts=form.extra_attempts.data or 0,
                time_limit_minutes=form.time_limit.data or None,
            )
        except AssignmentError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The override is saved."), "success")
    return redirect(url_for("assignments.show", assignment_id=assignment_id) + "#overrides")


@bp.route("/assignments/<int:assignment_id>/overrides/<int:user_id>/remove", methods=["POST"])
def remove_override(assignment_id: int, user_id: int):
    """Remove one learner's override (PRG)."""
    assignment = assignments.get_assignment(current_user, assignment_id, need="teach")
    if not EmptyForm().validate_on_submit():
        abort(400)
    assignment_overrides.remove_override(current_user, assignment, user_id)
    db.session.commit()
    flash(_("The override is removed."), "success")
    return redirect(url_for("assignments.show", assignment_id=assignment_id) + "#overrides")

"""LTI 1.3 endpoints: OIDC login initiation, the launch, quizapp's key set, the deep-linking
selection pages, and a teacher's roster sync.

/lti/login and /lti/launch are posted by the LMS (another site), so they carry no CSRF token:
they are protected by the OIDC state and nonce and the platform's signature instead
(services.lti.tool). A refused login or launch is a page saying why (status 4xx), never a 500.
The deep-linking answer is a form posted to the LMS by the browser: a button, clicked by
`static/lti.js` when scripts run.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectField
from wtforms.validators import InputRequired

from quizapp.extensions import csrf, db
from quizapp.services import assignment_lists, assignments, classes
from quizapp.services.assignments import (
    AssignmentError,
    AssignmentSettings,
)
from quizapp.services.lti import deep_linking, grades, keys, launches, tool
from quizapp.services.lti.errors import LaunchRefused
from quizapp.services.lti.roster import RosterError, sync_roster
from quizapp.web.assignment_forms import (
    QuizChoiceForm,
    attempts_allowed_field,
    grading_method_field,
)
from quizapp.web.fields import AppForm
from quizapp.web.forms import EmptyForm
from quizapp.web.ops import content_security_policy

bp = Blueprint("lti", __name__, url_prefix="/lti")
log = logging.getLogger(__name__)

LOGIN_PARAMETERS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
)


class ChooseAssignmentForm(AppForm):
    """Place an assignment the class already has."""

    assignment = SelectField(_l("Assignment"), coerce=int, validators=[InputRequired()])


class ChooseBankForm(QuizChoiceForm):
    """Place a new assignment made from a bank: language, types, number of questions."""

    attempts_allowed = attempts_allowed_field(default=0)
    grading_method = grading_method_field()


def refused_page(refusal: LaunchRefused):
    """The page of a refused login or launch: what happened and what to do, with its code."""
    log.warning("LTI launch refused: %s %s", refusal.code, refusal.detail)
    db.session.rollback()
    return (
        render_template("lti/refused.html", refusal=refusal),
        refusal.status,
    )


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    """OIDC third-party login initiation: send the browser to the platform's authentication
    URL with a new state and nonce."""
    params = {name: request.values.get(name, "") for name in LOGIN_PARAMETERS}
    try:
        target = tool.login_redirect(params, url_for("lti.launch", _external=True))
    except LaunchRefused as refusal:
        return refused_page(refusal)
    return redirect(target, code=302)


@bp.route("/launch", methods=["POST"])
@csrf.exempt
def launch():
    """The launch: validated, then the user is signed in as their linked account and lands in
    the quiz (learners), the report (teachers) or the selection page (deep linking)."""
    try:
        result = launches.handle_launch()
    except LaunchRefused as refusal:
        return refused_page(refusal)
    user_id = result.user.id
    if current_user.is_authenticated and current_user.id != user_id:
        logout_user()
    user = db.session.get(type(result.user), user_id)
    login_user(user)
    if result.note:
        flash(result.note, "error" if result.kind == launches.LEARNER else "info")
    if result.kind == launches.DEEP_LINK:
        return redirect(url_for("lti.select", selection_id=result.selection_id), code=303)
    if result.kind == launches.TEACHER:
        return redirect(
            url_for("assignment_reports.report", assignment_id=result.assignment_id), code=303
        )
    if result.attempt_id is not None:
        return redirect(
            url_for("quiz.question", attempt_id=result.attempt_id, position=1), code=303
        )
    return redirect(url_for("assignments.show", assignment_id=result.assignment_id), code=303)


@bp.route("/jwks")
def jwks():
    """quizapp's public keys (JSON Web Key Set), for platforms to verify what it signs."""
    response = jsonify(keys.jwks())
    db.session.commit()
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _selection_forms(chosen: deep_linking.Selection, bank_form: ChooseBankForm | None = None):
    school_class = deep_linking.selection_class(current_user, chosen)
    pick = ChooseAssignmentForm(formdata=None)
    pick.assignment.choices = [
        (row.assignment.id, row.assignment.title)
        for row in assignment_lists.class_assignments(current_user, school_class)
    ]
    bank_form = bank_form or ChooseBankForm(formdata=None)
    bank_form.bank.choices = [
        (bank.id, bank.title(bank.languages[0] if bank.languages else ""))
        for bank in assignments.assignable_banks(current_user)
    ]
    return school_class, pick, bank_form


@bp.route("/select/<selection_id>")
@login_required
def select(selection_id: str):
    """The deep-linking page: pick an assignment of the course's class, or a bank."""
    try:
        chosen = deep_linking.selection(current_user, selection_id)
    except LaunchRefused as refusal:
        return refused_page(refusal)
    school_class, pick, bank_form = _selection_forms(chosen)
    return render_template(
        "lti/select.html",
        selection_id=selection_id,
        school_class=school_class,
        pick=pick,
        bank_form=bank_form,
    )


def _response_page(selection_id: str, assignment):
    return_url, token = deep_linking.response_form(
        current_user, selection_id, assignment, url_for("lti.launch", _external=True)
    )
    parts = urlsplit(return_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    response = render_template(
        "lti/respond.html", return_url=return_url, token=token, assignment=assignment
    )
    # The form goes to the LMS: this page alone may post a form there.
    policy = content_security_policy().replace("form-action 'self'", f"form-action 'self' {origin}")
    return response, 200, {"Content-Security-Policy": policy}


@bp.route("/select/<selection_id>/assignment", methods=["POST"])
@login_required
def place_assignment(selection_id: str):
    """Place an existing assignment in the course: the signed answer to the LMS."""
    try:
        chosen = deep_linking.selection(current_user, selection_id)
    except LaunchRefused as refusal:
        return refused_page(refusal)
    _school_class, pick, _bank_form = _selection_forms(chosen)
    form = ChooseAssignmentForm()
    form.assignment.choices = pick.assignment.choices
    if not form.validate_on_submit():
        flash(_("Choose one of the class's assignments."), "error")
        return redirect(url_for("lti.select", selection_id=selection_id))
    assignment = deep_linking.choose_assignment(current_user, chosen, form.assignment.data)
    return _response_page(selection_id, assignment)


@bp.route("/select/<selection_id>/bank", methods=["POST"])
@login_required
def place_bank(selection_id: str):
    """Make an assignment of the course's class from a bank and place it in the course."""
    try:
        chosen = deep_linking.selection(current_user, selection_id)
    except LaunchRefused as refusal:
        return refused_page(refusal)
    school_class, pick, bank_form = _selection_forms(chosen, ChooseBankForm())
    if bank_form.validate_on_submit():
        settings = AssignmentSettings(
            **bank_form.quiz_choice(),
            attempts_allowed=bank_form.attempts_allowed.data or None,
            grading_method=bank_form.grading_method.data,
        )
        try:
            assignment = assignments.create_assignment(current_user, school_class, settings)
        except AssignmentError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            return _response_page(selection_id, assignment)
    status = 400
    return (
        render_template(
            "lti/select.html",
            selection_id=selection_id,
            school_class=school_class,
            pick=pick,
            bank_form=bank_form,
        ),
        status,
    )


@bp.route("/classes/<int:class_id>/roster", methods=["POST"])
@login_required
def roster(class_id: int):
    """A teacher's "sync the roster from the LMS"."""
    school_class = classes.get_class(current_user, class_id, "teach")
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        outcome = sync_roster(current_user, school_class)
    except RosterError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _(
                "Roster synced from the LMS. Learners added: %(added)d; removed: %(removed)d.",
                added=outcome.added,
                removed=outcome.removed,
            ),
            "success",
        )
    return redirect(url_for("classes.show", class_id=class_id))


@bp.app_context_processor
def lti_helpers() -> dict:
    """`lti_course(school_class)`: the LMS course a class is linked to, for its page."""
    from quizapp.services.lti.accounts import linked_context

    return {"lti_course": linked_context}


@bp.after_app_request
def send_queued_grades(response):
    """After a request that finished or regraded attempts of LMS assignments (and committed
    them), send those grades; a failure is logged and retried later (services.lti.grades)."""
    if g.pop("lti_grades_queued", False):
        try:
            grades.deliver_due()
        except Exception:  # never the learner's page: the rows stay queued
            log.exception("LTI grade delivery failed")
            db.session.rollback()
    return response

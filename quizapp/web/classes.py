"""Classes: a teacher's classes and class pages, a learner's classes, joining with a code.

Every route needs a login (a join link followed while logged out leads to the login page and
back). The rights are the service's (`services.classes`): a user outside a class gets 404, a
member without the right 403 with the reason; a `ClassError` becomes a message. Views validate
a form, call a service, commit and redirect.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.extensions import db, limiter
from quizapp.models import SchoolClass
from quizapp.services import assignment_lists, class_lists, classes, permissions
from quizapp.services.classes import ClassError
from quizapp.web.class_forms import ClassNameForm, CoTeacherForm, JoinForm
from quizapp.web.forms import EmptyForm
from quizapp.web.numbers import last_page_or_404, page_argument

bp = Blueprint("classes", __name__)
LEARNERS_PER_PAGE = 25


@bp.before_request
@login_required
def logged_in_only() -> None:
    """Every page here is about the logged-in user's classes."""


@bp.app_template_filter("join_code")
def join_code(code: str) -> str:
    """A join code as people read it: "ABCD-EFGH"."""
    return classes.format_code(code)


def _learner_key() -> str:
    return f"join:{current_user.id}"


# Codes cannot be guessed (6.6 × 10^11 of them), and this keeps anyone from trying.
join_limit = limiter.limit(
    lambda: current_app.config["RATELIMIT_JOIN"],
    key_func=_learner_key,
    error_message=lambda: _("Too many join codes in a short time; wait a minute and try again."),
)


def _class(class_id: int, need: str) -> SchoolClass:
    """The class if the current user has the right `need` ("member", "teach", "owner")."""
    return classes.get_class(current_user, class_id, need)


def _to_class(school_class: SchoolClass, anchor: str = ""):
    return redirect(url_for("classes.show", class_id=school_class.id) + anchor)


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


# ---------------------------------------------------------------------------------------------
# Lists


@bp.route("/classes")
def index():
    """A teacher's classes (with a form to create one); the classes the user is a learner in,
    with the join form."""
    return _index(ClassNameForm(formdata=None), JoinForm(formdata=None))


def _index(create_form: ClassNameForm, join_form: JoinForm, status: int = 200):
    taught = class_lists.taught_classes(current_user) if current_user.is_teacher else []
    return render_template(
        "classes/index.html",
        taught=taught,
        joined=class_lists.joined_classes(current_user),
        create_form=create_form,
        join_form=join_form,
    ), status


@bp.route("/class")
def old_list():
    """The former "Class" page (every learner, mixed): a teacher now sees their classes."""
    return redirect(url_for("classes.index"), 301)


@bp.route("/classes/new", methods=["POST"])
def create():
    """Create a class (teachers); the creator owns it."""
    permissions.require_teacher(current_user)
    form = ClassNameForm()
    if form.validate_on_submit():
        try:
            school_class = classes.create_class(current_user, form.name.data)
        except ClassError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _("Class created. Give your learners its join code or link."),
                "success",
            )
            return _to_class(school_class)
    return _index(form, JoinForm(formdata=None), 400)


# ---------------------------------------------------------------------------------------------
# A class


@bp.route("/classes/<int:class_id>")
def show(class_id: int):
    """The class page: for its teachers the join code and link, the learners with their
    results per bank, the teachers and the settings; for a learner, who teaches it."""
    school_class = _class(class_id, "member")
    membership = classes.membership(current_user, school_class)
    teachers = class_lists.class_teachers(current_user, school_class)
    if not classes.teaches(current_user, school_class):
        return render_template(
            "classes/joined.html",
            school_class=school_class,
            membership=membership,
            teachers=teachers,
            button=EmptyForm(formdata=None),
        )
    page = page_argument()
    learners = class_lists.learners_page(current_user, school_class, page, LEARNERS_PER_PAGE)
    pages = last_page_or_404(page, learners.total or 0, LEARNERS_PER_PAGE)
    results = class_lists.learner_results(
        current_user, school_class, [row.user_id for row in learners.items]
    )
    return render_template(
        "classes/class.html",
        school_class=school_class,
        membership=membership,
        teachers=teachers,
        learners=learners,
        results=results,
        page=page,
        pages=pages,
        join_url=url_for("classes.join_link", code=school_class.join_code, _external=True),
        rename_form=ClassNameForm(formdata=None, prefix="class", name=school_class.name),
        teacher_form=CoTeacherForm(formdata=None, prefix="teacher"),
        button=EmptyForm(formdata=None),
        assigned=assignment_lists.class_assignments(current_user, school_class),
    )


@bp.route("/classes/<int:class_id>/rename", methods=["POST"])
def rename(class_id: int):
    """Rename the class (its teachers)."""
    school_class = _class(class_id, "teach")
    form = ClassNameForm(prefix="class")
    if form.validate_on_submit():
        try:
            classes.rename_class(current_user, school_class, form.name.data)
        except ClassError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The class is renamed."), "success")
    else:
        _flash_form_errors(form)
    return _to_class(school_class, "#settings")


@bp.route("/classes/<int:class_id>/code", methods=["POST"])
def rotate(class_id: int):
    """Give the class a new join code; the old one stops working (its teachers)."""
    school_class = _class(class_id, "teach")
    if EmptyForm().validate_on_submit():
        code = classes.rotate_code(current_user, school_class)
        db.session.commit()
        flash(
            _(
                "The new join code is %(code)s; the old one no longer works.",
                code=classes.format_code(code),
            ),
            "success",
        )
    return _to_class(school_class, "#joining")


@bp.route("/classes/<int:class_id>/learners/<int:user_id>/remove", methods=["POST"])
def remove_learner(class_id: int, user_id: int):
    """Take a learner out of the class (its teachers)."""
    school_class = _class(class_id, "teach")
    if EmptyForm().validate_on_submit():
        learner = classes.remove_learner(current_user, school_class, user_id)
        db.session.commit()
        flash(_("%(name)s is no longer in this class.", name=learner.name), "info")
    return _to_class(school_class, "#learners")


@bp.route("/classes/<int:class_id>/teachers", methods=["POST"])
def add_teacher(class_id: int):
    """Make another teacher a co-teacher of the class (its owner)."""
    school_class = _class(class_id, "owner")
    form = CoTeacherForm(prefix="teacher")
    if form.validate_on_submit():
        try:
            teacher = classes.add_teacher(current_user, school_class, form.name.data)
        except ClassError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s now teaches this class.", name=teacher.name), "success")
    else:
        _flash_form_errors(form)
    return _to_class(school_class, "#teachers")


@bp.route("/classes/<int:class_id>/teachers/<int:user_id>/remove", methods=["POST"])
def remove_teacher(class_id: int, user_id: int):
    """Take a co-teacher off the class (its owner)."""
    school_class = _class(class_id, "owner")
    if EmptyForm().validate_on_submit():
        classes.remove_teacher(current_user, school_class, user_id)
        db.session.commit()
        flash(_("The co-teacher is removed."), "info")
    return _to_class(school_class, "#teachers")


@bp.route("/classes/<int:class_id>/leave", methods=["POST"])
def leave(class_id: int):
    """Leave the class (a learner or a co-teacher; the owner archives it instead)."""
    school_class = _class(class_id, "member")
    if EmptyForm().validate_on_submit():
        try:
            classes.leave_class(current_user, school_class)
        except ClassError as error:
            flash(error.message, "error")
            return _to_class(school_class)
        db.session.commit()
        flash(_("You have left the class %(name)s.", name=school_class.name), "info")
        return redirect(url_for("classes.index"))
    return _to_class(school_class)


@bp.route("/classes/<int:class_id>/archive", methods=["POST"])
def archive(class_id: int):
    """Archive the class: it takes no new learners (its owner)."""
    return _set_archived(class_id, True, _("The class is archived: its code no longer works."))


@bp.route("/classes/<int:class_id>/restore", methods=["POST"])
def restore(class_id: int):
    """Open an archived class again (its owner)."""
    return _set_archived(class_id, False, _("The class is open again."))


def _set_archived(class_id: int, archived: bool, message: str):
    school_class = _class(class_id, "owner")
    if EmptyForm().validate_on_submit():
        classes.set_archived(current_user, school_class, archived)
        db.session.commit()
        flash(message, "info" if archived else "success")
    return _to_class(school_class, "#settings")


# ---------------------------------------------------------------------------------------------
# Joining


def _joined(outcome: classes.JoinOutcome):
    """Say what joining did, and lead to the class."""
    name = outcome.school_class.name
    if outcome.joined:
        flash(_("You have joined the class %(name)s.", name=name), "success")
    elif outcome.role == classes.LEARNER:
        flash(_("You are in the class %(name)s already.", name=name), "info")
    else:
        flash(_("You teach the class %(name)s already.", name=name), "info")
    return _to_class(outcome.school_class)


@bp.route("/join", methods=["GET", "POST"])
@join_limit
def join():
    """Join a class by typing its code."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            outcome = classes.join_class(current_user, form.code.data)
        except ClassError as error:
            form.code.errors.append(error.message)
        else:
            db.session.commit()
            return _joined(outcome)
    status = 400 if form.errors else 200
    return render_template("classes/join.html", form=form, school_class=None), status


@bp.route("/join/<code>", methods=["GET", "POST"])
@join_limit
def join_link(code: str):
    """A join link: GET asks to confirm (the class, its teachers), POST joins."""
    try:
        school_class = classes.class_to_join(code)
    except ClassError as error:
        form = JoinForm(formdata=None)
        form.code.errors = [error.message]
        return render_template("classes/join.html", form=form, school_class=None), 404
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            outcome = classes.join_class(current_user, code)
        except ClassError as error:  # archived or rotated since the page was shown
            flash(error.message, "error")
            return redirect(url_for("classes.join"))
        db.session.commit()
        return _joined(outcome)
    return render_template(
        "classes/join.html",
        form=form,
        school_class=school_class,
        code=code,
        membership=classes.membership(current_user, school_class),
        teachers=class_lists.teacher_names(school_class),
    )

"""The admin's pages: every account, its role, and password resets.

Only admins (403 for everyone else). A reset password is shown once, on the page that answers
the POST, rather than after a redirect: a redirect would have to carry it in the session cookie.
The page is not cached (`Cache-Control: no-store`, as every logged-in page).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import permissions, users
from quizapp.web.fields import AppForm
from quizapp.web.forms import EmptyForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_NAMES = {"student": _l("student"), "teacher": _l("teacher"), "admin": _l("admin")}


class RoleForm(AppForm):
    """A user's role."""

    role = SelectField(
        _l("Role"), choices=[SelectChoice(role, name) for role, name in ROLE_NAMES.items()]
    )


@bp.before_request
@login_required
def admins_only() -> None:
    """Only admins manage accounts."""
    permissions.require_admin(current_user)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _page(status: int = 200):
    accounts = users.list_users(current_user)
    forms = {}
    for account in accounts:
        form = RoleForm(formdata=None, prefix=f"u{account.id}")
        form.role.data = account.role
        forms[account.id] = form
    return render_template(
        "admin/users.html", accounts=accounts, forms=forms, button=EmptyForm(), roles=ROLE_NAMES
    ), status


@bp.route("/users")
def user_list():
    """Every account with its role, a form to change it, and a password reset button."""
    return _page()


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    """Give a user another role (never leaving the site without an admin)."""
    user = _user(user_id)
    form = RoleForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "error")
        return _page(400)
    try:
        users.set_role(current_user, user, form.role.data)
    except users.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(400)
    db.session.commit()
    flash(_("%(name)s is now %(role)s.", name=user.name, role=ROLE_NAMES[user.role]), "success")
    if not current_user.is_admin:  # the admin gave up the role: this page is no longer theirs
        return redirect(url_for("quiz.home"))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def reset_password(user_id: int):
    """Give a user a one-time password, shown once here; they choose their own at next login."""
    user = _user(user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.user_list"))
    password = users.reset_password(current_user, user)
    db.session.commit()
    return render_template("admin/password.html", account=user, password=password)

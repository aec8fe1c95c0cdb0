"""The admin's LMS platforms pages: list, register, edit and remove LTI 1.3 platforms, with
the URLs of quizapp to paste into the LMS. Admins only (403 for everyone else)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from quizapp.extensions import db
from quizapp.models.lti import ID_LENGTH, URL_LENGTH
from quizapp.services import permissions
from quizapp.services.lti import platforms
from quizapp.services.lti.platforms import NAME_MAX, PlatformError, PlatformSettings
from quizapp.web.fields import AppForm
from quizapp.web.forms import EmptyForm

bp = Blueprint("lti_admin", __name__, url_prefix="/admin/lti")


class PlatformForm(AppForm):
    """A platform's registration, as the LMS shows it after quizapp is added there."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=NAME_MAX)])
    issuer = StringField(
        _l("Issuer (platform ID)"), validators=[InputRequired(), Length(max=ID_LENGTH)]
    )
    client_id = StringField(_l("Client ID"), validators=[InputRequired(), Length(max=ID_LENGTH)])
    deployment_ids = TextAreaField(
        _l("Deployment IDs (one per line)"), validators=[InputRequired(), Length(max=20000)]
    )
    auth_login_url = StringField(
        _l("Authentication request URL"), validators=[InputRequired(), Length(max=URL_LENGTH)]
    )
    auth_token_url = StringField(
        _l("Access token URL"), validators=[InputRequired(), Length(max=URL_LENGTH)]
    )
    key_set_url = StringField(_l("Public keyset URL"), validators=[Length(max=URL_LENGTH)])
    public_key = TextAreaField(
        _l("Public key (PEM), instead of a keyset URL"), validators=[Length(max=20000)]
    )

    def settings(self) -> PlatformSettings:
        """The typed values as the service takes them."""
        return PlatformSettings(
            name=self.name.data or "",
            issuer=self.issuer.data or "",
            client_id=self.client_id.data or "",
            deployment_ids=tuple((self.deployment_ids.data or "").splitlines()),
            auth_login_url=self.auth_login_url.data or "",
            auth_token_url=self.auth_token_url.data or "",
            key_set_url=self.key_set_url.data or "",
            public_key=self.public_key.data or "",
        )


@bp.before_request
@login_required
def admins_only() -> None:
    """Only admins register platforms."""
    permissions.require_admin(current_user)


def tool_urls() -> dict[str, str]:
    """quizapp's URLs an LMS asks for, absolute."""
    return {
        "tool": url_for("lti.launch", _external=True),
        "login": url_for("lti.login", _external=True),
        "launch": url_for("lti.launch", _external=True),
        "deep_linking": url_for("lti.launch", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
    }


@bp.route("/platforms")
def platform_list():
    """Every registered platform, and quizapp's URLs to paste in an LMS."""
    return render_template(
        "admin/lti_platforms.html",
        platforms=platforms.list_platforms(current_user),
        pending=platforms.pending_grades(current_user),
        urls=tool_urls(),
        button=EmptyForm(),
    )


def _form_page(form: PlatformForm, platform=None, status: int = 200):
    return (
        render_template("admin/lti_platform.html", form=form, platform=platform, urls=tool_urls()),
        status,
    )


@bp.route("/platforms/new", methods=["GET", "POST"])
def new_platform():
    """Register a platform (PRG)."""
    form = PlatformForm()
    if form.validate_on_submit():
        try:
            platform = platforms.create_platform(current_user, form.settings())
        except PlatformError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _form_page(form, status=400)
        db.session.commit()
        flash(_("%(name)s is registered.", name=platform.name), "success")
        return redirect(url_for("lti_admin.platform_list"))
    return _form_page(form, status=400 if form.is_submitted() else 200)


@bp.route("/platforms/<int:platform_id>", methods=["GET", "POST"])
def edit_platform(platform_id: int):
    """Change a platform's registration (PRG)."""
    platform = platforms.get_platform(current_user, platform_id)
    form = PlatformForm(obj=platform)
    if not form.is_submitted():
        form.deployment_ids.data = "\n".join(d.deployment_id for d in platform.deployments)
    if form.validate_on_submit():
        try:
            platforms.update_platform(current_user, platform_id, form.settings())
        except PlatformError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _form_page(form, platform, 400)
        db.session.commit()
        flash(_("%(name)s is saved.", name=form.name.data), "success")
        return redirect(url_for("lti_admin.platform_list"))
    return _form_page(form, platform, 400 if form.is_submitted() else 200)


@bp.route("/platforms/<int:platform_id>/delete", methods=["POST"])
def delete_platform(platform_id: int):
    """Remove a platform: its launches stop working; accounts and classes stay."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("lti_admin.platform_list"))
    platform = platforms.get_platform(current_user, platform_id)
    name = platform.name
    platforms.delete_platform(current_user, platform_id)
    db.session.commit()
    flash(_("%(name)s is removed.", name=name), "success")
    return redirect(url_for("lti_admin.platform_list"))

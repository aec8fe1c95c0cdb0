"""The teachers' area, sharing a bank: co-editors and publishing (routes of the `teach` blueprint).

Only the bank's owner adds co-editors and publishes; a co-editor may leave. The services check
this again (`services.sharing`, `services.permissions`).
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quizapp.extensions import db
from quizapp.services import sharing
from quizapp.services.authoring import AuthoringError
from quizapp.web.forms import EmptyForm
from quizapp.web.teach.access import _bank, _flash_problems, bp
from quizapp.web.teach.forms import EditorForm


@bp.route("/banks/<slug>/editors", methods=["POST"])
def add_editor(slug: str):
    """Let another teacher edit the bank."""
    bank = _bank(slug, "owner")
    form = EditorForm()
    if form.validate_on_submit():
        try:
            editor = sharing.add_editor(current_user, bank, form.name.data)
        except AuthoringError as error:
            _flash_problems(error.problems)
        else:
            db.session.commit()
            flash(_("%(name)s may now edit this bank.", name=editor.name), "success")
    else:
        _flash_problems([e for errors in form.errors.values() for e in errors])
    return redirect(url_for("teach.bank", slug=bank.slug) + "#sharing")


@bp.route("/banks/<slug>/editors/<int:user_id>/remove", methods=["POST"])
def remove_editor(slug: str, user_id: int):
    """Take a co-editor off the bank (the owner), or leave it (a co-editor)."""
    bank = _bank(slug, "edit")
    if EmptyForm().validate_on_submit():
        sharing.remove_editor(current_user, bank, user_id)
        db.session.commit()
        if user_id == current_user.id:
            flash(_("You are no longer a co-editor of this bank."), "info")
            return redirect(url_for("teach.index"))
        flash(_("The co-editor is removed."), "info")
    return redirect(url_for("teach.bank", slug=bank.slug) + "#sharing")


@bp.route("/banks/<slug>/publish", methods=["POST"])
def publish(slug: str):
    """Offer the bank to learners and let every teacher see and use it."""
    return _set_published(slug, True, _("The bank is published: learners are offered it."))


@bp.route("/banks/<slug>/unpublish", methods=["POST"])
def unpublish(slug: str):
    """Take the bank back: only its owner and co-editors see it again."""
    return _set_published(slug, False, _("The bank is no longer published."))


def _set_published(slug: str, published: bool, message: str):
    bank = _bank(slug, "owner")
    if EmptyForm().validate_on_submit():
        sharing.set_published(current_user, bank, published)
        db.session.commit()
        flash(message, "success" if published else "info")
    return redirect(url_for("teach.bank", slug=bank.slug))

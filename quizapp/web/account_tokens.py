"""Personal access tokens on the account page (issue 14, point 2): make one (shown once, on
the page answering the POST, never after a redirect, which would carry it in the session
cookie) and revoke one. The rules live in `services.tokens`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from quizapp.extensions import db
from quizapp.models import ApiToken
from quizapp.services import tokens
from quizapp.web.fields import AppForm
from quizapp.web.forms import EmptyForm

bp = Blueprint("account_tokens", __name__)

NEVER = "never"
EXPIRY_CHOICES = (
    SelectChoice("30", _l("In 30 days")),
    SelectChoice("7", _l("In 7 days")),
    SelectChoice("90", _l("In 90 days")),
    SelectChoice("365", _l("In a year")),
    SelectChoice(NEVER, _l("Never")),
)


class TokenForm(AppForm):
    """A new personal access token: a name, read or read-write, and when it expires."""

    name = StringField(
        _l("Token name"),
        description=_l("What will use it, so that you can tell your tokens apart."),
        validators=[
            DataRequired(
                message=_l("Give the token a name, such as the program that will use it.")
            ),
            Length(max=tokens.MAX_NAME),
        ],
    )
    scope = RadioField(
        _l("Access"),
        choices=[
            SelectChoice("read", _l("Read only")),
            SelectChoice("write", _l("Read and change")),
        ],
        default="read",
        validators=[InputRequired(message=_l("Choose what the token may do."))],
    )
    expires = SelectField(
        _l("Expires"),
        choices=list(EXPIRY_CHOICES),
        default="30",
        validators=[InputRequired(message=_l("Choose when the token expires."))],
    )


def token_context(new_token: tokens.NewToken | None = None, form: TokenForm | None = None) -> dict:
    """What the account page's tokens section shows: the live tokens, the form to make one,
    a revoke form, and a token just made (its secret, shown this once)."""
    return {
        "api_tokens": tokens.list_tokens(current_user),
        "token_form": form or TokenForm(formdata=None),
        "revoke_form": EmptyForm(formdata=None),
        "new_token": new_token,
    }


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create():
    """Make a token and show its secret once on the account page (200, not a redirect)."""
    from quizapp.web.auth import render_account

    form = TokenForm()
    if form.validate_on_submit():
        days = None if form.expires.data == NEVER else int(form.expires.data)
        try:
            made = tokens.create_token(current_user, form.name.data, form.scope.data, days)
        except tokens.TokenError as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            db.session.commit()
            return render_account(**token_context(new_token=made))
    return render_account(**token_context(form=form)), 400


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    """Revoke one of the user's tokens (PRG); another user's token is a 404."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.account"))
    token: ApiToken = tokens.revoke_token(current_user, token_id)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("auth.account", _anchor="tokens"))

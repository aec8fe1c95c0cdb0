"""Choosing the interface language: the user's setting, a cookie, else the browser's wish."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from quizapp.extensions import db

SUPPORTED = ("en", "es")
COOKIE = "quizapp_language"

bp = Blueprint("i18n", __name__)


def current_language() -> str:
    """The language to show the interface in."""
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED:
        return current_user.locale
    if request:
        chosen = request.cookies.get(COOKIE)
        if chosen in SUPPORTED:
            return chosen
        return request.accept_languages.best_match(SUPPORTED) or "en"
    return "en"


@bp.route("/language", methods=["POST"])
def choose_language():
    """Switch the interface language (kept on the account, or in a cookie for visitors)."""
    from quizapp.web.auth import safe_next
    from quizapp.web.forms import EmptyForm

    language = request.form.get("language", "")
    target = safe_next(request.form.get("next")) or url_for("quiz.home")
    response = redirect(target)
    if EmptyForm().validate_on_submit() and language in SUPPORTED:
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
        response.set_cookie(
            COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response

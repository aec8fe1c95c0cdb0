"""Accounts in the browser: register, log in, log out, change a (one-time) password, and the
account page (practice settings).

Logging out and changing the password end every session of the user, on every device (the
session version, see `services.users`). Until a one-time password is changed, every page but
the change-password page and logout redirects there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import HTTPException

from quizapp.extensions import db, limiter
from quizapp.services import memory, users
from quizapp.web.api.problems import is_api_request
from quizapp.web.forms import (
    ChangePasswordForm,
    EmptyForm,
    LoginForm,
    MemorySettingsForm,
    RegisterForm,
)

bp = Blueprint("auth", __name__)


def _login_key() -> str:
    """Limit guesses per address and account, so one classroom behind NAT is not locked out."""
    try:
        name = (request.form.get("name") or "").strip().lower()
    except HTTPException:
        # A body over the size limit: the view answers it (413); count it by address alone.
        name = ""
    return f"{request.remote_addr}|{name}"


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_REGISTER"],
    methods=["POST"],
    error_message=lambda: _("Too many accounts were created from here; please wait and try again."),
)
def register():
    """Create a student account and log in."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(form.name.data, form.password.data, role="student")
        except users.AccountError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Welcome, %(name)s! Pick a quiz to start.", name=user.name), "success")
            return redirect(url_for("quiz.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN"],
    methods=["POST"],
    key_func=_login_key,
    error_message=lambda: _("Too many login attempts; please wait a minute and try again."),
)
def login():
    """Log in; a one-time password must be changed first."""
    form = LoginForm()
    next_page = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = users.authenticate(form.name.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong user name or password."))
        else:
            session.clear()  # a fresh session at login: nothing carried over from before
            login_user(user, remember=form.remember.data)
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(next_page or url_for("quiz.home"))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out everywhere (a POST, so that a link cannot log anyone out).

    Every session and remember-me cookie of the user ends, including copies of this one.
    """
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            users.end_all_sessions(current_user)
            db.session.commit()
        session.clear()
        logout_user()  # after clear(): it marks the remember-me cookie for deletion
        flash(_("You are logged out, on this device and every other."), "info")
    return redirect(url_for("quiz.home"))


def _password_key() -> str:
    return f"password:{current_user.id}"


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN"],
    methods=["POST"],
    key_func=_password_key,
    # A stolen session must not become a way to guess the password: wrong guesses count.
    deduct_when=lambda response: bool(g.get("wrong_current_password")),
    error_message=lambda: _("Too many wrong passwords; please wait a minute and try again."),
)
def change_password():
    """Choose a new password, giving the current (or one-time) one.

    The user's other sessions and remember-me cookies end; this one goes on, logged in again
    with the new session version (and remembered again if it was).
    """
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(current_user, form.current.data, form.password.data)
        except users.WrongPasswordError as error:
            g.wrong_current_password = True
            form.current.errors.append(str(error))
        except users.AccountError as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            user = current_user._get_current_object()  # the user, not the proxy to it
            login_user(user, remember=remembered in request.cookies)
            flash(_("Your password is changed."), "success")
            return redirect(url_for("quiz.home"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The learner's account: practice settings (desired retention as a percentage, new facts
    a day), and the way to change the password. Post/Redirect/Get; a refused form is shown
    again with each field's reason (400)."""
    user = current_user._get_current_object()
    form = MemorySettingsForm()
    if request.method == "GET":
        form.retention.data = round(user.desired_retention * 100)
        form.daily_new_facts.data = user.daily_new_facts
    elif form.validate_on_submit():
        try:
            memory.set_memory_settings(user, form.retention.data / 100, form.daily_new_facts.data)
        except memory.MemorySettingsError as error:
            form.retention.errors = [*form.retention.errors, str(error)]
        else:
            db.session.commit()
            flash(_("Your practice settings are saved."), "success")
            return redirect(url_for("auth.account"))
    return render_account(form=form), 400 if form.errors else 200


def render_account(form: MemorySettingsForm | None = None, **extra) -> str:
    """The account page: the practice settings form (the user's settings when not given), and
    the sections other modules add through `extra` (API tokens: `web.account_tokens`)."""
    from quizapp.web.account_tokens import token_context

    if form is None:
        user = current_user._get_current_object()
        form = MemorySettingsForm(formdata=None)
        form.retention.data = round(user.desired_retention * 100)
        form.daily_new_facts.data = user.daily_new_facts
    context = token_context() | extra
    return render_template("auth/account.html", form=form, **context)


# Endpoints a user with a one-time password may still reach.
ONE_TIME_PASSWORD_ALLOWED = frozenset(
    {"auth.change_password", "auth.logout", "static", "ops.healthz", "i18n.choose_language"}
)


@bp.before_app_request
def require_password_change():
    """Send a user who logged in with a one-time password to the change-password page."""
    if request.endpoint in ONE_TIME_PASSWORD_ALLOWED or request.endpoint is None:
        return None
    if is_api_request():
        return None  # the API reads no session cookie; its tokens are refused instead
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None

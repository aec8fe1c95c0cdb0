"""Wiring the web shell into the app: blueprints, login, template helpers, error pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import Flask, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape

from quizapp.core.masking import MASK, HiddenSpan, Pending, hidden_spans
from quizapp.extensions import db, login_manager
from quizapp.models import User
from quizapp.services import permissions
from quizapp.web.api.problems import is_api_request, problem

# Pages that must not be stored by a browser or proxy even before anyone is logged in.
NO_STORE_ENDPOINTS = frozenset({"auth.login", "auth.register", "auth.change_password"})


def register(app: Flask) -> None:
    """Attach blueprints, the user loader, template helpers and error handlers."""
    from quizapp.web import (
        account_tokens,
        admin,
        assignment_reports,
        assignments,
        auth,
        class_memory,
        classes,
        formatting,
        gradebook,
        history,
        i18n,
        live,
        live_stream,
        lti,
        lti_admin,
        numbers,
        ops,
        practice,
        quiz,
        source_evidence,
        sources,
        study,
        teach,
    )

    del live_stream  # imported for its routes on live.bp
    formatting.install(app)
    numbers.install(app)  # before any route is added: every <int:...> is then bounded
    blueprints = (
        auth.bp,
        quiz.bp,
        practice.bp,
        history.bp,
        sources.bp,
        study.bp,
        teach.bp,
        classes.bp,
        class_memory.bp,
        assignments.bp,
        assignment_reports.bp,
        gradebook.bp,
        live.bp,
        admin.bp,
        lti.bp,
        lti_admin.bp,
        i18n.bp,
        account_tokens.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    ops.register(app)
    # The JSON API last: its blueprints, the OpenAPI document and the reference page.
    from quizapp.web.api import init_api

    init_api(app)

    @app.after_request
    def no_store_when_logged_in(response: Response) -> Response:
        """Pages of a logged-in user (and the login forms) are kept by no cache, so that the
        browser's back button or a shared computer does not show them after logging out."""
        if request.endpoint == "static":
            return response  # public files; looking up the user would cost a query
        if request.endpoint in NO_STORE_ENDPOINTS or current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    login_manager.user_loader(load_user)

    app.jinja_env.filters["highlight"] = highlight
    app.jinja_env.globals["passage_view"] = passage_view
    app.jinja_env.globals["linked_evidence"] = source_evidence.linked_evidence
    app.jinja_env.filters["masked"] = masked
    app.jinja_env.filters["rich"] = rich_text
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.filters["type_name"] = type_name

    @app.context_processor
    def template_globals() -> dict:
        from quizapp.core.question_types import TYPES
        from quizapp.web.forms import LANGUAGE_NAMES, EmptyForm
        from quizapp.web.i18n import current_language

        return {
            "question_types": TYPES,
            "language_names": LANGUAGE_NAMES,
            "ui_language": current_language(),
            "logout_form": EmptyForm(formdata=None),  # never reads the request body
        }

    def error_page(status: int, title: str, message: str, error=None):
        if is_api_request():
            # Under /api/ every error is a problem document (RFC 9457), never an HTML page.
            headers = {
                name: value
                for name, value in (error.get_headers() if error is not None else [])
                if name.lower() not in ("content-type", "content-length")
            }
            return problem(status, message, headers=headers)
        return render_template("error.html", status=status, title=title, message=message), status

    @app.before_request
    def refuse_nul_characters():
        """A NUL character can be stored nowhere (PostgreSQL refuses it in text): say so."""
        if _carries_nul():
            return error_page(
                400,
                _("Bad request"),
                _("What was sent contains a NUL character (code 0), which no text here may hold."),
            )
        return None

    @app.errorhandler(400)
    def bad_request(error):
        return error_page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return error_page(
            400,
            _("The form has expired"),
            _("The page was open too long or came from elsewhere. Reload it and try again."),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return error_page(403, _("Not allowed"), _("This page is for teachers."))

    @app.errorhandler(permissions.Forbidden)
    def refused(error):
        db.session.rollback()
        return error_page(403, _("Not allowed"), str(error))

    @app.errorhandler(permissions.NotFound)
    def hidden(error):
        db.session.rollback()
        return error_page(404, _("Not found"), _("There is no such page here."))

    @app.errorhandler(404)
    def not_found(error):
        return error_page(404, _("Not found"), _("There is no such page here."))

    @app.errorhandler(405)
    def not_allowed(error):
        return error_page(
            405, _("Not allowed"), _("That action is not possible on this page."), error
        )

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        return error_page(
            413,
            _("Too large"),
            _("What was sent is larger than the limit of %(size)s.", size=_size(limit)),
        )

    @app.errorhandler(429)
    def too_many(error):
        return error_page(429, _("Please slow down"), _(str(error.description)), error)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return error_page(
            500, _("Something went wrong"), _("The error has been logged. Please try again.")
        )


def load_user(session_id: str) -> User | None:
    """The user of a session or remember-me cookie holding `"<id>:<session version>"`.

    None (anonymous) when the version is no longer the user's: the session ended at logout, a
    password change or a reset. A bare id (a session from before versions existed) is refused.
    """
    user_id, _colon, version = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def _carries_nul() -> bool:
    """Whether the path, the query string, a form field or an upload's name holds a NUL."""
    if "\x00" in request.path:
        return True
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    for key, value in request.form.items(multi=True):
        if "\x00" in key or "\x00" in value:
            return True
    return any(
        "\x00" in key or "\x00" in (upload.filename or "")
        for key, upload in request.files.items(multi=True)
    )


@dataclass(frozen=True)
class PassageView:
    """A passage ready for a template: its HTML and how many answers it hides."""

    html: Markup
    masked: int


def highlight(source: dict | object, hidden: Sequence[HiddenSpan] = ()) -> Markup:
    """The passage text, escaped, with the evidence wrapped in <mark> and the `hidden` spans
    (answers of questions still to come, see quizapp.core.masking) replaced by a marker.

    A marker shows a fixed-width block (hidden from screen readers) and says, in visually
    hidden text, whose answer it hides; the hidden words never reach the HTML. A span that
    crosses an edge of the evidence is cut there (a marker each side), so the evidence around it
    stays marked.
    """
    data = source if isinstance(source, dict) else source.__dict__
    text = data["passage_text"]
    start, end = data["evidence_start"], data["evidence_end"]
    if start >= end:  # a whole passage linked by hand: nothing in it to highlight
        start = end = len(text)
    return Markup("").join(
        (
            _with_masks(text, 0, start, hidden),
            Markup("<mark>{}</mark>").format(_with_masks(text, start, end, hidden))
            if start < end
            else Markup(""),
            _with_masks(text, end, len(text), hidden),
        )
    )


def _with_masks(text: str, low: int, high: int, hidden: Sequence[HiddenSpan]) -> Markup:
    """text[low:high], escaped, each hidden span's part in it replaced by a marker."""
    pieces: list[Markup] = []
    last = low
    for span in sorted(hidden, key=lambda h: h.start):
        left, right = max(span.start, low), min(span.end, high)
        if left >= right:
            continue
        pieces += [escape(text[last:left]), _mask(span.label)]
        last = right
    pieces.append(escape(text[last:high]))
    return Markup("").join(pieces)


def _mask(label: int) -> Markup:
    """The marker of a hidden answer: a block for the eye, words for a screen reader."""
    return Markup(
        '<span class="masked"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>'
    ).format(MASK, _("hidden: the answer of question %(n)s, still to come", n=label))


def passage_view(source: dict | object, pending: Sequence[Pending] = ()) -> PassageView:
    """The passage of a source as shown in feedback, for `pending`, the (position, answers) of
    the attempt's questions still unanswered: `html` (see `highlight`) with those answers
    hidden, and `masked`, how many spans are hidden (the template then says why)."""
    data = source if isinstance(source, dict) else source.__dict__
    spans = hidden_spans(data["passage_text"], pending) if pending else []
    return PassageView(highlight(source, spans), len(spans))


def masked(text: str, pending: Sequence[Pending] = ()) -> Markup:
    """A text shown in feedback (a fact's statement, a curator's note), escaped, with the
    answers of `pending` questions hidden as in `passage_view`."""
    spans = hidden_spans(text, pending) if pending and text else []
    return highlight({"passage_text": text, "evidence_start": 0, "evidence_end": 0}, spans)


def type_name(name: str) -> str:
    """A question type's name in words in the interface language ("mcq" → "Multiple choice")."""
    from quizapp.web.forms import TYPE_NAMES

    return str(TYPE_NAMES.get(name, name))


def format_duration(delta) -> str:
    """A duration as minutes and seconds."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s"


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


ALLOWED_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"lang"}, "td": {"colspan"}}


def rich_text(text: str | None, text_format: str = "plain") -> Markup:
    """Question text as HTML: [html] sanitised by an allow-list, [markdown] rendered, else text."""
    import markdown
    import nh3

    text = text or ""
    if text_format == "html":
        html = text
    elif text_format == "markdown":
        html = markdown.markdown(text)
    else:
        return Markup("<br>").join(escape(line) for line in text.split("\n"))
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )

"""Starting a quiz: the home page (a start form per bank, attempts to resume, classes and
assignments), a start, and the confirmation of a set smaller than asked for."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.models import Bank
from quizapp.services import assignment_lists, attempts, banks, class_lists, permissions
from quizapp.web.assignment_forms import ASSIGNMENT_STATES
from quizapp.web.class_forms import JoinForm
from quizapp.web.forms import (
    LANGUAGE_NAMES,
    TYPE_NAMES,
    StartQuizForm,
    start_form_class,
    type_field_name,
)
from quizapp.web.i18n import current_language
from quizapp.web.quiz import bp
from quizapp.web.quiz.limits import start_limit


def _start_form(
    bank: Bank, offer: dict[str, list[str]], formdata=None, **meta: bool
) -> StartQuizForm:
    """The bank's start form: from `formdata` (a POST or the settings being changed) or, with
    none, with its defaults (every type the bank can make in each language ticked)."""
    defaults = {type_field_name(code): list(types) for code, types in offer.items()}
    form_class = start_form_class(tuple(offer))
    form = form_class(formdata=formdata, prefix=f"b{bank.id}", meta=meta or None, **defaults)
    form.set_choices(offer)
    if formdata is not None:
        # Only the chosen language's ticks were sent: the other languages keep their defaults.
        chosen = formdata.get(form.language.name)
        for code, field in form.type_fields():
            if code != chosen and field.name not in formdata:
                field.data = list(offer[code])
    elif current_language() in offer:
        # Offer quizzes in the interface's language first.
        form.language.data = current_language()
    return form


def _viewer():
    """The logged-in user, or None for a visitor."""
    return current_user if current_user.is_authenticated else None


def _listing(failed: StartQuizForm | None = None, failed_bank: Bank | None = None) -> list:
    """(bank, content in all, content per offered language, offer, start form) for each bank
    offered, where content counts facts and hand-written questions (`banks.Content`).

    Every form shows its defaults, or the learner's choices being changed (from the query
    string); a form that failed shows what was sent and its errors. A failed start on one bank
    never touches the other banks' forms.
    """
    offered = banks.offered_banks(_viewer())
    contents = banks.content_by_language([bank.id for bank, _count, _offer in offered])
    listed = []
    for bank, _count, offer in offered:
        if failed is not None and failed_bank is not None and bank.id == failed_bank.id:
            form = failed
        elif any(key.startswith(f"b{bank.id}-") for key in request.args):
            form = _start_form(bank, offer, request.args, csrf=False)
        else:
            form = _start_form(bank, offer)
        per_language = contents.get(bank.id, {})
        total = sum(per_language.values(), banks.Content())
        offered_content = {c: per_language.get(c, banks.Content()) for c in offer}
        listed.append((bank, total, offered_content, offer, form))
    return listed


@bp.route("/")
def home():
    """The banks that can make a quiz, a start form for each, any attempt to resume, and the
    classes the user is a learner in (with a form to join one)."""
    return _render_home(_listing())


def _render_home(listed: list):
    """The home page with these bank listings (and their forms)."""
    logged_in = current_user.is_authenticated
    return render_template(
        "quiz/home.html",
        banks=listed,
        unfinished=attempts.unfinished_attempts(current_user) if logged_in else [],
        joined=class_lists.joined_classes(current_user) if logged_in else [],
        join_form=JoinForm(formdata=None),
        assigned=assignment_lists.learner_assignments(current_user) if logged_in else [],
        state_names=ASSIGNMENT_STATES,
    )


def _settings(form: StartQuizForm, bank: Bank, seed: int | None = None) -> dict[str, object]:
    """The form's choices as request arguments, to carry them to another page."""
    prefix = f"b{bank.id}-"
    language = form.language.data
    settings: dict[str, object] = {
        f"{prefix}language": language,
        f"{prefix}count": form.count.data,
        f"{prefix}time_limit": form.time_limit.data or 0,
        f"{prefix}{type_field_name(language)}": form.chosen_types(),
    }
    if seed is not None:
        settings[f"{prefix}seed"] = seed
    return settings


@bp.route("/banks/<slug>/start", methods=["POST"])
@login_required
@start_limit
def start(slug: str):
    """Start a new attempt with its own frozen question set.

    When the bank cannot give the set as asked, nothing is stored: the learner is sent to a
    page that says what the bank can give (`confirm`), from which they may start that set.
    """
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or not permissions.can_take(current_user, bank):
        abort(404)
    offer = banks.offered_types(bank)
    if not offer:
        flash(_("This bank cannot make a quiz yet."), "error")
        return redirect(url_for("quiz.home"))
    form = _start_form(bank, offer, request.form)
    if form.validate_on_submit():
        try:
            attempt = attempts.start_attempt(
                current_user,
                bank,
                form.language.data,
                form.count.data,
                form.chosen_types(),
                seed=form.seed.data,
                time_limit_minutes=form.time_limit.data or None,
                accepted=form.accept.data or None,
            )
        except attempts.QuizShortfall as shortfall:
            settings = _settings(form, bank, shortfall.seed)
            return redirect(url_for("quiz.confirm", slug=slug, **settings))
        except attempts.QuizError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
    return _render_home(_listing(failed=form, failed_bank=bank)), 400


@bp.route("/banks/<slug>/confirm")
@login_required
def confirm(slug: str):
    """What the bank can give for the settings in the query string, and the choice to start it.

    The settings are read and checked again like a start form's, and the set is drawn again
    from them; the page carries them in its forms (start with this set, or change them).
    """
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or not permissions.can_take(current_user, bank):
        abort(404)
    offer = banks.offered_types(bank)
    form = _start_form(bank, offer, request.args, csrf=False)
    if not offer or not form.validate() or form.seed.data is None:
        return redirect(url_for("quiz.home", _anchor=f"bank-{bank.id}"))
    try:
        plan = attempts.plan_set(
            bank, form.language.data, form.count.data, form.chosen_types(), form.seed.data
        )
    except attempts.QuizError as error:
        flash(str(error), "error")
        return redirect(url_for("quiz.home", **_settings(form, bank), _anchor=f"bank-{bank.id}"))
    return render_template(
        "quiz/confirm.html",
        bank=bank,
        plan=plan,
        lines=shortfall_lines(plan),
        settings=_settings(form, bank, form.seed.data),
        change=_settings(form, bank),
        accept_name=f"b{bank.id}-accept",
    )


def shortfall_lines(plan) -> list[str]:
    """The announcement of a set that differs from the request, in the learner's language."""
    language = LANGUAGE_NAMES.get(plan.language, plan.language)
    lines = []
    for type_name in plan.short_types():
        values = {
            "type": TYPE_NAMES.get(type_name, type_name),
            "num": plan.capacity.get(type_name, 0),
            "asked": plan.requested[type_name],
            "language": language,
        }
        if values["num"] < values["asked"]:
            lines.append(
                _(
                    "This bank can make %(num)d questions of the type “%(type)s” in "
                    "%(language)s; you asked for %(asked)d.",
                    **values,
                )
            )
        else:
            values["num"] = plan.planned.get(type_name, 0)
            lines.append(
                _(
                    "Only %(num)d questions of the type “%(type)s” fit in one quiz with the "
                    "rest of your choices; you asked for %(asked)d.",
                    **values,
                )
            )
    parts = ", ".join(f"{TYPE_NAMES.get(t, t)}: {n}" for t, n in plan.planned.items() if n > 0)
    if plan.total != plan.count:
        lines.append(
            _(
                "Your quiz would have %(total)d questions instead of %(count)d (%(parts)s).",
                total=plan.total,
                count=plan.count,
                parts=parts,
            )
        )
    else:
        lines.append(
            _(
                "Your quiz would have %(total)d questions (%(parts)s).",
                total=plan.total,
                parts=parts,
            )
        )
    return lines

"""Teachers' banks: the list, creating, editing, deleting and restoring a bank."""

from __future__ import annotations

from typing import Any

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Fact
from quizapp.services import authoring, permissions, sharing
from quizapp.web.forms import EmptyForm
from quizapp.web.numbers import last_page_or_404, page_argument
from quizapp.web.teach.access import PER_PAGE, _bank, bp
from quizapp.web.teach.forms import (
    BankForm,
    EditorForm,
)

# ---------------------------------------------------------------------------------------------
# Banks


@bp.route("/")
def index():
    """The banks this teacher may see, by relation, with counts; a form to create one."""
    return render_template(
        "teach/index.html", sections=sharing.bank_sections(current_user), form=BankForm()
    )


def _bank_fields(form: BankForm) -> dict[str, Any]:
    languages = list(form.languages.data)
    return {
        "titles": {code: getattr(form, f"title_{code}").data.strip() for code in languages},
        "descriptions": {
            code: (getattr(form, f"description_{code}").data or "").strip() for code in languages
        },
        "languages": languages,
        "subject": (form.subject.data or "").strip(),
        "licence": (form.licence.data or "").strip(),
    }


@bp.route("/banks", methods=["POST"])
def create_bank():
    """Create a bank."""
    form = BankForm()
    if form.validate_on_submit():
        try:
            bank = authoring.create_bank(current_user, slug=form.slug.data, **_bank_fields(form))
        except authoring.AuthoringError as error:
            form.slug.errors = list(error.problems)
        else:
            db.session.commit()
            flash(_("Bank created. Add a source next."), "success")
            return redirect(url_for("teach.bank", slug=bank.slug))
    return render_template(
        "teach/index.html", sections=sharing.bank_sections(current_user), form=form
    ), 400


@bp.route("/banks/<slug>")
def bank(slug: str):
    """A bank's sources, facts and questions (and, for its owner, its sharing)."""
    bank = _bank(slug, "view")
    facts = db.paginate(
        db.select(Fact)
        .where(Fact.bank_id == bank.id, Fact.retired.is_(False))
        .order_by(Fact.needs_review.desc(), Fact.id),
        page=page_argument("facts"),
        per_page=PER_PAGE,
        error_out=False,
    )
    last_page_or_404(facts.page, facts.total or 0, PER_PAGE)
    questions = db.paginate(
        db.select(AuthoredQuestion)
        .where(AuthoredQuestion.bank_id == bank.id, AuthoredQuestion.retired.is_(False))
        .order_by(AuthoredQuestion.id),
        page=page_argument("questions"),
        per_page=PER_PAGE,
        error_out=False,
    )
    last_page_or_404(questions.page, questions.total or 0, PER_PAGE)
    flagged = db.session.scalar(
        db.select(db.func.count(Fact.id)).where(
            Fact.bank_id == bank.id, Fact.needs_review.is_(True), Fact.retired.is_(False)
        )
    )
    return render_template(
        "teach/bank.html",
        bank=bank,
        facts=facts,
        questions=questions,
        flagged=flagged,
        button=EmptyForm(),
        can_edit=permissions.can_edit(current_user, bank),
        is_owner=permissions.is_owner(current_user, bank),
        editor_form=EditorForm(),
    )


@bp.route("/banks/<slug>/edit", methods=["GET", "POST"])
def edit_bank(slug: str):
    """Edit a bank's titles, descriptions and languages."""
    bank = _bank(slug)
    form = BankForm()
    if request.method == "GET":
        form.languages.data = list(bank.languages)
        for code in ("en", "es"):
            getattr(form, f"title_{code}").data = bank.titles.get(code, "")
            getattr(form, f"description_{code}").data = bank.descriptions.get(code, "")
        form.subject.data, form.licence.data = bank.subject, bank.licence
    elif form.validate_on_submit():
        try:
            authoring.update_bank(current_user, bank, **_bank_fields(form))
        except authoring.AuthoringError as error:
            form.languages.errors = list(error.problems)
        else:
            db.session.commit()
            flash(_("Bank saved."), "success")
            return redirect(url_for("teach.bank", slug=bank.slug))
    return render_template("teach/bank_form.html", bank=bank, form=form), (
        400 if form.errors else 200
    )


@bp.route("/banks/<slug>/delete", methods=["GET", "POST"])
def delete_bank(slug: str):
    """Confirm, then delete the bank (or archive it when it has learners' attempts)."""
    bank = _bank(slug, "owner")
    form = EmptyForm()
    if form.validate_on_submit():
        outcome = authoring.remove_bank(current_user, bank)
        db.session.commit()
        if outcome == "archived":
            flash(_("The bank has learners' attempts: it is archived, their history kept."), "info")
        else:
            flash(_("The bank is deleted."), "info")
        return redirect(url_for("teach.index"))
    return render_template("teach/delete.html", bank=bank, form=form)


@bp.route("/banks/<slug>/restore", methods=["POST"])
def restore_bank(slug: str):
    """Bring an archived bank back."""
    bank = _bank(slug, "owner")
    if EmptyForm().validate_on_submit():
        authoring.restore_bank(current_user, bank)
        db.session.commit()
        flash(_("The bank is back in the quiz list."), "success")
    return redirect(url_for("teach.bank", slug=slug))

"""A bank's curated facts: create, show, edit and retire."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from quizapp.extensions import db
from quizapp.models import Bank, Fact, Passage, Source
from quizapp.services import authoring, permissions
from quizapp.services.search import passage_choices
from quizapp.web.forms import EmptyForm
from quizapp.web.numbers import whole_number
from quizapp.web.teach.access import _bank, _bank_of, _flash_problems, bp
from quizapp.web.teach.forms import (
    FactForm,
)

# ---------------------------------------------------------------------------------------------
# Facts


def _fact_form(bank: Bank, **kwargs: Any) -> FactForm:
    form = FactForm(**kwargs)
    form.passage_id.choices = passage_choices(bank.id)
    return form


def _passages(bank: Bank) -> list[Passage]:
    return list(
        db.session.scalars(
            db.select(Passage)
            .join(Source)
            .where(Source.bank_id == bank.id)
            .order_by(Source.position, Passage.position)
        )
    )


def _categories(bank: Bank) -> dict[str, list[str]]:
    """Per kind, the categories to suggest: the bank's own first, then the documented ones."""
    return authoring.categories_by_kind(bank)


def _fact_input(form: FactForm) -> dict[str, Any]:
    def offset(field) -> int | None:
        return whole_number(field.data)

    data = {name: field.data for name, field in form._fields.items()}
    data["evidence_start"] = offset(form.evidence_start)
    data["evidence_end"] = offset(form.evidence_end)
    data["tolerance"] = float(form.tolerance.data or 0)
    return data


@bp.route("/banks/<slug>/facts/new", methods=["GET", "POST"])
def new_fact(slug: str):
    """Add a fact; a suggestion or a passage can prefill the form (GET parameters)."""
    bank = _bank(slug)
    form = _fact_form(bank)
    if request.method == "GET":
        for name in ("evidence", "statement", "answer", "kind", "category", "stems"):
            if request.args.get(name) and name in form:
                form[name].data = request.args[name]
        passage_id = whole_number(request.args.get("passage_id"), low=1)
        if passage_id is not None:
            form.passage_id.data = passage_id
    elif form.validate_on_submit():
        try:
            fact = authoring.save_fact(current_user, bank, _fact_input(form))
        except authoring.AuthoringError as error:
            _flash_problems(error.problems)
        else:
            db.session.commit()
            flash(_("Fact saved."), "success")
            return redirect(url_for("teach.fact", fact_id=fact.id))
    return render_template(
        "teach/fact_form.html",
        bank=bank,
        form=form,
        fact=None,
        passages=_passages(bank),
        categories=_categories(bank),
    ), (400 if request.method == "POST" else 200)


def _fact(fact_id: int) -> Fact:
    fact = db.session.get(Fact, fact_id)
    if fact is None:
        abort(404)
    return fact


@bp.route("/facts/<int:fact_id>")
def fact(fact_id: int):
    """A fact and a preview of the question each type would make from it."""
    fact = _fact(fact_id)
    bank = _bank_of(fact.bank_id, "view")
    previews: dict[str, Any] = {}
    if not fact.needs_review:
        form_data = _fact_data(fact)
        try:
            checked = authoring.fact_from_input(bank, form_data, key=fact.key)
        except authoring.AuthoringError as error:
            previews = {"error": "; ".join(error.problems)}
        else:
            previews = authoring.preview_fact(bank, checked)
    return render_template(
        "teach/fact.html",
        fact=fact,
        bank=bank,
        previews=previews,
        button=EmptyForm(),
        can_edit=permissions.can_edit(current_user, bank),
    )


def _fact_data(fact: Fact) -> dict[str, Any]:
    return {
        "passage_id": fact.passage_id,
        "evidence": fact.evidence_text,
        "evidence_start": fact.evidence_start,
        "evidence_end": fact.evidence_end,
        "statement": fact.statement,
        "answer": fact.answer,
        "kind": fact.kind,
        "stems": "\n".join(fact.stems),
        "alternatives": "\n".join(fact.alternatives),
        "label": fact.label or "",
        "topic": fact.topic,
        "tolerance": fact.tolerance,
        "exclude_distractors": "\n".join(fact.exclude_distractors),
        "note": fact.note or "",
        "source_garbled": fact.source_garbled,
        "category": fact.category or "",
        "gender": fact.gender or "",
        "number": fact.number or "singular",
        "event": fact.is_event,
        "false_statements": "\n".join(fact.false_statements or []),
        "skip_types": list(fact.skip_types or []),
    }


@bp.route("/facts/<int:fact_id>/edit", methods=["GET", "POST"])
def edit_fact(fact_id: int):
    """Edit a fact (also how a fact flagged for review is mended)."""
    fact = _fact(fact_id)
    bank = _bank_of(fact.bank_id)
    if request.method == "GET":
        data = _fact_data(fact)
        data["tolerance"] = Decimal(str(fact.tolerance))
        form = _fact_form(bank, data=data)
    else:
        form = _fact_form(bank)
        if form.validate_on_submit():
            try:
                authoring.save_fact(current_user, bank, _fact_input(form), fact)
            except authoring.AuthoringError as error:
                _flash_problems(error.problems)
            else:
                db.session.commit()
                flash(_("Fact saved."), "success")
                return redirect(url_for("teach.fact", fact_id=fact.id))
    return render_template(
        "teach/fact_form.html",
        bank=bank,
        form=form,
        fact=fact,
        passages=_passages(bank),
        categories=_categories(bank),
    ), (400 if request.method == "POST" else 200)


@bp.route("/facts/<int:fact_id>/retire", methods=["POST"])
def retire_fact(fact_id: int):
    """Take a fact out of quizzes."""
    fact = _fact(fact_id)
    slug = _bank_of(fact.bank_id).slug
    if EmptyForm().validate_on_submit():
        authoring.retire_fact(current_user, fact)
        db.session.commit()
        flash(_("The fact is no longer used in quizzes."), "info")
    return redirect(url_for("teach.bank", slug=slug))

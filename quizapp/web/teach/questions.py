"""Hand-written questions: create, edit and retire."""

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

from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.core.authored import Choice, MatchPair, NumericAnswer
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, Passage
from quizapp.services import authoring
from quizapp.services.search import passage_choices, propose_passages
from quizapp.web.forms import EmptyForm
from quizapp.web.teach.access import _bank, _bank_of, _flash_problems, bp
from quizapp.web.teach.forms import (
    QuestionForm,
)

# ---------------------------------------------------------------------------------------------
# Hand-written questions


def _question_form(bank: Bank, **kwargs: Any) -> QuestionForm:
    form = QuestionForm(**kwargs)
    form.language.choices = [c for c in form.language.choices if c.value in bank.languages]
    form.passage_id.choices = [(0, _("— none —")), *passage_choices(bank.id)]
    form.fact_key.choices = [("", _("— none —")), *authoring.fact_choices(bank)]
    return form


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _authored_from(form: QuestionForm) -> Authored:
    kind = form.type.data
    authored = Authored(
        type=kind,
        stem=form.stem.data.strip(),
        text_format=form.text_format.data,
        language=form.language.data,
        general_feedback=(form.general_feedback.data or "").strip() or None,
        fact_key=form.fact_key.data or None,
    )
    rows = [row for row in form.choices.entries if (row.form.text.data or "").strip()]
    if kind in ("mcq", "multi", "short"):
        weights = authoring.weights_from_ticks(
            kind, [(bool(row.form.right.data), _number(row.form.weight.data)) for row in rows]
        )
        for row, weight in zip(rows, weights, strict=True):
            authored.choices.append(
                Choice(
                    text=row.form.text.data.strip(),
                    correct=weight > 0,
                    weight=weight,
                    feedback=(row.form.feedback.data or "").strip() or None,
                )
            )
    elif kind == "tf":
        authored.is_true = {"true": True, "false": False}.get(form.is_true.data or "")
        authored.true_feedback = (form.true_feedback.data or "").strip() or None
        authored.false_feedback = (form.false_feedback.data or "").strip() or None
    elif kind == "numeric":
        for row in form.numeric.entries:
            values = row.form
            if values.value.data is None and (values.low.data is None or values.high.data is None):
                continue
            authored.numeric.append(
                NumericAnswer(
                    value=_number(values.value.data),
                    tolerance=_number(values.tolerance.data) or 0.0,
                    low=_number(values.low.data),
                    high=_number(values.high.data),
                    weight=_number(values.weight.data),
                    feedback=(values.feedback.data or "").strip() or None,
                )
            )
    elif kind == "match":
        for row in form.pairs.entries:
            left, right = (row.form.left.data or "").strip(), (row.form.right.data or "").strip()
            if left or right:
                authored.pairs.append(MatchPair(left, right))
    return authored


def _rows_for(rows, count: int) -> list:
    """The form's rows, with more added (up to the list's limit) when `count` needs them."""
    while len(rows.entries) < min(count, rows.max_entries or count):
        rows.append_entry()
    return rows.entries


def _decimal(value: float | None) -> Decimal | None:
    """A stored number as the form shows it (six significant digits: 33.3333, not 33.33...36)."""
    return None if value is None else Decimal(f"{value:g}")


def _fill_question_form(form: QuestionForm, question: AuthoredQuestion) -> None:
    """The form of a stored question: ticks for its right answers, weights only where needed."""
    authored = Authored.from_dict(question.data)
    form.type.data = authored.type
    form.language.data = question.language
    form.stem.data = authored.stem
    form.text_format.data = authored.text_format if authored.text_format != "moodle" else "plain"
    form.general_feedback.data = authored.general_feedback or ""
    form.passage_id.data = question.passage_id or 0
    form.fact_key.data = authored.fact_key or ""
    ticks = authoring.ticks_from_weights(
        authored.type, [100 * choice.fraction() for choice in authored.choices]
    )
    rows = _rows_for(form.choices, len(authored.choices))
    for entry, choice, (right, weight) in zip(rows, authored.choices, ticks, strict=False):
        row = entry.form
        row.text.data, row.feedback.data = choice.text, choice.feedback or ""
        row.right.data, row.weight.data = right, _decimal(weight)
    form.is_true.data = {True: "true", False: "false"}.get(authored.is_true)
    form.true_feedback.data = authored.true_feedback or ""
    form.false_feedback.data = authored.false_feedback or ""
    rows = _rows_for(form.numeric, len(authored.numeric))
    for entry, answer in zip(rows, authored.numeric, strict=False):
        row = entry.form
        for name in ("value", "tolerance", "low", "high", "weight"):
            value = getattr(answer, name)
            row[name].data = None if value is None else Decimal(str(value))
        row.feedback.data = answer.feedback or ""
    rows = _rows_for(form.pairs, len(authored.pairs))
    for entry, pair in zip(rows, authored.pairs, strict=False):
        row = entry.form
        row.left.data, row.right.data = pair.left, pair.right


def _proposals(bank: Bank, form: QuestionForm) -> list[Passage]:
    if form.passage_id.data:
        return []
    words = " ".join(
        [form.stem.data or ""]
        + [row.form.text.data or "" for row in form.choices.entries]
        + [row.form.left.data or "" for row in form.pairs.entries]
        + [row.form.right.data or "" for row in form.pairs.entries]
    )
    return propose_passages(bank.id, words)


def _showing_fields() -> bool:
    """Whether the question form came by its "Show fields for this type" button.

    That button is the way to another type's fields without JavaScript (with it, they show at
    once): the form comes back with everything typed, nothing checked or saved.
    """
    return request.method == "POST" and "show_fields" in request.form


def _question_status(showing: bool) -> int:
    """400 for a refused form, 200 for a form shown (also again with another type's fields)."""
    return 400 if request.method == "POST" and not showing else 200


@bp.route("/banks/<slug>/questions/new", methods=["GET", "POST"])
def new_question(slug: str):
    """Write a question; without a passage, the best-matching passages are proposed."""
    bank = _bank(slug)
    form = _question_form(bank)
    if request.method == "GET" and request.args.get("type"):
        form.type.data = request.args["type"]
    showing = _showing_fields()
    if not showing and form.validate_on_submit():
        try:
            question = authoring.save_question(
                current_user, bank, _authored_from(form), form.passage_id.data or None
            )
        except authoring.AuthoringError as error:
            _flash_problems(error.problems)
        else:
            db.session.commit()
            flash(_("Question saved."), "success")
            return redirect(url_for("teach.edit_question", question_id=question.id))
    return render_template(
        "teach/question_form.html",
        bank=bank,
        form=form,
        question=None,
        proposals=_proposals(bank, form) if request.method == "POST" and not showing else [],
    ), _question_status(showing)


def _question(question_id: int) -> AuthoredQuestion:
    question = db.session.get(AuthoredQuestion, question_id)
    if question is None:
        abort(404)
    return question


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(question_id: int):
    """Edit a hand-written or imported question; propose passages when it has none."""
    question = _question(question_id)
    bank = _bank_of(question.bank_id)
    form = _question_form(bank)
    showing = _showing_fields()
    if request.method == "GET":
        _fill_question_form(form, question)
    elif not showing and form.validate_on_submit():
        try:
            authoring.save_question(
                current_user, bank, _authored_from(form), form.passage_id.data or None, question
            )
        except authoring.AuthoringError as error:
            _flash_problems(error.problems)
        else:
            db.session.commit()
            flash(_("Question saved."), "success")
            return redirect(url_for("teach.edit_question", question_id=question.id))
    return render_template(
        "teach/question_form.html",
        bank=bank,
        form=form,
        question=question,
        proposals=_proposals(bank, form),
        button=EmptyForm(),
    ), _question_status(showing)


@bp.route("/questions/<int:question_id>/retire", methods=["POST"])
def retire_question(question_id: int):
    """Take a question out of quizzes."""
    question = _question(question_id)
    slug = _bank_of(question.bank_id).slug
    if EmptyForm().validate_on_submit():
        authoring.retire_question(current_user, question)
        db.session.commit()
        flash(_("The question is no longer used in quizzes."), "info")
    return redirect(url_for("teach.bank", slug=slug))

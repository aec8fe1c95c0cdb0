"""The teachers' area: banks, sources, facts, suggestions, questions, imports and exports.

Students get 403 everywhere here. A teacher gets 404 for a bank they may not see and 403 for one
they may see but not change (`services.permissions`); the loaders below check before a form is
shown, and the services check again before anything is changed. Views validate a form, call a
service, commit and redirect.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.core.authored import Choice, MatchPair, NumericAnswer
from quizapp.core.formats import FORMATS
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, Fact, Passage, Source
from quizapp.services import authoring, exchange, permissions, sharing
from quizapp.services import suggestions as suggesting
from quizapp.services.search import passage_choices, propose_passages
from quizapp.web.forms import EmptyForm
from quizapp.web.numbers import last_page_or_404, page_argument, whole_number
from quizapp.web.teach_forms import (
    KIND_NAMES,
    BankForm,
    EditorForm,
    FactForm,
    ImportForm,
    QuestionForm,
    SourceEditForm,
    SourceForm,
)

bp = Blueprint("teach", __name__, url_prefix="/teach")
PER_PAGE = 25


@bp.app_template_filter("kind_name")
def kind_name(kind: str) -> str:
    """A fact's kind of answer in words in the interface language ("number" → "number or ...")."""
    return str(KIND_NAMES.get(kind, kind))


@bp.app_template_filter("numeric_answer")
def numeric_answer(answer: NumericAnswer) -> str:
    """An accepted number as a teacher reads it, in the interface language ("3,5 ± 0,1").

    Without thousands separators: the numbers asked are often years, and "1.944" is no year.
    """

    def number(value: float | None) -> str:
        return format_decimal(value or 0, format="#0.##########")

    if answer.low is not None and answer.high is not None:
        low, high = sorted((answer.low, answer.high))
        return _("%(low)s to %(high)s", low=number(low), high=number(high))
    if answer.tolerance:
        return f"{number(answer.value)} ± {number(answer.tolerance)}"
    return number(answer.value)


@bp.before_request
@login_required
def teachers_only() -> None:
    """Only teachers work here."""
    if not current_user.is_teacher:
        abort(403)


CHECKS = {
    "view": permissions.require_view,
    "edit": permissions.require_edit,
    "owner": permissions.require_owner,
}


def _bank(slug: str, need: str = "edit") -> Bank:
    """The bank by its id, if the current user has the right `need` ("view", "edit", "owner")."""
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None:
        abort(404)
    CHECKS[need](current_user, bank)
    return bank


def _bank_of(bank_id: int, need: str = "edit") -> Bank:
    """The bank a source, fact or question belongs to, if the current user has the right."""
    bank = db.session.get(Bank, bank_id)
    if bank is None:
        abort(404)
    CHECKS[need](current_user, bank)
    return bank


def _flash_problems(problems: list[str]) -> None:
    for problem in problems:
        flash(problem, "error")


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


# ---------------------------------------------------------------------------------------------
# Sources


@bp.route("/banks/<slug>/sources/new", methods=["GET", "POST"])
def new_source(slug: str):
    """Add a source by pasting text or uploading a .txt or .md file."""
    bank = _bank(slug)
    form = SourceForm()
    form.language.choices = [c for c in form.language.choices if c.value in bank.languages]
    if form.validate_on_submit():
        text = form.text.data or ""
        if form.upload.data:
            try:
                text = exchange.decode_upload(form.upload.data.read())
            except exchange.ImportError_ as error:
                form.upload.errors = list(error.problems)
        if not form.upload.errors and not text.strip():
            form.text.errors = [_("Paste the text or upload a file.")]
        if not form.errors:
            try:
                source = authoring.add_source(
                    current_user,
                    bank,
                    title=form.title.data,
                    language=form.language.data,
                    text=text,
                    origin=form.origin.data,
                    licence=form.licence.data,
                    attribution=form.attribution.data,
                )
            except authoring.AuthoringError as error:
                form.text.errors = list(error.problems)
            else:
                db.session.commit()
                count = len(source.passages)
                message = ngettext(
                    "Source added with %(num)d passage.",
                    "Source added with %(num)d passages.",
                    count,
                )
                flash(message, "success")
                return redirect(url_for("teach.source", slug=source.slug))
    return render_template("teach/source_form.html", bank=bank, form=form), (
        400 if form.errors else 200
    )


def _source(slug: str, need: str = "edit") -> Source:
    source = db.session.scalar(db.select(Source).where(Source.slug == slug))
    if source is None:
        abort(404)
    _bank_of(source.bank_id, need)
    return source


@bp.route("/sources/<slug>")
def source(slug: str):
    """A source's passages with their ids and facts."""
    source = _source(slug, "view")
    facts = db.session.scalars(
        db.select(Fact)
        .join(Passage)
        .where(Passage.source_id == source.id, Fact.retired.is_(False))
        .order_by(Fact.id)
    ).all()
    by_passage: dict[int, list[Fact]] = {}
    for fact in facts:
        by_passage.setdefault(fact.passage_id, []).append(fact)
    return render_template(
        "teach/source.html",
        source=source,
        by_passage=by_passage,
        can_edit=permissions.can_edit(current_user, source.bank),
    )


@bp.route("/sources/<slug>/edit", methods=["GET", "POST"])
def edit_source(slug: str):
    """Edit a source; facts whose evidence moved are re-anchored or flagged for review."""
    source = _source(slug)
    form = SourceEditForm()
    if request.method == "GET":
        form.title.data = source.title
        form.text.data = authoring.anchored_text(source)
        form.origin.data, form.licence.data = source.origin, source.licence
        form.attribution.data = source.attribution
    elif form.validate_on_submit():
        try:
            report = authoring.update_source(
                current_user,
                source,
                title=form.title.data,
                text=form.text.data,
                origin=form.origin.data,
                licence=form.licence.data,
                attribution=form.attribution.data,
            )
        except authoring.AuthoringError as error:
            form.text.errors = list(error.problems)
        else:
            db.session.commit()
            flash(
                _(
                    "Source saved: %(kept)s facts unchanged, %(moved)s re-anchored, "
                    "%(flagged)s flagged for review.",
                    kept=report.kept,
                    moved=report.moved,
                    flagged=len(report.flagged),
                ),
                "info" if report.flagged else "success",
            )
            return redirect(url_for("teach.source", slug=source.slug))
    return render_template("teach/source_edit.html", source=source, form=form), (
        400 if form.errors else 200
    )


@bp.route("/sources/<slug>/suggestions")
def suggestions(slug: str):
    """Candidate facts found in the source, to accept (edit into a fact) or reject, one by one
    or ticked together; `?select=all` ticks every box (select all without JavaScript)."""
    source = _source(slug)
    found = suggesting.open_suggestions(current_user, source)
    return render_template(
        "teach/suggestions.html",
        source=source,
        found=found,
        button=EmptyForm(),
        ticked=request.args.get("select") == "all",
    )


def _picks() -> list[suggesting.Pick]:
    """The ticked suggestions, each sent as "anchor:answer" (anchors hold no colon)."""
    picks = []
    for value in request.form.getlist("pick")[:1000]:
        anchor, colon, answer = value.partition(":")
        if colon and anchor and answer:
            picks.append((anchor, answer))
    return picks


@bp.route("/sources/<slug>/suggestions/selected", methods=["POST"])
def answer_suggestions(slug: str):
    """Accept (save as facts) or reject every ticked suggestion at once."""
    source = _source(slug)
    if EmptyForm().validate_on_submit():
        picks, action = _picks(), request.form.get("action")
        if not picks or action not in ("accept", "reject"):
            flash(_("Tick the suggestions first, then accept or reject them."), "warning")
        elif action == "accept":
            saved, refused = suggesting.accept_suggestions(current_user, source, picks)
            db.session.commit()
            if saved:
                flash(
                    ngettext(
                        "%(num)d suggestion saved as a fact.",
                        "%(num)d suggestions saved as facts.",
                        len(saved),
                    ),
                    "success",
                )
            for answer, problems in refused:
                flash(
                    _(
                        "“%(answer)s” is still a suggestion: %(problems)s Use “Accept and edit”.",
                        answer=answer,
                        problems=" ".join(problems),
                    ),
                    "error",
                )
        else:
            count = suggesting.reject_suggestions(current_user, source, picks)
            db.session.commit()
            flash(
                ngettext("%(num)d suggestion rejected.", "%(num)d suggestions rejected.", count),
                "info",
            )
    return redirect(url_for("teach.suggestions", slug=slug))


@bp.route("/sources/<slug>/suggestions/reject", methods=["POST"])
def reject_suggestion(slug: str):
    """Turn a suggestion down so that it is not suggested again."""
    source = _source(slug)
    if EmptyForm().validate_on_submit():
        if suggesting.reject_suggestion(
            current_user, source, request.form.get("passage", ""), request.form.get("answer", "")
        ):
            db.session.commit()
        flash(_("Suggestion rejected."), "info")
    return redirect(url_for("teach.suggestions", slug=slug))


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


# ---------------------------------------------------------------------------------------------
# Hand-written questions


def _question_form(bank: Bank, **kwargs: Any) -> QuestionForm:
    form = QuestionForm(**kwargs)
    form.language.choices = [c for c in form.language.choices if c.value in bank.languages]
    form.passage_id.choices = [(0, _("— none —")), *passage_choices(bank.id)]
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


# ---------------------------------------------------------------------------------------------
# Import and export


@bp.route("/banks/<slug>/import", methods=["GET", "POST"])
def import_file(slug: str):
    """Upload a file: it is read and checked, then shown for confirmation."""
    bank = _bank(slug)
    form = ImportForm()
    form.language.choices = [c for c in form.language.choices if c.value in bank.languages]
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            preview = exchange.prepare_import(
                bank,
                current_user,
                form.file_format.data,
                upload.filename or "upload",
                upload.read(),
                form.language.data,
            )
        except exchange.ImportError_ as error:
            problems = error.problems
        else:
            db.session.commit()
            return redirect(url_for("teach.import_preview", token=preview.token))
    return render_template("teach/import.html", bank=bank, form=form, problems=problems), (
        400 if request.method == "POST" else 200
    )


@bp.route("/imports/<token>", methods=["GET", "POST"])
def import_preview(token: str):
    """What the import would add; confirming stores all of it or nothing."""
    pending = exchange.pending_for(current_user, token)
    bank = db.session.get(Bank, pending.bank_id)
    if exchange.expired(pending):
        db.session.delete(pending)
        db.session.commit()
        flash(_("This import waited too long and has expired: upload the file again."), "warning")
        return redirect(url_for("teach.import_file", slug=bank.slug))
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            counts = exchange.commit_import(current_user, pending)
        except exchange.ImportError_ as error:
            db.session.rollback()
            _flash_problems(error.problems)
        else:
            db.session.commit()
            flash(_("Imported: %(counts)s.", counts=_describe(counts)), "success")
            return redirect(url_for("teach.bank", slug=bank.slug))
    try:
        preview = exchange.preview_pending(pending)
    except exchange.ImportError_ as error:
        db.session.rollback()
        _flash_problems(error.problems)
        return redirect(url_for("teach.import_file", slug=bank.slug))
    return render_template("teach/import_preview.html", bank=bank, preview=preview, form=form)


def _describe(counts: dict[str, int]) -> str:
    names = {
        "questions": _("questions"),
        "duplicates": _("duplicates skipped"),
        "facts": _("facts"),
    }
    return ", ".join(f"{n} {names.get(k, k)}" for k, n in counts.items())


@bp.route("/banks/<slug>/export.<file_format>")
def export(slug: str, file_format: str):
    """Download the bank's questions as GIFT or Aiken, or the whole bank as .zip."""
    bank = _bank(slug, "view")
    if file_format == "zip":
        return Response(
            exchange.export_zip(current_user, bank),
            mimetype="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{bank.slug}.zip"'},
        )
    if file_format not in ("gift", "aiken", "csv"):
        abort(404)
    text, skipped = exchange.export_questions(current_user, bank, file_format)
    suffix = {"gift": "gift", "aiken": "txt", "csv": "csv"}[file_format]
    headers = {"Content-Disposition": f'attachment; filename="{bank.slug}.{suffix}"'}
    if skipped:
        headers["X-Quizapp-Skipped"] = str(len(skipped))
    # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a mimetype a second time.
    media_type = FORMATS[file_format].media_type
    return Response(text, content_type=f"{media_type}; charset=utf-8", headers=headers)


@bp.route("/csv-template.csv")
def csv_template():
    """An example CSV file with every column and question type."""
    from quizapp.core.formats import csv as csv_format

    return Response(
        csv_format.template(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="quizapp-template.csv"'},
    )


def limit_text() -> str:
    """The upload limit, for the forms' hints."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"{limit // (1024 * 1024)} MB"

"""A bank's sources, and the facts suggested from their passages."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from quizapp.extensions import db
from quizapp.models import Fact, Passage, Source
from quizapp.services import authoring, exchange, permissions
from quizapp.services import suggestions as suggesting
from quizapp.web.forms import EmptyForm
from quizapp.web.teach.access import _bank, _bank_of, bp
from quizapp.web.teach.forms import (
    SourceEditForm,
    SourceForm,
)

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

"""Importing question files (with a preview) and exporting a bank."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from quizapp.core.formats import FORMATS
from quizapp.extensions import db
from quizapp.models import Bank
from quizapp.services import exchange
from quizapp.web.forms import EmptyForm
from quizapp.web.teach.access import _bank, _flash_problems, bp
from quizapp.web.teach.forms import (
    ImportForm,
)

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

"""The gradebook of a class (a page and a CSV download) and the answers of an assignment (a CSV
download), for the class's teachers.

The rights are the service's (`services.gradebook`): a user outside the class gets 404, a
learner 403. Downloads are streamed: the service checks the right and hands back an iterator
over a batched query, and `core.spreadsheet_csv` turns its rows into CSV text chunk by chunk
(UTF-8 with a byte-order mark, formula-like cells neutralised).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from flask import Blueprint, Response, render_template, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.core.spreadsheet_csv import csv_chunks, given_text
from quizapp.services import assignments, classes, gradebook
from quizapp.web.assignment_forms import GRADING_NAMES
from quizapp.web.numbers import last_page_or_404, page_argument

bp = Blueprint("gradebook", __name__)


@bp.before_request
@login_required
def logged_in_only() -> None:
    """Every page here belongs to a class's teachers."""


def _slug(text: str, fallback: str) -> str:
    """An ASCII file-name part for `text` ("Historia 3º B" → "historia-3o-b"), or `fallback`
    when nothing is left (a name in another script)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def _csv_response(chunks: Iterator[str], filename: str) -> Response:
    """A streamed CSV download: the chunks are produced while the response is sent, with the
    request (and its database session) kept open until the last one."""
    response = Response(stream_with_context(chunks), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _grade(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@bp.route("/classes/<int:class_id>/gradebook")
def show(class_id: int):
    """The class's gradebook: a row per learner (a page of them), a column per assignment."""
    school_class = classes.get_class(current_user, class_id, "teach")
    page = page_argument()
    book = gradebook.gradebook_page(current_user, school_class, page, gradebook.LEARNERS_PER_PAGE)
    last_page_or_404(page, book.total, book.per_page)
    return render_template(
        "gradebook/class.html",
        school_class=school_class,
        book=book,
        grading_names=GRADING_NAMES,
    )


@bp.route("/classes/<int:class_id>/gradebook.csv")
def download(class_id: int):
    """The whole gradebook as CSV: "Learner", then one column per assignment (its grade, % of
    the maximum, empty without a finished attempt)."""
    school_class = classes.get_class(current_user, class_id, "teach")
    columns, rows = gradebook.gradebook_rows(current_user, school_class)
    header = [_("Learner")] + [
        _(
            "%(title)s (%(method)s, %%)",
            title=column.title,
            method=GRADING_NAMES.get(column.grading_method, column.grading_method),
        )
        for column in columns
    ]

    def lines():
        yield header
        for row in rows:
            yield [row.name, *(_grade(grade) for grade in row.grades)]

    name = _slug(school_class.name, str(school_class.id))
    return _csv_response(csv_chunks(lines()), f"gradebook-{name}.csv")


@bp.route("/assignments/<int:assignment_id>/answers.csv")
def answers(assignment_id: int):
    """Every answer given to an assignment as CSV: learner, attempt, question, question text,
    answer given, right or not, points, seconds taken, answered at (UTC)."""
    assignment = assignments.get_assignment(current_user, assignment_id, need="teach")
    rows = gradebook.answer_rows(current_user, assignment)
    header = [
        _("Learner"),
        _("Attempt"),
        _("Question"),
        _("Question text"),
        _("Answer given"),
        _("Right"),
        _("Points"),
        _("Seconds taken"),
        _("Answered at (UTC)"),
    ]
    yes, no = _("yes"), _("no")

    def lines():
        yield header
        for row in rows:
            yield [
                row.learner,
                row.attempt,
                row.position,
                row.stem,
                given_text(row.given),
                yes if row.correct else no,
                round(row.points, 4),
                None if row.seconds_taken is None else round(row.seconds_taken, 1),
                row.answered_at.strftime("%Y-%m-%d %H:%M:%S"),
            ]

    name = _slug(assignment.title, str(assignment.id))
    return _csv_response(csv_chunks(lines()), f"answers-{name}.csv")

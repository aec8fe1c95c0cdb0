"""Source documents: the list with attribution, and each document passage by passage."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from quizapp.models import Source
from quizapp.services import banks, permissions

bp = Blueprint("sources", __name__)


def _viewer():
    """The logged-in user, or None for a visitor (who reads site and published banks only)."""
    return current_user if current_user.is_authenticated else None


@bp.route("/sources")
def index():
    """Every document with its attribution and licence."""
    return render_template("sources/index.html", sources=banks.list_sources(_viewer()))


@bp.route("/sources/<slug>")
def document(slug: str):
    """A whole document, each passage with its anchor; the linked one is highlighted."""
    source = banks.get_source(_viewer(), slug)
    if source is None:
        abort(404)
    return render_template(
        "sources/document.html", source=source, curator_notes=curator_notes(source)
    )


def curator_notes(source: Source) -> bool:
    """Whether the viewer reads the curators' notes (origin with file names, editing notes).

    Learners and visitors read the title, attribution and licence only. A teacher reads the
    notes of a bank they may see in the teachers' area (`permissions.can_view`): its editors,
    and every teacher for a site bank (edited through its files, by no one in the browser) or a
    published one, whose notes they may already download in the bank's .zip.
    """
    viewer = _viewer()
    return viewer is not None and permissions.can_view(viewer, source.bank)

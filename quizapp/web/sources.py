"""Source documents: the list with attribution, and each document passage by passage."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from quizapp.services import banks

bp = Blueprint("sources", __name__)


@bp.route("/sources")
def index():
    """Every document with its attribution and licence."""
    return render_template("sources/index.html", sources=banks.list_sources())


@bp.route("/sources/<slug>")
def document(slug: str):
    """A whole document, each passage with its anchor; the linked one is highlighted."""
    source = banks.get_source(slug)
    if source is None:
        abort(404)
    return render_template("sources/document.html", source=source)

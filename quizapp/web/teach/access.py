"""The teachers' blueprint, and who may reach what in it.

Students get 403 everywhere here. A teacher gets 404 for a bank they may not see and 403 for one
they may see but not change (`services.permissions`); the loaders below check before a form is
shown, and the services check again before anything is changed.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
)
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.models import Bank
from quizapp.services import permissions

bp = Blueprint("teach", __name__, url_prefix="/teach")
PER_PAGE = 25


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

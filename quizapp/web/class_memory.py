"""What a class is forgetting: the facts with the lowest mean retrievability now over the
class's learners, each linked to its passage with the evidence marked, for the class's
teachers (`services.class_memory`; 404 outside the class, 403 for its learners)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from quizapp.models import utcnow
from quizapp.services import class_memory, classes

bp = Blueprint("class_memory", __name__)


@bp.before_request
@login_required
def logged_in_only() -> None:
    """Every page here belongs to a class's teachers."""


@bp.route("/classes/<int:class_id>/memory")
def show(class_id: int):
    """The class's fading facts, lowest mean retrievability first."""
    school_class = classes.get_class(current_user, class_id, "teach")
    memory = class_memory.fading_facts(current_user, school_class, utcnow())
    return render_template(
        "classes/memory.html",
        school_class=school_class,
        memory=memory,
        shown=class_memory.FACTS_SHOWN,
    )

"""The API's classes, assignments and assignment reports, with the class pages' rights:
a class's teachers (owner and co-teachers with a teacher account) read the class, its
learners, its assignments and their reports; a learner reads their own classes and
assignments; anyone outside a class gets 404, a learner asking a teachers' resource 403."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, SchoolClass
from quizapp.services import (
    assignment_lists,
    assignment_reports,
    assignments,
    class_lists,
    classes,
)
from quizapp.services.permissions import NotFound
from quizapp.web.api.access import api_blueprint, api_user
from quizapp.web.api.paging import PageArgs, envelope, json_response, paged, sliced
from quizapp.web.api.schemas import classes as schemas

blp = api_blueprint("api_classes", __name__, "Classes", "Classes, assignments and their reports.")


@blp.route("/classes")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.ClassPageSchema)
def list_classes(args: dict):
    """The classes the user teaches (open ones first), then those they are a learner in."""
    user = api_user()
    rows: list[dict] = []
    if user.is_teacher:
        rows += [
            {
                "id": taught.school_class.id,
                "name": taught.school_class.name,
                "role": taught.role,
                "archived": bool(taught.school_class.archived),
                "learners": int(taught.learners),
            }
            for taught in class_lists.taught_classes(user)
        ]
    rows += [
        {
            "id": joined.school_class.id,
            "name": joined.school_class.name,
            "role": classes.LEARNER,
            "archived": bool(joined.school_class.archived),
            "learners": None,
        }
        for joined in class_lists.joined_classes(user)
    ]
    return paged(schemas.ClassPageSchema, sliced(rows, args), len(rows), args)


@blp.route("/classes/<int:class_id>")
@blp.response(200, schemas.ClassSchema)
def read_class(class_id: int):
    """A class for its teachers: its join code, teachers and number of learners."""
    user = api_user()
    school_class = classes.get_class(user, class_id, "teach")
    member = classes.membership(user, school_class)
    learners = db.session.scalar(
        db.select(db.func.count()).select_from(
            classes.learner_id_select(school_class.id).subquery("learners")
        )
    )
    return {
        "id": school_class.id,
        "name": school_class.name,
        "role": member.role if member else classes.TEACHER,
        "archived": bool(school_class.archived),
        "learners": int(learners or 0),
        "join_code": classes.format_code(school_class.join_code),
        "teachers": class_lists.teacher_names(school_class),
    }


@blp.route("/classes/<int:class_id>/learners")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.LearnerPageSchema)
def class_learners(args: dict, class_id: int):
    """The class's learners by name, a page at a time (its teachers only)."""
    user = api_user()
    school_class = classes.get_class(user, class_id, "teach")
    page = class_lists.learners_page(user, school_class, args["page"], args["per_page"])
    rows = [
        {"id": member.user.id, "name": member.user.name, "joined_at": member.joined_at}
        for member in page.items
    ]
    return paged(schemas.LearnerPageSchema, rows, page.total or 0, args)


def _assignment_data(assignment: Assignment, **extra) -> dict:
    bank = db.session.get(Bank, assignment.bank_id)
    data = {
        "id": assignment.id,
        "class_id": assignment.class_id,
        "title": assignment.title,
        "bank": bank.slug if bank else "",
        "language": assignment.language,
        "types": list(assignment.types or []),
        "question_count": assignment.question_count,
        "time_limit_minutes": assignment.time_limit_minutes,
        "opens_at": assignment.opens_at,
        "closes_at": assignment.closes_at,
        "attempts_allowed": assignment.attempts_allowed,
        "grading_method": assignment.grading_method,
        "review": assignment.review,
        "learners_started": None,
        "learners_finished": None,
        "state": None,
        "grade": None,
        "attempt_ids": [],
    }
    data.update(extra)
    return data


@blp.route("/classes/<int:class_id>/assignments")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.AssignmentPageSchema)
def class_assignments(args: dict, class_id: int):
    """The class's assignments, newest first, with how many learners started and finished
    (its teachers only)."""
    user = api_user()
    school_class = db.session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound(str(class_id))
    listed = assignment_lists.class_assignments(user, school_class)
    rows = [
        _assignment_data(
            entry.assignment, learners_started=entry.started, learners_finished=entry.finished
        )
        for entry in sliced(listed, args)
    ]
    return paged(schemas.AssignmentPageSchema, rows, len(listed), args)


@blp.route("/assignments/<int:assignment_id>")
@blp.response(200, schemas.AssignmentSchema)
def read_assignment(assignment_id: int):
    """An assignment: for its class's teachers with the learners who started and finished it,
    for a learner of the class with their state, grade and attempts."""
    user = api_user()
    assignment = assignments.get_assignment(user, assignment_id, "member")
    school_class = db.session.get(SchoolClass, assignment.class_id)
    if classes.teaches(user, school_class):
        counts = db.session.execute(
            db.select(
                db.func.count(db.distinct(Attempt.user_id)),
                db.func.count(
                    db.distinct(db.case((Attempt.finished_at.is_not(None), Attempt.user_id)))
                ),
            ).where(Attempt.assignment_id == assignment.id)
        ).one()
        return _assignment_data(
            assignment, learners_started=int(counts[0]), learners_finished=int(counts[1])
        )
    view = assignment_lists.learner_view(user, assignment)
    return _assignment_data(
        assignment,
        state=view.state,
        grade=view.grade,
        attempt_ids=[attempt.id for attempt in view.attempts],
    )


@blp.route("/assignments/<int:assignment_id>/report")
@blp.arguments(schemas.ReportArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.ReportSchema)
@blp.alt_response(304, description="Not modified since the ETag sent in If-None-Match.")
def report(args: dict, assignment_id: int):
    """An assignment's report for its class's teachers: learners per status, a page of
    learners with their grades by the assignment's grading method, the grades' summary.
    Send If-None-Match to poll."""
    found = assignment_reports.assignment_report(
        api_user(),
        assignment_id,
        page=args["page"],
        status=args["status"],
        per_page=args["per_page"],
    )
    learners = [
        {
            "user_id": learner.user_id,
            "name": learner.name,
            "status": learner.status,
            "started": learner.started,
            "finished": learner.finished,
            "grade": learner.grade,
            "graded_attempt_id": learner.graded_attempt_id,
            "open_attempt_id": learner.open_attempt_id,
        }
        for learner in found.learners
    ]
    distribution = found.distribution
    data = {
        "assignment_id": assignment_id,
        "counts": dict(found.counts),
        "distribution": {
            "count": distribution.count,
            "mean": distribution.mean,
            "median": distribution.median,
            "sd": distribution.sd,
        },
        "learners": envelope(learners, found.total, found.page, found.per_page),
    }
    return json_response(schemas.ReportSchema().dump(data), etag=True)

"""The API's further teacher reports, with the pages' rights through the same services: what
the class misses on an assignment, its item analysis, and a class's gradebook. A class's
teachers read them; a learner of the class gets 403 and anyone else 404. The reports carry an
ETag (send If-None-Match to poll); the long lists (items, learners) are paged."""

from __future__ import annotations

from typing import Any

from quizapp.services import classes, gradebook, item_statistics, missed_facts
from quizapp.web.api.access import api_blueprint, api_user
from quizapp.web.api.paging import PageArgs, envelope, json_response, sliced
from quizapp.web.api.schemas import classes as schemas

blp = api_blueprint(
    "api_reports",
    __name__,
    "Reports",
    "What the class misses, the item analysis and the gradebook.",
)
NOT_MODIFIED = "Not modified since the ETag sent in If-None-Match."


def _source(question: dict[str, Any]) -> dict[str, str] | None:
    """The passage reference of a frozen question, as the misses page shows it."""
    source = question.get("source")
    if not source:
        return None
    return {
        name: str(source.get(name) or "")
        for name in ("document", "document_title", "attribution", "passage_id", "passage_text")
    }


@blp.route("/assignments/<int:assignment_id>/misses")
@blp.arguments(schemas.MissesArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.MissesSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
def misses(args: dict, assignment_id: int):
    """What the class misses: the facts (at most 30) and topics by the share of learners who
    got them wrong, each fact with its passage, accepted answers and most typed answers."""
    found = missed_facts.class_misses(api_user(), assignment_id, args["attempts"])
    facts = [
        {
            "fact_key": fact.fact_key,
            "statement": fact.statement or "",
            "stem": fact.question.get("stem"),
            "topic": fact.topic,
            "written": fact.written,
            "asked": fact.asked,
            "missed": fact.missed,
            "share": fact.share,
            "accepted": [str(answer) for answer in fact.question.get("accepted") or []],
            "source": _source(fact.question),
            "typed": [
                {
                    "text": typed.text,
                    "normalised": typed.normalised,
                    "responses": typed.responses,
                    "right": typed.right,
                }
                for typed in fact.typed
            ],
        }
        for fact in found.facts
    ]
    topics = [
        {
            "topic": topic.topic,
            "label": topic.label,
            "asked": topic.asked,
            "missed": topic.missed,
            "share": topic.share,
        }
        for topic in found.topics
    ]
    data = {
        "assignment_id": assignment_id,
        "attempts": found.which,
        "learners": found.learners,
        "bank_editable": found.bank_editable,
        "facts": facts,
        "topics": topics,
    }
    return json_response(schemas.MissesSchema().dump(data), etag=True)


@blp.route("/assignments/<int:assignment_id>/item-analysis")
@blp.arguments(schemas.ItemAnalysisArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.ItemAnalysisSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
def item_analysis(args: dict, assignment_id: int):
    """The item analysis (Moodle's quiz statistics): the test's statistics, then a page of
    items with facility, discrimination, flags and the options picked. Mark-valued figures
    are percentages of the maximum; alpha goes from 0 to 1."""
    found = item_statistics.item_analysis(api_user(), assignment_id, args["attempts"])
    overall = found.overall
    items = [
        {
            "key": str(row.key),
            "label": row.label,
            "question_type": row.question_type,
            "attempts": row.stats.attempts,
            "facility": row.stats.facility,
            "sd": row.stats.sd,
            "random_guess": row.stats.random_guess,
            "discrimination": row.stats.discrimination,
            "efficiency": row.stats.efficiency,
            "flags": list(row.stats.flags),
            "options": [
                {
                    "text": str(row.option_texts.get(option.option, option.option)),
                    "picks": option.count,
                    "share": option.share,
                    "is_key": option.key,
                }
                for option in row.options
            ],
        }
        for row in sliced(found.items, args)
    ]
    data = {
        "assignment_id": assignment_id,
        "attempts": found.which,
        "by": found.by,
        "overall": {
            name: getattr(overall, name) for name in schemas.OverallStatisticsSchema().fields
        },
        "items": envelope(items, len(found.items), args["page"], args["per_page"]),
    }
    return json_response(
        schemas.ItemAnalysisSchema().dump(data), etag=True, links=data["items"]["links"]
    )


@blp.route("/classes/<int:class_id>/gradebook")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.GradebookSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
def class_gradebook(args: dict, class_id: int):
    """The class's gradebook: a column per assignment (oldest first, with the class's mean),
    a page of learners by name with their grade (% of the maximum) on each."""
    user = api_user()
    school_class = classes.get_class(user, class_id, "teach")
    book = gradebook.gradebook_page(user, school_class, args["page"], args["per_page"])
    data = {
        "class_id": school_class.id,
        "columns": [
            {
                "assignment_id": column.assignment_id,
                "title": column.title,
                "grading_method": column.grading_method,
                "closes_at": column.closes_at,
                "mean": column.mean,
                "graded": column.graded,
            }
            for column in book.columns
        ],
        "learners": envelope(
            [
                {"user_id": row.user_id, "name": row.name, "grades": list(row.grades)}
                for row in book.rows
            ],
            book.total,
            book.page,
            book.per_page,
        ),
    }
    return json_response(
        schemas.GradebookSchema().dump(data), etag=True, links=data["learners"]["links"]
    )

"""The API's hand-written questions: list, read, write, update and retire them through the
question editor's service (`services.authoring.save_question`), with the editor's rights and
checks: teachers who may see a bank read its questions, its owner and co-editors write them,
a site bank is read-only, students 403."""

from __future__ import annotations

from flask.views import MethodView

from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.core.authored import Choice, MatchPair, NumericAnswer
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank
from quizapp.services import authoring, permissions
from quizapp.web.api.access import api_blueprint, api_user
from quizapp.web.api.paging import PageArgs, paged
from quizapp.web.api.schemas import authoring as schemas

blp = api_blueprint(
    "api_questions",
    __name__,
    "Questions",
    "Hand-written questions of a bank: read, write, update, retire.",
)


@blp.before_request
def teachers_only() -> None:
    """Students get 403 here before anything is read, as in the teachers' area."""
    permissions.require_teacher(api_user())


class QuestionListArgs(schemas.ListArgs, PageArgs):
    """A page of questions, retired ones too when asked."""


def _bank(slug: str) -> Bank:
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None:
        raise permissions.NotFound(slug)
    return bank


def _question(question_id: int) -> tuple[AuthoredQuestion, Bank]:
    question = db.session.get(AuthoredQuestion, question_id)
    if question is None:
        raise permissions.NotFound(str(question_id))
    bank = db.session.get(Bank, question.bank_id)
    permissions.require_view(api_user(), bank)
    return question, bank


def question_data(question: AuthoredQuestion, bank: Bank) -> dict:
    """A hand-written question as the API sends it (to its bank's teachers: keys included)."""
    return {
        "id": question.id,
        "bank": bank.slug,
        "type": question.question_type,
        "language": question.language,
        "stem": question.stem,
        "passage_id": question.passage_id,
        "origin": question.origin,
        "retired": bool(question.retired),
        "data": dict(question.data or {}),
    }


def authored_from(args: dict) -> Authored:
    """The editor's question from the API's fields."""
    return Authored(
        type=args["type"],
        stem=args["stem"],
        text_format=args["text_format"],
        language=args["language"],
        fact_key=args["fact_key"] or None,
        choices=[Choice(**choice) for choice in args["choices"]],
        is_true=args["is_true"],
        true_feedback=args["true_feedback"],
        false_feedback=args["false_feedback"],
        numeric=[NumericAnswer(**answer) for answer in args["numeric"]],
        other_feedback=args["other_feedback"],
        pairs=[MatchPair(**pair) for pair in args["pairs"]],
        general_feedback=args["general_feedback"],
    )


@blp.route("/banks/<slug>/questions")
@blp.arguments(QuestionListArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.WrittenQuestionPageSchema)
def list_questions(args: dict, slug: str):
    """A bank's hand-written questions by id (teachers who may see the bank)."""
    bank = _bank(slug)
    permissions.require_view(api_user(), bank)
    query = (
        db.select(AuthoredQuestion)
        .where(AuthoredQuestion.bank_id == bank.id)
        .order_by(AuthoredQuestion.id)
    )
    if not args["retired"]:
        query = query.where(AuthoredQuestion.retired.is_(False))
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    rows = [question_data(question, bank) for question in page.items]
    return paged(schemas.WrittenQuestionPageSchema, rows, page.total or 0, args)


@blp.route("/banks/<slug>/questions", methods=["POST"])
@blp.arguments(schemas.QuestionInputSchema, as_kwargs=False)
@blp.response(201, schemas.WrittenQuestionSchema)
def create_question(args: dict, slug: str):
    """Write a question (the bank's owner and co-editors): 422 with every problem when the
    editor's checks refuse it, as the page lists them."""
    bank = _bank(slug)
    question = authoring.save_question(
        api_user(), bank, authored_from(args), args["passage_id"], origin="api"
    )
    db.session.commit()
    return question_data(question, bank), 201


# One rule for both methods (404, not 405, for an id out of range: see authoring.py).
@blp.route("/questions/<int:question_id>", endpoint="question")
class QuestionResource(MethodView):
    """One hand-written question."""

    @blp.response(200, schemas.WrittenQuestionSchema)
    def get(self, question_id: int):
        """One question (teachers who may see its bank)."""
        question, bank = _question(question_id)
        return question_data(question, bank)

    @blp.arguments(schemas.QuestionInputSchema, as_kwargs=False)
    @blp.response(200, schemas.WrittenQuestionSchema)
    def put(self, args: dict, question_id: int):
        """Rewrite a question (every field, as the editor saves it)."""
        question, bank = _question(question_id)
        question = authoring.save_question(
            api_user(), bank, authored_from(args), args["passage_id"], question
        )
        db.session.commit()
        return question_data(question, bank)


@blp.route("/questions/<int:question_id>/retire", methods=["POST"])
@blp.response(200, schemas.WrittenQuestionSchema)
def retire_question(question_id: int):
    """Take a question out of quizzes (attempts keep their frozen copies)."""
    question, bank = _question(question_id)
    authoring.retire_question(api_user(), question)
    db.session.commit()
    return question_data(question, bank)

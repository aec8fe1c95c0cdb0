"""The API's attempts: start one (a quiz or an assignment's), read it, answer its questions,
finish it; a learner's history. The same services and rules as the quiz pages:

- an attempt is read by its learner and by the teachers of a class the learner is in
  (`attempts.attempt_for`), answered and finished by its learner only;
- a question's key, accepted answers, fact, statement and source are sent only once it is
  answered, and for the learner only while the assignment's review timing lets them see it
  (`assignment_windows.review_open`), as the feedback page; the passage then hides the words
  that answer questions still unanswered (`core.public_questions`);
- starts and wrong answers count against the browser's own rate limits, per learner.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from quizapp.core.masking import Pending, question_answers
from quizapp.core.public_questions import before_answer, feedback
from quizapp.core.question_types import TYPES, Question
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Bank, User
from quizapp.services import (
    assignment_windows,
    assignments,
    attempt_modes,
    attempts,
    history,
    permissions,
)
from quizapp.web.api.access import api_blueprint, api_user
from quizapp.web.api.banks import plan_data
from quizapp.web.api.paging import PageArgs, json_response, paged
from quizapp.web.api.problems import problem
from quizapp.web.api.schemas import attempts as schemas
from quizapp.web.quiz.limits import count_wrong_answer, start_limit, wrong_answer_limit
from quizapp.web.shown_tokens import API_SALT, shown_at, shown_token

blp = api_blueprint(
    "api_attempts", __name__, "Attempts", "Attempts: start, answer, finish, read; history."
)

# --- what an attempt shows ------------------------------------------------------------------


def _readable(attempt_id: int, write: bool = False) -> Attempt:
    attempt = attempts.attempt_for(api_user(), attempt_id, write=write)
    if attempt is None:
        raise permissions.NotFound(str(attempt_id))
    return attempt


def _review_visible(attempt: Attempt, user: User) -> bool:
    """Whether `user` may see verdicts and right answers of the attempt's answered questions:
    its teachers always, its learner when the assignment's review timing allows."""
    if attempt.user_id != user.id:
        return True
    finished = attempt.finished_at is not None
    return assignment_windows.review_open(attempt.assignment_id, user.id, finished)


def _items(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's items with their responses, in two queries (not one per item)."""
    return list(
        db.session.scalars(
            db.select(AttemptItem)
            .options(selectinload(AttemptItem.response))
            .where(AttemptItem.attempt_id == attempt.id)
            .order_by(AttemptItem.position)
        )
    )


def _pending(attempt: Attempt, items: list[AttemptItem]) -> list[Pending]:
    """The answers of the attempt's questions still unanswered (hidden in feedback)."""
    if attempt.finished_at is not None:
        return []
    pending: list[Pending] = []
    for item in items:
        if item.response is None:
            answers = question_answers(Question.from_dict(item.question))
            if answers:
                pending.append((item.position, answers))
    return pending


def _item_data(item: AttemptItem, visible: bool, pending: list[Pending]) -> dict:
    question = Question.from_dict(item.question)
    response = item.response
    result = None
    if response is not None and visible:
        others = [(position, answers) for position, answers in pending if position != item.position]
        result = feedback(question, response.given, response.correct, response.points, others)
    return {
        "position": item.position,
        "answered": response is not None,
        "flagged": bool(item.flagged),
        "question": before_answer(question),
        "result": result,
    }


def summary_data(attempt: Attempt, visible: bool | None = None) -> dict:
    """An attempt's listed fields; the score once finished and visible to the reader."""
    if visible is None:
        visible = _review_visible(attempt, api_user())
    finished = attempt.finished_at is not None
    return {
        "id": attempt.id,
        "bank": attempt.bank.slug,
        "language": attempt.language,
        "assignment_id": attempt.assignment_id,
        "mode": attempt_modes.mode_of(attempt.settings),
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "finished_at": attempt.finished_at,
        "score": float(attempt.score) if finished and visible else None,
        "max_score": float(attempt.max_score),
    }


def attempt_data(attempt: Attempt) -> dict:
    """An attempt with every question (keys only of answered ones, when visible)."""
    user = api_user()
    visible = _review_visible(attempt, user)
    rows = _items(attempt)
    pending = _pending(attempt, rows)
    items = [_item_data(item, visible, pending) for item in rows]
    open_positions = [item["position"] for item in items if not item["answered"]]
    data = summary_data(attempt, visible)
    data.update(
        learner_id=attempt.user_id,
        total=len(items),
        answered=len(items) - len(open_positions),
        next_unanswered=open_positions[0] if open_positions else None,
        items=items,
    )
    return data


def _attempt_response(attempt: Attempt, status: int = 200):
    return json_response(schemas.AttemptSchema().dump(attempt_data(attempt)), status, etag=True)


# --- starting -------------------------------------------------------------------------------


@blp.route("/attempts", methods=["POST"])
@blp.arguments(schemas.StartSchema, as_kwargs=False)
@blp.response(201, schemas.AttemptSchema)
@start_limit
def start(args: dict):
    """Start a quiz on a bank with its own frozen question set (as the home page's form).

    When the bank cannot give the set as asked nothing is stored: 409 with `plan`, what it can
    give; send its `signature` as `accept` with the same `seed` to start that set.
    """
    user = api_user()
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == args["bank"]))
    if bank is None:
        raise permissions.NotFound(args["bank"])
    types = list(args["types"]) or sorted(TYPES)
    try:
        attempt = attempts.start_attempt(
            user,
            bank,
            args["language"],
            args["count"],
            types,
            seed=args["seed"],
            time_limit_minutes=args["time_limit_minutes"] or None,
            accepted=args["accept"],
        )
    except attempts.QuizShortfall as shortfall:
        db.session.rollback()
        return problem(
            409, str(shortfall), extra={"plan": plan_data(shortfall.plan, shortfall.seed)}
        )
    except attempts.QuizError as error:
        db.session.rollback()
        return problem(422, str(error))
    db.session.commit()
    return _attempt_response(attempt, 201)


@blp.route("/assignments/<int:assignment_id>/attempts", methods=["POST"])
@blp.response(201, schemas.AttemptSchema)
@start_limit
def start_assignment(assignment_id: int):
    """Start (or resume: 200) the learner's attempt at an assignment of their class."""
    user = api_user()
    open_before = db.session.scalar(
        db.select(Attempt.id).where(
            Attempt.assignment_id == assignment_id,
            Attempt.user_id == user.id,
            Attempt.finished_at.is_(None),
        )
    )
    attempt = assignments.start_attempt(user, assignment_id)
    db.session.commit()
    return _attempt_response(attempt, 200 if attempt.id == open_before else 201)


# --- reading --------------------------------------------------------------------------------


@blp.route("/attempts")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.AttemptPageSchema)
def list_attempts(args: dict):
    """The user's own attempts, newest first (finished and open)."""
    user = api_user()
    page = history.attempts_page(user.id, args["page"], per_page=args["per_page"])
    rows = [summary_data(attempt) for attempt in page.items]
    return paged(schemas.AttemptPageSchema, rows, page.total or 0, args, etag=True)


@blp.route("/attempts/<int:attempt_id>")
@blp.response(200, schemas.AttemptSchema)
@blp.alt_response(304, description="Not modified since the ETag sent in If-None-Match.")
def read_attempt(attempt_id: int):
    """An attempt with every question: keys, verdicts and sources only of answered questions
    (for its learner, once the assignment's review opens). Send If-None-Match to poll."""
    return _attempt_response(_readable(attempt_id))


def _item(attempt: Attempt, position: int) -> AttemptItem:
    item = attempts.item_at(attempt, position)
    if item is None:
        raise permissions.NotFound(str(position))
    return item


def _question_data(attempt: Attempt, item: AttemptItem) -> dict:
    user = api_user()
    rows = _items(attempt)
    data = _item_data(item, _review_visible(attempt, user), _pending(attempt, rows))
    asks = item.response is None and attempt.finished_at is None and attempt.user_id == user.id
    data.update(
        attempt_id=attempt.id,
        total=len(rows),
        shown=shown_token(item.id, API_SALT) if asks else None,
    )
    return data


@blp.route("/attempts/<int:attempt_id>/questions/<int:position>")
@blp.response(200, schemas.QuestionItemSchema)
def read_question(attempt_id: int, position: int):
    """One question of an attempt (its key only once answered, as `result`)."""
    attempt = _readable(attempt_id)
    return _question_data(attempt, _item(attempt, position))


# --- answering and finishing ----------------------------------------------------------------


def checked_answer(question: Question, given: object) -> tuple[object, str | None]:
    """The answer in the form the question's checker takes, or a reason it cannot be one.

    The same shapes as the answer forms: one of the options (choice, true/false), several of
    them (multi), every option once in some order (order), each left item matched to a right
    option (match), a line of text up to 200 characters (typed answers)."""
    options = question.options
    kind = question.type
    if kind in ("mcq", "tf"):
        if isinstance(given, str) and given in (options or []):
            return given, None
        return None, _("Send one of the options, exactly as written.")
    if kind == "multi":
        if (
            isinstance(given, list)
            and given
            and all(isinstance(g, str) and g in (options or []) for g in given)
            and len(set(given)) == len(given)
        ):
            return given, None
        return None, _("Send a list of at least one of the options, each once.")
    if kind == "order":
        if isinstance(given, list) and sorted(map(str, given)) == sorted(options or []):
            return given, None
        return None, _("Send every option once, in the order you choose.")
    if kind == "match":
        left = list((options or {}).get("left", [])) if isinstance(options, dict) else []
        right = list((options or {}).get("right", [])) if isinstance(options, dict) else []
        if (
            isinstance(given, dict)
            and sorted(given) == sorted(left)
            and all(isinstance(v, str) and v in right for v in given.values())
        ):
            return given, None
        return None, _("Send an object matching each left item to one of the right options.")
    if isinstance(given, str) and given.strip() and len(given) <= 200:
        return given.strip(), None
    return None, _("Type an answer of 1 to 200 characters.")


@blp.route("/attempts/<int:attempt_id>/questions/<int:position>/answer", methods=["POST"])
@blp.arguments(schemas.AnswerSchema, as_kwargs=False)
@blp.response(200, schemas.QuestionItemSchema)
@wrong_answer_limit
def answer(args: dict, attempt_id: int, position: int):
    """Answer a question of one's own open attempt; the answer comes back with its feedback
    (`result`, null while the assignment's review is closed). A question keeps its first
    answer: a second one is a 409."""
    user = api_user()
    attempt = _readable(attempt_id, write=True)
    item = _item(attempt, position)
    if item.response is not None:
        return problem(409, _("This question was already answered; your first answer is kept."))
    if attempt.finished_at is not None:
        return problem(409, _("This attempt is finished; its answers can no longer change."))
    question = Question.from_dict(item.question)
    given, reason = checked_answer(question, args["answer"])
    if reason is not None:
        return problem(422, reason, errors={"answer": [reason]})
    try:
        outcome = attempts.record_answer(
            user, attempt_id, position, given, shown_at=shown_at(args["shown"], item.id, API_SALT)
        )
    except attempts.QuizError as error:
        db.session.rollback()
        return problem(409, str(error))
    count_wrong_answer(outcome)
    if not outcome.first:
        return problem(409, _("This question was already answered; your first answer is kept."))
    if attempts.deadline_passed(attempt):
        attempts.close_attempt(user, attempt_id)
        db.session.commit()
    db.session.expire_all()
    attempt = _readable(attempt_id)
    return _question_data(attempt, _item(attempt, position))


@blp.route("/attempts/<int:attempt_id>/finish", methods=["POST"])
@blp.response(200, schemas.AttemptSchema)
def finish(attempt_id: int):
    """Finish one's own attempt (unanswered questions score 0); finishing twice is no error."""
    user = api_user()
    _readable(attempt_id, write=True)
    attempts.finish_attempt(user, attempt_id)
    db.session.commit()
    return _attempt_response(_readable(attempt_id))


# --- history --------------------------------------------------------------------------------


def _history_data(viewer: User, learner: User) -> dict:
    summaries = history.bank_summaries(learner.id)
    standings = history.assignment_standings(viewer, learner)
    return {
        "learner_id": learner.id,
        "learner": learner.name,
        "banks": [
            {
                "slug": s.slug,
                "titles": dict(s.titles or {}),
                "language": s.language,
                "attempts": s.attempts,
                "best": float(s.best or 0),
                "average": float(s.average or 0),
            }
            for s in summaries
        ],
        "assignments": [
            {
                "assignment_id": s.assignment_id,
                "title": s.title,
                "class_name": s.class_name,
                "state": s.state,
                "closes_at": s.closes_at,
                "grade": s.grade,
            }
            for s in standings
        ],
    }


@blp.route("/history")
@blp.response(200, schemas.HistorySchema)
@blp.alt_response(304, description="Not modified since the ETag sent in If-None-Match.")
def my_history():
    """The user's results per bank and their assignments (attempts: GET /attempts)."""
    user = api_user()
    return json_response(schemas.HistorySchema().dump(_history_data(user, user)), etag=True)


@blp.route("/users/<int:user_id>/history")
@blp.response(200, schemas.HistorySchema)
@blp.alt_response(304, description="Not modified since the ETag sent in If-None-Match.")
def learner_history(user_id: int):
    """A learner's history: for the teachers of a class they are in, or themself."""
    viewer = api_user()
    learner = history.learner_for(viewer, user_id)
    return json_response(schemas.HistorySchema().dump(_history_data(viewer, learner)), etag=True)

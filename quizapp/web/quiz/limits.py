"""The rate limits of learners' starts and wrong answers, shared by the quiz pages, practice,
study and the JSON API: one budget per learner, whichever way the request comes."""

from __future__ import annotations

from flask import current_app, g
from flask_babel import gettext as _
from flask_login import current_user

from quizapp.extensions import limiter
from quizapp.services.attempts import AnswerOutcome


def _learner_key() -> str:
    # The account id, not get_id(): that changes at every logout and would reset the count.
    # The JSON API's requests count for the token's user (`web.api.access`), under this key.
    user = g.get("api_user") or current_user
    return f"learner:{user.id}"


# Each start (and each practice) freezes a question set in the database: a loop of starts must
# not fill it. One shared limit per learner: every route that starts something (pages and the
# JSON API) counts in the same scope.
start_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_START"],
    scope="starts",
    methods=["POST"],
    key_func=_learner_key,
    error_message=lambda: _(
        "You started too many quizzes in a short time; wait a minute before starting another."
    ),
)


# Only wrong answers count, so that guessing answers by brute force is slowed down; the pages
# and the JSON API share the count.
wrong_answer_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_WRONG_ANSWERS"],
    scope="wrong-answers",
    methods=["POST"],
    key_func=_learner_key,
    deduct_when=lambda response: bool(g.get("wrong_answer")),
    error_message=lambda: _(
        "Too many wrong answers in a short time; wait a minute before answering again."
    ),
)


def count_wrong_answer(outcome: AnswerOutcome) -> None:
    """Mark this request for `wrong_answer_limit`: only an answer this request stored (not a
    repeat of a stored one) that is wrong counts against the learner."""
    g.wrong_answer = outcome.first and not outcome.response.correct

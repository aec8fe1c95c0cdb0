"""Starting an attempt: plan the set, freeze its questions; practise what was missed."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from quizapp.core.generation import GenerationError, SetPlan
from quizapp.core.practice import practice_set
from quizapp.core.question_types import TYPES, Question
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Bank, User, utcnow
from quizapp.services.assignment_windows import review_open
from quizapp.services.attempts.access import attempt_for
from quizapp.services.attempts.errors import NothingMissed, QuizError, QuizShortfall
from quizapp.services.attempts.review import answers_of, missed_in
from quizapp.services.banks import question_pool
from quizapp.services.permissions import NotFound, can_take, require_take

MIN_QUESTIONS, MAX_QUESTIONS = 5, 50


def _refusal(error: GenerationError) -> QuizError:
    """The learner's message for a set the generator refuses (its own text is for curators)."""
    messages = {
        "unknown_type": _("Choose question types from the list."),
        "no_types": _("Choose at least one question type."),
        "count": _(
            "Choose between %(low)d and %(high)d questions.", low=MIN_QUESTIONS, high=MAX_QUESTIONS
        ),
        "no_language": _("This bank cannot make a quiz in this language yet."),
        "empty": _("This bank cannot make any question of the chosen types in this language."),
    }
    return QuizError(messages.get(error.code, _("This bank cannot make this quiz.")))


def plan_set(bank: Bank, language: str, count: int, types: list[str], seed: int) -> SetPlan:
    """The set a request would give (see QuestionPool.plan), with the learner's rules applied.

    QuizError (translated) when the request breaks a rule or the bank can make none of it.
    """
    if language not in bank.languages:
        raise QuizError(_("This bank has no questions in %(language)s.", language=language))
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise QuizError(
            _(
                "Choose between %(low)d and %(high)d questions.",
                low=MIN_QUESTIONS,
                high=MAX_QUESTIONS,
            )
        )
    try:
        return question_pool(bank).plan(count, language, seed, types)
    except GenerationError as error:
        raise _refusal(error) from None


def start_attempt(
    user: User,
    bank: Bank,
    language: str,
    count: int,
    types: list[str],
    seed: int | None = None,
    time_limit_minutes: int | None = None,
    accepted: str | None = None,
) -> Attempt:
    """Draw a question set and freeze it into a new attempt (the caller commits).

    The set holds exactly `count` questions of the requested types, split evenly. When the bank
    cannot give that, QuizShortfall is raised (nothing is stored) with the set it can give;
    the learner accepts it by starting again with the same seed and `accepted` set to that
    plan's `signature()`: the set is then stored if it is still the one announced (else a new
    QuizShortfall says what the bank gives now). Other refusals are QuizError, translated.

    With a time limit, the deadline is stored now; answers after it (plus a short grace) are
    refused and close the attempt. A bank not offered to the user raises
    `permissions.NotFound`.
    """
    require_take(user, bank)
    seed = secrets.randbelow(2**31) if seed is None else seed
    plan = plan_set(bank, language, count, types, seed)
    if not plan.exact and plan.signature() != accepted:
        raise QuizShortfall(plan, seed)
    questions = plan.questions
    started = utcnow()
    deadline = started + dt.timedelta(minutes=time_limit_minutes) if time_limit_minutes else None
    settings = {
        "count": count,
        "types": list(types),
        "seed": seed,
        "version": bank.version,
        "time_limit_minutes": time_limit_minutes or 0,
    }
    return freeze_attempt(
        user, bank, language, settings, questions, started_at=started, deadline=deadline
    )


def practise_missed(user: User, attempt_id: int, seed: int | None = None) -> Attempt:
    """A new attempt on exactly the facts the user missed in one of their finished attempts,
    each asked in another form where the fact can make one (see core.practice); hand-written
    questions are asked again. The caller commits.

    NotFound for an attempt that is not the user's; NothingMissed when every answer was right;
    QuizError when the attempt is still open or its bank is no longer offered.
    """
    attempt = attempt_for(user, attempt_id, write=True)
    if attempt is None:
        raise NotFound(str(attempt_id))
    if attempt.finished_at is None:
        raise QuizError(_("Finish this attempt first; then you can practise what you missed."))
    if not review_open(attempt.assignment_id, user.id, finished=True):
        # Practice shows the right answers: not before the assignment lets the learner see them.
        raise QuizError(_("You can practise what you missed once this assignment's review opens."))
    bank = attempt.bank
    if not can_take(user, bank):
        raise QuizError(_("This bank is no longer offered, so it cannot make a practice quiz."))
    missed = missed_in(answers_of(attempt))
    if not missed:
        raise NothingMissed(_("You answered every question right: there is nothing to practise."))
    seed = secrets.randbelow(2**31) if seed is None else seed
    questions = practice_set(
        question_pool(bank), missed, attempt.language, random.Random(f"practice:{seed}")
    )[:MAX_QUESTIONS]
    settings = {key: attempt.settings[key] for key in ("count", "types") if key in attempt.settings}
    settings.update(seed=seed, version=bank.version, time_limit_minutes=0, practice_of=attempt.id)
    return freeze_attempt(user, bank, attempt.language, settings, questions)


def _frozen_items(questions: Sequence[Question | dict[str, Any]]) -> list[AttemptItem]:
    """The attempt's items, each freezing its question as the learner will see it (1-based).

    A question already frozen (a dict, as an assignment keeps the one set of its class) is
    copied as it is: a class starting an exam at once need not rebuild every question."""
    items = []
    for position, question in enumerate(questions, start=1):
        frozen = dict(question) if isinstance(question, dict) else question.to_dict()
        items.append(
            AttemptItem(
                position=position,
                question_type=frozen["type"],
                fact_key=frozen["fact_id"],
                question=frozen,
            )
        )
    return items


def freeze_attempt(
    user: User,
    bank: Bank,
    language: str,
    settings: dict[str, Any],
    questions: Sequence[Question | dict[str, Any]],
    *,
    started_at: dt.datetime | None = None,
    deadline: dt.datetime | None = None,
    assignment_id: int | None = None,
    in_write: bool = False,
) -> Attempt:
    """Freeze questions into a new attempt (the caller commits): each item keeps its question
    as the learner will see it. Opens a write transaction, unless `in_write` says the caller
    has one open (an assignment's start counts attempts inside it)."""
    user_id = user.id
    started = started_at or utcnow()
    if not in_write:
        begin_write()
    attempt = Attempt(
        user_id=user_id,
        started_at=started,
        deadline=deadline,
        bank_id=bank.id,
        language=language,
        settings=settings,
        max_score=float(len(questions)),
        assignment_id=assignment_id,
    )
    attempt.items = _frozen_items(questions)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def known_types() -> list[str]:
    """Every registered question type, in registry order."""
    return list(TYPES)

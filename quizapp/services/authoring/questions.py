"""Authoring hand-written questions: the form's ticks and weights (each the other's inverse),
saving a question (checked by the core rules, one per fingerprint in a bank) and retiring it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.core.authored import authored_problems
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, Passage, User
from quizapp.services import permissions
from quizapp.services.authoring.banks import touch
from quizapp.services.authoring.errors import AuthoringError
from quizapp.services.authoring.facts import fact_choices


def weights_from_ticks(kind: str, rows: list[tuple[bool, float | None]]) -> list[float]:
    """The weight (percent) of each option or accepted answer from the question form's rows.

    Each row is (ticked "Right answer", weight typed in the advanced field or None). A typed
    weight always wins. A tick alone is worth 100; on a multiple-answer question ("multi") the
    ticked rows without a weight share equally what the typed weights leave to 100. A row
    neither ticked nor weighted is wrong (0), except on a short-answer question where nothing
    is ticked nor weighted at all: there every answer written is accepted, as before the form
    had ticks (and as a teacher listing answers means).
    """
    if kind == "short" and not any(right or weight is not None for right, weight in rows):
        return [100.0] * len(rows)
    share = 100.0
    if kind == "multi":
        shared = sum(1 for right, weight in rows if right and weight is None)
        left = 100.0 - sum(weight for _, weight in rows if weight is not None and weight > 0)
        share = max(left, 0.0) / shared if shared else 0.0
    return [weight if weight is not None else (share if right else 0.0) for right, weight in rows]


def ticks_from_weights(kind: str, weights: list[float]) -> list[tuple[bool, float | None]]:
    """The question form's rows for stored weights: the inverse of `weights_from_ticks`.

    A row is ticked when its weight earns points; its weight is shown (in the advanced field)
    only where the tick alone would not give it, so that saving the form again changes nothing.
    """
    rights = [weight > 0 for weight in weights]
    shown: list[float | None] = [None] * len(weights)
    # Each round shows the one weight the ticks are furthest from; on a multiple-answer
    # question that changes the equal shares of the others, which may then fit (50, 25, 25
    # shows only the 50). At most one round per row.
    for _round in range(len(weights)):
        implied = weights_from_ticks(kind, list(zip(rights, shown, strict=True)))
        gaps = {
            index: abs(implied[index] - weight)
            for index, weight in enumerate(weights)
            if shown[index] is None and abs(implied[index] - weight) > 1e-6
        }
        if not gaps:
            break
        furthest = max(gaps, key=lambda index: gaps[index])
        shown[furthest] = weights[furthest]
    return list(zip(rights, shown, strict=True))


def save_question(
    user: User,
    bank: Bank,
    authored: Authored,
    passage_id: int | None,
    question: AuthoredQuestion | None = None,
    origin: str = "browser",
) -> AuthoredQuestion:
    """Create or update a hand-written question (the caller commits)."""
    permissions.require_edit(user, bank)
    if question is not None and question.bank_id != bank.id:
        raise permissions.NotFound(str(question.id))
    problems = authored_problems(authored)
    if authored.language and authored.language not in bank.languages:
        problems.append(_("The bank has no %(language)s questions.", language=authored.language))
    passage = db.session.get(Passage, passage_id) if passage_id else None
    if passage_id and (passage is None or passage.source.bank_id != bank.id):
        problems.append(_("Choose a passage of this bank."))
    if authored.fact_key and authored.fact_key not in dict(fact_choices(bank)):
        problems.append(_("Choose a fact of this bank."))
    if problems:
        raise AuthoringError(problems)
    fingerprint = authored.fingerprint()
    clash = db.session.scalar(
        db.select(AuthoredQuestion.id).where(
            AuthoredQuestion.bank_id == bank.id,
            AuthoredQuestion.fingerprint == fingerprint,
            AuthoredQuestion.id != (question.id if question else -1),
        )
    )
    if clash:
        raise AuthoringError([_("The bank already has this very question.")])
    if question is None:
        question = AuthoredQuestion(bank_id=bank.id, origin=origin)
        db.session.add(question)
    question.question_type = authored.type
    question.stem = authored.stem
    question.language = authored.language or bank.languages[0]
    question.data = authored.to_dict()
    question.fingerprint = fingerprint
    question.passage = passage
    question.retired = False
    touch(bank)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AuthoringError([_("The bank already has this very question.")]) from None
    return question


def retire_question(user: User, question: AuthoredQuestion) -> None:
    """Take a hand-written question out of quizzes."""
    bank = db.session.get(Bank, question.bank_id)
    permissions.require_edit(user, bank)
    question.retired = True
    touch(bank)

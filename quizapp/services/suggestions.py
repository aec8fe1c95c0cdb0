"""Suggested facts for a source: the candidates left to review, and turning one down.

Both need the right to edit the source's bank (`services.permissions`).
"""

from __future__ import annotations

from quizapp.core.suggest import Suggestion, suggest
from quizapp.core.values import normalise
from quizapp.extensions import db
from quizapp.models import Fact, Passage, RejectedSuggestion, Source, User
from quizapp.services import permissions


def open_suggestions(user: User, source: Source) -> list[tuple[Passage, Suggestion]]:
    """Candidate facts in the source's passages, without those rejected or already facts."""
    permissions.require_edit(user, source.bank)
    rejected = {
        (r.passage_anchor, r.answer)
        for r in db.session.scalars(
            db.select(RejectedSuggestion).where(RejectedSuggestion.source_id == source.id)
        )
    }
    known = {
        (f.passage_id, normalise(f.answer))
        for f in db.session.scalars(
            db.select(Fact).join(Passage).where(Passage.source_id == source.id)
        )
    }
    found = []
    for passage in source.passages:
        for suggestion in suggest(passage.text, source.language):
            key = normalise(suggestion.answer)
            if (passage.anchor, key) in rejected or (passage.id, key) in known:
                continue
            found.append((passage, suggestion))
    return found


def reject_suggestion(user: User, source: Source, anchor: str, answer: str) -> bool:
    """Remember that a suggestion was turned down, so it is not made again (the caller commits).

    `answer` is normalised and cut to the column's 256 characters; returns whether a new
    rejection was stored (False for an empty answer or one rejected already).
    """
    permissions.require_edit(user, source.bank)
    anchor = anchor[:64]
    answer = normalise(answer)[:256]
    exists = db.session.scalar(
        db.select(RejectedSuggestion.id).where(
            RejectedSuggestion.source_id == source.id,
            RejectedSuggestion.passage_anchor == anchor,
            RejectedSuggestion.answer == answer,
        )
    )
    if not answer or exists:
        return False
    db.session.add(RejectedSuggestion(source_id=source.id, passage_anchor=anchor, answer=answer))
    db.session.flush()
    return True

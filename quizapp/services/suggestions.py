"""Suggested facts for a source: the candidates left to review, accepting and turning them down.

All need the right to edit the source's bank (`services.permissions`).
"""

from __future__ import annotations

from quizapp.core.suggest import Suggestion, suggest
from quizapp.core.values import normalise
from quizapp.extensions import db
from quizapp.models import Fact, Passage, RejectedSuggestion, Source, User
from quizapp.services import authoring, permissions

# A suggestion is named by its passage's anchor and its answer, as the page sends them back.
Pick = tuple[str, str]


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


def _picked(found: list[tuple[Passage, Suggestion]], picks: list[Pick]) -> list:
    """The open suggestions named in `picks`, once each, in the page's order."""
    wanted = {(anchor, normalise(answer)) for anchor, answer in picks}
    chosen, seen = [], set()
    for passage, suggestion in found:
        key = (passage.anchor, normalise(suggestion.answer))
        if key in wanted and key not in seen:
            seen.add(key)
            chosen.append((passage, suggestion))
    return chosen


def accept_suggestions(
    user: User, source: Source, picks: list[Pick]
) -> tuple[list[Fact], list[tuple[str, list[str]]]]:
    """Save the picked suggestions as facts, as their "Accept and edit" form comes prefilled.

    Only suggestions still open are taken (the picks name them; their text comes from the
    source, never from the request). Returns the facts saved and, for each suggestion the fact
    rules refuse, its answer and the reasons: it stays suggested, to mend in the fact form.
    The caller commits.
    """
    permissions.require_edit(user, source.bank)
    saved: list[Fact] = []
    refused: list[tuple[str, list[str]]] = []
    for passage, suggestion in _picked(open_suggestions(user, source), picks):
        data = {
            "passage_id": passage.id,
            "evidence": suggestion.statement,
            "evidence_start": suggestion.evidence_start,
            "evidence_end": suggestion.evidence_end,
            "statement": suggestion.statement,
            "answer": suggestion.answer,
            "kind": suggestion.kind,
            "category": suggestion.category or "",
            "stems": suggestion.stem,
        }
        try:
            saved.append(authoring.save_fact(user, source.bank, data))
        except authoring.AuthoringError as error:
            refused.append((suggestion.answer, list(error.problems)))
    return saved, refused


def reject_suggestions(user: User, source: Source, picks: list[Pick]) -> int:
    """Turn the picked suggestions down; returns how many new rejections were stored."""
    permissions.require_edit(user, source.bank)
    return sum(
        reject_suggestion(user, source, passage.anchor, suggestion.answer)
        for passage, suggestion in _picked(open_suggestions(user, source), picks)
    )

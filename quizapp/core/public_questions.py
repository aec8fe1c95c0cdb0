"""What of a frozen question a learner may read, as plain data for the JSON API: before
answering only what the question page shows, after answering what its feedback shows.

Before an answer the page shows the stem, the options (for ordering and matching, the items and
choices as frozen, in their drawn order), how many options are right on a multiple-answer
question and the tolerance of a numeric one; nothing else. The key, the accepted answers, the
fact's statement, its id (a fact's id is often made from its answer), the source passage and
the per-option feedback stay out: `before_answer` copies a whitelist, so a field added to
`Question` later is never sent by accident.

After the answer, `feedback` gives the verdict, the right answer and the source passage, with
the words that answer questions still unanswered in the attempt replaced by a marker, as the
feedback page hides them (`core.masking`); the evidence offsets are moved to match the text
sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizapp.core.masking import MASK, HiddenSpan, Pending, hidden_spans, masked_text
from quizapp.core.question_types import Question, SourceRef


def tolerance_of(question: Question) -> float | None:
    """How far from the right number an answer may be and still count, for a numeric question
    with a tolerance (a hand-written one: its best answer's half-width); None otherwise."""
    if question.type != "numeric":
        return None
    tolerance = question.tolerance
    if question.numeric_answers:
        best = max(question.numeric_answers, key=lambda answer: answer["weight"])
        tolerance = (best["high"] - best["low"]) / 2
    return tolerance if tolerance > 0 else None


def answers_wanted(question: Question) -> int | None:
    """How many options are right, for a multiple-answer question (its page says so)."""
    if question.type != "multi":
        return None
    key = question.key
    return len(key) if isinstance(key, list) else None


def before_answer(question: Question) -> dict[str, Any]:
    """The question as its page shows it before an answer: type, language, stem and its text
    format, options (a list; for matching {"left": [...], "right": [...]}; None for typed
    answers), `answers_wanted` (multi) and `tolerance` (numeric), never the key."""
    options: Any = question.options
    if isinstance(options, dict):
        options = {"left": list(options.get("left", [])), "right": list(options.get("right", []))}
    elif options is not None:
        options = list(options)
    return {
        "type": question.type,
        "language": question.language,
        "stem": question.stem,
        "text_format": question.text_format,
        "options": options,
        "answers_wanted": answers_wanted(question),
        "tolerance": tolerance_of(question),
    }


def _moved(position: int, spans: Sequence[HiddenSpan]) -> int:
    """Where `position` of the text lands once each span is replaced by MASK (a position
    inside a span lands at its marker's start)."""
    shift = 0
    for span in spans:
        if position <= span.start:
            break
        if position < span.end:
            return span.start + shift
        shift += len(MASK) - (span.end - span.start)
    return position + shift


def masked_source(source: SourceRef | None, pending: Sequence[Pending]) -> dict[str, Any] | None:
    """The source passage as feedback shows it: the answers of `pending` questions replaced
    by MASK, the evidence offsets moved to the text sent, and how many spans are hidden."""
    if source is None:
        return None
    text = source.passage_text
    spans = hidden_spans(text, pending) if pending else []
    return {
        "document": source.document,
        "document_title": source.document_title,
        "attribution": source.attribution,
        "passage_id": source.passage_id,
        "passage_text": masked_text(text, spans) if spans else text,
        "evidence_start": _moved(source.evidence_start, spans),
        "evidence_end": _moved(source.evidence_end, spans),
        "hidden": len(spans),
    }


def _masked(text: str | None, pending: Sequence[Pending]) -> str | None:
    if not text or not pending:
        return text
    return masked_text(text, hidden_spans(text, pending))


def feedback(
    question: Question,
    given: Any,
    correct: bool,
    points: float,
    pending: Sequence[Pending] = (),
) -> dict[str, Any]:
    """What the feedback page shows once the question is answered: the answer given, whether
    it was right and its points, the right answer (`key`), the fact's statement and note, the
    author's feedback and the source passage, with `pending`'s answers hidden."""
    return {
        "given": given,
        "correct": bool(correct),
        "points": float(points),
        "key": question.key,
        "statement": _masked(question.statement, pending),
        "note": _masked(question.note, pending),
        "feedback": question.feedback_for(given),
        "general_feedback": question.general_feedback,
        "source": masked_source(question.source, pending),
    }

"""Writing quizapp's CSV: a header and one row per question, each checked by reading it back."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence

from quizapp.core.authored import AuthoredQuestion
from quizapp.core.formats.csv.cells import COLUMNS, TYPES, guard_cell, join_values
from quizapp.core.formats.csv.reading import parse
from quizapp.core.formats.gift import format_number, numeric_spec


def normalize(question: AuthoredQuestion) -> AuthoredQuestion:
    """The question as the CSV reads it back: trimmed texts, empty feedback as none."""
    q = AuthoredQuestion.from_dict(question.to_dict())
    q.line = question.line

    def optional(value: str | None) -> str | None:
        return (value or "").strip() or None

    q.stem = q.stem.strip()
    q.title = optional(q.title)
    q.category = optional(q.category)
    q.external_id = optional(q.external_id)
    q.tags = [tag.strip() for tag in q.tags if tag.strip()]
    q.general_feedback = optional(q.general_feedback)
    q.true_feedback = optional(q.true_feedback)
    q.false_feedback = optional(q.false_feedback)
    for choice in q.choices:
        choice.text = choice.text.strip()
        choice.feedback = optional(choice.feedback)
    for answer in q.numeric:
        answer.feedback = optional(answer.feedback)
    q.other_feedback = optional(q.other_feedback) if q.type == "numeric" else None
    for pair in q.pairs:
        pair.left, pair.right = pair.left.strip(), pair.right.strip()
    return q


def _optional_list(values: Sequence[str | None]) -> str:
    return join_values([v or "" for v in values]) if any(values) else ""


def _weights(values: Sequence[float | None]) -> str:
    if all(v is None for v in values):
        return ""
    return join_values(["" if v is None else format_number(v) for v in values])


def _cells(q: AuthoredQuestion) -> dict[str, str]:
    cells = {
        "type": q.type,
        "title": q.title or "",
        "category": q.category or "",
        "id": q.external_id or "",
        "tags": join_values(q.tags),
        "format": q.text_format,
        "stem": q.stem,
        "missing_word": "yes" if q.embedded else "",
        "general_feedback": q.general_feedback or "",
    }
    if q.type in ("mcq", "multi", "short"):
        right = [str(i + 1) for i, c in enumerate(q.choices) if c.correct]
        every = q.type == "short" and len(right) == len(q.choices)
        cells["answers"] = join_values([c.text for c in q.choices])
        cells["correct"] = "" if every else join_values(right)
        cells["weights"] = _weights([c.weight for c in q.choices])
        cells["feedback"] = _optional_list([c.feedback for c in q.choices])
    elif q.type == "tf":
        cells["correct"] = "" if q.is_true is None else ("true" if q.is_true else "false")
        cells["feedback"] = _optional_list([q.true_feedback, q.false_feedback])
    elif q.type == "numeric":
        # Feedback for any other number is a last answer "*", worth nothing.
        other = ["*"] if q.other_feedback else []
        cells["answers"] = join_values([numeric_spec(a) for a in q.numeric] + other)
        cells["weights"] = _weights([a.weight for a in q.numeric] + [None] * len(other))
        feedback = [a.feedback for a in q.numeric] + [q.other_feedback] * len(other)
        cells["feedback"] = _optional_list(feedback)
    elif q.type == "match":
        cells["answers"] = join_values([f"{p.left} -> {p.right}" for p in q.pairs])
    return cells


def _why_not(q: AuthoredQuestion) -> str | None:
    """The reason the CSV cannot hold a question, for the cases a teacher can fix."""
    if q.type not in TYPES:
        return f"unknown question type {q.type!r}"
    numbers = [*(c.weight for c in q.choices), *(a.weight for a in q.numeric)]
    for a in q.numeric:
        ranged = a.low is not None or a.high is not None
        if ranged and (a.value is not None or a.tolerance):
            return "an accepted number has both a value and a range"
        numbers += [a.low, a.high] if ranged else [a.value, a.tolerance]
        if any(n is None for n in ([a.low, a.high] if ranged else [a.value])):
            return "an accepted number is missing"
    if any(n is not None and not math.isfinite(n) for n in numbers):
        return "a number is not finite"
    if any("->" in p.left for p in q.pairs):
        return "an item to match contains '->', which separates item and match"
    return None


def _row_text(cells: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in cells:
        writer.writerow([guard_cell(row.get(column, "")) for column in COLUMNS])
    return out.getvalue()


def write(
    questions: Sequence[AuthoredQuestion],
) -> tuple[str, list[tuple[AuthoredQuestion, str]]]:
    """The CSV for `questions` (header and one row each), and those it cannot hold with why."""
    rows: list[dict[str, str]] = []
    unwritten: list[tuple[AuthoredQuestion, str]] = []
    for question in questions:
        reason = _why_not(question)
        if reason is None:
            q = normalize(question)
            cells = _cells(q)
            reason = _check(q, _row_text([cells]))
        if reason is not None:
            unwritten.append((question, reason))
            continue
        rows.append(cells)
    return _row_text(rows), unwritten


def _check(q: AuthoredQuestion, text: str) -> str | None:
    back = parse(text)
    if back.problems:
        message = back.problems[0].message
        return f"the CSV cannot hold it: {message}"
    found = back.questions + [s for s, _ in back.skipped]
    want = q.to_dict()
    got = found[0].to_dict() if len(found) == 1 else {}
    for key in ("language", "passage_id"):
        want.pop(key, None)
        got.pop(key, None)
    if got != want:
        differing = next((k for k in want if got.get(k) != want[k]), "question")
        return f"the CSV cannot hold its {differing.replace('_', ' ')} exactly"
    return None


def template() -> str:
    """A CSV to download and fill in: the header and one example row per question type."""
    rows = [
        {
            "type": "mcq",
            "title": "Capital of Romania",
            "category": "Geography",
            "id": "geo-1",
            "tags": "europe|capitals",
            "stem": "What is the capital of Romania?",
            "answers": "Cluj-Napoca|Bucharest|Iași",
            "correct": "2",
            "feedback": "Cluj-Napoca is the capital of Cluj County.|Right!|",
            "general_feedback": "Bucharest has been the capital since 1862.",
        },
        {
            "type": "multi",
            "category": "Geography",
            "stem": "Which of these rivers flow through Romania?",
            "answers": "Mureș|Olt|Rhine",
            "weights": "50|50|-100",
        },
        {
            "type": "tf",
            "category": "Geography",
            "stem": "The Danube flows into the Black Sea.",
            "correct": "true",
            "feedback": "Yes: through the Danube Delta.|It does: look at the delta on a map.",
        },
        {
            "type": "short",
            "category": "Geography",
            "stem": "The _____ forms most of Romania's border with Bulgaria.",
            "missing_word": "yes",
            "answers": "Danube|Dunărea",
        },
        {
            "type": "numeric",
            "category": "History",
            "stem": "In which year did Romania join the European Union?",
            "answers": "2007|2006..2008",
            "weights": "100|50",
            "feedback": "|Close: it was 2007.",
        },
        {
            "type": "match",
            "category": "Geography",
            "stem": "Match each city with its historical region.",
            "answers": "Cluj-Napoca -> Transylvania|Iași -> Moldavia|Craiova -> Oltenia",
        },
    ]
    for row in rows:
        row.setdefault("format", "moodle")
    return _row_text(rows)

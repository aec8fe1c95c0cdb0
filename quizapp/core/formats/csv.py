"""quizapp's CSV: one row per question, a header row naming the columns.

Columns (any order, names case-insensitive, only `type` and `stem` required):

    type, title, category, id, tags, format, stem, missing_word,
    answers, correct, weights, feedback, tolerance, general_feedback

Cells holding several values (tags, answers, correct, weights, feedback) separate them with
"|"; write "\\|" for a "|" inside a value and "\\\\" for a backslash. docs/import-formats.md has
the full description with examples, and `template()` gives a file with one row per type.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence

from quizapp.core.authored import (
    TEXT_FORMATS,
    AuthoredQuestion,
    Choice,
    FormatProblem,
    MatchPair,
    NumericAnswer,
    ParseResult,
)
from quizapp.core.formats.gift import SKIP_REASONS, format_number, numeric_spec
from quizapp.core.text_files import prepare

COLUMNS = (
    "type",
    "title",
    "category",
    "id",
    "tags",
    "format",
    "stem",
    "missing_word",
    "answers",
    "correct",
    "weights",
    "feedback",
    "tolerance",
    "general_feedback",
)
REQUIRED = ("type", "stem")
# The csv module refuses a cell over 128 KiB (its default field size limit), and an HTML stem with
# an embedded image is larger. A cell cannot be larger than its file, which the upload limit
# bounds, so the limit (one setting for the whole process) is raised to the largest it takes.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
TYPES = ("mcq", "multi", "tf", "short", "numeric", "match", "essay", "description")
# The columns each type reads besides type, title, category, id, tags, format, stem and
# missing_word: a value in any other column is reported, since it is probably misplaced.
_USES = {
    "mcq": {"answers", "correct", "weights", "feedback", "general_feedback"},
    "multi": {"answers", "correct", "weights", "feedback", "general_feedback"},
    "short": {"answers", "correct", "weights", "feedback", "general_feedback"},
    "tf": {"correct", "feedback", "general_feedback"},
    "numeric": {"answers", "weights", "feedback", "tolerance", "general_feedback"},
    "match": {"answers", "general_feedback"},
    "essay": {"general_feedback"},
    "description": set(),
}
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_TOLERANCE = re.compile(rf"({_NUMBER})\s*(?::|±|\+/-)\s*({_NUMBER})")
_RANGE = re.compile(rf"({_NUMBER})\s*\.\.\s*({_NUMBER})")
_SIMPLE = re.compile(_NUMBER)
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"", "no", "n", "false", "0"}
_TRUE = {"true": True, "t": True, "false": False, "f": False}


# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(…)"): the
# writer puts an apostrophe in front (OWASP's advice for CSV injection), which spreadsheets show
# as text, and the reader takes it off again, so a file round-trips exactly. A text that itself
# starts with apostrophes before such a character gets one more, so it reads back unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(cell: str) -> str:
    """A cell as written: an apostrophe in front when a spreadsheet would run it as a formula."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def unguard_cell(cell: str) -> str:
    """A cell as read: the apostrophe `guard_cell` put in front taken off again."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def split_values(cell: str) -> list[str]:
    """The values of a multi-valued cell: split on "|", "\\|" and "\\\\" unescaped, trimmed."""
    if not cell.strip():
        return []
    values: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(cell):
        char = cell[i]
        if char == "\\" and i + 1 < len(cell) and cell[i + 1] in "\\|":
            current.append(cell[i + 1])
            i += 2
            continue
        if char == "|":
            values.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    values.append("".join(current))
    return [value.strip() for value in values]


def join_values(values: Sequence[str]) -> str:
    """One cell for several values, escaping "\\" and "|"."""
    return "|".join(v.replace("\\", "\\\\").replace("|", "\\|") for v in values)


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if _SIMPLE.fullmatch(text) else None


class _Row:
    """One row being read, reporting problems with its line and the column's name."""

    def __init__(self, line: int, cells: dict[str, str], result: ParseResult) -> None:
        self.line = line
        self.cells = cells
        self.result = result
        self.ok = True

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def values(self, column: str) -> list[str]:
        return split_values(self.cells.get(column, ""))

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.result.problems.append(FormatProblem(self.line, f"column '{column}': {message}"))

    def per_answer(self, column: str, count: int) -> list[str | None]:
        """One value per answer (an empty cell: none for all; an empty value: none)."""
        values = self.values(column)
        if not values:
            return [None] * count
        if len(values) != count:
            self.problem(
                column,
                f"{len(values)} values for {count} answers: give one per answer, "
                "separated by '|' (leave a value empty for none)",
            )
            return [None] * count
        return [value or None for value in values]

    def weights(self, count: int) -> list[float | None]:
        """The `weights` column, one per answer."""
        return [None if v is None else self.weight(v) for v in self.per_answer("weights", count)]

    def weight(self, text: str) -> float | None:
        value = _number(text.rstrip("%"))
        if value is None or not -100 <= value <= 100:
            self.problem("weights", f"'{text}' is not a number from -100 to 100")
            return None
        return value

    def positions(self, count: int) -> list[int]:
        """The answers named in `correct`, by number (1, 2…) or letter (A, B…), from 0."""
        found: list[int] = []
        for value in self.values("correct"):
            if value.isdigit():
                index = int(value) - 1
            elif len(value) == 1 and value.isalpha():
                index = ord(value.upper()) - ord("A")
            else:
                self.problem("correct", f"'{value}' is not an answer number (1, 2…) or letter")
                continue
            if not 0 <= index < count:
                self.problem("correct", f"there is no answer {value}: this row has {count}")
                continue
            found.append(index)
        return found


def parse(text: str) -> ParseResult:
    """Read a CSV file (UTF-8, with or without BOM): one question per row, every problem.

    Line ends of every style are read, also inside quoted cells, where they become "\\n".
    """
    text, controls = prepare(text)
    result = ParseResult(problems=[FormatProblem(p.line, p.message) for p in controls])
    first = text.split("\n", 1)[0]
    # Spreadsheets set to a decimal comma save with ";": read that too.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = [unguard_cell(cell) for cell in next(reader)]
        except StopIteration:
            break
        except csv.Error as error:
            result.problems.append(FormatProblem(start, f"this is not valid CSV: {error}"))
            break
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _header(row, start, result)
            if header is None:
                break
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            result.problems.append(
                FormatProblem(
                    start,
                    f"this row has {len(row)} cells but the header names {len(header)} columns",
                )
            )
            continue
        cells = {name: value for name, value in zip(header, row, strict=False) if name}
        _read_row(_Row(start, cells, result))
    if header is None and not result.problems:
        result.problems.append(FormatProblem(1, "the file is empty: it needs a header row"))
    result.problems.sort(key=lambda found: found.line)
    return result


def _header(row: list[str], line: int, result: ParseResult) -> list[str] | None:
    """The column names; unknown and repeated ones are reported and then ignored ("")."""
    names: list[str] = []
    for cell in row:
        name = cell.strip().lower().replace(" ", "_")
        if name and name not in COLUMNS:
            result.problems.append(
                FormatProblem(
                    line, f"unknown column '{name}': the columns are {', '.join(COLUMNS)}"
                )
            )
            name = ""
        elif name and name in names:
            result.problems.append(FormatProblem(line, f"the column '{name}' appears twice"))
            name = ""
        names.append(name)
    missing = [name for name in REQUIRED if name not in names]
    for name in missing:
        result.problems.append(FormatProblem(line, f"the header has no '{name}' column"))
    # Rows are still read past an unknown column, to report their problems in the same pass.
    return None if missing else names


def _read_row(row: _Row) -> None:
    kind = row.get("type").lower()
    if kind not in TYPES:
        shown = f"'{row.get('type')}' is not" if kind else "missing:"
        row.problem("type", f"{shown} a question type; use one of {', '.join(TYPES)}")
        return
    for column in ("answers", "correct", "weights", "feedback", "tolerance", "general_feedback"):
        if row.get(column) and column not in _USES[kind]:
            row.problem(column, f"a {kind} question does not use this column; leave it empty")
    fmt = row.get("format").lower() or "moodle"
    if fmt not in TEXT_FORMATS:
        row.problem("format", f"'{fmt}' is not a text format; use {', '.join(TEXT_FORMATS)}")
    missing = row.get("missing_word").lower()
    if missing not in _YES | _NO:
        row.problem("missing_word", f"'{missing}' is not yes or no")
    q = AuthoredQuestion(
        type=kind,
        stem=row.get("stem"),
        text_format=fmt,
        title=row.get("title") or None,
        category=row.get("category") or None,
        external_id=row.get("id") or None,
        tags=[tag for tag in row.values("tags") if tag],
        general_feedback=row.get("general_feedback") or None,
        embedded=missing in _YES,
        line=row.line,
    )
    if kind in ("mcq", "multi", "short"):
        _choices(row, q)
    elif kind == "tf":
        _true_false(row, q)
    elif kind == "numeric":
        _numeric(row, q)
    elif kind == "match":
        _pairs(row, q)
    if not row.ok:
        return
    if kind in SKIP_REASONS:
        row.result.skipped.append((q, SKIP_REASONS[kind]))
    else:
        row.result.questions.append(q)


def _answers(row: _Row, kind: str) -> list[str]:
    answers = row.values("answers")
    if not answers:
        row.problem("answers", f"a {kind} question needs answers, separated by '|'")
    elif not all(answers):
        row.problem("answers", "an answer is empty (two '|' in a row, or one at an end)")
    return answers


def _choices(row: _Row, q: AuthoredQuestion) -> None:
    answers = _answers(row, q.type)
    count = len(answers)
    right = row.positions(count)
    weights = row.weights(count)
    feedback = row.per_answer("feedback", count)
    if q.type == "mcq" and len(right) != 1 and row.ok:
        row.problem("correct", "an mcq has exactly one right answer: give its number or letter")
    if q.type == "multi" and not right and all(w is None for w in weights) and row.ok:
        row.problem("correct", "say which answers are right (e.g. 1|3), or give weights")
    every = q.type == "short" and not row.values("correct")
    for i, text in enumerate(answers):
        q.choices.append(Choice(text, every or i in right, weights[i], feedback[i]))


def _true_false(row: _Row, q: AuthoredQuestion) -> None:
    value = row.get("correct").lower()
    if value not in _TRUE:
        row.problem("correct", "a tf question needs true or false here")
    q.is_true = _TRUE.get(value)
    feedback = row.values("feedback")
    if len(feedback) > 2:
        row.problem("feedback", "a tf question takes two feedbacks: 'if True|if False'")
    feedback += ["", ""]
    q.true_feedback = feedback[0] or None
    q.false_feedback = feedback[1] or None


def _numeric(row: _Row, q: AuthoredQuestion) -> None:
    answers = _answers(row, "numeric")
    tolerance = 0.0
    if row.get("tolerance"):
        value = _number(row.get("tolerance"))
        if value is None:
            row.problem("tolerance", f"'{row.get('tolerance')}' is not a number")
        else:
            tolerance = value
    weights = row.weights(len(answers))
    feedback = row.per_answer("feedback", len(answers))
    for i, text in enumerate(answers):
        if text == "*":
            # Any other number (Moodle's "*"): only its feedback, worth nothing.
            if weights[i]:
                row.problem(
                    "weights", "'*' (any other number) is worth nothing: leave its weight empty"
                )
            elif "*" in answers[:i]:
                row.problem("answers", "'*' (any other number) can be given once")
            q.other_feedback = feedback[i]
            continue
        if match := _TOLERANCE.fullmatch(text):
            answer = NumericAnswer(value=float(match.group(1)), tolerance=float(match.group(2)))
        elif match := _RANGE.fullmatch(text):
            answer = NumericAnswer(low=float(match.group(1)), high=float(match.group(2)))
        elif _SIMPLE.fullmatch(text):
            answer = NumericAnswer(value=float(text), tolerance=tolerance)
        else:
            if text:
                row.problem(
                    "answers",
                    f"'{text}' is not a number: write 1822, 3.14:0.01 (with a tolerance) or "
                    "1..5 (a range), with a dot for decimals",
                )
            continue
        answer.weight, answer.feedback = weights[i], feedback[i]
        q.numeric.append(answer)


def _pairs(row: _Row, q: AuthoredQuestion) -> None:
    for text in _answers(row, "match"):
        left, arrow, right = text.partition("->")
        if not arrow:
            row.problem("answers", f"'{text}' needs 'item -> match'")
        elif not right.strip():
            row.problem("answers", f"'{text}' has nothing after '->'")
        else:
            q.pairs.append(MatchPair(left.strip(), right.strip()))


# --- writing ---------------------------------------------------------------------------------


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

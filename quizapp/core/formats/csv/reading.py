"""Reading quizapp's CSV: one question per row, every problem with its line and column."""

from __future__ import annotations

import csv
import io
import re

from quizapp.core.authored import (
    TEXT_FORMATS,
    AuthoredQuestion,
    Choice,
    FormatProblem,
    MatchPair,
    NumericAnswer,
    ParseResult,
)
from quizapp.core.formats.csv.cells import COLUMNS, TYPES, split_values, unguard_cell
from quizapp.core.formats.gift import SKIP_REASONS
from quizapp.core.text_files import prepare

REQUIRED = ("type", "stem")
# The csv module refuses a cell over 128 KiB (its default field size limit), and an HTML stem with
# an embedded image is larger. A cell cannot be larger than its file, which the upload limit
# bounds, so the limit (one setting for the whole process) is raised to the largest it takes.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
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

"""quizapp's CSV: one row per question, a header row naming the columns.

Columns (any order, names case-insensitive, only `type` and `stem` required):

    type, title, category, id, tags, format, stem, missing_word,
    answers, correct, weights, feedback, tolerance, general_feedback

Cells holding several values (tags, answers, correct, weights, feedback) separate them with
"|"; write "\\|" for a "|" inside a value and "\\\\" for a backslash. docs/import-formats.md has
the full description with examples, and `template()` gives a file with one row per type.

`cells` holds the columns and the cell rules both sides share, `reading` reads a file (`parse`)
and `writing` writes questions (`write`, `normalize`, `template`).
"""

from __future__ import annotations

from quizapp.core.formats.csv.cells import (
    COLUMNS,
    FORMULA_STARTS,
    TYPES,
    guard_cell,
    join_values,
    split_values,
    unguard_cell,
)
from quizapp.core.formats.csv.reading import REQUIRED, parse
from quizapp.core.formats.csv.writing import normalize, template, write

__all__ = [
    "COLUMNS",
    "FORMULA_STARTS",
    "REQUIRED",
    "TYPES",
    "guard_cell",
    "join_values",
    "normalize",
    "parse",
    "split_values",
    "template",
    "unguard_cell",
    "write",
]

"""The columns and cells of quizapp's CSV, as both reading and writing it use them.

A multi-valued cell separates its values with "|" (`split_values`, `join_values`), and a cell a
spreadsheet would run as a formula is guarded with an apostrophe (`guard_cell`, `unguard_cell`).
"""

from __future__ import annotations

from collections.abc import Sequence

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
TYPES = ("mcq", "multi", "tf", "short", "numeric", "match", "essay", "description")


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
